//! Parsers for the official sanctions lists, into interdict entities; list versions and diffs.
//!
//! Each format has a module that turns named byte buffers ([`InputFile`]) into a
//! [`ParsedList`]: entities plus warnings for what was passed over. A record
//! that cannot be read is an error naming the file, line or element and field;
//! with [`ParseOptions::skip_bad_records`] it is reported and skipped instead.
//!
//! **Architecture invariant:** this crate touches no database and no network.
//! It reads only the buffers it is given (and, in [`source`], files a caller names).

pub mod diff;
pub mod error;
pub mod ftm;
pub mod input;
mod month;
pub mod ofac;
pub mod registry;
pub mod source;
pub mod un;

pub use error::{ListError, Location, Warning};
pub use input::{InputFile, ParseOptions, ParsedList};
pub use source::{Format, ListSource, Payload};
