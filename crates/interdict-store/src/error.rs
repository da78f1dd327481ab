use thiserror::Error;

/// What can go wrong in a store.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{dataset} version {version} is already stored (ingested {ingested_at})")]
    DuplicateVersion {
        dataset: String,
        version: String,
        ingested_at: String,
    },
    #[error(
        "{dataset} already has a different version dated {version}; name this one with another version date"
    )]
    VersionDateTaken { dataset: String, version: String },
    #[error("cannot open store {path}: {source}")]
    Open { path: String, source: sqlx::Error },
    #[error("store migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("store corrupt: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("invalid import: {0}")]
    Invalid(String),
    #[error("no such {kind}: {id}")]
    NotFound { kind: &'static str, id: String },
    /// The change was refused as the record stands: another decided first, or the same
    /// person may not take both steps.
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Sink(String),
}
