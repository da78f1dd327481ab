//! URLs: split as Python's urllib splits them, kept as rigour's `clean_url` keeps them.

use std::borrow::Cow;
use std::net::{Ipv4Addr, Ipv6Addr};

use unicode_normalization::UnicodeNormalization;

use super::text::{assemble, is_space, is_word};
use super::{Held, owned, reject};

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

pub(super) fn url(text: &str) -> Held<'_> {
    // urllib drops leading controls and spaces, and tabs and line breaks anywhere.
    let text = text.trim_start_matches(|c: char| c <= ' ');
    if text.contains(['\t', '\r', '\n']) {
        let joined: String = text.chars().filter(|c| !"\t\r\n".contains(*c)).collect();
        return owned(clean_url(&joined));
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
            return owned(clean_url(&again));
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
