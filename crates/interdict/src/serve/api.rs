//! The HTTP routes. Screening runs on the blocking pool: it is CPU work, and one large
//! request must not hold up the reactor that answers `/healthz`.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::Request;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Extension, Path, Query as QueryString, State};
use axum::http::{StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use interdict_screen::{ALGORITHM_VERSION, Query};
use interdict_store::{NewAlert, Store, Suppression};
use serde::Deserialize;
use serde_json::{Value, json};

use super::auth::{self, Caller};
use super::error::ApiError;
use super::matching::{self, ALGORITHMS, Cut};
use super::request::{
    EntityQuery, MAX_LIMIT, MAX_QUERIES, MAX_VALUE_CHARS, MatchBody, Params, check_query, json_body,
};
use super::snapshot::Snapshot;
use super::{accounts, cases, workflow};
use crate::entity;
use interdict_graph::{Mode, Options};
use interdict_model::entities_from_statements;

/// The largest request body: a hundred queries fit many times over.
const MAX_BODY_BYTES: usize = 1024 * 1024;
/// How long a request may take, body included.
const REQUEST_DEADLINE: Duration = Duration::from_secs(30);
/// How long the routes that run a screening of the customer base may take: a large base
/// takes minutes. Their bodies must still come within [`REQUEST_DEADLINE`].
const SCREENING_DEADLINE: Duration = Duration::from_secs(60 * 60);
const SCREENING_ROUTES: [&str; 2] = ["/customers", "/rescreen"];
const OPENAPI: &str = include_str!("openapi.json");

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    /// `None` until the first index is built.
    pub snapshot: Arc<RwLock<Option<Arc<Snapshot>>>>,
    /// The transaction stream `POST /transactions` feeds.
    pub flow: Arc<std::sync::Mutex<super::flow::FlowState>>,
    /// Who holds which API token, as lately looked up.
    pub auth: Arc<super::auth::Auth>,
    /// Held by the screening run under way (`POST /customers`, `POST /rescreen`): runs take
    /// turns, since each screens what the one before it left.
    pub screening: Arc<tokio::sync::Mutex<()>>,
}

impl AppState {
    pub(super) fn snapshot(&self) -> Result<Arc<Snapshot>, ApiError> {
        let guard = self.snapshot.read().unwrap_or_else(|p| p.into_inner());
        guard.clone().ok_or_else(ApiError::not_ready)
    }
}

pub fn router(state: AppState) -> Router {
    // Open while the store has no users; a token of an enabled user after.
    let screening = Router::new()
        .route("/match/{dataset}", post(match_entities))
        .route("/search/{dataset}", get(search))
        .route("/entities/{id}", get(entity))
        .route("/entities/{id}/exposure", get(exposure))
        .route("/entities/{id}/adjacent", get(adjacent))
        .route("/catalog", get(catalog))
        .route("/transactions", post(super::flow::post_transactions))
        .route_layer(from_fn_with_state(state.clone(), auth::screening));
    // Always a token of an enabled user with the role each route asks for.
    let workflow = Router::new()
        .route(
            "/suppressions",
            get(list_suppressions).post(add_suppression),
        )
        .route(
            "/suppressions/{customer_id}/{entity_id}",
            delete(remove_suppression),
        )
        .route("/freezes", get(workflow::list).post(workflow::propose))
        .route("/freezes/report", get(workflow::report))
        .route("/freezes/{id}", get(workflow::one))
        .route("/freezes/{id}/approve", post(workflow::approve))
        .route("/freezes/{id}/reject", post(workflow::reject))
        .route("/freezes/{id}/unblock", post(workflow::unblock))
        .route(
            "/freezes/{id}/approve-unblock",
            post(workflow::approve_unblock),
        )
        .route(
            "/freezes/{id}/reject-unblock",
            post(workflow::reject_unblock),
        )
        .route("/reports/sar", post(workflow::render_sar))
        .route("/audit", get(workflow::audit))
        .route("/audit/verify", get(workflow::audit_verify))
        .route("/users", get(accounts::list).post(accounts::add))
        .route("/users/{name}/tokens", post(accounts::add_token))
        .route("/me", get(accounts::me))
        .route("/alerts", get(cases::list_alerts))
        .route("/alerts/{id}", get(cases::one_alert))
        .route("/alerts/{id}/close", post(cases::close_alert))
        .route("/cases", get(cases::list_cases).post(cases::open_case))
        .route("/cases/{id}", get(cases::one_case))
        .route("/cases/{id}/actions", post(cases::act))
        .route("/cases/{id}/contact", get(cases::contact))
        .route("/customers", post(cases::import_customers))
        .route("/rescreen", post(cases::rescreen))
        .route_layer(from_fn_with_state(state.clone(), auth::workflow));
    Router::new()
        .merge(screening)
        .merge(workflow)
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/openapi.json", get(openapi))
        .fallback(|| async {
            ApiError::not_found("no_route", "no such endpoint; see /openapi.json")
        })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this endpoint does not take that method; see /openapi.json",
            )
        })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(guard))
        .with_state(state)
}

