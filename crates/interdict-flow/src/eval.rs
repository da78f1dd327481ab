//! Scoring alerts against labelled data: precision, recall and F1 over accounts and over
//! transactions, per typology where the data names them.

use std::collections::BTreeMap;
use std::io::BufRead;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::monitor::Alert;
use crate::txn::{Names, Txn};

/// Precision, recall and F1 of one flagged set against one labelled set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Score {
    pub flagged: u64,
    pub labelled: u64,
    pub correct: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Score {
    pub fn of<T: Eq + std::hash::Hash>(flagged: &FxHashSet<T>, labelled: &FxHashSet<T>) -> Self {
        let correct = flagged.iter().filter(|x| labelled.contains(x)).count() as u64;
        Self::from_counts(flagged.len() as u64, labelled.len() as u64, correct)
    }

    pub fn from_counts(flagged: u64, labelled: u64, correct: u64) -> Self {
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let (precision, recall) = (ratio(correct, flagged), ratio(correct, labelled));
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
        Self {
            flagged,
            labelled,
            correct,
            precision: round(precision),
            recall: round(recall),
            f1: round(f1),
        }
    }
}

/// What the input says is laundering: accounts and, where labelled, transactions, and the
/// typology each laundering transaction belongs to where a patterns file names it.
#[derive(Debug, Default)]
pub struct Labels {
    pub accounts: FxHashSet<String>,
    pub txns: FxHashSet<u64>,
    pub txn_typology: FxHashMap<u64, String>,
    /// Whether the input labels transactions (AMLSim's sample labels accounts only).
    pub has_txn_labels: bool,
}

impl Labels {
    /// Takes a transaction's own label, if it carries one.
    pub fn take(&mut self, txn: &Txn, names: &Names) {
        if let Some(laundering) = txn.laundering {
            self.has_txn_labels = true;
            if laundering {
                self.txns.insert(txn.seq);
                for account in [txn.from, txn.to] {
                    self.accounts
                        .insert(names.account_name(account).to_string());
                }
            }
        }
    }
}

/// Reads AMLSim's `nodes.csv` (`nodeid,isFraud,…`): the accounts labelled fraudulent.
pub fn read_amlsim_nodes(input: impl BufRead, file: &str) -> Result<FxHashSet<String>, String> {
    let mut out = FxHashSet::default();
    let mut lines = input.lines();
    let header = lines
        .next()
        .transpose()
        .map_err(|e| format!("{file}: {e}"))?
        .unwrap_or_default();
    let columns: Vec<&str> = header.trim().split(',').collect();
    let id = columns.iter().position(|c| *c == "nodeid");
    let fraud = columns.iter().position(|c| *c == "isFraud");
    let (Some(id), Some(fraud)) = (id, fraud) else {
        return Err(format!("{file}:1: expected columns nodeid and isFraud"));
    };
    for (n, line) in lines.enumerate() {
        let line = line.map_err(|e| format!("{file}:{}: {e}", n + 2))?;
        let fields: Vec<&str> = line.trim().split(',').collect();
        match (fields.get(id), fields.get(fraud)) {
            (Some(node), Some(&"1")) => {
                out.insert(node.to_string());
            }
            (Some(_), Some(&"0")) => {}
            _ if line.trim().is_empty() => {}
            _ => {
                return Err(format!(
                    "{file}:{}: expected nodeid and isFraud 0 or 1",
                    n + 2
                ));
            }
        }
    }
    Ok(out)
}

