//! An "OFAC parity" score: what OFAC's own Sanctions List Search would roughly show for a name.
//!
//! Our reading of OFAC's FAQs on Sanctions List Search: the tool uses approximate string
//! matching with two algorithms, Jaro-Winkler and Soundex, and two methods, character and word.
//! Jaro-Winkler serves both methods; Soundex only the word method. The score shown is a
//! percentage compared with the slider's threshold. The FAQs do not say how the methods are
//! combined, so we take: the character method is Jaro-Winkler of the whole query against the
//! whole listed name (both normalised, in reading order); the word method scores each query word
//! by its best Jaro-Winkler against the listed name's words, lifted to at least 0.9 when their
//! Soundex codes agree, and averages over the query's words; the parity score is the higher of
//! the two. It is reported beside our score, never used to rank.

use strsim::jaro_winkler;

use crate::phonetic::soundex;

/// The parity score of a query and a listed name, both given as normalised words.
pub fn ofac_score(query: &[&str], listed: &[&str]) -> f64 {
    if query.is_empty() || listed.is_empty() {
        return 0.0;
    }
    let character = jaro_winkler(&query.join(" "), &listed.join(" "));
    let listed_codes: Vec<String> = listed.iter().map(|w| soundex(w)).collect();
    let mut words = 0.0;
    for word in query {
        let code = soundex(word);
        let best = listed
            .iter()
            .zip(&listed_codes)
            .map(|(l, l_code)| {
                let jw = jaro_winkler(word, l);
                if !code.is_empty() && code == *l_code {
                    jw.max(0.9)
                } else {
                    jw
                }
            })
            .fold(0.0, f64::max);
        words += best;
    }
    character.max(words / query.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parity_scores_whole_names_and_words() {
        assert_eq!(
            ofac_score(&["joaquin", "guzman"], &["joaquin", "guzman"]),
            1.0
        );
        let reordered = ofac_score(&["guzman", "joaquin"], &["joaquin", "guzman", "loera"]);
        assert!(reordered > 0.95, "{reordered}");
        assert!(ofac_score(&["george", "bush"], &["joaquin", "guzman"]) < 0.7);
        assert_eq!(ofac_score(&[], &["x"]), 0.0);
    }
}