/// Refuses a body announced too large before reading any of it, and gives every request a
/// deadline, so that a client that stops sending cannot hold a connection forever (the
/// screening routes a longer one, for the run; they bound the reading of their body
/// themselves).
async fn guard(request: Request, next: Next) -> Response {
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("the body is larger than {MAX_BODY_BYTES} bytes"),
        )
        .into_response();
    }
    let deadline = if SCREENING_ROUTES.contains(&request.uri().path()) {
        SCREENING_DEADLINE
    } else {
        REQUEST_DEADLINE
    };
    match tokio::time::timeout(deadline, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            format!("the request took longer than {} s", deadline.as_secs()),
        )
        .into_response(),
    }
}

pub type RawParams = Result<QueryString<HashMap<String, String>>, QueryRejection>;

async fn match_entities(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(dataset): Path<String>,
    params: RawParams,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let params = Params::read(params, &["threshold", "cutoff", "limit", "algorithm"])?;
    if let Some(algorithm) = params.text("algorithm").filter(|a| !ALGORITHMS.contains(a)) {
        return Err(ApiError::bad_request(
            "unknown_algorithm",
            format!(
                "algorithm {algorithm:?} is not offered; interdict scores with {ALGORITHM_VERSION} \
                 (also accepted as: {})",
                ALGORITHMS[1..].join(", ")
            ),
        ));
    }
    let cut = Cut {
        threshold: params.score("threshold")?,
        cutoff: params.score("cutoff")?,
        limit: params.count("limit", 5, MAX_LIMIT)?,
    };
    let body: MatchBody = json_body(body)?;
    if body.queries.len() > MAX_QUERIES {
        return Err(ApiError::bad_request(
            "too_many_queries",
            format!(
                "{} queries in one request; send at most {MAX_QUERIES}",
                body.queries.len()
            ),
        ));
    }
    let mut prepared: Vec<(String, EntityQuery, Vec<Query>)> = Vec::new();
    for (key, query) in body.queries {
        check_query(&key, &query)?;
        let queries = matching::queries_of(&key, &query)?;
        prepared.push((key, query, queries));
    }
    let snapshot = app.snapshot()?;
    check_dataset(&snapshot, &dataset)?;
    let mut suppressed: HashMap<String, HashSet<String>> = HashMap::new();
    for customer in prepared.iter().filter_map(|p| p.1.customer_id.as_ref()) {
        if !suppressed.contains_key(customer) {
            let decided = app
                .store
                .suppressions(Some(customer))
                .await
                .map_err(ApiError::internal)?;
            let ids = decided.into_iter().map(|s| s.entity_id).collect();
            suppressed.insert(customer.clone(), ids);
        }
    }
    let answer = tokio::task::spawn_blocking(move || {
        let none = HashSet::new();
        let mut responses = serde_json::Map::new();
        for (key, query, queries) in &prepared {
            let suppressed = query
                .customer_id
                .as_ref()
                .and_then(|c| suppressed.get(c))
                .unwrap_or(&none);
            let (results, threshold) = matching::run(&snapshot, queries, &dataset, suppressed, cut);
            let response = json!({
                "status": 200,
                "results": results,
                "total": {"value": results.len(), "relation": "eq"},
                "threshold": threshold,
                "suppressed": suppressed.len(),
                "query": query,
            });
            responses.insert(key.clone(), response);
        }
        json!({
            "responses": responses,
            "matcher": {"name": ALGORITHM_VERSION},
            "limit": cut.limit,
            "list_versions": list_versions(&snapshot),
        })
    })
    .await
    .map_err(ApiError::internal)?;
    let mut answer = answer;
    // A user's query that names its customer is that customer's screening: its matches
    // go to the inbox, as the user's (an anonymous lookup changes nothing).
    if caller.role.is_some() {
        let alerts = customer_alerts(&answer);
        if !alerts.is_empty() {
            // The caller may come from the token cache: raising is a change.
            auth::enabled_now(&app, &caller).await?;
            let raised = caller
                .store(&app)
                .raise_alerts(&alerts)
                .await
                .map_err(ApiError::from_store)?;
            answer["alerts_raised"] = json!(raised.iter().map(|a| &a.id).collect::<Vec<_>>());
        }
    }
    Ok(Json(answer))
}

