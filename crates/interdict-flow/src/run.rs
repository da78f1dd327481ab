//! A whole run: a reader into the monitor, alerts out, every refused row counted.

use std::collections::{BTreeMap, VecDeque};
use std::io::BufRead;
use std::time::Instant;

use serde::Serialize;

use crate::monitor::{Alert, Monitor, MonitorStats, Refused};
use crate::read::{Reader, RowError};
use crate::txn::{Names, Txn};

/// Rows named in a report; past this many only counts are kept.
pub const MAX_EXAMPLES: usize = 100;

/// Rows that were not taken: how many of each kind, and the first few with their lines.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Problems {
    pub rows: u64,
    pub by_kind: BTreeMap<String, u64>,
    pub examples: Vec<RowError>,
}

impl Problems {
    pub fn add(&mut self, error: RowError) {
        self.rows += 1;
        let kind = match &error.field {
            Some(field) => format!("{field}: {}", kind_of(&error.message)),
            None => kind_of(&error.message),
        };
        *self.by_kind.entry(kind).or_default() += 1;
        if self.examples.len() < MAX_EXAMPLES {
            self.examples.push(error);
        }
    }
}

/// The kind of a message: its words before any quoted or numeric detail.
fn kind_of(message: &str) -> String {
    message
        .split_whitespace()
        .take_while(|w| {
            !w.starts_with(['"', '\'']) && !w.starts_with(|c: char| c.is_ascii_digit() || c == '-')
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a run did.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub rows_read: u64,
    pub transactions: u64,
    pub problems: Problems,
    pub monitor: MonitorStats,
    pub accounts: usize,
    pub rules_version: String,
    pub seconds: f64,
}

/// Streams `reader` through `monitor`, handing each alert to `on_alert` as it is closed and
/// each transaction taken to `on_txn` (for evaluation); `progress` hears the rows read every
/// 65,536 rows.
pub fn run<R: BufRead>(
    mut reader: Reader<R>,
    names: &mut Names,
    monitor: &mut Monitor,
    on_alert: &mut dyn FnMut(&Alert, &Names) -> std::io::Result<()>,
    on_txn: &mut dyn FnMut(&Txn),
    progress: &mut dyn FnMut(u64),
) -> std::io::Result<RunReport> {
    let started = Instant::now();
    let mut problems = Problems::default();
    let mut alerts = Vec::new();
    let mut rows = 0u64;
    let mut taken = 0u64;
    // Rows already in the input's buffer are read up to `AHEAD` ahead of the one pushed,
    // so the windows they will touch can be fetched into cache meanwhile: with thousands
    // of accounts those windows are mostly out of cache, and waiting for them took more
    // time than the detectors' own work.
    // A window's header is fetched as its row is read, its edges (whose place the header
    // holds) a row later, and both are in cache by the time the row is pushed.
    const AHEAD: usize = 3;
    let mut ahead: VecDeque<Result<Txn, RowError>> = VecDeque::with_capacity(AHEAD);
    loop {
        while ahead.len() < AHEAD {
            let Some(next) = reader.next_buffered(names) else {
                break;
            };
            if let Ok(txn) = &next {
                monitor.prefetch(txn, false);
            }
            ahead.push_back(next);
        }
        let Some(row) = ahead.pop_front().or_else(|| reader.next_txn(names)) else {
            break;
        };
        if let Some(Ok(next)) = ahead.front() {
            monitor.prefetch(next, true);
        }
        rows += 1;
        if rows & 0xFFFF == 0 {
            progress(rows);
        }
        let txn = match row {
            Ok(txn) => txn,
            Err(e) => {
                problems.add(e);
                continue;
            }
        };
        match monitor.push(&txn, names, &mut alerts) {
            Ok(()) => {
                taken += 1;
                on_txn(&txn);
            }
            Err(refused @ Refused::OutOfOrder { .. }) => problems.add(RowError {
                line: txn.seq,
                field: None,
                message: refused.to_string(),
            }),
        }
        for alert in alerts.drain(..) {
            on_alert(&alert, names)?;
        }
    }
    monitor.finish(names, &mut alerts);
    for alert in alerts.drain(..) {
        on_alert(&alert, names)?;
    }
    Ok(RunReport {
        rows_read: rows,
        transactions: taken,
        problems,
        monitor: monitor.stats().clone(),
        accounts: names.account_count(),
        rules_version: monitor.rules_version().to_string(),
        seconds: started.elapsed().as_secs_f64(),
    })
}
