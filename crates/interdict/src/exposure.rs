//! `interdict exposure ID`: is this entity blocked, directly or by OFAC's 50% rule, and by
//! which paths from designated parties; and what weaker links tie it to them.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use anyhow::{Result, bail};
use interdict_graph::{
    Basis, Derivation, Graph, GraphBuilder, Link, LinkKind, Mode, Options, Warning,
    parse_percentage,
};
use interdict_lists::source::is_iso_date;
use interdict_model::{Entity, entities_from_statements};
use interdict_screen::index::PartyKind;
use interdict_store::{DerivedStatus, NewAlert, Store};
use serde_json::json;

use crate::cli::{DeriveArgs, ExposureArgs, ModeArg};

/// The ends of each FtM link schema: (from, to).
const ENDS: [(&str, &str, &str); 6] = [
    ("Ownership", "owner", "asset"),
    ("Directorship", "director", "organization"),
    ("Family", "person", "relative"),
    ("Associate", "person", "associate"),
    ("Membership", "member", "organization"),
    ("UnknownLink", "subject", "object"),
];

/// The store's links as a graph, with the listed parties (those a `Sanction` points at).
#[derive(Debug)]
pub struct Network {
    pub graph: Graph,
    pub listed: Vec<String>,
    pub captions: HashMap<String, String>,
    pub warnings: Vec<Warning>,
}

/// Collects a [`Network`] one entity at a time.
#[derive(Default)]
pub struct NetworkBuilder {
    builder: GraphBuilder,
    listed: Vec<String>,
    warnings: Vec<Warning>,
}

impl NetworkBuilder {
    pub fn finish(self) -> Network {
        let (graph, built) = self.builder.build();
        let mut warnings = self.warnings;
        // Every party of the store was declared, so "not among the parties" means a link
        // names an id the store lacks.
        warnings.extend(built);
        Network {
            graph,
            listed: self.listed,
            // Read later, for the ids shown (`Network::name`, `load_for_screening`).
            captions: HashMap::new(),
            warnings,
        }
    }
}

impl Network {
    /// Reads the links and the `Sanction` targets alone, without rebuilding every entity with
    /// its provenance: what a million-company registry needs. Captions are read later, for
    /// the ids shown ([`Network::name`]).
    pub async fn load(store: &dyn Store) -> Result<Network> {
        let mut network = NetworkBuilder::default();
        // Links and sanctions are not parties: declaring them would add millions of nodes.
        let not_parties: Vec<&str> = ENDS
            .iter()
            .map(|(s, _, _)| *s)
            .chain(["Sanction"])
            .collect();
        for id in store.current_entity_ids(&not_parties).await? {
            network.builder.add_party(&id);
        }
        let schemata: Vec<&str> = ENDS
            .iter()
            .map(|(schema, _, _)| *schema)
            .chain(["Sanction"])
            .collect();
        let NetworkBuilder {
            builder,
            listed,
            warnings,
            ..
        } = &mut network;
        store
            .each_current_entity_of(&schemata, &mut |entity| {
                add(&entity, builder, listed, warnings);
                Ok(())
            })
            .await?;
        Ok(network.finish())
    }

    /// Reads the captions of these ids, where not known yet.
    pub async fn name(
        &mut self,
        store: &dyn Store,
        ids: impl IntoIterator<Item = &str>,
    ) -> Result<()> {
        for id in ids {
            if self.captions.contains_key(id) {
                continue;
            }
            let statements = store.entity_statements(id).await?;
            if let Some(entity) = entities_from_statements(&statements)?.pop() {
                self.captions
                    .insert(id.to_string(), entity.caption().to_string());
            }
        }
        Ok(())
    }

    pub fn derive(&self, options: &Options) -> Derivation {
        self.graph
            .derive(self.listed.iter().map(String::as_str), options)
    }

    /// Whether screening should raise this entity: it is designated (a `Sanction` points at
    /// it) or blocked by ownership or control. A registry's other companies are not screened.
    pub fn screened(&self, derivation: &Derivation, id: &str) -> bool {
        self.graph
            .node(id)
            .is_some_and(|n| derivation.is_blocked(n))
    }

