//! `interdict exposure` on the bundled lists and on ownership loaded beside them.

use crate::{bundled_store, bundled_with_registry, interdict, json, ok};

#[test]
fn a_party_linked_to_a_listed_cartel_shows_the_link() {
    let report = json(bundled_store(), &["exposure", "ofac-49747", "--json"]);
    assert_eq!(report["blocked"], true);
    assert_eq!(report["basis"], "listed");
    let signal = &report["signals"][0][0];
    assert_eq!(
        (signal["from"].as_str(), signal["to"].as_str()),
        (Some("ofac-17671"), Some("ofac-49747")),
        "{report:#}"
    );
    assert_eq!(signal["kind"], "unknown");
}

#[test]
fn a_company_owned_by_the_cartel_is_blocked_by_the_fifty_percent_rule() {
    let (_dir, db) = bundled_with_registry(&[
        r#"{"id":"reg-front","schema":"Company","properties":{"name":["Inmobiliaria Frente SA"]}}"#,
        r#"{"id":"reg-sub","schema":"Company","properties":{"name":["Subsidiaria Dos SA"]}}"#,
        r#"{"id":"reg-o1","schema":"Ownership","properties":{"owner":["ofac-17671"],"asset":["reg-front"],"percentage":["60"]}}"#,
        r#"{"id":"reg-o2","schema":"Ownership","properties":{"owner":["reg-front"],"asset":["reg-sub"],"percentage":["30"],"startDate":["2020-01-01"]}}"#,
        r#"{"id":"reg-o3","schema":"Ownership","properties":{"owner":["ofac-20109"],"asset":["reg-sub"],"percentage":["20"]}}"#,
        r#"{"id":"reg-o4","schema":"Ownership","properties":{"owner":["nobody-99"],"asset":["reg-sub"],"percentage":["10"]}}"#,
    ]);
    let front = json(&db, &["exposure", "reg-front", "--json"]);
    assert_eq!(
        (front["blocked"].as_bool(), front["basis"].as_str()),
        (Some(true), Some("ownership"))
    );
    assert_eq!(front["paths"][0][0]["from"], "ofac-17671");
    assert_eq!(front["paths"][0][0]["percentage"], "60");
    // 30% through the blocked front and 20% held directly by a listed person: 50%.
    let sub = json(&db, &["exposure", "reg-sub", "--json"]);
    assert_eq!(sub["basis"], "ownership", "{sub:#}");
    assert_eq!(sub["held"], "50");
    assert_eq!(sub["paths"].as_array().unwrap().len(), 2);
    // Before the front's holding began, only 20% counts.
    let before = json(
        &db,
        &["exposure", "reg-sub", "--as-of", "2019-06-01", "--json"],
    );
    assert_eq!(
        (before["blocked"].as_bool(), before["held"].as_str()),
        (Some(false), Some("20"))
    );
    let out = interdict(&db, &["exposure", "reg-sub", "--as-of", "June"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--as-of \"June\" is not a YYYY-MM-DD date")
    );
    // A holding by an id the store lacks is reported, not silently dropped.
    let derived = json(&db, &["derive", "--dry-run", "--json"]);
    let warnings = derived["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w
            .as_str()
            .unwrap()
            .starts_with("nobody-99: named by a link")),
        "{derived:#}"
    );
    let out = interdict(&db, &["exposure", "nobody"]);
    assert!(!out.status.success());
}

#[test]
fn a_registry_extract_in_csv_is_ingested_and_its_chain_followed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    std::fs::copy(bundled_store(), &db).unwrap();
    let extract = dir.path().join("registro_2026-11-01");
    std::fs::create_dir(&extract).unwrap();
    std::fs::write(
        extract.join("entities.csv"),
        "id,schema,name,jurisdiction\nmx-1,Company,Holding Uno SA,mx\nmx-2,Company,Operadora Dos SA,mx\n",
    )
    .unwrap();
    std::fs::write(
        extract.join("ownership.csv"),
        "owner_id,asset_id,percentage\nofac-11440,mx-1,51\nmx-1,mx-2,50\n",
    )
    .unwrap();
    let said = ok(&db, &["ingest", extract.to_str().unwrap(), "--json"]);
    let report: serde_json::Value = serde_json::from_str(&said).unwrap();
    assert_eq!(report["lists"][0]["dataset"], "registry");
    assert_eq!(report["lists"][0]["version"], "2026-11-01");
    let sub = json(&db, &["exposure", "mx-2", "--json"]);
    assert_eq!(sub["basis"], "ownership", "{sub:#}");
    let path: Vec<&str> = sub["paths"][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["to"].as_str().unwrap())
        .collect();
    assert_eq!(path, ["mx-1", "mx-2"]);
    assert_eq!(sub["paths"][0][0]["from"], "ofac-11440");

    let bad = dir.path().join("ownership.csv");
    std::fs::write(&bad, "owner_id,asset_id,percentage\nmx-1,mx-2,101\n").unwrap();
    let out = interdict(&db, &["ingest", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ownership.csv:2 field percentage: 101 is outside 0..100"),
        "{err}"
    );
}

