//! Comparing a query name with a listed name, token by token.
//!
//! Tokens are aligned greedily, best pair first, in any order (names are written in many
//! orders). Adjacent tokens may be joined on either side (`AL IRAQI` = `ALIRAQI`). The score is
//! the weighted share of matched tokens, where an unmatched query token costs its full weight
//! (the query says something the listed name does not), an unmatched listed token costs about a
//! third (lists carry middle names and patronymics a customer record often lacks), and an
//! optional maternal surname costs a tenth.

use std::borrow::Cow;

use serde::Serialize;
use strsim::{jaro_winkler, osa_distance};

use crate::index::IndexedName;
use crate::normalize::NormalName;

/// The cost of an unmatched query token, per unit of weight.
const MISSING_IN_CANDIDATE: f32 = 1.0;
/// The cost of an unmatched query token the query marks optional (its maternal surname).
const OPTIONAL_MISSING_IN_CANDIDATE: f32 = 0.5;
/// The cost of an unmatched listed token.
const MISSING_IN_QUERY: f32 = 0.35;
/// The cost of an unmatched optional listed token (a maternal surname).
const OPTIONAL_MISSING_IN_QUERY: f32 = 0.1;

/// How two tokens were found to agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Agreement {
    Exact,
    /// Within the edit distance allowed for the token's length.
    Edits,
    /// Same Double Metaphone key and a close spelling (`MOHAMMED` / `MUHAMMAD`).
    Phonetic,
    /// A single letter that starts the other token.
    Initial,
}

/// One aligned pair of (possibly joined) tokens.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TokenMatch {
    pub query: String,
    pub candidate: String,
    pub agreement: Agreement,
    pub similarity: f64,
}

/// The outcome of comparing one query form with one listed name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NameComparison {
    pub score: f64,
    pub tokens: Vec<TokenMatch>,
    pub unmatched_query: Vec<String>,
    pub unmatched_candidate: Vec<String>,
}

/// A token or two adjacent tokens joined, on one side of the comparison.
struct Unit<'a> {
    members: (usize, usize),
    text: Cow<'a, str>,
    key: &'a str,
    weight: f32,
}

impl Unit<'_> {
    fn joined(&self) -> bool {
        self.members.0 != self.members.1
    }

    fn overlaps(&self, used: &[bool]) -> bool {
        used[self.members.0] || used[self.members.1]
    }
}

/// A candidate pairing of a query unit and a listed unit.
struct Pair {
    similarity: f32,
    joined: bool,
    query: usize,
    candidate: usize,
    agreement: Agreement,
}

/// The chosen pairs (indices into `Pair`s) and the score they give.
struct Alignment {
    score: f32,
    chosen: Vec<usize>,
    q_used: Vec<bool>,
    c_used: Vec<bool>,
}

/// The score of a query form against a listed name, without the explanation.
pub fn name_score(
    query: &NormalName,
    query_weights: &[f32],
    query_keys: &[String],
    candidate: &IndexedName,
) -> f64 {
    let q_units = units(query, query_weights, query_keys);
    let c_units = units(&candidate.form, &candidate.weights, &candidate.metaphones);
    let pairs = pairs(&q_units, &c_units);
    f64::from(best_alignment(&pairs, &q_units, &c_units, query, query_weights, candidate).score)
}

/// Compares a query form (with its token weights and phonetic keys) with a listed name.
pub fn compare_names(
    query: &NormalName,
    query_weights: &[f32],
    query_keys: &[String],
    candidate: &IndexedName,
) -> NameComparison {
    let q_units = units(query, query_weights, query_keys);
    let c_units = units(&candidate.form, &candidate.weights, &candidate.metaphones);
    let pairs = pairs(&q_units, &c_units);
    let alignment = best_alignment(&pairs, &q_units, &c_units, query, query_weights, candidate);
    let tokens = alignment
        .chosen
        .iter()
        .map(|&p| TokenMatch {
            query: q_units[pairs[p].query].text.to_string(),
            candidate: c_units[pairs[p].candidate].text.to_string(),
            agreement: pairs[p].agreement,
            similarity: f64::from(pairs[p].similarity),
        })
        .collect();
    let unused = |tokens: &[crate::normalize::Token], used: &[bool]| {
        tokens
            .iter()
            .zip(used)
            .filter(|(_, u)| !**u)
            .map(|(t, _)| t.text.clone())
            .collect()
    };
    NameComparison {
        score: f64::from(alignment.score),
        tokens,
        unmatched_query: unused(&query.tokens, &alignment.q_used),
        unmatched_candidate: unused(&candidate.form.tokens, &alignment.c_used),
    }
}

