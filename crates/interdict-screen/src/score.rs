//! Comparing a query name with a listed name, token by token.
//!
//! Tokens are aligned greedily, best pair first, in any order (names are written in many
//! orders). Adjacent tokens may be joined on either side (`AL IRAQI` = `ALIRAQI`). The score is
//! the weighted share of matched tokens, where an unmatched query token costs its full weight
//! (the query says something the listed name does not), an unmatched listed token costs about a
//! third (lists carry middle names and patronymics a customer record often lacks), and an
//! optional maternal surname costs a tenth.

use serde::Serialize;
use strsim::{jaro, jaro_winkler, osa_distance};

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

/// A token or two adjacent tokens joined, on one side of the comparison, with what comparing it
/// needs worked out once: listed names get theirs when the index is built, a query once per form.
#[derive(Debug, Clone)]
pub struct Unit {
    members: (usize, usize),
    text: Box<str>,
    key: Box<str>,
    weight: f32,
    chars: usize,
    first: Option<char>,
    digits: bool,
}

impl Unit {
    fn new(members: (usize, usize), text: Box<str>, key: Box<str>, weight: f32) -> Unit {
        Unit {
            members,
            chars: text.chars().count(),
            first: text.chars().next(),
            digits: text.bytes().any(|b| b.is_ascii_digit()),
            text,
            key,
            weight,
        }
    }

    fn joined(&self) -> bool {
        self.members.0 != self.members.1
    }

    fn overlaps(&self, used: &[bool]) -> bool {
        used[self.members.0] || used[self.members.1]
    }
}

/// Which side of a comparison a name is on; it decides what an unmatched token costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Query,
    Listed,
}

/// A name ready for comparison: its units (single tokens, then adjacent pairs joined) and what
/// each token costs when left unmatched.
#[derive(Debug, Clone, Default)]
pub struct Comparable {
    units: Vec<Unit>,
    missing: Vec<f32>,
}

