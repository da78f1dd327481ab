//! Text: FtM's sanitising of every value, its name and address cleaning, and
//! Python's character classes that the other types' rules are written in.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::{Held, reject};

/// Runs `step` on text that may already be owned, borrowing when neither allocates.
pub(super) fn then<'a>(
    text: Cow<'a, str>,
    step: impl for<'b> FnOnce(&'b str) -> Cow<'b, str>,
) -> Cow<'a, str> {
    match text {
        Cow::Borrowed(text) => step(text),
        Cow::Owned(text) => Cow::Owned(step(&text).into_owned()),
    }
}

/// The text from `parts`, borrowing `text` when it already reads so.
pub(super) fn assemble<'a>(text: &'a str, parts: &[&str]) -> Cow<'a, str> {
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

/// What FtM does to every value first: compose (NFC), drop control and
/// invisible characters, turn odd spaces into plain ones, trim.
pub(super) fn sanitize(value: &str) -> Cow<'_, str> {
    let composed = if value.is_ascii() || unicode_normalization::is_nfc(value) {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(value.nfc().collect())
    };
    then(then(composed, remove_unsafe), |text| {
        Cow::Borrowed(text.trim())
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
    // Most list values are printable ASCII, which holds no unsafe character.
    if text.bytes().all(|b| (0x20..0x7f).contains(&b))
        || !text.chars().any(|c| unsafe_char(c).is_some())
    {
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
pub(super) fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1c}'..='\u{1f}' | '\u{a00}')
}

/// Python's `\w`: letters, digits and numerals of any script, and `_`.
pub(super) fn is_word(c: char) -> bool {
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

pub(super) fn name(text: &str) -> Held<'_> {
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
pub(super) fn address(text: &str) -> Held<'_> {
    let held = then(then(line_breaks(text), commata), squash);
    if held.is_empty() {
        return reject("empty address");
    }
    Ok(held)
}

const LINE_BREAKS: &[&str] = &["\r\n", "\n", "<BR/>", "<BR>", "\t", "ESQ.,", "ESQ,", ";"];

fn line_breaks(text: &str) -> Cow<'_, str> {
    let line_break = |at: &str| {
        LINE_BREAKS
            .iter()
            .find(|b| at.starts_with(**b))
            .map(|b| b.len())
    };
    if !text.contains(['\n', '\t', ';', '<', 'E'])
        || !(0..text.len()).any(|i| text.is_char_boundary(i) && line_break(&text[i..]).is_some())
    {
        return Cow::Borrowed(text);
    }
    Cow::Owned(separate(text, line_break))
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
    Cow::Owned(separate(text, comma_run))
}

/// `text` with each run that `run_at` measures at a position written as `, `.
fn separate(text: &str, run_at: impl Fn(&str) -> Option<usize>) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        match run_at(rest) {
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
    out
}
