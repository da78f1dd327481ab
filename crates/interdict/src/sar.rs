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
    let rendered =
        render(&text, format).map_err(|e| anyhow::anyhow!("{}: {e}", input.display()))?;
    // Recorded once the XML is out, so a failed write leaves no record of a report made.
    match &output {
        Some(path) => {
            std::fs::write(path, &rendered.xml)
                .with_context(|| format!("writing {}", path.display()))?;
        }
        None => out.write_all(rendered.xml.as_bytes())?,
    }
    store
        .audit_append(&rendered.audit(&input.display().to_string()))
        .await?;
    if let Some(path) = &output {
        writeln!(
            out,
            "{} written to {} (sha256 {})",
            rendered.name,
            path.display(),
            rendered.sha256
        )?;
    }
    Ok(())
}

/// A report rendered: the XML, the format's name and the XML's SHA-256.
pub struct Rendered {
    pub xml: String,
    pub name: &'static str,
    pub sha256: String,
}

impl Rendered {
    /// The audit record of this rendering: who produced which report and its digest, so the
    /// filed bytes can be matched later.
    pub fn audit(&self, subject: &str) -> NewAudit {
        NewAudit {
            action: "report.render".into(),
            subject: subject.to_string(),
            detail: serde_json::json!({ "format": self.name, "sha256": self.sha256 }),
        }
    }
}

/// Renders a report model (JSON text) as `format`; a problem is named by its field path.
pub fn render(text: &str, format: SarFormat) -> Result<Rendered> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let report: Report = match serde_path_to_error::deserialize(&mut reader) {
        Ok(report) => report,
        Err(e) => bail!("{}: {}", e.path(), e.inner()),
    };
    let xml = match format {
        SarFormat::Fincen => fincen::to_xml(&report),
        SarFormat::Goaml => goaml::to_xml(&report),
    }
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let name = match format {
        SarFormat::Fincen => "fincen-sar",
        SarFormat::Goaml => "goaml-str",
    };
    let sha256 = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(xml.as_bytes()))
    };
    Ok(Rendered { xml, name, sha256 })
}
