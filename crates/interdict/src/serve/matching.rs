//! `/match` and `/search`: yente-shaped queries turned into screening queries, and results
//! turned back into yente-shaped entities with interdict's explanation beside the score.

use std::collections::{BTreeMap, HashMap, HashSet};

use interdict_screen::index::{COUNTRY_PROPS, ID_PROPS};
use interdict_screen::{ALGORITHM_VERSION, Feature, Match, Query, default_threshold};
use serde::Serialize;
use serde_json::value::RawValue;

use super::error::ApiError;
use super::request::EntityQuery;
use super::snapshot::Snapshot;

/// Algorithm names a request may ask for: interdict's own, under its version or as the default.
pub const ALGORITHMS: [&str; 4] = [ALGORITHM_VERSION, "interdict", "best", "default"];

/// Properties whose values are compared as names.
const NAME_PROPS: [&str; 3] = ["name", "alias", "previousName"];
/// Name parts, joined into one name when a query gives them apart.
const NAME_PARTS: [&str; 5] = [
    "firstName",
    "secondName",
    "middleName",
    "fatherName",
    "lastName",
];

/// How a request wants results cut.
#[derive(Debug, Clone, Copy)]
pub struct Cut {
    /// Results at or above it are `match: true`; `None` for the schema's operating threshold.
    pub threshold: Option<f64>,
    /// Results under it are left out; `None` for the lower of 0.5 and the threshold.
    pub cutoff: Option<f64>,
    pub limit: usize,
}

/// One result, in yente's entity shape with interdict's explanation.
#[derive(Debug, Serialize)]
pub struct Scored<'a> {
    pub id: String,
    pub caption: String,
    pub schema: String,
    pub properties: Option<&'a RawValue>,
    pub datasets: &'a [String],
    pub score: f64,
    #[serde(rename = "match")]
    pub is_match: bool,
    pub matched_name: String,
    /// What OFAC's Sanctions List Search would show for the matched name.
    pub ofac_score: f64,
    /// Blocked, and on what basis: listed, or by OFAC's 50% rule with the paths.
    pub status: Option<serde_json::Value>,
    /// Each feature's contribution, keyed by its name, as yente reports features.
    pub features: BTreeMap<&'static str, f64>,
    pub explanation: Vec<Feature>,
    pub algorithm: &'static str,
}

/// The screening queries one yente query stands for: one per name (the first identifier
/// beside the first name), and one per further identifier on its own.
pub fn queries_of(key: &str, query: &EntityQuery) -> Result<Vec<Query>, ApiError> {
    let values = |props: &[&str]| -> Vec<String> {
        props
            .iter()
            .filter_map(|p| query.properties.get(*p))
            .flat_map(|v| v.0.iter())
            .filter(|v| !v.trim().is_empty())
            .cloned()
            .collect()
    };
    let mut names = values(&NAME_PROPS);
    let parts = values(&NAME_PARTS);
    if !parts.is_empty() {
        names.push(parts.join(" "));
    }
    let ids = values(&ID_PROPS);
    if names.is_empty() && ids.is_empty() {
        return Err(ApiError::bad_request(
            "empty_query",
            format!(
                "queries.{key}: no name (name, alias, firstName, lastName, …) and no identifier \
                 (idNumber, passportNumber, imoNumber, publicKey, …) to match on"
            ),
        ));
    }
    let first = |props: &[&str]| values(props).into_iter().next();
    let base = Query {
        schema: Some(query.schema.clone()),
        birth_date: first(&["birthDate", "incorporationDate", "buildDate"]),
        country: first(&COUNTRY_PROPS),
        gender: first(&["gender"]),
        ..Query::default()
    };
    let mut ids = ids.into_iter();
    let mut queries: Vec<Query> = names
        .into_iter()
        .enumerate()
        .map(|(n, name)| Query {
            name,
            id_number: if n == 0 { ids.next() } else { None },
            ..base.clone()
        })
        .collect();
    queries.extend(ids.map(|id| Query {
        id_number: Some(id),
        ..base.clone()
    }));
    Ok(queries)
}

/// Runs the screening queries of one yente query, keeping each entity's best result.
pub fn run<'a>(
    snapshot: &'a Snapshot,
    queries: &[Query],
    dataset: &str,
    suppressed: &HashSet<String>,
    cut: Cut,
) -> (Vec<Scored<'a>>, f64) {
    let schema = queries.first().and_then(|q| q.schema.as_deref());
    let threshold = cut.threshold.unwrap_or_else(|| default_threshold(schema));
    let cutoff = cut.cutoff.unwrap_or(threshold.min(0.5));
    let keep = |id: &str| !suppressed.contains(id) && snapshot.in_dataset(id, dataset);
    let mut best: HashMap<String, Match> = HashMap::new();
    for query in queries {
        for hit in snapshot.index.screen_where(query, cut.limit, cutoff, keep) {
            match best.get(&hit.entity_id) {
                Some(seen) if seen.score >= hit.score => {}
                _ => {
                    best.insert(hit.entity_id.clone(), hit);
                }
            }
        }
    }
    let mut hits: Vec<Match> = best.into_values().collect();
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.entity_id.cmp(&b.entity_id))
    });
    hits.truncate(cut.limit);
    let scored = hits
        .into_iter()
        .map(|m| scored(snapshot, m, threshold))
        .collect();
    (scored, threshold)
}

fn scored(snapshot: &Snapshot, m: Match, threshold: f64) -> Scored<'_> {
    let listed = snapshot.listed.get(&m.entity_id);
    Scored {
        status: snapshot.status_of(&m.entity_id),
        properties: listed.map(|l| l.properties.as_ref()),
        datasets: listed.map_or(&[], |l| l.datasets.as_slice()),
        is_match: m.score >= threshold,
        features: m.explanation.iter().map(feature_value).collect(),
        id: m.entity_id,
        caption: m.caption,
        schema: m.schema,
        score: m.score,
        matched_name: m.matched_name,
        ofac_score: m.ofac_score,
        explanation: m.explanation,
        algorithm: m.algorithm,
    }
}

/// A feature as yente lists it: a name and a number (the name similarity, or the effect on
/// the score of everything else).
fn feature_value(feature: &Feature) -> (&'static str, f64) {
    match feature {
        Feature::NameSimilarity { score, .. } => ("name_similarity", *score),
        Feature::WeakAlias { effect } => ("weak_alias", *effect),
        Feature::BirthDate { effect, .. } => ("birth_date", *effect),
        Feature::Country { effect, .. } => ("country", *effect),
        Feature::Gender { effect, .. } => ("gender", *effect),
        Feature::SchemaMismatch { effect, .. } => ("schema_mismatch", *effect),
        Feature::Identifier { .. } => ("identifier", 1.0),
    }
}
