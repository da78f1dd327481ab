//! Emails: a plausible local part and a domain with a real top-level domain,
//! which FtM holds lowercased and in Unicode.

use std::borrow::Cow;

use super::text::{assemble, is_space};
use super::{Held, reject};

pub(super) fn email(text: &str) -> Held<'_> {
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
