//! `interdict`: the command line. Parsing of arguments lives in `cli`, doing in
//! one module per command; domain logic lives in the library crates.

mod audit;
mod bundled;
mod cases;
mod cli;
mod current;
mod entity;
mod export;
mod exposure;
mod freeze;
mod ingest;
mod lists;
mod monitor;
mod report;
mod rescreen;
mod sar;
mod screen;
mod serve;
mod simulate;
mod suppress;
mod users;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use interdict_store::{SqliteStore, Store};

use crate::cli::{Cli, Command, EntityCommand, EvalCommand, ListsCommand, SimulateCommand};
use std::sync::Arc;

// Parsing and importing a list allocates millions of small strings; mimalloc does
// that markedly faster than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("RUST_LOG"))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stops early (`| head`) is not an error.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<std::io::Error>()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

async fn run(cli: Cli) -> Result<()> {
    let store = SqliteStore::open(&cli.db)
        .await
        .with_context(|| format!("opening the store {}", cli.db.display()))?;
    // Changes are recorded as made by `--as`, else by the account running the command.
    let actor = cli
        .actor
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| "cli".into());
    let store = store.acting_as(&actor);
    // Once users exist, whoever changes anything must be one of them, with the role the
    // change needs.
    if let Some(need) = users::role_needed(&cli.command) {
        users::authorize(&store, &actor, need).await?;
    }
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Ingest(args) => {
            let outcomes = ingest::IngestPlan::from_args(&args)?.run(&store).await?;
            let summary = store.summary().await?;
            if args.json {
                let report = serde_json::json!({ "lists": outcomes, "summary": summary });
                writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
            } else {
                report::print_outcomes(&mut out, &outcomes, args.all_warnings)?;
                report::print_summary(&mut out, &summary)?;
            }
            // A new list version: the stored customers are rescreened against what changed.
            let stored = outcomes.iter().any(|o| o.status == "imported");
            if stored
                && !args.dry_run
                && !args.no_rescreen
                && let Some(outcome) = rescreen::run(&store, None).await?
            {
                rescreen::print(&mut std::io::stderr(), &outcome, false)?;
            }
        }
        Command::Customers { command } => cases::customers(&store, command, &mut out).await?,
        Command::Rescreen(args) => match rescreen::run(&store, args.threshold).await? {
            Some(outcome) => rescreen::print(&mut out, &outcome, args.json)?,
            None => anyhow::bail!(
                "no customers are stored: add them with `interdict customers import FILE`"
            ),
        },
        Command::Alerts { command } => cases::alerts(&store, command, &mut out).await?,
        Command::Cases { command } => cases::cases(&store, command, &mut out).await?,
        Command::Lists(args) => match args.command {
            None => lists::show(&store, args.json, &mut out).await?,
            Some(ListsCommand::Diff(diff)) => lists::diff(&store, &diff, &mut out).await?,
        },
        Command::Entity {
            command: EntityCommand::Show { id, json },
        } => {
            entity::show(&store, &id, json, &mut out).await?;
        }
        Command::Export(args) => export::run(&store, &args).await?,
        Command::Screen(args) => screen::run(&store, &args, &mut out).await?,
        Command::Simulate {
            command: SimulateCommand::Registry(args),
        } => simulate::registry(&store, &args).await?,
        Command::Simulate {
            command: SimulateCommand::Transactions(args),
        } => monitor::simulate(&args, &mut out)?,
        Command::Derive(args) => exposure::derive(&store, &args, &mut out).await?,
        Command::Exposure(args) => exposure::run(&store, &args, &mut out).await?,
        Command::Serve(args) => serve::run(Arc::new(store), &args).await?,
        Command::Suppress { command } => suppress::run(&store, command, &mut out).await?,
        Command::Eval {
            command: EvalCommand::Screening { cases, json },
        } => {
            screen::eval(&store, &cases, json, &mut out).await?;
        }
        Command::Eval {
            command: EvalCommand::Monitoring(args),
        } => monitor::eval(&args, &mut out).await?,
        Command::Monitor(args) => monitor::monitor(&store, &args).await?,
        Command::Audit { command } => audit::run(&store, command, &mut out).await?,
        Command::Freeze { command } => freeze::run(&store, command, &mut out).await?,
        Command::Report { command } => sar::run(&store, command, &mut out).await?,
        Command::User { command } => users::run(&store, &actor, command, &mut out).await?,
        Command::Summary { json } => {
            let summary = store.summary().await?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&summary)?)?;
            } else {
                report::print_summary(&mut out, &summary)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
