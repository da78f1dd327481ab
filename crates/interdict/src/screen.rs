//! `interdict screen`: a name against the current lists, with every score explained.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use interdict_model::Entity;
use interdict_screen::eval::{Case, Tally, evaluate};
use interdict_screen::{ALGORITHM_VERSION, Feature, Match, Query, ScreenIndex, default_threshold};
use interdict_store::Store;
use serde_json::json;

use crate::cli::ScreenArgs;
use crate::exposure::Network;
use interdict_graph::{Exposure, Mode, Options};

mod batch;

/// Builds the screening index from the store's current entities.
pub async fn load_index(store: &dyn Store) -> Result<ScreenIndex> {
    Ok(load_with_network(store, false).await?.0)
}

/// The screening index and, when asked, the link network, from one read of the store.
/// Only designated or blocked parties are indexed (see [`Network::screened`]).
async fn load_with_network(
    store: &dyn Store,
    with_network: bool,
) -> Result<(ScreenIndex, Option<Network>)> {
    let mut entities: Vec<Entity> = Vec::new();
    let (network, _, _) = Network::load_for_screening(store, &mut |entity, _| {
        entities.push(entity);
        Ok(())
    })
    .await?;
    if network.graph.is_empty() {
        bail!("the store holds no lists yet: run `interdict ingest` first");
    }
    Ok((
        ScreenIndex::build(&entities),
        with_network.then_some(network),
    ))
}