fn pairs(q_units: &[Unit], c_units: &[Unit]) -> Vec<Pair> {
    let mut pairs = Vec::new();
    for (qi, q) in q_units.iter().enumerate() {
        for (ci, c) in c_units.iter().enumerate() {
            // Joining on both sides at once would only re-split the same letters.
            if q.joined() && c.joined() {
                continue;
            }
            let joined = q.joined() || c.joined();
            if let Some((similarity, agreement)) = token_similarity(&q.text, &c.text, q.key, c.key)
                && (!joined || similarity >= 0.93)
            {
                pairs.push(Pair {
                    similarity,
                    joined,
                    query: qi,
                    candidate: ci,
                    agreement,
                });
            }
        }
    }
    pairs
}

/// Greedy alignment, best pair first, once preferring single tokens on ties and once joined
/// ones (`ABDUL HAMID ABDUL` against `ABDULHAMID ABDUL`); the better result wins.
fn best_alignment(
    pairs: &[Pair],
    q_units: &[Unit],
    c_units: &[Unit],
    query: &NormalName,
    query_weights: &[f32],
    candidate: &IndexedName,
) -> Alignment {
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    let by = |prefer_joined: bool| {
        move |a: &usize, b: &usize| {
            let (a, b) = (&pairs[*a], &pairs[*b]);
            let joined = if prefer_joined {
                b.joined.cmp(&a.joined)
            } else {
                a.joined.cmp(&b.joined)
            };
            b.similarity.total_cmp(&a.similarity).then(joined)
        }
    };
    order.sort_by(by(false));
    let single = align(
        &order,
        pairs,
        q_units,
        c_units,
        query,
        query_weights,
        candidate,
    );
    if !pairs.iter().any(|p| p.joined) {
        return single;
    }
    order.sort_by(by(true));
    let joined = align(
        &order,
        pairs,
        q_units,
        c_units,
        query,
        query_weights,
        candidate,
    );
    if joined.score > single.score {
        joined
    } else {
        single
    }
}

fn align(
    order: &[usize],
    pairs: &[Pair],
    q_units: &[Unit],
    c_units: &[Unit],
    query: &NormalName,
    query_weights: &[f32],
    candidate: &IndexedName,
) -> Alignment {
    let mut q_used = vec![false; query.tokens.len()];
    let mut c_used = vec![false; candidate.form.tokens.len()];
    let (mut matched, mut total) = (0f32, 0f32);
    let mut chosen = Vec::new();
    for &p in order {
        let pair = &pairs[p];
        let (q, c) = (&q_units[pair.query], &c_units[pair.candidate]);
        if q.overlaps(&q_used) || c.overlaps(&c_used) {
            continue;
        }
        q_used[q.members.0] = true;
        q_used[q.members.1] = true;
        c_used[c.members.0] = true;
        c_used[c.members.1] = true;
        // Both sides vouch for a pair: a heavy query token matched to a light initial or
        // particle must not pass as a full match.
        let weight = (q.weight + c.weight) / 2.0;
        matched += pair.similarity * weight;
        total += weight;
        chosen.push(p);
    }
    for (i, token) in query.tokens.iter().enumerate().filter(|(i, _)| !q_used[*i]) {
        let cost = if token.optional {
            OPTIONAL_MISSING_IN_CANDIDATE
        } else {
            MISSING_IN_CANDIDATE
        };
        total += cost * query_weights[i];
    }
    let c_tokens = candidate.form.tokens.iter().enumerate();
    for (i, token) in c_tokens.filter(|(i, _)| !c_used[*i]) {
        let cost = if token.optional {
            OPTIONAL_MISSING_IN_QUERY
        } else {
            MISSING_IN_QUERY
        };
        total += cost * candidate.weights[i];
    }
    let score = if total > 0.0 { matched / total } else { 0.0 };
    Alignment {
        score,
        chosen,
        q_used,
        c_used,
    }
}

