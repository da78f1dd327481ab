//! What changed between two versions of a list.
//!
//! Diffs are made from statements, and reported per party: the sanctions,
//! addresses, documents, wallets and links that hang off a party (derived
//! entities, whose ids are hashes of their content) are folded into it as
//! pseudo-properties (`sanctions`, `addresses`, …), so a new program tag reads
//! as "SINALOA CARTEL: sanctions +FTO" rather than as an anonymous new entity.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use interdict_model::{Entity, ModelError, Statement, entities_from_statements};
use serde::Serialize;

/// How a party changed between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityDiff {
    pub id: String,
    pub schema: String,
    pub caption: String,
    /// Property changes, by property name (pseudo-properties for folded entities).
    pub changes: BTreeMap<String, ValueChange>,
}

/// The values of one property that went away and that came.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ValueChange {
    pub removed: Vec<String>,
    pub added: Vec<String>,
}

/// The difference between two versions: parties added, removed and changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ListDiff {
    pub added: Vec<EntityDiff>,
    pub removed: Vec<EntityDiff>,
    pub changed: Vec<EntityDiff>,
    /// Statements only in the older version / only in the newer one.
    pub statements_removed: usize,
    pub statements_added: usize,
}

/// Compares two versions given as their statements (`old` before `new`).
pub fn diff(old: &[Statement], new: &[Statement]) -> Result<ListDiff, ModelError> {
    let old_ids: BTreeSet<_> = old.iter().map(|s| s.id).collect();
    let new_ids: BTreeSet<_> = new.iter().map(|s| s.id).collect();
    let before = fold(&entities_from_statements(old)?);
    let after = fold(&entities_from_statements(new)?);
    let mut out = ListDiff {
        statements_removed: old_ids.difference(&new_ids).count(),
        statements_added: new_ids.difference(&old_ids).count(),
        ..ListDiff::default()
    };
    for (id, party) in &after {
        match before.get(id) {
            None => out.added.push(party.against(&Folded::default())),
            Some(prev) if prev.values != party.values || prev.schema != party.schema => {
                out.changed.push(party.against(prev));
            }
            Some(_) => {}
        }
    }
    for (id, party) in &before {
        if !after.contains_key(id) {
            out.removed.push(Folded::default().against_named(party));
        }
    }
    Ok(out)
}

/// A party with its own values and those of the entities folded into it.
#[derive(Debug, Default)]
struct Folded {
    id: String,
    schema: String,
    caption: String,
    values: BTreeMap<String, BTreeSet<String>>,
}

impl Folded {
    /// The change from `prev` to `self`.
    fn against(&self, prev: &Folded) -> EntityDiff {
        let mut changes = BTreeMap::new();
        let props: BTreeSet<&String> = self.values.keys().chain(prev.values.keys()).collect();
        let empty = BTreeSet::new();
        for prop in props {
            let (was, now) = (
                prev.values.get(prop).unwrap_or(&empty),
                self.values.get(prop).unwrap_or(&empty),
            );
            let change = ValueChange {
                removed: was.difference(now).cloned().collect(),
                added: now.difference(was).cloned().collect(),
            };
            if !change.removed.is_empty() || !change.added.is_empty() {
                changes.insert(prop.clone(), change);
            }
        }
        if !prev.schema.is_empty() && prev.schema != self.schema {
            let change = ValueChange {
                removed: vec![prev.schema.clone()],
                added: vec![self.schema.clone()],
            };
            changes.insert("schema".into(), change);
        }
        EntityDiff {
            id: self.id.clone(),
            schema: self.schema.clone(),
            caption: self.caption.clone(),
            changes,
        }
    }

    /// A removal: every value of `gone` reported as removed.
    fn against_named(&self, gone: &Folded) -> EntityDiff {
        let mut diff = self.against(gone);
        diff.id.clone_from(&gone.id);
        diff.schema.clone_from(&gone.schema);
        diff.caption.clone_from(&gone.caption);
        diff
    }
}

/// Which derived schemata fold into which party, through which property, under which name.
const FOLDS: &[(&str, &str, &str)] = &[
    ("Sanction", "entity", "sanctions"),
    ("Identification", "holder", "identifications"),
    ("Passport", "holder", "identifications"),
    ("CryptoWallet", "holder", "wallets"),
    ("UnknownLink", "subject", "links"),
];