pub async fn run(store: &dyn Store, args: &ScreenArgs, out: &mut impl Write) -> Result<()> {
    if let Some(t) = args.threshold.filter(|t| !(0.0..=1.0).contains(t)) {
        bail!("--threshold {t} is not between 0 and 1");
    }
    if let (Some(input), Some(output)) = (&args.input, &args.output) {
        let index = load_index(store).await?;
        let suppressed = batch::Suppressed::load(store).await?;
        return batch::run(
            &index,
            &suppressed,
            input,
            output,
            args.limit,
            args.threshold,
            args.inbox.then_some(store),
        );
    }
    let (index, network) = load_with_network(store, true).await?;
    let network = network.expect("asked for");
    let query = Query {
        name: args.name.clone().unwrap_or_default(),
        schema: args.schema.clone(),
        birth_date: args.birth_date.clone(),
        country: args.country.clone(),
        gender: args.gender.clone(),
        id_number: args.id_number.clone(),
    };
    let threshold = args
        .threshold
        .unwrap_or_else(|| default_threshold(query.schema.as_deref()));
    let suppressed: HashSet<String> = match &args.customer {
        Some(customer) => store
            .suppressions(Some(customer))
            .await?
            .into_iter()
            .map(|s| s.entity_id)
            .collect(),
        None => HashSet::new(),
    };
    let matches = index.screen_where(&query, args.limit, threshold, |id| !suppressed.contains(id));
    // Versions come oldest first per dataset, so the map keeps each dataset's current one.
    let versions: serde_json::Map<String, serde_json::Value> = store
        .versions(None)
        .await?
        .into_iter()
        .map(|v| (v.dataset, json!(v.version)))
        .collect();
    let today = crate::ingest::today();
    let options = Options {
        as_of: Some(&today),
        mode: Mode::Ofac,
    };
    let derivation = network.derive(&options);
    let statuses: Vec<Option<Exposure>> = matches
        .iter()
        .map(|m| {
            let node = network.graph.node(&m.entity_id)?;
            Some(network.graph.exposure(node, &derivation, &options, 3))
        })
        .collect();
    if args.json {
        let results: Vec<serde_json::Value> = matches
            .iter()
            .zip(&statuses)
            .map(|(m, status)| {
                let mut result = json!(m);
                result["status"] = status.as_ref().map_or(json!(null), |e| {
                    json!({"blocked": e.blocked, "basis": e.basis, "held": e.held.to_string(),
                           "paths": e.paths, "as_of": today})
                });
                result
            })
            .collect();
        let report = json!({
            "query": query,
            "threshold": threshold,
            "algorithm": ALGORITHM_VERSION,
            "list_versions": versions,
            "customer": args.customer,
            "suppressed": suppressed.len(),
            "results": results,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        print(out, &query, threshold, &matches, &statuses)?;
        if !suppressed.is_empty() {
            writeln!(
                out,
                "\n{} entities decided not to be this customer are not raised (interdict suppress list)",
                suppressed.len()
            )?;
        }
    }
    Ok(())
}

fn print(
    out: &mut impl Write,
    query: &Query,
    threshold: f64,
    matches: &[Match],
    statuses: &[Option<Exposure>],
) -> Result<()> {
    if matches.is_empty() {
        writeln!(
            out,
            "no match for {:?} at or above {threshold:.2} ({ALGORITHM_VERSION})",
            query.name
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "{} match(es) for {:?} at or above {threshold:.2} ({ALGORITHM_VERSION}):",
        matches.len(),
        query.name
    )?;
    for (m, status) in matches.iter().zip(statuses) {
        writeln!(
            out,
            "\n{:.3}  {}  {} ({})   OFAC-parity {:.3}",
            m.score, m.entity_id, m.caption, m.schema, m.ofac_score
        )?;
        if let Some(e) = status.as_ref().filter(|e| e.blocked) {
            let mut line = format!("       blocked: {:?}", e.basis).to_lowercase();
            if let Some(path) = e.paths.first() {
                line += &format!(" ({}% held by blocked owners; via {}", e.held, path[0].from);
                for step in path {
                    line += &format!(" → {}", step.to);
                }
                line += ")";
            }
            writeln!(out, "{line}")?;
        }
        writeln!(out, "       matched: {}", m.matched_name)?;
        for feature in &m.explanation {
            writeln!(out, "       {}", describe(feature))?;
        }
    }
    Ok(())
}

fn describe(feature: &Feature) -> String {
    match feature {
        Feature::NameSimilarity {
            score,
            unmatched_query,
            unmatched_candidate,
            ..
        } => {
            let mut text = format!("name similarity {score:.3}");
            if !unmatched_query.is_empty() {
                text += &format!("; query words not listed: {}", unmatched_query.join(" "));
            }
            if !unmatched_candidate.is_empty() {
                text += &format!(
                    "; listed words not in query: {}",
                    unmatched_candidate.join(" ")
                );
            }
            text
        }
        Feature::WeakAlias { effect } => format!("weak alias {effect:+.3}"),
        Feature::BirthDate {
            query,
            listed,
            outcome,
            effect,
        }
        | Feature::Country {
            query,
            listed,
            outcome,
            effect,
        }
        | Feature::Gender {
            query,
            listed,
            outcome,
            effect,
        } => {
            let what = match feature {
                Feature::BirthDate { .. } => "birth date",
                Feature::Country { .. } => "country",
                _ => "gender",
            };
            format!(
                "{what} {query} vs {}: {outcome:?} {effect:+.3}",
                listed.join(", ")
            )
        }
        Feature::SchemaMismatch {
            query,
            listed,
            effect,
        } => format!("asked for {query}, listed as {listed} {effect:+.3}"),
        Feature::Identifier { value } => {
            format!("identifier {value} matches exactly: decides alone")
        }
    }
}

/// `interdict eval screening`: the cases against the current lists.
pub async fn eval(store: &dyn Store, path: &Path, json: bool, out: &mut impl Write) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut cases: Vec<Case> = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let case = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not a case", path.display(), n + 1))?;
        cases.push(case);
    }
    let index = load_index(store).await?;
    let report = evaluate(&index, &cases);
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<24} {:>5} {:>7} {:>7} {:>5} {:>7}",
        "group", "pos", "r@1", "r@5", "neg", "fp"
    )?;
    for (group, tally) in &report.groups {
        writeln!(out, "{}", row(group, tally))?;
    }
    for (pool, tally) in report.pools.iter().filter(|(p, _)| !p.is_empty()) {
        writeln!(out, "{}", row(&format!("pool {pool}"), tally))?;
    }
    writeln!(out, "{}", row("overall", &report.overall))?;
    let [p50, p99, max] = report.latency_us;
    writeln!(
        out,
        "\n{} cases; per query mean {:.0} µs, p50 {p50} µs, p99 {p99} µs, max {max} µs \
         ({ALGORITHM_VERSION})",
        cases.len(),
        report.mean_us
    )?;
    Ok(())
}

fn row(label: &str, t: &Tally) -> String {
    let rate = |x: f64| {
        if x.is_nan() {
            "-".to_string()
        } else {
            format!("{x:.3}")
        }
    };
    format!(
        "{label:<24} {:>5} {:>7} {:>7} {:>5} {:>7}",
        t.positives,
        rate(t.recall1()),
        rate(t.recall5()),
        t.negatives,
        rate(t.fp_rate())
    )
}