/// The inbox alerts of a `/match` answer: each match (at or above the threshold) of a query
/// that names its `customer_id`, once per customer and party.
fn customer_alerts(answer: &Value) -> Vec<NewAlert> {
    let Some(responses) = answer["responses"].as_object() else {
        return Vec::new();
    };
    let mut alerts = Vec::new();
    for response in responses.values() {
        let Some(customer) = response["query"]["customer_id"].as_str() else {
            continue;
        };
        let results = response["results"].as_array().into_iter().flatten();
        for result in results.filter(|r| r["match"] == true) {
            let entity = result["id"].as_str().unwrap_or_default();
            let score = result["score"].as_f64().unwrap_or_default();
            alerts.push(NewAlert {
                source: "screening".into(),
                dedupe: format!("screening {customer} {entity} api"),
                subject: customer.to_string(),
                entity_id: Some(entity.to_string()),
                score: Some(score),
                severity: if score >= 0.9 { "high" } else { "medium" }.into(),
                summary: format!(
                    "customer {customer} resembles {} ({entity}), score {score:.2}: screened \
                     through /match",
                    result["caption"].as_str().unwrap_or_default()
                ),
                detail: json!({ "query": response["query"], "result": result }),
            });
        }
    }
    alerts
}

async fn search(
    State(app): State<AppState>,
    Path(dataset): Path<String>,
    params: RawParams,
) -> Result<Json<Value>, ApiError> {
    let params = Params::read(params, &["q", "schema", "limit", "offset", "threshold"])?;
    let text = params.text("q").unwrap_or_default().trim().to_string();
    if text.is_empty() {
        return Err(ApiError::bad_request(
            "invalid_parameter",
            "q is missing or empty: give the name to search for",
        ));
    }
    if text.chars().count() > MAX_VALUE_CHARS {
        return Err(ApiError::bad_request(
            "value_too_long",
            format!("q has more than {MAX_VALUE_CHARS} characters"),
        ));
    }
    let schema = params.text("schema").map(str::to_string);
    if let Some(s) = schema
        .as_deref()
        .filter(|s| interdict_model::Model::get().schema(s).is_none())
    {
        return Err(ApiError::bad_request(
            "unknown_schema",
            format!("schema={s:?} is not an FtM schema"),
        ));
    }
    let limit = params.count("limit", 10, MAX_LIMIT)?;
    let offset = params.count("offset", 0, 10_000)?;
    let threshold = params.score("threshold")?.unwrap_or(0.5);
    let snapshot = app.snapshot()?;
    check_dataset(&snapshot, &dataset)?;
    let answer = tokio::task::spawn_blocking(move || {
        let query = Query::name(text);
        let keep = |id: &str| {
            snapshot.in_dataset(id, &dataset)
                && schema.as_deref().is_none_or(|s| {
                    snapshot
                        .listed
                        .get(id)
                        .is_some_and(|l| l.schema == s || is_a(l.schema, s))
                })
        };
        let hits = snapshot
            .index
            .screen_where(&query, offset + limit, threshold, keep);
        let total = hits.len();
        let results: Vec<Value> = hits
            .into_iter()
            .skip(offset)
            .map(|m| {
                let listed = snapshot.listed.get(&m.entity_id);
                json!({
                    "id": m.entity_id, "caption": m.caption, "schema": m.schema,
                    "properties": listed.map(|l| l.properties.as_ref()),
                    "datasets": listed.map(|l| l.datasets.as_slice()),
                    "score": m.score, "matched_name": m.matched_name,
                })
            })
            .collect();
        json!({
            "results": results,
            "total": {"value": total, "relation": if total == offset + limit { "gte" } else { "eq" }},
            "limit": limit,
            "offset": offset,
        })
    })
    .await
    .map_err(ApiError::internal)?;
    Ok(Json(answer))
}

fn is_a(schema: &str, ancestor: &str) -> bool {
    interdict_model::Model::get()
        .schema(schema)
        .is_some_and(|s| s.is_a(ancestor))
}

