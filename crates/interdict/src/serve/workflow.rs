//! Freeze orders and the audit trail over HTTP: the same steps as `interdict freeze` and
//! `interdict audit`, each change made through the store as the caller, so the audit trail
//! names them.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use interdict_store::{AuditRecord, FreezeStep, StoreError};
use serde::Deserialize;
use serde_json::{Value, json};

use super::api::{AppState, RawParams};
use super::auth::Caller;
use super::error::ApiError;
use super::request::{Params, json_body};
use crate::cli::ProposeFreezeArgs;
use crate::users::Role;

/// The most audit records in one page.
pub const MAX_AUDIT_PAGE: usize = 1_000;

/// A freeze order as proposed: the fields of `NewFreeze`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposeBody {
    asset_kind: String,
    asset: String,
    description: String,
    #[serde(default)]
    holder_id: Option<String>,
    holder_name: String,
    basis: String,
    program: String,
    /// An exact decimal, as a string (a JSON number would not stay exact).
    value: String,
    currency: String,
    location: String,
    institution: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnblockBody {
    reason: String,
}

/// `GET /freezes`: every order, oldest first; `?state=` keeps those in one state.
pub async fn list(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: RawParams,
) -> Result<Json<Value>, ApiError> {
    caller.need(Role::Analyst)?;
    let params = Params::read(params, &["state"])?;
    let states = [
        "proposed",
        "rejected",
        "blocked",
        "unblock-proposed",
        "unblocked",
    ];
    let state = params.text("state");
    if let Some(state) = state.filter(|s| !states.contains(s)) {
        return Err(ApiError::bad_request(
            "invalid_parameter",
            format!("state={state:?}: use one of {}", states.join(", ")),
        ));
    }
    let freezes: Vec<_> = app
        .store
        .freezes()
        .await
        .map_err(ApiError::from_store)?
        .into_iter()
        .filter(|f| state.is_none_or(|s| f.state == s))
        .collect();
    Ok(Json(json!({ "freezes": freezes })))
}

/// `GET /freezes/{id}`.
pub async fn one(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.need(Role::Analyst)?;
    let freezes = app.store.freezes().await.map_err(ApiError::from_store)?;
    match freezes.into_iter().find(|f| f.id == id) {
        Some(freeze) => Ok(Json(json!(freeze))),
        None => Err(ApiError::from_store(StoreError::NotFound {
            kind: "freeze",
            id,
        })),
    }
}

/// `POST /freezes`: an analyst proposes; the value, currency and holder are checked as
/// `interdict freeze propose` checks them.
pub async fn propose(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Result<Bytes, BytesRejection>,
) -> Result<impl IntoResponse, ApiError> {
    caller.need(Role::Analyst)?;
    let body: ProposeBody = json_body(body)?;
    let store = caller.store(&app);
    let args = ProposeFreezeArgs {
        asset_kind: body.asset_kind,
        asset: body.asset,
        description: body.description,
        holder_id: body.holder_id,
        holder_name: body.holder_name,
        basis: body.basis,
        program: body.program,
        value: body.value,
        currency: body.currency,
        location: body.location,
        institution: body.institution,
        json: false,
    };
    let order = crate::freeze::order(store.as_ref(), args)
        .await
        .map_err(|e| match e.downcast::<StoreError>() {
            Ok(e) => ApiError::from_store(e),
            Err(e) => ApiError::invalid(field_named(&e.to_string())),
        })?;
    let stored = store
        .propose_freeze(&order)
        .await
        .map_err(ApiError::from_store)?;
    Ok((StatusCode::CREATED, Json(json!(stored))))
}

/// The checks of `freeze propose` name their command-line flag (`--holder-id "x": …`); over
/// HTTP the field is named instead (`holder_id "x": …`).
fn field_named(message: &str) -> String {
    match message.strip_prefix("--") {
        Some(rest) => {
            let (flag, tail) = rest.split_once(' ').unwrap_or((rest, ""));
            format!("{} {tail}", flag.replace('-', "_"))
        }
        None => message.to_string(),
    }
}

async fn step(
    app: &AppState,
    caller: &Caller,
    need: Role,
    id: String,
    (from, to): (&str, &str),
    reason: Option<String>,
) -> Result<Json<Value>, ApiError> {
    caller.need(need)?;
    let step = FreezeStep {
        id,
        from: from.into(),
        to: to.into(),
        reason,
    };
    let stored = caller
        .store(app)
        .step_freeze(&step)
        .await
        .map_err(ApiError::from_store)?;
    Ok(Json(json!(stored)))
}

/// `POST /freezes/{id}/approve`: a supervisor other than the proposer blocks the property.
pub async fn approve(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let edge = ("proposed", "blocked");
    step(&app, &caller, Role::Supervisor, id, edge, None).await
}

/// `POST /freezes/{id}/reject`.
pub async fn reject(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let edge = ("proposed", "rejected");
    step(&app, &caller, Role::Supervisor, id, edge, None).await
}

/// `POST /freezes/{id}/unblock`: an analyst proposes unblocking, with the reason.
pub async fn unblock(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    caller.need(Role::Analyst)?;
    let body: UnblockBody = json_body(body)?;
    let edge = ("blocked", "unblock-proposed");
    step(&app, &caller, Role::Analyst, id, edge, Some(body.reason)).await
}

