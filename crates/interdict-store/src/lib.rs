//! Where interdict keeps what it knows: the [`Store`] trait and its backends.
//!
//! ```no_run
//! # async fn demo() -> Result<(), interdict_store::StoreError> {
//! use interdict_store::{SqliteStore, Store};
//! let store = SqliteStore::open("interdict.db").await?;
//! for version in store.versions(Some("ofac-sdn")).await? {
//!     println!("{} {} {}", version.dataset, version.version, version.entity_count);
//! }
//! # Ok(()) }
//! ```
//!
//! The embedded default is [`SqliteStore`] (one file, WAL). The trait speaks in
//! model types and plain values only, so a PostgreSQL backend can implement it
//! without SQLite behaviour leaking through; the conformance suite in
//! `tests/it` is written against the trait.
//!
//! **Architecture invariant:** the store holds no business rules. It keeps
//! statements and versions; what they mean is decided by the crates above it.

mod audit;
mod cases;
mod error;
mod freeze;
mod screening;
mod sqlite;
mod state;
mod types;

use async_trait::async_trait;
use interdict_model::{Entity, Statement};

pub use audit::record_hash;
pub use cases::MAX_TEXT;
pub use error::StoreError;
pub use sqlite::SqliteStore;
pub use types::{
    Alert, AlertFilter, AuditBreak, AuditCheck, AuditRecord, Case, CaseAction, CaseEvent,
    CaseFilter, CaseLink, CaseView, Customer, CustomerImport, DerivedStatus, Freeze, FreezeStep,
    Hit, ImportProgress, ListVersion, NewAlert, NewAudit, NewCase, NewFreeze, NewVersion,
    ScreeningBaseline, ScreeningCommit, ScreeningRun, StoredCustomer, Summary, Suppression, User,
};

/// Entities for an import, a chunk at a time.
#[async_trait]
pub trait EntityStream: Send {
    /// The next entities; `None` once all are given. An error aborts the import.
    async fn next_chunk(&mut self) -> Result<Option<Vec<Entity>>, StoreError>;

    /// How many warnings the reader reported; asked once the stream has ended.
    fn warning_count(&self) -> u64;
}

/// A parsed list held whole, given as one stream.
pub struct InMemory {
    entities: std::vec::IntoIter<Entity>,
    warnings: u64,
}

impl InMemory {
    /// Entities given per chunk.
    pub const CHUNK: usize = 10_000;

    pub fn new(entities: Vec<Entity>, warnings: u64) -> Self {
        Self {
            entities: entities.into_iter(),
            warnings,
        }
    }
}

#[async_trait]
impl EntityStream for InMemory {
    async fn next_chunk(&mut self) -> Result<Option<Vec<Entity>>, StoreError> {
        let chunk: Vec<Entity> = self.entities.by_ref().take(Self::CHUNK).collect();
        Ok((!chunk.is_empty()).then_some(chunk))
    }

    fn warning_count(&self) -> u64 {
        self.warnings
    }
}

/// A store of list versions and the statements they hold.
///
/// Every method is a complete unit of work: an import either commits whole or
/// leaves the store as it was.
#[async_trait]
pub trait Store: Send + Sync {
    /// The same store, recording the changes made through the handle it returns as made by
    /// `actor`: how a server acts for the user behind each request.
    fn for_actor(&self, actor: &str) -> std::sync::Arc<dyn Store>;

