//! `interdict monitor` and `interdict eval monitoring`: a transaction file or stream through
//! the typology detectors, alerts out as JSON lines.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use interdict_flow::eval::{self, Flagged, Labels};
use interdict_flow::run::{RunReport, run};
use interdict_flow::{Alert, Format, Monitor, Names, Reader, Rules};
use interdict_store::{NewAlert, Store};
use serde_json::json;

use crate::cli::{EvalMonitoringArgs, FlowFormatArg, MonitorArgs, SimulateTransactionsArgs};

/// Alerts raised into the inbox per store transaction.
const INBOX_BATCH: usize = 1_000;

/// A monitoring alert as the inbox keeps it: keyed by typology, key account, window and
/// rules version, so running a stream again raises nothing twice.
pub(crate) fn inbox_alert(alert: &Alert) -> NewAlert {
    let typology = serde_json::to_value(alert.typology)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    let severity = serde_json::to_value(alert.severity)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_else(|| "medium".into());
    let key = alert.accounts.first().cloned().unwrap_or_default();
    NewAlert {
        source: "monitoring".into(),
        dedupe: format!(
            "monitoring {typology} {key} {} {} {}",
            alert.window.from, alert.window.to, alert.rules_version
        ),
        subject: key,
        entity_id: None,
        score: Some(alert.score),
        severity,
        summary: alert.summary.clone(),
        detail: serde_json::to_value(alert).unwrap_or_default(),
    }
}

