//! One OFAC entry (a primary row with its aliases, addresses and Remarks) as
//! entities: the party itself, one `Sanction` per program, and the
//! `Identification`, `Address`, `CryptoWallet` and `UnknownLink` entities its
//! data defines.

use std::borrow::Cow;

use interdict_model::country;

use crate::input::base_name;
use interdict_model::{Entity, ModelError, ids};

use super::OfacList;
use super::address;
use super::documents::{self, Document};
use super::names::{NameIndex, Target};
use super::remarks::{self, Ends, Remark, SanctionFact, Segment};
use super::rows::{Row, Rows, add, alt, sdn};
use crate::error::{Location, Warning};

const AUTHORITY: &str = "Office of Foreign Assets Control";
const DETAILS_URL: &str = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id=";

/// What the whole parse shares.
pub(super) struct Context<'a> {
    pub list: OfacList,
    pub names: &'a NameIndex<'a>,
    pub alt_file: &'a str,
    pub add_file: &'a str,
}

/// One entry's rows, joined by ent_num.
pub(super) struct PartyInput<'a> {
    pub row: Row<'a>,
    /// The name of the primary file the row came from.
    pub file: &'a str,
    pub remarks: Vec<RemarkText<'a>>,
    pub alts: Rows<'a>,
    pub adds: Rows<'a>,
}

/// Remarks text: the row's own, joined with its continuation where that lines up,
/// or a continuation that does not line up, read on its own.
pub(super) struct RemarkText<'a> {
    pub text: Cow<'a, str>,
    pub ends: Ends,
    /// From this byte offset on, the text came from another record (the origin).
    pub continued: Option<(usize, String)>,
}

impl<'a> RemarkText<'a> {
    /// A row's own Remarks; cut when OFAC's length limit cut it.
    pub(super) fn own(text: &'a str) -> Self {
        let ends = Ends {
            cut_start: false,
            cut_end: remarks::is_cut(text),
        };
        RemarkText {
            text: Cow::Borrowed(text),
            ends,
            continued: None,
        }
    }

    /// Appends a continuation from `origin` that lines up.
    pub(super) fn continue_with(&mut self, text: &str, origin: String) {
        self.continued = Some((self.text.len(), origin));
        self.text.to_mut().push_str(text);
        self.ends.cut_end = false;
    }

    /// A continuation that does not line up: it starts inside a remark.
    pub(super) fn on_its_own(text: &'a str, origin: String) -> Self {
        let ends = Ends {
            cut_start: true,
            cut_end: false,
        };
        RemarkText {
            text: Cow::Borrowed(text.trim()),
            ends,
            continued: Some((0, origin)),
        }
    }
}

/// The entities of one entry, the party first, and what was passed over.
pub(super) struct Party {
    pub entities: Vec<Entity>,
    pub warnings: Vec<Warning>,
}

/// Builds the entities of one entry.
pub(super) fn build(input: &PartyInput, ctx: &Context) -> Result<Party, ModelError> {
    let parsed: Vec<(Vec<Remark>, &RemarkText)> = input
        .remarks
        .iter()
        .map(|r| (remarks::parse(&r.text, r.ends), r))
        .collect();
    let mut b = Builder::new(input, ctx, &parsed)?;
    b.columns()?;
    b.sanctions()?;
    b.aliases()?;
    b.addresses()?;
    for (list, text) in &parsed {
        for remark in list {
            b.origin = remark_origin(remark, text);
            b.remark(remark)?;
        }
    }
    Ok(b.finish())
}

/// The record a remark came from when it is not the row's own.
fn remark_origin(remark: &Remark, text: &RemarkText) -> Option<String> {
    let (at, origin) = text.continued.as_ref()?;
    (remark.offset + remark.text.len() > *at).then(|| origin.clone())
}

