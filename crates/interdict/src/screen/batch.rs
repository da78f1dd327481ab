//! `interdict screen --input FILE --output FILE`: many records, on every core, restartable.
//!
//! Results are appended a chunk at a time, in input order; a rerun reads the ids already
//! written (dropping a last line cut short by a crash) and screens only the rest, so an
//! interrupted batch is finished without duplicates.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, IsTerminal, Seek, SeekFrom, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use interdict_screen::{Match, Query, ScreenIndex, default_threshold};
use interdict_store::{NewAlert, Store};
use serde::Deserialize;
use serde_json::json;

/// Records screened between two writes: what a crash can lose.
const CHUNK: usize = 512;

/// One input record.
#[derive(Debug, Deserialize, serde::Serialize)]
struct Record {
    id: String,
    name: String,
    schema: Option<String>,
    birth_date: Option<String>,
    country: Option<String>,
    id_number: Option<String>,
    gender: Option<String>,
}

/// Decided false positives by customer id: a record's id is its customer id.
#[derive(Debug, Default)]
pub struct Suppressed(HashMap<String, HashSet<String>>);

impl Suppressed {
    pub async fn load(store: &dyn Store) -> Result<Self> {
        let mut by_customer: HashMap<String, HashSet<String>> = HashMap::new();
        for s in store.suppressions(None).await? {
            by_customer
                .entry(s.customer_id)
                .or_default()
                .insert(s.entity_id);
        }
        Ok(Suppressed(by_customer))
    }

    fn allows(&self, customer: &str, entity: &str) -> bool {
        self.0.get(customer).is_none_or(|s| !s.contains(entity))
    }
}

/// Where hits go besides the output file: the store's alert inbox, when asked.
pub type Inbox<'a> = Option<&'a dyn Store>;

pub fn run(
    index: &ScreenIndex,
    suppressed: &Suppressed,
    input: &Path,
    output: &Path,
    limit: usize,
    threshold: Option<f64>,
    inbox: Inbox<'_>,
) -> Result<()> {
    let records = read_records(input)?;
    let done = resume(output)?;
    let todo: Vec<&Record> = records.iter().filter(|r| !done.contains(&r.id)).collect();
    let mut out = OpenOptions::new()
        .create(true)
        .append(true)
        .open(output)
        .with_context(|| format!("opening {}", output.display()))?;
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(records.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} records, {per_sec}, {eta} left")
            .expect("a valid progress template"),
    );
    bar.set_position(done.len() as u64);
    let mut raised = 0;
    for chunk in todo.chunks(CHUNK) {
        let screened = screen_chunk(index, suppressed, chunk, limit, threshold);
        let lines: Vec<&str> = screened.iter().map(|(line, _)| line.as_str()).collect();
        out.write_all(lines.concat().as_bytes())?;
        out.flush()?;
        // The chunk's hits are raised once its lines are written: a rerun skips the
        // records written, and raising the same hit twice raises it once.
        if let Some(store) = inbox {
            let alerts: Vec<NewAlert> = chunk
                .iter()
                .zip(&screened)
                .flat_map(|(record, (_, hits))| hits.iter().map(|m| alert(record, m)))
                .collect();
            let runtime = tokio::runtime::Handle::current();
            raised +=
                tokio::task::block_in_place(|| runtime.block_on(store.raise_alerts(&alerts)))?
                    .len();
        }
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    eprintln!(
        "{} records screened, {} already in {}",
        todo.len(),
        done.len(),
        output.display()
    );
    if inbox.is_some() {
        eprintln!("{raised} alerts raised into the inbox");
    }
    Ok(())
}

/// A batch hit as the inbox keeps it: once per record id and party.
fn alert(record: &Record, m: &Match) -> NewAlert {
    NewAlert {
        source: "screening".into(),
        dedupe: format!("screening {} {} batch", record.id, m.entity_id),
        subject: record.id.clone(),
        entity_id: Some(m.entity_id.clone()),
        score: Some(m.score),
        severity: if m.score >= 0.9 { "high" } else { "medium" }.into(),
        summary: format!(
            "record {} ({}) resembles {} ({}), score {:.2}: batch screening",
            record.id, record.name, m.caption, m.entity_id, m.score
        ),
        detail: json!({ "record": record, "match": m }),
    }
}

