//! Printing results for people (tables) and machines (JSON).

use std::io::{self, Write};

use interdict_store::Summary;

use crate::ingest::Outcome;

/// How many warnings per list are printed unless all are asked for.
const WARNINGS_SHOWN: usize = 10;

pub fn print_outcomes(
    out: &mut impl Write,
    outcomes: &[Outcome],
    all_warnings: bool,
) -> io::Result<()> {
    for o in outcomes {
        match o.status {
            "unchanged" => writeln!(
                out,
                "{} {}: already stored, nothing changed ({} entities)",
                o.dataset, o.version, o.entities
            )?,
            "parsed" => writeln!(
                out,
                "{} {}: parsed {} entities, {} statements in {} ms (dry run: nothing written)",
                o.dataset, o.version, o.entities, o.statements, o.parse_millis
            )?,
            _ => writeln!(
                out,
                "{} {}: imported {} entities, {} statements (parsed in {} ms, written in {} ms)",
                o.dataset, o.version, o.entities, o.statements, o.parse_millis, o.write_millis
            )?,
        }
        let shown = if all_warnings {
            o.warnings.len()
        } else {
            WARNINGS_SHOWN.min(o.warnings.len())
        };
        for warning in &o.warnings[..shown] {
            writeln!(out, "  warning: {warning}")?;
        }
        if shown < o.warnings.len() {
            writeln!(
                out,
                "  … {} more warnings (--all-warnings shows them)",
                o.warnings.len() - shown
            )?;
        }
    }
    Ok(())
}

pub fn print_summary(out: &mut impl Write, summary: &Summary) -> io::Result<()> {
    writeln!(
        out,
        "\nThe registry now holds {} entities ({} statements).",
        summary.entities, summary.statements
    )?;
    table(out, "Entities by schema", &summary.by_schema)?;
    table(out, "Sanctioned entities by list", &summary.by_dataset)?;
    table(out, "Sanctioned entities by program", &summary.by_program)
}

fn table(
    out: &mut impl Write,
    title: &str,
    counts: &std::collections::BTreeMap<String, u64>,
) -> io::Result<()> {
    writeln!(out, "\n{title}:")?;
    let mut rows: Vec<_> = counts.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (key, n) in rows {
        writeln!(out, "  {key:<width$}  {n:>7}")?;
    }
    Ok(())
}