struct Builder<'a> {
    input: &'a PartyInput<'a>,
    ctx: &'a Context<'a>,
    ent_num: u64,
    party: Entity,
    /// One per program tag, in the order of the Program column.
    sanctions: Vec<(&'a str, Entity)>,
    derived: Vec<Entity>,
    warnings: Vec<Warning>,
    /// The origin of values being added, when it is not the party's own record.
    origin: Option<String>,
}

impl<'a> Builder<'a> {
    fn new(
        input: &'a PartyInput<'a>,
        ctx: &'a Context<'a>,
        parsed: &[(Vec<Remark>, &RemarkText)],
    ) -> Result<Self, ModelError> {
        let row = input.row;
        let name = row.get(sdn::NAME).unwrap_or_default();
        let kind = row.get(sdn::TYPE);
        let schema = schema_for(kind, name, parsed.iter().flat_map(|(l, _)| l));
        let party = Entity::new(ids::ofac(row.ent_num), schema)?.with_origin(format!(
            "{}#{}",
            base_name(input.file),
            row.ent_num
        ));
        let mut b = Builder {
            input,
            ctx,
            ent_num: row.ent_num,
            party,
            sanctions: Vec::new(),
            derived: Vec::new(),
            warnings: Vec::new(),
            origin: None,
        };
        b.party.add("topics", "sanction")?;
        b.names(name)?;
        if let Some(kind) = kind.filter(|k| !matches!(*k, "individual" | "vessel" | "aircraft")) {
            b.warn(
                sdn::COLUMNS[sdn::TYPE],
                format!("unknown SDN_Type {kind:?}, read as an organization"),
            );
            b.note(&format!("SDN_Type: {kind}"))?;
        }
        Ok(b)
    }

    /// `name` as OFAC writes it; for a person also the parts around the comma.
    fn names(&mut self, name: &str) -> Result<(), ModelError> {
        self.party.add("name", name)?;
        let parts = name.split_once(',');
        if let (Some((last, first)), "Person") = (parts, self.party.schema.name) {
            self.party.add("lastName", last)?;
            self.party.add("firstName", first)?;
        }
        Ok(())
    }

    /// Title and the vessel columns.
    fn columns(&mut self) -> Result<(), ModelError> {
        let row = self.input.row;
        let plain = [
            (sdn::TITLE, "position"),
            (sdn::CALL_SIGN, "callSign"),
            (sdn::VESS_TYPE, "type"),
        ];
        for (col, prop) in plain {
            if let Some(value) = row.get(col) {
                self.put_or_note(prop, value, &format!("{}: {value}", sdn::COLUMNS[col]))?;
            }
        }
        for (col, prop) in [
            (sdn::TONNAGE, "tonnage"),
            (sdn::GRT, "grossRegisteredTonnage"),
        ] {
            if let Some(value) = row.get(col) {
                let note = format!("{}: {value}", sdn::COLUMNS[col]);
                self.put_or_note(prop, &plain_number(value), &note)?;
            }
        }
        if let Some(flag) = row.get(sdn::VESS_FLAG) {
            self.country("flag", flag, &format!("Vessel flag: {flag}"))?;
        }
        if let Some(owner) = row.get(sdn::VESS_OWNER) {
            // FtM's `owner` is a link to an entity; OFAC gives a name that is
            // often an abbreviation (`NITC`), so it stays text.
            self.note(&format!("Vessel owner: {owner}"))?;
        }
        Ok(())
    }

    /// One `Sanction` per program tag.
    fn sanctions(&mut self) -> Result<(), ModelError> {
        let list = self.ctx.list;
        for tag in programs(self.input.row.get(sdn::PROGRAM).unwrap_or_default()) {
            if self.sanctions.iter().any(|(t, _)| *t == tag) {
                continue;
            }
            let id = ids::derived("ofac-san", &[&self.party.id, list.key(), tag]);
            let mut s = Entity::new(id, "Sanction")?;
            s.origin.clone_from(&self.party.origin);
            s.add("entity", &self.party.id)?;
            s.add("program", tag)?;
            s.add("programId", format!("{}/{tag}", list.key()))?;
            s.add("authority", AUTHORITY)?;
            s.add("authorityId", self.ent_num.to_string())?;
            s.add("country", "us")?;
            s.add("sourceUrl", format!("{DETAILS_URL}{}", self.ent_num))?;
            self.sanctions.push((tag, s));
        }
        Ok(())
    }