pub async fn monitor(store: &dyn Store, args: &MonitorArgs) -> Result<()> {
    let rules = read_rules(args.rules.as_deref())?;
    let mut names = Names::default();
    let mut monitor = Monitor::new(rules);
    load_segments(args.segments.as_deref(), &mut names, &mut monitor)?;
    let watched = watch(store, &mut monitor, &mut names, args).await?;
    let mut alerts: Box<dyn Write> = match &args.alerts {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let (input, bar) = open_input(&args.input)?;
    let reader = Reader::new(input, format_of(args.format));
    let mut inbox: Vec<NewAlert> = Vec::new();
    let runtime = tokio::runtime::Handle::current();
    // Raised into the store a batch at a time, from the blocking section that runs the
    // stream; what is left is raised once it ends.
    let raise = |batch: &mut Vec<NewAlert>| -> std::io::Result<()> {
        runtime
            .block_on(store.raise_alerts(batch))
            .map_err(std::io::Error::other)?;
        batch.clear();
        Ok(())
    };
    let mut write = |alert: &Alert, _: &Names| -> std::io::Result<()> {
        serde_json::to_writer(&mut alerts, alert)?;
        alerts.write_all(b"\n")?;
        if args.inbox {
            inbox.push(inbox_alert(alert));
            if inbox.len() >= INBOX_BATCH {
                raise(&mut inbox)?;
            }
        }
        Ok(())
    };
    let report = tokio::task::block_in_place(|| {
        run(
            reader,
            &mut names,
            &mut monitor,
            &mut write,
            &mut |_| {},
            &mut |rows| bar.set_message(format!("{rows} rows")),
        )
    })?;
    bar.finish_and_clear();
    alerts.flush()?;
    if !inbox.is_empty() {
        store.raise_alerts(&inbox).await?;
    }
    print_report(&report, &args.input, watched, args.json)
}

/// Tells the monitor what kind of customer holds each account the segment file names.
fn load_segments(path: Option<&Path>, names: &mut Names, monitor: &mut Monitor) -> Result<()> {
    let Some(path) = path else {
        return Ok(());
    };
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let segments = interdict_flow::read_segments(BufReader::new(file), &path.display().to_string())
        .map_err(anyhow::Error::msg)?;
    for (account, segment) in segments {
        monitor.set_segment(names.account(&account), segment);
    }
    Ok(())
}

/// Accounts of designated or blocked parties: the crypto wallets and bank accounts the store
/// holds whose holder is designated or blocked by the 50% rule today (or which are blocked
/// themselves, owned by such a party), and any the user lists in `--watchlist`
/// (`account,entity`).
async fn watch(
    store: &dyn Store,
    monitor: &mut Monitor,
    names: &mut Names,
    args: &MonitorArgs,
) -> Result<usize> {
    let mut count = 0;
    if !args.no_lists {
        let network = crate::exposure::Network::load(store).await?;
        let (_, derivation) = network.today();
        for (account, entity) in blocked_accounts(store, &network, &derivation).await? {
            let account = names.account(&account);
            monitor.block(account, &entity);
            count += 1;
        }
    }
    if let Some(path) = &args.watchlist {
        let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
        for (n, line) in BufReader::new(file).lines().enumerate() {
            let line = line.with_context(|| format!("{}:{}", path.display(), n + 1))?;
            let line = line.trim();
            if n == 0 && line.starts_with("account") || line.is_empty() {
                continue;
            }
            match line.split_once(',') {
                Some((account, entity))
                    if !account.trim().is_empty() && !entity.trim().is_empty() =>
                {
                    let account = names.account(account.trim());
                    monitor.block(account, entity.trim());
                    count += 1;
                }
                _ => bail!("{}:{}: expected account,entity", path.display(), n + 1),
            }
        }
    }
    Ok(count)
}

/// The account identifiers of the store's wallets and bank accounts that are blocked today,
/// each with who it is blocked through: the wallet or account itself when a `Sanction` names
/// it or the 50% rule reaches it through its owners, else its `holder` when that party is.
/// An IBAN is also watched in its compact form (no spaces, upper case), as payment files
/// write it.
pub async fn blocked_accounts(
    store: &dyn Store,
    network: &crate::exposure::Network,
    derivation: &interdict_graph::Derivation,
) -> Result<Vec<(String, String)>> {
    let listed: std::collections::HashSet<&str> =
        network.listed.iter().map(String::as_str).collect();
    let why = |id: &str| match listed.contains(id) {
        true => format!("{id} (designated)"),
        false => format!("{id} (blocked by ownership or control)"),
    };
    let mut out = Vec::new();
    store
        .each_current_entity_of(&["CryptoWallet", "BankAccount"], &mut |e| {
            let through = [Some(e.id.as_str()), e.first("holder")]
                .into_iter()
                .flatten()
                .find(|id| network.screened(derivation, id));
            let Some(through) = through else {
                return Ok(());
            };
            for key in ["publicKey", "accountNumber", "iban"] {
                for value in e.values(key) {
                    out.push((value.to_string(), why(through)));
                    let compact: String = value
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .collect::<String>()
                        .to_uppercase();
                    if key == "iban" && compact != value {
                        out.push((compact, why(through)));
                    }
                }
            }
            Ok(())
        })
        .await?;
    Ok(out)
}

pub async fn eval(args: &EvalMonitoringArgs, out: &mut impl Write) -> Result<()> {
    let rules = read_rules(args.rules.as_deref())?;
    let format = format_of(args.format);
    let mut labels = Labels::default();
    if let Some(nodes) = &args.nodes {
        let file = File::open(nodes).with_context(|| format!("opening {}", nodes.display()))?;
        labels.accounts =
            eval::read_amlsim_nodes(BufReader::new(file), &nodes.display().to_string())
                .map_err(anyhow::Error::msg)?;
    } else if format == Format::AmlSim {
        bail!("AMLSim's sample labels accounts in nodes.csv: name it with --nodes");
    }
    if let Some(patterns) = &args.patterns {
        let file =
            File::open(patterns).with_context(|| format!("opening {}", patterns.display()))?;
        let map = eval::read_patterns(BufReader::new(file), &patterns.display().to_string())
            .map_err(anyhow::Error::msg)?;
        let input =
            File::open(&args.input).with_context(|| format!("opening {}", args.input.display()))?;
        labels.txn_typology = eval::typologies_by_line(BufReader::new(input), &map)?;
    }
    let mut names = Names::default();
    let mut monitor = Monitor::new(rules);
    load_segments(args.segments.as_deref(), &mut names, &mut monitor)?;
    let (input, bar) = open_input(&args.input)?;
    let reader = Reader::new(input, format);
    let mut flagged = Flagged::default();
    let mut taken: Vec<interdict_flow::Txn> = Vec::new();
    let report = tokio::task::block_in_place(|| {
        run(
            reader,
            &mut names,
            &mut monitor,
            &mut |alert, _| {
                flagged.take(alert);
                Ok(())
            },
            &mut |txn| {
                if txn.laundering == Some(true) {
                    taken.push(*txn);
                } else if txn.laundering.is_some() {
                    labels.has_txn_labels = true;
                }
            },
            &mut |rows| bar.set_message(format!("{rows} rows")),
        )
    })?;
    bar.finish_and_clear();
    for txn in &taken {
        labels.take(txn, &names);
    }
    let evaluation = eval::evaluate(&labels, &flagged);
    if args.json {
        let body = json!({ "evaluation": evaluation, "run": report });
        writeln!(out, "{}", serde_json::to_string_pretty(&body)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "{}: {} transactions, {} accounts, {} alerts in {:.2} s (rules {})",
        args.input.display(),
        report.transactions,
        report.accounts,
        report.monitor.alerts,
        report.seconds,
        report.rules_version
    )?;
    let line = |name: &str, s: &eval::Score| {
        format!(
            "{name:<28} precision {:.3}  recall {:.3}  F1 {:.3}  ({} flagged, {} labelled)",
            s.precision, s.recall, s.f1, s.flagged, s.labelled
        )
    };
    writeln!(out, "{}", line("accounts", &evaluation.accounts))?;
    if let Some(t) = &evaluation.transactions {
        writeln!(out, "{}", line("transactions", t))?;
    }
    writeln!(out, "\nper detector ({} alerts):", report.monitor.alerts)?;
    for (name, d) in &evaluation.detectors {
        let t = d.transactions.as_ref().map_or(String::new(), |t| {
            format!("  txn precision {:.3}", t.precision)
        });
        writeln!(
            out,
            "  {name:<16} {:>7} alerts  alert precision {:.3}  account precision {:.3}{t}",
            d.alerts, d.alert_precision, d.accounts.precision
        )?;
    }
    if !evaluation.typologies.is_empty() {
        writeln!(out, "\nper labelled typology (recall of its transactions):")?;
        for (name, t) in &evaluation.typologies {
            let own = t.recall_own.map_or("-".to_string(), |r| format!("{r:.3}"));
            writeln!(
                out,
                "  {name:<16} {:>7} txns  by any alert {:.3}  by its own detector {own}",
                t.transactions, t.recall_any
            )?;
        }
    }
    print_problems(&report, out)?;
    Ok(())
}

/// `interdict simulate transactions`: `transactions.csv`, `patterns.txt` and `segments.csv`
/// in the folder.
pub fn simulate(args: &SimulateTransactionsArgs, out: &mut impl Write) -> Result<()> {
    let config = interdict_flow::simulate::Config {
        accounts: args.accounts,
        transactions: args.transactions,
        seed: args.seed,
        laundering_one_in: args.laundering_one_in,
        ..Default::default()
    };
    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("creating {}", args.output.display()))?;
    let create = |name: &str| -> Result<BufWriter<File>> {
        let path = args.output.join(name);
        let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        Ok(BufWriter::with_capacity(1 << 20, file))
    };
    let (mut transactions, mut patterns) = (create("transactions.csv")?, create("patterns.txt")?);
    let stats = interdict_flow::simulate::generate(&config, &mut transactions, &mut patterns)?;
    transactions.flush()?;
    patterns.flush()?;
    interdict_flow::simulate::segments(&config, &mut create("segments.csv")?)?;
    writeln!(out, "{stats}")?;
    writeln!(
        out,
        "wrote {} (transactions.csv, patterns.txt, segments.csv); score the monitor with\n  interdict eval monitoring --format amlworld --input {0}/transactions.csv --patterns {0}/patterns.txt --segments {0}/segments.csv",
        args.output.display()
    )?;
    Ok(())
}

pub fn read_rules(path: Option<&Path>) -> Result<Rules> {
    match path {
        None => Ok(Rules::default()),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            Ok(Rules::from_toml(&text, &path.display().to_string())?)
        }
    }
}

