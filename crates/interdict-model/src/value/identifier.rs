//! Identifiers and their formats: python-stdnum's and rigour's checks, with
//! the check digits each format carries.

use std::borrow::Cow;

use super::data::VOCABULARY;
use super::text::{is_space, is_word, then};
use super::{Held, reject};

pub(super) fn identifier<'a>(format: Option<&str>, text: &'a str) -> Held<'a> {
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

/// A string of ASCII digits read as a number, modulo `m`.
fn remainder(digits: &str, m: u64) -> u64 {
    digits
        .bytes()
        .fold(0, |acc, b| (acc * 10 + u64::from(b - b'0')) % m)
}

/// The digit sum of doubled values (each under 100), mod 10, as Luhn and FIGI add them.
fn doubled_digit_sum(values: impl Iterator<Item = u32>) -> u32 {
    values.map(|v| v / 10 + v % 10).sum::<u32>() % 10
}

/// The Luhn check over ASCII digits.
fn luhn(number: &str) -> bool {
    let values = number.bytes().rev().enumerate();
    let values = values.map(|(i, b)| u32::from(b - b'0') * if i % 2 == 1 { 2 } else { 1 });
    is_digits(number) && doubled_digit_sum(values) == 0
}

/// Whether `text` is one or more ASCII digits.
fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// The first run of word characters that `fits`, as a search between `\b`s finds it.
fn word_token(text: &str, fits: impl Fn(&str) -> bool) -> Option<&str> {
    text.split(|c: char| !is_word(c)).find(|token| fits(token))
}

/// The first run of word characters that is all digits and one of `lens` long:
/// what `\b(\d{13}|\d{15})\b` finds first.
fn digit_token<'a>(text: &'a str, lens: &[usize]) -> Option<&'a str> {
    word_token(text, |token| {
        is_digits(token) && lens.contains(&token.len())
    })
}

fn inn(text: &str) -> Held<'_> {
    let number = compact(text, " ", false);
    if !is_digits(&number) {
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
    let rest = remainder(body, modulus);
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
    match word_token(text, |t| t.len() == 12 && t.chars().all(uei_char)) {
        Some(t) if !t.starts_with('0') => Ok(held(text, Cow::Owned(t.to_ascii_uppercase()))),
        _ => reject("no valid UEI"),
    }
}

fn wikidata(text: &str) -> Held<'_> {
    let last = text.rsplit('/').next().unwrap_or(text).trim();
    let upper = last.to_uppercase();
    let digits = upper.strip_prefix('Q').unwrap_or("");
    if !is_digits(digits) {
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
    let number = then(number, |n| Cow::Borrowed(&n[..8]));
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
    // The check digit is Luhn's over the other characters' base-36 values, written out.
    let digits: String = number[..11]
        .chars()
        .map(|c| c.to_digit(36).unwrap_or(0).to_string())
        .collect();
    if !luhn(&format!("{digits}{}", &number[11..])) {
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