    /// alt.csv: `aka` and `nka` are aliases, `fka` a previous name.
    fn aliases(&mut self) -> Result<(), ModelError> {
        for row in self.input.alts.iter() {
            let origin = Some(format!(
                "{}#{}",
                base_name(self.ctx.alt_file),
                row.get(alt::NUM).unwrap_or_default()
            ));
            let Some(name) = row.get(alt::NAME) else {
                continue;
            };
            let kind = row.get(alt::TYPE).unwrap_or_default();
            let prop = match kind.to_ascii_lowercase().as_str() {
                "aka" | "nka" => "alias",
                "fka" => "previousName",
                _ => {
                    self.warn(
                        alt::COLUMNS[alt::TYPE],
                        format!("unknown alias type {kind:?}, read as aka"),
                    );
                    "alias"
                }
            };
            self.party.add_from(prop, name, origin.clone())?;
            if let Some(remarks) = row.get(alt::REMARKS) {
                self.party
                    .add_from("notes", format!("{name}: {remarks}"), origin)?;
            }
        }
        Ok(())
    }

    /// add.csv rows. A row that gives only a known country adds the country and no
    /// `Address` entity: a shared "Mexico" address would tie unrelated parties.
    fn addresses(&mut self) -> Result<(), ModelError> {
        for row in self.input.adds.iter() {
            let num = row.get(add::NUM).unwrap_or_default();
            let origin = format!("{}#{num}", base_name(self.ctx.add_file));
            let country_name = row.get(add::COUNTRY);
            let code = country_name.and_then(country::code);
            if let Some(code) = code {
                self.party.add_from("country", code, Some(&origin))?;
            }
            let unknown_country = country_name.is_some() && code.is_none();
            if row.get(add::ADDRESS).is_some() || row.get(add::PLACE).is_some() || unknown_country {
                self.address(&row, code, origin)?;
            } else if let Some(remarks) = row.get(add::REMARKS) {
                let note = format!("Address remarks: {remarks}");
                self.party.add_from("notes", note, Some(origin))?;
            }
        }
        Ok(())
    }

