//! The building half: one record's element tree into FtM entities.
//!
//! A record yields its party (`Person` or `Organization`), a `Sanction`, and an `Address`
//! or `Identification` per non-empty address or document. Values are kept as the list
//! writes them (curly quotes, original scripts, odd spacing folded); normalising them is
//! screening's job.

mod documents;
mod places;

use std::collections::HashMap;

use interdict_model::{Entity, ModelError, ids};

use super::date;
use super::reader::{Element, Kind, Record};
use crate::error::{Location, Warning};

const AUTHORITY: &str = "United Nations Security Council";
const SOURCE_URL: &str = "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list";
const NAME_PARTS: [&str; 4] = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"];

/// Elements that carry nothing about the party: internal ids and versions, the empty
/// sort keys, and `LIST_TYPE`, which is "UN List" on every record.
const IGNORED: [&str; 5] = [
    "DATAID",
    "VERSIONNUM",
    "LIST_TYPE",
    "SORT_KEY",
    "SORT_KEY_LAST_MOD",
];

/// Why a record cannot be used, and where in it; the caller adds the file.
#[derive(Debug)]
pub(super) struct RecordError {
    /// e.g. `INDIVIDUAL[12]/INDIVIDUAL_ALIAS`.
    pub(super) path: String,
    /// The element holding the bad value, e.g. `ALIAS_NAME`.
    pub(super) field: String,
    pub(super) line: u64,
    pub(super) message: String,
}

/// What one record yields.
#[derive(Debug)]
pub(super) struct Built {
    /// The party first, then its addresses and identifications, then the sanction.
    pub(super) entities: Vec<Entity>,
    pub(super) warnings: Vec<Warning>,
    /// Elements this parser does not know, keyed by element path without the record
    /// index, so a new element in the list is reported once rather than per record.
    pub(super) unmapped: Vec<(String, Warning)>,
}

/// Builds the entities of one record.
pub(super) fn build(
    file: &str,
    record: Record,
    countries: &mut Countries,
) -> Result<Built, RecordError> {
    let mut builder = RecordBuilder::new(file, record, countries)?;
    builder.name()?;
    for child in record.root().children() {
        builder.child(child)?;
    }
    Ok(builder.finish())
}

/// Where a value came from: the record, the group element (alias, address…) and the
/// element itself. Errors and warnings are phrased from it.
#[derive(Clone, Copy)]
struct At<'r> {
    record: Record<'r>,
    group: Option<Element<'r>>,
    element: Element<'r>,
}

impl<'r> At<'r> {
    fn new(record: Record<'r>, group: Option<Element<'r>>, element: Element<'r>) -> Self {
        At {
            record,
            group,
            element,
        }
    }

    fn path(&self) -> String {
        match self.group {
            Some(group) => format!("{}/{}", self.record.label(), group.name()),
            None => self.record.label(),
        }
    }

    fn error(&self, message: impl Into<String>) -> RecordError {
        RecordError {
            path: self.path(),
            field: self.element.name().to_string(),
            line: self.record.line_of(self.element.pos()),
            message: message.into(),
        }
    }

    /// An error about an element the record lacks; `self` points at the record.
    fn missing(&self, field: &str, message: &str) -> RecordError {
        RecordError {
            field: field.into(),
            ..self.error(message)
        }
    }

    fn location(&self, file: &str) -> Location {
        Location::file(file)
            .line(self.record.line_of(self.element.pos()))
            .record(self.path())
            .field(self.element.name().to_string())
    }
}

/// Adds a value, turning a model error (a value over the size limit, say) into a record
/// error that names the element it came from.
fn put(entity: &mut Entity, prop: &str, value: &str, at: At) -> Result<(), RecordError> {
    entity.add(prop, value).map_err(|e| match e {
        ModelError::ValueTooLong { len, .. } => at.error(format!(
            "value is {len} bytes, over the limit of {} (for {prop})",
            interdict_model::entity::MAX_VALUE_LEN
        )),
        other => at.error(other.to_string()),
    })
}

/// The UN writes `na` for "not available" in a few name and nationality fields. Only the
/// lowercase form is a placeholder: `Na` is a real Korean family name.
fn is_placeholder(text: &str) -> bool {
    matches!(text, "na" | "n/a")
}

