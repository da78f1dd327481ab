//! Screening quality on labelled cases: recall@1, recall@5 and the false-positive rate at the
//! operating threshold, per group, per pool and overall, with the misses listed.
//!
//! Cases have the shape of `dev_cases.jsonl` (see `shared/data/screening/README.md`).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::{Query, ScreenIndex, default_threshold};

/// One labelled query.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub group: String,
    /// `must_match` or `must_not_match`.
    pub kind: String,
    pub query: String,
    pub schema: Option<String>,
    pub birth_date: Option<String>,
    pub country: Option<String>,
    /// The entity a `must_match` case must find.
    pub expected: Option<String>,
    /// The same party under another list's id: a hit on one of them counts too.
    #[serde(default)]
    pub also_ok: Vec<String>,
    #[serde(default)]
    pub pool: String,
}

/// Counts for a set of cases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub positives: usize,
    pub top1: usize,
    pub top5: usize,
    pub negatives: usize,
    pub false_positives: usize,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.positives += other.positives;
        self.top1 += other.top1;
        self.top5 += other.top5;
        self.negatives += other.negatives;
        self.false_positives += other.false_positives;
    }

    /// Share of `must_match` cases whose expected entity is the first result.
    pub fn recall1(&self) -> f64 {
        rate(self.top1, self.positives)
    }

    /// Share of `must_match` cases whose expected entity is among the first five results.
    pub fn recall5(&self) -> f64 {
        rate(self.top5, self.positives)
    }

    /// Share of `must_not_match` cases with any result at or above the threshold.
    pub fn fp_rate(&self) -> f64 {
        rate(self.false_positives, self.negatives)
    }
}

fn rate(n: usize, d: usize) -> f64 {
    if d == 0 {
        f64::NAN
    } else {
        n as f64 / d as f64
    }
}

/// A case that went wrong, with what came first instead.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub id: String,
    pub group: String,
    pub query: String,
    pub expected: Option<String>,
    /// The first result (id, matched name, score), if any.
    pub got: Option<(String, String, f64)>,
}

/// The whole evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub overall: Tally,
    pub groups: BTreeMap<String, Tally>,
    pub pools: BTreeMap<String, Tally>,
    pub misses: Vec<Failure>,
    pub false_positives: Vec<Failure>,
    /// Per-query latency in microseconds: 50th and 99th percentile and maximum.
    pub latency_us: [u128; 3],
    /// Mean per-query latency in microseconds: its inverse is the throughput of one core.
    pub mean_us: f64,
}

/// Screens every case at its schema's operating threshold and tallies the outcome.
pub fn evaluate(index: &ScreenIndex, cases: &[Case]) -> Report {
    let mut report = Report {
        overall: Tally::default(),
        groups: BTreeMap::new(),
        pools: BTreeMap::new(),
        misses: Vec::new(),
        false_positives: Vec::new(),
        latency_us: [0; 3],
        mean_us: 0.0,
    };
    let mut times: Vec<Duration> = Vec::with_capacity(cases.len());
    for case in cases {
        let query = Query {
            name: case.query.clone(),
            schema: case.schema.clone(),
            birth_date: case.birth_date.clone(),
            country: case.country.clone(),
            ..Query::default()
        };
        let started = Instant::now();
        let hits = index.screen(&query, 5, default_threshold(case.schema.as_deref()));
        times.push(started.elapsed());
        let first = hits
            .first()
            .map(|m| (m.entity_id.clone(), m.matched_name.clone(), m.score));
        let failure = || Failure {
            id: case.id.clone(),
            group: case.group.clone(),
            query: case.query.clone(),
            expected: case.expected.clone(),
            got: first.clone(),
        };
        let mut tally = Tally::default();
        if case.kind == "must_match" {
            let ok = |id: &str| {
                case.expected.as_deref() == Some(id) || case.also_ok.iter().any(|a| a == id)
            };
            tally.positives = 1;
            tally.top1 = usize::from(hits.first().is_some_and(|m| ok(&m.entity_id)));
            tally.top5 = usize::from(hits.iter().any(|m| ok(&m.entity_id)));
            if tally.top1 == 0 {
                report.misses.push(failure());
            }
        } else {
            tally.negatives = 1;
            tally.false_positives = usize::from(!hits.is_empty());
            if tally.false_positives == 1 {
                report.false_positives.push(failure());
            }
        }
        report.overall.add(&tally);
        report
            .groups
            .entry(case.group.clone())
            .or_default()
            .add(&tally);
        report
            .pools
            .entry(case.pool.clone())
            .or_default()
            .add(&tally);
    }
    times.sort_unstable();
    if !times.is_empty() {
        report.mean_us = times.iter().sum::<Duration>().as_secs_f64() * 1e6 / times.len() as f64;
    }
    if let Some(last) = times.len().checked_sub(1) {
        let at = |q: f64| times[(last as f64 * q) as usize].as_micros();
        report.latency_us = [at(0.5), at(0.99), at(1.0)];
    }
    report
}
