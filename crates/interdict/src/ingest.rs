//! `interdict ingest`: parse lists, then write each as one version in one transaction.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use interdict_lists::source::{self, Format, is_iso_date};
use interdict_lists::{ListError, ListSource, ParseOptions, ParsedList, Warning};
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
    pub parse_millis: u128,
    /// Writing to the store, in one transaction.
    pub write_millis: u128,
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

    /// The bundled lists, as `interdict ingest` with no arguments reads them.
    pub fn bundled() -> Result<Self> {
        Ok(IngestPlan {
            sources: bundled::sources().context("reading the bundled lists")?,
            version_date: None,
            label: Label::new("PUBLIC"),
            options: ParseOptions::default(),
            dry_run: false,
        })
    }

    /// Parses every list first, so a bad one stops the ingest before anything is written.
    pub async fn run(self, store: &dyn Store) -> Result<Vec<Outcome>> {
        let mut lists = Vec::new();
        for source in &self.sources {
            let hash = source.content_hash();
            let stored = store.find_version(&source.dataset, &hash).await?;
            lists.push((source, hash, stored));
        }
        let to_parse: Vec<&ListSource> = lists
            .iter()
            .filter(|l| l.2.is_none())
            .map(|l| l.0)
            .collect();
        let mut parsed = tokio::task::block_in_place(|| self.parse_all(&to_parse)).into_iter();
        let mut outcomes = Vec::new();
        // Each list is dropped once written, so the largest moment is not all of them at once.
        for (source, hash, stored) in lists {
            let outcome = match stored {
                Some(stored) => unchanged(stored),
                None => {
                    let (list, parse_time) =
                        parsed.next().expect("one parse per list not stored")?;
                    debug!(dataset = %source.dataset, entities = list.entities.len(), ms = parse_time.as_millis(), "parsed");
                    match self.dry_run {
                        true => self.dry(source, list, parse_time),
                        false => self.write(store, source, hash, list, parse_time).await?,
                    }
                }
            };
            outcomes.push(outcome);
        }
        Ok(outcomes)
    }

    /// Parses lists side by side: they are independent, and parsing is CPU work.
    fn parse_all(&self, sources: &[&ListSource]) -> Vec<Result<(ParsedList, Duration), ListError>> {
        std::thread::scope(|scope| {
            let handles: Vec<_> = sources
                .iter()
                .map(|source| {
                    scope.spawn(move || {
                        let started = Instant::now();
                        source
                            .parse(&self.options)
                            .map(|list| (list, started.elapsed()))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a parser panicked"))
                .collect()
        })
    }

    async fn write(
        &self,
        store: &dyn Store,
        source: &ListSource,
        content_hash: String,
        list: ParsedList,
        parse_time: Duration,
    ) -> Result<Outcome> {
        let started = Instant::now();
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
            parse_millis: parse_time.as_millis(),
            write_millis: started.elapsed().as_millis(),
        })
    }

    fn dry(&self, source: &ListSource, list: ParsedList, parse_time: Duration) -> Outcome {
        let statements = list.entities.iter().map(|e| e.iter().count() as u64).sum();
        Outcome {
            dataset: source.dataset.clone(),
            version: self.version_of(source, &list),
            status: "parsed",
            entities: list.entities.len() as u64,
            statements,
            warnings: list.warnings.iter().map(Warning::to_string).collect(),
            parse_millis: parse_time.as_millis(),
            write_millis: 0,
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

fn unchanged(stored: ListVersion) -> Outcome {
    Outcome {
        dataset: stored.dataset,
        version: stored.version,
        status: "unchanged",
        entities: stored.entity_count,
        statements: stored.statement_count,
        warnings: Vec::new(),
        parse_millis: 0,
        write_millis: 0,
    }
}

fn format_of(arg: FormatArg) -> Format {
    match arg {
        FormatArg::OfacCsv => Format::OfacCsv,
        FormatArg::UnXml => Format::UnXml,
        FormatArg::Ftm => Format::Ftm,
        FormatArg::RegistryCsv => Format::RegistryCsv,
    }
}

pub fn today() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}",
        now.year(),
        u8::from(now.month()),
        now.day()
    )
}