#[test]
fn a_bad_row_deep_in_a_streamed_registry_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    std::fs::copy(bundled_store(), &db).unwrap();
    let before = ok(&db, &["lists", "--json"]);
    // Registries are written while they are read, in chunks of thousands: the bad row comes
    // after several chunks have gone to the store.
    let extract = dir.path().join("registro_2026-11-02");
    std::fs::create_dir(&extract).unwrap();
    let mut entities = String::from("id,schema,name\n");
    let mut ownership = String::from("owner_id,asset_id,percentage\n");
    for i in 0..30_000 {
        entities.push_str(&format!("c-{i},Company,Company {i}\n"));
        ownership.push_str(&format!("c-{i},c-{},10\n", i + 1));
    }
    ownership.push_str("c-1,c-2,-5\n");
    std::fs::write(extract.join("entities.csv"), entities).unwrap();
    std::fs::write(extract.join("ownership.csv"), ownership).unwrap();
    let out = interdict(&db, &["ingest", extract.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ownership.csv:30002 field percentage"),
        "{err}"
    );
    assert_eq!(ok(&db, &["lists", "--json"]), before);
    // The first chunk's parties were written before the bad row was read, and are gone.
    assert!(!interdict(&db, &["entity", "show", "c-1"]).status.success());
}

#[test]
fn a_simulated_registry_is_derived_and_a_new_holding_reported_as_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    std::fs::copy(bundled_store(), &db).unwrap();
    let registry = dir.path().join("registry_2026-11-01");
    let args = [
        "simulate",
        "registry",
        "--companies",
        "3000",
        "--seed",
        "5",
        "--output",
    ];
    let mut with_output: Vec<&str> = args.to_vec();
    with_output.push(registry.to_str().unwrap());
    ok(&db, &with_output);
    // The same seed writes the same registry.
    let again = dir.path().join("again");
    let mut twice: Vec<&str> = args.to_vec();
    twice.push(again.to_str().unwrap());
    ok(&db, &twice);
    for file in ["entities.csv", "ownership.csv", "links.ftm.json"] {
        assert_eq!(
            std::fs::read(registry.join(file)).unwrap(),
            std::fs::read(again.join(file)).unwrap(),
            "{file}"
        );
    }
    ok(&db, &["ingest", registry.to_str().unwrap()]);
    let first = json(&db, &["derive", "--json"]);
    let derived = first["derived"].as_u64().unwrap();
    assert!(derived > 0, "{first:#}");
    assert_eq!(first["changes"].as_array().unwrap().len() as u64, derived);
    let unchanged = json(&db, &["derive", "--json"]);
    assert_eq!(unchanged["changes"], serde_json::json!([]));

    // Find a company not blocked, and have the cartel take 60% of it.
    let target = (0..3000)
        .map(|n| format!("sim-c-{n}"))
        .find(|id| {
            first["changes"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["id"] != id.as_str())
        })
        .unwrap();
    let holding = dir.path().join("takeover.ftm.json");
    std::fs::write(
        &holding,
        format!(
            "{}\n",
            serde_json::json!({"id": "takeover-1", "schema": "Ownership", "properties": {
                "owner": ["ofac-17671"], "asset": [target], "percentage": ["60"]}})
        ),
    )
    .unwrap();
    ok(
        &db,
        &[
            "ingest",
            holding.to_str().unwrap(),
            "--version-date",
            "2026-11-02",
        ],
    );
    let after = json(&db, &["derive", "--json"]);
    let changes = after["changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["id"] == target.as_str() && c["after"] == "ownership"),
        "{after:#}"
    );
    assert!(
        changes
            .iter()
            .all(|c| c["before"].is_null() && c["after"] == "ownership")
    );
    // Each change is an alert in the inbox, once: the first run's and this run's.
    let inbox: Vec<serde_json::Value> =
        ok(&db, &["alerts", "list", "--source", "derived", "--json"])
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
    assert_eq!(inbox.len() as u64, derived + changes.len() as u64);
    let alerted = inbox
        .iter()
        .find(|a| a["subject"] == target.as_str())
        .expect("the newly blocked party is alerted");
    assert_eq!(alerted["severity"], "high");
    assert!(
        alerted["summary"]
            .as_str()
            .unwrap()
            .contains("now ownership"),
        "{alerted:#}"
    );
}
