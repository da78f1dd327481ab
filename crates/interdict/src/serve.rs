//! `interdict serve`: the screening API over HTTP, in yente's shape.
//!
//! The listener opens at once, so `/healthz` answers while the index is built; `/readyz` and
//! the screening routes answer 503 until it is. A background task watches the store's list
//! versions and swaps in a new index, built beside the old one, when they change: requests in
//! flight finish on the snapshot they started with.

mod accounts;
mod api;
mod auth;
mod cases;
mod error;
mod flow;
mod matching;
mod request;
mod snapshot;
mod workflow;

use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::{Context, Result};
use interdict_store::Store;
use tracing::{error, info};

use crate::cli::ServeArgs;
use crate::ingest::IngestPlan;
use api::AppState;

pub async fn run(store: Arc<dyn Store>, args: &ServeArgs) -> Result<()> {
    let rules = crate::monitor::read_rules(args.rules.as_deref())?;
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    let address = listener.local_addr()?;
    // Scripts and tests read the address from this line (the port may have been 0).
    eprintln!("interdict listening on http://{address}");
    let state = AppState {
        store: store.clone(),
        snapshot: Arc::new(RwLock::new(None)),
        flow: flow::FlowState::new(rules),
        auth: auth::Auth::new(),
        screening: Arc::new(tokio::sync::Mutex::new(())),
    };
    let loader = tokio::spawn(keep_current(state.clone(), args.clone()));
    let served = axum::serve(listener, api::router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
            info!("shutting down");
        })
        .await;
    loader.abort();
    served.context("serving HTTP")
}

/// Loads the lists (ingesting the bundled ones into an empty store), builds the index, then
/// rebuilds it whenever a list version changes.
async fn keep_current(state: AppState, args: ServeArgs) {
    if let Err(e) = first_load(&state, &args).await {
        // The server stays up to say so on /readyz rather than vanish.
        error!("cannot build the screening index: {e:#}");
        eprintln!("error: cannot build the screening index: {e:#}");
        return;
    }
    let mut ticker = tokio::time::interval(Duration::from_secs(args.reload_interval.max(1)));
    ticker.tick().await;
    loop {
        ticker.tick().await;
        if let Err(e) = reload_if_changed(&state).await {
            error!("checking the lists for a new version failed: {e:#}");
        }
    }
}

async fn first_load(state: &AppState, args: &ServeArgs) -> Result<()> {
    let store = state.store.as_ref();
    if store.versions(None).await?.is_empty() {
        if args.no_bundled {
            anyhow::bail!("the store holds no lists; run `interdict ingest` first");
        }
        eprintln!("the store is empty: ingesting the bundled lists");
        IngestPlan::bundled()?.run(store).await?;
    }
    swap_in(state).await
}

async fn reload_if_changed(state: &AppState) -> Result<()> {
    let current = snapshot::current_versions(state.store.as_ref()).await?;
    let loaded = state
        .snapshot
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
        .map(|s| {
            let ids: Vec<i64> = s.versions.values().map(|v| v.id).collect();
            (ids, s.as_of.clone())
        });
    let ids: Vec<i64> = current.values().map(|v| v.id).collect();
    match loaded {
        Some((loaded, _)) if loaded != ids => {
            info!("a list version changed: rebuilding the screening index");
            swap_in(state).await?;
        }
        // Holdings start and end by date: a new day can change who is blocked.
        Some((_, day)) if day != crate::ingest::today() => {
            info!("a new day: rebuilding so that the 50% rule counts today's holdings");
            swap_in(state).await?;
        }
        _ => {}
    }
    Ok(())
}

async fn swap_in(state: &AppState) -> Result<()> {
    let built = snapshot::build(state.store.as_ref()).await?;
    let versions: Vec<String> = built
        .versions
        .values()
        .map(|v| format!("{} {}", v.dataset, v.version))
        .collect();
    eprintln!(
        "screening index ready: {} parties from {} in {} ms",
        built.index.len(),
        versions.join(", "),
        built.build_millis
    );
    let previous = state
        .snapshot
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    if let Some(previous) = previous {
        let changed = status_changes(&previous, &built);
        if !changed.is_empty() {
            let shown: Vec<&str> = changed.iter().take(10).map(String::as_str).collect();
            eprintln!(
                "{} parties changed status under the 50% rule: {}{}",
                changed.len(),
                shown.join(", "),
                if changed.len() > shown.len() {
                    ", …"
                } else {
                    ""
                }
            );
        }
    }
    // Transactions touching the wallets and accounts of whoever is blocked now alert at once.
    let watched =
        crate::monitor::blocked_accounts(state.store.as_ref(), &built.network, &built.derivation)
            .await?;
    state
        .flow
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .watch(&watched);
    *state.snapshot.write().unwrap_or_else(|p| p.into_inner()) = Some(built);
    Ok(())
}

/// Ids of parties whose derived status (blocked by ownership or control, or not) differs
/// between two snapshots.
fn status_changes(before: &snapshot::Snapshot, after: &snapshot::Snapshot) -> Vec<String> {
    let derived =
        |s: &snapshot::Snapshot| -> std::collections::BTreeMap<String, interdict_graph::Basis> {
            s.derivation
                .derived()
                .map(|n| {
                    (
                        s.network.graph.id(n).to_string(),
                        s.derivation.basis[n as usize],
                    )
                })
                .collect()
        };
    let (was, is) = (derived(before), derived(after));
    let mut changed: Vec<String> = is
        .iter()
        .filter(|(id, basis)| was.get(*id) != Some(basis))
        .map(|(id, _)| id.clone())
        .chain(was.keys().filter(|id| !is.contains_key(*id)).cloned())
        .collect();
    changed.sort();
    changed
}
