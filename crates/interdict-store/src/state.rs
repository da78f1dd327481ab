//! Entity states: every statement one dataset makes about one entity, stored as one record.
//!
//! Lists change little between versions; storing a state per entity, keyed by a
//! hash of its content, keeps an unchanged entity once however many versions
//! hold it, and makes an import tens of thousands of rows rather than hundreds
//! of thousands. Backends store [`EntityState`]s; [`History`] turns a state and
//! the states of other versions back into statements with provenance.
//!
//! A state is JSON: `{"o": origin, "l": label, "v": [[prop, value], …]}`. A value
//! from a record other than the entity's own carries it third (`[prop, value,
//! source]`), and one with another label carries that fourth.

use std::collections::{HashMap, HashSet};

use interdict_model::{Entity, Label, Model, PropType, Provenance, Statement, StatementId};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::StoreError;

/// One value as read back from a state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredValue {
    pub prop: String,
    pub value: String,
    pub source_id: Option<String>,
    pub label: String,
}

#[derive(Deserialize)]
struct StateDoc {
    #[serde(rename = "o", default, skip_serializing_if = "Option::is_none")]
    origin: Option<String>,
    #[serde(rename = "l")]
    label: String,
    #[serde(rename = "v")]
    values: Vec<Vec<Option<String>>>,
}

/// What one dataset says about one entity.
#[derive(Debug, Clone)]
pub(crate) struct EntityState {
    pub hash: [u8; 16],
    pub dataset: String,
    pub entity_id: String,
    pub schema: String,
    pub json: String,
    /// Entity ids this state's entity-valued statements point at.
    pub targets: Vec<String>,
    pub statement_count: usize,
}

/// A version's entities sorted by id, each id once: the order states are written in.
pub(crate) fn sorted_unique(entities: &[Entity]) -> Result<Vec<&Entity>, StoreError> {
    let mut sorted: Vec<&Entity> = entities.iter().collect();
    sorted.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    if let Some(pair) = sorted.windows(2).find(|w| w[0].id == w[1].id) {
        return Err(StoreError::Invalid(format!(
            "entity {} appears twice in one version",
            pair[0].id
        )));
    }
    Ok(sorted)
}

/// The written form of [`StateDoc`], borrowing from the entity.
#[derive(Serialize)]
struct StateOut<'a> {
    #[serde(rename = "o", skip_serializing_if = "Option::is_none")]
    origin: Option<&'a str>,
    #[serde(rename = "l")]
    label: &'a str,
    #[serde(rename = "v")]
    values: Vec<Vec<&'a str>>,
}

/// One state per entity.
pub(crate) fn states_of(dataset: &str, label: &Label, entities: &[&Entity]) -> Vec<EntityState> {
    entities
        .iter()
        .map(|e| state_of(dataset, label, e))
        .collect()
}

fn state_of(dataset: &str, label: &Label, entity: &Entity) -> EntityState {
    let mut values: Vec<Vec<&str>> = Vec::new();
    let mut targets = Vec::new();
    for (prop, v) in entity.iter() {
        let mut doc = vec![prop.name, v.value.as_str()];
        if let Some(source) = v
            .origin
            .as_deref()
            .filter(|o| Some(*o) != entity.origin.as_deref())
        {
            doc.push(source);
        }
        values.push(doc);
        if prop.prop_type == PropType::Entity {
            targets.push(v.value.clone());
        }
    }
    // Properties come sorted; values are sorted within them so equal content hashes equally.
    values.sort_unstable();
    targets.sort_unstable();
    targets.dedup();
    let statement_count = values.len();
    let doc = StateOut {
        origin: entity.origin.as_deref(),
        label: label.as_str(),
        values,
    };
    let json = serde_json::to_string(&doc).expect("strings serialize");
    EntityState {
        hash: state_hash(dataset, &entity.id, entity.schema.name, &json),
        dataset: dataset.to_string(),
        entity_id: entity.id.clone(),
        schema: entity.schema.name.to_string(),
        json,
        targets,
        statement_count,
    }
}

fn state_hash(dataset: &str, entity_id: &str, schema: &str, json: &str) -> [u8; 16] {
    let mut hasher = Sha256::new();
    for part in [dataset, entity_id, schema, json] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    let mut hash = [0u8; 16];
    hash.copy_from_slice(&hasher.finalize()[..16]);
    hash
}

/// Reads a stored state's values.
pub(crate) fn decode(json: &str) -> Result<Vec<StoredValue>, StoreError> {
    let doc: StateDoc = serde_json::from_str(json)
        .map_err(|e| StoreError::Corrupt(format!("entity state: {e}")))?;
    doc.values
        .into_iter()
        .map(|v| {
            let mut parts = v.into_iter();
            let (Some(Some(prop)), Some(Some(value))) = (parts.next(), parts.next()) else {
                return Err(StoreError::Corrupt(
                    "entity state value without property or value".into(),
                ));
            };
            let source_id = parts.next().flatten().or_else(|| doc.origin.clone());
            let label = parts.next().flatten().unwrap_or_else(|| doc.label.clone());
            Ok(StoredValue {
                prop,
                value,
                source_id,
                label,
            })
        })
        .collect()
}

