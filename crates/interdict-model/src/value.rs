//! Whether FollowTheMoney would hold a value in a property, and in what form.
//!
//! [`normalize`] answers, for one property and one value, what OpenSanctions'
//! `followthemoney` library (4.11.2) makes of the value when it is added to an
//! entity: the value as FtM's property type cleans it (phones to E.164, country
//! names to codes, IMO numbers to `IMO1234567`, addresses with `;` and `,,`
//! tidied), or a [`Rejection`] where FtM would drop the value or fail to
//! validate it. Callers put only accepted values in a property and keep the
//! rest elsewhere.
//!
//! ```
//! use interdict_model::{Model, value::normalize};
//!
//! let org = Model::get().schema("Organization").unwrap();
//! let phone = org.property("phone").unwrap();
//! assert_eq!(normalize(phone, "+961 3 380 223").unwrap(), "+9613380223");
//! assert_eq!(normalize(phone, "009613380223").unwrap(), "+9613380223");
//! assert!(normalize(phone, "03669916").is_err()); // no country code
//!
//! let company = Model::get().schema("Company").unwrap();
//! let inn = company.property("innCode").unwrap();
//! assert_eq!(normalize(inn, "7707083893").unwrap(), "7707083893");
//! assert_eq!(normalize(inn, "7707083894").unwrap_err().reason, "bad INN check digits");
//! ```
//!
//! The rules are those of FtM's types and of the helpers they call (`rigour`
//! for identifier formats, URLs and languages; `python-stdnum` for check
//! digits; `prefixdate` for dates; libphonenumber for phones). The data they
//! use (country, topic and language codes, IBAN formats, libphonenumber's
//! number patterns) is in `ftm_values.tsv`, written from the library. The
//! `phonenumber` crate only reads a phone number's country code and national
//! number; whether the number is valid is decided on FtM's copy of
//! libphonenumber's patterns, as the crate's own are older and matched as
//! prefixes. `value_cases.tsv` holds real and made-up inputs with what the
//! library itself made of them; a test keeps this module in agreement.
//!
//! Where this module departs from FtM, what it returns is still a value FtM
//! holds as it stands; mostly it refuses more:
//! - a phone number written with a leading `00` is read as international
//!   (FtM needs a `+`);
//! - a phone number must keep the digits it was written with (a trunk `0` may
//!   go), so numbers FtM rewrites by regional rules are refused;
//! - every type's declared maximum length is enforced, also for emails and
//!   entity references, which FtM's `validate` does not measure;
//! - country names are read by [`crate::country::code`], whose table makes its
//!   own choices for disputed regions (`NA` is "not available" there);
//! - digits are ASCII digits, where Python also reads other scripts' decimal
//!   digits in dates and some identifiers.
//!
//! What this module does not do: guess the country of a national phone
//! number, or keep the part of a value that FtM drops. A date FtM reads from a
//! longer text (`1966 or 1967` → `1966`) comes back as that shorter prefix;
//! callers that must not lose the rest compare it with their input.
//!
//! Values are expected trimmed with whitespace folded. String-like types (name,
//! string, text, number, address, identifiers without a format) then come back
//! borrowed, in one pass over the value, unless FtM would change them.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::{LazyLock, OnceLock};

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::schema::{PropType, Property};

const TABLE: &str = include_str!("ftm_values.tsv");

/// Why FtM would not hold a value in a property.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct Rejection {
    /// Short and lowercase, e.g. `not a valid phone number`.
    pub reason: String,
}

impl Rejection {
    fn new(reason: impl Into<String>) -> Self {
        Rejection {
            reason: reason.into(),
        }
    }
}

type Held<'a> = Result<Cow<'a, str>, Rejection>;

fn reject<T>(reason: &str) -> Result<T, Rejection> {
    Err(Rejection::new(reason))
}

/// The identifier formats this module checks, by FtM's names (with the
/// aliases FtM accepts). FtM ignores a format it does not know, and so does
/// [`normalize`]; a test checks that every format in the model is here.
pub const FORMATS: &[&str] = &[
    "bic", "swift", "figi", "openfigi", "iban", "imo", "inn", "isin", "lei", "npi", "ogrn", "ssn",
    "uei", "uscc", "wikidata", "qid", "generic", "null",
];

/// The value as FtM holds it (normalised where FtM normalises, e.g. phones to
/// E.164, countries to codes), or why FtM would not accept it. `value` has
/// already been trimmed and had whitespace folded.
pub fn normalize<'a>(prop: &Property, value: &'a str) -> Result<Cow<'a, str>, Rejection> {
    let held = match sanitize(value) {
        Cow::Borrowed(text) => clean(prop, text)?,
        Cow::Owned(text) => Cow::Owned(clean(prop, &text)?.into_owned()),
    };
    let max = max_length(prop.prop_type);
    if longer_than(&held, max) {
        return Err(Rejection::new(format!(
            "{} longer than {max} characters",
            prop.prop_type
        )));
    }
    Ok(held)
}

/// FtM's `max_length` of each type, in characters (code points).
pub fn max_length(prop_type: PropType) -> usize {
    match prop_type {
        PropType::Address | PropType::Email | PropType::Number => 250,
        PropType::Country | PropType::Gender | PropType::Language => 16,
        PropType::Date => 32,
        PropType::Entity => 200,
        PropType::Identifier | PropType::Phone | PropType::Topic => 64,
        PropType::Name => 384,
        PropType::String => 1024,
        PropType::Text => 65000,
        PropType::Url => 4096,
    }
}

fn longer_than(text: &str, max: usize) -> bool {
    text.len() > max && text.chars().count() > max
}

fn clean<'a>(prop: &Property, text: &'a str) -> Held<'a> {
    if text.is_empty() {
        return reject("empty value");
    }
    match prop.prop_type {
        PropType::Address => address(text),
        PropType::Country => country(text),
        PropType::Date => date(text),
        PropType::Email => email(text),
        PropType::Entity => entity(text),
        PropType::Gender => gender(text),
        PropType::Identifier => identifier(prop.format, text),
        PropType::Language => language(text),
        PropType::Name => name(text),
        PropType::Number | PropType::String | PropType::Text => Ok(Cow::Borrowed(text)),
        PropType::Phone => phone(text),
        PropType::Topic => topic(text),
        PropType::Url => url(text),
    }
}

/// Runs `step` on text that may already be owned, borrowing when neither allocates.
fn then<'a>(
    text: Cow<'a, str>,
    step: impl for<'b> FnOnce(&'b str) -> Cow<'b, str>,
) -> Cow<'a, str> {
    match text {
        Cow::Borrowed(text) => step(text),
        Cow::Owned(text) => Cow::Owned(step(&text).into_owned()),
    }
}

/// The text from `parts`, borrowing `text` when it already reads so.
fn assemble<'a>(text: &'a str, parts: &[&str]) -> Cow<'a, str> {
    let mut rest = text;
    for part in parts {
        match rest.strip_prefix(part) {
            Some(tail) => rest = tail,
            None => return Cow::Owned(parts.concat()),
        }
    }
    if rest.is_empty() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(parts.concat())
    }
}

// ---------------------------------------------------------------------------
// Text: FtM's sanitising of every value, and its name and address cleaning.

/// What FtM does to every value first: compose (NFC), drop control and
/// invisible characters, turn odd spaces into plain ones, trim.
fn sanitize(value: &str) -> Cow<'_, str> {
    let composed = if value.is_ascii() || unicode_normalization::is_nfc(value) {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(value.nfc().collect())
    };
    then(composed, |text| match remove_unsafe(text) {
        Cow::Borrowed(text) => Cow::Borrowed(text.trim()),
        Cow::Owned(text) => Cow::Owned(text.trim().to_owned()),
    })
}

/// Characters FtM deletes (`Some("")`) or turns into a space (`Some(" ")`).
fn unsafe_char(c: char) -> Option<&'static str> {
    match c {
        '\u{0}'..='\u{8}'
        | '\u{b}'..='\u{c}'
        | '\u{e}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{ad}'
        | '\u{61c}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2060}'..='\u{2064}'
        | '\u{feff}' => Some(""),
        '\u{a00}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200a}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{202f}'
        | '\u{205f}'
        | '\u{3000}' => Some(" "),
        _ => None,
    }
}

