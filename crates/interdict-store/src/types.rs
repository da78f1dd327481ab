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

/// A freeze (blocking) order as proposed: the property, its holder, the legal basis and what
/// it is worth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct NewFreeze {
    /// `account`, `wallet`, `vessel`, `aircraft` or `real-property`.
    pub asset_kind: String,
    /// Its identifier: account number or IBAN, wallet address, IMO number, tail number, parcel.
    pub asset: String,
    pub description: String,
    /// The stored entity that holds it, if it is one.
    pub holder_id: Option<String>,
    pub holder_name: String,
    /// Why it is blocked: the designation, or the 50%-rule path.
    pub basis: String,
    /// The sanctions program (SDNTK, ILLICIT-DRUGS, …).
    pub program: String,
    /// An exact decimal, in `currency`.
    pub value: String,
    pub currency: String,
    /// Where the property is.
    pub location: String,
    /// The institution holding it.
    pub institution: String,
}

/// A freeze order as stored, with every step of its life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Freeze {
    pub id: String,
    #[serde(flatten)]
    pub order: NewFreeze,
    /// `proposed`, `rejected`, `blocked`, `unblock-proposed` or `unblocked`.
    pub state: String,
    pub proposed_by: String,
    pub proposed_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub unblock_reason: Option<String>,
    pub unblock_proposed_by: Option<String>,
    pub unblock_proposed_at: Option<String>,
    pub unblocked_by: Option<String>,
    pub unblocked_at: Option<String>,
}

/// A step in a freeze's life, taken by the store's actor: it happens only if the freeze is
/// still in `from` (so of two people deciding at once, one wins and the other is told), and,
/// for the steps that need a second person, only if the actor is not the one who proposed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreezeStep {
    pub id: String,
    pub from: String,
    pub to: String,
    /// Why it is to be unblocked (delisting, licence, error): required to propose it.
    pub reason: Option<String>,
}

/// A user as stored: who they are, what they may do, where they work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub name: String,
    /// `analyst`, `supervisor` or `administrator`.
    pub role: String,
    pub agency: String,
    /// An argon2 PHC string; never shown.
    #[serde(skip)]
    pub password_hash: String,
    pub created_at: String,
    pub disabled: bool,
}

/// A customer of the stored base, as screening reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Customer {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
}

/// What a customer import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CustomerImport {
    pub added: u64,
    pub changed: u64,
    pub unchanged: u64,
}

/// A stored customer, and whether the last screening run saw it as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCustomer {
    pub customer: Customer,
    pub screened: bool,
}

/// A screening hit kept between runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub customer_id: String,
    pub entity_id: String,
    pub score: f64,
    /// The party's fingerprint when it was found.
    pub fingerprint: String,
}

/// Where the last screening run left off.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScreeningBaseline {
    /// The last run's number; 0 before any.
    pub run: i64,
    /// The customers stored as this baseline was read (the highest `updated_seq`): a run that
    /// reads its customers after the baseline has screened at least these, and commits it.
    pub customers_upto: i64,
    /// The last run's settings and counts, as committed (`threshold` among them).
    pub last_detail: serde_json::Value,
    /// The parties as that run screened them: entity id and fingerprint.
    pub fingerprints: Vec<(String, String)>,
    pub hits: Vec<Hit>,
}

/// A screening run's result, committed whole: it is refused with [`crate::StoreError::Conflict`]
/// if another run committed since `after_run` was read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScreeningCommit {
    pub after_run: i64,
    /// The baseline's `customers_upto`: customers imported or changed after it are screened
    /// (again) by the next run.
    pub customers_upto: i64,
    /// Every party screened, replacing the previous set.
    pub fingerprints: Vec<(String, String)>,
    /// Hits found or refreshed.
    pub hits: Vec<Hit>,
    /// Hits that no longer stand: (customer id, entity id).
    pub withdrawn: Vec<(String, String)>,
    /// The alerts the run raises.
    pub alerts: Vec<NewAlert>,
    /// Counts and settings for the audit record.
    pub detail: serde_json::Value,
}

/// A committed screening run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScreeningRun {
    pub run: i64,
    /// The alerts raised (those already raised before, by their dedupe key, are not).
    pub alerts: Vec<Alert>,
}

/// An alert as raised by a source.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct NewAlert {
    /// `screening`, `rescreening`, `derived` or `monitoring`.
    pub source: String,
    /// One alert per key: raising the same key again does nothing.
    pub dedupe: String,
    /// The customer, account or party alerted on.
    pub subject: String,
    /// The designated or blocked party, if any.
    pub entity_id: Option<String>,
    pub score: Option<f64>,
    /// `low`, `medium`, `high` or `critical`.
    pub severity: String,
    pub summary: String,
    /// The evidence, as JSON.
    pub detail: serde_json::Value,
}

/// An alert in the inbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    pub id: String,
    #[serde(flatten)]
    pub raised: NewAlert,
    /// `open` or `closed`.
    pub state: String,
    pub case_id: Option<String>,
    pub resolution: Option<String>,
    pub closed_by: Option<String>,
    pub closed_at: Option<String>,
    pub created_at: String,
}

/// Which alerts to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertFilter {
    pub state: Option<String>,
    pub source: Option<String>,
    pub case_id: Option<String>,
    /// At most this many, oldest first; all when `None`.
    pub limit: Option<u32>,
}

/// A case as opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct NewCase {
    /// `investigation`, `tip` or `mla` (extradition or mutual legal assistance).
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub assignee: Option<String>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub deadline: Option<String>,
    /// By kind: a tip's `source` and `summary`; a request's `request` (extradition or mla),
    /// `direction` (outgoing or incoming), `requesting_state`, `requested_state`, `subject`
    /// and `legal_basis`. Free for investigations.
    #[serde(default)]
    pub detail: serde_json::Value,
    /// A tip's submitter: kept apart, read only on purpose, and each read audited.
    #[serde(default)]
    pub contact: Option<String>,
    /// Open alerts to take into the case.
    #[serde(default)]
    pub alerts: Vec<String>,
}

/// A case as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub state: String,
    pub resolution: Option<String>,
    pub assignee: Option<String>,
    pub deadline: Option<String>,
    pub detail: serde_json::Value,
    /// Whether a submitter's contact is kept for it (never the contact itself).
    pub has_contact: bool,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

/// Something a case links to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseLink {
    /// `alert`, `entity`, `transaction`, `account` or `evidence`.
    pub kind: String,
    pub reference: String,
    pub note: String,
    pub added_by: String,
    pub added_at: String,
}

/// One step in a case's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseEvent {
    pub n: i64,
    pub at: String,
    pub actor: String,
    /// `open`, `state`, `assign`, `note`, `link` or `deadline`.
    pub kind: String,
    pub text: String,
}

/// A case with everything linked to it and its timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseView {
    #[serde(flatten)]
    pub case: Case,
    pub links: Vec<CaseLink>,
    pub events: Vec<CaseEvent>,
    pub alerts: Vec<Alert>,
}

/// Which cases to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub kind: Option<String>,
    pub state: Option<String>,
    pub assignee: Option<String>,
}

/// What to do to a case, as the store's actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum CaseAction {
    /// Moves the case from `from` to `to` (compare-and-set); closing needs a `resolution`
    /// (true-match, false-positive, not-actionable), which the case's open alerts take too.
    Move {
        from: String,
        to: String,
        #[serde(default)]
        resolution: Option<String>,
    },
    Assign {
        assignee: String,
    },
    Note {
        text: String,
    },
    Link {
        kind: String,
        reference: String,
        #[serde(default)]
        note: String,
    },
    Deadline {
        date: String,
    },
}
