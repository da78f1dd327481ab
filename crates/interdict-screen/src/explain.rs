//! What a screening result says about itself: the name that matched and every feature that
//! moved the score, so an analyst can defend or dismiss the hit.

use serde::Serialize;

use crate::index::NameSource;
use crate::score::TokenMatch;

/// The matching algorithm's version, stamped on every result: a decision must be explainable
/// by the algorithm that made it, so change this whenever scores can change.
pub const ALGORITHM_VERSION: &str = "interdict-screen-2";

/// One screening result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    pub entity_id: String,
    pub caption: String,
    pub schema: String,
    /// The main score in 0..=1.
    pub score: f64,
    /// What OFAC's Sanctions List Search would show for the matched name, in 0..=1.
    pub ofac_score: f64,
    /// The listed name or alias that matched, as the list writes it.
    pub matched_name: String,
    pub explanation: Vec<Feature>,
    pub algorithm: &'static str,
}

/// How a qualifier compared with what is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Match,
    /// The years agree but not the full dates, or the listed date is only a year.
    YearMatch,
    /// The years differ by one: lists often give circa dates.
    Near,
    Mismatch,
}

/// One feature of a result and its effect on the score (`effect` is added to it).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "feature", rename_all = "snake_case")]
pub enum Feature {
    /// The name comparison that the score starts from.
    NameSimilarity {
        score: f64,
        matched_name: String,
        source: NameSource,
        original_script: bool,
        tokens: Vec<TokenMatch>,
        unmatched_query: Vec<String>,
        unmatched_candidate: Vec<String>,
    },
    /// A weak alias (a nickname, a low-quality alias) counts less than a full name.
    WeakAlias { effect: f64 },
    BirthDate {
        query: String,
        listed: Vec<String>,
        outcome: Outcome,
        effect: f64,
    },
    Country {
        query: String,
        listed: Vec<String>,
        outcome: Outcome,
        effect: f64,
    },
    Gender {
        query: String,
        listed: Vec<String>,
        outcome: Outcome,
        effect: f64,
    },
    /// The query asks for another kind of party than the listed one.
    SchemaMismatch {
        query: String,
        listed: String,
        effect: f64,
    },
    /// An exact identifier match decides on its own: the score is 1.
    Identifier { value: String },
}