fn remove_unsafe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| unsafe_char(c).is_some()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match unsafe_char(c) {
            Some(replacement) => out.push_str(replacement),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Python's `\s`: Unicode whitespace and the four C0 separators; FtM adds U+0A00.
fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1c}'..='\u{1f}' | '\u{a00}')
}

/// Python's `\w`: letters, digits and numerals of any script, and `_`.
fn is_word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        c.is_alphanumeric() && !is_combining_mark(c)
    }
}

/// Zero-width characters FtM's `squash_spaces` deletes.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200d}' | '\u{feff}' | '\u{ad}' | '\u{2060}'..='\u{2064}')
}

/// FtM's `squash_spaces`: no zero-width characters, runs of whitespace as one space, trimmed.
fn squash(text: &str) -> Cow<'_, str> {
    let text = text.trim_matches(is_space);
    let mut previous_space = false;
    let untouched = text.chars().all(|c| {
        let fine = !is_invisible(c) && (c == ' ' && !previous_space || !is_space(c));
        previous_space = c == ' ';
        fine
    });
    if untouched {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars().filter(|&c| !is_invisible(c)) {
        if is_space(c) {
            pending_space = true;
        } else {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn name(text: &str) -> Held<'_> {
    let held = squash(strip_quotes(text));
    // FtM validates what it cleaned by cleaning it again: `"''"` becomes `''`,
    // which would lose its quotes too and come out empty.
    if held.is_empty() || squash(strip_quotes(&held)).is_empty() {
        return reject("empty name");
    }
    Ok(held)
}

/// One pair of quotes (`"` or `'`, in any combination) around the whole name goes.
fn strip_quotes(text: &str) -> &str {
    let bytes = text.as_bytes();
    let quote = |b: u8| b == b'"' || b == b'\'';
    if bytes.len() >= 2 && quote(bytes[0]) && quote(bytes[bytes.len() - 1]) {
        let inner = &text[1..text.len() - 1];
        if !inner.contains('\n') {
            return inner;
        }
    }
    text
}

/// FtM's address cleaning: line breaks, `<BR>`, tabs, `ESQ.,` and `;` become
/// `, `; a comma before another comma or a full stop becomes `, `; then spaces squash.
fn address(text: &str) -> Held<'_> {
    let held = then(then(line_breaks(text), commata), squash);
    if held.is_empty() {
        return reject("empty address");
    }
    Ok(held)
}

const LINE_BREAKS: &[&str] = &["\r\n", "\n", "<BR/>", "<BR>", "\t", "ESQ.,", "ESQ,", ";"];

fn line_breaks(text: &str) -> Cow<'_, str> {
    let found = |at: &str| LINE_BREAKS.iter().find(|b| at.starts_with(**b));
    if !text.contains(['\n', '\t', ';', '<', 'E'])
        || !(0..text.len()).any(|i| text.is_char_boundary(i) && found(&text[i..]).is_some())
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        match found(rest) {
            Some(brk) => {
                out.push_str(", ");
                rest = &rest[brk.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    Cow::Owned(out)
}

/// Length of a match of `,\s?[,.]` at the start of `text`, if any.
fn comma_run(text: &str) -> Option<usize> {
    let mut chars = text.strip_prefix(',')?.chars();
    match chars.next()? {
        ',' | '.' => Some(2),
        c if is_space(c) => matches!(chars.next()?, ',' | '.').then(|| 2 + c.len_utf8()),
        _ => None,
    }
}

fn commata(text: &str) -> Cow<'_, str> {
    if !text
        .match_indices(',')
        .any(|(i, _)| comma_run(&text[i..]).is_some())
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        match comma_run(rest) {
            Some(len) => {
                out.push_str(", ");
                rest = &rest[len..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    Cow::Owned(out)
}

// ---------------------------------------------------------------------------
// Vocabularies: FtM's countries, genders, topics and languages, and the
// registries its identifier checks use; all in `ftm_values.tsv`.

struct Vocabulary {
    countries: HashSet<&'static str>,
    genders: HashMap<&'static str, &'static str>,
    topics: HashSet<&'static str>,
    /// Language code, name or tag → FtM code; `None` for a language FtM does not list.
    languages: HashMap<&'static str, Option<&'static str>>,
    bic_countries: HashSet<&'static str>,
    isin_countries: HashSet<&'static str>,
    /// Country → BBAN structure in SWIFT's notation (`8!n10!n`).
    iban: HashMap<&'static str, &'static str>,
    /// Belgian bank codes (first three digits of the BBAN) in use.
    be_banks: Vec<(u16, u16)>,
    /// Calling code → its regions, in the order libphonenumber tries them.
    phones: HashMap<u16, Vec<PhoneRegion>>,
}

static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(Vocabulary::load);

impl Vocabulary {
    fn load() -> Vocabulary {
        let mut v = Vocabulary {
            countries: HashSet::new(),
            genders: HashMap::new(),
            topics: HashSet::new(),
            languages: HashMap::new(),
            bic_countries: HashSet::new(),
            isin_countries: HashSet::new(),
            iban: HashMap::new(),
            be_banks: Vec::new(),
            phones: HashMap::new(),
        };
        for line in TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let mut cols = line.split('\t');
            let (kind, key) = (cols.next().unwrap_or(""), cols.next().unwrap_or(""));
            v.add(kind, key, cols.next().unwrap_or(""));
        }
        v
    }

    fn add(&mut self, kind: &str, key: &'static str, value: &'static str) {
        let some = |value: &'static str| Some(value).filter(|v| !v.is_empty());
        match kind {
            "country" => drop(self.countries.insert(key)),
            "gender" => drop(self.genders.insert(key, some(value).unwrap_or(key))),
            "topic" => drop(self.topics.insert(key)),
            "language" => drop(self.languages.insert(key, some(value))),
            "bic-country" => self.bic_countries.extend(value.split(' ')),
            "isin-country" => self.isin_countries.extend(value.split(' ')),
            "iban" => drop(self.iban.insert(key, value)),
            "iban-be-bank" => self.be_banks.extend(value.split(' ').map(|range| {
                let (low, high) = range.split_once('-').expect("ftm_values.tsv: bank range");
                (
                    low.parse().expect("bank code"),
                    high.parse().expect("bank code"),
                )
            })),
            "phone-region" => self.add_phone_region(key, value),
            "phone-desc" => self.add_phone_type(key, value),
            other => panic!("ftm_values.tsv: unknown kind {other}"),
        }
    }

    /// `key` is `calling code-region`, e.g. `1-US`; regions come in lookup order.
    fn add_phone_region(&mut self, key: &'static str, leading: &'static str) {
        let code = key.split('-').next().and_then(|c| c.parse().ok());
        let code = code.expect("ftm_values.tsv: phone region");
        let leading = Some(leading).filter(|l| !l.is_empty());
        self.phones.entry(code).or_default().push(PhoneRegion {
            leading: leading.map(|l| PhonePattern::new(l, false)),
            types: Vec::new(),
        });
    }

    /// `value` is the possible lengths (comma-separated) and the pattern.
    fn add_phone_type(&mut self, key: &'static str, value: &'static str) {
        let code: u16 = key
            .split('-')
            .next()
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let (lengths, pattern) = value.split_once(' ').expect("ftm_values.tsv: phone type");
        let lengths = lengths.split(',').filter_map(|l| l.parse().ok()).collect();
        let region = self.phones.get_mut(&code).and_then(|r| r.last_mut());
        let region = region.expect("ftm_values.tsv: phone type before its region");
        region
            .types
            .push((lengths, PhonePattern::new(pattern, true)));
    }
}

/// Looks `text` up as FtM's enum types do: lowercased and trimmed.
fn lookup_lower<T: Copy>(text: &str, find: impl Fn(&str) -> Option<T>) -> Option<T> {
    find(text).or_else(|| find(text.to_lowercase().trim()))
}

fn country(text: &str) -> Held<'_> {
    let countries = &VOCABULARY.countries;
    // A code written as FtM writes it is that code; this includes `na`, which
    // `country::code` gives for Namibia.
    if countries.contains(text) {
        return Ok(Cow::Borrowed(text));
    }
    // Anything else is read by `country::code`, which takes `NA` and `n/a` for
    // "not available"; FtM codes it never gives (`UA-CRI`, `SUHH`, `EU`) are kept.
    let code = crate::country::code(text).filter(|code| countries.contains(code));
    let code = code.or_else(|| {
        let lower = text.to_ascii_lowercase();
        let code = countries.get(lower.as_str()).copied();
        code.filter(|&c| c != "na")
    });
    match code {
        Some(code) => Ok(Cow::Borrowed(code)),
        None => reject("not a country FtM knows"),
    }
}

fn gender(text: &str) -> Held<'static> {
    match lookup_lower(text, |key| VOCABULARY.genders.get(key).copied()) {
        Some(code) => Ok(Cow::Borrowed(code)),
        None => reject("not a gender FtM knows"),
    }
}

fn topic(text: &str) -> Held<'static> {
    match lookup_lower(text, |key| VOCABULARY.topics.get(key).copied()) {
        Some(code) => Ok(Cow::Borrowed(code)),
        None => reject("not a topic FtM knows"),
    }
}

fn language(text: &str) -> Held<'static> {
    match language_code(text.to_lowercase().trim()) {
        Some(code) => Ok(Cow::Borrowed(code)),
        None => reject("not a language FtM knows"),
    }
}

