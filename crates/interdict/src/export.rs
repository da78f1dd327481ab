//! `interdict export`: every current entity as FtM JSON lines.

use std::fs::File;
use std::io::{BufWriter, Write};

use anyhow::{Context, Result};
use interdict_model::{Statement, entities_from_statements};
use interdict_store::{Store, StoreError};

use crate::cli::ExportArgs;

pub async fn run(store: &dyn Store, args: &ExportArgs) -> Result<()> {
    let sink: Box<dyn Write + Send> = match &args.output {
        Some(path) => {
            Box::new(File::create(path).with_context(|| format!("creating {}", path.display()))?)
        }
        None => Box::new(std::io::stdout()),
    };
    let mut writer = FtmWriter {
        out: BufWriter::new(sink),
        pending: Vec::new(),
        written: 0,
    };
    store
        .each_current_statement(&mut |s| writer.push(s))
        .await?;
    writer.flush_entity()?;
    writer.out.flush()?;
    if let Some(path) = &args.output {
        eprintln!("wrote {} entities to {}", writer.written, path.display());
    }
    Ok(())
}

/// Collects the statements of one entity at a time (they arrive grouped) and writes it out.
struct FtmWriter {
    out: BufWriter<Box<dyn Write + Send>>,
    pending: Vec<Statement>,
    written: u64,
}

impl FtmWriter {
    fn push(&mut self, statement: Statement) -> Result<(), StoreError> {
        if self
            .pending
            .first()
            .is_some_and(|p| p.entity_id != statement.entity_id)
        {
            self.flush_entity()?;
        }
        self.pending.push(statement);
        Ok(())
    }

    fn flush_entity(&mut self) -> Result<(), StoreError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let entities = entities_from_statements(&self.pending)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut datasets: Vec<&str> = self
            .pending
            .iter()
            .map(|s| s.provenance.dataset.as_str())
            .collect();
        datasets.sort_unstable();
        datasets.dedup();
        for entity in entities {
            let mut json = entity.to_ftm_json();
            json["datasets"] = serde_json::json!(datasets);
            serde_json::to_writer(&mut self.out, &json)
                .map_err(|e| StoreError::Sink(e.to_string()))?;
            self.out
                .write_all(b"\n")
                .map_err(|e| StoreError::Sink(e.to_string()))?;
            self.written += 1;
        }
        self.pending.clear();
        Ok(())
    }
}