    /// An `Address` entity, its id a hash of the full text so that parties at the
    /// same address share it.
    fn address(&mut self, row: &Row, code: Option<&str>, origin: String) -> Result<(), ModelError> {
        let street = row.get(add::ADDRESS);
        let place = row.get(add::PLACE);
        let full = [street, place, row.get(add::COUNTRY)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let id = ids::derived("ofac-addr", &[&full]);
        let mut a = Entity::new(id, "Address")?.with_origin(&origin);
        a.add("full", &full)?;
        a.add("street", street.unwrap_or_default())?;
        let parts = address::split(place.unwrap_or_default());
        a.add("city", parts.city.unwrap_or_default())?;
        a.add("state", parts.state.unwrap_or_default())?;
        a.add("postalCode", parts.postal_code.unwrap_or_default())?;
        a.add("country", code.unwrap_or_default())?;
        a.add("remarks", row.get(add::REMARKS).unwrap_or_default())?;
        self.party.add_from("addressEntity", &a.id, Some(&origin))?;
        self.party.add_from("address", &full, Some(&origin))?;
        self.derived.push(a);
        Ok(())
    }

    /// Applies one remark; whatever finds no place is kept as a note.
    fn remark(&mut self, remark: &Remark) -> Result<(), ModelError> {
        let text = remark.text;
        match &remark.segment {
            Segment::BirthDates(dates) => self.birth_dates(dates, text),
            Segment::BirthPlace(place) => self.birth_place(place, text),
            Segment::Country { prop, name } => self.country(prop, name, text),
            Segment::Property { prop, value } => self.put_or_note(prop, value, text),
            Segment::Date { prop, date } => self.put_or_note(prop, date, text),
            Segment::Document(doc) => self.document(doc, text),
            Segment::WeakAlias(alias) => self.put_or_note("weakAlias", alias, text),
            Segment::LinkedTo(name) => self.link(name, text),
            Segment::AircraftOperator(name) => self.operator(name, text),
            Segment::Wallet { currency, key } => self.wallet(currency, key),
            Segment::Sanction(fact) => self.sanction_fact(fact, text),
            Segment::Note | Segment::Cut => self.note(text),
        }
    }

    fn birth_dates(&mut self, dates: &[String], text: &str) -> Result<(), ModelError> {
        for date in dates {
            if !self.put("birthDate", date)? {
                return self.note(text);
            }
        }
        Ok(())
    }

    /// The place as written, and the country when the last part names one.
    fn birth_place(&mut self, place: &str, text: &str) -> Result<(), ModelError> {
        if !self.put("birthPlace", place)? {
            return self.note(text);
        }
        let last = place.rsplit(',').next().unwrap_or(place).trim();
        if let Some(code) = country::code(last) {
            self.put("birthCountry", code)?;
        }
        Ok(())
    }

    /// A country-valued property; a vessel's flag is a plain country elsewhere.
    fn country(&mut self, prop: &str, name: &str, text: &str) -> Result<(), ModelError> {
        let Some(code) = country::code(name) else {
            return self.note(text);
        };
        if self.put(prop, code)? || (prop == "flag" && self.put("country", code)?) {
            return Ok(());
        }
        self.note(text)
    }

    /// An identifier: the holder's property, an `Identification` for documents, and
    /// the whole text as a note when part of it found no place.
    fn document(&mut self, doc: &Document, text: &str) -> Result<(), ModelError> {
        let Some((prop, number)) = documents::number_prop(doc.kind, doc.number) else {
            return self.note(text);
        };
        let fallbacks: &[&str] = if doc.kind.document {
            &["idNumber", "registrationNumber"]
        } else {
            &[]
        };
        let mut placed = false;
        for p in std::iter::once(&prop).chain(fallbacks) {
            placed = self.put(p, &number)?;
            if placed {
                break;
            }
        }
        let code = doc.country.and_then(country::code);
        if !placed || !doc.complete || (doc.country.is_some() && code.is_none()) {
            self.note(text)?;
        }
        if placed && code == Some("ru") {
            self.russian_codes(prop, &number)?;
        }
        if placed && doc.kind.document && self.party.schema.is_a("LegalEntity") {
            self.identification(doc, &number, code)?;
        }
        Ok(())
    }

    /// Russian tax numbers are INNs, and 13- or 15-digit registration numbers OGRNs;
    /// FtM has properties of their own for both.
    fn russian_codes(&mut self, prop: &str, number: &str) -> Result<(), ModelError> {
        let digits = number.len();
        let all_digits = number.bytes().all(|b| b.is_ascii_digit());
        match prop {
            "taxNumber" if all_digits => self.put("innCode", number).map(drop),
            "registrationNumber" if all_digits && (digits == 13 || digits == 15) => {
                self.put("ogrnCode", number).map(drop)
            }
            _ => Ok(()),
        }
    }

    fn identification(
        &mut self,
        doc: &Document,
        number: &str,
        code: Option<&str>,
    ) -> Result<(), ModelError> {
        let id = ids::derived("ofac-id", &[&self.party.id, doc.kind.label, number]);
        let mut e = Entity::new(id, "Identification")?;
        e.origin = self.origin.clone().or_else(|| self.party.origin.clone());
        e.add("holder", &self.party.id)?;
        e.add("number", number)?;
        e.add("type", doc.kind.label.trim_end_matches([' ', '#']))?;
        e.add("country", code.unwrap_or_default())?;
        e.add("startDate", doc.issued.as_deref().unwrap_or_default())?;
        e.add("endDate", doc.expires.as_deref().unwrap_or_default())?;
        self.derived.push(e);
        Ok(())
    }

    /// `Linked To: NAME`: an `UnknownLink` to the party of that primary name.
    fn link(&mut self, name: &str, text: &str) -> Result<(), ModelError> {
        let Some(target) = self.resolve(name, text)? else {
            return Ok(());
        };
        let role = "Linked To";
        let id = ids::derived("ofac-link", &[&self.party.id, &target, role]);
        let mut e = Entity::new(id, "UnknownLink")?;
        e.origin = self.origin.clone().or_else(|| self.party.origin.clone());
        e.add("subject", &self.party.id)?;
        e.add("object", &target)?;
        e.add("role", role)?;
        self.derived.push(e);
        Ok(())
    }

    /// The id of the party named `name`, or a warning and a note.
    fn resolve(&mut self, name: &str, text: &str) -> Result<Option<String>, ModelError> {
        let problem = match self.ctx.names.find(name) {
            Target::One(ent) if ent != self.ent_num => return Ok(Some(ids::ofac(ent))),
            Target::One(_) => "names the entry itself".to_string(),
            Target::Ambiguous(n) => format!("matches {n} entries"),
            Target::Missing => "matches no entry in this parse".to_string(),
        };
        self.warn(
            sdn::COLUMNS[sdn::REMARKS],
            format!("linked name {name:?} {problem}; kept as a note"),
        );
        self.note(text)?;
        Ok(None)
    }

    /// `Aircraft Operator NAME`: FtM's `operator` when the name is a listed party.
    /// Operators are often not listed, so a miss is a note, not a warning.
    fn operator(&mut self, name: &str, text: &str) -> Result<(), ModelError> {
        match self.ctx.names.find(name) {
            Target::One(ent) if self.put("operator", &ids::ofac(ent))? => Ok(()),
            _ => self.note(text),
        }
    }

    fn wallet(&mut self, currency: &str, key: &str) -> Result<(), ModelError> {
        let id = ids::derived("ofac-wallet", &[currency, key]);
        let mut e = Entity::new(id, "CryptoWallet")?;
        e.origin = self.origin.clone().or_else(|| self.party.origin.clone());
        e.add("publicKey", key)?;
        e.add("currency", currency)?;
        e.add("holder", &self.party.id)?;
        self.derived.push(e);
        Ok(())
    }

    /// A note on the party always, and on the sanctions whose program it names.
    fn sanction_fact(&mut self, fact: &SanctionFact, text: &str) -> Result<(), ModelError> {
        self.note(text)?;
        let tags: Vec<&str> = self.sanctions.iter().map(|(t, _)| *t).collect();
        let (prop, value) = match fact {
            SanctionFact::Provision => ("provisions", text),
            SanctionFact::ListingDate(date) => ("listingDate", date.as_str()),
            SanctionFact::EffectiveDate(date) => ("startDate", date.as_str()),
        };
        for i in programs_named(text, &tags) {
            self.sanctions[i]
                .1
                .add_from(prop, value, self.origin.clone())?;
        }
        Ok(())
    }

    /// Adds a value when the party's schema has the property; says whether it did.
    /// (A test checks that every property named in the remark tables exists.)
    fn put(&mut self, prop: &str, value: &str) -> Result<bool, ModelError> {
        match self.party.add_from(prop, value, self.origin.clone()) {
            Ok(()) => Ok(true),
            Err(ModelError::UnknownProperty { .. } | ModelError::StubProperty { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn put_or_note(&mut self, prop: &str, value: &str, text: &str) -> Result<(), ModelError> {
        if !self.put(prop, value)? {
            self.note(text)?;
        }
        Ok(())
    }

    fn note(&mut self, text: &str) -> Result<(), ModelError> {
        self.party.add_from("notes", text, self.origin.clone())
    }

    fn warn(&mut self, field: &str, message: String) {
        let location = Location::file(self.input.file)
            .line(self.input.row.line)
            .record(format!("ent_num {}", self.ent_num))
            .field(field);
        self.warnings.push(Warning { location, message });
    }

    fn finish(self) -> Party {
        let mut entities = vec![self.party];
        entities.extend(self.sanctions.into_iter().map(|(_, s)| s));
        entities.extend(self.derived);
        Party {
            entities,
            warnings: self.warnings,
        }
    }
}

/// `SDNTK] [FTO] [SDGT`: the tags between OFAC's `] [` separators.
fn programs(column: &str) -> impl Iterator<Item = &str> {
    column
        .split("] [")
        .map(|t| {
            t.trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .trim()
        })
        .filter(|t| !t.is_empty())
}

/// The program tags a sanction remark is about: by executive order number
/// (`EO 14024` ↔ `RUSSIA-EO14024`; 13224 is SDGT's), by name (`CMIC`, `CAATSA`,
/// North Korea, Ukraine), or the only tag there is.
fn programs_named(text: &str, tags: &[&str]) -> Vec<usize> {
    const NAMED: &[(&str, &str)] = &[
        ("CMIC", "CMIC"),
        ("CAATSA", "CAATSA"),
        ("North Korea", "DPRK"),
        ("Ukraine-/Russia-Related", "UKRAINE-"),
    ];
    let orders = executive_orders(text);
    let named = |tag: &str| {
        let eo_of = |eo: &str| {
            tag.strip_suffix(eo)
                .is_some_and(|head| head.ends_with("EO"))
        };
        orders
            .iter()
            .any(|eo| eo_of(eo) || (*eo == "13224" && tag == "SDGT"))
            || NAMED
                .iter()
                .any(|(word, prefix)| text.contains(word) && tag.starts_with(prefix))
    };
    let matched: Vec<usize> = (0..tags.len()).filter(|&i| named(tags[i])).collect();
    if matched.is_empty() && tags.len() == 1 {
        return vec![0];
    }
    matched
}

/// The five-digit numbers after `Executive Order ` or `EO ` in a text.
fn executive_orders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for prefix in ["Executive Order ", "EO "] {
        for (at, _) in text.match_indices(prefix) {
            let rest = &text[at + prefix.len()..];
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 5 {
                out.push(&rest[..5]);
            }
        }
    }
    out
}

/// `99,144` → `99144`: FtM numbers carry no thousands separators.
fn plain_number(text: &str) -> String {
    let groups: Vec<&str> = text.split(',').collect();
    let grouped = groups.len() > 1
        && groups.iter().skip(1).all(|g| g.len() == 3)
        && groups
            .iter()
            .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()));
    if grouped {
        groups.concat()
    } else {
        text.to_string()
    }
}

/// Person, Vessel and Airplane from SDN_Type; otherwise Company when the name
/// carries a legal form or the remarks a bank or securities code, else Organization.
fn schema_for<'r>(
    kind: Option<&str>,
    name: &str,
    mut remarks: impl Iterator<Item = &'r Remark<'r>>,
) -> &'static str {
    match kind {
        Some("individual") => return "Person",
        Some("vessel") => return "Vessel",
        Some("aircraft") => return "Airplane",
        _ => {}
    }
    let company_code = |r: &Remark| {
        matches!(&r.segment, Segment::Document(d)
            if matches!(d.kind.prop, "swiftBic" | "isinCode" | "ticker" | "bikCode"))
    };
    if has_legal_form(name) || remarks.any(company_code) {
        "Company"
    } else {
        "Organization"
    }
}