    /// Today's OFAC derivation: who screening raises.
    pub fn today(&self) -> (String, Derivation) {
        let today = crate::ingest::today();
        let derivation = self.derive(&Options {
            as_of: Some(&today),
            mode: Mode::Ofac,
        });
        (today, derivation)
    }

    /// Whether screening indexes this entity: a screened party, or an entity that is neither
    /// a party nor a link (documents, addresses and sanctions fold into their holder).
    pub fn indexes(&self, derivation: &Derivation, entity: &Entity) -> bool {
        match PartyKind::of_schema(entity.schema.name) {
            Some(_) => self.screened(derivation, &entity.id),
            None => !ENDS
                .iter()
                .any(|(schema, _, _)| *schema == entity.schema.name),
        }
    }

    /// Reads the network, then the entities screening indexes, keeping every entity's
    /// caption: two passes, so a registry of millions of companies is never held whole.
    /// `keep` sees each indexed entity with the datasets holding it.
    pub async fn load_for_screening(
        store: &dyn Store,
        keep: &mut (dyn FnMut(Entity, &[String]) -> Result<()> + Send),
    ) -> Result<(Network, String, Derivation)> {
        let mut network = Network::load(store).await?;
        let (as_of, derivation) = network.today();
        let mut captions = HashMap::new();
        crate::current::each_entity(store, &mut |entity, datasets| {
            // Paths show parties by name; a link's caption is never shown.
            if !is_link(entity.schema.name) {
                captions.insert(entity.id.clone(), entity.caption().to_string());
            }
            if network.indexes(&derivation, &entity) {
                keep(entity, datasets)?;
            }
            Ok(())
        })
        .await?;
        network.captions = captions;
        Ok((network, as_of, derivation))
    }

    pub fn caption(&self, id: &str) -> &str {
        self.captions.get(id).map_or("", String::as_str)
    }
}

fn is_link(schema: &str) -> bool {
    ENDS.iter().any(|(s, _, _)| *s == schema)
}

fn add(
    entity: &Entity,
    builder: &mut GraphBuilder,
    listed: &mut Vec<String>,
    warnings: &mut Vec<Warning>,
) {
    let schema = entity.schema.name;
    if schema == "Sanction" {
        listed.extend(entity.values("entity").map(str::to_string));
        return;
    }
    let Some(&(_, from_prop, to_prop)) = ENDS.iter().find(|(s, _, _)| *s == schema) else {
        builder.add_party(&entity.id);
        return;
    };
    let kind = LinkKind::of_schema(schema).expect("every schema in ENDS is a link");
    let percentage = match entity.first("percentage") {
        Some(raw) if kind == LinkKind::Ownership => match parse_percentage(&entity.id, raw) {
            Ok(p) => Some(p),
            Err(e) => {
                warnings.push(Warning {
                    source: entity.id.clone(),
                    message: format!("{e}; the link is left out"),
                });
                return;
            }
        },
        _ => None,
    };
    for from in entity.values(from_prop) {
        for to in entity.values(to_prop) {
            let link = Link {
                source: entity.id.clone(),
                kind,
                from: from.to_string(),
                to: to.to_string(),
                percentage,
                start: entity.first("startDate").map(str::to_string),
                end: entity.first("endDate").map(str::to_string),
            };
            if let Err(e) = builder.add_link(link) {
                warnings.push(Warning {
                    source: entity.id.clone(),
                    message: format!("{e}; the link is left out"),
                });
            }
        }
    }
}