/// rigour's `iso_639_alpha3` within FtM's list: a whole tag first, then its primary subtag.
fn language_code(key: &str) -> Option<&'static str> {
    if let Some(&code) = VOCABULARY.languages.get(key) {
        return code;
    }
    let primary = key.split_once('-').or_else(|| key.split_once('_'))?.0;
    language_code(primary)
}

fn entity(text: &str) -> Held<'_> {
    let bytes = text.as_bytes();
    let edge = |b: &u8| b.is_ascii_alphanumeric();
    let inner = |b: &u8| b.is_ascii_alphanumeric() || *b == b'.' || *b == b'-';
    let ok = bytes.first().is_some_and(edge)
        && bytes.last().is_some_and(edge)
        && bytes.iter().all(inner);
    if !ok {
        return reject("not a valid entity id");
    }
    Ok(Cow::Borrowed(text))
}

// ---------------------------------------------------------------------------
// Dates: prefixdate's reading of an ISO 8601 prefix.

/// Offsets into `YYYY-MM-DDTHH:MM:SS` of each precision.
const YEAR: usize = 4;
const MONTH: usize = 7;
const DAY: usize = 10;
const HOUR: usize = 13;
const MINUTE: usize = 16;
const SECOND: usize = 19;

/// The parts prefixdate reads from the start of a text.
#[derive(Default)]
struct DateParts {
    year: u32,
    month: Option<u32>,
    day: Option<u32>,
    hour: Option<u32>,
    minute: Option<u32>,
    second: Option<u32>,
    /// Minutes east of UTC.
    offset: Option<i32>,
}

/// A cursor over a date text, mirroring prefixdate's regular expression.
struct DateScan<'a> {
    text: &'a str,
    pos: usize,
}

impl DateScan<'_> {
    fn digits(&self, at: usize, max: usize) -> usize {
        self.text.as_bytes()[at.min(self.text.len())..]
            .iter()
            .take(max)
            .take_while(|b| b.is_ascii_digit())
            .count()
    }

    /// Whether a word boundary follows a digit ending at `at`.
    fn boundary(&self, at: usize) -> bool {
        self.text[at..].chars().next().is_none_or(|c| !is_word(c))
    }

    fn number(&self, at: usize, len: usize) -> u32 {
        self.text[at..at + len].parse().unwrap_or(0)
    }

    /// `sep` then one or two digits ending at a word boundary.
    fn field(&mut self, sep: &[u8]) -> Option<u32> {
        let at = self.pos + 1;
        if !sep.contains(self.text.as_bytes().get(self.pos)?) {
            return None;
        }
        let len = self.digits(at, 3);
        if !(1..=2).contains(&len) || !self.boundary(at + len) {
            return None;
        }
        self.pos = at + len;
        Some(self.number(at, len))
    }

    fn parse(text: &str) -> Option<DateParts> {
        let mut scan = DateScan { text, pos: 0 };
        let b = text.as_bytes();
        if b.len() < 4
            || !matches!(b[0], b'1' | b'2')
            || scan.digits(1, 3) != 3
            || !scan.boundary(4)
        {
            return None;
        }
        let mut parts = DateParts {
            year: scan.number(0, 4),
            ..DateParts::default()
        };
        scan.pos = 4;
        parts.month = scan.field(b"-");
        if parts.month.is_none() || b.get(scan.pos) != Some(&b'-') {
            return Some(parts);
        }
        let len = scan.digits(scan.pos + 1, 2);
        if len == 0 {
            return Some(parts);
        }
        parts.day = Some(scan.number(scan.pos + 1, len));
        scan.pos += 1 + len;
        parts.hour = scan.field(b"T ");
        parts.minute = parts.hour.and_then(|_| scan.field(b":"));
        parts.second = parts.minute.and_then(|_| scan.field(b":"));
        if parts.second.is_some() {
            scan.fraction();
            parts.offset = scan.offset();
        }
        Some(parts)
    }

    /// `.` and four to six digits, which prefixdate reads past and drops.
    fn fraction(&mut self) {
        if self.text.as_bytes().get(self.pos) == Some(&b'.') {
            let len = self.digits(self.pos + 1, 7);
            if (4..=6).contains(&len) && self.boundary(self.pos + 1 + len) {
                self.pos += 1 + len;
            }
        }
    }

    /// `Z`, or `+HH:MM` / `+HHMM`; prefixdate ignores an offset without minutes.
    fn offset(&mut self) -> Option<i32> {
        let b = self.text.as_bytes();
        let sign = match b.get(self.pos)? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let at = self.pos + 1;
        if self.digits(at, 2) != 2 {
            return None;
        }
        let minutes_at =
            if b.get(at + 2) == Some(&b':') && self.digits(at + 3, 2) == 2 && self.boundary(at + 5)
            {
                at + 3
            } else if self.digits(at + 2, 2) == 2 && self.boundary(at + 4) {
                at + 2
            } else {
                return None;
            };
        let minutes = self.number(at, 2) * 60 + self.number(minutes_at, 2);
        Some(sign * minutes as i32)
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn date(text: &str) -> Held<'_> {
    let Some(parts) = DateScan::parse(text) else {
        return reject("not a date FtM can read");
    };
    // A missing or zero part lowers the precision and reads as its lowest value.
    let mut precision = SECOND;
    let mut part = |value: Option<u32>, lowest: u32, cut: usize| match value {
        Some(v) if v >= lowest => v,
        _ => {
            precision = precision.min(cut);
            lowest
        }
    };
    let (year, month, day) = (
        parts.year,
        part(parts.month, 1, YEAR),
        part(parts.day, 1, MONTH),
    );
    let (hour, minute, second) = (
        part(parts.hour, 0, DAY),
        part(parts.minute, 0, HOUR),
        part(parts.second, 0, MINUTE),
    );
    if month > 12 || day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 59 {
        return reject("not a real date");
    }
    let mut stamp = [year, month, day, hour, minute, second];
    if let Some(offset) = parts.offset.filter(|o| o.abs() < 24 * 60 && *o != 0) {
        to_utc(&mut stamp, offset);
    }
    let [year, month, day, hour, minute, second] = stamp;
    if !(1000..=2999).contains(&year) {
        // FtM would write the year with a zero or a 3, and then not read it back.
        return reject("date out of range after conversion to UTC");
    }
    let full = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
    let held = &full[..precision];
    if text.starts_with(held) {
        return Ok(Cow::Borrowed(&text[..precision]));
    }
    Ok(Cow::Owned(held.to_owned()))
}

/// Moves a local time `offset` minutes east of UTC to UTC.
fn to_utc(stamp: &mut [u32; 6], offset: i32) {
    let [year, month, day, hour, minute, _] = stamp;
    let minutes = *hour as i32 * 60 + *minute as i32 - offset;
    let day_shift = minutes.div_euclid(24 * 60);
    let minutes = minutes.rem_euclid(24 * 60);
    (*hour, *minute) = ((minutes / 60) as u32, (minutes % 60) as u32);
    if day_shift < 0 {
        if *day > 1 {
            *day -= 1;
        } else if *month > 1 {
            *month -= 1;
            *day = days_in_month(*year, *month);
        } else {
            (*year, *month, *day) = (*year - 1, 12, 31);
        }
    } else if day_shift > 0 {
        if *day < days_in_month(*year, *month) {
            *day += 1;
        } else if *month < 12 {
            (*month, *day) = (*month + 1, 1);
        } else {
            (*year, *month, *day) = (*year + 1, 1, 1);
        }
    }
}

