//! Values FtM holds as codes from its lists (countries, genders, topics and
//! languages), and entity ids.

use std::borrow::Cow;

use super::data::VOCABULARY;
use super::{Held, Rejection, reject};

/// Looks `text` up as FtM's enum types do: lowercased and trimmed.
fn lookup_lower<T: Copy>(text: &str, find: impl Fn(&str) -> Option<T>) -> Option<T> {
    find(text).or_else(|| find(text.to_lowercase().trim()))
}

/// A code from FtM's lists, or why there is none.
fn known(code: Option<&'static str>, reason: &str) -> Held<'static> {
    code.map(Cow::Borrowed)
        .ok_or_else(|| Rejection::new(reason))
}

pub(super) fn country(text: &str) -> Held<'_> {
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
    known(code, "not a country FtM knows")
}

pub(super) fn gender(text: &str) -> Held<'static> {
    known(
        lookup_lower(text, |key| VOCABULARY.genders.get(key).copied()),
        "not a gender FtM knows",
    )
}

pub(super) fn topic(text: &str) -> Held<'static> {
    known(
        lookup_lower(text, |key| VOCABULARY.topics.get(key).copied()),
        "not a topic FtM knows",
    )
}

pub(super) fn language(text: &str) -> Held<'static> {
    known(
        language_code(text.to_lowercase().trim()),
        "not a language FtM knows",
    )
}

/// rigour's `iso_639_alpha3` within FtM's list: a whole tag first, then its primary subtag.
pub(super) fn language_code(key: &str) -> Option<&'static str> {
    if let Some(&code) = VOCABULARY.languages.get(key) {
        return code;
    }
    let primary = key.split_once('-').or_else(|| key.split_once('_'))?.0;
    language_code(primary)
}

pub(super) fn entity(text: &str) -> Held<'_> {
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
