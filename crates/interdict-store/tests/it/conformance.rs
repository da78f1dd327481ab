//! Tests written against the `Store` trait only; `store_test_suite!` runs them per backend.

use interdict_model::{Entity, Label, Statement};
use interdict_store::{
    AuditRecord, DerivedStatus, EntityStream, ListVersion, NewAudit, NewVersion, Store, StoreError,
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
                changes_are_audited_in_order_and_chained);
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
