//! The store conformance suite: every backend must pass the same tests.

mod conformance;

async fn open_sqlite(path: std::path::PathBuf) -> interdict_store::SqliteStore {
    interdict_store::SqliteStore::open(path).await.unwrap()
}

store_test_suite!(sqlite, open_sqlite);
