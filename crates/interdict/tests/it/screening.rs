//! `interdict screen` against the bundled lists.

use crate::{bundled_store, interdict, json, ok};

#[test]
fn a_listed_name_comes_first_with_its_explanation_and_versions() {
    let report = json(
        bundled_store(),
        &[
            "screen",
            "Joaquin Guzman Loera",
            "--schema",
            "Person",
            "--json",
        ],
    );
    let top = &report["results"][0];
    assert_eq!(top["entity_id"], "ofac-6861");
    assert_eq!(top["matched_name"], "GUZMAN LOERA, Joaquin");
    assert_eq!(top["explanation"][0]["feature"], "name_similarity");
    assert_eq!(report["list_versions"]["ofac-sdn"], "2024-05-03");
    assert_eq!(report["algorithm"], top["algorithm"]);
}

#[test]
fn an_alias_and_a_typo_still_find_the_cartel() {
    for name in [
        "Cartel de Sinaloa",
        "SINALOA CARTLE",
        "Cartel Jalisco Nueva Generacion",
    ] {
        let report = json(bundled_store(), &["screen", name, "--json"]);
        let ids: Vec<&str> = report["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["entity_id"].as_str())
            .collect();
        assert!(
            ids.contains(&"ofac-11440") || ids.contains(&"ofac-17671"),
            "{name}: {ids:?}"
        );
    }
}

#[test]
fn an_unlisted_name_has_no_result_and_a_bad_threshold_is_refused() {
    let text = ok(
        bundled_store(),
        &["screen", "Emma Daniels", "--schema", "Person"],
    );
    assert!(text.starts_with("no match"), "{text}");
    let out = interdict(bundled_store(), &["screen", "X", "--threshold", "7"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--threshold 7 is not between 0 and 1"));
}

#[test]
fn eval_screening_counts_hits_misses_and_false_positives() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases.jsonl");
    std::fs::write(
        &cases,
        r#"{"id":"c1","group":"exact","kind":"must_match","query":"SINALOA CARTEL","expected":"ofac-11440"}
{"id":"c2","group":"reorder","kind":"must_match","query":"Joaquin Guzman Loera","schema":"Person","expected":"ofac-6861"}
{"id":"c3","group":"neg","kind":"must_not_match","query":"Emma Daniels","schema":"Person","expected":null}
"#,
    )
    .unwrap();
    let report = json(
        bundled_store(),
        &["eval", "screening", cases.to_str().unwrap(), "--json"],
    );
    assert_eq!(report["overall"]["positives"], 2);
    assert_eq!(report["overall"]["top1"], 2);
    assert_eq!(report["overall"]["negatives"], 1);
    assert_eq!(report["overall"]["false_positives"], 0);
    assert_eq!(report["groups"]["reorder"]["top5"], 1);

    std::fs::write(
        &cases,
        "{\"kind\":\"must_match\",\"query\":\"A\"}\nnot json\n",
    )
    .unwrap();
    let out = interdict(
        bundled_store(),
        &["eval", "screening", cases.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cases.jsonl:2: not a case"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_batch_is_screened_and_an_interrupted_one_resumes_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("customers.csv");
    std::fs::write(
        &input,
        "id,name,schema,birth_date,country,id_number\n\
         c1,Joaquin Guzman Loera,Person,,,\n\
         c2,Emma Daniels,Person,,,\n\
         c3,Cartel de Sinaloa,,,,\n",
    )
    .unwrap();
    let output = dir.path().join("hits.jsonl");
    let (input, output_arg) = (input.to_str().unwrap(), output.to_str().unwrap());
    ok(
        bundled_store(),
        &["screen", "--input", input, "--output", output_arg],
    );
    let complete = std::fs::read_to_string(&output).unwrap();
    let lines: Vec<serde_json::Value> = complete
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["results"][0]["id"], "ofac-6861");
    assert_eq!(lines[1]["results"], serde_json::json!([]));
    assert_eq!(lines[2]["results"][0]["id"], "ofac-11440");

    // A crash after the first record and part of the second: the rerun finishes the rest.
    let first_len = complete.find('\n').unwrap() + 1;
    std::fs::write(&output, &complete[..first_len + 10]).unwrap();
    ok(
        bundled_store(),
        &["screen", "--input", input, "--output", output_arg],
    );
    assert_eq!(std::fs::read_to_string(&output).unwrap(), complete);
    // A finished batch run again adds nothing.
    ok(
        bundled_store(),
        &["screen", "--input", input, "--output", output_arg],
    );
    assert_eq!(std::fs::read_to_string(&output).unwrap(), complete);

    // With --inbox, each hit is an alert too, once however often the batch is run.
    let db = dir.path().join("inbox.db");
    std::fs::copy(bundled_store(), &db).unwrap();
    for run in ["first.jsonl", "second.jsonl"] {
        let out = dir.path().join(run);
        let args = [
            "screen",
            "--input",
            input,
            "--output",
            out.to_str().unwrap(),
            "--inbox",
        ];
        ok(&db, &args);
    }
    let inbox: Vec<serde_json::Value> = ok(&db, &["alerts", "list", "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let hits = |line: &serde_json::Value| line["results"].as_array().unwrap().len();
    assert_eq!(inbox.len(), lines.iter().map(hits).sum::<usize>());
    assert!(inbox.iter().all(|a| a["source"] == "screening"));
    assert!(
        inbox
            .iter()
            .any(|a| a["subject"] == lines[0]["id"] && a["entity_id"] == "ofac-6861")
    );
}

#[test]
fn a_suppressed_entity_is_skipped_for_its_customer_alone_in_one_call_and_in_a_batch() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    std::fs::copy(bundled_store(), &db).unwrap();
    let top = |customer: &str| {
        let report = json(
            &db,
            &[
                "screen",
                "Joaquin Guzman Loera",
                "--customer",
                customer,
                "--json",
            ],
        );
        report["results"][0]["entity_id"].as_str().map(String::from)
    };
    let chapo = Some("ofac-6861".to_string());
    assert_eq!(top("cust-7"), chapo);
    let said = ok(
        &db,
        &[
            "suppress",
            "add",
            "--customer",
            "cust-7",
            "--entity",
            "ofac-6861",
            "--reason",
            "customer born 1991 in Spain",
            "--by",
            "analyst-2",
        ],
    );
    assert!(
        said.contains("no longer raised for customer cust-7"),
        "{said}"
    );
    assert_ne!(top("cust-7"), chapo);
    assert_eq!(top("cust-8"), chapo);
    let listed = json(&db, &["suppress", "list", "--json"]);
    assert_eq!(listed[0]["decided_by"], "analyst-2");

    // In a batch, a record's id is its customer id.
    let input = dir.path().join("customers.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"cust-7\",\"name\":\"Joaquin Guzman Loera\"}\n\
         {\"id\":\"cust-8\",\"name\":\"Joaquin Guzman Loera\"}\n",
    )
    .unwrap();
    let output = dir.path().join("hits.jsonl");
    ok(
        &db,
        &[
            "screen",
            "--input",
            input.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
        ],
    );
    let text = std::fs::read_to_string(&output).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids = |line: &serde_json::Value| -> Vec<String> {
        line["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!ids(&lines[0]).contains(&"ofac-6861".to_string()));
    assert_eq!(ids(&lines[1])[0], "ofac-6861");

    ok(
        &db,
        &[
            "suppress",
            "remove",
            "--customer",
            "cust-7",
            "--entity",
            "ofac-6861",
        ],
    );
    assert_eq!(top("cust-7"), chapo);
    let out = interdict(
        &db,
        &[
            "suppress",
            "add",
            "--customer",
            "c",
            "--entity",
            "ofac-0",
            "--reason",
            "r",
            "--by",
            "a",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no entity \"ofac-0\""));
}

#[test]
fn a_batch_with_invalid_utf8_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad.jsonl");
    std::fs::write(
        &input,
        b"{\"id\":\"1\",\"name\":\"ok\"}\n{\"id\":\"2\",\"name\":\"\xff\"}\n",
    )
    .unwrap();
    let output = dir.path().join("out.jsonl");
    let out = interdict(
        bundled_store(),
        &[
            "screen",
            "--input",
            input.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.jsonl:2: not UTF-8"), "{err}");
}
