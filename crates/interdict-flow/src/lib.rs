//! Money flows: transaction streams through laundering-typology detectors.
//!
//! The detector core knows nothing of where records come from: readers turn files,
//! stdin or HTTP batches into transactions, and detectors keep per-account windows bounded by
//! the window length and the number of active accounts, never by the length of the stream.

mod collector;
mod detect;
pub mod eval;
pub mod monitor;
pub mod read;
pub mod rules;
pub mod run;
pub mod simulate;
pub mod txn;

pub use monitor::{Alert, Monitor, MonitorStats, Refused, Severity, Typology};
pub use read::{Format, Reader, RowError, read_segments};
pub use rules::Rules;
pub use txn::{Account, Channel, Names, Segment, Txn};
