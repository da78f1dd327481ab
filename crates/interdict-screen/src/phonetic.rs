//! Phonetic keys for tokens: Double Metaphone for matching, Soundex for the OFAC parity score.

use std::sync::LazyLock;

use rphonetic::{DoubleMetaphone, Encoder, Soundex};

static METAPHONE: LazyLock<DoubleMetaphone> = LazyLock::new(|| DoubleMetaphone::new(Some(8)));
static SOUNDEX: LazyLock<Soundex> = LazyLock::new(Soundex::default);

/// The primary Double Metaphone key of a Latin token, up to 8 sounds (the default 4 makes
/// `ALEKSEY` sound like `ALEKSANDR`); empty for digits and very short tokens,
/// where sound says nothing (`al`, `7`).
pub fn metaphone(token: &str) -> String {
    if token.len() < 3 || !token.bytes().all(|b| b.is_ascii_lowercase()) {
        return String::new();
    }
    METAPHONE.double_metaphone(token).primary()
}

/// The American Soundex code of a Latin token; empty when it has no letter.
pub fn soundex(token: &str) -> String {
    if !token.bytes().any(|b| b.is_ascii_alphabetic()) {
        return String::new();
    }
    SOUNDEX.encode(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_share_keys() {
        assert_eq!(metaphone("mohammed"), metaphone("muhammad"));
        assert_eq!(soundex("robert"), "R163");
        assert_eq!(soundex("rupert"), "R163");
        assert_eq!(metaphone("al"), "");
    }
}
