//! What to simulate, and why a config is refused.

use rand::Rng;
use rand::distr::uniform::SampleUniform;
use time::{Date, Duration};

use super::typology::Typologies;

/// AMLworld's HI-Small holds 5.08 million rows for 515 thousand accounts over ten days.
const ROWS_PER_ACCOUNT_DAY: u64 = 1;
const MIN_DAYS: u64 = 10;
/// Ten years: the calendar, the day table and the minute counters stay small.
const MAX_DAYS: u64 = 3_660;
/// Below this the patterns cannot find enough distinct accounts and banks.
const MIN_ACCOUNTS: usize = 1_000;
/// Account ids are 27 bits of a 9-hex-digit number, unique within a bank.
const MAX_ACCOUNTS: usize = 1 << 27;
const MIN_TRANSACTIONS: u64 = 1_000;
/// Laundering has to stay a minority for the background to mean anything.
const MIN_LAUNDERING_ONE_IN: u64 = 10;

/// What to simulate. `Config::default()` gives AMLworld-like proportions at a small size.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Accounts in the world: individuals (80%) and companies (20%).
    pub accounts: usize,
    /// Rows to write, laundering included.
    pub transactions: u64,
    /// Seed of every random choice: the same config writes the same bytes.
    pub seed: u64,
    /// The first day (AMLworld's small and medium sets start on 2022-09-01).
    pub start: Date,
    /// One laundering row per this many rows (AMLworld: 981 in HI-Small, 1,942 in LI-Small).
    pub laundering_one_in: u64,
    /// The shapes of the planted laundering attempts.
    pub typologies: Typologies,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            accounts: 10_000,
            transactions: 100_000,
            seed: 1,
            start: time::macros::date!(2022 - 09 - 01),
            laundering_one_in: 1_000,
            typologies: Typologies::default(),
        }
    }
}

impl Config {
    /// Days the run spans: enough for about one row per account and day, and at least ten.
    pub fn days(&self) -> u64 {
        let per_day = (self.accounts as u64).max(1) * ROWS_PER_ACCOUNT_DAY;
        self.transactions.div_ceil(per_day).max(MIN_DAYS)
    }

    /// Refuses a config the generator cannot honour, naming the field at fault.
    pub fn check(&self) -> Result<(), ConfigError> {
        if !(MIN_ACCOUNTS..=MAX_ACCOUNTS).contains(&self.accounts) {
            return Err(ConfigError::Accounts {
                min: MIN_ACCOUNTS,
                max: MAX_ACCOUNTS,
                got: self.accounts,
            });
        }
        if self.transactions < MIN_TRANSACTIONS {
            return Err(ConfigError::Transactions {
                min: MIN_TRANSACTIONS,
                got: self.transactions,
            });
        }
        if self.laundering_one_in < MIN_LAUNDERING_ONE_IN {
            return Err(ConfigError::LaunderingShare {
                min: MIN_LAUNDERING_ONE_IN,
                got: self.laundering_one_in,
            });
        }
        let days = self.days();
        let ends = i64::try_from(days)
            .ok()
            .and_then(|d| self.start.checked_add(Duration::days(d)));
        if days > MAX_DAYS || ends.is_none() {
            return Err(ConfigError::Span {
                days,
                max: MAX_DAYS,
                start: self.start,
            });
        }
        self.typologies.check(self.accounts / 4)
    }
}

/// Why a [`Config`] was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    /// Too few accounts for the patterns, or more than the id space holds.
    #[error("accounts must be between {min} and {max}, not {got}")]
    Accounts {
        /// The smallest world supported.
        min: usize,
        /// The largest world supported.
        max: usize,
        /// What was asked for.
        got: usize,
    },
    /// Too few transactions to hold a background and patterns.
    #[error("transactions must be at least {min}, not {got}")]
    Transactions {
        /// The smallest run supported.
        min: u64,
        /// What was asked for.
        got: u64,
    },
    /// A laundering share so high that the background would drown.
    #[error("laundering_one_in must be at least {min}, not {got}")]
    LaunderingShare {
        /// The highest share supported, as one in `min`.
        min: u64,
        /// What was asked for.
        got: u64,
    },
    /// Transactions per account so many that the run would span too long.
    #[error("the run would span {days} days from {start}, more than {max}: add accounts")]
    Span {
        /// Days the run would span.
        days: u64,
        /// The longest run supported.
        max: u64,
        /// The first day.
        start: Date,
    },
    /// A pattern parameter out of range.
    #[error("{typology} {field}: {reason}")]
    Spec {
        /// The typology's name as written in the patterns file.
        typology: &'static str,
        /// The parameter at fault.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}

/// An inclusive range a parameter is drawn from, uniformly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds<T> {
    /// The smallest value drawn.
    pub min: T,
    /// The largest value drawn.
    pub max: T,
}

impl<T> Bounds<T> {
    /// The range `min..=max`.
    pub const fn new(min: T, max: T) -> Self {
        Bounds { min, max }
    }
}

impl<T: SampleUniform + PartialOrd + Copy> Bounds<T> {
    pub(super) fn draw(&self, rng: &mut impl Rng) -> T {
        rng.random_range(self.min..=self.max)
    }
}