/// Screens a chunk on every core; lines (with the hits behind them) come back in input order.
fn screen_chunk(
    index: &ScreenIndex,
    suppressed: &Suppressed,
    chunk: &[&Record],
    limit: usize,
    threshold: Option<f64>,
) -> Vec<(String, Vec<Match>)> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_thread = chunk.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunk
            .chunks(per_thread)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|r| screen_one(index, suppressed, r, limit, threshold))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a screening thread panicked"))
            .collect()
    })
}

fn screen_one(
    index: &ScreenIndex,
    suppressed: &Suppressed,
    record: &Record,
    limit: usize,
    threshold: Option<f64>,
) -> (String, Vec<Match>) {
    let query = Query {
        name: record.name.clone(),
        schema: record.schema.clone(),
        birth_date: record.birth_date.clone(),
        country: record.country.clone(),
        gender: record.gender.clone(),
        id_number: record.id_number.clone(),
    };
    let threshold = threshold.unwrap_or_else(|| default_threshold(query.schema.as_deref()));
    let hits = index.screen_where(&query, limit, threshold, |entity| {
        suppressed.allows(&record.id, entity)
    });
    let results: Vec<_> = hits
        .iter()
        .map(|m| {
            json!({"id": m.entity_id, "caption": m.caption, "schema": m.schema, "score": m.score,
                   "matched_name": m.matched_name, "explanation": m.explanation})
        })
        .collect();
    let line = format!("{}\n", json!({"id": record.id, "results": results}));
    (line, hits)
}

/// Reads CSV (by extension) or JSON lines; a bad record stops the batch, naming its line.
fn read_records(path: &Path) -> Result<Vec<Record>> {
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let mut records: Vec<Record> = Vec::new();
    if is_csv {
        let mut reader =
            csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
        for (n, row) in reader.deserialize().enumerate() {
            records
                .push(row.with_context(|| format!("{}:{}: not a record", path.display(), n + 2))?);
        }
    } else {
        let file = File::open(path).with_context(|| format!("reading {}", path.display()))?;
        for (n, line) in BufReader::new(file).split(b'\n').enumerate() {
            let line = line.with_context(|| format!("reading {}", path.display()))?;
            let line = std::str::from_utf8(&line).map_err(|e| {
                anyhow::anyhow!(
                    "{}:{}: not UTF-8 (byte {} of the line)",
                    path.display(),
                    n + 1,
                    e.valid_up_to() + 1
                )
            })?;
            if !line.trim().is_empty() {
                records.push(
                    serde_json::from_str(line)
                        .with_context(|| format!("{}:{}: not a record", path.display(), n + 1))?,
                );
            }
        }
    }
    let mut seen = HashSet::new();
    if let Some(dup) = records.iter().find(|r| !seen.insert(r.id.as_str())) {
        bail!(
            "{}: id {:?} appears twice; ids make a batch restartable, so they must be unique",
            path.display(),
            dup.id
        );
    }
    Ok(records)
}

/// The ids already in `output`; a last line left incomplete by a crash is cut off.
fn resume(output: &Path) -> Result<HashSet<String>> {
    let Ok(file) = File::open(output) else {
        return Ok(HashSet::new());
    };
    let mut done = HashSet::new();
    let mut good_len = 0u64;
    for line in BufReader::new(file).split(b'\n') {
        let line = line?;
        match serde_json::from_slice::<serde_json::Value>(&line)
            .ok()
            .and_then(|v| v["id"].as_str().map(String::from))
        {
            Some(id) => {
                done.insert(id);
                good_len += line.len() as u64 + 1;
            }
            None => break,
        }
    }
    let mut file = OpenOptions::new().write(true).open(output)?;
    file.set_len(good_len)?;
    file.seek(SeekFrom::End(0))?;
    Ok(done)
}
