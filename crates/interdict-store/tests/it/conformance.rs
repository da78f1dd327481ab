//! Tests written against the `Store` trait only; `store_test_suite!` runs them per backend.

use interdict_model::{Entity, Label, Statement};
use interdict_store::{
    AlertFilter, AuditRecord, CaseAction, CaseFilter, Customer, DerivedStatus, EntityStream, Hit,
    ListVersion, NewAlert, NewAudit, NewCase, NewVersion, ScreeningCommit, Store, StoreError,
    Suppression,
};

fn person(id: &str, name: &str, extra: &[(&str, &str)]) -> Entity {
    let mut e = Entity::new(id, "Person")
        .unwrap()
        .with_origin(format!("sdn.csv#{id}"));
    e.add("name", name).unwrap();
    for (prop, value) in extra {
        e.add(prop, value).unwrap();
    }
    e
}

fn sanction(id: &str, target: &str, program: &str) -> Entity {
    let mut e = Entity::new(id, "Sanction").unwrap();
    e.add("entity", target).unwrap();
    e.add("program", program).unwrap();
    e
}

fn statements(entities: &[Entity], dataset: &str, date: &str) -> Vec<Statement> {
    entities
        .iter()
        .flat_map(|e| Statement::from_entity(e, dataset, date, &Label::public()))
        .collect()
}

fn version(dataset: &str, date: &str, hash: &str) -> NewVersion {
    NewVersion {
        label: Label::public(),
        dataset: dataset.into(),
        version: date.into(),
        content_hash: hash.into(),
        files: vec!["sdn.csv".into()],
    }
}

async fn import(
    store: &dyn Store,
    v: NewVersion,
    entities: &[Entity],
) -> Result<ListVersion, StoreError> {
    store.import_version(&v, entities, &|_| {}).await
}

fn v2021() -> Vec<Entity> {
    vec![
        person("ofac-1", "ZAMBADA, Ismael", &[("birthDate", "1948-01-01")]),
        person("ofac-2", "GONE, Person", &[]),
        sanction("ofac-san-1", "ofac-1", "SDNTK"),
        sanction("ofac-san-2", "ofac-2", "SDNTK"),
    ]
}

fn v2024() -> Vec<Entity> {
    vec![
        person(
            "ofac-1",
            "ZAMBADA, Ismael",
            &[("birthDate", "1948-01-01"), ("alias", "EL MAYO")],
        ),
        person("ofac-3", "NEW, Person", &[]),
        sanction("ofac-san-1", "ofac-1", "SDNTK"),
        sanction("ofac-san-3", "ofac-3", "ILLICIT-DRUGS-EO14059"),
    ]
}

pub async fn versions_are_listed_and_current_follows_the_newest(store: &dyn Store) {
    let old = import(store, version("ofac-sdn", "2021-07-07", "h1"), &v2021())
        .await
        .unwrap();
    let new = import(store, version("ofac-sdn", "2024-05-03", "h2"), &v2024())
        .await
        .unwrap();
    let listed = store.versions(Some("ofac-sdn")).await.unwrap();
    assert_eq!(listed, vec![old.clone(), new.clone()]);
    assert_eq!(
        new.statement_count,
        statements(&v2024(), "ofac-sdn", "x").len() as u64
    );
    assert!(
        store.entity_statements("ofac-2").await.unwrap().is_empty(),
        "removed entity still current"
    );
    let zambada = store.entity_statements("ofac-1").await.unwrap();
    let name = zambada.iter().find(|s| s.prop == "name").unwrap();
    assert_eq!(
        (
            name.provenance.first_seen.as_str(),
            name.provenance.last_seen.as_str()
        ),
        ("2021-07-07", "2024-05-03")
    );
    let alias = zambada.iter().find(|s| s.prop == "alias").unwrap();
    assert_eq!(alias.provenance.first_seen, "2024-05-03");
    assert_eq!(name.provenance.source_id.as_deref(), Some("sdn.csv#ofac-1"));
}