/// One entity as the store holds it now: yente's shape, with each value's provenance and the
/// entities around it.
async fn entity(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let own = app
        .store
        .entity_statements(&id)
        .await
        .map_err(ApiError::internal)?;
    if own.is_empty() {
        return Err(ApiError::no_entity(&id));
    }
    let view = entity::load(app.store.as_ref(), &id)
        .await
        .map_err(ApiError::internal)?;
    let properties: serde_json::Map<String, Value> = view
        .properties
        .iter()
        .map(|(prop, values)| {
            (
                prop.clone(),
                values.iter().map(|v| json!(v.value)).collect(),
            )
        })
        .collect();
    Ok(Json(json!({
        "id": view.id,
        "caption": view.caption,
        "schema": view.schema,
        "properties": properties,
        "datasets": view.datasets,
        "provenance": view.properties,
        "sanctions": view.sanctions,
        "links": view.links,
        "addresses": view.addresses,
        "identifications": view.identifications,
        "wallets": view.wallets,
    })))
}

/// Is the entity blocked, listed or by the 50% rule, by which paths, and what weaker links tie
/// it to designated parties.
async fn exposure(
    State(app): State<AppState>,
    Path(id): Path<String>,
    params: RawParams,
) -> Result<Json<Value>, ApiError> {
    let params = Params::read(params, &["depth", "as_of", "mode"])?;
    let depth = params.count("depth", 3, 6)?;
    let mode = match params.text("mode") {
        None | Some("ofac") => Mode::Ofac,
        Some("eu-uk") => Mode::EuUk,
        Some(other) => {
            return Err(ApiError::bad_request(
                "invalid_parameter",
                format!("mode={other:?}: use ofac or eu-uk"),
            ));
        }
    };
    let as_of = params.text("as_of").map(str::to_string);
    if let Some(day) = as_of
        .as_deref()
        .filter(|d| !interdict_lists::source::is_iso_date(d))
    {
        return Err(ApiError::bad_request(
            "invalid_parameter",
            format!("as_of={day:?} is not a YYYY-MM-DD date"),
        ));
    }
    let snapshot = app.snapshot()?;
    let Some(node) = snapshot.network.graph.node(&id) else {
        return Err(ApiError::no_entity(&id));
    };
    let answer = tokio::task::spawn_blocking(move || {
        let day = as_of.unwrap_or_else(|| snapshot.as_of.clone());
        let options = Options {
            as_of: Some(&day),
            mode,
        };
        let fresh;
        let derivation = if day == snapshot.as_of && mode == Mode::Ofac {
            &snapshot.derivation
        } else {
            fresh = snapshot.network.derive(&options);
            &fresh
        };
        let exposure = snapshot
            .network
            .graph
            .exposure(node, derivation, &options, depth);
        let mut report = json!(exposure);
        report["caption"] = json!(snapshot.network.caption(&exposure.id));
        report["as_of"] = json!(day);
        report
    })
    .await
    .map_err(ApiError::internal)?;
    Ok(Json(answer))
}

/// The entities that point at this one (sanctions, links, documents), by the property that
/// points: yente's `adjacent` shape.
async fn adjacent(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let own = app
        .store
        .entity_statements(&id)
        .await
        .map_err(ApiError::internal)?;
    let Some(entity) = entities_from_statements(&own)
        .map_err(ApiError::internal)?
        .pop()
    else {
        return Err(ApiError::no_entity(&id));
    };
    let mut by_prop: std::collections::BTreeMap<String, Vec<Value>> = Default::default();
    let mut seen = HashSet::new();
    for statement in app
        .store
        .referencing_statements(&id)
        .await
        .map_err(ApiError::internal)?
    {
        if !seen.insert((statement.entity_id.clone(), statement.prop.clone())) {
            continue;
        }
        let statements = app
            .store
            .entity_statements(&statement.entity_id)
            .await
            .map_err(ApiError::internal)?;
        if let Some(other) = entities_from_statements(&statements)
            .map_err(ApiError::internal)?
            .pop()
        {
            let key = other
                .schema
                .property(&statement.prop)
                .and_then(|p| p.reverse)
                .unwrap_or(&statement.prop)
                .to_string();
            by_prop.entry(key).or_default().push(other.to_ftm_json());
        }
    }
    let adjacent: serde_json::Map<String, Value> = by_prop
        .into_iter()
        .map(|(prop, results)| {
            let total = results.len();
            (
                prop,
                json!({"results": results, "total": {"value": total, "relation": "eq"}}),
            )
        })
        .collect();
    Ok(Json(
        json!({"entity": entity.to_ftm_json(), "adjacent": adjacent}),
    ))
}

