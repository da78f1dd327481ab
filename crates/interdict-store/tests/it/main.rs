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
    async fn a_hash_cut_short_is_a_break_not_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.db");
        let store = store_with_records(&path, 2).await;
        let mut conn = raw(&path).await;
        for sql in [
            "DROP TRIGGER audit_log_append_only_update",
            "UPDATE audit_log SET hash = x'0102' WHERE seq = 2",
        ] {
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
        let broken = store.audit_verify().await.unwrap().broken.unwrap();
        assert_eq!(broken.seq, 2);
        assert!(broken.reason.contains("32 bytes"), "{}", broken.reason);
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

/// Freeze orders: four eyes on every decision, and of two deciding at once one wins.
mod sqlite_freeze {
    use interdict_store::{FreezeStep, NewFreeze, SqliteStore, Store, StoreError};

    fn order() -> NewFreeze {
        NewFreeze {
            asset_kind: "account".into(),
            asset: "DE89370400440532013000".into(),
            description: "current account of Inmobiliaria Frente SA".into(),
            holder_id: Some("reg-front".into()),
            holder_name: "Inmobiliaria Frente SA".into(),
            basis: "60% owned by ofac-17671 (CJNG)".into(),
            program: "SDNTK".into(),
            value: "125000.50".into(),
            currency: "USD".into(),
            location: "Guadalajara, MX".into(),
            institution: "Banco Ejemplo".into(),
        }
    }

    fn step(id: &str, from: &str, to: &str, reason: Option<&str>) -> FreezeStep {
        FreezeStep {
            id: id.into(),
            from: from.into(),
            to: to.into(),
            reason: reason.map(String::from),
        }
    }

    #[tokio::test]
    async fn a_freeze_needs_a_second_person_at_each_decision() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("s.db")).await.unwrap();
        let (ana, bob) = (store.acting_as("ana"), store.acting_as("bob"));
        let proposed = ana.propose_freeze(&order()).await.unwrap();
        assert_eq!(
            (proposed.id.as_str(), proposed.state.as_str()),
            ("frz-1", "proposed")
        );
        assert_eq!(proposed.proposed_by, "ana");
        let own = ana
            .step_freeze(&step("frz-1", "proposed", "blocked", None))
            .await;
        match own {
            Err(StoreError::Conflict(m)) => assert!(m.contains("another person"), "{m}"),
            other => panic!("{other:?}"),
        }
        let blocked = bob
            .step_freeze(&step("frz-1", "proposed", "blocked", None))
            .await
            .unwrap();
        assert_eq!(
            (blocked.state.as_str(), blocked.decided_by.as_deref()),
            ("blocked", Some("bob"))
        );
        // Deciding again, or a step the life of a freeze does not have, is refused.
        for (from, to) in [("proposed", "rejected"), ("blocked", "proposed")] {
            let refused = bob.step_freeze(&step("frz-1", from, to, None)).await;
            assert!(
                matches!(refused, Err(StoreError::Conflict(_))),
                "{refused:?}"
            );
        }
        let no_reason = bob
            .step_freeze(&step("frz-1", "blocked", "unblock-proposed", Some(" ")))
            .await;
        assert!(
            matches!(no_reason, Err(StoreError::Invalid(_))),
            "{no_reason:?}"
        );
        bob.step_freeze(&step(
            "frz-1",
            "blocked",
            "unblock-proposed",
            Some("delisted 2026-11-20"),
        ))
        .await
        .unwrap();
        let own = bob
            .step_freeze(&step("frz-1", "unblock-proposed", "unblocked", None))
            .await;
        assert!(matches!(own, Err(StoreError::Conflict(_))), "{own:?}");
        let done = ana
            .step_freeze(&step("frz-1", "unblock-proposed", "unblocked", None))
            .await
            .unwrap();
        assert_eq!(done.state, "unblocked");
        assert_eq!(done.unblock_reason.as_deref(), Some("delisted 2026-11-20"));
        assert!(matches!(
            ana.step_freeze(&step("frz-9", "proposed", "blocked", None))
                .await,
            Err(StoreError::NotFound { .. })
        ));
        // Every step that happened is in the audit trail, by whom it was taken; refusals
        // changed nothing and recorded nothing.
        let mut trail = Vec::new();
        store
            .each_audit(0, &mut |r| {
                trail.push(format!("{} {}", r.actor, r.action));
                Ok(())
            })
            .await
            .unwrap();
        assert_eq!(
            trail,
            [
                "ana freeze.propose",
                "bob freeze.blocked",
                "bob freeze.unblock-proposed",
                "ana freeze.unblocked"
            ]
        );
        assert!(store.audit_verify().await.unwrap().broken.is_none());
        // A bad order is refused by field, and nothing is recorded.
        let mut bad = order();
        bad.asset_kind = "yacht-club".into();
        assert!(matches!(
            ana.propose_freeze(&bad).await,
            Err(StoreError::Invalid(_))
        ));
        let mut long = order();
        long.description = "x".repeat(5_000);
        match ana.propose_freeze(&long).await {
            Err(StoreError::Invalid(m)) => assert!(m.contains("description"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(store.freezes().await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn a_rejected_proposal_and_a_turned_down_unblocking() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("s.db")).await.unwrap();
        let (ana, bob) = (store.acting_as("ana"), store.acting_as("bob"));
        ana.propose_freeze(&order()).await.unwrap();
        let rejected = bob
            .step_freeze(&step("frz-1", "proposed", "rejected", None))
            .await
            .unwrap();
        assert_eq!(rejected.state, "rejected");
        // A rejected freeze goes nowhere.
        let dead = bob
            .step_freeze(&step("frz-1", "rejected", "blocked", None))
            .await;
        assert!(matches!(dead, Err(StoreError::Conflict(_))), "{dead:?}");
        ana.propose_freeze(&order()).await.unwrap();
        bob.step_freeze(&step("frz-2", "proposed", "blocked", None))
            .await
            .unwrap();
        ana.step_freeze(&step("frz-2", "blocked", "unblock-proposed", Some("error")))
            .await
            .unwrap();
        let kept = bob
            .step_freeze(&step("frz-2", "unblock-proposed", "blocked", None))
            .await
            .unwrap();
        assert_eq!(kept.state, "blocked");
        assert_eq!(kept.unblock_reason, None);
        assert_eq!(kept.decided_by.as_deref(), Some("bob"));
    }

    #[tokio::test]
    async fn of_two_approvers_at_once_exactly_one_wins() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("s.db")).await.unwrap();
        let ana = store.acting_as("ana");
        for round in 1..=20 {
            let id = ana.propose_freeze(&order()).await.unwrap().id;
            assert_eq!(id, format!("frz-{round}"));
            let (bob, dave) = (store.acting_as("bob"), store.acting_as("dave"));
            let approve = step(&id, "proposed", "blocked", None);
            let reject = step(&id, "proposed", "rejected", None);
            let (a, b) = tokio::join!(bob.step_freeze(&approve), dave.step_freeze(&reject));
            let wins = [a.is_ok(), b.is_ok()];
            assert_eq!(
                wins.iter().filter(|w| **w).count(),
                1,
                "round {round}: {a:?} {b:?}"
            );
            let lost = if a.is_ok() { b } else { a };
            match lost {
                Err(StoreError::Conflict(m)) => assert!(m.contains("someone acted first"), "{m}"),
                other => panic!("{other:?}"),
            }
        }
        let states: Vec<String> = store
            .freezes()
            .await
            .unwrap()
            .into_iter()
            .map(|f| f.state)
            .collect();
        assert!(states.iter().all(|s| s == "blocked" || s == "rejected"));
        assert_eq!(store.audit_verify().await.unwrap().records, 40);
    }
}
