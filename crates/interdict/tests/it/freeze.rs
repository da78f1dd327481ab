//! `interdict freeze`: four eyes on blocking and unblocking, the blocked-property report,
//! and bad orders refused with nothing recorded.

use crate::{bundled_store, interdict, json, ok};

fn propose_args<'a>(value: &'a str, currency: &'a str, holder: &'a str) -> Vec<&'a str> {
    vec![
        "--as",
        "ana",
        "freeze",
        "propose",
        "--asset-kind",
        "account",
        "--asset",
        "DE89370400440532013000",
        "--description",
        "current account",
        "--holder-id",
        holder,
        "--holder-name",
        "GUZMAN LOERA, Joaquin",
        "--basis",
        "designated (ofac-6861)",
        "--program",
        "SDNTK",
        "--value",
        value,
        "--currency",
        currency,
        "--location",
        "Culiacan, MX",
        "--institution",
        "Banco Ejemplo",
    ]
}

#[test]
fn a_freeze_is_approved_by_another_reported_and_unblocked_on_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    std::fs::copy(bundled_store(), &db).unwrap();

    // Bad orders: each refused by name, and none recorded.
    for (args, expect) in [
        (propose_args("-5", "USD", "ofac-6861"), "cannot be negative"),
        (propose_args("12.5x", "USD", "ofac-6861"), "--value"),
        (propose_args("100", "dollars", "ofac-6861"), "--currency"),
        (propose_args("100", "USD", "ofac-0"), "no such entity"),
    ] {
        let out = interdict(&db, &args);
        assert!(!out.status.success());
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains(expect), "{args:?}: {said}");
    }
    let mut long = propose_args("100", "USD", "ofac-6861");
    let description = "x".repeat(5_000);
    long[9] = &description;
    let out = interdict(&db, &long);
    assert!(String::from_utf8_lossy(&out.stderr).contains("description"));
    assert_eq!(
        json(&db, &["freeze", "list", "--json"]),
        serde_json::json!([])
    );

    let said = ok(&db, &propose_args("125000.50", "usd", "ofac-6861"));
    assert!(said.contains("frz-1  proposed"), "{said}");
    // Nobody approves their own proposal.
    let out = interdict(&db, &["--as", "ana", "freeze", "approve", "frz-1"]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("another person must decide it"), "{said}");
    let said = ok(&db, &["--as", "bob", "freeze", "approve", "frz-1"]);
    assert!(said.contains("frz-1  blocked"), "{said}");
    let out = interdict(&db, &["--as", "carl", "freeze", "reject", "frz-1"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("someone acted first"));

    // The blocked-property report: the fields 501.603 asks for, and totals.
    let report = json(&db, &["freeze", "report", "--json"]);
    let item = &report["blocked"][0];
    assert_eq!(item["owner"], "GUZMAN LOERA, Joaquin");
    assert_eq!(item["value"], "125000.50");
    assert_eq!(item["currency"], "USD");
    assert_eq!(item["program"], "SDNTK");
    assert_eq!(item["location"], "Culiacan, MX");
    assert!(
        item["property"]
            .as_str()
            .unwrap()
            .contains("DE89370400440532013000")
    );
    assert_eq!(item["date_blocked"].as_str().unwrap().len(), 10);
    let by_program: Vec<&serde_json::Value> = report["totals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["by"] == "program")
        .collect();
    assert_eq!(by_program.len(), 1);
    assert_eq!(by_program[0]["total"], "125000.50");
    // Over time: what was blocked at the end of each month (this one so far).
    let month = &item["date_blocked"].as_str().unwrap()[..7];
    assert_eq!(
        report["over_time"],
        serde_json::json!([{"month": month, "currency": "USD", "total": "125000.50"}])
    );
    // As of a day before it was blocked, there was nothing blocked.
    let before = json(
        &db,
        &["freeze", "report", "--as-of", "2020-01-01", "--json"],
    );
    assert_eq!(before["blocked"], serde_json::json!([]));

    // Unblocking needs a reason and a second person.
    let out = interdict(
        &db,
        &["--as", "bob", "freeze", "unblock", "frz-1", "--reason", " "],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a reason"));
    ok(
        &db,
        &[
            "--as",
            "bob",
            "freeze",
            "unblock",
            "frz-1",
            "--reason",
            "OFAC licence GL-7",
        ],
    );
    let out = interdict(&db, &["--as", "bob", "freeze", "approve-unblock", "frz-1"]);
    assert!(!out.status.success());
    let said = ok(&db, &["--as", "ana", "freeze", "approve-unblock", "frz-1"]);
    assert!(said.contains("frz-1  unblocked"), "{said}");
    let now = json(&db, &["freeze", "report", "--json"]);
    assert_eq!(now["blocked"], serde_json::json!([]));
    assert_eq!(now["over_time"][0]["total"], "0", "{now:#}");

    // Every step is in the audit trail, by whom, and the chain holds.
    let export = dir.path().join("audit.jsonl");
    ok(
        &db,
        &["audit", "export", "--output", export.to_str().unwrap()],
    );
    let steps: Vec<String> = std::fs::read_to_string(&export)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["subject"] == "frz-1")
        .map(|r| {
            format!(
                "{} {}",
                r["actor"].as_str().unwrap(),
                r["action"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            "ana freeze.propose",
            "bob freeze.blocked",
            "bob freeze.unblock-proposed",
            "ana freeze.unblocked"
        ]
    );
    assert!(ok(&db, &["audit", "verify"]).contains("intact"));
}