/// `POST /freezes/{id}/approve-unblock`.
pub async fn approve_unblock(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let edge = ("unblock-proposed", "unblocked");
    step(&app, &caller, Role::Supervisor, id, edge, None).await
}

/// `POST /freezes/{id}/reject-unblock`: the property stays blocked.
pub async fn reject_unblock(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let edge = ("unblock-proposed", "blocked");
    step(&app, &caller, Role::Supervisor, id, edge, None).await
}

/// `GET /freezes/report?as_of=YYYY-MM-DD`: the blocked-property report of
/// `interdict freeze report --json`.
pub async fn report(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: RawParams,
) -> Result<Json<Value>, ApiError> {
    caller.need(Role::Analyst)?;
    let params = Params::read(params, &["as_of"])?;
    let day = match params.text("as_of") {
        Some(day) if interdict_lists::source::is_iso_date(day) => day.to_string(),
        Some(day) => {
            return Err(ApiError::bad_request(
                "invalid_parameter",
                format!("as_of={day:?} is not a YYYY-MM-DD date"),
            ));
        }
        None => crate::ingest::today(),
    };
    let freezes = app.store.freezes().await.map_err(ApiError::from_store)?;
    let (rows, totals) = crate::freeze::blocked_property(&freezes, &day);
    let series = crate::freeze::over_time(&freezes, &day);
    Ok(Json(crate::freeze::report_json(
        &day, &rows, &totals, &series,
    )))
}

/// `GET /audit?after=N&limit=M`: the records after number N, oldest first, at most M.
pub async fn audit(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: RawParams,
) -> Result<Json<Value>, ApiError> {
    caller.need(Role::Supervisor)?;
    let params = Params::read(params, &["after", "limit"])?;
    let after = params.count("after", 0, i64::MAX as usize)? as i64;
    let limit = params.count("limit", 100, MAX_AUDIT_PAGE)?;
    let mut records: Vec<AuditRecord> = Vec::new();
    // One past the page tells whether there is more; the sink stops the walk there.
    let mut sink = |record: AuditRecord| {
        records.push(record);
        if records.len() > limit {
            return Err(StoreError::Sink("page full".into()));
        }
        Ok(())
    };
    match app.store.each_audit(after, &mut sink).await {
        Ok(()) | Err(StoreError::Sink(_)) => {}
        Err(e) => return Err(ApiError::from_store(e)),
    }
    let more = records.len() > limit;
    records.truncate(limit);
    let next_after = more.then(|| records.last().map(|r| r.seq)).flatten();
    Ok(Json(json!({
        "records": records,
        "after": after,
        "limit": limit,
        "next_after": next_after,
    })))
}

/// `GET /audit/verify`: walks the hash chain and reports the first broken record.
pub async fn audit_verify(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Value>, ApiError> {
    caller.need(Role::Supervisor)?;
    let check = app
        .store
        .audit_verify()
        .await
        .map_err(ApiError::from_store)?;
    Ok(Json(json!({
        "ok": check.broken.is_none(),
        "records": check.records,
        "broken": check.broken,
    })))
}

/// `POST /reports/sar?format=fincen|goaml`: a suspicious activity report (the JSON model
/// `interdict report sar` reads) rendered as XML for the regulator; the rendering and its
/// SHA-256 are audited as the caller's.
pub async fn render_sar(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: RawParams,
    body: Result<Bytes, BytesRejection>,
) -> Result<impl IntoResponse, ApiError> {
    caller.need(Role::Analyst)?;
    let params = Params::read(params, &["format"])?;
    let format = match params.text("format") {
        Some("fincen") | None => crate::cli::SarFormat::Fincen,
        Some("goaml") => crate::cli::SarFormat::Goaml,
        Some(other) => {
            return Err(ApiError::bad_request(
                "invalid_parameter",
                format!("format={other:?} is not one of fincen, goaml"),
            ));
        }
    };
    let body = body.map_err(|e| ApiError::bad_request("invalid_body", e.body_text()))?;
    let text = std::str::from_utf8(&body).map_err(|e| {
        ApiError::bad_request("invalid_body", format!("the body is not UTF-8: {e}"))
    })?;
    let rendered = crate::sar::render(text, format).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_report",
            format!("{e:#}"),
        )
    })?;
    caller
        .store(&app)
        .audit_append(&rendered.audit("POST /reports/sar"))
        .await
        .map_err(ApiError::from_store)?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/xml".to_string(),
            ),
            (
                axum::http::HeaderName::from_static("x-content-sha256"),
                rendered.sha256,
            ),
        ],
        rendered.xml,
    ))
}

#[cfg(test)]
mod tests {
    use super::field_named;

    #[test]
    fn flags_become_field_names() {
        assert_eq!(
            field_named("--holder-id \"x\": no such entity"),
            "holder_id \"x\": no such entity"
        );
        assert_eq!(
            field_named("--value \"-1\": negative"),
            "value \"-1\": negative"
        );
        assert_eq!(
            field_named("freeze: asset is empty"),
            "freeze: asset is empty"
        );
    }
}
