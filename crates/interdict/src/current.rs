//! The store's current entities, one at a time: statements arrive ordered by entity and are
//! regrouped here, so export and screening read the registry the same way.

use anyhow::Result;
use interdict_model::{Entity, Statement, entities_from_statements};
use interdict_store::{Store, StoreError};

/// Calls `sink` with each current entity and the datasets its statements come from.
pub async fn each_entity(
    store: &dyn Store,
    sink: &mut (dyn FnMut(Entity, &[String]) -> Result<()> + Send),
) -> Result<()> {
    let mut pending: Vec<Statement> = Vec::new();
    let mut failure: Option<anyhow::Error> = None;
    store
        .each_current_statement(&mut |s| {
            if pending.first().is_some_and(|p| p.entity_id != s.entity_id) {
                flush(&mut pending, sink).map_err(|e| {
                    let message = e.to_string();
                    failure = Some(e);
                    StoreError::Sink(message)
                })?;
            }
            pending.push(s);
            Ok(())
        })
        .await
        .map_err(|e| failure.take().unwrap_or_else(|| e.into()))?;
    flush(&mut pending, sink)
}

fn flush(
    pending: &mut Vec<Statement>,
    sink: &mut (dyn FnMut(Entity, &[String]) -> Result<()> + Send),
) -> Result<()> {
    if pending.is_empty() {
        return Ok(());
    }
    let mut datasets: Vec<String> = pending
        .iter()
        .map(|s| s.provenance.dataset.clone())
        .collect();
    datasets.sort_unstable();
    datasets.dedup();
    for entity in entities_from_statements(pending.iter())? {
        sink(entity, &datasets)?;
    }
    pending.clear();
    Ok(())
}
