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

mod error;
mod sqlite;
mod state;
mod types;

use async_trait::async_trait;
use interdict_model::{Entity, Statement};

pub use error::StoreError;
pub use sqlite::SqliteStore;
pub use types::{DerivedStatus, ImportProgress, ListVersion, NewVersion, Summary, Suppression};

/// A store of list versions and the statements they hold.
///
/// Every method is a complete unit of work: an import either commits whole or
/// leaves the store as it was.
#[async_trait]
pub trait Store: Send + Sync {
    /// Writes a new version of a dataset and its entities in one transaction.
    ///
    /// Each value becomes a statement of `version.dataset` labelled `version.label`,
    /// with the entity's (or the value's own) origin as its source record.
    ///
    /// A version whose content hash the dataset already has is refused with
    /// [`StoreError::DuplicateVersion`], as is a second version with the same date.
    async fn import_version(
        &self,
        version: &NewVersion,
        entities: &[Entity],
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> Result<ListVersion, StoreError>;

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

    /// The ids of every current entity, sorted.
    async fn current_entity_ids(&self) -> Result<Vec<String>, StoreError>;

    /// The parties blocked without being listed, as last stored, by entity id.
    async fn derived_statuses(&self) -> Result<Vec<DerivedStatus>, StoreError>;

    /// Replaces the stored derived statuses with these, in one transaction (their
    /// `computed_at` is set now).
    async fn replace_derived_statuses(&self, statuses: &[DerivedStatus]) -> Result<(), StoreError>;
}
