//! `POST /transactions`: batches of transactions into one monitor that lives as long as the
//! server, so patterns spanning batches are seen; the alerts each batch closes come back.

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use interdict_flow::read::json_txn;
use interdict_flow::{Monitor, Names, Rules};
use serde_json::{Value, json};

use super::api::AppState;
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

/// The body is JSON lines in the shape `interdict monitor --format jsonl` reads.
pub async fn post_transactions(
    State(app): State<AppState>,
    body: String,
) -> Result<Json<Value>, ApiError> {
    let flow = app.flow.clone();
    let answer = tokio::task::spawn_blocking(move || {
        let mut state = flow.lock().unwrap_or_else(|p| p.into_inner());
        take(&mut state, &body)
    })
    .await
    .map_err(ApiError::internal)?;
    Ok(Json(answer))
}

fn take(state: &mut FlowState, body: &str) -> Value {
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
    json!({
        "accepted": accepted,
        "refused": refused,
        "alerts": alerts,
        "rules_version": monitor.rules_version(),
    })
}
