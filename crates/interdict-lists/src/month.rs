//! English month names as lists write them: `Sep`, `Sep.`, `September`, any case.

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month's number (1–12) for a name or an abbreviation of at least three letters.
pub(crate) fn number(word: &str) -> Option<u32> {
    let lower = word.trim_end_matches('.').to_lowercase();
    if lower.len() < 3 {
        return None;
    }
    let index = MONTHS.iter().position(|m| m.starts_with(&lower))?;
    Some(index as u32 + 1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_and_abbreviations() {
        for (word, want) in [
            ("Sep", Some(9)),
            ("sep.", Some(9)),
            ("SEPTEMBER", Some(9)),
            ("Ma", None),
            ("Mar", Some(3)),
            ("Foo", None),
        ] {
            assert_eq!(super::number(word), want, "{word}");
        }
    }
}
