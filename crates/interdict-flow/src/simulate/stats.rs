//! What a run wrote: the public [`Stats`], and the tally that counts them as rows go out.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use super::calendar::Calendar;
use super::plant::Pattern;
use super::row::{Format, Row};
use super::typology::Typology;

/// What a run wrote, for the CLI (as JSON) and for people (through `Display`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Accounts in the world.
    pub accounts: usize,
    /// Accounts that appear in at least one row.
    pub active_accounts: usize,
    /// Banks in the world.
    pub banks: usize,
    /// Days the run spans.
    pub days: u64,
    /// Rows written.
    pub transactions: u64,
    /// Rows with `Is Laundering` = 1.
    pub laundering_transactions: u64,
    /// The laundering rate as "1 per N" rows, rounded; none without laundering.
    pub laundering_one_in: Option<u64>,
    /// Patterns and rows per typology, by name.
    pub typologies: BTreeMap<&'static str, TypologyStats>,
    /// Rows per payment format, by name.
    pub payment_formats: BTreeMap<&'static str, u64>,
    /// Rows whose receiving currency differs from the paying one.
    pub cross_currency: u64,
    /// The first row's timestamp, as written.
    pub first_timestamp: String,
    /// The last row's timestamp, as written.
    pub last_timestamp: String,
}

/// Patterns of one typology and the rows they hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct TypologyStats {
    /// Laundering attempts written.
    pub patterns: u64,
    /// Rows in them.
    pub transactions: u64,
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} transactions over {} days, {} to {}",
            grouped(self.transactions),
            self.days,
            self.first_timestamp,
            self.last_timestamp
        )?;
        writeln!(
            f,
            "{} accounts ({} active) at {} banks",
            grouped(self.accounts as u64),
            grouped(self.active_accounts as u64),
            self.banks
        )?;
        self.fmt_laundering(f)?;
        let formats: Vec<String> = self
            .payment_formats
            .iter()
            .map(|(name, n)| format!("{name} {}", grouped(*n)))
            .collect();
        write!(
            f,
            "payment formats: {}; cross-currency: {}",
            formats.join(", "),
            grouped(self.cross_currency)
        )
    }
}

impl Stats {
    /// The laundering line, then a line per typology.
    fn fmt_laundering(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rate = self
            .laundering_one_in
            .map_or("none".to_owned(), |n| format!("1 per {}", grouped(n)));
        let patterns: u64 = self.typologies.values().map(|t| t.patterns).sum();
        writeln!(
            f,
            "{} laundering transactions ({rate}) in {} patterns",
            grouped(self.laundering_transactions),
            grouped(patterns)
        )?;
        for (name, t) in &self.typologies {
            writeln!(
                f,
                "  {name}: {} patterns, {} transactions",
                t.patterns,
                grouped(t.transactions)
            )?;
        }
        Ok(())
    }
}

/// `1234567` as `1,234,567`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Counts for [`Stats`], kept as rows are written.
pub(super) struct Tally {
    rows: u64,
    laundering: u64,
    cross_currency: u64,
    formats: [u64; 7],
    typologies: [TypologyStats; 10],
    active: Vec<u64>,
    first: Option<u32>,
    last: u32,
}

impl Tally {
    pub(super) fn new(accounts: usize) -> Tally {
        Tally {
            rows: 0,
            laundering: 0,
            cross_currency: 0,
            formats: [0; 7],
            typologies: [TypologyStats::default(); 10],
            active: vec![0; accounts.div_ceil(64)],
            first: None,
            last: 0,
        }
    }

    pub(super) fn row(&mut self, row: &Row) {
        self.rows += 1;
        self.laundering += u64::from(row.laundering);
        self.cross_currency += u64::from(row.paid_in != row.received_in);
        self.formats[row.format as usize] += 1;
        for account in [row.from, row.to] {
            self.active[account as usize / 64] |= 1 << (account % 64);
        }
        self.first.get_or_insert(row.minute);
        self.last = row.minute;
    }

    pub(super) fn pattern(&mut self, pattern: &Pattern) {
        let t = &mut self.typologies[pattern.typology as usize];
        t.patterns += 1;
        t.transactions += pattern.rows.len() as u64;
    }

    /// Rows written so far.
    pub(super) fn rows(&self) -> u64 {
        self.rows
    }

    /// The stats of a run over `calendar` in a world of `accounts` accounts at `banks` banks.
    pub(super) fn stats(&self, accounts: usize, banks: usize, calendar: &Calendar) -> Stats {
        let typologies = Typology::ALL
            .iter()
            .map(|&ty| (ty.name(), self.typologies[ty as usize]))
            .collect();
        let payment_formats = Format::ALL
            .iter()
            .map(|&f| (f.name(), self.formats[f as usize]))
            .collect();
        Stats {
            accounts,
            active_accounts: self.active.iter().map(|w| w.count_ones() as usize).sum(),
            banks,
            days: u64::from(calendar.days()),
            transactions: self.rows,
            laundering_transactions: self.laundering,
            laundering_one_in: (self.laundering > 0)
                .then(|| (self.rows as f64 / self.laundering as f64).round() as u64),
            typologies,
            payment_formats,
            cross_currency: self.cross_currency,
            first_timestamp: calendar.timestamp(self.first.unwrap_or(0)),
            last_timestamp: calendar.timestamp(self.last),
        }
    }
}