/// Reads an AMLworld `*_Patterns.txt`: each laundering row's text with its typology
/// (`fan-out`, `cycle`, …, lower case as the detectors name them).
pub fn read_patterns(input: impl BufRead, file: &str) -> Result<FxHashMap<String, String>, String> {
    let mut out = FxHashMap::default();
    let mut current: Option<String> = None;
    for (n, line) in input.lines().enumerate() {
        let line = line.map_err(|e| format!("{file}:{}: {e}", n + 1))?;
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("BEGIN LAUNDERING ATTEMPT - ") {
            let name = rest.split(':').next().unwrap_or(rest).trim();
            current = Some(name.to_ascii_lowercase());
        } else if line.starts_with("END LAUNDERING ATTEMPT") {
            current = None;
        } else if !line.is_empty() {
            let Some(typology) = &current else {
                return Err(format!(
                    "{file}:{}: a row outside any BEGIN/END block",
                    n + 1
                ));
            };
            out.insert(line.to_string(), typology.clone());
        }
    }
    Ok(out)
}

/// Gives each laundering row of an AMLworld file its pattern's typology, by line.
pub fn typologies_by_line(
    input: impl BufRead,
    patterns: &FxHashMap<String, String>,
) -> std::io::Result<FxHashMap<u64, String>> {
    let mut out = FxHashMap::default();
    for (n, line) in input.lines().enumerate() {
        let line = line?;
        let line = line.trim();
        if line.ends_with(",1")
            && let Some(t) = patterns.get(line)
        {
            out.insert(n as u64 + 1, t.clone());
        }
    }
    Ok(out)
}

/// Alerts gathered for scoring.
#[derive(Debug, Default)]
pub struct Flagged {
    accounts: FxHashSet<String>,
    txns: FxHashSet<u64>,
    by_detector: BTreeMap<&'static str, DetectorFlags>,
}

/// What one detector flagged: accounts, transactions, and each alert's key account.
#[derive(Debug, Default)]
struct DetectorFlags {
    accounts: FxHashSet<String>,
    txns: FxHashSet<u64>,
    keys: Vec<String>,
}

impl Flagged {
    pub fn take(&mut self, alert: &Alert) {
        let entry = self.by_detector.entry(alert.typology.name()).or_default();
        entry.keys.extend(alert.accounts.first().cloned());
        for a in &alert.accounts {
            self.accounts.insert(a.clone());
            entry.accounts.insert(a.clone());
        }
        self.txns.extend(&alert.seqs);
        entry.txns.extend(&alert.seqs);
    }
}