pub async fn run(store: &dyn Store, args: &ExposureArgs, out: &mut impl Write) -> Result<()> {
    if let Some(day) = args.as_of.as_deref().filter(|d| !is_iso_date(d)) {
        bail!("--as-of {day:?} is not a YYYY-MM-DD date");
    }
    let network = Network::load(store).await?;
    let Some(node) = network.graph.node(&args.id) else {
        bail!(
            "no entity {:?} in the store (ids look like ofac-6861 or un-QDi.001)",
            args.id
        );
    };
    let today = crate::ingest::today();
    let options = Options {
        as_of: Some(args.as_of.as_deref().unwrap_or(&today)),
        mode: match args.mode {
            ModeArg::Ofac => Mode::Ofac,
            ModeArg::EuUk => Mode::EuUk,
        },
    };
    let derivation = network.derive(&options);
    let exposure = network
        .graph
        .exposure(node, &derivation, &options, args.depth);
    let mut shown: Vec<&str> = vec![exposure.id.as_str()];
    for step in exposure.paths.iter().chain(&exposure.signals).flatten() {
        shown.extend([step.from.as_str(), step.to.as_str()]);
    }
    let mut network = network;
    network.name(store, shown).await?;
    let caption = |id: &str| network.caption(id).to_string();
    if args.json {
        let mut report = serde_json::to_value(&exposure)?;
        report["caption"] = json!(caption(&exposure.id));
        report["as_of"] = json!(options.as_of);
        report["warnings"] = json!(network.warnings.len());
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        return Ok(());
    }
    let status = if exposure.blocked {
        format!("BLOCKED ({:?})", exposure.basis).to_uppercase()
    } else {
        "not blocked".to_string()
    };
    writeln!(
        out,
        "{} {}: {status}, {}% held by blocked owners, {:?} rule, as of {}",
        exposure.id,
        caption(&exposure.id),
        exposure.held,
        options.mode,
        options.as_of.unwrap_or_default()
    )?;
    for (title, paths) in [
        ("paths that block it", &exposure.paths),
        ("other links to designated parties", &exposure.signals),
    ] {
        if paths.is_empty() {
            continue;
        }
        writeln!(out, "\n{title}:")?;
        for path in paths {
            let mut line = format!("  {} {}", path[0].from, caption(&path[0].from));
            for step in path {
                let pct = step
                    .percentage
                    .map(|p| format!(" {p}%"))
                    .unwrap_or_default();
                line += &format!(
                    "  -[{:?}{pct}]->  {} {}",
                    step.kind,
                    step.to,
                    caption(&step.to)
                );
            }
            writeln!(out, "{line}")?;
        }
    }
    if exposure.truncated {
        writeln!(out, "\n(more paths than shown: narrow with --depth)")?;
    }
    Ok(())
}

/// `interdict derive`: everyone's status now, compared with the last stored computation; the
/// parties whose status changed are listed (they are what alerts will be raised on).
/// The inbox's alert for a party whose derived status changed.
fn derived_alert(change: &serde_json::Value, as_of: &str) -> NewAlert {
    let id = change["id"].as_str().unwrap_or_default();
    let before = change["before"].as_str().unwrap_or("not blocked");
    let after = change["after"].as_str().unwrap_or("not blocked");
    let blocked = !change["after"].is_null();
    NewAlert {
        source: "derived".into(),
        dedupe: format!("derived {id} {before} -> {after} {as_of}"),
        subject: id.to_string(),
        entity_id: Some(id.to_string()),
        score: None,
        severity: if blocked { "high" } else { "medium" }.into(),
        summary: format!(
            "{} ({id}) is now {} under the 50% rule (was {before}): its property is {}",
            change["caption"].as_str().unwrap_or_default(),
            if blocked { after } else { "not blocked" },
            if blocked {
                "to be blocked"
            } else {
                "no longer blocked by ownership"
            }
        ),
        detail: json!({ "change": change, "as_of": as_of }),
    }
}