// ---------------------------------------------------------------------------
// Phones, emails and URLs.

fn phone(text: &str) -> Held<'_> {
    let international = match text.strip_prefix("00") {
        Some(rest) => Cow::Owned(format!("+{rest}")),
        None => Cow::Borrowed(text),
    };
    let international = then(international, ascii_digits);
    let Ok(number) = phonenumber::parse(None, international.as_ref()) else {
        if international.starts_with('+') || international.starts_with("tel:") {
            return reject("not a valid phone number");
        }
        return reject("phone number without country code");
    };
    let code = number.code().value();
    let national = number.national().to_string();
    if !as_written(&international, code, &national) {
        return reject("phone number not read as written");
    }
    if !valid_number(code, &national) {
        return reject("not a valid phone number");
    }
    Ok(assemble(text, &["+", &code.to_string(), &national]))
}

/// Whether the crate read the number from the digits as written: the country
/// code, then the national number, perhaps after a trunk `0` (`+49 (0)30 …`).
/// The crate's metadata is older than FtM's and it strips prefixes and applies
/// regional rewrites that libphonenumber does not; such readings are refused.
/// So are vanity numbers (`+1 800 FLOWERS`), whose letters are not digits as written.
fn as_written(text: &str, code: u16, national: &str) -> bool {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let Some(rest) = digits.strip_prefix(&code.to_string()) else {
        return false;
    };
    rest.starts_with(national)
        || rest
            .strip_prefix('0')
            .is_some_and(|r| r.starts_with(national))
}

/// libphonenumber's `isValidNumber`, on FtM's own copy of its metadata: the
/// number's region (by leading digits where a calling code has several), then
/// a number type whose pattern matches the whole national number.
fn valid_number(code: u16, national: &str) -> bool {
    let Some(regions) = VOCABULARY.phones.get(&code) else {
        return false;
    };
    let region = match regions.as_slice() {
        [only] => Some(only),
        several => several.iter().find(|region| match &region.leading {
            Some(leading) => leading.matches(national),
            None => region.has_number_type(national),
        }),
    };
    region.is_some_and(|region| region.has_number_type(national))
}

/// One region's numbering plan, as far as validity goes.
struct PhoneRegion {
    /// Leading digits that claim a number for this region among those sharing its code.
    leading: Option<PhonePattern>,
    /// The general description first, then one per number type.
    types: Vec<(Vec<i32>, PhonePattern)>,
}

impl PhoneRegion {
    fn has_number_type(&self, national: &str) -> bool {
        let fits = |(lengths, pattern): &(Vec<i32>, PhonePattern)| {
            let len = i32::try_from(national.len()).unwrap_or(i32::MAX);
            (lengths.is_empty() || lengths.contains(&len)) && pattern.matches(national)
        };
        self.types.first().is_some_and(fits) && self.types[1..].iter().any(fits)
    }
}

/// A libphonenumber pattern, compiled on first use: anchored at the start for
/// leading digits, at both ends for number types.
struct PhonePattern {
    source: &'static str,
    whole: bool,
    regex: OnceLock<Option<regex::Regex>>,
}

impl PhonePattern {
    fn new(source: &'static str, whole: bool) -> Self {
        let regex = OnceLock::new();
        PhonePattern {
            source,
            whole,
            regex,
        }
    }

    fn matches(&self, national: &str) -> bool {
        let regex = self.regex.get_or_init(|| {
            let end = if self.whole { "$" } else { "" };
            regex::Regex::new(&format!("^(?:{}){end}", self.source)).ok()
        });
        regex.as_ref().is_some_and(|r| r.is_match(national))
    }
}

/// Arabic-Indic and fullwidth digits as ASCII digits, as libphonenumber reads them.
fn ascii_digits(text: &str) -> Cow<'_, str> {
    let digit = |c: char| match c {
        '\u{660}'..='\u{669}' => Some(c as u32 - 0x660),
        '\u{6f0}'..='\u{6f9}' => Some(c as u32 - 0x6f0),
        '\u{ff10}'..='\u{ff19}' => Some(c as u32 - 0xff10),
        _ => None,
    };
    if text.is_ascii() || !text.chars().any(|c| digit(c).is_some()) {
        return Cow::Borrowed(text);
    }
    let to_ascii = |c| digit(c).and_then(|d| char::from_digit(d, 10)).unwrap_or(c);
    Cow::Owned(text.chars().map(to_ascii).collect())
}

fn email(text: &str) -> Held<'_> {
    let address = text.strip_prefix("mailto:").unwrap_or(text);
    let Some((local, domain)) = address.rsplit_once('@') else {
        return reject("email address without @");
    };
    let local_char = |c: char| !"<>()[],;:?@\"".contains(c) && !is_space(c);
    if !(1..=64).contains(&local.chars().count()) || !local.chars().all(local_char) {
        return reject("not a valid email address");
    }
    let domain = domain.trim_end_matches('.');
    let host = mail_domain(domain)?;
    Ok(assemble(address, &[local, "@", &host]))
}

/// The domain as FtM holds it (lowercase, IDNA 2008, Unicode form), if it has a real TLD.
fn mail_domain(domain: &str) -> Held<'_> {
    let ascii_form = if domain.is_ascii() && !domain.to_ascii_lowercase().contains("xn--") {
        if !domain.split('.').all(ascii_label) || domain.len() > 253 {
            return reject("not a valid email domain");
        }
        None
    } else {
        match idna::domain_to_ascii_strict(domain) {
            Ok(ascii) => Some(ascii),
            Err(_) => return reject("not a valid email domain"),
        }
    };
    let ascii = ascii_form.as_deref().unwrap_or(domain);
    match ascii.rsplit_once('.') {
        Some((_, tld)) if tld.len() >= 2 && !tld.bytes().all(|b| b.is_ascii_digit()) => {}
        _ => return reject("email domain without a top-level domain"),
    }
    if ascii_form.is_some() {
        let (unicode, result) = idna::domain_to_unicode(ascii);
        if result.is_err() {
            return reject("not a valid email domain");
        }
        return Ok(Cow::Owned(unicode));
    }
    if domain.bytes().any(|b| b.is_ascii_uppercase()) {
        return Ok(Cow::Owned(domain.to_ascii_lowercase()));
    }
    Ok(Cow::Borrowed(domain))
}

/// An ASCII host label IDNA 2008 allows: letters, digits and inner hyphens.
fn ascii_label(label: &str) -> bool {
    let b = label.as_bytes();
    (1..=63).contains(&b.len())
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && b.get(2..4) != Some(b"--")
}

/// Schemes rigour keeps.
const URL_SCHEMES: &[&str] = &["http", "https", "ftp", "mailto", "file", "s3", "gs"];

/// Schemes whose last path segment may carry `;parameters`, as Python's urllib splits them.
const PARAM_SCHEMES: &[&str] = &[
    "", "ftp", "hdl", "prospero", "http", "imap", "https", "shttp", "rtsp", "rtsps", "rtspu",
    "sip", "sips", "mms", "sftp", "tel",
];

/// A URL split as Python's `urllib.parse.urlparse` splits it.
struct UrlParts<'a> {
    scheme: Cow<'a, str>,
    netloc: &'a str,
    path: &'a str,
    params: &'a str,
    query: &'a str,
    fragment: &'a str,
}

