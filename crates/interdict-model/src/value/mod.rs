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

mod code;
mod data;
mod date;
mod email;
mod identifier;
mod phone;
mod text;
mod url;

#[cfg(test)]
mod tests;

use std::borrow::Cow;

use crate::schema::{PropType, Property};

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

/// A value as FtM holds it, borrowed from the text where it can be, or why not.
type Held<'a> = Result<Cow<'a, str>, Rejection>;

fn reject<T>(reason: &str) -> Result<T, Rejection> {
    Err(Rejection::new(reason))
}

/// The held value as its own string, for values read from a text made on the way.
fn owned<'b>(held: Held<'_>) -> Held<'b> {
    held.map(|held| Cow::Owned(held.into_owned()))
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
    let held = match text::sanitize(value) {
        Cow::Borrowed(text) => clean(prop, text)?,
        Cow::Owned(text) => owned(clean(prop, &text))?,
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
        PropType::Address => text::address(text),
        PropType::Country => code::country(text),
        PropType::Date => date::date(text),
        PropType::Email => email::email(text),
        PropType::Entity => code::entity(text),
        PropType::Gender => code::gender(text),
        PropType::Identifier => identifier::identifier(prop.format, text),
        PropType::Language => code::language(text),
        PropType::Name => text::name(text),
        PropType::Number | PropType::String | PropType::Text => Ok(Cow::Borrowed(text)),
        PropType::Phone => phone::phone(text),
        PropType::Topic => code::topic(text),
        PropType::Url => url::url(text),
    }
}
