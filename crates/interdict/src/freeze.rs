//! `interdict freeze`: blocking orders on property, each decision by a second person, and
//! the blocked-property report 31 CFR 501.603 asks for.

use std::collections::BTreeMap;
use std::io::Write;
use std::str::FromStr;

use anyhow::{Result, bail};
use interdict_store::{Freeze, FreezeStep, NewFreeze, Store};
use rust_decimal::Decimal;
use serde_json::json;

use crate::cli::{FreezeCommand, ProposeFreezeArgs};

pub async fn run(store: &dyn Store, command: FreezeCommand, out: &mut impl Write) -> Result<()> {
    let step = |id: String, from: &str, to: &str, reason: Option<String>| FreezeStep {
        id,
        from: from.into(),
        to: to.into(),
        reason,
    };
    let moved = match command {
        FreezeCommand::Propose(args) => {
            let json = args.json;
            let order = order(store, *args).await?;
            let stored = store.propose_freeze(&order).await?;
            return show(out, &stored, json);
        }
        FreezeCommand::Approve { id } => step(id, "proposed", "blocked", None),
        FreezeCommand::Reject { id } => step(id, "proposed", "rejected", None),
        FreezeCommand::Unblock { id, reason } => {
            step(id, "blocked", "unblock-proposed", Some(reason))
        }
        FreezeCommand::ApproveUnblock { id } => step(id, "unblock-proposed", "unblocked", None),
        FreezeCommand::RejectUnblock { id } => step(id, "unblock-proposed", "blocked", None),
        FreezeCommand::List { json } => return list(store, json, out).await,
        FreezeCommand::Report { as_of, json } => return report(store, as_of, json, out).await,
    };
    let stored = store.step_freeze(&moved).await?;
    show(out, &stored, false)
}

/// The order as proposed, its value and currency checked and its holder looked up.
pub(crate) async fn order(store: &dyn Store, args: ProposeFreezeArgs) -> Result<NewFreeze> {
    let value = Decimal::from_str(args.value.trim())
        .map_err(|e| anyhow::anyhow!("--value {:?}: {e}", args.value))?;
    if value.is_sign_negative() {
        bail!("--value {:?}: a value cannot be negative", args.value);
    }
    let currency = args.currency.trim().to_ascii_uppercase();
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        bail!(
            "--currency {:?}: expected an ISO 4217 code such as USD",
            args.currency
        );
    }
    if let Some(holder) = &args.holder_id
        && store.entity_statements(holder).await?.is_empty()
    {
        bail!("--holder-id {holder:?}: no such entity in the store (ids look like ofac-6861)");
    }
    Ok(NewFreeze {
        asset_kind: args.asset_kind,
        asset: args.asset,
        description: args.description,
        holder_id: args.holder_id,
        holder_name: args.holder_name,
        basis: args.basis,
        program: args.program,
        value: value.to_string(),
        currency,
        location: args.location,
        institution: args.institution,
    })
}

fn show(out: &mut impl Write, freeze: &Freeze, json: bool) -> Result<()> {
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(freeze)?)?;
        return Ok(());
    }
    let who = match freeze.state.as_str() {
        "proposed" => format!("proposed by {}", freeze.proposed_by),
        "unblock-proposed" => format!(
            "unblocking proposed by {} ({})",
            freeze.unblock_proposed_by.as_deref().unwrap_or("?"),
            freeze.unblock_reason.as_deref().unwrap_or("")
        ),
        "unblocked" => format!(
            "unblocked by {}",
            freeze.unblocked_by.as_deref().unwrap_or("?")
        ),
        _ => format!("decided by {}", freeze.decided_by.as_deref().unwrap_or("?")),
    };
    writeln!(
        out,
        "{}  {}  {} {} of {}: {} {} at {}, {who}",
        freeze.id,
        freeze.state,
        freeze.order.asset_kind,
        freeze.order.asset,
        freeze.order.holder_name,
        freeze.order.value,
        freeze.order.currency,
        freeze.order.institution
    )?;
    Ok(())
}

async fn list(store: &dyn Store, json: bool, out: &mut impl Write) -> Result<()> {
    let freezes = store.freezes().await?;
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&freezes)?)?;
        return Ok(());
    }
    if freezes.is_empty() {
        writeln!(out, "no freeze orders")?;
    }
    for freeze in &freezes {
        show(out, freeze, false)?;
    }
    Ok(())
}

/// Whether the property was blocked on `day` (YYYY-MM-DD): approved by then, and not
/// unblocked by then.
fn blocked_on(freeze: &Freeze, day: &str) -> bool {
    let by = |at: &Option<String>| {
        at.as_deref()
            .is_some_and(|at| &at[..10.min(at.len())] <= day)
    };
    let approved =
        freeze.decided_by.is_some() && freeze.state != "rejected" && by(&freeze.decided_at);
    approved && !(freeze.state == "unblocked" && by(&freeze.unblocked_at))
}