impl<'a> UrlParts<'a> {
    /// `None` where urllib raises (unbalanced or invalid brackets, NFKC tricks).
    fn split(text: &'a str) -> Option<UrlParts<'a>> {
        let (mut scheme, mut rest) = (Cow::Borrowed(""), text);
        if let Some(colon) = text.find(':') {
            let candidate = &text[..colon];
            let scheme_char = |c: char| c.is_ascii_alphanumeric() || "+-.".contains(c);
            if text.starts_with(|c: char| c.is_ascii_alphabetic())
                && candidate.chars().all(scheme_char)
            {
                scheme = if candidate.bytes().any(|b| b.is_ascii_uppercase()) {
                    Cow::Owned(candidate.to_ascii_lowercase())
                } else {
                    Cow::Borrowed(candidate)
                };
                rest = &text[colon + 1..];
            }
        }
        let mut netloc = "";
        if let Some(after) = rest.strip_prefix("//") {
            let end = after.find(['/', '?', '#']).unwrap_or(after.len());
            (netloc, rest) = (&after[..end], &after[end..]);
            if !brackets_ok(netloc) || !nfkc_ok(netloc) {
                return None;
            }
        }
        let (rest, fragment) = rest.split_once('#').unwrap_or((rest, ""));
        let (mut path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let mut params = "";
        if PARAM_SCHEMES.contains(&scheme.as_ref()) {
            let from = path.rfind('/').unwrap_or(0);
            if let Some(semi) = path[from..].find(';') {
                (path, params) = (&path[..from + semi], &path[from + semi + 1..]);
            }
        }
        Some(UrlParts {
            scheme,
            netloc,
            path,
            params,
            query,
            fragment,
        })
    }
}

fn brackets_ok(netloc: &str) -> bool {
    match (netloc.contains('['), netloc.contains(']')) {
        (false, false) => true,
        (true, true) => {
            let host = netloc.split_once('[').map_or("", |(_, b)| b);
            let host = host.split_once(']').map_or(host, |(h, _)| h);
            match host.strip_prefix('v') {
                Some(future) => future.split_once('.').is_some_and(|(hex, rest)| {
                    !hex.is_empty()
                        && hex.bytes().all(|b| b.is_ascii_hexdigit())
                        && !rest.is_empty()
                }),
                None => host.parse::<Ipv6Addr>().is_ok(),
            }
        }
        _ => false,
    }
}

/// urllib refuses a host whose NFKC form hides `/`, `?`, `#`, `@` or `:`.
fn nfkc_ok(netloc: &str) -> bool {
    if netloc.is_ascii() {
        return true;
    }
    let plain: String = netloc.chars().filter(|c| !"@:#?".contains(*c)).collect();
    let folded: String = plain.nfkc().collect();
    folded == plain || !folded.contains(['/', '?', '#', '@', ':'])
}

fn url(text: &str) -> Held<'_> {
    // urllib drops leading controls and spaces, and tabs and line breaks anywhere.
    let text = text.trim_start_matches(|c: char| c <= ' ');
    if text.contains(['\t', '\r', '\n']) {
        let joined: String = text.chars().filter(|c| !"\t\r\n".contains(*c)).collect();
        return clean_url(&joined).map(|held| Cow::Owned(held.into_owned()));
    }
    clean_url(text)
}

/// rigour's `clean_url`: a supported scheme (default `http`) and a plausible host.
fn clean_url(text: &str) -> Held<'_> {
    let Some(parts) = UrlParts::split(text) else {
        return reject("not a valid url");
    };
    if parts.netloc.is_empty() {
        // `www.example.org` reads as a path: FtM tries it again as `//www.example.org`.
        if !URL_SCHEMES.contains(&parts.scheme.as_ref())
            && parts.path.contains('.')
            && !text.starts_with("//")
        {
            let again = format!("//{text}");
            return clean_url(&again).map(|held| Cow::Owned(held.into_owned()));
        }
        return reject("url without a host");
    }
    if !host_ok(parts.netloc) {
        return reject("url with an invalid host");
    }
    let scheme = if parts.scheme.is_empty() {
        "http"
    } else {
        parts.scheme.as_ref()
    };
    if !URL_SCHEMES.contains(&scheme) {
        return reject("url with an unsupported scheme");
    }
    let path = match parts.path.trim() {
        "" => "/",
        path => path,
    };
    let mut pieces = vec![scheme, "://", parts.netloc, path];
    for (mark, piece) in [
        (";", parts.params),
        ("?", parts.query),
        ("#", parts.fragment),
    ] {
        if !piece.is_empty() {
            pieces.extend([mark, piece]);
        }
    }
    Ok(assemble(text, &pieces))
}

/// rigour's host check: no spaces, a numeric port, an IP address or
/// word-character labels, and a TLD that is neither one character nor digits.
fn host_ok(netloc: &str) -> bool {
    if netloc.contains(is_space) {
        return false;
    }
    let hostinfo = netloc.rsplit_once('@').map_or(netloc, |(_, h)| h);
    let (host, port) = match hostinfo.split_once('[') {
        Some((_, bracketed)) => {
            let (host, after) = bracketed.split_once(']').unwrap_or((bracketed, ""));
            (host, after.split_once(':').map_or("", |(_, p)| p))
        }
        None => hostinfo.split_once(':').unwrap_or((hostinfo, "")),
    };
    if host.is_empty() || !port_ok(port) {
        return false;
    }
    let host = match host.split_once('%') {
        Some((name, zone)) => format!("{}%{zone}", name.to_lowercase()),
        None => host.to_lowercase(),
    };
    if host.parse::<Ipv4Addr>().is_ok() || host.parse::<Ipv6Addr>().is_ok() {
        return true;
    }
    let labels: Vec<&str> = host.trim_end_matches('.').split('.').collect();
    let label_ok = |label: &&str| {
        (1..=63).contains(&label.chars().count())
            && label.chars().all(|c| is_word(c) || c == '-')
            && label.chars().any(|c| is_word(c) && c != '_')
    };
    if !labels.iter().all(label_ok) {
        return false;
    }
    let tld = labels[labels.len() - 1];
    labels.len() == 1 || (tld.chars().count() >= 2 && !tld.chars().all(char::is_numeric))
}

/// urllib reads a port of ASCII digits, leading zeros and all, up to 65535.
fn port_ok(port: &str) -> bool {
    let digits = port.trim_start_matches('0');
    port.bytes().all(|b| b.is_ascii_digit())
        && (digits.is_empty()
            || digits.len() <= 5 && digits.parse::<u32>().is_ok_and(|p| p <= 65535))
}

// ---------------------------------------------------------------------------
// Identifiers and their formats.

fn identifier<'a>(format: Option<&str>, text: &'a str) -> Held<'a> {
    match format.unwrap_or("") {
        "bic" | "swift" => bic(text),
        "figi" | "openfigi" => figi(text),
        "iban" => iban(text),
        "imo" => imo(text),
        "inn" => inn(text),
        "isin" => isin(text),
        "lei" => lei(text),
        "npi" => npi(text),
        "ogrn" => ogrn(text),
        "ssn" => ssn(text),
        "uei" => uei(text),
        "uscc" => uscc(text),
        "wikidata" | "qid" => wikidata(text),
        _ => Ok(Cow::Borrowed(text)),
    }
}

/// python-stdnum's reading of look-alike characters: dashes, spaces, full
/// stops and digits from other blocks as their ASCII forms.
fn stdnum_char(c: char) -> char {
    match c {
        '\u{af}'
        | '\u{2d7}'
        | '\u{58a}'
        | '\u{5be}'
        | '\u{1680}'
        | '\u{180a}'
        | '\u{2010}'..='\u{2015}'
        | '\u{203e}'
        | '\u{2043}'
        | '\u{207b}'
        | '\u{208b}'
        | '\u{2212}'
        | '\u{23af}'
        | '\u{23ba}'..='\u{23bd}'
        | '\u{23e4}'
        | '\u{fe63}'
        | '\u{ff0d}'
        | '\u{ffe3}' => '-',
        '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => ' ',
        '\u{b7}' | '\u{2d9}' | '\u{387}' | '\u{6d4}' | '\u{701}' | '\u{702}' | '\u{830}'
        | '\u{f0b}' | '\u{f0c}' | '\u{16eb}' | '\u{2022}' | '\u{2024}' | '\u{2027}'
        | '\u{2219}' | '\u{22c5}' | '\u{2e31}' | '\u{2e33}' | '\u{3002}' | '\u{30fb}'
        | '\u{fbb2}' | '\u{fbb3}' | '\u{fe52}' | '\u{ff0e}' | '\u{ff65}' | '\u{10101}'
        | '\u{1091f}' | '\u{10a50}' => '.',
        '\u{ff10}'..='\u{ff19}' => char::from(b'0' + (c as u32 - 0xff10) as u8),
        '\u{1d7ce}'..='\u{1d7ff}' => char::from(b'0' + ((c as u32 - 0x1d7ce) % 10) as u8),
        _ => c,
    }
}

