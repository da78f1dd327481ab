//! `interdict audit`: changes made through the CLI land in the hash-chained trail, which
//! `verify` walks; an edit of the file is caught and named.

use crate::{bundled_store, interdict, ok};

#[test]
fn changes_are_audited_and_an_edited_record_fails_verify() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    std::fs::copy(bundled_store(), &db).unwrap();
    let said = ok(
        &db,
        &[
            "--as",
            "ana",
            "suppress",
            "add",
            "--customer",
            "c-9",
            "--entity",
            "ofac-6861",
            "--reason",
            "another birth date",
            "--by",
            "ana",
        ],
    );
    assert!(!said.is_empty());
    let verified = ok(&db, &["audit", "verify"]);
    assert!(verified.contains("audit trail intact"), "{verified}");
    let export = dir.path().join("audit.jsonl");
    ok(
        &db,
        &["audit", "export", "--output", export.to_str().unwrap()],
    );
    let records: Vec<serde_json::Value> = std::fs::read_to_string(&export)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The bundled lists' ingests first, then the decision, made as `--as` says.
    let ingests = records
        .iter()
        .filter(|r| r["action"] == "list.ingest")
        .count();
    assert!(ingests >= 2, "{records:#?}");
    let last = records.last().unwrap();
    assert_eq!(last["action"], "suppression.add");
    assert_eq!(last["actor"], "ana");
    assert_eq!(last["subject"], "c-9 ofac-6861");
    let n = last["seq"].as_i64().unwrap();

    // Someone edits the decision's record in the file, past the triggers that refuse it.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        use sqlx::Connection;
        let url = format!("sqlite://{}", db.display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        for sql in [
            "DROP TRIGGER audit_log_append_only_update",
            "UPDATE audit_log SET detail = '{\"reason\":\"it was him after all\"}' WHERE action = 'suppression.add'",
        ] {
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
    });
    let out = interdict(&db, &["audit", "verify"]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains(&format!("audit trail broken at record {n}")),
        "{said}"
    );
    let out = interdict(&db, &["audit", "verify", "--json"]);
    assert!(!out.status.success());
    let check: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(check["broken"]["seq"], n);
}
