//! Statements: one property value of one entity, with where it came from and who may see it.

use std::collections::BTreeMap;
use std::fmt;

use sha2::{Digest, Sha256};

use crate::entity::Entity;
use crate::error::ModelError;
use crate::label::Label;
use crate::schema::{Model, PropType};

/// A statement's identity: a hash of dataset, entity, schema, property and value.
///
/// The same fact read from two versions of a list has the same id, which is how
/// versions are compared and how first/last seen are kept.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatementId(pub [u8; 16]);

impl StatementId {
    pub fn compute(dataset: &str, entity_id: &str, schema: &str, prop: &str, value: &str) -> Self {
        let mut hasher = Sha256::new();
        for part in [dataset, entity_id, schema, prop, value] {
            hasher.update(part.as_bytes());
            hasher.update([0u8]);
        }
        let digest = hasher.finalize();
        let mut id = [0u8; 16];
        id.copy_from_slice(&digest[..16]);
        StatementId(id)
    }

    pub fn to_hex(self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Debug for StatementId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StatementId({})", self.to_hex())
    }
}

/// Where a statement came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The list, e.g. `ofac-sdn`.
    pub dataset: String,
    /// The record in the source, e.g. `sdn.csv#6861` or `alt.csv#220`.
    pub source_id: Option<String>,
    /// Date of the first list version that held it.
    pub first_seen: String,
    /// Date of the last list version that held it.
    pub last_seen: String,
}

/// One property value of one entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub id: StatementId,
    pub entity_id: String,
    pub schema: String,
    pub prop: String,
    pub prop_type: PropType,
    pub value: String,
    pub provenance: Provenance,
    pub label: Label,
}

impl Statement {
    /// Every value of `entity` as statements of `dataset`, seen in the version dated `seen`.
    pub fn from_entity(entity: &Entity, dataset: &str, seen: &str, label: &Label) -> Vec<Self> {
        entity
            .iter()
            .map(|(prop, v)| Statement {
                id: StatementId::compute(
                    dataset,
                    &entity.id,
                    entity.schema.name,
                    prop.name,
                    &v.value,
                ),
                entity_id: entity.id.clone(),
                schema: entity.schema.name.to_string(),
                prop: prop.name.to_string(),
                prop_type: prop.prop_type,
                value: v.value.clone(),
                provenance: Provenance {
                    dataset: dataset.to_string(),
                    source_id: v.origin.clone().or_else(|| entity.origin.clone()),
                    first_seen: seen.to_string(),
                    last_seen: seen.to_string(),
                },
                label: label.clone(),
            })
            .collect()
    }
}

/// Rebuilds entities from statements, merging what several datasets say of one id.
///
/// Statements of one entity whose schemata do not descend from one another are
/// an error: the store never holds such a pair for one id.
pub fn entities_from_statements<'a>(
    statements: impl IntoIterator<Item = &'a Statement>,
) -> Result<Vec<Entity>, ModelError> {
    let mut by_id: BTreeMap<&str, Vec<&Statement>> = BTreeMap::new();
    for s in statements {
        by_id.entry(&s.entity_id).or_default().push(s);
    }
    let mut out = Vec::with_capacity(by_id.len());
    for (id, stmts) in by_id {
        let mut schema = stmts[0].schema.as_str();
        for s in &stmts[1..] {
            schema = Model::get()
                .common(schema, &s.schema)
                .ok_or_else(|| ModelError::SchemaConflict {
                    id: id.into(),
                    left: schema.into(),
                    right: s.schema.clone(),
                })?
                .name;
        }
        let mut entity = Entity::new(id, schema)?;
        for s in stmts {
            entity.add_from(&s.prop, &s.value, s.provenance.source_id.clone())?;
        }
        out.push(entity);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_fact_same_id_other_fact_other_id() {
        let a = StatementId::compute("ofac-sdn", "ofac-1", "Person", "name", "A");
        assert_eq!(
            a,
            StatementId::compute("ofac-sdn", "ofac-1", "Person", "name", "A")
        );
        assert_ne!(
            a,
            StatementId::compute("ofac-cons", "ofac-1", "Person", "name", "A")
        );
        // The separator keeps field boundaries: ("ab","c") is not ("a","bc").
        assert_ne!(
            StatementId::compute("d", "ab", "Person", "name", "c"),
            StatementId::compute("d", "a", "Person", "bname", "c")
        );
    }

    #[test]
    fn statements_round_trip_to_entities_across_datasets() {
        let mut sdn = Entity::new("ofac-9639", "Person")
            .unwrap()
            .with_origin("sdn.csv#9639");
        sdn.add("name", "HANIYA, Ismail").unwrap();
        let mut cons = Entity::new("ofac-9639", "Person").unwrap();
        cons.add_from("alias", "HANIYYA, Ismaeel", Some("cons_alt.csv#9151"))
            .unwrap();
        let mut all = Statement::from_entity(&sdn, "ofac-sdn", "2024-05-03", &Label::public());
        all.extend(Statement::from_entity(
            &cons,
            "ofac-cons",
            "2025-12-19",
            &Label::public(),
        ));
        assert_eq!(all[0].provenance.source_id.as_deref(), Some("sdn.csv#9639"));
        let merged = entities_from_statements(&all).unwrap();
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].first("alias"), Some("HANIYYA, Ismaeel"));
        assert_eq!(merged[0].first("name"), Some("HANIYA, Ismail"));
    }
}
