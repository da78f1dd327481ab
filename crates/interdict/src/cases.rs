//! `interdict customers`, `alerts` and `cases`: the customer base, the alert inbox, and the
//! cases analysts work (investigations, tips, requests).

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use interdict_store::{Alert, AlertFilter, Case, CaseAction, CaseFilter, Customer, NewCase, Store};

use crate::cli::{AlertsCommand, CasesCommand, CustomersCommand};

/// The most customers a file may hold: a bank's base, with room.
const MAX_CUSTOMERS: usize = 50_000_000;

pub async fn customers(
    store: &dyn Store,
    command: CustomersCommand,
    out: &mut impl Write,
) -> Result<()> {
    let CustomersCommand::Import {
        file,
        no_screen,
        json,
    } = command;
    let customers = read_customers(&file)?;
    let done = store.import_customers(&customers).await?;
    let screened = if no_screen {
        None
    } else {
        crate::rescreen::run(store, None).await?
    };
    if json {
        let report = serde_json::json!({ "import": done, "screening": screened });
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "{}: {} customers added, {} changed, {} unchanged",
        file.display(),
        done.added,
        done.changed,
        done.unchanged
    )?;
    if let Some(outcome) = screened {
        crate::rescreen::print(out, &outcome, false)?;
    }
    Ok(())
}

/// Reads customers from JSON lines, naming the line of the first bad one; nothing is stored
/// from a file with a bad line.
fn read_customers(path: &Path) -> Result<Vec<Customer>> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut customers = Vec::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("{}: line {}", path.display(), n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let mut de = serde_json::Deserializer::from_str(&line);
        let customer: Customer = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            anyhow::anyhow!(
                "{}: line {}: field {}: {}",
                path.display(),
                n + 1,
                e.path(),
                e.inner()
            )
        })?;
        customers.push(customer);
        if customers.len() > MAX_CUSTOMERS {
            bail!(
                "{}: more than {MAX_CUSTOMERS} customers: split the file",
                path.display()
            );
        }
    }
    Ok(customers)
}

pub async fn alerts(store: &dyn Store, command: AlertsCommand, out: &mut impl Write) -> Result<()> {
    match command {
        AlertsCommand::List {
            state,
            source,
            case,
            limit,
            json,
        } => {
            let filter = AlertFilter {
                state,
                source,
                case_id: case,
                limit,
            };
            let alerts = store.alerts(&filter).await?;
            print_list(out, &alerts, json, "alerts", alert_line)?;
        }
        AlertsCommand::Show { id } => {
            let alert = store.alert(&id).await?;
            writeln!(out, "{}", serde_json::to_string_pretty(&alert)?)?;
        }
        AlertsCommand::Close {
            id,
            resolution,
            reason,
        } => {
            let alert = store.close_alert(&id, &resolution, &reason).await?;
            alert_line(out, &alert)?;
        }
    }
    Ok(())
}

/// A listing: one JSON object a line, or one text line an item and a count.
fn print_list<T: serde::Serialize, W: Write>(
    out: &mut W,
    items: &[T],
    json: bool,
    noun: &str,
    line: fn(&mut W, &T) -> Result<()>,
) -> Result<()> {
    for item in items {
        if json {
            writeln!(out, "{}", serde_json::to_string(item)?)?;
        } else {
            line(out, item)?;
        }
    }
    if !json {
        writeln!(out, "{} {noun}", items.len())?;
    }
    Ok(())
}

fn alert_line(out: &mut impl Write, alert: &Alert) -> Result<()> {
    let state = match (&alert.resolution, &alert.case_id) {
        (Some(r), _) => format!("closed ({r})"),
        (None, Some(case)) => format!("{} in {case}", alert.state),
        (None, None) => alert.state.clone(),
    };
    writeln!(
        out,
        "{}  {:<11}  {:<8}  {:<20}  {}",
        alert.id, alert.raised.source, alert.raised.severity, state, alert.raised.summary
    )?;
    Ok(())
}