async fn catalog(State(app): State<AppState>) -> Result<Json<Value>, ApiError> {
    let snapshot = app.snapshot()?;
    let datasets: Vec<Value> = snapshot
        .versions
        .values()
        .map(|v| {
            json!({"name": v.dataset, "version": v.version, "entity_count": v.entity_count,
                   "content_hash": v.content_hash, "ingested_at": v.ingested_at})
        })
        .collect();
    Ok(Json(json!({
        "datasets": datasets,
        "collections": ["default", "sanctions"],
        "algorithm": ALGORITHM_VERSION,
    })))
}

async fn list_suppressions(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    params: RawParams,
) -> Result<Json<Value>, ApiError> {
    caller.need(crate::users::Role::Analyst)?;
    let params = Params::read(params, &["customer_id"])?;
    let found = app
        .store
        .suppressions(params.text("customer_id"))
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(json!({ "suppressions": found })))
}

/// A decision as posted: it is recorded as made by the caller.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SuppressionBody {
    customer_id: String,
    entity_id: String,
    reason: String,
    /// The caller's own name, if given at all.
    #[serde(default)]
    decided_by: Option<String>,
    /// Set by the store; accepted and ignored.
    #[serde(default, rename = "decided_at")]
    _decided_at: Option<String>,
}

async fn add_suppression(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Result<Bytes, BytesRejection>,
) -> Result<impl IntoResponse, ApiError> {
    caller.need(crate::users::Role::Analyst)?;
    let body: SuppressionBody = json_body(body)?;
    if let Some(other) = body.decided_by.as_ref().filter(|by| **by != caller.name) {
        return Err(ApiError::bad_request(
            "invalid_suppression",
            format!(
                "decided_by: {other:?} is not you ({}); the decision is recorded as yours, so \
                 leave decided_by out",
                caller.name
            ),
        ));
    }
    let decision = Suppression {
        customer_id: body.customer_id,
        entity_id: body.entity_id,
        reason: body.reason,
        decided_by: caller.name.clone(),
        decided_at: String::new(),
    };
    let known = !app
        .store
        .entity_statements(&decision.entity_id)
        .await
        .map_err(ApiError::internal)?
        .is_empty();
    if !known {
        return Err(ApiError::bad_request(
            "invalid_suppression",
            format!(
                "entity_id: no entity {:?} in the store (ids look like ofac-6861)",
                decision.entity_id
            ),
        ));
    }
    match caller.store(&app).add_suppression(&decision).await {
        Ok(stored) => Ok((StatusCode::CREATED, Json(json!(stored)))),
        Err(interdict_store::StoreError::Invalid(message)) => {
            Err(ApiError::bad_request("invalid_suppression", message))
        }
        Err(e) => Err(ApiError::internal(e)),
    }
}

async fn remove_suppression(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((customer_id, entity_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    caller.need(crate::users::Role::Analyst)?;
    let removed = caller
        .store(&app)
        .remove_suppression(&customer_id, &entity_id)
        .await
        .map_err(ApiError::internal)?;
    if removed {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(
            "suppression_not_found",
            format!("no suppression of {entity_id:?} for customer {customer_id:?}"),
        ))
    }
}

async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

async fn readyz(State(app): State<AppState>) -> Result<Json<Value>, ApiError> {
    let snapshot = app.snapshot()?;
    Ok(Json(json!({
        "status": "ready",
        "parties": snapshot.index.len(),
        "list_versions": list_versions(&snapshot),
        "index_built_at": snapshot.built_at,
        "index_build_millis": snapshot.build_millis,
        "algorithm": ALGORITHM_VERSION,
    })))
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}

fn check_dataset(snapshot: &Snapshot, dataset: &str) -> Result<(), ApiError> {
    if snapshot.covers(dataset) {
        return Ok(());
    }
    let mut known: Vec<&str> = vec!["default", "sanctions"];
    known.extend(snapshot.versions.keys().map(String::as_str));
    Err(ApiError::not_found(
        "dataset_not_found",
        format!("no dataset {dataset:?}; known: {}", known.join(", ")),
    ))
}

fn list_versions(snapshot: &Snapshot) -> Value {
    snapshot
        .versions
        .values()
        .map(|v| (v.dataset.clone(), json!(v.version)))
        .collect::<serde_json::Map<_, _>>()
        .into()
}
