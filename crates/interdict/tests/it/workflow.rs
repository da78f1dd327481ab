//! The whole workflow, end to end, as users with roles: lists change, only new hits alert,
//! an analyst opens a case and proposes a freeze, a supervisor approves it, the report lists
//! it, the audit trail verifies, and tampering is found.

use std::path::{Path, PathBuf};
use std::process::Output;

const PASS: &str = "correct horse battery staple";

fn lists(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/lists")
        .join(rel)
}

/// Runs interdict as `user` (proved by the password), with `input` on standard input.
fn as_user(db: &Path, user: &str, args: &[&str], input: &str) -> Output {
    let mut all = vec!["--as", user];
    all.extend_from_slice(args);
    crate::with_input(db, &all, input, Some(PASS))
}

fn ok_as(db: &Path, user: &str, args: &[&str]) -> String {
    let out = as_user(db, user, args, "");
    assert!(
        out.status.success(),
        "{user}: interdict {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn refused_as(db: &Path, user: &str, args: &[&str]) -> String {
    let out = as_user(db, user, args, "");
    assert!(
        !out.status.success(),
        "{user}: interdict {args:?} succeeded"
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn alerts(db: &Path, user: &str, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["alerts", "list", "--json"];
    args.extend_from_slice(extra);
    ok_as(db, user, &args)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn subjects(alerts: &[serde_json::Value]) -> Vec<(String, String)> {
    alerts
        .iter()
        .map(|a| {
            (
                a["subject"].as_str().unwrap().to_string(),
                a["entity_id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn list_change_to_blocked_property_report_with_a_verified_trail() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let password = format!("{PASS}\n");
    for (user, role) in [
        ("root", "administrator"),
        ("ana", "analyst"),
        ("sam", "supervisor"),
    ] {
        let out = as_user(
            &db,
            "root",
            &["user", "add", user, "--role", role, "--agency", "FIU-MX"],
            &password,
        );
        assert!(out.status.success(), "{out:?}");
    }

    // The 2021 list, then the customer base: its hits alert at once.
    let sdn2021 = lists("ofac_sdn_2021-07-07/sdn.csv");
    let refused = refused_as(&db, "ana", &["ingest", sdn2021.to_str().unwrap()]);
    assert!(refused.contains("needs the supervisor role"), "{refused}");
    ok_as(&db, "sam", &["ingest", sdn2021.to_str().unwrap()]);
    let customers = dir.path().join("customers.jsonl");
    std::fs::write(
        &customers,
        [
            // On both lists, the same entry: alerted once, at the first screening.
            r#"{"id":"c-1","name":"Rafael Caro Quintero","schema":"Person","birth_date":"1952-12-12"}"#,
            // Designated between the two versions (ILLICIT-DRUGS-EO14059).
            r#"{"id":"c-2","name":"Julio Cesar Montero Pinzon","schema":"Person"}"#,
            // On neither.
            r#"{"id":"c-3","name":"Maria Gonzalez Ruiz","schema":"Person"}"#,
            // On 2021's only: delisted by 2024.
            r#"{"id":"c-4","name":"Jose Alvarez Tostado","schema":"Person"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    ok_as(
        &db,
        "ana",
        &["customers", "import", customers.to_str().unwrap()],
    );
    let first = alerts(&db, "ana", &[]);
    assert_eq!(
        subjects(&first),
        [
            ("c-1".to_string(), "ofac-6707".to_string()),
            ("c-4".to_string(), "ofac-6855".to_string())
        ]
    );
    assert!(first.iter().all(|a| a["source"] == "screening"));

    // The 2024 list: the customers are rescreened, and only the new hit alerts.
    let sdn2024 = lists("ofac_sdn_2024-05-03/sdn.csv");
    ok_as(&db, "sam", &["ingest", sdn2024.to_str().unwrap()]);
    let rescreened = alerts(&db, "ana", &["--source", "rescreening"]);
    assert_eq!(
        subjects(&rescreened),
        [("c-2".to_string(), "ofac-31145".to_string())]
    );
    assert_eq!(alerts(&db, "ana", &[]).len(), 3, "no other alert raised");
    // Rescreening again with nothing changed raises nothing.
    let again: serde_json::Value =
        serde_json::from_str(&ok_as(&db, "ana", &["rescreen", "--json"])).unwrap();
    assert_eq!(again["alerts"].as_array().unwrap().len(), 0, "{again}");
    assert_eq!(again["parties_changed"], 0);
    assert_eq!(again["screened_whole"], 0);
    // Another threshold sees every customer anew, and the next default run again; standing
    // hits that match no better raise nothing.
    for threshold in [&["--threshold", "0.99"][..], &[]] {
        let mut args = vec!["rescreen", "--json"];
        args.extend_from_slice(threshold);
        let run: serde_json::Value = serde_json::from_str(&ok_as(&db, "ana", &args)).unwrap();
        assert_eq!(run["screened_whole"], 4, "{run}");
        assert_eq!(run["alerts"].as_array().unwrap().len(), 0, "{run}");
    }

    // The false positive of c-1 is closed as such, and becomes a suppression.
    let c1 = first[0]["id"].as_str().unwrap();
    ok_as(
        &db,
        "ana",
        &[
            "alerts",
            "close",
            c1,
            "--resolution",
            "false-positive",
            "--reason",
            "born 1971, a namesake",
        ],
    );
    let kept = ok_as(&db, "ana", &["suppress", "list", "--customer", "c-1"]);
    assert!(kept.contains("ofac-6707"), "{kept}");

    // An analyst opens a case on the new hit and proposes to freeze the customer's account.
    let alert = rescreened[0]["id"].as_str().unwrap();
    let opened = ok_as(
        &db,
        "ana",
        &[
            "cases",
            "open",
            "--title",
            "Montero Pinzon designated (EO 14059)",
            "--assignee",
            "ana",
            "--deadline",
            "2026-12-06",
            "--alert",
            alert,
            "--json",
        ],
    );
    let case: serde_json::Value = serde_json::from_str(&opened).unwrap();
    let case_id = case["id"].as_str().unwrap();
    assert_eq!(case["state"], "open");
    ok_as(
        &db,
        "ana",
        &[
            "cases",
            "move",
            case_id,
            "--from",
            "open",
            "--to",
            "in-review",
        ],
    );
    let illegal = refused_as(
        &db,
        "ana",
        &["cases", "move", case_id, "--from", "open", "--to", "closed"],
    );
    assert!(
        illegal.contains("does not go from open to closed"),
        "{illegal}"
    );
    let long_note = "x".repeat(20_000);
    let oversized = refused_as(&db, "ana", &["cases", "note", case_id, &long_note]);
    assert!(oversized.contains("note is 20000 bytes"), "{oversized}");
    let unknown = refused_as(&db, "ana", &["cases", "note", "case-404", "hello"]);
    assert!(unknown.contains("no such case: case-404"), "{unknown}");
    let proposed = ok_as(
        &db,
        "ana",
        &[
            "freeze",
            "propose",
            "--asset-kind",
            "account",
            "--asset",
            "MX-012180001234567891",
            "--description",
            "payroll account of c-2",
            "--holder-id",
            "ofac-31145",
            "--holder-name",
            "MONTERO PINZON, Julio Cesar",
            "--basis",
            "designated (ofac-31145)",
            "--program",
            "ILLICIT-DRUGS-EO14059",
            "--value",
            "48250.17",
            "--currency",
            "MXN",
            "--location",
            "Puerto Vallarta, MX",
            "--institution",
            "Banco Ejemplo",
            "--json",
        ],
    );
    let freeze: serde_json::Value = serde_json::from_str(&proposed).unwrap();
    let freeze_id = freeze["id"].as_str().unwrap();
    ok_as(
        &db,
        "ana",
        &[
            "cases",
            "link",
            case_id,
            "--kind",
            "evidence",
            "--reference",
            freeze_id,
        ],
    );
    let own = refused_as(&db, "ana", &["freeze", "approve", freeze_id]);
    assert!(own.contains("needs the supervisor role"), "{own}");
    ok_as(&db, "sam", &["freeze", "approve", freeze_id]);
    let report: serde_json::Value =
        serde_json::from_str(&ok_as(&db, "sam", &["freeze", "report", "--json"])).unwrap();
    let blocked = report.to_string();
    assert!(
        blocked.contains("MX-012180001234567891") && blocked.contains("48250.17"),
        "{report:#}"
    );
    ok_as(
        &db,
        "sam",
        &[
            "cases",
            "move",
            case_id,
            "--from",
            "in-review",
            "--to",
            "escalated",
        ],
    );
    ok_as(
        &db,
        "sam",
        &[
            "cases",
            "move",
            case_id,
            "--from",
            "escalated",
            "--to",
            "closed",
            "--resolution",
            "true-match",
        ],
    );
    let view: serde_json::Value =
        serde_json::from_str(&ok_as(&db, "ana", &["cases", "show", case_id, "--json"])).unwrap();
    assert_eq!(view["resolution"], "true-match");
    assert_eq!(view["alerts"][0]["state"], "closed");
    assert_eq!(view["alerts"][0]["resolution"], "true-match");

    // Every step is in the trail, by whom it was taken, and the chain holds.
    let exported = ok_as(&db, "sam", &["audit", "export"]);
    let records: Vec<serde_json::Value> = exported
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let by = |action: &str| -> Vec<String> {
        records
            .iter()
            .filter(|r| r["action"] == action)
            .map(|r| r["actor"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(by("list.ingest"), ["sam", "sam"]);
    assert_eq!(by("screening.run"), ["ana", "sam", "ana", "ana", "ana"]);
    assert_eq!(by("freeze.propose"), ["ana"]);
    assert_eq!(by("freeze.blocked"), ["sam"]);
    assert_eq!(by("case.open"), ["ana"]);
    assert_eq!(by("case.read"), ["ana"]);
    assert_eq!(by("alert.close"), ["ana"]);
    let verified = ok_as(&db, "sam", &["audit", "verify"]);
    assert!(verified.contains("intact"), "{verified}");

    // Someone rewrites the freeze's approval in the file: verify finds the record.
    let approval = records
        .iter()
        .find(|r| r["action"] == "freeze.blocked")
        .unwrap()["seq"]
        .as_i64()
        .unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        use sqlx::Connection;
        let url = format!("sqlite://{}", db.display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        for sql in [
            "DROP TRIGGER audit_log_append_only_update".to_string(),
            format!("UPDATE audit_log SET actor = 'ana' WHERE seq = {approval}"),
        ] {
            sqlx::query(&sql).execute(&mut conn).await.unwrap();
        }
    });
    let broken = refused_as(&db, "sam", &["audit", "verify"]);
    assert!(
        broken.contains(&format!("audit trail broken at record {approval}")),
        "{broken}"
    );
}

#[test]
fn alerts_are_gathered_into_cases_by_party_and_by_network() {
    // CJNG (ofac-17671) holds 60% of a front company, which holds all of another: both are
    // blocked by the 50% rule, and `derive` alerts on each.
    let (_dir, db) = crate::bundled_with_registry(&[
        r#"{"id":"reg-front","schema":"Company","properties":{"name":["Inmobiliaria Frente SA"]}}"#,
        r#"{"id":"reg-sub","schema":"Company","properties":{"name":["Transportes Filial SA"]}}"#,
        r#"{"id":"reg-clean","schema":"Company","properties":{"name":["Panaderia Limpia SA"]}}"#,
        r#"{"id":"own-1","schema":"Ownership","properties":{"owner":["ofac-17671"],"asset":["reg-front"],"percentage":["60"]}}"#,
        r#"{"id":"own-2","schema":"Ownership","properties":{"owner":["reg-front"],"asset":["reg-sub"],"percentage":["100"]}}"#,
    ]);
    crate::ok(&db, &["derive"]);
    let case_alerts = |case: &str| -> Vec<String> {
        crate::ok(&db, &["alerts", "list", "--case", case, "--json"])
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["subject"].to_string())
            .collect()
    };
    let one = crate::json(
        &db,
        &[
            "cases", "open", "--title", "Filial", "--party", "reg-sub", "--json",
        ],
    );
    assert_eq!(case_alerts(one["id"].as_str().unwrap()), ["\"reg-sub\""]);
    // The network around CJNG: the front's alert; the subsidiary's is in a case already.
    let around = crate::json(
        &db,
        &[
            "cases",
            "open",
            "--title",
            "CJNG fronts",
            "--network-of",
            "ofac-17671",
            "--depth",
            "2",
            "--json",
        ],
    );
    let taken = case_alerts(around["id"].as_str().unwrap());
    assert!(taken.contains(&"\"reg-front\"".to_string()), "{taken:?}");
    assert!(!taken.contains(&"\"reg-sub\"".to_string()), "{taken:?}");
    let out = crate::interdict(
        &db,
        &["cases", "open", "--title", "x", "--party", "reg-clean"],
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("no open alert outside a case is about reg-clean"),
        "{said}"
    );
    let out = crate::interdict(
        &db,
        &["cases", "open", "--title", "x", "--network-of", "nobody"],
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("no such party"), "{said}");
}
