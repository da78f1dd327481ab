//! A screening query and how it is run against the index: identifiers first, then candidate
//! retrieval, name comparison and qualifiers.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::explain::{ALGORITHM_VERSION, Feature, Match};
use crate::index::{IndexedName, NameSource, Party, PartyKind, ScreenIndex};
use crate::normalize::{NameKind, NormalName, name_forms};
use crate::ofac::ofac_score;
use crate::phonetic::metaphone;
use crate::qualifier::{birth_date_feature, country_feature, gender_feature, schema_feature};
use crate::score::{Comparable, Scratch, Side, compare_names, name_score};

/// The most tokens of a query form that are compared; a longer name is cut (alignment is
/// quadratic in tokens, and no real name has more).
const MAX_QUERY_TOKENS: usize = 24;
/// A weak alias match scores this much less.
const WEAK_ALIAS_PENALTY: f64 = 0.08;

/// What to screen: a name and, optionally, what else is known about the party.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    pub name: String,
    /// An FtM schema name (`Person`, `Organization`, `Company`, `Vessel`, …).
    pub schema: Option<String>,
    /// An ISO date or a year.
    pub birth_date: Option<String>,
    /// A country name or FtM country code.
    pub country: Option<String>,
    /// `male`, `female` or `other` (or M, F).
    pub gender: Option<String>,
    /// A passport, national id, registration or IMO number, or a crypto address.
    pub id_number: Option<String>,
}

impl Query {
    /// A query for a name alone.
    pub fn name(name: impl Into<String>) -> Self {
        Query {
            name: name.into(),
            ..Query::default()
        }
    }
}

/// The operating threshold for a query's schema, on the 0..=1 scale.
pub fn default_threshold(schema: Option<&str>) -> f64 {
    match schema.and_then(PartyKind::of_schema) {
        Some(PartyKind::Vessel | PartyKind::Airplane) => 0.75,
        _ => 0.7,
    }
}

/// A query form with what the scorer needs precomputed.
struct QueryForm {
    form: NormalName,
    comparable: Comparable,
}

/// A party's name that compares best with the query, its score and the query form it was
/// compared with.
struct BestName<'a> {
    score: f64,
    name: &'a IndexedName,
    form: &'a QueryForm,
}

impl ScreenIndex {
    /// Screens a query: results at or above `threshold`, best first, at most `limit`.
    pub fn screen(&self, query: &Query, limit: usize, threshold: f64) -> Vec<Match> {
        self.screen_where(query, limit, threshold, |_| true)
    }

