//! The store conformance suite: every backend must pass the same tests.

mod conformance;

async fn open_sqlite(path: std::path::PathBuf) -> interdict_store::SqliteStore {
    interdict_store::SqliteStore::open(path).await.unwrap()
}

store_test_suite!(sqlite, open_sqlite);

/// The audit trail in the SQLite file: SQL refuses edits, and an edit made anyway (the
/// triggers dropped, or the file patched) breaks the chain where it was made.
mod sqlite_audit {
    use interdict_store::{NewAudit, SqliteStore, Store, record_hash};
    use sqlx::{Connection, SqliteConnection};

    async fn store_with_records(path: &std::path::Path, n: usize) -> SqliteStore {
        let store = SqliteStore::open(path).await.unwrap().acting_as("ana");
        for i in 0..n {
            let entry = NewAudit {
                action: "case.read".into(),
                subject: format!("case-{i}"),
                detail: serde_json::json!({ "i": i }),
            };
            store.audit_append(&entry).await.unwrap();
        }
        store
    }

    async fn raw(path: &std::path::Path) -> SqliteConnection {
        let url = format!("sqlite://{}", path.display());
        SqliteConnection::connect(&url).await.unwrap()
    }

    #[tokio::test]
    async fn edits_are_refused_and_an_edit_made_anyway_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.db");
        let store = store_with_records(&path, 4).await;
        assert_eq!(store.audit_verify().await.unwrap().records, 4);
        let mut conn = raw(&path).await;
        for sql in [
            "UPDATE audit_log SET actor = 'bob' WHERE seq = 2",
            "DELETE FROM audit_log WHERE seq = 2",
        ] {
            let refused = sqlx::query(sql).execute(&mut conn).await.unwrap_err();
            assert!(refused.to_string().contains("append-only"), "{refused}");
        }
        sqlx::query("DROP TRIGGER audit_log_append_only_update")
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_log SET actor = 'bob' WHERE seq = 2")
            .execute(&mut conn)
            .await
            .unwrap();
        let check = store.audit_verify().await.unwrap();
        let broken = check.broken.unwrap();
        assert_eq!(broken.seq, 2);
        assert!(broken.reason.contains("content"), "{}", broken.reason);

        // Rewriting the record's own hash too, as one who knows the algorithm would, moves
        // the break to the next record, whose previous hash no longer matches.
        let (at, action, subject, detail, prev): (String, String, String, String, Vec<u8>) =
            sqlx::query_as(
                "SELECT at, action, subject, detail, prev_hash FROM audit_log WHERE seq = 2",
            )
            .fetch_one(&mut conn)
            .await
            .unwrap();
        let prev: [u8; 32] = prev.try_into().unwrap();
        let forged = record_hash(&prev, 2, [&at, "bob", &action, &subject, &detail]);
        sqlx::query("UPDATE audit_log SET hash = ? WHERE seq = 2")
            .bind(&forged[..])
            .execute(&mut conn)
            .await
            .unwrap();
        let broken = store.audit_verify().await.unwrap().broken.unwrap();
        assert_eq!(broken.seq, 3);
        assert!(broken.reason.contains("previous hash"), "{}", broken.reason);
    }

    #[tokio::test]
    async fn a_removed_record_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.db");
        let store = store_with_records(&path, 3).await;
        let mut conn = raw(&path).await;
        sqlx::query("DROP TRIGGER audit_log_append_only_delete")
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("DELETE FROM audit_log WHERE seq = 2")
            .execute(&mut conn)
            .await
            .unwrap();
        let broken = store.audit_verify().await.unwrap().broken.unwrap();
        assert_eq!(broken.seq, 3);
        assert!(
            broken.reason.contains("record 2 is missing"),
            "{}",
            broken.reason
        );
        // The last record removed is not a break in what is left: the chain is checked up
        // to its end, and who holds the last hash (an export) can tell it is short.
    }
}
