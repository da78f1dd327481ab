//! Identity documents: passports and national identification numbers.

use interdict_model::{Entity, ids};

use super::{At, RecordBuilder, RecordError, join_parts, put};
use crate::un::date;
use crate::un::reader::Element;

const FIELDS: [&str; 8] = [
    "TYPE_OF_DOCUMENT",
    "TYPE_OF_DOCUMENT2",
    "NUMBER",
    "ISSUING_COUNTRY",
    "DATE_OF_ISSUE",
    "CITY_OF_ISSUE",
    "COUNTRY_OF_ISSUE",
    "NOTE",
];

impl<'r> RecordBuilder<'r> {
    /// A document with a number becomes an `Identification` and the party's
    /// `passportNumber` or `idNumber`. Without a number there is nothing to identify by,
    /// so its description goes to the party's notes.
    pub(super) fn document(&mut self, group: Element<'r>) -> Result<(), RecordError> {
        self.check_fields(group, &FIELDS);
        if group.is_blank() {
            return Ok(());
        }
        let types = document_types(group);
        let Some(number) = group.field("NUMBER") else {
            let rest = FIELDS[2..].iter().map(|f| group.text_of(f));
            let text = join_parts(types.iter().copied().chain(rest), "; ");
            let first = group.children().find(|c| !c.is_blank());
            let at = At::new(self.record, Some(group), first.unwrap_or(group));
            return put(&mut self.party, "notes", &format!("document: {text}"), at);
        };
        let at = At::new(self.record, Some(group), number);
        let doc = self.identification(group, &types, at)?;
        self.others.push(doc);
        let prop = match types.iter().any(|t| is_passport(t)) {
            true => "passportNumber",
            false => "idNumber",
        };
        put(&mut self.party, prop, number.value(), at)
    }

    /// The `Identification` of a document whose number `at` points to. Its id hashes the
    /// holder, type, number and issuer: what tells one document from another.
    fn identification(
        &mut self,
        group: Element<'r>,
        types: &[&str],
        at: At<'r>,
    ) -> Result<Entity, RecordError> {
        let number = at.element.value();
        let first_type = types.first().copied().unwrap_or("");
        let issuer = group.text_of("ISSUING_COUNTRY");
        let id = ids::derived("un-id", &[&self.party.id, first_type, number, issuer]);
        let mut doc = Entity::new(&id, "Identification")
            .map_err(|e| at.error(e.to_string()))?
            .with_origin(format!("{}#{}", self.file, self.reference));
        put(&mut doc, "holder", &self.party.id, at)?;
        put(&mut doc, "number", number, at)?;
        for t in types {
            put(&mut doc, "type", t, at)?;
        }
        for field in ["ISSUING_COUNTRY", "COUNTRY_OF_ISSUE"] {
            if let Some(el) = group.field(field) {
                let at = At::new(self.record, Some(group), el);
                if let Some(code) = self.country(at) {
                    put(&mut doc, "country", code, at)?;
                }
            }
        }
        self.issue(&mut doc, group)?;
        Ok(doc)
    }

    /// FtM's `startDate` is an identification's date of issue; where it was issued and
    /// the list's note (often an expiry date in prose) make its summary.
    fn issue(&mut self, doc: &mut Entity, group: Element<'r>) -> Result<(), RecordError> {
        if let Some(el) = group.field("DATE_OF_ISSUE") {
            let at = At::new(self.record, Some(group), el);
            match date::iso_date(el.value()) {
                Some(iso) => put(doc, "startDate", iso, at)?,
                None => self.warn(at, format!("{:?} is not a date; ignored", el.value())),
            }
        }
        let city = group.field("CITY_OF_ISSUE");
        let note = group.field("NOTE");
        let Some(first) = city.or(note) else {
            return Ok(());
        };
        let issued_in = city.map(|c| format!("issued in {}", c.value()));
        let parts = [issued_in.as_deref().unwrap_or(""), group.text_of("NOTE")];
        let at = At::new(self.record, Some(group), first);
        put(doc, "summary", &join_parts(parts, "; "), at)
    }
}

/// `TYPE_OF_DOCUMENT` and, when it adds something, `TYPE_OF_DOCUMENT2` (which is
/// sometimes just a label like `number:`).
fn document_types(group: Element<'_>) -> Vec<&str> {
    let mut types = Vec::new();
    let first = group.text_of("TYPE_OF_DOCUMENT");
    if !first.is_empty() {
        types.push(first);
    }
    let second = group
        .text_of("TYPE_OF_DOCUMENT2")
        .trim_end_matches(':')
        .trim();
    if !second.is_empty() && !second.eq_ignore_ascii_case("number") && second != first {
        types.push(second);
    }
    types
}

/// The list names passports in English, French and Spanish.
fn is_passport(doc_type: &str) -> bool {
    let lower = doc_type.to_lowercase();
    ["passport", "passeport", "pasaporte"]
        .iter()
        .any(|w| lower.contains(w))
}
