//! `interdict report sar`: a suspicious activity report rendered for the regulator, and the
//! rendering recorded in the audit trail.

use std::io::Write;

use anyhow::{Context, Result, bail};
use interdict_report::{Report, fincen, goaml};
use interdict_store::{NewAudit, Store};

use crate::cli::{ReportCommand, SarFormat};

pub async fn run(store: &dyn Store, command: ReportCommand, out: &mut impl Write) -> Result<()> {
    let ReportCommand::Sar {
        input,
        format,
        output,
    } = command;
    let text =
        std::fs::read_to_string(&input).with_context(|| format!("reading {}", input.display()))?;
    let mut reader = serde_json::Deserializer::from_str(&text);
    let report: Report = match serde_path_to_error::deserialize(&mut reader) {
        Ok(report) => report,
        Err(e) => bail!("{}: {}: {}", input.display(), e.path(), e.inner()),
    };
    let rendered = match format {
        SarFormat::Fincen => fincen::to_xml(&report),
        SarFormat::Goaml => goaml::to_xml(&report),
    };
    let xml = rendered.map_err(|e| anyhow::anyhow!("{}: {e}", input.display()))?;
    let name = match format {
        SarFormat::Fincen => "fincen-sar",
        SarFormat::Goaml => "goaml-str",
    };
    // Who produced which report, and its digest, so the filed bytes can be matched later.
    let digest = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(xml.as_bytes()))
    };
    let entry = NewAudit {
        action: "report.render".into(),
        subject: input.display().to_string(),
        detail: serde_json::json!({ "format": name, "sha256": digest }),
    };
    // Recorded once the XML is out, so a failed write leaves no record of a report made.
    match &output {
        Some(path) => {
            std::fs::write(path, &xml).with_context(|| format!("writing {}", path.display()))?;
        }
        None => out.write_all(xml.as_bytes())?,
    }
    store.audit_append(&entry).await?;
    if let Some(path) = &output {
        writeln!(
            out,
            "{name} written to {} (sha256 {digest})",
            path.display()
        )?;
    }
    Ok(())
}