pub async fn an_older_version_ingested_later_does_not_become_current(store: &dyn Store) {
    import(store, version("ofac-sdn", "2024-05-03", "h2"), &v2024())
        .await
        .unwrap();
    import(store, version("ofac-sdn", "2021-07-07", "h1"), &v2021())
        .await
        .unwrap();
    assert!(store.entity_statements("ofac-2").await.unwrap().is_empty());
    assert_eq!(store.entity_statements("ofac-3").await.unwrap().len(), 1);
    let name = store.entity_statements("ofac-1").await.unwrap();
    let name = name.iter().find(|s| s.prop == "name").unwrap();
    assert_eq!(name.provenance.first_seen, "2021-07-07");
    assert_eq!(name.provenance.last_seen, "2024-05-03");
}

pub async fn version_statements_are_exactly_what_was_imported(store: &dyn Store) {
    let old = import(store, version("ofac-sdn", "2021-07-07", "h1"), &v2021())
        .await
        .unwrap();
    import(store, version("ofac-sdn", "2024-05-03", "h2"), &v2024())
        .await
        .unwrap();
    let mut got: Vec<_> = store
        .version_statements(old.id)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    let mut want: Vec<_> = statements(&v2021(), "ofac-sdn", "x")
        .iter()
        .map(|s| s.id)
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

pub async fn the_same_content_twice_is_refused_and_changes_nothing(store: &dyn Store) {
    import(store, version("ofac-sdn", "2021-07-07", "h1"), &v2021())
        .await
        .unwrap();
    let before = store.summary().await.unwrap();
    let again = import(store, version("ofac-sdn", "2021-07-08", "h1"), &v2021()).await;
    assert!(
        matches!(again, Err(StoreError::DuplicateVersion { .. })),
        "{again:?}"
    );
    let same_date = import(store, version("ofac-sdn", "2021-07-07", "h9"), &v2024()).await;
    assert!(
        matches!(same_date, Err(StoreError::VersionDateTaken { .. })),
        "{same_date:?}"
    );
    assert_eq!(store.summary().await.unwrap(), before);
    assert_eq!(store.versions(None).await.unwrap().len(), 1);
    assert!(
        store
            .find_version("ofac-sdn", "h1")
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .find_version("ofac-sdn", "h9")
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn links_are_found_from_the_target(store: &dyn Store) {
    import(store, version("ofac-sdn", "2024-05-03", "h2"), &v2024())
        .await
        .unwrap();
    let refs = store.referencing_statements("ofac-3").await.unwrap();
    assert_eq!(refs.len(), 1);
    assert_eq!(
        (refs[0].entity_id.as_str(), refs[0].prop.as_str()),
        ("ofac-san-3", "entity")
    );
}

pub async fn summary_counts_schemata_datasets_and_programs(store: &dyn Store) {
    import(store, version("ofac-sdn", "2024-05-03", "h2"), &v2024())
        .await
        .unwrap();
    let un = [
        person("un-QDi.1", "A B", &[]),
        sanction("un-san-1", "un-QDi.1", "Al-Qaida"),
    ];
    import(store, version("un-sc", "2026-02-27", "u1"), &un)
        .await
        .unwrap();
    let summary = store.summary().await.unwrap();
    assert_eq!(summary.entities, 6);
    assert_eq!(summary.by_schema["Person"], 3);
    assert_eq!(summary.by_schema["Sanction"], 3);
    assert_eq!(summary.by_dataset["ofac-sdn"], 2);
    assert_eq!(summary.by_dataset["un-sc"], 1);
    assert_eq!(summary.by_program["SDNTK"], 1);
    assert_eq!(summary.by_program["Al-Qaida"], 1);
}

pub async fn current_statements_stream_grouped_by_entity(store: &dyn Store) {
    import(store, version("ofac-sdn", "2024-05-03", "h2"), &v2024())
        .await
        .unwrap();
    let mut seen = Vec::new();
    store
        .each_current_statement(&mut |s| {
            seen.push(s.entity_id);
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(seen.len(), statements(&v2024(), "ofac-sdn", "x").len());
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "statements are not grouped by entity");
}

fn decision(customer: &str, entity: &str, reason: &str) -> Suppression {
    Suppression {
        customer_id: customer.into(),
        entity_id: entity.into(),
        reason: reason.into(),
        decided_by: "analyst-1".into(),
        decided_at: String::new(),
    }
}

pub async fn suppressions_are_kept_per_customer_replaced_and_withdrawn(store: &dyn Store) {
    let stored = store
        .add_suppression(&decision("c-2", "ofac-1", "other birth date"))
        .await
        .unwrap();
    assert_eq!(stored.decided_at.len(), "2026-11-22T11:00:00Z".len());
    store
        .add_suppression(&decision("c-1", "ofac-2", "different person"))
        .await
        .unwrap();
    store
        .add_suppression(&decision("c-2", "ofac-1", "other nationality"))
        .await
        .unwrap();
    let all = store.suppressions(None).await.unwrap();
    let keys: Vec<(&str, &str, &str)> = all
        .iter()
        .map(|s| {
            (
                s.customer_id.as_str(),
                s.entity_id.as_str(),
                s.reason.as_str(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            ("c-1", "ofac-2", "different person"),
            ("c-2", "ofac-1", "other nationality")
        ]
    );
    assert_eq!(store.suppressions(Some("c-1")).await.unwrap().len(), 1);
    assert!(store.remove_suppression("c-1", "ofac-2").await.unwrap());
    assert!(!store.remove_suppression("c-1", "ofac-2").await.unwrap());
    assert!(store.suppressions(Some("c-1")).await.unwrap().is_empty());
    let empty = store.add_suppression(&decision("c-3", "ofac-1", " ")).await;
    assert!(matches!(empty, Err(StoreError::Invalid(m)) if m.contains("reason")));
}

fn derived(id: &str, basis: &str) -> DerivedStatus {
    DerivedStatus {
        entity_id: id.into(),
        basis: basis.into(),
        held: "50".into(),
        mode: "ofac".into(),
        as_of: "2026-11-22".into(),
        computed_at: String::new(),
    }
}

pub async fn derived_statuses_are_replaced_whole(store: &dyn Store) {
    assert!(store.derived_statuses().await.unwrap().is_empty());
    let first: Vec<DerivedStatus> = (0..12_000)
        .map(|n| derived(&format!("co-{n:05}"), "ownership"))
        .collect();
    store.replace_derived_statuses(&first).await.unwrap();
    let stored = store.derived_statuses().await.unwrap();
    assert_eq!(stored.len(), 12_000);
    assert_eq!(stored[0].entity_id, "co-00000");
    assert!(!stored[0].computed_at.is_empty());
    store
        .replace_derived_statuses(&[derived("co-b", "control"), derived("co-a", "ownership")])
        .await
        .unwrap();
    let ids: Vec<(String, String)> = store
        .derived_statuses()
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.entity_id, s.basis))
        .collect();
    assert_eq!(
        ids,
        [
            ("co-a".to_string(), "ownership".to_string()),
            ("co-b".to_string(), "control".to_string())
        ]
    );
}

pub async fn entities_of_some_schemata_are_read_without_provenance(store: &dyn Store) {
    import(store, version("ofac-sdn", "2024-05-03", "h2"), &v2024())
        .await
        .unwrap();
    let mut seen: Vec<(String, String)> = Vec::new();
    store
        .each_current_entity_of(&["Sanction"], &mut |e| {
            seen.push((
                e.id.clone(),
                e.first("entity").unwrap_or_default().to_string(),
            ));
            Ok(())
        })
        .await
        .unwrap();
    let expected: Vec<(String, String)> = v2024()
        .iter()
        .filter(|e| e.schema.name == "Sanction")
        .map(|e| (e.id.clone(), e.first("entity").unwrap().to_string()))
        .collect();
    let mut expected = expected;
    expected.sort();
    assert_eq!(seen, expected);
    let mut ids: Vec<String> = v2024().iter().map(|e| e.id.clone()).collect();
    ids.sort();
    assert_eq!(store.current_entity_ids(&[]).await.unwrap(), ids);
    let mut parties: Vec<String> = v2024()
        .iter()
        .filter(|e| e.schema.name != "Sanction")
        .map(|e| e.id.clone())
        .collect();
    parties.sort();
    assert_ne!(parties, ids);
    assert_eq!(
        store.current_entity_ids(&["Sanction"]).await.unwrap(),
        parties
    );
}

pub async fn bulk_reads_cross_page_boundaries(store: &dyn Store) {
    // More than one page of the SQLite backend's bulk reads (20,000 rows).
    let people: Vec<Entity> = (0..20_005)
        .map(|n| person(&format!("p-{n:05}"), &format!("PERSON {n}"), &[]))
        .collect();
    import(store, version("ofac-sdn", "2024-05-03", "bulk"), &people)
        .await
        .unwrap();
    let mut read: Vec<String> = Vec::new();
    store
        .each_current_entity_of(&["Person"], &mut |e| {
            read.push(e.id);
            Ok(())
        })
        .await
        .unwrap();
    let ids: Vec<String> = people.iter().map(|e| e.id.clone()).collect();
    assert_eq!(read, ids);
    assert_eq!(store.current_entity_ids(&[]).await.unwrap(), ids);

    // The last person of the first page is also on a second list: its rows straddle the page
    // boundary and must still come back as one entity with both lists' names.
    let also = person("p-19999", "PERSON 19999", &[("alias", "OTHER LIST NAME")]);
    import(store, version("un-sc", "2026-02-27", "bulk-un"), &[also])
        .await
        .unwrap();
    let mut straddling = None;
    let mut count = 0;
    store
        .each_current_entity_of(&["Person"], &mut |e| {
            count += 1;
            if e.id == "p-19999" {
                straddling = Some(e);
            }
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(count, 20_005);
    let merged = straddling.unwrap();
    assert_eq!(merged.first("alias"), Some("OTHER LIST NAME"));
}

/// Gives its chunks, then fails if told to: a reader that breaks part-way.
struct Chunks {
    chunks: std::vec::IntoIter<Vec<Entity>>,
    fail_at_end: bool,
}

#[async_trait::async_trait]
impl EntityStream for Chunks {
    async fn next_chunk(&mut self) -> Result<Option<Vec<Entity>>, StoreError> {
        match self.chunks.next() {
            Some(chunk) => Ok(Some(chunk)),
            None if self.fail_at_end => Err(StoreError::Sink("the reader broke".into())),
            None => Ok(None),
        }
    }

    fn warning_count(&self) -> u64 {
        7
    }
}

pub async fn a_streamed_import_commits_whole_or_not_at_all(store: &dyn Store) {
    let all = v2021();
    let (first, second) = (all[..2].to_vec(), all[2..].to_vec());
    let mut broken = Chunks {
        chunks: vec![first.clone(), second.clone()].into_iter(),
        fail_at_end: true,
    };
    let v = version("ofac-sdn", "2021-07-07", "h1");
    let failed = store.import_stream(&v, &mut broken, &|_| {}).await;
    assert!(matches!(failed, Err(StoreError::Sink(_))), "{failed:?}");
    assert!(store.versions(None).await.unwrap().is_empty());
    assert_eq!(store.summary().await.unwrap().entities, 0);

    // The same id in two chunks is refused by name, and nothing is kept.
    let mut twice = Chunks {
        chunks: vec![first.clone(), vec![second[0].clone(), first[1].clone()]].into_iter(),
        fail_at_end: false,
    };
    let refused = store.import_stream(&v, &mut twice, &|_| {}).await;
    match refused {
        Err(StoreError::Invalid(message)) => {
            assert!(message.contains(&first[1].id), "{message}")
        }
        other => panic!("{other:?}"),
    }
    assert!(store.versions(None).await.unwrap().is_empty());

    let mut whole = Chunks {
        chunks: vec![first, second].into_iter(),
        fail_at_end: false,
    };
    let stored = store.import_stream(&v, &mut whole, &|_| {}).await.unwrap();
    assert_eq!((stored.entity_count, stored.warning_count), (4, 7));
    assert_eq!(store.versions(None).await.unwrap(), vec![stored]);
    assert_eq!(store.summary().await.unwrap().entities, 4);
}

/// Every change records itself in the audit trail, in order, chained by hash; a failed
/// import records nothing.
pub async fn changes_are_audited_in_order_and_chained(store: &dyn Store) {
    let mut broken = Chunks {
        chunks: vec![v2021()].into_iter(),
        fail_at_end: true,
    };
    let v = version("ofac-sdn", "2021-07-07", "h1");
    assert!(store.import_stream(&v, &mut broken, &|_| {}).await.is_err());
    store.import_version(&v, &v2021(), &|_| {}).await.unwrap();
    let decision = Suppression {
        customer_id: "c-1".into(),
        entity_id: "ofac-1".into(),
        reason: "another birth date".into(),
        decided_by: "ana".into(),
        decided_at: String::new(),
    };
    store.add_suppression(&decision).await.unwrap();
    assert!(store.remove_suppression("c-1", "ofac-1").await.unwrap());
    // Withdrawing nothing changes nothing, and records nothing.
    assert!(!store.remove_suppression("c-1", "ofac-1").await.unwrap());
    store.replace_derived_statuses(&[]).await.unwrap();
    let read = NewAudit {
        action: "case.read".into(),
        subject: "case-7".into(),
        detail: serde_json::json!({ "why": "review" }),
    };
    // A handle for another actor records its changes as theirs.
    let appended = store.for_actor("dora").audit_append(&read).await.unwrap();
    assert_eq!((appended.seq, appended.actor.as_str()), (5, "dora"));

    let mut records: Vec<AuditRecord> = Vec::new();
    store
        .each_audit(0, &mut |r| {
            records.push(r);
            Ok(())
        })
        .await
        .unwrap();
    let actions: Vec<&str> = records.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "list.ingest",
            "suppression.add",
            "suppression.remove",
            "derived.replace",
            "case.read"
        ]
    );
    assert_eq!(records[0].subject, "ofac-sdn 2021-07-07");
    assert_eq!(records[4], appended);
    assert_eq!(records[0].prev_hash, "0".repeat(64));
    for pair in records.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash);
        assert_eq!(pair[1].seq, pair[0].seq + 1);
    }
    let check = store.audit_verify().await.unwrap();
    assert_eq!((check.records, check.broken), (5, None));
    // Records after a number, for an export that resumes.
    let mut later = Vec::new();
    store
        .each_audit(3, &mut |r| {
            later.push(r.seq);
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(later, [4, 5]);
    // A record without an action is refused, and nothing is appended.
    let empty = NewAudit {
        action: " ".into(),
        ..read
    };
    assert!(matches!(
        store.audit_append(&empty).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.audit_verify().await.unwrap().records, 5);
}

fn customer(id: &str, name: &str) -> Customer {
    Customer {
        id: id.into(),
        name: name.into(),
        schema: Some("Person".into()),
        birth_date: None,
        country: None,
        id_number: None,
        gender: None,
    }
}

fn screening_alert(customer: &str, entity: &str) -> NewAlert {
    NewAlert {
        source: "screening".into(),
        dedupe: format!("screening {customer} {entity} f1"),
        subject: customer.into(),
        entity_id: Some(entity.into()),
        score: Some(0.93),
        severity: "high".into(),
        summary: format!("{customer} resembles {entity}"),
        detail: serde_json::json!({ "features": { "name": 0.93 } }),
    }
}

async fn actions(store: &dyn Store) -> Vec<String> {
    let mut actions = Vec::new();
    store
        .each_audit(0, &mut |r| {
            actions.push(r.action);
            Ok(())
        })
        .await
        .unwrap();
    actions
}

async fn unscreened(store: &dyn Store) -> Vec<String> {
    let mut ids = Vec::new();
    store
        .each_customer(&mut |c| {
            if !c.screened {
                ids.push(c.customer.id);
            }
            Ok(())
        })
        .await
        .unwrap();
    ids
}

pub async fn customers_are_screened_once_as_they_are(store: &dyn Store) {
    let first = [customer("c-1", "Ana Diaz"), customer("c-2", "Luis Soto")];
    let done = store.import_customers(&first).await.unwrap();
    assert_eq!((done.added, done.changed, done.unchanged), (2, 0, 0));
    assert_eq!(unscreened(store).await, ["c-1", "c-2"]);
    let base = store.screening_baseline().await.unwrap();
    assert_eq!((base.run, base.hits.len()), (0, 0));
    // A customer imported after the baseline was read waits for the next run.
    store
        .import_customers(&[customer("c-late", "Late Comer")])
        .await
        .unwrap();
    let hit = Hit {
        customer_id: "c-1".into(),
        entity_id: "ofac-1".into(),
        score: 0.93,
        fingerprint: "f1".into(),
    };
    let run = ScreeningCommit {
        after_run: 0,
        customers_upto: base.customers_upto,
        fingerprints: vec![("ofac-1".into(), "f1".into())],
        hits: vec![hit.clone()],
        withdrawn: vec![],
        alerts: vec![screening_alert("c-1", "ofac-1")],
        detail: serde_json::json!({ "threshold": 0.7 }),
    };
    let committed = store.commit_screening(&run).await.unwrap();
    assert_eq!((committed.run, committed.alerts.len()), (1, 1));
    assert_eq!(unscreened(store).await, ["c-late"]);
    assert_eq!(
        store.screening_baseline().await.unwrap().last_detail["threshold"],
        0.7
    );
    // A run that read the base before this one committed is refused whole.
    let stale = store.commit_screening(&run).await.unwrap_err();
    assert!(matches!(stale, StoreError::Conflict(_)), "{stale}");
    assert_eq!(
        store.alerts(&AlertFilter::default()).await.unwrap().len(),
        1
    );
    let base = store.screening_baseline().await.unwrap();
    assert_eq!(base.run, 1);
    assert_eq!(base.hits, [hit]);
    assert_eq!(
        base.fingerprints,
        [("ofac-1".to_string(), "f1".to_string())]
    );
    // A changed record is screened anew; an unchanged one is not.
    let again = [
        customer("c-1", "Ana Diaz"),
        customer("c-2", "Luis Soto Ruiz"),
    ];
    let done = store.import_customers(&again).await.unwrap();
    assert_eq!((done.added, done.changed, done.unchanged), (0, 1, 1));
    assert_eq!(unscreened(store).await, ["c-2", "c-late"]);
    // The same alert again (same dedupe key) is not raised twice.
    let next = ScreeningCommit {
        after_run: 1,
        customers_upto: store.screening_baseline().await.unwrap().customers_upto,
        withdrawn: vec![("c-1".into(), "ofac-1".into())],
        hits: vec![],
        ..run
    };
    let committed = store.commit_screening(&next).await.unwrap();
    assert_eq!((committed.run, committed.alerts.len()), (2, 0));
    assert!(store.screening_baseline().await.unwrap().hits.is_empty());
    // Bad customers are refused by position and field, and nothing is kept.
    let mut long = customer("c-3", "x");
    long.name = "x".repeat(5_000);
    let refused = store
        .import_customers(&[customer("c-9", "Nine"), long])
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("customer 2 (c-3): name"),
        "{refused}"
    );
    let twice = store
        .import_customers(&[customer("c-9", "A"), customer("c-9", "B")])
        .await
        .unwrap_err();
    assert!(twice.to_string().contains("given twice"), "{twice}");
    // The second run covered c-2; c-9 of the refused imports was never stored.
    assert!(unscreened(store).await.is_empty());
    let audited = actions(store).await;
    assert_eq!(
        audited,
        [
            "customers.import",
            "customers.import",
            "alert.raise",
            "screening.run",
            "customers.import",
            "screening.run"
        ]
    );
}

pub async fn a_false_positive_alert_becomes_a_suppression(store: &dyn Store) {
    let raised = store
        .raise_alerts(&[
            screening_alert("c-1", "ofac-1"),
            screening_alert("c-1", "ofac-1"),
        ])
        .await
        .unwrap();
    assert_eq!(raised.len(), 1, "one alert per dedupe key");
    let id = raised[0].id.clone();
    let bad = store.close_alert(&id, "maybe", "unsure").await.unwrap_err();
    assert!(matches!(bad, StoreError::Invalid(_)), "{bad}");
    let closed = store
        .close_alert(&id, "false-positive", "born 1961, not 1975")
        .await
        .unwrap();
    assert_eq!(closed.state, "closed");
    assert_eq!(closed.resolution.as_deref(), Some("false-positive"));
    let kept = store.suppressions(Some("c-1")).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].entity_id, "ofac-1");
    assert!(kept[0].reason.contains("born 1961"), "{}", kept[0].reason);
    let twice = store.close_alert(&id, "true-match", "x").await.unwrap_err();
    assert!(matches!(twice, StoreError::Conflict(_)), "{twice}");
    let missing = store.alert("alt-99").await.unwrap_err();
    assert!(matches!(missing, StoreError::NotFound { .. }), "{missing}");
}

pub async fn cases_move_by_their_machine_and_close_their_alerts(store: &dyn Store) {
    let raised = store
        .raise_alerts(&[
            screening_alert("c-1", "ofac-1"),
            screening_alert("c-2", "ofac-2"),
        ])
        .await
        .unwrap();
    let case = NewCase {
        kind: "investigation".into(),
        title: "Ana Diaz and CJNG".into(),
        assignee: Some("ana".into()),
        deadline: Some("2026-12-01".into()),
        detail: serde_json::json!({}),
        contact: None,
        alerts: vec![raised[0].id.clone()],
    };
    let opened = store.open_case(&case).await.unwrap();
    assert_eq!(
        (opened.state.as_str(), opened.kind.as_str()),
        ("open", "investigation")
    );
    // An alert already in a case cannot be taken by another; nothing of the second is kept.
    let second = store.open_case(&case).await.unwrap_err();
    assert!(second.to_string().contains("already in"), "{second}");
    assert_eq!(store.cases(&CaseFilter::default()).await.unwrap().len(), 1);
    let id = opened.id.clone();
    let skip = CaseAction::Move {
        from: "open".into(),
        to: "escalated".into(),
        resolution: None,
    };
    let illegal = store.act_on_case(&id, &skip).await.unwrap_err();
    assert!(
        illegal
            .to_string()
            .contains("does not go from open to escalated"),
        "{illegal}"
    );
    let note = CaseAction::Note {
        text: "n".repeat(20_000),
    };
    let long = store.act_on_case(&id, &note).await.unwrap_err();
    assert!(long.to_string().contains("note is 20000 bytes"), "{long}");
    let link = CaseAction::Link {
        kind: "alert".into(),
        reference: raised[1].id.clone(),
        note: String::new(),
    };
    store.act_on_case(&id, &link).await.unwrap();
    for (from, to) in [("open", "in-review"), ("in-review", "escalated")] {
        let step = CaseAction::Move {
            from: from.into(),
            to: to.into(),
            resolution: None,
        };
        store.act_on_case(&id, &step).await.unwrap();
    }
    let stale = CaseAction::Move {
        from: "in-review".into(),
        to: "closed".into(),
        resolution: Some("false-positive".into()),
    };
    let first = store.act_on_case(&id, &stale).await.unwrap_err();
    assert!(first.to_string().contains("someone acted first"), "{first}");
    let unresolved = CaseAction::Move {
        from: "escalated".into(),
        to: "closed".into(),
        resolution: None,
    };
    let why = store.act_on_case(&id, &unresolved).await.unwrap_err();
    assert!(why.to_string().contains("needs a resolution"), "{why}");
    let close = CaseAction::Move {
        from: "escalated".into(),
        to: "closed".into(),
        resolution: Some("false-positive".into()),
    };
    let closed = store.act_on_case(&id, &close).await.unwrap();
    assert_eq!(closed.resolution.as_deref(), Some("false-positive"));
    let view = store.case(&id).await.unwrap();
    assert_eq!(view.alerts.len(), 2);
    assert!(view.alerts.iter().all(|a| a.state == "closed"));
    assert_eq!(store.suppressions(None).await.unwrap().len(), 2);
    let kinds: Vec<&str> = view.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["open", "link", "link", "state", "state", "state"]);
    // A closed case takes notes but no other change until reopened.
    let assign = CaseAction::Assign {
        assignee: "bob".into(),
    };
    let shut = store.act_on_case(&id, &assign).await.unwrap_err();
    assert!(shut.to_string().contains("reopen"), "{shut}");
    let missing = store.case("case-99").await.unwrap_err();
    assert!(matches!(missing, StoreError::NotFound { .. }), "{missing}");
    let audited = actions(store).await;
    assert!(audited.ends_with(&["case.move".to_string(), "case.read".to_string()]));
    assert_eq!(audited.iter().filter(|a| *a == "case.move").count(), 3);
}

pub async fn tips_keep_their_contact_apart_and_requests_their_own_steps(store: &dyn Store) {
    let tip = NewCase {
        kind: "tip".into(),
        title: "Cash couriers at the Nogales crossing".into(),
        assignee: None,
        deadline: None,
        detail: serde_json::json!({ "source": "public", "summary": "a caller saw bulk cash" }),
        contact: Some("caller, +52 55 0000 0000".into()),
        alerts: vec![],
    };
    let opened = store.open_case(&tip).await.unwrap();
    assert!(opened.has_contact);
    assert!(!serde_json::to_string(&opened).unwrap().contains("+52"));
    let view = store.case(&opened.id).await.unwrap();
    assert!(!serde_json::to_string(&view).unwrap().contains("+52"));
    assert_eq!(
        store.tip_contact(&opened.id).await.unwrap(),
        "caller, +52 55 0000 0000"
    );
    assert!(
        actions(store)
            .await
            .ends_with(&["case.read".into(), "tip.contact.read".into()])
    );
    let no_summary = NewCase {
        detail: serde_json::json!({ "source": "public" }),
        ..tip.clone()
    };
    let refused = store.open_case(&no_summary).await.unwrap_err();
    assert!(refused.to_string().contains("detail.summary"), "{refused}");
    let request = NewCase {
        kind: "mla".into(),
        title: "Bank records of Ana Diaz".into(),
        contact: None,
        detail: serde_json::json!({
            "request": "mla", "direction": "outgoing", "requesting_state": "US",
            "requested_state": "MX", "subject": "Ana Diaz", "legal_basis": "US-MX MLAT 1987"
        }),
        ..tip.clone()
    };
    let mla = store.open_case(&request).await.unwrap();
    assert_eq!(mla.state, "draft");
    let contact = store.tip_contact(&mla.id).await.unwrap_err();
    assert!(matches!(contact, StoreError::NotFound { .. }), "{contact}");
    let send = CaseAction::Move {
        from: "draft".into(),
        to: "sent".into(),
        resolution: None,
    };
    assert_eq!(
        store.act_on_case(&mla.id, &send).await.unwrap().state,
        "sent"
    );
    let closed = CaseAction::Move {
        from: "sent".into(),
        to: "closed".into(),
        resolution: Some("true-match".into()),
    };
    let wrong = store.act_on_case(&mla.id, &closed).await.unwrap_err();
    assert!(
        wrong
            .to_string()
            .contains("a mla does not go from sent to closed"),
        "{wrong}"
    );
    let with_contact = NewCase {
        contact: Some("x".into()),
        ..request
    };
    let refused = store.open_case(&with_contact).await.unwrap_err();
    assert!(refused.to_string().contains("only for tips"), "{refused}");
}

/// Runs every conformance test against a backend made fresh for each test by `$open`.
#[macro_export]
macro_rules! store_test_suite {
    ($backend:ident, $open:ident) => {
        mod $backend {
            $crate::store_test_suite!(@tests $open;
                versions_are_listed_and_current_follows_the_newest,
                an_older_version_ingested_later_does_not_become_current,
                version_statements_are_exactly_what_was_imported,
                the_same_content_twice_is_refused_and_changes_nothing,
                links_are_found_from_the_target,
                summary_counts_schemata_datasets_and_programs,
                current_statements_stream_grouped_by_entity,
                suppressions_are_kept_per_customer_replaced_and_withdrawn,
                derived_statuses_are_replaced_whole,
                entities_of_some_schemata_are_read_without_provenance,
                bulk_reads_cross_page_boundaries,
                a_streamed_import_commits_whole_or_not_at_all,
                changes_are_audited_in_order_and_chained,
                customers_are_screened_once_as_they_are,
                a_false_positive_alert_becomes_a_suppression,
                cases_move_by_their_machine_and_close_their_alerts,
                tips_keep_their_contact_apart_and_requests_their_own_steps);
        }
    };
    (@tests $open:ident; $($test:ident),*) => {
        $(
            #[tokio::test]
            async fn $test() {
                let dir = tempfile::tempdir().unwrap();
                let store = super::$open(dir.path().join("store.db")).await;
                super::conformance::$test(&store).await;
            }
        )*
    };
}
