//! The alert inbox, cases, the customer base and rescreening over HTTP: what `interdict
//! alerts`, `cases`, `customers import` and `rescreen` do, each change made through the store
//! as the caller, so the audit trail names them. Alerts and cases hold customers' data and
//! suspicions: every route needs at least the analyst role, and a tip's contact a supervisor.

use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Extension, FromRequest, Path, Request, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use interdict_store::{AlertFilter, CaseAction, CaseFilter, Customer, NewCase, StoreError};
use serde::Deserialize;
use serde_json::{Value, json};

use super::api::{AppState, RawParams};
use super::auth::Caller;
use super::error::ApiError;
use super::request::{Params, json_body};
use crate::rescreen::Outcome;
use crate::users::Role;

/// Alerts listed when `limit` is not given, and the most that may be asked for.
pub const DEFAULT_ALERT_PAGE: usize = 1_000;
pub const MAX_ALERT_PAGE: usize = 10_000;
/// How long a client may take to send the customers it posts (the screening run after may
/// take much longer).
const BODY_DEADLINE: Duration = Duration::from_secs(30);

const ALERT_STATES: [&str; 2] = ["open", "closed"];
const ALERT_SOURCES: [&str; 4] = ["screening", "rescreening", "derived", "monitoring"];
const CASE_KINDS: [&str; 3] = ["investigation", "tip", "mla"];
const CASE_STATES: [&str; 11] = [
    "open",
    "in-review",
    "escalated",
    "closed",
    "draft",
    "sent",
    "acknowledged",
    "executing",
    "executed",
    "refused",
    "withdrawn",
];

/// A parameter that must be one of `allowed`, if given.
fn one_of<'p>(
    params: &'p Params,
    name: &str,
    allowed: &[&str],
) -> Result<Option<&'p str>, ApiError> {
    match params.text(name) {
        Some(value) if !allowed.contains(&value) => Err(ApiError::bad_request(
            "invalid_parameter",
            format!("{name}={value:?}: use one of {}", allowed.join(", ")),
        )),
        value => Ok(value),
    }
}

/// `GET /alerts?state=&source=&case_id=&limit=`: the inbox, oldest first.
pub async fn list_alerts(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: RawParams,
) -> Result<Json<Value>, ApiError> {
    caller.need(Role::Analyst)?;
    let params = Params::read(params, &["state", "source", "case_id", "limit"])?;
    let state = one_of(&params, "state", &ALERT_STATES)?;
    let source = one_of(&params, "source", &ALERT_SOURCES)?;
    let limit = params.count("limit", DEFAULT_ALERT_PAGE, MAX_ALERT_PAGE)?;
    // One past the page tells whether there are more.
    let filter = AlertFilter {
        state: state.map(str::to_string),
        source: source.map(str::to_string),
        case_id: params.text("case_id").map(str::to_string),
        limit: Some(limit as u32 + 1),
    };
    let mut alerts = app
        .store
        .alerts(&filter)
        .await
        .map_err(ApiError::from_store)?;
    let more = alerts.len() > limit;
    alerts.truncate(limit);
    Ok(Json(
        json!({ "alerts": alerts, "limit": limit, "more": more }),
    ))
}

/// `GET /alerts/{id}`.
pub async fn one_alert(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.need(Role::Analyst)?;
    let alert = app.store.alert(&id).await.map_err(ApiError::from_store)?;
    Ok(Json(json!(alert)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloseBody {
    /// `true-match`, `false-positive` or `not-actionable`.
    resolution: String,
    reason: String,
}

/// `POST /alerts/{id}/close`: a screening alert closed as a false positive records a
/// suppression, so that customer is not alerted on that party again until it changes.
pub async fn close_alert(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    caller.need(Role::Analyst)?;
    let body: CloseBody = json_body(body)?;
    let closed = caller
        .store(&app)
        .close_alert(&id, &body.resolution, &body.reason)
        .await
        .map_err(ApiError::from_store)?;
    Ok(Json(json!(closed)))
}

/// A case as opened: the fields of `NewCase`, none other.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseBody {
    kind: String,
    title: String,
    #[serde(default)]
    assignee: Option<String>,
    #[serde(default)]
    deadline: Option<String>,
    #[serde(default)]
    detail: Value,
    #[serde(default)]
    contact: Option<String>,
    #[serde(default)]
    alerts: Vec<String>,
    /// Also take in every open alert outside a case about this party.
    #[serde(default)]
    party: Option<String>,
    /// Or about the parties within `depth` links of this one.
    #[serde(default)]
    network_of: Option<String>,
    #[serde(default = "default_depth")]
    depth: usize,
}

fn default_depth() -> usize {
    2
}

/// `POST /cases`: opens an investigation, tip or request as the caller, taking in the open
/// alerts it names.
pub async fn open_case(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Result<Bytes, BytesRejection>,
) -> Result<impl IntoResponse, ApiError> {
    caller.need(Role::Analyst)?;
    let mut body: CaseBody = json_body(body)?;
    if body.depth > 6 {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            format!("depth: {} links is more than 6", body.depth),
        ));
    }
    let gathered = crate::cases::gather(
        app.store.as_ref(),
        body.party.as_deref(),
        body.network_of.as_deref(),
        body.depth,
    )
    .await
    .map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            format!("{e:#}"),
        )
    })?;
    for id in gathered {
        if !body.alerts.contains(&id) {
            body.alerts.push(id);
        }
    }
    let case = NewCase {
        kind: body.kind,
        title: body.title,
        assignee: body.assignee,
        deadline: body.deadline,
        detail: body.detail,
        contact: body.contact,
        alerts: body.alerts,
    };
    let opened = caller
        .store(&app)
        .open_case(&case)
        .await
        .map_err(ApiError::from_store)?;
    Ok((StatusCode::CREATED, Json(json!(opened))))
}