/// One version's state of one entity, as read back.
#[derive(Debug, Clone)]
pub(crate) struct StateRow {
    pub entity_id: String,
    pub dataset: String,
    /// The version's date.
    pub version: String,
    pub hash: [u8; 16],
    pub schema: String,
    pub json: String,
}

/// The versions of a dataset that held an entity: what first/last seen come from.
#[derive(Debug, Default)]
pub(crate) struct History {
    /// (version date, state hash), one per version that held the entity.
    pub versions: Vec<(String, [u8; 16])>,
}

impl History {
    /// The statements of `row`, each seen from the first to the last version that held it.
    ///
    /// `others` holds the (property, value) pairs of every other state in the history
    /// whose hash differs from `row`'s.
    pub fn statements(
        &self,
        row: &StateRow,
        others: &HashMap<[u8; 16], HashSet<(String, String)>>,
    ) -> Result<Vec<Statement>, StoreError> {
        let values = decode(&row.json)?;
        let mut seen: Vec<(String, String)> =
            vec![(row.version.clone(), row.version.clone()); values.len()];
        for (date, hash) in &self.versions {
            if *date == row.version {
                continue;
            }
            let other = match *hash == row.hash {
                true => None,
                false => Some(
                    others
                        .get(hash)
                        .ok_or_else(|| StoreError::Corrupt("missing entity state".into()))?,
                ),
            };
            for (value, (first, last)) in values.iter().zip(seen.iter_mut()) {
                let held =
                    other.is_none_or(|o| o.contains(&(value.prop.clone(), value.value.clone())));
                if held {
                    if date < first {
                        first.clone_from(date);
                    }
                    if date > last {
                        last.clone_from(date);
                    }
                }
            }
        }
        values
            .into_iter()
            .zip(seen)
            .map(|(v, (first, last))| to_statement(row, v, first, last))
            .collect()
    }
}

fn to_statement(
    row: &StateRow,
    v: StoredValue,
    first_seen: String,
    last_seen: String,
) -> Result<Statement, StoreError> {
    let prop_type = Model::get()
        .schema(&row.schema)
        .and_then(|s| s.property(&v.prop))
        .map(|p| p.prop_type)
        .ok_or_else(|| StoreError::Corrupt(format!("{} has no property {}", row.schema, v.prop)))?;
    Ok(Statement {
        id: StatementId::compute(&row.dataset, &row.entity_id, &row.schema, &v.prop, &v.value),
        entity_id: row.entity_id.clone(),
        schema: row.schema.clone(),
        prop: v.prop,
        prop_type,
        value: v.value,
        provenance: Provenance {
            dataset: row.dataset.clone(),
            source_id: v.source_id,
            first_seen,
            last_seen,
        },
        label: Label::new(v.label),
    })
}

/// The (property, value) pairs of a stored state, for comparing versions.
pub(crate) fn value_keys(json: &str) -> Result<HashSet<(String, String)>, StoreError> {
    Ok(decode(json)?
        .into_iter()
        .map(|v| (v.prop, v.value))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_hash_their_content_and_decode_back() {
        let mut e = Entity::new("ofac-6861", "Person")
            .unwrap()
            .with_origin("sdn.csv#6861");
        e.add("name", "GUZMAN LOERA, Joaquin").unwrap();
        e.add_from("alias", "GUZMAN, Chapo", Some("alt.csv#4618"))
            .unwrap();
        let state = &states_of("ofac-sdn", &Label::public(), &[&e])[0];
        let values = decode(&state.json).unwrap();
        assert_eq!(
            values[0],
            StoredValue {
                prop: "alias".into(),
                value: "GUZMAN, Chapo".into(),
                source_id: Some("alt.csv#4618".into()),
                label: "PUBLIC".into()
            }
        );
        assert_eq!(values[1].source_id.as_deref(), Some("sdn.csv#6861"));
        let mut reordered = Entity::new("ofac-6861", "Person")
            .unwrap()
            .with_origin("sdn.csv#6861");
        reordered
            .add_from("alias", "GUZMAN, Chapo", Some("alt.csv#4618"))
            .unwrap();
        reordered.add("name", "GUZMAN LOERA, Joaquin").unwrap();
        assert_eq!(
            states_of("ofac-sdn", &Label::public(), &[&reordered])[0].hash,
            state.hash
        );
        assert!(sorted_unique(&[e.clone(), e]).is_err());
    }
}
