//! `interdict lists` and `interdict lists diff`.

use std::io::Write;

use anyhow::{Result, anyhow, bail};
use interdict_lists::diff::{self, EntityDiff, ListDiff};
use interdict_store::{ListVersion, Store};

use crate::cli::DiffArgs;

pub async fn show(store: &dyn Store, json: bool, out: &mut impl Write) -> Result<()> {
    let versions = store.versions(None).await?;
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&versions)?)?;
        return Ok(());
    }
    if versions.is_empty() {
        writeln!(out, "no lists stored yet: run `interdict ingest`")?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<12} {:<11} {:<12} {:>8} {:>10} {:>8}  ingested",
        "dataset", "version", "hash", "entities", "statements", "warnings"
    )?;
    for (i, v) in versions.iter().enumerate() {
        let newest = versions
            .get(i + 1)
            .is_none_or(|next| next.dataset != v.dataset);
        writeln!(
            out,
            "{:<12} {:<11} {:<12} {:>8} {:>10} {:>8}  {}{}",
            v.dataset,
            v.version,
            &v.content_hash[..12.min(v.content_hash.len())],
            v.entity_count,
            v.statement_count,
            v.warning_count,
            v.ingested_at,
            if newest { "  (current)" } else { "" }
        )?;
    }
    Ok(())
}

pub async fn diff(store: &dyn Store, args: &DiffArgs, out: &mut impl Write) -> Result<()> {
    let (from, to) = pick_versions(store, args).await?;
    let old = store.version_statements(from.id).await?;
    let new = store.version_statements(to.id).await?;
    let diff = diff::diff(&old, &new)?;
    if args.json {
        let report = serde_json::json!({ "dataset": to.dataset, "from": from.version, "to": to.version, "diff": diff });
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        print_diff(out, &from, &to, &diff, args.limit)?;
    }
    Ok(())
}

async fn pick_versions(store: &dyn Store, args: &DiffArgs) -> Result<(ListVersion, ListVersion)> {
    let all = store.versions(args.dataset.as_deref()).await?;
    let dataset = match &args.dataset {
        Some(d) => d.clone(),
        None => {
            let mut candidates: Vec<&str> = all.iter().map(|v| v.dataset.as_str()).collect();
            candidates.dedup();
            candidates.retain(|d| all.iter().filter(|v| v.dataset == *d).count() > 1);
            match candidates.as_slice() {
                [one] => one.to_string(),
                [] => bail!("no list has two versions yet"),
                many => bail!("name the list to compare: {}", many.join(", ")),
            }
        }
    };
    let versions: Vec<&ListVersion> = all.iter().filter(|v| v.dataset == dataset).collect();
    let find = |name: &str| {
        versions
            .iter()
            .position(|v| v.version == name)
            .ok_or_else(|| {
                let known: Vec<&str> = versions.iter().map(|v| v.version.as_str()).collect();
                anyhow!(
                    "{dataset} has no version {name}; it has {}",
                    known.join(", ")
                )
            })
    };
    let to = match &args.to {
        Some(v) => find(v)?,
        None => versions
            .len()
            .checked_sub(1)
            .ok_or_else(|| anyhow!("{dataset} has no stored version"))?,
    };
    let from = match &args.from {
        Some(v) => find(v)?,
        None => to
            .checked_sub(1)
            .ok_or_else(|| anyhow!("{dataset} has no version before {}", versions[to].version))?,
    };
    Ok((versions[from].clone(), versions[to].clone()))
}

fn print_diff(
    out: &mut impl Write,
    from: &ListVersion,
    to: &ListVersion,
    diff: &ListDiff,
    limit: usize,
) -> Result<()> {
    writeln!(out, "{} {} → {}", to.dataset, from.version, to.version)?;
    writeln!(
        out,
        "  {} added, {} removed, {} changed ({} statements added, {} removed)",
        diff.added.len(),
        diff.removed.len(),
        diff.changed.len(),
        diff.statements_added,
        diff.statements_removed
    )?;
    for (title, entries) in [
        ("Added", &diff.added),
        ("Removed", &diff.removed),
        ("Changed", &diff.changed),
    ] {
        if entries.is_empty() {
            continue;
        }
        writeln!(out, "\n{title}:")?;
        for entry in entries.iter().take(limit) {
            print_entry(out, entry, title == "Changed")?;
        }
        if entries.len() > limit {
            writeln!(
                out,
                "  … {} more (--limit, or --json for all)",
                entries.len() - limit
            )?;
        }
    }
    Ok(())
}

fn print_entry(out: &mut impl Write, entry: &EntityDiff, details: bool) -> Result<()> {
    writeln!(out, "  {} {} ({})", entry.id, entry.caption, entry.schema)?;
    if details {
        for (prop, change) in &entry.changes {
            for value in &change.removed {
                writeln!(out, "      - {prop}: {value}")?;
            }
            for value in &change.added {
                writeln!(out, "      + {prop}: {value}")?;
            }
        }
    }
    Ok(())
}