/// Joins the non-empty parts, dropping a part that repeats the previous one (some places
/// of birth give the same text as street and city).
fn join_parts<'s>(parts: impl IntoIterator<Item = &'s str>, separator: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in parts {
        if !part.is_empty() && out.last() != Some(&part) {
            out.push(part);
        }
    }
    out.join(separator)
}

struct RecordBuilder<'r> {
    file: &'r str,
    record: Record<'r>,
    reference: &'r str,
    party: Entity,
    sanction: Entity,
    others: Vec<Entity>,
    warnings: Vec<Warning>,
    unmapped: Vec<(String, Warning)>,
    countries: &'r mut Countries,
}

impl<'r> RecordBuilder<'r> {
    fn new(
        file: &'r str,
        record: Record<'r>,
        countries: &'r mut Countries,
    ) -> Result<Self, RecordError> {
        let root = record.root();
        let Some(el) = root.field("REFERENCE_NUMBER") else {
            let at = At::new(record, None, root);
            return Err(at.missing("REFERENCE_NUMBER", "record has no REFERENCE_NUMBER"));
        };
        let at = At::new(record, None, el);
        let reference = el.value();
        let origin = format!("{}#{reference}", crate::input::base_name(file));
        let mut party = Entity::new(ids::un(reference), record.kind.schema())
            .map_err(|e| at.error(e.to_string()))?
            .with_origin(origin.clone());
        put(&mut party, "topics", "sanction", at)?;
        let mut sanction = Entity::new(ids::derived("un-san", &[&party.id]), "Sanction")
            .map_err(|e| at.error(e.to_string()))?
            .with_origin(origin);
        put(&mut sanction, "entity", &party.id, at)?;
        put(&mut sanction, "authority", AUTHORITY, at)?;
        put(&mut sanction, "unscId", reference, at)?;
        put(&mut sanction, "sourceUrl", SOURCE_URL, at)?;
        Ok(RecordBuilder {
            file,
            record,
            reference,
            party,
            sanction,
            others: Vec::new(),
            warnings: Vec::new(),
            unmapped: Vec::new(),
            countries,
        })
    }

    fn warn(&mut self, at: At, message: impl Into<String>) {
        self.warnings.push(Warning {
            location: at.location(self.file),
            message: message.into(),
        });
    }

    /// `FIRST_NAME` … `FOURTH_NAME` in written order. They are not given and family
    /// names (the order varies by culture), so only the whole name is stated.
    fn name(&mut self) -> Result<(), RecordError> {
        let root = self.record.root();
        let parts: Vec<Element> = NAME_PARTS
            .iter()
            .filter_map(|p| root.field(p))
            .filter(|e| !is_placeholder(e.value()))
            .collect();
        let Some(first) = parts.first() else {
            let element = root.children().find(|c| c.name() == "FIRST_NAME");
            let at = At::new(self.record, None, element.unwrap_or(root));
            return Err(at.missing("FIRST_NAME", "record has no name"));
        };
        let name: Vec<&str> = parts.iter().map(|e| e.value()).collect();
        put(
            &mut self.party,
            "name",
            &name.join(" "),
            At::new(self.record, None, *first),
        )
    }

    fn child(&mut self, el: Element<'r>) -> Result<(), RecordError> {
        let person = self.record.kind == Kind::Individual;
        let at = At::new(self.record, None, el);
        match el.name() {
            // The reference number and the name are read first, by `new` and `name`.
            "REFERENCE_NUMBER" => Ok(()),
            name if IGNORED.contains(&name) || NAME_PARTS.contains(&name) => Ok(()),
            "UN_LIST_TYPE" => put(&mut self.sanction, "program", el.value(), at),
            "LISTED_ON" => self.date(Target::Sanction, "listingDate", at),
            "COMMENTS1" => put(&mut self.party, "notes", el.value(), at),
            "NAME_ORIGINAL_SCRIPT" => put(&mut self.party, "alias", el.value(), at),
            "LAST_DAY_UPDATED" => self.values(el, |b, at| b.date(Target::Party, "modifiedAt", at)),
            "TITLE" if person => self.values(el, |b, at| {
                put(&mut b.party, "title", at.element.value(), at)
            }),
            "DESIGNATION" if person => self.values(el, |b, at| {
                put(&mut b.party, "position", at.element.value(), at)
            }),
            "NATIONALITY" if person => self.values(el, Self::nationality),
            "GENDER" if person => self.gender(at),
            "INDIVIDUAL_ALIAS" if person => self.alias(el),
            "ENTITY_ALIAS" if !person => self.alias(el),
            "INDIVIDUAL_ADDRESS" if person => self.address(el),
            "ENTITY_ADDRESS" if !person => self.address(el),
            "INDIVIDUAL_DATE_OF_BIRTH" if person => self.birth_date(el),
            "INDIVIDUAL_PLACE_OF_BIRTH" if person => self.birth_place(el),
            "INDIVIDUAL_DOCUMENT" if person => self.document(el),
            _ => {
                self.unmapped(None, el);
                Ok(())
            }
        }
    }

