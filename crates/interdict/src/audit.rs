//! `interdict audit`: check the audit trail's hash chain, or write it out for an examiner.

use std::fs::File;
use std::io::{BufWriter, Write};

use anyhow::{Context, Result, bail};
use interdict_store::{Store, StoreError};

use crate::cli::AuditCommand;

pub async fn run(store: &dyn Store, command: AuditCommand, out: &mut impl Write) -> Result<()> {
    match command {
        AuditCommand::Verify { json } => verify(store, json, out).await,
        AuditCommand::Export { output, after } => {
            let mut sink: Box<dyn Write + Send> = match &output {
                Some(path) => Box::new(BufWriter::new(
                    File::create(path).with_context(|| format!("creating {}", path.display()))?,
                )),
                None => Box::new(BufWriter::new(std::io::stdout())),
            };
            let mut written = 0u64;
            store
                .each_audit(after, &mut |record| {
                    let line = serde_json::to_string(&record).expect("records serialize");
                    writeln!(sink, "{line}").map_err(|e| StoreError::Invalid(e.to_string()))?;
                    written += 1;
                    Ok(())
                })
                .await?;
            sink.flush()?;
            if output.is_some() {
                writeln!(out, "{written} audit records written")?;
            }
            Ok(())
        }
    }
}

async fn verify(store: &dyn Store, json: bool, out: &mut impl Write) -> Result<()> {
    let check = store.audit_verify().await?;
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&check)?)?;
    }
    match &check.broken {
        None => {
            if !json {
                writeln!(
                    out,
                    "audit trail intact: {} records, each hash chained to the one before",
                    check.records
                )?;
            }
            Ok(())
        }
        Some(broken) => bail!(
            "audit trail broken at record {}: {} ({} records read)",
            broken.seq,
            broken.reason,
            check.records
        ),
    }
}
