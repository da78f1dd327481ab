//! Phones: E.164 numbers, valid by FtM's copy of libphonenumber's patterns.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::data::VOCABULARY;
use super::text::{assemble, then};
use super::{Held, reject};

pub(super) fn phone(text: &str) -> Held<'_> {
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
pub(super) struct PhoneRegion {
    /// Leading digits that claim a number for this region among those sharing its code.
    leading: Option<PhonePattern>,
    /// The general description first, then one per number type.
    types: Vec<(Vec<i32>, PhonePattern)>,
}

impl PhoneRegion {
    /// A region claiming the numbers that start as `leading` matches (all, when empty).
    pub(super) fn new(leading: &'static str) -> Self {
        let leading = Some(leading).filter(|l| !l.is_empty());
        PhoneRegion {
            leading: leading.map(|l| PhonePattern::new(l, false)),
            types: Vec::new(),
        }
    }

    /// `value` is the possible lengths (comma-separated) and the pattern.
    pub(super) fn add_type(&mut self, value: &'static str) {
        let (lengths, pattern) = value.split_once(' ').expect("ftm_values.tsv: phone type");
        let lengths = lengths.split(',').filter_map(|l| l.parse().ok()).collect();
        self.types.push((lengths, PhonePattern::new(pattern, true)));
    }

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