/// `GET /cases?kind=&state=&assignee=`: oldest first; the read is audited as the caller's.
pub async fn list_cases(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: RawParams,
) -> Result<Json<Value>, ApiError> {
    caller.need(Role::Analyst)?;
    let params = Params::read(params, &["kind", "state", "assignee"])?;
    let filter = CaseFilter {
        kind: one_of(&params, "kind", &CASE_KINDS)?.map(str::to_string),
        state: one_of(&params, "state", &CASE_STATES)?.map(str::to_string),
        assignee: params.text("assignee").map(str::to_string),
    };
    let cases = caller
        .store(&app)
        .cases(&filter)
        .await
        .map_err(ApiError::from_store)?;
    Ok(Json(json!({ "cases": cases })))
}

/// `GET /cases/{id}`: the case with its links, alerts and timeline (never a tip's contact);
/// the read is audited as the caller's.
pub async fn one_case(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.need(Role::Analyst)?;
    let view = caller
        .store(&app)
        .case(&id)
        .await
        .map_err(ApiError::from_store)?;
    Ok(Json(json!(view)))
}

/// `POST /cases/{id}/actions`: one action, tagged by `action` (move, assign, note, link,
/// deadline); a move is compare-and-set on `from`.
pub async fn act(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    caller.need(Role::Analyst)?;
    let action: CaseAction = json_body(body)?;
    let case = caller
        .store(&app)
        .act_on_case(&id, &action)
        .await
        .map_err(ApiError::from_store)?;
    Ok(Json(json!(case)))
}

/// `GET /cases/{id}/contact`: a tip's submitter (supervisor); each read is audited.
pub async fn contact(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.need(Role::Supervisor)?;
    let contact = caller
        .store(&app)
        .tip_contact(&id)
        .await
        .map_err(ApiError::from_store)?;
    Ok(Json(json!({ "case_id": id, "contact": contact })))
}

/// `POST /customers?screen=false`: customers as JSON lines, one a line (the file `interdict
/// customers import` reads), added or replaced by id in one transaction; then, unless
/// `screen=false`, a screening run.
pub async fn import_customers(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: RawParams,
    request: Request,
) -> Result<Json<Value>, ApiError> {
    caller.need(Role::Analyst)?;
    let params = Params::read(params, &["screen"])?;
    let screen = match params.text("screen") {
        None | Some("true") => true,
        Some("false") => false,
        Some(other) => {
            return Err(ApiError::bad_request(
                "invalid_parameter",
                format!("screen={other:?}: use true or false"),
            ));
        }
    };
    // The route's deadline is long, for the run; the body must come as quickly as any.
    let body = tokio::time::timeout(BODY_DEADLINE, Bytes::from_request(request, &()))
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                "timeout",
                format!("the body took longer than {} s", BODY_DEADLINE.as_secs()),
            )
        })?;
    let (customers, lines) = read_customers(body)?;
    if screen {
        // Refused before anything is stored while the lists are still being read.
        app.snapshot()?;
    }
    let store = caller.store(&app);
    let done = store
        .import_customers(&customers)
        .await
        .map_err(|e| ApiError::from_store(at_line(e, &lines)))?;
    let screening = if screen {
        screening_run(&app, &caller, None).await?
    } else {
        None
    };
    Ok(Json(json!({ "import": done, "screening": screening })))
}