fn fold(entities: &[Entity]) -> BTreeMap<String, Folded> {
    let by_id: HashMap<&str, &Entity> = entities.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut parties: BTreeMap<String, Folded> = BTreeMap::new();
    let mut folded_into: Vec<(String, String, String)> = Vec::new();
    let mut addresses: BTreeSet<&str> = BTreeSet::new();
    for entity in entities {
        let fold = FOLDS
            .iter()
            .find(|(schema, _, _)| entity.schema.name == *schema);
        match fold.and_then(|(_, via, name)| entity.first(via).map(|owner| (owner, name))) {
            Some((owner, name)) => folded_into.push((
                owner.to_string(),
                name.to_string(),
                describe(entity, &by_id),
            )),
            None if entity.schema.name == "Address" => {}
            None => {
                let mut party = Folded {
                    id: entity.id.clone(),
                    schema: entity.schema.name.to_string(),
                    caption: entity.caption().to_string(),
                    values: BTreeMap::new(),
                };
                for (prop, value) in entity.iter() {
                    if prop.name == "addressEntity" {
                        addresses.insert(&value.value);
                        let text = by_id
                            .get(value.value.as_str())
                            .map_or(value.value.clone(), |a| describe(a, &by_id));
                        party
                            .values
                            .entry("addresses".into())
                            .or_default()
                            .insert(text);
                    } else {
                        party
                            .values
                            .entry(prop.name.to_string())
                            .or_default()
                            .insert(value.value.clone());
                    }
                }
                parties.insert(entity.id.clone(), party);
            }
        }
    }
    for (owner, name, text) in folded_into {
        if let Some(party) = parties.get_mut(&owner) {
            party.values.entry(name).or_default().insert(text);
        }
    }
    // An address no party points at is still reported, as a party of its own.
    for entity in entities
        .iter()
        .filter(|e| e.schema.name == "Address" && !addresses.contains(e.id.as_str()))
    {
        let party = Folded {
            id: entity.id.clone(),
            schema: "Address".into(),
            caption: entity.caption().to_string(),
            values: [("full".to_string(), [describe(entity, &by_id)].into())].into(),
        };
        parties.insert(entity.id.clone(), party);
    }
    parties
}

/// A one-line description of a folded entity: its defining values, referenced entities by caption.
fn describe(entity: &Entity, by_id: &HashMap<&str, &Entity>) -> String {
    let skip = ["entity", "holder", "subject"];
    let parts: Vec<String> = entity
        .iter()
        .filter(|(p, _)| !skip.contains(&p.name))
        .map(|(p, v)| {
            let value = match by_id.get(v.value.as_str()) {
                Some(target) if p.prop_type == interdict_model::PropType::Entity => {
                    target.caption().to_string()
                }
                _ => v.value.clone(),
            };
            format!("{}={}", p.name, value)
        })
        .collect();
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use interdict_model::Label;

    use super::*;

    fn statements(entities: &[Entity], date: &str) -> Vec<Statement> {
        entities
            .iter()
            .flat_map(|e| Statement::from_entity(e, "ofac-sdn", date, &Label::public()))
            .collect()
    }

    fn org(id: &str, name: &str) -> Entity {
        let mut e = Entity::new(id, "Organization").unwrap();
        e.add("name", name).unwrap();
        e
    }

    fn sanction(target: &str, program: &str) -> Entity {
        let mut e = Entity::new(
            interdict_model::ids::derived("ofac-san", &[target, program]),
            "Sanction",
        )
        .unwrap();
        e.add("entity", target).unwrap();
        e.add("program", program).unwrap();
        e
    }

    #[test]
    fn parties_are_added_removed_and_changed_with_folded_sanctions() {
        let old = statements(
            &[
                org("ofac-11438", "LOS ZETAS"),
                sanction("ofac-11438", "SDNTK"),
                org("ofac-1", "GONE"),
                org("ofac-2", "SAME"),
            ],
            "2021-07-07",
        );
        let mut renamed = org("ofac-11438", "CARTEL DEL NORESTE");
        renamed.add("weakAlias", "LOS ZETAS").unwrap();
        let new = statements(
            &[
                renamed,
                sanction("ofac-11438", "SDNTK"),
                sanction("ofac-11438", "FTO"),
                org("ofac-2", "SAME"),
                org("ofac-3", "NEW"),
            ],
            "2024-05-03",
        );
        let d = diff(&old, &new).unwrap();
        assert_eq!(
            d.added.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
            ["ofac-3"]
        );
        assert_eq!(
            d.removed.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
            ["ofac-1"]
        );
        assert_eq!(d.removed[0].changes["name"].removed, ["GONE"]);
        assert_eq!(d.changed.len(), 1);
        let zetas = &d.changed[0].changes;
        assert_eq!(
            zetas["name"],
            ValueChange {
                removed: vec!["LOS ZETAS".into()],
                added: vec!["CARTEL DEL NORESTE".into()]
            }
        );
        assert_eq!(zetas["weakAlias"].added, ["LOS ZETAS"]);
        assert_eq!(zetas["sanctions"].added, ["program=FTO"]);
        assert!(zetas["sanctions"].removed.is_empty());
        assert_eq!(d.statements_added, 1 + 1 + 2 + 1);
        assert_eq!(d.statements_removed, 1 + 1);
    }

    #[test]
    fn identical_versions_have_no_diff() {
        let v = statements(
            &[org("ofac-2", "SAME"), sanction("ofac-2", "SDGT")],
            "2024-05-03",
        );
        let d = diff(&v, &v).unwrap();
        assert!(d.added.is_empty() && d.removed.is_empty() && d.changed.is_empty());
        assert_eq!((d.statements_added, d.statements_removed), (0, 0));
    }
}