    /// Writes a new version of a dataset and its entities in one transaction, reading the
    /// entities a chunk at a time as `entities` gives them, so a list larger than memory
    /// can be imported. An error from the stream rolls the whole version back.
    ///
    /// Each value becomes a statement of `version.dataset` labelled `version.label`,
    /// with the entity's (or the value's own) origin as its source record.
    ///
    /// A version whose content hash the dataset already has is refused with
    /// [`StoreError::DuplicateVersion`], as is a second version with the same date; an
    /// entity id given twice is [`StoreError::Invalid`].
    async fn import_stream(
        &self,
        version: &NewVersion,
        entities: &mut dyn EntityStream,
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> Result<ListVersion, StoreError>;

    /// [`Store::import_stream`] for a list already in memory, with no warnings.
    async fn import_version(
        &self,
        version: &NewVersion,
        entities: &[Entity],
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> Result<ListVersion, StoreError> {
        let mut stream = InMemory::new(entities.to_vec(), 0);
        self.import_stream(version, &mut stream, progress).await
    }

    /// The stored version of `dataset` with this content hash, if any.
    async fn find_version(
        &self,
        dataset: &str,
        content_hash: &str,
    ) -> Result<Option<ListVersion>, StoreError>;

    /// Versions, oldest first within each dataset; all datasets when `dataset` is `None`.
    async fn versions(&self, dataset: Option<&str>) -> Result<Vec<ListVersion>, StoreError>;

    /// Every statement a version holds, as it was seen then.
    async fn version_statements(&self, version_id: i64) -> Result<Vec<Statement>, StoreError>;

    /// The current statements about one entity, from every dataset.
    async fn entity_statements(&self, entity_id: &str) -> Result<Vec<Statement>, StoreError>;

    /// Current statements of other entities that point at `entity_id` (sanctions, links, addresses).
    async fn referencing_statements(&self, entity_id: &str) -> Result<Vec<Statement>, StoreError>;

    /// Every current statement, ordered by entity id, handed to `sink` one at a time.
    async fn each_current_statement(
        &self,
        sink: &mut (dyn FnMut(Statement) -> Result<(), StoreError> + Send),
    ) -> Result<(), StoreError>;

    /// Counts of current entities by schema, by dataset and by sanctions program.
    async fn summary(&self) -> Result<Summary, StoreError>;

    /// Records a decided false positive (its `decided_at` is set now); a decision already
    /// recorded for the same customer and entity is replaced. Returns the stored decision.
    async fn add_suppression(&self, suppression: &Suppression) -> Result<Suppression, StoreError>;

    /// Withdraws a decision; `false` when there was none.
    async fn remove_suppression(
        &self,
        customer_id: &str,
        entity_id: &str,
    ) -> Result<bool, StoreError>;

    /// The decisions for one customer, or all of them, ordered by customer then entity.
    async fn suppressions(&self, customer_id: Option<&str>)
    -> Result<Vec<Suppression>, StoreError>;

    /// The current entities of the given schemata, merged across datasets, without provenance:
    /// what a computation over links needs, read without rebuilding every statement's history.
    async fn each_current_entity_of(
        &self,
        schemata: &[&str],
        sink: &mut (dyn FnMut(Entity) -> Result<(), StoreError> + Send),
    ) -> Result<(), StoreError>;

    /// The ids of every current entity but those of the `except` schemata, sorted.
    async fn current_entity_ids(&self, except: &[&str]) -> Result<Vec<String>, StoreError>;

    /// The parties blocked without being listed, as last stored, by entity id.
    async fn derived_statuses(&self) -> Result<Vec<DerivedStatus>, StoreError>;

    /// Replaces the stored derived statuses with these, in one transaction (their
    /// `computed_at` is set now).
    async fn replace_derived_statuses(&self, statuses: &[DerivedStatus]) -> Result<(), StoreError>;

    /// Appends a record to the audit trail on its own (a read of a restricted record, a
    /// screening run). Changes made through the store record themselves, in their own
    /// transaction: an import, a suppression added or withdrawn, derived statuses replaced.
    async fn audit_append(&self, entry: &NewAudit) -> Result<AuditRecord, StoreError>;

    /// The audit records after number `after`, oldest first, handed to `sink` one at a time.
    async fn each_audit(
        &self,
        after: i64,
        sink: &mut (dyn FnMut(AuditRecord) -> Result<(), StoreError> + Send),
    ) -> Result<(), StoreError>;

    /// Walks the audit chain from its first record and reports the first that breaks it.
    async fn audit_verify(&self) -> Result<AuditCheck, StoreError>;

    /// Records a freeze order as proposed by the store's actor; its id is given here.
    async fn propose_freeze(&self, order: &NewFreeze) -> Result<Freeze, StoreError>;

    /// Takes one step in a freeze's life as the store's actor (approve or reject a proposal,
    /// propose an unblocking with its reason, approve or turn it down). Refused with
    /// [`StoreError::Conflict`] when the freeze is no longer where the step starts (someone
    /// acted first) or when the actor proposed what is being decided.
    async fn step_freeze(&self, step: &FreezeStep) -> Result<Freeze, StoreError>;

    /// Every freeze order, oldest first.
    async fn freezes(&self) -> Result<Vec<Freeze>, StoreError>;

    /// Adds a user (its `password_hash` already made); a name taken is
    /// [`StoreError::Conflict`].
    async fn add_user(&self, user: &User) -> Result<User, StoreError>;

    /// Every user, by name.
    async fn users(&self) -> Result<Vec<User>, StoreError>;

    /// Records an API token for `user` by its hash (the token itself is never stored).
    async fn add_token(&self, user: &str, token_hash: &[u8], label: &str)
    -> Result<(), StoreError>;

    /// Disables (or enables again) a user: a disabled user's password and tokens are refused
    /// from then on. Unknown users are [`StoreError::NotFound`].
    async fn set_user_disabled(&self, user: &str, disabled: bool) -> Result<User, StoreError>;

    /// The user a token belongs to, by the token's hash.
    async fn token_user(&self, token_hash: &[u8]) -> Result<Option<User>, StoreError>;

    /// Adds customers to the stored base, or replaces their records, in one transaction; a
    /// customer whose record changed is screened anew by the next run.
    async fn import_customers(&self, customers: &[Customer]) -> Result<CustomerImport, StoreError>;

    /// Every stored customer by id, with whether the last screening run saw it as it is now.
    async fn each_customer(
        &self,
        sink: &mut (dyn FnMut(StoredCustomer) -> Result<(), StoreError> + Send),
    ) -> Result<(), StoreError>;

    /// The last screening run's parties and hits, for the next run to compare against.
    async fn screening_baseline(&self) -> Result<ScreeningBaseline, StoreError>;

    /// Records a screening run whole: its parties, hits, withdrawn hits and the alerts it
    /// raises, with its audit record, as the store's actor.
    async fn commit_screening(&self, run: &ScreeningCommit) -> Result<ScreeningRun, StoreError>;

    /// Raises alerts into the inbox; one whose dedupe key was raised before is skipped.
    /// Returns those raised.
    async fn raise_alerts(&self, alerts: &[NewAlert]) -> Result<Vec<Alert>, StoreError>;

    /// Alerts by filter, oldest first.
    async fn alerts(&self, filter: &AlertFilter) -> Result<Vec<Alert>, StoreError>;

    /// One alert.
    async fn alert(&self, id: &str) -> Result<Alert, StoreError>;

    /// Closes an open alert as `resolution` (true-match, false-positive, not-actionable) for
    /// `reason`; a screening alert closed as a false positive records a suppression.
    async fn close_alert(
        &self,
        id: &str,
        resolution: &str,
        reason: &str,
    ) -> Result<Alert, StoreError>;

    /// Opens a case (investigation, tip, or extradition / legal-assistance request) as the
    /// store's actor, taking in the open alerts it names.
    async fn open_case(&self, case: &NewCase) -> Result<Case, StoreError>;

    /// Cases by filter, oldest first; the read is audited.
    async fn cases(&self, filter: &CaseFilter) -> Result<Vec<Case>, StoreError>;

    /// A case with its links, alerts and timeline; the read is audited.
    async fn case(&self, id: &str) -> Result<CaseView, StoreError>;

    /// Takes one action on a case as the store's actor: a state change (compare-and-set;
    /// closing closes its open alerts with the same resolution), an assignment, a note, a
    /// link, a deadline.
    async fn act_on_case(&self, id: &str, action: &CaseAction) -> Result<Case, StoreError>;

    /// A tip's submitter contact; the read is audited.
    async fn tip_contact(&self, case_id: &str) -> Result<String, StoreError>;
}
