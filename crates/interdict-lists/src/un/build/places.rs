//! Places: where a person was born, and the addresses of parties.

use interdict_model::{Entity, ids};

use super::{At, RecordBuilder, RecordError, join_parts, put};
use crate::un::reader::Element;

/// The parts of an address below country level, with their FtM properties.
const ADDRESS_PARTS: [(&str, &str); 4] = [
    ("STREET", "street"),
    ("CITY", "city"),
    ("STATE_PROVINCE", "state"),
    ("ZIP_CODE", "postalCode"),
];

impl<'r> RecordBuilder<'r> {
    pub(super) fn birth_place(&mut self, group: Element<'r>) -> Result<(), RecordError> {
        const FIELDS: [&str; 5] = ["STREET", "CITY", "STATE_PROVINCE", "COUNTRY", "NOTE"];
        self.check_fields(group, &FIELDS);
        let parts = [
            group.field("STREET"),
            group.field("CITY"),
            group.field("STATE_PROVINCE"),
            group.field("COUNTRY"),
        ];
        self.place_of_birth(group, &parts, group.field("NOTE"))
    }

    /// `birthPlace` from the parts in order, `birthCountry` from the last (the country).
    /// A note with no parts is the place itself; beside parts it is a remark.
    pub(super) fn place_of_birth(
        &mut self,
        group: Element<'r>,
        parts: &[Option<Element<'r>>],
        note: Option<Element<'r>>,
    ) -> Result<(), RecordError> {
        let present: Vec<Element> = parts.iter().flatten().copied().collect();
        let place = join_parts(present.iter().map(|e| e.value()), ", ");
        if let Some(first) = present.first() {
            put(
                &mut self.party,
                "birthPlace",
                &place,
                At::new(self.record, Some(group), *first),
            )?;
        }
        if let Some(country) = parts.last().copied().flatten() {
            let at = At::new(self.record, Some(group), country);
            if let Some(code) = self.country(at) {
                put(&mut self.party, "birthCountry", code, at)?;
            }
        }
        let Some(note) = note else {
            return Ok(());
        };
        let at = At::new(self.record, Some(group), note);
        match present.is_empty() {
            true => put(&mut self.party, "birthPlace", note.value(), at),
            false => put(
                &mut self.party,
                "notes",
                &format!("place of birth: {}", note.value()),
                at,
            ),
        }
    }

    /// An address with any part below country level becomes an `Address`, with its note
    /// as a remark. A bare country only sets the party's `country`, and a note beside it
    /// ("as of early 2016") goes to the party's notes. A note alone is the address itself:
    /// the list writes some branch offices that way.
    pub(super) fn address(&mut self, group: Element<'r>) -> Result<(), RecordError> {
        const FIELDS: [&str; 6] = [
            "STREET",
            "CITY",
            "STATE_PROVINCE",
            "ZIP_CODE",
            "COUNTRY",
            "NOTE",
        ];
        self.check_fields(group, &FIELDS);
        let country = group.field("COUNTRY");
        let code = match country {
            Some(c) => self
                .country(At::new(self.record, Some(group), c))
                .zip(country),
            None => None,
        };
        if let Some((code, c)) = code {
            let at = At::new(self.record, Some(group), c);
            put(&mut self.party, "country", code, at)?;
        }
        let note = group.field("NOTE");
        let record = self.record;
        let at = move |el| At::new(record, Some(group), el);
        let address = match (
            ADDRESS_PARTS.iter().any(|(f, _)| group.field(f).is_some()),
            country,
            note,
        ) {
            (true, ..) => self.structured_address(group, code)?,
            (false, None, Some(note)) => self.new_address(note.value(), at(note))?,
            (false, Some(country), Some(note)) => {
                let text = format!("address in {}: {}", country.value(), note.value());
                return put(&mut self.party, "notes", &text, at(note));
            }
            (false, _, None) => return Ok(()),
        };
        self.others.push(address);
        Ok(())
    }

    /// An `Address` from street, city, region and postal code, and the country.
    fn structured_address(
        &mut self,
        group: Element<'r>,
        country: Option<(&'static str, Element<'r>)>,
    ) -> Result<Entity, RecordError> {
        let parts: Vec<(Element, &str)> = ADDRESS_PARTS
            .iter()
            .filter_map(|(tag, prop)| group.field(tag).map(|e| (e, *prop)))
            .collect();
        let texts = parts.iter().map(|(e, _)| e.value());
        let full = join_parts(
            texts.chain(group.field("COUNTRY").map(Element::value)),
            ", ",
        );
        let record = self.record;
        let at = move |el| At::new(record, Some(group), el);
        let mut address = self.new_address(&full, at(parts[0].0))?;
        for &(el, prop) in &parts {
            put(&mut address, prop, el.value(), at(el))?;
        }
        if let Some((code, el)) = country {
            put(&mut address, "country", code, at(el))?;
        }
        if let Some(note) = group.field("NOTE") {
            put(&mut address, "remarks", note.value(), at(note))?;
        }
        Ok(address)
    }

    /// An `Address` with its `full` text, linked from the party. Its id hashes the text
    /// alone, so parties at one address share one entity.
    fn new_address(&mut self, full: &str, at: At) -> Result<Entity, RecordError> {
        let id = ids::derived("un-addr", &[full]);
        let mut address = Entity::new(&id, "Address")
            .map_err(|e| at.error(e.to_string()))?
            .with_origin(format!("{}#{}", self.file, self.reference));
        put(&mut address, "full", full, at)?;
        put(&mut self.party, "addressEntity", &id, at)?;
        put(&mut self.party, "address", full, at)?;
        Ok(address)
    }
}