/// The input as a buffered reader (`-` is stdin), with a progress bar over its bytes on a
/// terminal.
fn open_input(path: &Path) -> Result<(Box<dyn BufRead>, ProgressBar)> {
    let terminal = std::io::stderr().is_terminal();
    if path == Path::new("-") {
        let bar = if terminal {
            ProgressBar::new_spinner()
        } else {
            ProgressBar::hidden()
        };
        return Ok((
            Box::new(BufReader::with_capacity(1 << 20, std::io::stdin())),
            bar,
        ));
    }
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let bar = if terminal {
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        let bar = ProgressBar::new(len);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg} ({eta})")
                .expect("a valid template"),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let read = bar.wrap_read(file);
    Ok((Box::new(BufReader::with_capacity(1 << 20, read)), bar))
}

fn print_report(report: &RunReport, input: &Path, watched: usize, json: bool) -> Result<()> {
    let mut err = std::io::stderr().lock();
    if json {
        writeln!(err, "{}", serde_json::to_string_pretty(report)?)?;
        return Ok(());
    }
    writeln!(
        err,
        "{}: {} transactions, {} accounts ({} watched), {} alerts in {:.2} s ({:.0} transactions/s, rules {})",
        input.display(),
        report.transactions,
        report.accounts,
        watched,
        report.monitor.alerts,
        report.seconds,
        report.transactions as f64 / report.seconds.max(1e-9),
        report.rules_version
    )?;
    for (typology, n) in &report.monitor.alerts_by_typology {
        writeln!(err, "  {typology:<16} {n}")?;
    }
    print_problems(report, &mut err)
}

fn print_problems(report: &RunReport, out: &mut impl Write) -> Result<()> {
    let problems = &report.problems;
    if problems.rows == 0 {
        return Ok(());
    }
    writeln!(out, "{} rows not taken:", problems.rows)?;
    for (kind, n) in &problems.by_kind {
        writeln!(out, "  {n:>8}  {kind}")?;
    }
    for e in problems.examples.iter().take(10) {
        writeln!(out, "  {e}")?;
    }
    if problems.rows > 10 {
        writeln!(
            out,
            "  … (--json lists the first {})",
            interdict_flow::run::MAX_EXAMPLES
        )?;
    }
    Ok(())
}

fn format_of(arg: FlowFormatArg) -> Format {
    match arg {
        FlowFormatArg::Amlworld => Format::AmlWorld,
        FlowFormatArg::Amlsim => Format::AmlSim,
        FlowFormatArg::AmlsimTx => Format::AmlSimTx,
        FlowFormatArg::Jsonl => Format::Jsonl,
    }
}
