//! The UN Security Council consolidated list (`CONSOLIDATED_LIST` XML).
//!
//! Each `INDIVIDUAL` becomes a `Person` and each `ENTITY` an `Organization`, with the id
//! `un-<REFERENCE_NUMBER>` (never `DATAID`, an internal number), plus one `Sanction` per
//! record and an `Address` or `Identification` per non-empty address or document.
//!
//! ```no_run
//! use interdict_lists::{InputFile, ParseOptions, un};
//!
//! let bytes = std::fs::read("UN_consolidated.xml").unwrap();
//! let list = un::parse(&InputFile::new("UN_consolidated.xml", bytes), &ParseOptions::default())?;
//! assert_eq!(list.published.as_deref(), Some("2026-02-27"));
//! # Ok::<(), interdict_lists::ListError>(())
//! ```
//!
//! The document is read as a stream (`reader`), one record at a time, and each record
//! is turned into entities on its own (`build`). A document that is not well-formed XML
//! always stops the parse; a record that is well-formed but unusable (no reference
//! number, no name, an oversized value) stops it too unless
//! [`ParseOptions::skip_bad_records`] asks to skip it with a warning.
//!
//! Hostile input is bounded: entity declarations in a DOCTYPE are refused (nothing is
//! ever expanded or fetched), nesting deeper than 32 elements is malformed, and a value
//! over the model's size limit is a record error.

mod build;
mod date;
mod reader;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

use interdict_model::Entity;

use crate::error::{ListError, Location, Warning};
use crate::input::{InputFile, ParseOptions, ParsedList};
use build::{Built, Countries, RecordError};
use reader::{ListReader, Record};

/// Parses a UN consolidated list.
pub fn parse(file: &InputFile, opts: &ParseOptions) -> Result<ParsedList, ListError> {
    let src = file.text()?;
    let mut reader = ListReader::new(&file.name, src);
    let mut list = Collector::new(&file.name, *opts);
    let mut countries = Countries::default();
    while let Some(record) = reader.next_record()? {
        let built = build::build(&file.name, record, &mut countries)
            .and_then(|b| list.check_new(&record, b));
        match built {
            Ok(built) => list.add(built),
            Err(err) => list.reject(err)?,
        }
    }
    list.published(reader.date_generated());
    Ok(list.out)
}

/// The list being assembled: entities by id, warnings, and what has been reported once.
struct Collector<'f> {
    file: &'f str,
    opts: ParseOptions,
    out: ParsedList,
    /// Index into `out.entities` by id: addresses shared by several parties are one entity.
    by_id: HashMap<String, usize>,
    unmapped_seen: HashSet<String>,
}

impl<'f> Collector<'f> {
    fn new(file: &'f str, opts: ParseOptions) -> Self {
        Collector {
            file,
            opts,
            out: ParsedList::default(),
            by_id: HashMap::new(),
            unmapped_seen: HashSet::new(),
        }
    }

    /// Two records with one reference number would silently merge into one party.
    fn check_new(&self, record: &Record, built: Built) -> Result<Built, RecordError> {
        let party = &built.entities[0];
        if !self.by_id.contains_key(&party.id) {
            return Ok(built);
        }
        let element = record
            .root()
            .field("REFERENCE_NUMBER")
            .unwrap_or(record.root());
        Err(RecordError {
            path: record.label(),
            field: "REFERENCE_NUMBER".into(),
            line: record.line_of(element.pos()),
            message: format!("duplicate reference number (id {})", party.id),
        })
    }

    fn add(&mut self, built: Built) {
        for entity in built.entities {
            self.insert(entity);
        }
        self.out.warnings.extend(built.warnings);
        for (key, warning) in built.unmapped {
            if self.unmapped_seen.insert(key) {
                self.out.warnings.push(warning);
            }
        }
    }

    fn insert(&mut self, entity: Entity) {
        match self.by_id.get(&entity.id) {
            Some(&i) => {
                let merged = self.out.entities[i].merge(entity);
                debug_assert!(merged.is_ok(), "derived ids only collide within a schema");
            }
            None => {
                self.by_id
                    .insert(entity.id.clone(), self.out.entities.len());
                self.out.entities.push(entity);
            }
        }
    }

    fn reject(&mut self, err: RecordError) -> Result<(), ListError> {
        let location = Location::file(self.file)
            .line(err.line)
            .record(err.path)
            .field(err.field);
        if !self.opts.skip_bad_records {
            return Err(ListError::malformed(location, err.message));
        }
        let message = format!("record skipped: {}", err.message);
        self.out.warnings.push(Warning { location, message });
        Ok(())
    }

    /// The list's own date, from `dateGenerated` (a timestamp; its date part counts).
    fn published(&mut self, date_generated: Option<&str>) {
        let Some(text) = date_generated else {
            return;
        };
        match date::iso_date(text) {
            Some(iso) => self.out.published = Some(iso.to_string()),
            None => self.out.warnings.push(Warning {
                location: Location::file(self.file).field("dateGenerated"),
                message: format!("{text:?} is not a date; the list has no publication date"),
            }),
        }
    }
}