/// Legal forms that make a name a company's.
#[rustfmt::skip]
const LEGAL_FORMS: &[&str] = &[
    "LLC", "L.L.C.", "LTD", "LTD.", "LIMITED", "INC", "INC.", "CORP", "CORP.", "CORPORATION",
    "COMPANY", "CO.", "JSC", "OJSC", "PJSC", "CJSC", "OAO", "ZAO", "PAO", "OOO", "AO", "TOO",
    "GMBH", "AG", "S.A.", "SA", "S.A.S.", "S.R.L.", "SRL", "S.L.", "B.V.", "N.V.", "PLC",
    "PTE", "BHD", "LTDA", "LTDA.", "FZE", "FZCO", "FZC", "DMCC", "SPA", "S.P.A.", "KFT",
    "PVT", "PTY", "C.V.", "A.S.", "SAS", "LLP", "LP",
];

/// Whether a name carries a company's legal form (`LLC`, `S.A. DE C.V.`, `GMBH`).
fn has_legal_form(name: &str) -> bool {
    name.split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .any(|word| LEGAL_FORMS.iter().any(|f| word.eq_ignore_ascii_case(f)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_tags_split_on_ofac_separator() {
        let tags: Vec<_> = programs("SDNTK] [FTO] [SDGT] [ILLICIT-DRUGS-EO14059").collect();
        assert_eq!(tags, ["SDNTK", "FTO", "SDGT", "ILLICIT-DRUGS-EO14059"]);
        assert_eq!(programs("[TCO]").collect::<Vec<_>>(), ["TCO"]);
        assert_eq!(programs("").count(), 0);
    }

    fn check_named(text: &str, tags: &[&str], expect: &[&str]) {
        let got: Vec<&str> = programs_named(text, tags)
            .into_iter()
            .map(|i| tags[i])
            .collect();
        assert_eq!(got, expect, "{text}");
    }

    #[test]
    fn sanction_remarks_find_their_program() {
        let cartel = ["SDNTK", "FTO", "SDGT", "ILLICIT-DRUGS-EO14059"];
        check_named(
            "Secondary sanctions risk: section 1(b) of Executive Order 13224, as amended by Executive Order 13886",
            &cartel,
            &["SDGT"],
        );
        let ru = ["UKRAINE-EO13662", "RUSSIA-EO14024"];
        check_named(
            "Listing Date (EO 14024 Directive 2): 24 Feb 2022",
            &ru,
            &["RUSSIA-EO14024"],
        );
        check_named(
            "Executive Order 13662 Directive Determination - Subject to Directive 1",
            &ru,
            &["UKRAINE-EO13662"],
        );
        check_named(
            "Listing Date (CMIC) 03 Jun 2021",
            &["CMIC-EO13959"],
            &["CMIC-EO13959"],
        );
        check_named(
            "Additional Sanctions Information - Subject to Secondary Sanctions",
            &["IRAN"],
            &["IRAN"],
        );
        check_named(
            "Additional Sanctions Information - Subject to Secondary Sanctions",
            &ru,
            &[],
        );
    }

    #[test]
    fn schemata_follow_sdn_type_and_legal_form() {
        let none = std::iter::empty();
        assert_eq!(
            schema_for(Some("individual"), "GUZMAN LOERA, Joaquin", none),
            "Person"
        );
        assert_eq!(
            schema_for(None, "SINALOA CARTEL", std::iter::empty()),
            "Organization"
        );
        assert_eq!(
            schema_for(None, "ANGLO-CARIBBEAN CO., LTD.", std::iter::empty()),
            "Company"
        );
        assert_eq!(
            schema_for(None, "GRUPO IMPERGOZA, S.A. DE C.V.", std::iter::empty()),
            "Company"
        );
        assert_eq!(
            schema_for(Some("vessel"), "EBANO", std::iter::empty()),
            "Vessel"
        );
        let swift = remarks::parse("SWIFT/BIC HAVIGB2L", Ends::default());
        assert_eq!(schema_for(None, "BANK MELLI", swift.iter()), "Company");
    }

    #[test]
    fn tonnage_loses_thousands_separators_only() {
        assert_eq!(plain_number("99,144"), "99144");
        assert_eq!(plain_number("2595"), "2595");
        assert_eq!(plain_number("1,5"), "1,5");
    }
}