/// Single tokens, then each adjacent pair joined into one.
fn units<'a>(name: &'a NormalName, weights: &[f32], keys: &'a [String]) -> Vec<Unit<'a>> {
    let tokens = &name.tokens;
    let mut units: Vec<Unit> = (0..tokens.len())
        .map(|i| Unit {
            members: (i, i),
            text: Cow::Borrowed(tokens[i].text.as_str()),
            key: keys[i].as_str(),
            weight: weights[i],
        })
        .collect();
    for i in 1..tokens.len() {
        units.push(Unit {
            members: (i - 1, i),
            text: Cow::Owned(format!("{}{}", tokens[i - 1].text, tokens[i].text)),
            key: "",
            weight: weights[i - 1] + weights[i],
        });
    }
    units
}

/// How many edits a token of `len` characters may take and still be the same name part.
/// `len` is the shorter token's, so a short name is not found inside a long one.
fn allowed_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=8 => 1,
        9..=12 => 2,
        _ => 3,
    }
}

/// The similarity of two tokens in 0..=1, or `None` when they are different name parts.
/// Tokens with digits agree only exactly: a number is never a typo of another.
pub fn token_similarity(q: &str, c: &str, q_key: &str, c_key: &str) -> Option<(f32, Agreement)> {
    if q == c {
        return Some((1.0, Agreement::Exact));
    }
    // Misspellings rarely touch a name's first letter, and names that differ there are
    // usually different names (`HAN` / `CHAN`, `YONG` / `KYONG`).
    let (mut qs, mut cs) = (q.chars(), c.chars());
    if qs.next() != cs.next() {
        return None;
    }
    if q.bytes().any(|b| b.is_ascii_digit()) || c.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let (q_len, c_len) = (q.chars().count(), c.chars().count());
    if q_len == 1 || c_len == 1 {
        return Some((0.5, Agreement::Initial));
    }
    // A three-letter token may have lost or gained one letter (`JOH` / `JOHN`), but not
    // changed one (`ALI` / `ALA`): that is too often another name.
    if q_len.min(c_len) == 3 && q_len.abs_diff(c_len) == 1 && (q.starts_with(c) || c.starts_with(q))
    {
        return Some((0.8, Agreement::Edits));
    }
    let allowed = allowed_edits(q_len.min(c_len));
    if q_len.abs_diff(c_len) <= allowed && osa_distance(q, c) <= allowed {
        let jw = jaro_winkler(q, c) as f32;
        return Some((jw.max(0.75), Agreement::Edits));
    }
    if !q_key.is_empty() && q_key == c_key {
        let jw = jaro_winkler(q, c) as f32;
        return (jw >= 0.85).then_some((jw * 0.95, Agreement::Phonetic));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{IndexedName, NameSource};
    use crate::normalize::{NameKind, normalize_name};
    use crate::phonetic::metaphone;

    fn listed(raw: &str) -> IndexedName {
        let form = normalize_name(raw, NameKind::Person);
        let n = form.tokens.len();
        IndexedName {
            party: 0,
            raw: raw.into(),
            source: NameSource::Name,
            metaphones: form.tokens.iter().map(|t| metaphone(&t.text)).collect(),
            form,
            weights: vec![1.0; n],
        }
    }

    fn check(query: &str, candidate: &str, low: f64, high: f64) {
        let q = normalize_name(query, NameKind::Person);
        let keys: Vec<String> = q.tokens.iter().map(|t| metaphone(&t.text)).collect();
        let weights = vec![1.0; q.tokens.len()];
        let got = compare_names(&q, &weights, &keys, &listed(candidate));
        assert!(
            (low..=high).contains(&got.score),
            "{query:?} vs {candidate:?}: {got:?}"
        );
    }

    #[test]
    fn names_compare_as_token_sets() {
        check("Joaquin Guzman Loera", "GUZMAN LOERA, Joaquin", 1.0, 1.0);
        check("Joaquin Guzman", "GUZMAN LOERA, Joaquin", 0.95, 0.99);
        check("ZAMUFIO LERMS, Ludim", "ZAMUDIO LERMA, Ludim", 0.85, 0.97);
        check(
            "Nasif Jarjis BARAKAT ALFAHILIH",
            "BARAKAT AL FAHILIH, Nasif Jarjis",
            0.95,
            1.0,
        );
        check("Mohammed Hassan", "MUHAMMAD HASSAN", 0.8, 0.99);
        check("Marisol BELTRAN", "BELTRAN LEYVA, Arturo", 0.0, 0.5);
        check("11420 Corp", "11421 Corp", 0.0, 0.6);
    }
}
