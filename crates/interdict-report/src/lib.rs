//! Suspicious-activity reports rendered as the XML that financial intelligence units take:
//! FinCEN's BSA E-Filing SAR batch (United States) and UNODC's goAML STR (used by FIUs in some
//! sixty jurisdictions).
//!
//! A [`Report`] is deserialised from JSON, checked by [`Report::validate`], and rendered by
//! [`fincen::to_xml`] or [`goaml::to_xml`], which validate again and add the target format's own
//! limits. Every validation error names the offending field by its path in the input, such as
//! `subjects[1].accounts[0].number`.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let json = include_str!("../tests/it/structuring.json");
//! let report: interdict_report::Report = serde_json::from_str(json)?;
//! report.validate()?;
//! let sar = interdict_report::fincen::to_xml(&report)?;
//! assert!(sar.contains("<fc2:FormTypeCode>SARX</fc2:FormTypeCode>"));
//! # Ok(())
//! # }
//! ```
//!
//! What it does not do: file anything (there is no network or file I/O here; the caller
//! transmits the XML through BSA E-Filing or the FIU's goAML web portal), keep or read the clock
//! (the filing date is part of the input, so the same report always gives the same bytes),
//! or check goAML lookup codes, which each FIU defines for itself.
//!
//! **Architecture invariant:** this crate does no I/O.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod fincen;
pub mod goaml;
// The model's field names are its documentation; the types and the less obvious fields carry
// doc comments.
#[allow(missing_docs)]
mod model;
mod serde_date;
mod validate;
mod xml;

pub use model::*;
pub use validate::{NARRATIVE_MAX_CHARS, ValidationError, ValidationErrors};
pub use xml::RenderError;
