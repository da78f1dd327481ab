use std::collections::BTreeMap;

use interdict_model::Label;
use serde::Serialize;

/// A version of a list about to be imported.
#[derive(Debug, Clone)]
pub struct NewVersion {
    /// The list, e.g. `ofac-sdn`.
    pub dataset: String,
    /// ISO date of the version.
    pub version: String,
    /// SHA-256 of the inputs, hex.
    pub content_hash: String,
    pub files: Vec<String>,
    /// The releasability label of every statement of the version.
    pub label: Label,
}

/// A stored version of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListVersion {
    pub id: i64,
    pub dataset: String,
    pub version: String,
    pub content_hash: String,
    pub entity_count: u64,
    pub statement_count: u64,
    pub warning_count: u64,
    pub files: Vec<String>,
    /// RFC 3339, UTC.
    pub ingested_at: String,
}

/// How far an import has got: entities and statements written so far.
#[derive(Debug, Clone, Copy)]
pub struct ImportProgress {
    pub entities: u64,
    pub statements: u64,
}

/// Counts of current entities.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub entities: u64,
    pub statements: u64,
    /// Current entities per schema (sanctions, addresses and links included).
    pub by_schema: BTreeMap<String, u64>,
    /// Sanctioned entities per dataset: those a `Sanction` of that dataset points at.
    pub by_dataset: BTreeMap<String, u64>,
    /// Sanctioned entities per program tag (one entity may carry several).
    pub by_program: BTreeMap<String, u64>,
}

/// A decided false positive: `entity_id` is not the customer `customer_id`, so screening that
/// customer does not raise it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Suppression {
    pub customer_id: String,
    pub entity_id: String,
    /// Why the analyst decided so.
    pub reason: String,
    pub decided_by: String,
    /// RFC 3339, UTC; set by the store when the decision is recorded.
    #[serde(default)]
    pub decided_at: String,
}

/// A party blocked without being listed, as a derivation found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct DerivedStatus {
    pub entity_id: String,
    /// `ownership` or `control`.
    pub basis: String,
    /// Percent held by blocked owners, as an exact decimal.
    pub held: String,
    /// `ofac` or `eu_uk`.
    pub mode: String,
    pub as_of: String,
    /// RFC 3339, UTC; set by the store.
    #[serde(default)]
    pub computed_at: String,
}

/// A state change to record in the audit trail; who made it comes from the store's actor
/// (see `SqliteStore::acting_as`).
#[derive(Debug, Clone, PartialEq)]
pub struct NewAudit {
    /// What was done: `list.ingest`, `suppression.add`, …
    pub action: String,
    /// What it was done to.
    pub subject: String,
    pub detail: serde_json::Value,
}

/// A record of the audit trail as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRecord {
    pub seq: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    /// JSON, as hashed.
    pub detail: String,
    /// Hex.
    pub prev_hash: String,
    /// Hex.
    pub hash: String,
}

/// What walking the audit chain found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditCheck {
    /// Records read.
    pub records: u64,
    /// The first record that breaks the chain, if any.
    pub broken: Option<AuditBreak>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditBreak {
    pub seq: i64,
    pub reason: String,
}