/// Customers from JSON lines, with the line each came from; blank lines are skipped. A bad
/// line is named, and nothing is stored.
fn read_customers(
    body: Result<Bytes, BytesRejection>,
) -> Result<(Vec<Customer>, Vec<usize>), ApiError> {
    let bytes = body.map_err(|r| {
        let code = if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            "body_too_large"
        } else {
            "unreadable_body"
        };
        ApiError::new(r.status(), code, r.body_text())
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        ApiError::bad_request("invalid_json", format!("the body is not UTF-8: {e}"))
    })?;
    let (mut customers, mut lines) = (Vec::new(), Vec::new());
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| {
            ApiError::bad_request("invalid_json", format!("line {}: {message}", n + 1))
        };
        let mut de = serde_json::Deserializer::from_str(line);
        let customer: Customer = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let at = match path.as_str() {
                "." | "?" => String::new(),
                _ => format!("{path}: "),
            };
            bad(format!("{at}{}", e.into_inner()))
        })?;
        de.end().map_err(|e| bad(e.to_string()))?;
        customers.push(customer);
        lines.push(n + 1);
    }
    if customers.is_empty() {
        return Err(ApiError::bad_request(
            "invalid_json",
            "the body holds no customers; send JSON lines, one customer a line \
             ({\"id\": …, \"name\": …})",
        ));
    }
    Ok((customers, lines))
}

/// The store names a refused customer by its place (`customer 3: …`); over HTTP the line of
/// the body is named too, blank lines counted.
fn at_line(error: StoreError, lines: &[usize]) -> StoreError {
    let StoreError::Invalid(message) = error else {
        return error;
    };
    let renamed = message.strip_prefix("customer ").and_then(|rest| {
        let digits = rest.find(|c: char| !c.is_ascii_digit())?;
        let n: usize = rest[..digits].parse().ok()?;
        let line = lines.get(n.checked_sub(1)?)?;
        Some(format!("line {line}: {message}"))
    });
    StoreError::Invalid(renamed.unwrap_or(message))
}

/// `POST /rescreen?threshold=`: screens what the last run has not (new or changed customers
/// against every party, the others against the parties new or changed since), as the caller.
pub async fn rescreen(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: RawParams,
) -> Result<Json<Value>, ApiError> {
    caller.need(Role::Analyst)?;
    let params = Params::read(params, &["threshold"])?;
    let threshold = params.score("threshold")?;
    app.snapshot()?;
    match screening_run(&app, &caller, threshold).await? {
        Some(outcome) => Ok(Json(json!(outcome))),
        None => Err(ApiError::invalid(
            "no customers are stored: add them with POST /customers",
        )),
    }
}

/// One screening run as the caller, after any run under way. It runs on the blocking pool
/// (it is CPU work, and uses every core while it compares), in a task of its own: a client
/// that hangs up does not stop it halfway, and its alerts land in the inbox all the same.
async fn screening_run(
    app: &AppState,
    caller: &Caller,
    threshold: Option<f64>,
) -> Result<Option<Outcome>, ApiError> {
    let store = caller.store(app);
    let turn = app.screening.clone();
    let task = tokio::spawn(async move {
        let _turn = turn.lock_owned().await;
        let runtime = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || {
            runtime.block_on(crate::rescreen::run(store.as_ref(), threshold))
        })
        .await
    });
    match task.await {
        Ok(Ok(Ok(outcome))) => Ok(outcome),
        Ok(Ok(Err(e))) => Err(match e.downcast::<StoreError>() {
            Ok(e) => ApiError::from_store(e),
            Err(e) => ApiError::internal(format!("{e:#}")),
        }),
        Ok(Err(e)) | Err(e) => Err(ApiError::internal(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_customer_is_named_by_its_line() {
        let renamed = at_line(
            StoreError::Invalid("customer 2 (c-9): name is 1200 bytes, over 1000".into()),
            &[1, 3],
        );
        assert_eq!(
            renamed.to_string(),
            "invalid import: line 3: customer 2 (c-9): name is 1200 bytes, over 1000"
        );
        let kept = at_line(StoreError::Invalid("something else".into()), &[1]);
        assert_eq!(kept.to_string(), "invalid import: something else");
    }

    #[test]
    fn customers_are_read_from_json_lines_naming_the_bad_line() {
        let body = Ok(Bytes::from_static(
            b"{\"id\":\"c-1\",\"name\":\"Ana\"}\n\n{\"id\":\"c-2\"}\n",
        ));
        let error = read_customers(body).unwrap_err();
        assert_eq!(error.status, StatusCode::BAD_REQUEST);
        assert!(
            error.message.starts_with("line 3: missing field `name`"),
            "{}",
            error.message
        );
        let body = Ok(Bytes::from_static(b"{\"id\":\"c-1\",\"name\":\"Ana\"}\n\n"));
        let (customers, lines) = read_customers(body).unwrap();
        assert_eq!((customers.len(), lines), (1, vec![1]));
    }
}
