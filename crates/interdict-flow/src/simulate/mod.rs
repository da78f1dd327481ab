//! Synthetic transactions in IBM AMLworld's CSV format, with laundering attempts planted in a
//! heavy-tailed background of ordinary payments.
//!
//! The transaction monitor needs data whose answers are known, at sizes AMLworld does not ship
//! and with typologies it does not plant (structuring, funnel accounts, rapid pass-through).
//! [`generate`] writes the two files AMLworld publishes, a transactions CSV (`*_Trans.csv`) and
//! a list of laundering attempts (`*_Patterns.txt`), in the same shapes, so that one reader
//! serves Kaggle's files and ours.
//!
//! ```no_run
//! use interdict_flow::simulate::{Config, generate};
//!
//! let config = Config { accounts: 5_000, transactions: 200_000, seed: 7, ..Config::default() };
//! let mut transactions = std::io::BufWriter::new(std::fs::File::create("trans.csv")?);
//! let mut patterns = std::io::BufWriter::new(std::fs::File::create("patterns.txt")?);
//! let stats = generate(&config, &mut transactions, &mut patterns)?;
//! println!("{stats}");
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! The world is simulated a day at a time, so memory grows with the number of accounts and one
//! day's rows, never with the length of the run. It keeps no balances (an account may pay more
//! than it holds) and has no branches: a cash deposit is a `Cash` row whose sender is the
//! depositor's account at the bank where the cash came in. `docs/simulate.md` describes the
//! model and compares its output with AMLworld's.

// How a run goes: the config and its typology specs are checked (`config`, `typology`), the
// world of banks, accounts, payroll and bills is built (`world`), the calendar and clock place
// rows in time (`calendar`), and `run` writes each day's planted patterns (`plant`) and ordinary
// rows (`background`) as CSV lines (`row`), tallying them into stats (`stats`).
mod background;
mod calendar;
mod config;
mod plant;
mod row;
mod run;
mod sampling;
mod stats;
mod typology;
mod world;

use std::io::{self, Write};

pub use config::{Bounds, Config, ConfigError};
pub use stats::{Stats, TypologyStats};
pub use typology::{
    BipartiteSpec, CycleSpec, FanSpec, FunnelSpec, GatherScatterSpec, PassThroughSpec,
    ScatterGatherSpec, StackSpec, StructuringSpec, Typologies, Typology,
};

use calendar::{Calendar, Clock};
use run::Run;
use world::World;

/// The header of AMLworld's transaction files; both account columns are named `Account`.
pub const HEADER: &str = "Timestamp,From Bank,Account,To Bank,Account,Amount Received,\
Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering";

const MINUTES_PER_DAY: u32 = 1440;

/// Writes `config.transactions` rows to `transactions` and the laundering attempts among them
/// to `patterns`, both in AMLworld's format, and says what it wrote.
///
/// The count is exact unless a run is so short that its planted rows alone overflow the last
/// day. A config that [`Config::check`] refuses is an `InvalidInput` error carrying the
/// [`ConfigError`].
pub fn generate(
    config: &Config,
    transactions: &mut dyn Write,
    patterns: &mut dyn Write,
) -> io::Result<Stats> {
    config
        .check()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let world = World::build(config);
    let calendar = Calendar::new(config.start, config.days() as u32, config.transactions);
    let clock = Clock::new();
    let mut run = Run::new(config, &world, &calendar, &clock);
    transactions.write_all(HEADER.as_bytes())?;
    transactions.write_all(b"\n")?;
    for day in 0..calendar.days() {
        run.plant(day, patterns)?;
        run.write_day(day, transactions)?;
    }
    transactions.flush()?;
    patterns.flush()?;
    Ok(run.stats(config))
}

/// Writes what kind of customer holds each account of the world `config` builds, as a bank's
/// know-your-customer data would say: CSV `account,segment`, the account as the monitor names
/// an AMLworld one (`bank:account`), the segment `person` or `business`.
pub fn segments(config: &Config, out: &mut dyn Write) -> io::Result<()> {
    config
        .check()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let world = World::build(config);
    let mut text = Vec::with_capacity(1 << 16);
    text.extend_from_slice(b"account,segment\n");
    for account in 0..world.account_count() as u32 {
        text.extend_from_slice(world.bank_id(account));
        text.push(b':');
        text.extend_from_slice(world.account_id(account));
        text.extend_from_slice(if world.is_company(account) {
            b",business\n"
        } else {
            b",person\n"
        });
        if text.len() >= 1 << 16 {
            out.write_all(&text)?;
            text.clear();
        }
    }
    out.write_all(&text)?;
    out.flush()
}