/// python-stdnum's `compact`: look-alikes read, `delete` characters removed,
/// trimmed, and uppercased when `upper`.
fn compact<'a>(text: &'a str, delete: &str, upper: bool) -> Cow<'a, str> {
    let changes = |c: char| {
        let read = stdnum_char(c);
        read != c || delete.contains(read) || (upper && !c.to_uppercase().eq([c]))
    };
    let trimmed = text.trim();
    if !trimmed.chars().any(changes) {
        return Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(text.len());
    for c in text
        .chars()
        .map(stdnum_char)
        .filter(|c| !delete.contains(*c))
    {
        if upper {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
    }
    match out.trim() {
        t if t.len() == out.len() => Cow::Owned(out),
        t => Cow::Owned(t.to_owned()),
    }
}

/// Keeps a compacted value borrowed when it is the text itself.
fn held<'a>(text: &'a str, value: Cow<'a, str>) -> Cow<'a, str> {
    match value {
        Cow::Owned(v) if v == text => Cow::Borrowed(text),
        value => value,
    }
}

fn digit_values(number: &str) -> Vec<u32> {
    number.bytes().map(|b| u32::from(b - b'0')).collect()
}

fn weighted(digits: &[u32], weights: &[u32]) -> u32 {
    digits.iter().zip(weights).map(|(d, w)| d * w).sum()
}

/// ISO 7064 mod 97-10 over letters and digits read in base 36; `None` for other characters.
fn mod97(number: &str) -> Option<u32> {
    let mut rest = 0u32;
    for c in number.chars() {
        let value = c.to_digit(36)?;
        rest = if value < 10 {
            (rest * 10 + value) % 97
        } else {
            (rest * 100 + value) % 97
        };
    }
    Some(rest)
}

/// The Luhn check over ASCII digits.
fn luhn(number: &str) -> bool {
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = number
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                (d * 2) / 10 + (d * 2) % 10
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The first run of word characters that is all digits and one of `lens` long:
/// what `\b(\d{13}|\d{15})\b` finds first.
fn digit_token<'a>(text: &'a str, lens: &[usize]) -> Option<&'a str> {
    text.split(|c: char| !is_word(c))
        .find(|token| token.bytes().all(|b| b.is_ascii_digit()) && lens.contains(&token.len()))
}

fn inn(text: &str) -> Held<'_> {
    let number = compact(text, " ", false);
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return reject("INN must be digits");
    }
    let d = digit_values(&number);
    let check = |len: usize, weights: &[u32]| weighted(&d[..len], weights) % 11 % 10 == d[len];
    let ok = match d.len() {
        10 => check(9, &[2, 4, 10, 3, 5, 9, 4, 6, 8]),
        12 => {
            check(10, &[7, 2, 4, 10, 3, 5, 9, 4, 6, 8])
                && check(11, &[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8])
        }
        _ => return reject("INN must have 10 or 12 digits"),
    };
    if !ok {
        return reject("bad INN check digits");
    }
    Ok(held(text, number))
}

fn ogrn(text: &str) -> Held<'_> {
    let Some(number) = digit_token(text, &[13, 15]) else {
        return reject("no 13- or 15-digit OGRN");
    };
    let (body, check) = number.split_at(number.len() - 1);
    let modulus = if number.len() == 13 { 11 } else { 13 };
    let rest = body
        .bytes()
        .fold(0u64, |acc, b| (acc * 10 + u64::from(b - b'0')) % modulus);
    let expected = if rest == 10 { 0 } else { rest };
    if number.starts_with('0') || check.parse::<u64>() != Ok(expected) {
        return reject("bad OGRN check digit");
    }
    Ok(Cow::Borrowed(number))
}

fn npi(text: &str) -> Held<'_> {
    let Some(number) = digit_token(text, &[10, 15]) else {
        return reject("no 10- or 15-digit NPI");
    };
    let invalid = ["0000000000", "000000000000000", "808400000000000"].contains(&number);
    let full = if number.len() == 10 {
        Cow::Owned(format!("80840{number}"))
    } else {
        Cow::Borrowed(number)
    };
    if invalid || !luhn(&full) {
        return reject("bad NPI check digit");
    }
    Ok(Cow::Borrowed(number))
}

fn uei(text: &str) -> Held<'_> {
    let uei_char = |c: char| c.is_ascii_alphanumeric() && !matches!(c, 'I' | 'O' | 'i' | 'o');
    let token = text
        .split(|c: char| !is_word(c))
        .find(|t| t.len() == 12 && t.chars().all(uei_char));
    match token {
        Some(t) if !t.starts_with('0') => Ok(held(text, Cow::Owned(t.to_ascii_uppercase()))),
        _ => reject("no valid UEI"),
    }
}

fn wikidata(text: &str) -> Held<'_> {
    let last = text.rsplit('/').next().unwrap_or(text).trim();
    let upper = last.to_uppercase();
    let digits = upper.strip_prefix('Q').unwrap_or("");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return reject("not a Wikidata QID");
    }
    Ok(held(text, Cow::Owned(upper)))
}

fn imo(text: &str) -> Held<'_> {
    // Runs of five to seven digits; longer runs first, then those written
    // after `IMO`, then earlier ones; the first with a valid check digit wins.
    let mut candidates: Vec<(usize, bool, usize, &str)> = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let len = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if len == 0 {
            i += 1;
            continue;
        }
        if (5..=7).contains(&len) {
            let before = text[..i].trim_end_matches(|c: char| is_space(c) || ":.#-".contains(c));
            candidates.push((7 - len, !before.ends_with("IMO"), i, &text[i..i + len]));
        }
        i += len;
    }
    candidates.sort();
    for (_, _, _, run) in candidates {
        let padded = format!("{run:0>7}");
        let d = digit_values(&padded);
        let vessel = weighted(&d[..6], &[7, 6, 5, 4, 3, 2]) % 10 == d[6];
        let company = (11 - weighted(&d[..6], &[8, 6, 4, 2, 9, 7]) % 11) % 10 == d[6];
        if d.iter().any(|&x| x != 0) && (vessel || company) {
            return Ok(held(text, Cow::Owned(format!("IMO{padded}"))));
        }
    }
    reject("no IMO number with a valid check digit")
}

fn bic(text: &str) -> Held<'_> {
    let number = compact(text, " -", true);
    let b = number.as_bytes();
    let ok = matches!(b.len(), 8 | 11)
        && b[..6].iter().all(u8::is_ascii_uppercase)
        && b[6..]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && VOCABULARY.bic_countries.contains(&number[4..6]);
    if !ok {
        return reject("not a BIC");
    }
    // FtM keeps the institution's code and drops the branch.
    let number = match number {
        Cow::Borrowed(n) => Cow::Borrowed(&n[..8]),
        Cow::Owned(n) => Cow::Owned(n[..8].to_owned()),
    };
    Ok(held(text, number))
}

fn iban(text: &str) -> Held<'_> {
    let number = compact(text, " -.", true);
    if number.len() < 4
        || !number.is_ascii()
        || mod97(&format!("{}{}", &number[4..], &number[..4])) != Some(1)
    {
        return reject("bad IBAN check digits");
    }
    let Some(structure) = VOCABULARY.iban.get(&number[..2]) else {
        return reject("not an IBAN country");
    };
    if !bban_fits(&number[4..], structure) || !iban_country_ok(&number) {
        return reject("IBAN does not fit its country's format");
    }
    Ok(held(text, number))
}

/// Whether a BBAN matches SWIFT's structure notation, e.g. `4!a6!n8!c`.
fn bban_fits(bban: &str, structure: &str) -> bool {
    let mut rest = bban.as_bytes();
    for group in structure.split_inclusive(['n', 'a', 'c']) {
        let (count, kind) = group.split_at(group.len() - 1);
        let count: usize = count.trim_end_matches('!').parse().unwrap_or(0);
        if rest.len() < count {
            return false;
        }
        let (head, tail) = rest.split_at(count);
        let fits = |c: &u8| match kind {
            "n" => c.is_ascii_digit(),
            "a" => c.is_ascii_uppercase(),
            _ => c.is_ascii_alphanumeric(),
        };
        if !head.iter().all(fits) {
            return false;
        }
        rest = tail;
    }
    rest.is_empty()
}

