//! `interdict entity show`: one entity, every value with its provenance, its sanctions and links.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use anyhow::{Result, bail};
use interdict_model::{Entity, PropType, Statement, entities_from_statements};
use interdict_store::Store;
use serde::Serialize;
use serde_json::{Value, json};

/// Everything the store says about one entity.
#[derive(Debug, Serialize)]
pub struct EntityView {
    pub id: String,
    pub schema: String,
    pub caption: String,
    pub datasets: BTreeSet<String>,
    /// Each value with where it came from.
    pub properties: BTreeMap<String, Vec<SourcedValue>>,
    pub sanctions: Vec<Value>,
    pub links: Vec<Value>,
    pub addresses: Vec<Value>,
    pub identifications: Vec<Value>,
    pub wallets: Vec<Value>,
}

#[derive(Debug, Serialize)]
pub struct SourcedValue {
    pub value: String,
    pub dataset: String,
    /// The list version this value is read from (the current one of its dataset).
    pub version: String,
    pub source_id: Option<String>,
    pub first_seen: String,
    pub last_seen: String,
    pub label: String,
}

pub async fn show(store: &dyn Store, id: &str, json: bool, out: &mut impl Write) -> Result<()> {
    let view = load(store, id).await?;
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&view)?)?;
    } else {
        print(out, &view)?;
    }
    Ok(())
}

/// Reads an entity and the entities around it (one hop).
pub async fn load(store: &dyn Store, id: &str) -> Result<EntityView> {
    let own = store.entity_statements(id).await?;
    let Some(entity) = entities_from_statements(&own)?.pop() else {
        bail!("no entity {id} in the store (ids look like ofac-6861 or un-QDi.001)");
    };
    let mut view = EntityView {
        id: entity.id.clone(),
        schema: entity.schema.name.to_string(),
        caption: entity.caption().to_string(),
        datasets: own.iter().map(|s| s.provenance.dataset.clone()).collect(),
        properties: sourced(&own),
        sanctions: Vec::new(),
        links: Vec::new(),
        addresses: Vec::new(),
        identifications: Vec::new(),
        wallets: Vec::new(),
    };
    for address in entity.values("addressEntity") {
        if let Some(a) = fetch(store, address).await? {
            view.addresses.push(related(&a, None));
        }
    }
    let referrers: BTreeSet<String> = store
        .referencing_statements(id)
        .await?
        .into_iter()
        .map(|s| s.entity_id)
        .collect();
    for referrer in referrers {
        let Some(other) = fetch(store, &referrer).await? else {
            continue;
        };
        let far = far_end(store, &other, id).await?;
        let entry = related(&other, far.as_ref());
        match other.schema.name {
            "Sanction" => view.sanctions.push(entry),
            "Identification" | "Passport" => view.identifications.push(entry),
            "CryptoWallet" => view.wallets.push(entry),
            _ => view.links.push(entry),
        }
    }
    Ok(view)
}

async fn fetch(store: &dyn Store, id: &str) -> Result<Option<Entity>> {
    Ok(entities_from_statements(&store.entity_statements(id).await?)?.pop())
}

/// For a link entity: the entity at its other end.
async fn far_end(store: &dyn Store, link: &Entity, near: &str) -> Result<Option<Entity>> {
    let other = link
        .iter()
        .find(|(p, v)| p.prop_type == PropType::Entity && v.value != near)
        .map(|(_, v)| v.value.clone());
    match other {
        Some(other) if link.schema.name != "Sanction" => fetch(store, &other).await,
        _ => Ok(None),
    }
}

fn related(entity: &Entity, far: Option<&Entity>) -> Value {
    let mut props = serde_json::Map::new();
    for (prop, value) in entity.iter() {
        let list = props.entry(prop.name).or_insert_with(|| json!([]));
        list.as_array_mut()
            .expect("lists only")
            .push(json!(value.value));
    }
    let mut v = json!({ "id": entity.id, "schema": entity.schema.name, "caption": entity.caption(), "properties": props });
    if let Some(far) = far {
        v["other"] = json!({ "id": far.id, "schema": far.schema.name, "caption": far.caption() });
    }
    v
}

fn sourced(statements: &[Statement]) -> BTreeMap<String, Vec<SourcedValue>> {
    let mut out: BTreeMap<String, Vec<SourcedValue>> = BTreeMap::new();
    for s in statements {
        out.entry(s.prop.clone()).or_default().push(SourcedValue {
            value: s.value.clone(),
            dataset: s.provenance.dataset.clone(),
            version: s.provenance.last_seen.clone(),
            source_id: s.provenance.source_id.clone(),
            first_seen: s.provenance.first_seen.clone(),
            last_seen: s.provenance.last_seen.clone(),
            label: s.label.to_string(),
        });
    }
    out
}

fn print(out: &mut impl Write, view: &EntityView) -> Result<()> {
    writeln!(out, "{}  ({}, {})", view.caption, view.id, view.schema)?;
    let width = view.properties.keys().map(String::len).max().unwrap_or(0);
    for (prop, values) in &view.properties {
        for v in values {
            let source = v.source_id.as_deref().unwrap_or("-");
            writeln!(
                out,
                "  {prop:<width$}  {}    [{} {} · {} · seen {}..{} · {}]",
                v.value, v.dataset, v.version, source, v.first_seen, v.last_seen, v.label
            )?;
        }
    }
    for (title, entries) in [
        ("Sanctions", &view.sanctions),
        ("Links", &view.links),
        ("Addresses", &view.addresses),
        ("Identifications", &view.identifications),
        ("Crypto wallets", &view.wallets),
    ] {
        if entries.is_empty() {
            continue;
        }
        writeln!(out, "\n{title}:")?;
        for entry in entries {
            writeln!(out, "  {}", describe(entry))?;
        }
    }
    Ok(())
}

fn describe(entry: &Value) -> String {
    let props = entry["properties"].as_object().cloned().unwrap_or_default();
    let mut parts: Vec<String> = props
        .iter()
        .filter(|(k, _)| {
            !matches!(
                k.as_str(),
                "entity"
                    | "holder"
                    | "subject"
                    | "object"
                    | "person"
                    | "associate"
                    | "relative"
                    | "owner"
                    | "asset"
                    | "member"
                    | "organization"
                    | "director"
            )
        })
        .map(|(k, v)| {
            let values: Vec<&str> = v
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            format!("{k}: {}", values.join(" | "))
        })
        .collect();
    if let Some(other) = entry.get("other") {
        parts.insert(
            0,
            format!(
                "→ {} ({}, {})",
                other["caption"].as_str().unwrap_or(""),
                other["id"].as_str().unwrap_or(""),
                other["schema"].as_str().unwrap_or("")
            ),
        );
    }
    format!(
        "[{}] {}",
        entry["schema"].as_str().unwrap_or(""),
        parts.join("; ")
    )
}