    /// Screens a query among the parties whose entity id `keep` accepts: the caller's
    /// suppression list or dataset filter is applied before `limit`, so it never hides a
    /// result that should have taken a suppressed one's place.
    pub fn screen_where(
        &self,
        query: &Query,
        limit: usize,
        threshold: f64,
        keep: impl Fn(&str) -> bool,
    ) -> Vec<Match> {
        let kind = query.schema.as_deref().and_then(PartyKind::of_schema);
        let forms = self.prepare(&query.name, kind);
        let mut found: HashMap<u32, Match> = HashMap::new();
        if let Some(id) = query.id_number.as_deref() {
            for &party in self.parties_with_identifier(id) {
                if keep(&self.parties[party as usize].id) {
                    found.insert(party, self.identified(party, id));
                }
            }
        }
        // Only the names retrieval found are compared: a party's other names share too little
        // with the query to be its best, and parties with dozens of aliases are common.
        let mut retrieved: Vec<(u32, u32)> = forms
            .iter()
            .flat_map(|f| self.candidates(&f.form))
            .map(|(name, _)| (self.names[name as usize].party, name))
            .filter(|(p, _)| !found.contains_key(p) && keep(&self.parties[*p as usize].id))
            .collect();
        retrieved.sort_unstable();
        retrieved.dedup();
        let mut scratch = Scratch::default();
        for group in retrieved.chunk_by(|a, b| a.0 == b.0) {
            let party = group[0].0;
            let names: Vec<u32> = group.iter().map(|(_, n)| *n).collect();
            let scored =
                self.score_party(party, &names, &forms, query, kind, threshold, &mut scratch);
            if let Some(hit) = scored {
                found.insert(party, hit);
            }
        }
        let mut hits: Vec<Match> = found
            .into_iter()
            .filter(|(_, m)| m.score >= threshold)
            .map(|(party, mut m)| {
                m.ofac_score = self.ofac_parity(&self.parties[party as usize], &forms);
                m
            })
            .collect();
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(b.ofac_score.total_cmp(&a.ofac_score))
                .then_with(|| a.entity_id.cmp(&b.entity_id))
        });
        hits.truncate(limit);
        hits
    }

    fn prepare(&self, name: &str, kind: Option<PartyKind>) -> Vec<QueryForm> {
        let name_kind = kind.map_or(NameKind::Other, PartyKind::name_kind);
        name_forms(name, name_kind)
            .into_iter()
            .map(|mut form| {
                form.tokens.truncate(MAX_QUERY_TOKENS);
                let weights: Vec<f32> = form.tokens.iter().map(|t| self.weight(t)).collect();
                let keys: Vec<String> = form.tokens.iter().map(|t| metaphone(&t.text)).collect();
                QueryForm {
                    comparable: Comparable::new(&form, &weights, &keys, Side::Query),
                    form,
                }
            })
            .collect()
    }

    fn identified(&self, party: u32, id: &str) -> Match {
        let p = &self.parties[party as usize];
        Match {
            entity_id: p.id.clone(),
            caption: p.caption.clone(),
            schema: p.schema.to_string(),
            score: 1.0,
            ofac_score: 0.0,
            matched_name: p.caption.clone(),
            explanation: vec![Feature::Identifier { value: id.into() }],
            algorithm: ALGORITHM_VERSION,
        }
    }

    /// Scores a party's best name with its qualifiers; `None` when it has no comparable name
    /// or stays under `threshold` (then the explanation is not worth writing).
    #[allow(clippy::too_many_arguments)]
    fn score_party(
        &self,
        party: u32,
        names: &[u32],
        forms: &[QueryForm],
        query: &Query,
        kind: Option<PartyKind>,
        threshold: f64,
        scratch: &mut Scratch,
    ) -> Option<Match> {
        let p = &self.parties[party as usize];
        let best = self.best_name(names, forms, scratch)?;
        let weak = (best.name.source == NameSource::WeakAlias).then_some(Feature::WeakAlias {
            effect: -WEAK_ALIAS_PENALTY,
        });
        let features: Vec<Feature> = weak.into_iter().chain(qualifiers(p, query, kind)).collect();
        // The name similarity comes first in the explanation and moves nothing itself.
        let effect: f64 = std::iter::once(0.0)
            .chain(features.iter().map(effect_of))
            .sum();
        let score = (best.score + effect).clamp(0.0, 1.0);
        if score < threshold {
            return None;
        }
        let (form, name) = (best.form, best.name);
        let comparison = compare_names(&form.form, &form.comparable, &name.form, &name.comparable);
        let mut explanation = vec![Feature::NameSimilarity {
            score: comparison.score,
            matched_name: name.raw.clone(),
            source: name.source,
            original_script: name.form.original_script,
            tokens: comparison.tokens,
            unmatched_query: comparison.unmatched_query,
            unmatched_candidate: comparison.unmatched_candidate,
        }];
        explanation.extend(features);
        Some(Match {
            entity_id: p.id.clone(),
            caption: p.caption.clone(),
            schema: p.schema.to_string(),
            score,
            ofac_score: 0.0,
            matched_name: name.raw.clone(),
            explanation,
            algorithm: ALGORITHM_VERSION,
        })
    }

    /// The party's name that compares best with a query form (a weak alias less so).
    fn best_name<'a>(
        &'a self,
        names: &[u32],
        forms: &'a [QueryForm],
        scratch: &mut Scratch,
    ) -> Option<BestName<'a>> {
        let mut best: Option<(f64, BestName)> = None;
        for &n in names {
            let name = &self.names[n as usize];
            for form in forms {
                if form.form.original_script != name.form.original_script {
                    continue;
                }
                let score = name_score(&form.comparable, &name.comparable, scratch);
                let ranked = score - weak_penalty(name.source);
                if best.as_ref().is_none_or(|(b, _)| ranked > *b) {
                    best = Some((ranked, BestName { score, name, form }));
                }
            }
        }
        best.map(|(_, best)| best)
    }

    fn ofac_parity(&self, party: &Party, forms: &[QueryForm]) -> f64 {
        let Some(latin) = forms.iter().find(|f| !f.form.original_script) else {
            return 0.0;
        };
        let query: Vec<&str> = latin.form.tokens.iter().map(|t| t.text.as_str()).collect();
        party
            .names
            .iter()
            .map(|&n| &self.names[n as usize].form)
            .filter(|f| !f.original_script)
            .map(|f| {
                let listed: Vec<&str> = f.tokens.iter().map(|t| t.text.as_str()).collect();
                ofac_score(&query, &listed)
            })
            .fold(0.0, f64::max)
    }
}

fn weak_penalty(source: NameSource) -> f64 {
    if source == NameSource::WeakAlias {
        WEAK_ALIAS_PENALTY
    } else {
        0.0
    }
}

fn qualifiers(party: &Party, query: &Query, kind: Option<PartyKind>) -> Vec<Feature> {
    let birth = query
        .birth_date
        .as_deref()
        .and_then(|d| birth_date_feature(d, &party.birth_dates));
    let country = query
        .country
        .as_deref()
        .and_then(|c| country_feature(c, &party.countries));
    let gender = query
        .gender
        .as_deref()
        .and_then(|g| gender_feature(g, &party.genders));
    let schema = query
        .schema
        .as_deref()
        .zip(kind)
        .and_then(|(s, k)| schema_feature(s, k, party));
    [birth, country, gender, schema]
        .into_iter()
        .flatten()
        .collect()
}

fn effect_of(feature: &Feature) -> f64 {
    match feature {
        Feature::WeakAlias { effect }
        | Feature::BirthDate { effect, .. }
        | Feature::Country { effect, .. }
        | Feature::Gender { effect, .. }
        | Feature::SchemaMismatch { effect, .. } => *effect,
        Feature::NameSimilarity { .. } | Feature::Identifier { .. } => 0.0,
    }
}