/// Totals of blocked property by (`program`, `holder` or `institution`; its name; currency).
pub(crate) type Totals = BTreeMap<(&'static str, String, String), Decimal>;

/// The report's rows, one per item of property blocked on `day`, and its totals.
pub(crate) fn blocked_property(freezes: &[Freeze], day: &str) -> (Vec<serde_json::Value>, Totals) {
    let blocked: Vec<&Freeze> = freezes.iter().filter(|f| blocked_on(f, day)).collect();
    // Totals per currency: amounts in different currencies are never added together.
    let mut totals: Totals = BTreeMap::new();
    for f in &blocked {
        let value = Decimal::from_str(&f.order.value).unwrap_or_default();
        for (by, key) in [
            ("program", &f.order.program),
            ("holder", &f.order.holder_name),
            ("institution", &f.order.institution),
        ] {
            *totals
                .entry((by, key.clone(), f.order.currency.clone()))
                .or_default() += value;
        }
    }
    let rows: Vec<serde_json::Value> = blocked
        .iter()
        .map(|f| {
            json!({
                "id": f.id,
                "owner": f.order.holder_name,
                "owner_id": f.order.holder_id,
                "property": format!("{} {}: {}", f.order.asset_kind, f.order.asset, f.order.description),
                "location": f.order.location,
                "institution": f.order.institution,
                "value": f.order.value,
                "currency": f.order.currency,
                "date_blocked": f.decided_at.as_deref().map(|d| &d[..10.min(d.len())]),
                "program": f.order.program,
                "basis": f.order.basis,
            })
        })
        .collect();
    (rows, totals)
}

/// Value blocked at the end of each month in which property was blocked or unblocked, up to
/// `day`, per currency: (month, currency, total), oldest first.
pub(crate) fn over_time(freezes: &[Freeze], day: &str) -> Vec<(String, String, Decimal)> {
    let mut months: Vec<&str> = freezes
        .iter()
        .flat_map(|f| [f.decided_at.as_deref(), f.unblocked_at.as_deref()])
        .flatten()
        .filter(|at| at.len() >= 10 && &at[..10] <= day)
        .map(|at| &at[..7])
        .collect();
    months.sort_unstable();
    months.dedup();
    // Every currency ever blocked in shows in each month, at zero once all is unblocked.
    let currencies: Vec<&str> = freezes
        .iter()
        .filter(|f| {
            f.decided_at
                .as_deref()
                .is_some_and(|at| &at[..10.min(at.len())] <= day)
        })
        .filter(|f| f.state != "rejected")
        .map(|f| f.order.currency.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut series = Vec::new();
    for month in months {
        // The month's last day, or `day` within its own month; dates compare as text.
        let end = format!("{month}-31");
        let end = if end.as_str() > day { day } else { &end };
        let mut by_currency: BTreeMap<&str, Decimal> =
            currencies.iter().map(|c| (*c, Decimal::ZERO)).collect();
        for f in freezes.iter().filter(|f| blocked_on(f, end)) {
            *by_currency.entry(&f.order.currency).or_default() +=
                Decimal::from_str(&f.order.value).unwrap_or_default();
        }
        for (currency, total) in by_currency {
            series.push((month.to_string(), currency.to_string(), total));
        }
    }
    series
}

/// The report as `freeze report --json` prints it.
pub(crate) fn report_json(
    day: &str,
    rows: &[serde_json::Value],
    totals: &Totals,
    series: &[(String, String, Decimal)],
) -> serde_json::Value {
    let totals: Vec<serde_json::Value> = totals
        .iter()
        .map(|((by, key, currency), total)| {
            json!({"by": by, "key": key, "currency": currency, "total": total.to_string()})
        })
        .collect();
    let over_time: Vec<serde_json::Value> = series
        .iter()
        .map(|(month, currency, total)| {
            json!({"month": month, "currency": currency, "total": total.to_string()})
        })
        .collect();
    json!({ "as_of": day, "blocked": rows, "totals": totals, "over_time": over_time })
}

async fn report(
    store: &dyn Store,
    as_of: Option<String>,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    let day = match as_of {
        Some(day) if interdict_lists::source::is_iso_date(&day) => day,
        Some(day) => bail!("--as-of {day:?} is not a YYYY-MM-DD date"),
        None => crate::ingest::today(),
    };
    let freezes = store.freezes().await?;
    let (rows, totals) = blocked_property(&freezes, &day);
    let series = over_time(&freezes, &day);
    if json {
        let report = report_json(&day, &rows, &totals, &series);
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "Blocked property as of {day} (31 CFR 501.603): {} items",
        rows.len()
    )?;
    for r in &rows {
        writeln!(
            out,
            "  {}  {} | {} | {} | {} {} | blocked {} | {} | held at {}",
            r["id"].as_str().unwrap_or(""),
            r["owner"].as_str().unwrap_or(""),
            r["property"].as_str().unwrap_or(""),
            r["location"].as_str().unwrap_or(""),
            r["value"].as_str().unwrap_or(""),
            r["currency"].as_str().unwrap_or(""),
            r["date_blocked"].as_str().unwrap_or(""),
            r["program"].as_str().unwrap_or(""),
            r["institution"].as_str().unwrap_or("")
        )?;
    }
    for ((by, key, currency), total) in &totals {
        writeln!(out, "  total by {by}: {key}: {total} {currency}")?;
    }
    for (month, currency, total) in &series {
        writeln!(out, "  blocked at the end of {month}: {total} {currency}")?;
    }
    Ok(())
}