impl Comparable {
    /// Prepares a name with its token weights and phonetic keys for one side of a comparison.
    pub fn new(name: &NormalName, weights: &[f32], keys: &[String], side: Side) -> Comparable {
        let missing = name
            .tokens
            .iter()
            .zip(weights)
            .map(|(token, weight)| {
                let cost = match (side, token.optional) {
                    (Side::Query, false) => MISSING_IN_CANDIDATE,
                    (Side::Query, true) => OPTIONAL_MISSING_IN_CANDIDATE,
                    (Side::Listed, false) => MISSING_IN_QUERY,
                    (Side::Listed, true) => OPTIONAL_MISSING_IN_QUERY,
                };
                cost * weight
            })
            .collect();
        Comparable {
            units: units(name, weights, keys),
            missing,
        }
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

/// Buffers reused from one comparison to the next, so that scoring a candidate allocates
/// nothing.
#[derive(Default)]
pub struct Scratch {
    pairs: Vec<Pair>,
    order: Vec<usize>,
    chosen: Vec<usize>,
    q_used: Vec<bool>,
    c_used: Vec<bool>,
}

/// The chosen pairs (indices into `Pair`s) and the score they give.
struct Alignment {
    score: f32,
    chosen: Vec<usize>,
    q_used: Vec<bool>,
    c_used: Vec<bool>,
}

/// The score of a query form against a listed name, without the explanation.
pub fn name_score(query: &Comparable, candidate: &Comparable, scratch: &mut Scratch) -> f64 {
    pairs(&query.units, &candidate.units, &mut scratch.pairs);
    f64::from(best_score(query, candidate, scratch))
}

/// Compares a query form with a listed name (each with its token weights and phonetic keys).
pub fn compare_names(
    query: &NormalName,
    query_side: &Comparable,
    candidate: &NormalName,
    candidate_side: &Comparable,
) -> NameComparison {
    let mut scratch = Scratch::default();
    pairs(&query_side.units, &candidate_side.units, &mut scratch.pairs);
    let alignment = best_alignment(query_side, candidate_side, &mut scratch);
    let (q_units, c_units, pairs) = (&query_side.units, &candidate_side.units, &scratch.pairs);
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
        unmatched_candidate: unused(&candidate.tokens, &alignment.c_used),
    }
}

fn pairs(q_units: &[Unit], c_units: &[Unit], pairs: &mut Vec<Pair>) {
    pairs.clear();
    for (qi, q) in q_units.iter().enumerate() {
        for (ci, c) in c_units.iter().enumerate() {
            // Joining on both sides at once would only re-split the same letters.
            if q.joined() && c.joined() {
                continue;
            }
            let joined = q.joined() || c.joined();
            if let Some((similarity, agreement)) = unit_similarity(q, c)
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
}

/// Orders the pairs best first, once preferring single tokens on ties and once joined ones.
/// Returns whether the second order can differ from the first: only when a joined and a
/// single pair tie.
fn order_pairs(pairs: &[Pair], order: &mut Vec<usize>, prefer_joined: bool) -> bool {
    order.clear();
    order.extend(0..pairs.len());
    order.sort_by(|a, b| {
        let (a, b) = (&pairs[*a], &pairs[*b]);
        let joined = if prefer_joined {
            b.joined.cmp(&a.joined)
        } else {
            a.joined.cmp(&b.joined)
        };
        b.similarity.total_cmp(&a.similarity).then(joined)
    });
    order.windows(2).any(|w| {
        let (a, b) = (&pairs[w[0]], &pairs[w[1]]);
        a.joined != b.joined && a.similarity.total_cmp(&b.similarity).is_eq()
    })
}

/// The score of the better of the two greedy alignments, as `best_alignment` finds it.
fn best_score(query: &Comparable, candidate: &Comparable, scratch: &mut Scratch) -> f32 {
    let Scratch {
        pairs,
        order,
        chosen,
        q_used,
        c_used,
    } = scratch;
    let ties = order_pairs(pairs, order, false);
    let single = align(order, pairs, query, candidate, chosen, q_used, c_used);
    if !ties {
        return single;
    }
    order_pairs(pairs, order, true);
    let joined = align(order, pairs, query, candidate, chosen, q_used, c_used);
    if joined > single { joined } else { single }
}

/// Greedy alignment, best pair first, once preferring single tokens on ties and once joined
/// ones (`ABDUL HAMID ABDUL` against `ABDULHAMID ABDUL`); the better result wins. The two
/// orders are the same unless a joined and a single pair tie; otherwise one pass is enough.
fn best_alignment(query: &Comparable, candidate: &Comparable, scratch: &mut Scratch) -> Alignment {
    let mut run = |prefer_joined: bool| {
        let ties = order_pairs(&scratch.pairs, &mut scratch.order, prefer_joined);
        let (mut chosen, mut q_used, mut c_used) = (Vec::new(), Vec::new(), Vec::new());
        let score = align(
            &scratch.order,
            &scratch.pairs,
            query,
            candidate,
            &mut chosen,
            &mut q_used,
            &mut c_used,
        );
        let alignment = Alignment {
            score,
            chosen,
            q_used,
            c_used,
        };
        (alignment, ties)
    };
    let (single, ties) = run(false);
    if !ties {
        return single;
    }
    let (joined, _) = run(true);
    if joined.score > single.score {
        joined
    } else {
        single
    }
}

fn align(
    order: &[usize],
    pairs: &[Pair],
    query: &Comparable,
    candidate: &Comparable,
    chosen: &mut Vec<usize>,
    q_used: &mut Vec<bool>,
    c_used: &mut Vec<bool>,
) -> f32 {
    let (q_units, c_units) = (&query.units, &candidate.units);
    q_used.clear();
    q_used.resize(query.missing.len(), false);
    c_used.clear();
    c_used.resize(candidate.missing.len(), false);
    chosen.clear();
    let (mut matched, mut total) = (0f32, 0f32);
    for &p in order {
        let pair = &pairs[p];
        let (q, c) = (&q_units[pair.query], &c_units[pair.candidate]);
        if q.overlaps(q_used) || c.overlaps(c_used) {
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
    for (cost, _) in query
        .missing
        .iter()
        .zip(q_used.iter())
        .filter(|(_, u)| !**u)
    {
        total += cost;
    }
    for (cost, _) in candidate
        .missing
        .iter()
        .zip(c_used.iter())
        .filter(|(_, u)| !**u)
    {
        total += cost;
    }
    if total > 0.0 { matched / total } else { 0.0 }
}

/// Single tokens, then each adjacent pair joined into one.
fn units(name: &NormalName, weights: &[f32], keys: &[String]) -> Vec<Unit> {
    let tokens = &name.tokens;
    let mut units: Vec<Unit> = (0..tokens.len())
        .map(|i| {
            let text = tokens[i].text.as_str().into();
            Unit::new((i, i), text, keys[i].as_str().into(), weights[i])
        })
        .collect();
    for i in 1..tokens.len() {
        let text = format!("{}{}", tokens[i - 1].text, tokens[i].text).into();
        units.push(Unit::new(
            (i - 1, i),
            text,
            "".into(),
            weights[i - 1] + weights[i],
        ));
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
    let q = Unit::new((0, 0), q.into(), q_key.into(), 1.0);
    let c = Unit::new((0, 0), c.into(), c_key.into(), 1.0);
    unit_similarity(&q, &c)
}

fn unit_similarity(q: &Unit, c: &Unit) -> Option<(f32, Agreement)> {
    // Misspellings rarely touch a name's first letter, and names that differ there are
    // usually different names (`HAN` / `CHAN`, `YONG` / `KYONG`). Checked first because it
    // settles most pairs, and equal tokens share it.
    if q.first != c.first {
        // Except where spelling conventions differ on the first sound (`KARTEL` / `CARTEL`,
        // `YUSUF` / `JUSUF`, `WLADIMIR` / `VLADIMIR`): then the tokens must sound the same.
        if !(q.first.zip(c.first).is_some_and(alike_initials) && q.key == c.key) {
            return None;
        }
        let jw = jaro(&q.text, &c.text) as f32;
        return (!q.key.is_empty() && jw >= 0.8).then_some((jw * 0.95, Agreement::Phonetic));
    }
    if q.text == c.text {
        return Some((1.0, Agreement::Exact));
    }
    if q.digits || c.digits {
        return None;
    }
    let (q_len, c_len) = (q.chars, c.chars);
    if q_len == 1 || c_len == 1 {
        return Some((0.5, Agreement::Initial));
    }
    let (qt, ct) = (&*q.text, &*c.text);
    // A three-letter token may have lost or gained one letter (`JOH` / `JOHN`), but not
    // changed one (`ALI` / `ALA`): that is too often another name.
    if q_len.min(c_len) == 3
        && q_len.abs_diff(c_len) == 1
        && (qt.starts_with(ct) || ct.starts_with(qt))
    {
        return Some((0.8, Agreement::Edits));
    }
    let allowed = allowed_edits(q_len.min(c_len));
    if q_len.abs_diff(c_len) <= allowed && within_edits(qt, ct, allowed) {
        let jw = jaro_winkler(qt, ct) as f32;
        return Some((jw.max(0.75), Agreement::Edits));
    }
    if !q.key.is_empty() && q.key == c.key {
        let jw = jaro_winkler(qt, ct) as f32;
        return (jw >= 0.85).then_some((jw * 0.95, Agreement::Phonetic));
    }
    None
}

/// First letters that spell one sound in different languages' transliterations.
fn alike_initials((a, b): (char, char)) -> bool {
    const CLASSES: [&str; 5] = ["ckq", "ijy", "vw", "sz", "fp"];
    CLASSES
        .iter()
        .any(|class| class.contains(a) && class.contains(b))
}

/// The longest ASCII token whose edit distance is worked out on the stack.
const SHORT: usize = 48;

/// Whether the optimal-string-alignment distance (`strsim::osa_distance`) of two tokens is at
/// most `allowed`: on bytes without allocating for short ASCII tokens, the common case.
pub(crate) fn within_edits(a: &str, b: &str, allowed: usize) -> bool {
    if !a.is_ascii() || !b.is_ascii() || b.len() >= SHORT {
        return osa_distance(a, b) <= allowed;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let width = b.len() + 1;
    let mut rows = [[0usize; SHORT]; 3];
    for (j, cell) in rows[1][..width].iter_mut().enumerate() {
        *cell = j;
    }
    rows[0] = rows[1];
    let (mut two, mut prev, mut curr) = (0, 1, 2);
    for (i, &ac) in a.iter().enumerate() {
        rows[curr][0] = i + 1;
        for (j, &bc) in b.iter().enumerate() {
            let cost = usize::from(ac != bc);
            let mut d = (rows[curr][j] + 1)
                .min(rows[prev][j + 1] + 1)
                .min(rows[prev][j] + cost);
            if i > 0 && j > 0 && ac != bc && ac == b[j - 1] && bc == a[i - 1] {
                d = d.min(rows[two][j - 1] + 1);
            }
            rows[curr][j + 1] = d;
        }
        (two, prev, curr) = (prev, curr, two);
    }
    rows[prev][b.len()] <= allowed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::{NameKind, normalize_name};
    use crate::phonetic::metaphone;

    fn prepared(raw: &str, side: Side) -> (NormalName, Comparable) {
        let form = normalize_name(raw, NameKind::Person);
        let keys: Vec<String> = form.tokens.iter().map(|t| metaphone(&t.text)).collect();
        let weights = vec![1.0; form.tokens.len()];
        let comparable = Comparable::new(&form, &weights, &keys, side);
        (form, comparable)
    }

    fn check(query: &str, candidate: &str, low: f64, high: f64) {
        let (q, q_side) = prepared(query, Side::Query);
        let (c, c_side) = prepared(candidate, Side::Listed);
        let got = compare_names(&q, &q_side, &c, &c_side);
        let fast = name_score(&q_side, &c_side, &mut Scratch::default());
        assert_eq!(got.score, fast, "{query:?} vs {candidate:?}");
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

    proptest::proptest! {
        #[test]
        fn edit_distance_agrees_with_strsim(
            a in "[abc]{0,9}|\\PC{0,6}|[a-z]{0,50}",
            b in "[abc]{0,9}|[a-z]{0,60}",
            allowed in 0usize..4,
        ) {
            let osa = osa_distance(&a, &b);
            proptest::prop_assert_eq!(within_edits(&a, &b, allowed), osa <= allowed);
        }
    }
}