/// python-stdnum's national checks for Belgian, Spanish, Montenegrin and Norwegian IBANs.
fn iban_country_ok(number: &str) -> bool {
    let bban = &number[4..];
    match &number[..2] {
        "BE" => belgian_bban_ok(bban),
        "ES" => spanish_bban_ok(bban),
        "ME" => remainder(bban, 97) == 1,
        "NO" => match bban.strip_prefix("0000") {
            Some(short) => luhn(short),
            None => {
                let d = digit_values(bban);
                weighted(&d[..10], &[6, 7, 8, 9, 4, 5, 6, 7, 8, 9]) % 11 == d[10]
            }
        },
        _ => true,
    }
}

/// A string of ASCII digits read as a number, modulo `m`.
fn remainder(digits: &str, m: u64) -> u64 {
    digits
        .bytes()
        .fold(0, |acc, b| (acc * 10 + u64::from(b - b'0')) % m)
}

/// Belgian account check digits (mod 97, 0 read as 97) and a bank code in use.
fn belgian_bban_ok(bban: &str) -> bool {
    let (account, check) = bban.split_at(bban.len() - 2);
    let expected = match remainder(account, 97) {
        0 => 97,
        r => r,
    };
    let bank: u16 = bban[..3].parse().unwrap_or(u16::MAX);
    let banks = &VOCABULARY.be_banks;
    check == format!("{expected:02}") && banks.iter().any(|&(lo, hi)| (lo..=hi).contains(&bank))
}

/// The two check digits of a Spanish CCC: one over bank and branch, one over the account.
fn spanish_bban_ok(bban: &str) -> bool {
    let digit = |part: &str| {
        let sum = part.bytes().enumerate();
        let sum = sum.map(|(i, b)| u64::from(b - b'0') << i).sum::<u64>() % 11;
        if sum < 2 { sum } else { 11 - sum }
    };
    let bank = digit(&format!("00{}", &bban[..8]));
    bban[8..10] == format!("{bank}{}", digit(&bban[10..]))
}

/// The digit sum of ISIN's and FIGI's doubled values (each under 100), mod 10.
fn doubled_digit_sum(values: impl Iterator<Item = u32>) -> u32 {
    values.map(|v| v / 10 + v % 10).sum::<u32>() % 10
}

fn isin(text: &str) -> Held<'_> {
    let number = compact(text, " ", true);
    let ok = number.len() == 12
        && number
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        && VOCABULARY.isin_countries.contains(&number[..2]);
    if !ok {
        return reject("not an ISIN");
    }
    let digits: String = number[..11]
        .chars()
        .map(|c| c.to_digit(36).unwrap_or(0).to_string())
        .collect();
    let sum = doubled_digit_sum(
        digits
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 2 } else { 1 }),
    );
    if (10 - sum) % 10 != number[11..].parse().unwrap_or(10) {
        return reject("bad ISIN check digit");
    }
    Ok(held(text, number))
}

fn figi(text: &str) -> Held<'_> {
    let number = compact(text, " ", true);
    let b = number.as_bytes();
    let ok = b.len() == 12
        && b.iter()
            .all(|c| c.is_ascii_digit() || (c.is_ascii_uppercase() && !b"AEIOU".contains(c)))
        && !b[0].is_ascii_digit()
        && !b[1].is_ascii_digit()
        && !["BS", "BM", "GG", "GB", "VG"].contains(&&number[..2])
        && b[2] == b'G';
    if !ok {
        return reject("not a FIGI");
    }
    let values = number[..11]
        .chars()
        .enumerate()
        .map(|(i, c)| c.to_digit(36).unwrap_or(0) * if i % 2 == 1 { 2 } else { 1 });
    let sum = doubled_digit_sum(values);
    if (10 - sum) % 10 != number[11..].parse().unwrap_or(10) {
        return reject("bad FIGI check digit");
    }
    Ok(held(text, number))
}

fn lei(text: &str) -> Held<'_> {
    let number = compact(text, " -", true);
    if number.is_empty() || mod97(&number) != Some(1) {
        return reject("bad LEI check digits");
    }
    Ok(held(text, number))
}

fn ssn(text: &str) -> Held<'_> {
    let read = compact(text, "", false);
    let b = read.as_bytes();
    let digits: Vec<u8> = match b.len() {
        9 => b.to_vec(),
        10 if b[3] == b'-' => [&b[..3], &b[4..]].concat(),
        10 if b[5] == b'-' => [&b[..5], &b[6..]].concat(),
        11 if b[3] == b'-' && b[6] == b'-' => [&b[..3], &b[4..6], &b[7..]].concat(),
        _ => return reject("not an SSN"),
    };
    if !digits.iter().all(u8::is_ascii_digit) {
        return reject("not an SSN");
    }
    let (area, group, serial) = (&digits[..3], &digits[3..5], &digits[5..]);
    if area == b"000" || area == b"666" || area[0] == b'9' || group == b"00" || serial == b"0000" {
        return reject("SSN area, group or serial never issued");
    }
    // python-stdnum checks its list of published SSNs against the text as written.
    let written = if text.len() == 9 && text.is_ascii() {
        format!("{}-{}-{}", &text[..3], &text[3..5], &text[5..])
    } else {
        text.to_owned()
    };
    if ["078-05-1120", "457-55-5462", "219-09-9999"].contains(&written.as_str()) {
        return reject("SSN published as an example");
    }
    Ok(held(text, compact(text, "-", false)))
}