pub async fn derive(store: &dyn Store, args: &DeriveArgs, out: &mut impl Write) -> Result<()> {
    if let Some(day) = args.as_of.as_deref().filter(|d| !is_iso_date(d)) {
        bail!("--as-of {day:?} is not a YYYY-MM-DD date");
    }
    let network = Network::load(store).await?;
    let today = crate::ingest::today();
    let as_of = args.as_of.clone().unwrap_or(today);
    let mode = match args.mode {
        ModeArg::Ofac => Mode::Ofac,
        ModeArg::EuUk => Mode::EuUk,
    };
    let started = std::time::Instant::now();
    let derivation = network.derive(&Options {
        as_of: Some(&as_of),
        mode,
    });
    let millis = started.elapsed().as_secs_f64() * 1e3;
    let mode_name = serde_json::to_value(mode)?
        .as_str()
        .unwrap_or_default()
        .to_string();
    let now: Vec<DerivedStatus> = derivation
        .derived()
        .map(|node| DerivedStatus {
            entity_id: network.graph.id(node).to_string(),
            basis: serde_json::to_value(derivation.basis[node as usize])
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            held: derivation.held[node as usize].to_string(),
            mode: mode_name.clone(),
            as_of: as_of.clone(),
            computed_at: String::new(),
        })
        .collect();
    let before: BTreeMap<String, DerivedStatus> = store
        .derived_statuses()
        .await?
        .into_iter()
        .map(|s| (s.entity_id.clone(), s))
        .collect();
    let after: BTreeMap<&str, &DerivedStatus> =
        now.iter().map(|s| (s.entity_id.as_str(), s)).collect();
    let mut network = network;
    let changed: Vec<&str> = after
        .iter()
        .filter(|(id, is)| before.get(**id).is_none_or(|was| was.basis != is.basis))
        .map(|(id, _)| *id)
        .chain(
            before
                .keys()
                .filter(|id| !after.contains_key(id.as_str()))
                .map(String::as_str),
        )
        .collect();
    network.name(store, changed).await?;
    let change = |id: &str, was: Option<&DerivedStatus>, is: Option<&DerivedStatus>| {
        json!({
            "id": id,
            "caption": network.caption(id),
            "before": was.map(|s| &s.basis),
            "after": is.map(|s| &s.basis),
            "held": is.map(|s| &s.held),
        })
    };
    let mut changes: Vec<serde_json::Value> = Vec::new();
    for (id, is) in &after {
        match before.get(*id) {
            Some(was) if was.basis == is.basis => {}
            was => changes.push(change(id, was, Some(is))),
        }
    }
    for (id, was) in &before {
        if !after.contains_key(id.as_str()) {
            changes.push(change(id, Some(was), None));
        }
    }
    // The stored statuses are the baseline changes are reported against: only today's
    // OFAC reading replaces them; another date or mode is a what-if.
    let what_if = args
        .as_of
        .as_deref()
        .is_some_and(|d| d != crate::ingest::today())
        || mode != Mode::Ofac;
    let stored = !args.dry_run && !what_if;
    if stored {
        // Alerts first, keyed by the change and the day: a run stopped between the two
        // steps raises nothing twice when run again.
        let alerts: Vec<NewAlert> = changes.iter().map(|c| derived_alert(c, &as_of)).collect();
        store.raise_alerts(&alerts).await?;
        store.replace_derived_statuses(&now).await?;
    }
    let listed = derivation
        .basis
        .iter()
        .filter(|b| **b == Basis::Listed)
        .count();
    if args.json {
        let report = json!({
            "as_of": as_of, "mode": mode, "parties": network.graph.len(),
            "links": network.graph.link_count(), "listed": listed, "derived": now.len(),
            "derive_millis": millis, "changes": changes, "stored": stored,
            "warnings": network.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "{} parties, {} links as of {as_of} ({mode:?}): {listed} listed, {} blocked by \
         ownership or control ({millis:.1} ms)",
        network.graph.len(),
        network.graph.link_count(),
        now.len()
    )?;
    writeln!(out, "{} changed since the last run:", changes.len())?;
    for c in changes.iter().take(args.limit) {
        writeln!(
            out,
            "  {} {}: {} -> {}",
            c["id"].as_str().unwrap_or_default(),
            c["caption"].as_str().unwrap_or_default(),
            c["before"].as_str().unwrap_or("not blocked"),
            c["after"].as_str().unwrap_or("not blocked"),
        )?;
    }
    if changes.len() > args.limit {
        writeln!(
            out,
            "  … and {} more (--json for all)",
            changes.len() - args.limit
        )?;
    }
    if !network.warnings.is_empty() {
        writeln!(
            out,
            "{} warnings about the links (--json lists them)",
            network.warnings.len()
        )?;
    }
    if what_if {
        writeln!(
            out,
            "(another date or mode: compared, not stored as the baseline)"
        )?;
    }
    Ok(())
}