    /// Reports an element this parser does not know, if it holds anything.
    fn unmapped(&mut self, group: Option<Element<'r>>, el: Element<'r>) {
        if el.is_blank() {
            return;
        }
        let at = At::new(self.record, group, el);
        let key = match group {
            Some(g) => format!("{}/{}/{}", self.record.kind.tag(), g.name(), el.name()),
            None => format!("{}/{}", self.record.kind.tag(), el.name()),
        };
        let warning = Warning {
            location: at.location(self.file),
            message: format!("element {key} is not mapped; its content is ignored"),
        };
        self.unmapped.push((key, warning));
    }

    /// Reports children of a group other than `known`.
    fn check_fields(&mut self, group: Element<'r>, known: &[&str]) {
        for child in group.children() {
            if !known.contains(&child.name()) {
                self.unmapped(Some(group), child);
            }
        }
    }

    /// Applies `f` to each non-blank `VALUE` of a wrapper like `NATIONALITY`.
    fn values(
        &mut self,
        group: Element<'r>,
        mut f: impl FnMut(&mut Self, At<'r>) -> Result<(), RecordError>,
    ) -> Result<(), RecordError> {
        self.check_fields(group, &["VALUE"]);
        for value in group.children() {
            if value.name() == "VALUE" && !value.value().is_empty() {
                let at = At::new(self.record, Some(group), value);
                f(self, at)?;
            }
        }
        Ok(())
    }

    /// A date property; text that is not a date is reported and kept in the notes.
    fn date(&mut self, target: Target, prop: &str, at: At) -> Result<(), RecordError> {
        let text = at.element.value();
        match date::iso_date(text) {
            Some(iso) => put(self.target(target), prop, iso, at),
            None => {
                self.warn(at, format!("{text:?} is not a date; kept in notes"));
                put(
                    &mut self.party,
                    "notes",
                    &format!("{}: {text}", at.element.name()),
                    at,
                )
            }
        }
    }

    fn target(&mut self, target: Target) -> &mut Entity {
        match target {
            Target::Party => &mut self.party,
            Target::Sanction => &mut self.sanction,
        }
    }

    /// The FtM code of a country name; a name without one is reported and `None`.
    fn country(&mut self, at: At) -> Option<&'static str> {
        let name = at.element.value();
        if name.is_empty() || is_placeholder(name) {
            return None;
        }
        let code = self.countries.code(name);
        if code.is_none() {
            self.warn(at, format!("country {name:?} has no country code"));
        }
        code
    }

    fn nationality(&mut self, at: At<'r>) -> Result<(), RecordError> {
        match self.country(at) {
            Some(code) => put(&mut self.party, "nationality", code, at),
            None if is_placeholder(at.element.value()) => Ok(()),
            None => put(
                &mut self.party,
                "notes",
                &format!("nationality: {}", at.element.value()),
                at,
            ),
        }
    }

    fn gender(&mut self, at: At) -> Result<(), RecordError> {
        let text = at.element.value();
        match text.to_lowercase().as_str() {
            "" => Ok(()),
            g @ ("male" | "female") => put(&mut self.party, "gender", g, at),
            _ => {
                self.warn(at, format!("unknown gender {text:?}; kept in notes"));
                put(&mut self.party, "notes", &format!("gender: {text}"), at)
            }
        }
    }

