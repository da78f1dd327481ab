//! `POST /transactions`: batches of transactions into one monitor that lives as long as the
//! server, so patterns spanning batches are seen; the alerts each batch closes come back, and
//! are raised into the inbox as the caller's.

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::{Extension, State};
use axum::response::{IntoResponse, Response};
use interdict_flow::read::json_txn;
use interdict_flow::{Monitor, Names, Rules};
use interdict_store::NewAlert;
use serde_json::{Value, json};

use super::api::AppState;
use super::auth::Caller;
use super::error::ApiError;

/// The server's transaction stream: its monitor, names, and the count of rows taken so far
/// (rows without an `id` are named `line:N` by that count).
pub struct FlowState {
    monitor: Monitor,
    names: Names,
    rows: u64,
}

impl FlowState {
    pub fn new(rules: Rules) -> Arc<Mutex<Self>> {
        Arc::new(Mutex::new(Self {
            monitor: Monitor::new(rules),
            names: Names::default(),
            rows: 0,
        }))
    }

    /// Watches these accounts (identifier, through whom blocked) from now on, and no others.
    pub fn watch(&mut self, accounts: &[(String, String)]) {
        self.monitor.unblock_all();
        for (account, entity) in accounts {
            let account = self.names.account(account);
            self.monitor.block(account, entity);
        }
    }
}

/// The body is JSON lines in the shape `interdict monitor --format jsonl` reads. The alerts
/// the batch closes come back, and are raised into the inbox as the caller (`inbox_ids` says
/// under which ids; `null` for one raised before). While the store has no users the route is
/// open and the caller `anonymous`: the alerts are answered, not raised, so that nobody
/// unnamed writes to the store.
pub async fn post_transactions(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: String,
) -> Result<Json<Value>, Response> {
    // The caller may come from the token cache: raising alerts is a change, so a user
    // disabled since is refused before the monitor takes anything.
    super::auth::still_enabled(&app, &caller).await?;
    let flow = app.flow.clone();
    let (mut answer, to_raise) = tokio::task::spawn_blocking(move || {
        let mut state = flow.lock().unwrap_or_else(|p| p.into_inner());
        take(&mut state, &body)
    })
    .await
    .map_err(|e| ApiError::internal(e).into_response())?;
    if caller.user.is_none() {
        answer["inbox_ids"] = Value::Null;
        return Ok(Json(answer));
    }
    let mut ids: Vec<Option<String>> = vec![None; to_raise.len()];
    if !to_raise.is_empty() {
        match caller.store(&app).raise_alerts(&to_raise).await {
            Ok(stored) => {
                for alert in stored {
                    if let Some(i) = to_raise
                        .iter()
                        .position(|r| r.dedupe == alert.raised.dedupe)
                    {
                        ids[i] = Some(alert.id);
                    }
                }
            }
            // The monitor has moved past these transactions, so they cannot be sent again:
            // the alerts are answered all the same, and the caller told they are not stored.
            Err(e) => {
                tracing::error!(error = %e, "raising monitoring alerts into the inbox failed");
                answer["inbox_error"] =
                    json!("the alerts could not be raised into the inbox; the failure is logged");
            }
        }
    }
    answer["inbox_ids"] = json!(ids);
    Ok(Json(answer))
}

fn take(state: &mut FlowState, body: &str) -> (Value, Vec<NewAlert>) {
    let FlowState {
        monitor,
        names,
        rows,
    } = state;
    let (mut accepted, mut refused, mut alerts) = (0u64, Vec::new(), Vec::new());
    for (i, text) in body.lines().enumerate() {
        if text.trim().is_empty() {
            continue;
        }
        *rows += 1;
        let line = i as u64 + 1;
        let txn = match json_txn(text, *rows, names) {
            Ok(txn) => txn,
            Err(e) => {
                refused.push(json!({"line": line, "field": e.field, "message": e.message}));
                continue;
            }
        };
        match monitor.push(&txn, names, &mut alerts) {
            Ok(()) => accepted += 1,
            Err(e) => refused.push(json!({"line": line, "field": null, "message": e.to_string()})),
        }
    }
    let inbox = alerts.iter().map(crate::monitor::inbox_alert).collect();
    let answer = json!({
        "accepted": accepted,
        "refused": refused,
        "alerts": alerts,
        "rules_version": monitor.rules_version(),
    });
    (answer, inbox)
}
