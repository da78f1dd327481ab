//! `interdict export`: every current entity as FtM JSON lines.

use std::fs::File;
use std::io::{BufWriter, Write};

use anyhow::{Context, Result};
use interdict_store::Store;

use crate::cli::ExportArgs;
use crate::current;

pub async fn run(store: &dyn Store, args: &ExportArgs) -> Result<()> {
    let sink: Box<dyn Write + Send> = match &args.output {
        Some(path) => {
            Box::new(File::create(path).with_context(|| format!("creating {}", path.display()))?)
        }
        None => Box::new(std::io::stdout()),
    };
    let mut out = BufWriter::new(sink);
    let mut written = 0u64;
    current::each_entity(store, &mut |entity, datasets| {
        let mut json = entity.to_ftm_json();
        json["datasets"] = serde_json::json!(datasets);
        serde_json::to_writer(&mut out, &json)?;
        out.write_all(b"\n")?;
        written += 1;
        Ok(())
    })
    .await?;
    out.flush()?;
    if let Some(path) = &args.output {
        eprintln!("wrote {written} entities to {}", path.display());
    }
    Ok(())
}