fn uscc(text: &str) -> Held<'_> {
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let number = compact(text, " -", true);
    let b = number.as_bytes();
    let ok = b.len() == 18
        && b[..8].iter().all(u8::is_ascii_digit)
        && number[8..].chars().all(|c| ALPHABET.contains(c));
    if !ok {
        return reject("not a USCC");
    }
    let index = |c: u8| ALPHABET.bytes().position(|a| a == c).unwrap_or(0);
    let total: usize = b[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(&c, w)| index(c) * w)
        .sum();
    if b[17] != ALPHABET.as_bytes()[(31 - total % 31) % 31] {
        return reject("bad USCC check character");
    }
    Ok(held(text, number))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Model;

    const CASES: &str = include_str!("value_cases.tsv");
    const REJECT: &str = "!reject";

    /// Fixture rows where interdict deliberately departs from FtM, and why.
    #[rustfmt::skip]
    const DEPARTURES: &[(&str, &str, &str, &str)] = &[
        ("Person", "nationality", "NA", "country.rs: not available"),
        ("Person", "nationality", "Crimea", "country.rs: ua"),
        ("Person", "nationality", "Region: Crimea", "country.rs: ua"),
        ("Person", "nationality", "Scotland", "country.rs: gb"),
        ("Person", "nationality", "Somaliland", "country.rs: so"),
        ("Person", "nationality", "Deutschland", "country.rs: English names"),
        ("Person", "nationality", "European Union", "country.rs: no name for eu"),
        ("Company", "wikidataId", "Q\u{661}\u{662}", "ASCII digits only"),
        ("Person", "phone", "+1 800 FLOWERS", "digits as written only"),
        ("Person", "phone", "+2612067171", "digits as written only"),
        ("Person", "phone", "+378810517", "digits as written only"),
        ("Person", "phone", "+7 8 495 123-45-67", "only a trunk 0 may go"),
    ];

    /// A property of the model; schema `-` stands for a bare type with a
    /// format no property uses yet, written `identifier:isin`.
    fn property(schema: &str, prop: &str) -> &'static Property {
        if schema == "-" {
            let (prop_type, format) = prop.split_once(':').expect("type:format");
            let format: &'static str = Box::leak(format.to_owned().into_boxed_str());
            return Box::leak(Box::new(Property {
                name: "-",
                schema: "-",
                prop_type: PropType::parse(prop_type).expect("a type"),
                range: None,
                stub: false,
                format: Some(format),
            }));
        }
        let found = Model::get().schema(schema).and_then(|s| s.property(prop));
        found.unwrap_or_else(|| panic!("no property {schema}.{prop}"))
    }

    /// How `normalize` disagrees with `expected` (a value or `!reject`), if it does.
    fn check(schema: &str, prop: &str, input: &str, expected: &str) -> Option<String> {
        let got = match normalize(property(schema, prop), input) {
            Ok(held) => held.into_owned(),
            Err(_) => REJECT.to_owned(),
        };
        (got != expected)
            .then(|| format!("{schema}.{prop} {input:?}: ftm {expected:?}, ours {got:?}"))
    }

    fn assert_checks(cases: &[(&str, &str, &str, &str)]) {
        let wrong: Vec<String> = cases
            .iter()
            .filter_map(|c| check(c.0, c.1, c.2, c.3))
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    fn unescape(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find('\\') {
            out.push_str(&rest[..at]);
            let tail = &rest[at + 1..];
            let (c, used) = match tail.as_bytes().first() {
                Some(b't') => ('\t', 1),
                Some(b'n') => ('\n', 1),
                Some(b'r') => ('\r', 1),
                Some(b'\\') => ('\\', 1),
                Some(b'u') => {
                    let end = tail.find('}').expect("\\u{...}");
                    let code = u32::from_str_radix(&tail[2..end], 16).expect("hex");
                    (char::from_u32(code).expect("char"), end + 1)
                }
                _ => panic!("bad escape in {text:?}"),
            };
            out.push(c);
            rest = &tail[used..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn agrees_with_followthemoney_on_every_case() {
        let (mut rows, mut wrong) = (0, Vec::new());
        for line in CASES
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let cols: Vec<&str> = line.split('\t').collect();
            let (schema, prop) = (cols[0], cols[1]);
            let (input, expected) = (unescape(cols[2]), unescape(cols[3]));
            if DEPARTURES
                .iter()
                .any(|d| (d.0, d.1, d.2) == (schema, prop, &input))
            {
                continue;
            }
            rows += 1;
            wrong.extend(check(schema, prop, &input, &expected));
        }
        assert!(rows > 1500, "only {rows} rows");
        let summary = format!("{} of {rows} rows disagree", wrong.len());
        assert!(wrong.is_empty(), "{summary}:\n{}", wrong.join("\n"));
    }

    /// What FtM holds it holds again unchanged; but its comma rule takes one
    /// pass, so `A,,,B` gives `A, ,B` and then `A, B`, here as there.
    #[test]
    fn held_values_are_held_again() {
        let mut wrong = Vec::new();
        for line in CASES
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let cols: Vec<String> = line.split('\t').map(unescape).collect();
            let prop = property(&cols[0], &cols[1]);
            let Ok(held) = normalize(prop, &cols[2]) else {
                continue;
            };
            let again = normalize(prop, &held).map(Cow::into_owned);
            let comma_pass = prop.prop_type == PropType::Address && held.contains(", ,");
            if again.as_deref() != Ok(held.as_ref()) && !comma_pass {
                wrong.push(format!(
                    "{} {:?} -> {held:?} -> {again:?}",
                    prop.name, cols[2]
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn departures_are_still_departures() {
        for &(schema, prop, input, why) in DEPARTURES {
            let line = CASES
                .lines()
                .filter(|l| !l.starts_with('#'))
                .map(|l| l.split('\t').map(unescape).collect::<Vec<_>>())
                .find(|c| (c[0].as_str(), c[1].as_str(), c[2].as_str()) == (schema, prop, input));
            let cols = line.unwrap_or_else(|| panic!("{input:?} is not in the fixture"));
            assert!(
                check(schema, prop, input, &cols[3]).is_some(),
                "{input:?} ({why}) now agrees"
            );
        }
    }

    #[test]
    fn rejects_what_the_export_check_rejected() {
        let monero = format!("4{}", "A".repeat(94));
        assert_checks(&[
            ("Organization", "phone", "009613380223", "+9613380223"),
            ("Organization", "phone", "03669916", REJECT),
            ("Organization", "phone", "(022) 7363030", REJECT),
            ("Company", "innCode", "7707083894", REJECT),
            ("Company", "ogrnCode", "1027700132196", REJECT),
            ("Company", "leiCode", "529900T8BM49AURSDO56", REJECT),
            ("Person", "socialSecurityNumber", "33-3208848-3", REJECT),
            ("Company", "email", "PRIYEMNAYA@YGDU", REJECT),
            (
                "Organization",
                "website",
                "www.alturath.org. Revival of Islamic Heritage",
                REJECT,
            ),
            ("CryptoWallet", "publicKey", &monero, REJECT),
        ]);
        let key = property("CryptoWallet", "publicKey");
        let why = normalize(key, &monero).unwrap_err();
        assert_eq!(why.reason, "identifier longer than 64 characters");
        let inn = property("Company", "innCode");
        assert_eq!(
            normalize(inn, "7707083894").unwrap_err().reason,
            "bad INN check digits"
        );
        let phone = property("Person", "phone");
        let why = normalize(phone, "03669916").unwrap_err();
        assert_eq!(why.reason, "phone number without country code");
    }

    #[test]
    fn normalises_as_followthemoney_does() {
        assert_checks(&[
            ("Vessel", "imoNumber", "IMO 7406784", "IMO7406784"),
            ("Vessel", "imoNumber", "7406784", "IMO7406784"),
            ("Vessel", "imoNumber", "IMO7406784", "IMO7406784"),
            ("Person", "phone", "+1 (305) 555-0100", "+13055550100"),
            ("Person", "nationality", "Korea, North", "kp"),
            ("Person", "nationality", "ua-cri", "ua-cri"),
            ("Person", "gender", "F", "female"),
            ("Person", "birthDate", "1966-7-4", "1966-07-04"),
            (
                "Company",
                "website",
                "www.example.org",
                "http://www.example.org/",
            ),
            ("Company", "email", "Foo@EXAMPLE.COM", "Foo@example.com"),
            ("Company", "swiftBic", "DEUTDEFF500", "DEUTDEFF"),
            (
                "Address",
                "full",
                "Tehran-Qom Highway; Shams Abad",
                "Tehran-Qom Highway, Shams Abad",
            ),
            ("Person", "name", "\"SINALOA CARTEL\"", "SINALOA CARTEL"),
        ]);
    }

    #[test]
    fn string_like_values_are_borrowed() {
        let cases = [
            ("Person", "name", "SINALOA CARTEL"),
            ("Person", "name", "\"SINALOA CARTEL\""),
            ("Person", "firstName", "Joaquín"),
            ("Person", "notes", "Linked To: SINALOA CARTEL."),
            ("Address", "full", "Calle 1, Culiacán, Sinaloa, Mexico"),
            ("Company", "registrationNumber", "1027700132195"),
            ("Company", "innCode", "7707083893"),
            ("Vessel", "tonnage", "1050"),
            ("Person", "phone", "+13055550100"),
            ("Person", "birthDate", "1966-07-17"),
            ("Person", "nationality", "mx"),
            ("Sanction", "entity", "ofac-11440"),
        ];
        for (schema, prop, input) in cases {
            let held = normalize(property(schema, prop), input).unwrap();
            assert!(
                matches!(held, Cow::Borrowed(_)),
                "{schema}.{prop} {input:?} allocated"
            );
        }
    }

    #[test]
    fn every_type_has_its_length_limit() {
        let cases = [
            ("Person", "notes", 65000),
            ("Person", "firstName", 1024),
            ("Person", "name", 384),
            ("Address", "full", 250),
            ("Company", "registrationNumber", 64),
            ("Vessel", "tonnage", 250),
        ];
        for (schema, prop, max) in cases {
            let prop = property(schema, prop);
            assert!(normalize(prop, &"é".repeat(max)).is_ok(), "{}", prop.name);
            let why = normalize(prop, &"é".repeat(max + 1)).unwrap_err();
            assert_eq!(
                why.reason,
                format!("{} longer than {max} characters", prop.prop_type)
            );
        }
    }

    #[test]
    fn every_format_in_the_model_is_checked() {
        let model = Model::get();
        for name in model.schema_names() {
            for prop in model.schema(name).unwrap().properties() {
                if let Some(format) = prop.format {
                    assert!(FORMATS.contains(&format), "{name}.{}: {format}", prop.name);
                }
            }
        }
    }

    #[test]
    fn vocabulary_table_is_complete() {
        let v = &*VOCABULARY;
        assert_eq!(v.countries.len(), 281);
        assert_eq!(v.topics.len(), 75);
        assert_eq!(v.genders.get("männlich"), Some(&"male"));
        assert_eq!(language_code("zh-hans"), Some("zho"));
        assert_eq!(language_code("kir-balar"), None); // Kir-Balar (kkr), not Kirghiz
        assert_eq!(language_code("kir-x"), Some("kir"));
        assert_eq!(v.iban.get("DE"), Some(&"8!n10!n"));
        assert!(v.bic_countries.contains("XK") && v.isin_countries.contains("XS"));
    }
}
