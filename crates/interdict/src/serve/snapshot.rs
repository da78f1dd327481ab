//! What the server answers from: the screening index and the listed parties it was built from,
//! all of one moment of the store, replaced whole when a list version changes.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Result, bail};
use interdict_model::Entity;
use interdict_screen::ScreenIndex;
use interdict_screen::index::PartyKind;
use interdict_store::{ListVersion, Store};
use serde_json::value::RawValue;

use crate::exposure::Network;
use interdict_graph::{Basis, Derivation, Mode, Options};

/// A listed party as results show it.
#[derive(Debug)]
pub struct Listed {
    pub schema: &'static str,
    /// The FtM `properties` object, serialised once.
    pub properties: Box<RawValue>,
    pub datasets: Vec<String>,
}

#[derive(Debug)]
pub struct Snapshot {
    pub index: ScreenIndex,
    pub listed: HashMap<String, Listed>,
    /// The current version of each dataset.
    pub versions: BTreeMap<String, ListVersion>,
    /// Ownership, control and other links, with the listed parties.
    pub network: Network,
    /// Everyone's status under OFAC's 50% rule on the day the snapshot was built.
    pub derivation: Derivation,
    pub as_of: String,
    pub built_at: String,
    pub build_millis: u128,
}

impl Snapshot {
    /// The dataset names a request may ask for: each list, and `default` / `sanctions` for
    /// all of them.
    pub fn covers(&self, dataset: &str) -> bool {
        matches!(dataset, "default" | "sanctions") || self.versions.contains_key(dataset)
    }

    /// Whether `entity_id` is in `dataset` (`default` / `sanctions` hold every list).
    pub fn in_dataset(&self, entity_id: &str, dataset: &str) -> bool {
        matches!(dataset, "default" | "sanctions")
            || self
                .listed
                .get(entity_id)
                .is_some_and(|l| l.datasets.iter().any(|d| d == dataset))
    }
}

impl Snapshot {
    /// An entity's status under OFAC's 50% rule today, with the paths when it is derived
    /// (blocked without being listed); `None` for ids the network does not hold.
    pub fn status_of(&self, id: &str) -> Option<serde_json::Value> {
        let node = self.network.graph.node(id)?;
        let basis = self.derivation.basis[node as usize];
        let mut status = serde_json::json!({
            "blocked": self.derivation.is_blocked(node),
            "basis": basis,
            "as_of": self.as_of,
        });
        if matches!(basis, Basis::Ownership | Basis::Control) {
            let options = Options {
                as_of: Some(&self.as_of),
                mode: Mode::Ofac,
            };
            let exposure = self
                .network
                .graph
                .exposure(node, &self.derivation, &options, 3);
            status["held"] = serde_json::json!(exposure.held.to_string());
            status["paths"] = serde_json::json!(exposure.paths);
        }
        Some(status)
    }
}

/// The ids of the current versions: when they change, the snapshot is stale.
pub async fn current_versions(store: &dyn Store) -> Result<BTreeMap<String, ListVersion>> {
    // Versions come oldest first per dataset, so the map keeps each dataset's current one.
    Ok(store
        .versions(None)
        .await?
        .into_iter()
        .map(|v| (v.dataset.clone(), v))
        .collect())
}

pub async fn build(store: &dyn Store) -> Result<Arc<Snapshot>> {
    let started = Instant::now();
    let versions = current_versions(store).await?;
    let mut entities: Vec<Entity> = Vec::new();
    let mut listed: HashMap<String, Listed> = HashMap::new();
    // Only designated or blocked parties are screened; a registry's other companies are not.
    let (network, as_of, derivation) =
        Network::load_for_screening(store, &mut |entity, datasets| {
            if PartyKind::of_schema(entity.schema.name).is_some() {
                let json = entity.to_ftm_json();
                let properties = RawValue::from_string(json["properties"].to_string())?;
                listed.insert(
                    entity.id.clone(),
                    Listed {
                        schema: entity.schema.name,
                        properties,
                        datasets: datasets.to_vec(),
                    },
                );
            }
            entities.push(entity);
            Ok(())
        })
        .await?;
    if entities.is_empty() {
        bail!("the store holds no lists");
    }
    let index = tokio::task::spawn_blocking(move || ScreenIndex::build(&entities)).await?;
    let now = time::OffsetDateTime::now_utc();
    Ok(Arc::new(Snapshot {
        index,
        listed,
        versions,
        network,
        derivation,
        as_of,
        built_at: now
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        build_millis: started.elapsed().as_millis(),
    }))
}
