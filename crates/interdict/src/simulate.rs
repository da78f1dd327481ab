//! `interdict simulate registry`: a synthetic company registry, written in the registry CSV
//! format `ingest` reads, whose owners now and then are real designated parties of the store.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use interdict_graph::LinkKind;
use interdict_graph::simulate::{Record, RegistrySpec, stream};
use interdict_store::Store;
use serde_json::json;

use crate::cli::SimulateRegistryArgs;
use crate::exposure::Network;

pub async fn registry(store: &dyn Store, args: &SimulateRegistryArgs) -> Result<()> {
    if args.companies == 0 {
        bail!("--companies must be at least 1");
    }
    // People and organisations the lists designate, in a stable order.
    let network = Network::load(store).await?;
    let listed: BTreeSet<&str> = network
        .listed
        .iter()
        .map(String::as_str)
        .filter(|id| network.graph.node(id).is_some())
        .collect();
    if listed.is_empty() {
        bail!("the store holds no designated parties: run `interdict ingest` first");
    }
    let spec = RegistrySpec {
        companies: args.companies,
        seed: args.seed,
        listed: listed.iter().map(|s| s.to_string()).collect(),
        ..RegistrySpec::default()
    };
    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("creating {}", args.output.display()))?;
    let written = write(&spec, &args.output)?;
    eprintln!(
        "wrote {} companies, {} people, {} holdings and {} other links to {} \
         (seed {}; {} designated parties linked in)",
        written.companies,
        written.persons,
        written.holdings,
        written.others,
        args.output.display(),
        args.seed,
        spec.listed.len()
    );
    Ok(())
}

#[derive(Default)]
struct Written {
    companies: u64,
    persons: u64,
    holdings: u64,
    others: u64,
}

fn create(dir: &Path, name: &str) -> Result<BufWriter<File>> {
    let path = dir.join(name);
    Ok(BufWriter::new(
        File::create(&path).with_context(|| format!("creating {}", path.display()))?,
    ))
}

fn write(spec: &RegistrySpec, dir: &Path) -> Result<Written> {
    let mut entities = csv::Writer::from_writer(create(dir, "entities.csv")?);
    let mut ownership = csv::Writer::from_writer(create(dir, "ownership.csv")?);
    let mut links = create(dir, "links.ftm.json")?;
    entities.write_record([
        "id",
        "schema",
        "name",
        "jurisdiction",
        "registration_number",
    ])?;
    ownership.write_record([
        "owner_id",
        "asset_id",
        "percentage",
        "start_date",
        "end_date",
    ])?;
    let mut persons: BTreeSet<String> = BTreeSet::new();
    let mut written = Written::default();
    for record in stream(spec) {
        match record {
            Record::Company(c) => {
                entities.write_record([
                    c.id.as_str(),
                    "Company",
                    &c.name,
                    &c.country,
                    &c.registration_number,
                ])?;
                written.companies += 1;
            }
            Record::Link(link) => {
                for end in [&link.from, &link.to] {
                    if end.starts_with("sim-p-") && !persons.contains(end.as_str()) {
                        persons.insert(end.clone());
                    }
                }
                if link.kind == LinkKind::Ownership {
                    let pct = link.percentage.map(|p| p.to_string()).unwrap_or_default();
                    let start = link.start.clone().unwrap_or_default();
                    let end = link.end.clone().unwrap_or_default();
                    ownership.write_record([&link.from, &link.to, &pct, &start, &end])?;
                    written.holdings += 1;
                } else {
                    let (schema, from, to) = match link.kind {
                        LinkKind::Directorship => ("Directorship", "director", "organization"),
                        LinkKind::Family => ("Family", "person", "relative"),
                        LinkKind::Associate => ("Associate", "person", "associate"),
                        LinkKind::Membership => ("Membership", "member", "organization"),
                        _ => ("UnknownLink", "subject", "object"),
                    };
                    let mut properties = json!({ from: [link.from], to: [link.to] });
                    if let Some(start) = &link.start {
                        properties["startDate"] = json!([start]);
                    }
                    if let Some(end) = &link.end {
                        properties["endDate"] = json!([end]);
                    }
                    let entity =
                        json!({"id": link.source, "schema": schema, "properties": properties});
                    serde_json::to_writer(&mut links, &entity)?;
                    links.write_all(b"\n")?;
                    written.others += 1;
                }
            }
        }
    }
    for person in &persons {
        let name = format!("Persona Simulada {}", &person["sim-p-".len()..]);
        entities.write_record([person.as_str(), "Person", &name, "", ""])?;
        written.persons += 1;
    }
    entities.flush()?;
    ownership.flush()?;
    links.flush()?;
    Ok(written)
}
