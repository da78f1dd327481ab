//! `interdict ingest`: parse lists, then write each as one version in one transaction.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use async_trait::async_trait;
use interdict_lists::source::{self, Format, is_iso_date};
use interdict_lists::{ListError, ListSource, ParseOptions, ParsedList, Warning};
use interdict_model::{Entity, Label};
use interdict_store::{
    EntityStream, ImportProgress, InMemory, ListVersion, NewVersion, Store, StoreError,
};
use serde::Serialize;
use tokio::sync::mpsc;
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

    /// Parses every list first, so a bad one stops the ingest before anything is written;
    /// but a registry, which can be larger than memory, is parsed as it is written, so a bad
    /// row there rolls back that registry's version alone.
    pub async fn run(self, store: &dyn Store) -> Result<Vec<Outcome>> {
        let mut lists = Vec::new();
        for source in &self.sources {
            let hash = source.content_hash();
            let stored = store.find_version(&source.dataset, &hash).await?;
            lists.push((source, hash, stored));
        }
        let to_parse: Vec<&ListSource> = lists
            .iter()
            .filter(|l| l.2.is_none() && !l.0.streams())
            .map(|l| l.0)
            .collect();
        let mut parsed = tokio::task::block_in_place(|| self.parse_all(&to_parse)).into_iter();
        let mut outcomes = Vec::new();
        // Each list is dropped once written, so the largest moment is not all of them at once;
        // lists parsed whole go first, so none is held while a registry streams.
        lists.sort_by_key(|l| l.0.streams());
        for (source, hash, stored) in lists {
            let outcome = match stored {
                Some(stored) => unchanged(stored),
                None if source.streams() => self.stream(store, source, hash).await?,
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

    /// Reads a list on its own thread while the store writes what it has read so far.
    async fn stream(
        &self,
        store: &dyn Store,
        source: &ListSource,
        hash: String,
    ) -> Result<Outcome> {
        let started = Instant::now();
        let version = self
            .version_date
            .clone()
            .or_else(|| source.version.clone())
            .unwrap_or_else(today);
        if self.dry_run {
            let (mut entities, mut statements) = (0u64, 0u64);
            let list = source.parse_each(&self.options, &mut |e| {
                entities += 1;
                statements += e.iter().count() as u64;
                Ok(())
            })?;
            return Ok(Outcome {
                dataset: source.dataset.clone(),
                version,
                status: "parsed",
                entities,
                statements,
                warnings: list.warnings.iter().map(Warning::to_string).collect(),
                parse_millis: started.elapsed().as_millis(),
                write_millis: 0,
            });
        }
        let new = self.new_version(source, hash, version);
        let (sender, receiver) = tokio::sync::mpsc::channel(READ_AHEAD);
        let (stored, read) = tokio::task::block_in_place(|| {
            std::thread::scope(|scope| {
                let reader = scope.spawn(|| {
                    let started = Instant::now();
                    read_into(source, &self.options, sender).map(|w| (w, started.elapsed()))
                });
                let mut reading = Reading {
                    receiver,
                    warnings: None,
                };
                let stored = tokio::runtime::Handle::current().block_on(store.import_stream(
                    &new,
                    &mut reading,
                    &progress_of(source),
                ));
                drop(reading);
                (stored, reader.join().expect("a reader panicked"))
            })
        });
        match (stored, read) {
            // The store gave up first, so its error is the cause.
            (Err(e), Err(ListError::Stopped(_))) => Err(e.into()),
            (_, Err(e)) => Err(e.into()),
            (Err(e), Ok(_)) => Err(e.into()),
            (Ok(stored), Ok((list, parse_time))) => {
                Ok(imported(stored, &list, parse_time, started.elapsed()))
            }
        }
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
        let new = self.new_version(source, content_hash, self.version_of(source, &list));
        let warnings = list.warnings.len() as u64;
        let mut stream = InMemory::new(list.entities, warnings);
        let stored = match store
            .import_stream(&new, &mut stream, &progress_of(source))
            .await
        {
            Err(StoreError::DuplicateVersion { .. }) => unreachable!("checked before parsing"),
            other => other?,
        };
        Ok(imported(
            stored,
            &list.warnings,
            parse_time,
            started.elapsed(),
        ))
    }

    fn new_version(
        &self,
        source: &ListSource,
        content_hash: String,
        version: String,
    ) -> NewVersion {
        NewVersion {
            dataset: source.dataset.clone(),
            version,
            content_hash,
            files: source.files().iter().map(|f| f.name.clone()).collect(),
            label: self.label.clone(),
        }
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

/// Entities read ahead of the store, in chunks: enough to keep both busy, few enough to
/// keep memory flat.
const READ_AHEAD: usize = 4;
const CHUNK: usize = 5_000;

/// What the reading thread sends the store.
enum Piece {
    Entities(Vec<Entity>),
    End { warnings: u64 },
}

/// Parses `source`, sending its entities a chunk at a time; the warnings' count goes last.
fn read_into(
    source: &ListSource,
    options: &ParseOptions,
    sender: mpsc::Sender<Piece>,
) -> Result<Vec<Warning>, ListError> {
    let stopped = |_| ListError::Stopped("the store stopped taking entities".into());
    let mut chunk = Vec::with_capacity(CHUNK);
    let list = source.parse_each(options, &mut |entity| {
        chunk.push(entity);
        if chunk.len() == CHUNK {
            let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
            sender
                .blocking_send(Piece::Entities(full))
                .map_err(stopped)?;
        }
        Ok(())
    })?;
    if !chunk.is_empty() {
        sender
            .blocking_send(Piece::Entities(chunk))
            .map_err(stopped)?;
    }
    let warnings = list.warnings.len() as u64;
    sender
        .blocking_send(Piece::End { warnings })
        .map_err(stopped)?;
    Ok(list.warnings)
}

/// The store's end of [`read_into`]: a channel closed before its end means the reader failed.
struct Reading {
    receiver: mpsc::Receiver<Piece>,
    warnings: Option<u64>,
}

#[async_trait]
impl EntityStream for Reading {
    async fn next_chunk(&mut self) -> Result<Option<Vec<Entity>>, StoreError> {
        match self.receiver.recv().await {
            Some(Piece::Entities(chunk)) => Ok(Some(chunk)),
            Some(Piece::End { warnings }) => {
                self.warnings = Some(warnings);
                Ok(None)
            }
            None => Err(StoreError::Sink("the list's reader stopped".into())),
        }
    }

    fn warning_count(&self) -> u64 {
        self.warnings.unwrap_or(0)
    }
}

fn progress_of(source: &ListSource) -> impl Fn(ImportProgress) + Send + Sync + '_ {
    move |p: ImportProgress| {
        debug!(dataset = %source.dataset, entities = p.entities, statements = p.statements, "import: written");
    }
}

fn imported(
    stored: ListVersion,
    warnings: &[Warning],
    parse_time: Duration,
    write_time: Duration,
) -> Outcome {
    Outcome {
        dataset: stored.dataset,
        version: stored.version,
        status: "imported",
        entities: stored.entity_count,
        statements: stored.statement_count,
        warnings: warnings.iter().map(Warning::to_string).collect(),
        parse_millis: parse_time.as_millis(),
        write_millis: write_time.as_millis(),
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
