//! `interdict monitor`, `eval monitoring` and `simulate transactions` end to end.

use std::path::Path;

use crate::{bundled_with_registry, interdict, ok};

const HEADER: &str = "Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering";

/// Runs `interdict monitor --format amlworld --input INPUT` with further arguments.
fn monitor(db: &Path, input: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "monitor",
        "--format",
        "amlworld",
        "--input",
        input.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    interdict(db, &args)
}

fn repo(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

#[test]
fn a_structuring_day_is_an_alert_and_bad_rows_are_named_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let input = dir.path().join("trans.csv");
    let rows = [
        HEADER,
        "2022/09/05 09:00,010,D1,020,ACCT,4000.00,US Dollar,4000.00,US Dollar,Cash,1",
        "2022/09/05 10:00,011,D2,020,ACCT,3500.00,US Dollar,3500.00,US Dollar,Cash,1",
        "2022/09/05 10:30,011,D2,020,ACCT,-3.00,US Dollar,-3.00,US Dollar,Cash,0",
        "2022/09/05 11:00,012,D3,020,ACCT,3000.00,Doubloon,3000.00,US Dollar,Cash,0",
        "2022/09/05 12:00,012,D3,020,ACCT,3000.00,US Dollar,3000.00,US Dollar,Cash,1",
        "2022/09/05 06:00,012,D4,020,OTHER,10.00,US Dollar,10.00,US Dollar,Cash,0",
    ];
    std::fs::write(&input, rows.join("\n") + "\n").unwrap();
    let alerts = dir.path().join("alerts.jsonl");
    let out = monitor(&db, &input, &["--alerts", alerts.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("3 rows not taken"), "{said}");
    assert!(
        said.contains("line 4 field Amount Received: negative amount -3.00"),
        "{said}"
    );
    assert!(
        said.contains("line 5 field Receiving Currency: unknown currency"),
        "{said}"
    );
    assert!(
        said.contains("line 7: timestamp 2022-09-05T06:00:00Z is 21600 s behind"),
        "{said}"
    );
    let written = std::fs::read_to_string(&alerts).unwrap();
    let alerts: Vec<serde_json::Value> = written
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(alerts.len(), 1, "{written}");
    assert_eq!(alerts[0]["typology"], "structuring");
    assert_eq!(alerts[0]["severity"], "high");
    assert_eq!(alerts[0]["accounts"][0], "020:ACCT");
    assert_eq!(
        alerts[0]["transactions"],
        serde_json::json!(["line:2", "line:3", "line:6"])
    );
    assert!(
        alerts[0]["rules_version"]
            .as_str()
            .unwrap()
            .starts_with("rules-")
    );
    // Into the inbox as well, once however often the stream is run.
    for _ in 0..2 {
        let out = monitor(&db, &input, &["--alerts", "/dev/null", "--inbox"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let inbox = ok(&db, &["alerts", "list", "--source", "monitoring", "--json"]);
    let inbox: Vec<serde_json::Value> = inbox
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(inbox.len(), 1, "{inbox:#?}");
    assert_eq!(inbox[0]["subject"], "020:ACCT");
    assert_eq!(inbox[0]["severity"], "high");
    assert_eq!(
        inbox[0]["detail"]["transactions"],
        alerts[0]["transactions"]
    );
}

#[test]
fn a_rules_file_is_checked_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, "[fan_in]\nmin_counterparties = 0\n").unwrap();
    let input = dir.path().join("t.csv");
    std::fs::write(&input, format!("{HEADER}\n")).unwrap();
    let out = monitor(&db, &input, &["--rules", rules.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("rules.toml: fan_in.min_counterparties must be positive"),
        "{err}"
    );
}

#[test]
fn a_segment_file_tells_a_business_from_a_person_and_a_bad_one_is_refused_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let input = dir.path().join("t.csv");
    // 001:MULE passes two wires on within hours; its payers and payees are firms.
    let rows = [
        "2022/09/05 01:00,001,X1,001,MULE,5000.00,US Dollar,5000.00,US Dollar,Wire,0",
        "2022/09/05 03:00,001,MULE,001,Y1,4800.00,US Dollar,4800.00,US Dollar,Wire,0",
        "2022/09/06 06:00,001,X2,001,MULE,7000.00,US Dollar,7000.00,US Dollar,Wire,0",
        "2022/09/06 16:00,001,MULE,001,Y2,6400.00,US Dollar,6400.00,US Dollar,Wire,0",
    ];
    std::fs::write(&input, format!("{HEADER}\n{}\n", rows.join("\n"))).unwrap();
    let segments = dir.path().join("segments.csv");
    let pass_throughs = |segment: &str| {
        let firms = ["X1", "Y1", "X2", "Y2"].map(|a| format!("001:{a},business\n"));
        let file = format!("account,segment\n001:MULE,{segment}\n{}", firms.concat());
        std::fs::write(&segments, file).unwrap();
        let out = monitor(
            &db,
            &input,
            &["--no-lists", "--segments", segments.to_str().unwrap()],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .matches("\"pass-through\"")
            .count()
    };
    // A firm passing firms' money on to firms twice is trading; a person is not.
    assert_eq!(pass_throughs("person"), 1);
    assert_eq!(pass_throughs("business"), 0);
    std::fs::write(
        &segments,
        "account,segment\n001:MULE,person\n001:X1,charity\n",
    )
    .unwrap();
    let out = monitor(
        &db,
        &input,
        &["--no-lists", "--segments", segments.to_str().unwrap()],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("segments.csv:3: segment \"charity\" is not person or business"),
        "{err}"
    );
}

#[test]
fn the_amlsim_sample_is_scored_over_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let data = repo("data/aml/amlsim_20K_fanin200");
    let said = ok(
        &db,
        &[
            "eval",
            "monitoring",
            "--format",
            "amlsim",
            "--input",
            data.join("transactions.csv").to_str().unwrap(),
            "--nodes",
            data.join("nodes.csv").to_str().unwrap(),
            "--json",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&said).unwrap();
    let accounts = &report["evaluation"]["accounts"];
    assert_eq!(accounts["labelled"], 954);
    assert_eq!(report["run"]["transactions"], 118_250);
    assert_eq!(
        report["evaluation"]["transactions"],
        serde_json::Value::Null
    );
    // Split payments are what AMLSim's fan-in members do: that detector is precise here.
    let split = &report["evaluation"]["detectors"]["split"]["accounts"];
    assert!(split["precision"].as_f64().unwrap() > 0.95, "{split}");
    assert!(accounts["recall"].as_f64().unwrap() > 0.6, "{accounts}");
}

#[test]
fn simulated_transactions_are_scored_per_typology() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let out = dir.path().join("sim");
    ok(
        &db,
        &[
            "simulate",
            "transactions",
            "--accounts",
            "3000",
            "--transactions",
            "60000",
            "--seed",
            "5",
            "--laundering-one-in",
            "200",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    let said = ok(
        &db,
        &[
            "eval",
            "monitoring",
            "--format",
            "amlworld",
            "--input",
            out.join("transactions.csv").to_str().unwrap(),
            "--patterns",
            out.join("patterns.txt").to_str().unwrap(),
            "--segments",
            out.join("segments.csv").to_str().unwrap(),
            "--json",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&said).unwrap();
    let typologies = report["evaluation"]["typologies"].as_object().unwrap();
    for name in [
        "fan-in",
        "fan-out",
        "structuring",
        "funnel",
        "pass-through",
        "cycle",
    ] {
        assert!(
            typologies.contains_key(name),
            "{name} missing: {typologies:?}"
        );
    }
    // Funnel and structuring are the sharpest rules; their own detectors find them.
    for name in ["funnel", "structuring"] {
        let own = typologies[name]["recall_own"].as_f64().unwrap();
        assert!(own >= 0.9, "{name}: {own}");
    }
    assert!(
        report["evaluation"]["transactions"]["labelled"]
            .as_u64()
            .unwrap()
            > 200
    );
}

#[test]
fn an_account_owned_by_a_blocked_company_is_watched_and_a_clean_one_is_not() {
    // CJNG (ofac-17671) holds 60% of a company, which holds a bank account; a company nobody
    // listed holds another.
    let (dir, db) = bundled_with_registry(&[
        r#"{"id":"reg-front","schema":"Company","properties":{"name":["Inmobiliaria Frente SA"]}}"#,
        r#"{"id":"reg-clean","schema":"Company","properties":{"name":["Panaderia Limpia SA"]}}"#,
        r#"{"id":"acct-front","schema":"BankAccount","properties":{"iban":["DE89 3704 0044 0532 0130 00"]}}"#,
        r#"{"id":"acct-clean","schema":"BankAccount","properties":{"accountNumber":["CLEAN-1"]}}"#,
        r#"{"id":"own-1","schema":"Ownership","properties":{"owner":["ofac-17671"],"asset":["reg-front"],"percentage":["60"]}}"#,
        r#"{"id":"own-2","schema":"Ownership","properties":{"owner":["reg-front"],"asset":["acct-front"],"percentage":["100"]}}"#,
        r#"{"id":"own-3","schema":"Ownership","properties":{"owner":["reg-clean"],"asset":["acct-clean"],"percentage":["100"]}}"#,
    ]);
    let input = dir.path().join("txns.jsonl");
    let txn = |id: &str, to: &str| {
        format!(
            r#"{{"id":"{id}","timestamp":"2026-11-02T10:00:00Z","from":"cust-1","to":"{to}","amount":"250.00","currency":"USD","channel":"wire"}}"#
        )
    };
    let rows = [txn("t1", "CLEAN-1"), txn("t2", "DE89370400440532013000")];
    std::fs::write(&input, rows.join("\n") + "\n").unwrap();
    let alerts = dir.path().join("alerts.jsonl");
    let args = [
        "monitor",
        "--format",
        "jsonl",
        "--input",
        input.to_str().unwrap(),
        "--alerts",
        alerts.to_str().unwrap(),
    ];
    ok(&db, &args);
    let text = std::fs::read_to_string(&alerts).unwrap();
    let blocked: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|a| a["typology"] == "blocked-party")
        .collect();
    assert_eq!(blocked.len(), 1, "{text}");
    assert_eq!(blocked[0]["severity"], "critical");
    assert_eq!(blocked[0]["accounts"][0], "DE89370400440532013000");
    assert_eq!(blocked[0]["transactions"], serde_json::json!(["t2"]));
    let summary = blocked[0]["summary"].as_str().unwrap();
    assert!(
        summary.contains("acct-front (blocked by ownership or control)"),
        "{summary}"
    );
    // Without the lists, nothing is watched.
    let mut bare = args.to_vec();
    bare.push("--no-lists");
    ok(&db, &bare);
    let text = std::fs::read_to_string(&alerts).unwrap();
    assert!(!text.contains("blocked-party"), "{text}");
}