pub async fn cases(store: &dyn Store, command: CasesCommand, out: &mut impl Write) -> Result<()> {
    let (id, action) = match command {
        CasesCommand::Open {
            kind,
            title,
            assignee,
            deadline,
            detail,
            contact,
            mut alerts,
            party,
            network_of,
            depth,
            json,
        } => {
            let gathered = gather(store, party.as_deref(), network_of.as_deref(), depth).await?;
            for id in gathered {
                if !alerts.contains(&id) {
                    alerts.push(id);
                }
            }
            let detail = match detail {
                Some(text) => serde_json::from_str(&text)
                    .with_context(|| format!("--detail is not JSON: {text}"))?,
                None => serde_json::Value::Null,
            };
            let case = NewCase {
                kind,
                title,
                assignee,
                deadline,
                detail,
                contact,
                alerts,
            };
            let opened = store.open_case(&case).await?;
            return show_case(out, &opened, json);
        }
        CasesCommand::List {
            kind,
            state,
            assignee,
            json,
        } => {
            let filter = CaseFilter {
                kind,
                state,
                assignee,
            };
            let cases = store.cases(&filter).await?;
            return print_list(out, &cases, json, "cases", case_line);
        }
        CasesCommand::Show { id, json } => {
            let view = store.case(&id).await?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&view)?)?;
                return Ok(());
            }
            case_line(out, &view.case)?;
            if view.case.detail.as_object().is_some_and(|d| !d.is_empty()) {
                writeln!(out, "detail: {}", view.case.detail)?;
            }
            for alert in &view.alerts {
                write!(out, "  ")?;
                alert_line(out, alert)?;
            }
            for link in &view.links {
                writeln!(out, "  link {} {} {}", link.kind, link.reference, link.note)?;
            }
            for event in &view.events {
                writeln!(
                    out,
                    "  {} {} {} {}",
                    event.at, event.actor, event.kind, event.text
                )?;
            }
            return Ok(());
        }
        CasesCommand::Contact { id } => {
            writeln!(out, "{}", store.tip_contact(&id).await?)?;
            return Ok(());
        }
        CasesCommand::Move {
            id,
            from,
            to,
            resolution,
        } => (
            id,
            CaseAction::Move {
                from,
                to,
                resolution,
            },
        ),
        CasesCommand::Assign { id, assignee } => (id, CaseAction::Assign { assignee }),
        CasesCommand::Note { id, text } => (id, CaseAction::Note { text }),
        CasesCommand::Link {
            id,
            kind,
            reference,
            note,
        } => (
            id,
            CaseAction::Link {
                kind,
                reference,
                note,
            },
        ),
        CasesCommand::Deadline { id, date } => (id, CaseAction::Deadline { date }),
    };
    let case = store.act_on_case(&id, &action).await?;
    case_line(out, &case)
}

/// The open alerts outside any case about `party`, or about the parties within `depth` links
/// of `network_of`; none when neither is given. Refused when there are none to gather.
pub async fn gather(
    store: &dyn Store,
    party: Option<&str>,
    network_of: Option<&str>,
    depth: usize,
) -> Result<Vec<String>> {
    let about: HashSet<String> = match (party, network_of) {
        (Some(_), Some(_)) => bail!("gather alerts by party or by network, not both"),
        (Some(party), None) => HashSet::from([party.to_string()]),
        (None, Some(centre)) => network(store, centre, depth).await?,
        (None, None) => return Ok(Vec::new()),
    };
    let open = store
        .alerts(&AlertFilter {
            state: Some("open".into()),
            ..AlertFilter::default()
        })
        .await?;
    let gathered: Vec<String> = open
        .into_iter()
        .filter(|a| a.case_id.is_none())
        .filter(|a| {
            about.contains(&a.raised.subject)
                || a.raised
                    .entity_id
                    .as_ref()
                    .is_some_and(|e| about.contains(e))
        })
        .map(|a| a.id)
        .collect();
    if gathered.is_empty() {
        bail!(
            "no open alert outside a case is about {}",
            party.or(network_of).unwrap_or_default()
        );
    }
    Ok(gathered)
}

/// The parties within `depth` links of `centre`, either way along any link, `centre` too.
async fn network(store: &dyn Store, centre: &str, depth: usize) -> Result<HashSet<String>> {
    let network = crate::exposure::Network::load(store).await?;
    let graph = &network.graph;
    let Some(start) = graph.node(centre) else {
        bail!("--network-of {centre:?}: no such party in the link network");
    };
    let mut seen = HashSet::from([start]);
    let mut frontier = vec![start];
    for _ in 0..depth {
        let mut next = Vec::new();
        for node in frontier {
            let near = graph
                .outgoing(node)
                .map(|e| e.to)
                .chain(graph.incoming(node).map(|e| e.from));
            for other in near {
                if seen.insert(other) {
                    next.push(other);
                }
            }
        }
        frontier = next;
    }
    Ok(seen.into_iter().map(|n| graph.id(n).to_string()).collect())
}

fn show_case(out: &mut impl Write, case: &Case, json: bool) -> Result<()> {
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(case)?)?;
        Ok(())
    } else {
        case_line(out, case)
    }
}

fn case_line(out: &mut impl Write, case: &Case) -> Result<()> {
    let state = match &case.resolution {
        Some(r) => format!("{} ({r})", case.state),
        None => case.state.clone(),
    };
    writeln!(
        out,
        "{}  {:<13}  {:<24}  {:<10}  due {:<10}  {}",
        case.id,
        case.kind,
        state,
        case.assignee.as_deref().unwrap_or("-"),
        case.deadline.as_deref().unwrap_or("-"),
        case.title
    )?;
    Ok(())
}