    /// `Good` (individuals) and `a.k.a.` (entities) are strong aliases, `f.k.a.` a former
    /// name (FtM's `previousName`, which screening matches like an alias), `Low` a weak one. Per-alias birth data and notes belong to the party: the list gives
    /// them because the person used that identity with those details.
    fn alias(&mut self, group: Element<'r>) -> Result<(), RecordError> {
        const FIELDS: [&str; 6] = [
            "QUALITY",
            "ALIAS_NAME",
            "NOTE",
            "DATE_OF_BIRTH",
            "CITY_OF_BIRTH",
            "COUNTRY_OF_BIRTH",
        ];
        self.check_fields(group, &FIELDS);
        let Some(name) = group.field("ALIAS_NAME") else {
            return Ok(());
        };
        let at = At::new(self.record, Some(group), name);
        let quality = group.text_of("QUALITY");
        let prop = match quality {
            "Good" | "a.k.a." => "alias",
            "f.k.a." => "previousName",
            "Low" => "weakAlias",
            _ => {
                self.warn(
                    at,
                    format!("unknown alias quality {quality:?}; taken as a strong alias"),
                );
                "alias"
            }
        };
        put(&mut self.party, prop, name.value(), at)?;
        if let Some(note) = group.field("NOTE") {
            let text = format!("alias {}: {}", name.value(), note.value());
            put(
                &mut self.party,
                "notes",
                &text,
                At::new(self.record, Some(group), note),
            )?;
        }
        if let Some(dob) = group.field("DATE_OF_BIRTH") {
            self.date(
                Target::Party,
                "birthDate",
                At::new(self.record, Some(group), dob),
            )?;
        }
        let city = group.field("CITY_OF_BIRTH");
        let country = group.field("COUNTRY_OF_BIRTH");
        self.place_of_birth(group, &[city, None, country], None)
    }

    fn birth_date(&mut self, group: Element<'r>) -> Result<(), RecordError> {
        const FIELDS: [&str; 6] = [
            "TYPE_OF_DATE",
            "DATE",
            "YEAR",
            "FROM_YEAR",
            "TO_YEAR",
            "NOTE",
        ];
        self.check_fields(group, &FIELDS);
        let mut dated = false;
        // BETWEEN gives FROM_YEAR and TO_YEAR: both are possible birth years.
        for field in ["DATE", "YEAR", "FROM_YEAR", "TO_YEAR"] {
            if let Some(el) = group.field(field) {
                self.date(
                    Target::Party,
                    "birthDate",
                    At::new(self.record, Some(group), el),
                )?;
                dated = true;
            }
        }
        let Some(note) = group.field("NOTE") else {
            return Ok(());
        };
        let at = At::new(self.record, Some(group), note);
        let from_note = (!dated).then(|| date::date_in_note(note.value())).flatten();
        if let Some(iso) = &from_note {
            put(&mut self.party, "birthDate", iso, at)?;
        }
        // "Approximately" only restates TYPE_OF_DATE; anything else says more than the date.
        let redundant = note.value().eq_ignore_ascii_case("approximately");
        if redundant || from_note.as_deref().is_some_and(|d| d.len() == 7) {
            return Ok(());
        }
        put(
            &mut self.party,
            "notes",
            &format!("date of birth: {}", note.value()),
            at,
        )
    }

    fn finish(mut self) -> Built {
        let mut entities = Vec::with_capacity(2 + self.others.len());
        entities.push(self.party);
        entities.append(&mut self.others);
        entities.push(self.sanction);
        Built {
            entities,
            warnings: self.warnings,
            unmapped: self.unmapped,
        }
    }
}

/// Which of the record's own entities a value goes to.
#[derive(Clone, Copy)]
enum Target {
    Party,
    Sanction,
}

/// Country names to codes, remembered for one parse: the list repeats a few dozen names
/// thousands of times, and each lookup folds and searches the name afresh.
#[derive(Debug, Default)]
pub(super) struct Countries(HashMap<String, Option<&'static str>>);

impl Countries {
    fn code(&mut self, name: &str) -> Option<&'static str> {
        if let Some(&code) = self.0.get(name) {
            return code;
        }
        let code = interdict_model::country::code(name);
        self.0.insert(name.to_string(), code);
        code
    }
}
