//! add.csv's combined `City/State/Province/Postal Code` column, split where it
//! can be split cleanly: `Mexico City, Distrito Federal 03810` → city
//! `Mexico City`, state `Distrito Federal`, postal code `03810`.

/// The parts of a place column; all `None` when the text is not clean enough to split.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Place<'a> {
    pub city: Option<&'a str>,
    pub state: Option<&'a str>,
    pub postal_code: Option<String>,
}

/// Splits trailing postal-code words (those holding a digit: `03810`, `EC3N 1DY`)
/// off, then `City, State` at the first comma. What is left must hold no digit,
/// or the split is not trusted (`P.O. Box 1234, Dubai`).
pub(super) fn split(text: &str) -> Place<'_> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let postal_words = words
        .iter()
        .rev()
        .take(2)
        .take_while(|w| is_postal_word(w))
        .count();
    let postal = &words[words.len() - postal_words..];
    let head = head_of(text, postal_words);
    if head.is_empty() || head.bytes().any(|b| b.is_ascii_digit()) {
        return Place::default();
    }
    let (city, state) = match head.split_once(',') {
        Some((city, state)) => (city.trim(), Some(state.trim()).filter(|s| !s.is_empty())),
        None => (head, None),
    };
    Place {
        city: Some(city).filter(|c| !c.is_empty()),
        state,
        postal_code: (!postal.is_empty()).then(|| postal.join(" ")),
    }
}

/// A postal-code word: letters, digits and hyphens, with at least one digit.
fn is_postal_word(word: &str) -> bool {
    word.bytes().any(|b| b.is_ascii_digit())
        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `text` without its last `n` words, trimmed.
fn head_of(text: &str, n: usize) -> &str {
    let mut head = text.trim_end();
    for _ in 0..n {
        head = head
            .trim_end_matches(|c: char| !c.is_whitespace())
            .trim_end();
    }
    head.trim_end_matches(',').trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expect` is `city | state | postal code`, `-` for none.
    fn check(input: &str, expect: &str) {
        let p = split(input);
        let got = format!(
            "{} | {} | {}",
            p.city.unwrap_or("-"),
            p.state.unwrap_or("-"),
            p.postal_code.as_deref().unwrap_or("-")
        );
        assert_eq!(got, expect, "{input}");
    }

    #[test]
    fn places_from_add_csv() {
        check("Havana", "Havana | - | -");
        check("London EC3N 1DY", "London | - | EC3N 1DY");
        check("Zurich CH-8022", "Zurich | - | CH-8022");
        check(
            "Mexico City, Distrito Federal 03810",
            "Mexico City | Distrito Federal | 03810",
        );
        check("Culiacan, Sinaloa", "Culiacan | Sinaloa | -");
        check("Ontario L4Y 4G2", "Ontario | - | L4Y 4G2");
        check("P.O. Box 1234, Dubai", "- | - | -");
        check("123456", "- | - | -");
        check("Moscow 115142", "Moscow | - | 115142");
    }
}
