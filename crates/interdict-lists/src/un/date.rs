//! Dates as the UN list writes them, into FtM's ISO prefixes (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`).

/// The ISO date at the start of `text`, if it is one.
///
/// The list mostly writes plain dates, but `LISTED_ON` sometimes carries a time-zone offset
/// (`2001-10-06-04:00`) and `dateGenerated` a time (`2026-02-27T00:00:09.554Z`); only the
/// date part is a statement about the record.
pub(super) fn iso_date(text: &str) -> Option<&str> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let full = bytes.len() >= 10 && matches!(bytes.get(10), None | Some(b'T' | b'-' | b'+' | b'Z'));
    let len = match bytes.len() {
        4 | 7 => bytes.len(),
        _ if full => 10,
        _ => return None,
    };
    let date = &text[..len];
    valid_iso(date).then_some(date)
}

fn valid_iso(date: &str) -> bool {
    let mut parts = date.split('-');
    let year = parts.next().and_then(|y| number(y, 4));
    let month = parts.next().map(|m| number(m, 2));
    let day = parts.next().map(|d| number(d, 2));
    let in_range = |v: Option<Option<u32>>, max| match v {
        None => true,
        Some(v) => v.is_some_and(|v| (1..=max).contains(&v)),
    };
    year.is_some_and(|y| y >= 1000) && in_range(month, 12) && in_range(day, 31)
}

fn number(digits: &str, len: usize) -> Option<u32> {
    (digits.len() == len && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// A birth date recovered from a free-text note, when the list gives no structured date.
///
/// A handful of records put the only date in `NOTE` (`Nov. 1973`, `Between Aug. and Sep.
/// 1977`); dropping it would lose the one fact screening can match on. A month and a year
/// give `YYYY-MM`; otherwise exactly one plausible year gives `YYYY`. Anything else (ages,
/// Hijri dates) stays in the notes only.
pub(super) fn date_in_note(note: &str) -> Option<String> {
    let words: Vec<&str> = note
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if let [month, year] = words[..]
        && let (Some(m), Some(y)) = (month_number(month), plausible_year(year))
    {
        return Some(format!("{y}-{m:02}"));
    }
    let mut years = words.iter().filter_map(|w| plausible_year(w));
    match (years.next(), years.next()) {
        (Some(y), None) => Some(y.to_string()),
        _ => None,
    }
}

fn plausible_year(word: &str) -> Option<u32> {
    number(word, 4).filter(|y| (1850..=2100).contains(y))
}

fn month_number(word: &str) -> Option<u32> {
    crate::month::number(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_cut_and_checked() {
        let cases = [
            ("1971", Some("1971")),
            ("1971-06", Some("1971-06")),
            (" 1971-06-30 ", Some("1971-06-30")),
            ("2001-10-06-04:00", Some("2001-10-06")),
            ("2026-02-27T00:00:09.554Z", Some("2026-02-27")),
            ("1971-13-01", None),
            ("1971-06-00", None),
            ("71-06-30", None),
            ("0971", None),
            ("30/06/1971", None),
            ("1971-06-30x", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(iso_date(text), want, "{text:?}");
        }
    }

    #[test]
    fn notes_give_dates_only_when_unambiguous() {
        let cases = [
            ("Nov. 1973", Some("1973-11")),
            ("August 1961", Some("1961-08")),
            ("Between Aug. and Sep. 1977", Some("1977")),
            ("30-35 years old", None),
            ("24/06/1402 (Hijri Calendar)", None),
            ("from false passport", None),
            ("1960 or 1961", None),
            ("Approximately", None),
        ];
        for (note, want) in cases {
            assert_eq!(date_in_note(note).as_deref(), want, "{note:?}");
        }
    }
}