/// The scores of one run.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub accounts: Score,
    /// `None` when the input labels no transactions.
    pub transactions: Option<Score>,
    /// Per detector: its alerts, and the precision of what it flagged.
    pub detectors: BTreeMap<&'static str, DetectorScore>,
    /// Per labelled typology (patterns file): recall of its laundering transactions by any
    /// alert, and by the detector of the same name where there is one.
    pub typologies: BTreeMap<String, TypologyScore>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DetectorScore {
    pub alerts: u64,
    /// The share of alerts whose key account (the hub, the funnel, the account structured
    /// into) is a labelled one: what an analyst opening the alerts would find.
    pub alert_precision: f64,
    pub accounts: Score,
    pub transactions: Option<Score>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TypologyScore {
    pub transactions: u64,
    pub recall_any: f64,
    pub recall_own: Option<f64>,
}

pub fn evaluate(labels: &Labels, flagged: &Flagged) -> Evaluation {
    let txn_score = |t: &FxHashSet<u64>| labels.has_txn_labels.then(|| Score::of(t, &labels.txns));
    let detectors = flagged
        .by_detector
        .iter()
        .map(|(name, flags)| {
            let hits = flags
                .keys
                .iter()
                .filter(|k| labels.accounts.contains(*k))
                .count();
            let score = DetectorScore {
                alerts: flags.keys.len() as u64,
                alert_precision: Score::from_counts(flags.keys.len() as u64, 0, hits as u64)
                    .precision,
                accounts: Score::of(&flags.accounts, &labels.accounts),
                transactions: txn_score(&flags.txns),
            };
            (*name, score)
        })
        .collect();
    let mut per: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for (seq, typology) in &labels.txn_typology {
        per.entry(typology.clone()).or_default().push(*seq);
    }
    let typologies = per
        .into_iter()
        .map(|(typology, seqs)| {
            let share = |set: &FxHashSet<u64>| {
                let hit = seqs.iter().filter(|s| set.contains(s)).count();
                (hit as f64 / seqs.len() as f64 * 10_000.0).round() / 10_000.0
            };
            let own = flagged
                .by_detector
                .iter()
                .find(|(name, _)| **name == typology)
                .map(|(_, flags)| share(&flags.txns));
            let score = TypologyScore {
                transactions: seqs.len() as u64,
                recall_any: share(&flagged.txns),
                recall_own: own.or_else(|| {
                    crate::monitor::Typology::ALL
                        .iter()
                        .any(|t| t.name() == typology)
                        .then_some(0.0)
                }),
            };
            (typology, score)
        })
        .collect();
    Evaluation {
        accounts: Score::of(&flagged.accounts, &labels.accounts),
        transactions: txn_score(&flagged.txns),
        detectors,
        typologies,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_count_what_was_flagged_against_what_was_labelled() {
        let flagged: FxHashSet<u32> = [1, 2, 3, 4].into_iter().collect();
        let labelled: FxHashSet<u32> = [3, 4, 5, 6, 7, 8].into_iter().collect();
        let s = Score::of(&flagged, &labelled);
        assert_eq!((s.correct, s.precision, s.recall), (2, 0.5, 0.3333));
        assert_eq!(s.f1, 0.4);
        assert_eq!(Score::of(&FxHashSet::<u32>::default(), &labelled).f1, 0.0);
    }

    #[test]
    fn alert_precision_counts_alerts_by_their_key_account() {
        let alert = |key: &str, other: &str| Alert {
            typology: crate::monitor::Typology::FanIn,
            severity: crate::monitor::Severity::Medium,
            score: 0.5,
            accounts: vec![key.into(), other.into()],
            transactions: vec![],
            window: crate::monitor::AlertWindow {
                from: String::new(),
                to: String::new(),
            },
            summary: String::new(),
            rules_version: String::new(),
            seqs: vec![],
        };
        let mut flagged = Flagged::default();
        for (key, other) in [
            ("hub", "a"),
            ("shop", "b"),
            ("school", "c"),
            ("mule", "hub"),
        ] {
            flagged.take(&alert(key, other));
        }
        let labels = Labels {
            accounts: ["hub", "mule", "a"].into_iter().map(String::from).collect(),
            ..Labels::default()
        };
        let fan = &evaluate(&labels, &flagged).detectors["fan-in"];
        assert_eq!((fan.alerts, fan.alert_precision), (4, 0.5));
        assert_eq!(fan.accounts.correct, 3);
    }

    #[test]
    fn patterns_map_rows_to_their_typology() {
        let text = "BEGIN LAUNDERING ATTEMPT - FAN-OUT:  Max 16-degree Fan-Out\n\
                    2022/09/01 00:06,021174,800737690,012,80011F990,2848.96,Euro,2848.96,Euro,ACH,1\n\
                    END LAUNDERING ATTEMPT - FAN-OUT\n\n\
                    BEGIN LAUNDERING ATTEMPT - CYCLE:  Max 10 hops\n\
                    2022/09/01 00:07,1,A,2,B,1.00,Euro,1.00,Euro,ACH,1\n\
                    END LAUNDERING ATTEMPT - CYCLE\n";
        let map = read_patterns(text.as_bytes(), "p.txt").unwrap();
        assert_eq!(map.len(), 2);
        assert_eq!(
            map["2022/09/01 00:07,1,A,2,B,1.00,Euro,1.00,Euro,ACH,1"],
            "cycle"
        );
        let stray = read_patterns(
            "2022/09/01 00:07,1,A,2,B,1.00,Euro,1.00,Euro,ACH,1\n".as_bytes(),
            "p.txt",
        );
        assert_eq!(
            stray.unwrap_err(),
            "p.txt:1: a row outside any BEGIN/END block"
        );
    }
}
