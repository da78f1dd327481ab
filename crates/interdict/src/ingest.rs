//! `interdict ingest`: parse lists, then write each as one version in one transaction.

use std::time::Instant;

use anyhow::{Context, Result, bail};
use interdict_lists::source::{self, Format, is_iso_date};
use interdict_lists::{ListSource, ParseOptions, ParsedList, Warning};
use interdict_model::Label;
use interdict_store::{ListVersion, NewVersion, Store, StoreError};
use serde::Serialize;
use tracing::debug;

use crate::bundled;
use crate::cli::{FormatArg, IngestArgs};

/// What happened to one list.
#[derive(Debug, Serialize)]
pub struct Outcome {
    pub dataset: String,
    pub version: String,
    /// `imported`, or `unchanged` when this content was already stored.
    pub status: &'static str,
    pub entities: u64,
    pub statements: u64,
    pub warnings: Vec<String>,
    pub millis: u128,
}

/// The resolved form of `interdict ingest`'s arguments.
pub struct IngestPlan {
    sources: Vec<ListSource>,
    version_date: Option<String>,
    label: Label,
    options: ParseOptions,
    dry_run: bool,
}

impl IngestPlan {
    pub fn from_args(args: &IngestArgs) -> Result<Self> {
        if let Some(date) = args.version_date.as_ref().filter(|d| !is_iso_date(d)) {
            bail!("--version-date {date:?} is not a YYYY-MM-DD date");
        }
        let mut sources = if args.paths.is_empty() {
            bundled::sources().context("reading the bundled lists")?
        } else {
            source::discover(&args.paths, args.format.map(format_of))?
        };
        if let Some(dataset) = &args.dataset {
            if sources.len() > 1 {
                bail!(
                    "--dataset names one list, but the paths hold {}",
                    sources.len()
                );
            }
            sources
                .iter_mut()
                .for_each(|s| s.dataset.clone_from(dataset));
        }
        Ok(IngestPlan {
            sources,
            version_date: args.version_date.clone(),
            label: Label::new(&args.label),
            options: ParseOptions {
                skip_bad_records: args.skip_bad_records,
            },
            dry_run: args.dry_run,
        })
    }

    /// Parses every list first, so a bad one stops the ingest before anything is written.
    pub async fn run(self, store: &dyn Store) -> Result<Vec<Outcome>> {
        let mut parsed = Vec::new();
        for source in &self.sources {
            let started = Instant::now();
            let hash = source.content_hash();
            if let Some(stored) = store.find_version(&source.dataset, &hash).await? {
                parsed.push((source, hash, None, started, Some(stored)));
                continue;
            }
            let list = source.parse(&self.options)?;
            debug!(dataset = %source.dataset, entities = list.entities.len(), ms = started.elapsed().as_millis(), "parsed");
            parsed.push((source, hash, Some(list), started, None));
        }
        let mut outcomes = Vec::new();
        // Each list is dropped once written, so the largest moment is not all of them at once.
        for (source, hash, list, started, stored) in parsed {
            let outcome = match (list, stored) {
                (_, Some(stored)) => unchanged(stored, started),
                (Some(list), None) if self.dry_run => self.dry(source, list, started),
                (Some(list), None) => self.write(store, source, hash, list, started).await?,
                (None, None) => unreachable!("a list is either stored or parsed"),
            };
            outcomes.push(outcome);
        }
        Ok(outcomes)
    }

    async fn write(
        &self,
        store: &dyn Store,
        source: &ListSource,
        content_hash: String,
        list: ParsedList,
        started: Instant,
    ) -> Result<Outcome> {
        let version = self.version_of(source, &list);
        let new = NewVersion {
            dataset: source.dataset.clone(),
            version: version.clone(),
            content_hash,
            entity_count: list.entities.len() as u64,
            warning_count: list.warnings.len() as u64,
            files: source.files().iter().map(|f| f.name.clone()).collect(),
            label: self.label.clone(),
        };
        let progress = |p: interdict_store::ImportProgress| {
            debug!(dataset = %source.dataset, written = p.written, total = p.total, "import: writing statements");
        };
        let stored = match store.import_version(&new, &list.entities, &progress).await {
            Err(StoreError::DuplicateVersion { .. }) => unreachable!("checked before parsing"),
            other => other?,
        };
        Ok(Outcome {
            dataset: stored.dataset,
            version: stored.version,
            status: "imported",
            entities: stored.entity_count,
            statements: stored.statement_count,
            warnings: list.warnings.iter().map(Warning::to_string).collect(),
            millis: started.elapsed().as_millis(),
        })
    }

    fn dry(&self, source: &ListSource, list: ParsedList, started: Instant) -> Outcome {
        let statements = list.entities.iter().map(|e| e.iter().count() as u64).sum();
        Outcome {
            dataset: source.dataset.clone(),
            version: self.version_of(source, &list),
            status: "parsed",
            entities: list.entities.len() as u64,
            statements,
            warnings: list.warnings.iter().map(Warning::to_string).collect(),
            millis: started.elapsed().as_millis(),
        }
    }

    /// The version date: as given, else as the manifest or path says, else as the list says, else today.
    fn version_of(&self, source: &ListSource, list: &ParsedList) -> String {
        self.version_date
            .clone()
            .or_else(|| source.version.clone())
            .or_else(|| list.published.clone())
            .unwrap_or_else(today)
    }
}

fn unchanged(stored: ListVersion, started: Instant) -> Outcome {
    Outcome {
        dataset: stored.dataset,
        version: stored.version,
        status: "unchanged",
        entities: stored.entity_count,
        statements: stored.statement_count,
        warnings: Vec::new(),
        millis: started.elapsed().as_millis(),
    }
}

fn format_of(arg: FormatArg) -> Format {
    match arg {
        FormatArg::OfacCsv => Format::OfacCsv,
        FormatArg::UnXml => Format::UnXml,
        FormatArg::Ftm => Format::Ftm,
    }
}

fn today() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}",
        now.year(),
        u8::from(now.month()),
        now.day()
    )
}
