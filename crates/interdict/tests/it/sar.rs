//! `interdict report sar`: a suspicious activity report rendered for each regulator.

use crate::{interdict, ok};

#[test]
fn a_sar_is_rendered_for_each_regulator_and_a_bad_one_names_its_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../interdict-report/tests/it/structuring.json");
    for (format, marker) in [
        ("fincen", "<fc2:FormTypeCode>SARX</fc2:FormTypeCode>"),
        ("goaml", "<report_code>STR</report_code>"),
    ] {
        let xml = ok(
            &db,
            &[
                "report",
                "sar",
                "--input",
                example.to_str().unwrap(),
                "--format",
                format,
            ],
        );
        assert!(
            xml.contains(marker),
            "{format}: {}",
            &xml[..xml.len().min(400)]
        );
    }
    let mut report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&example).unwrap()).unwrap();
    report["subjects"][0]["accounts"][0]["number"] = serde_json::json!(" ");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, report.to_string()).unwrap();
    let out = interdict(
        &db,
        &[
            "report",
            "sar",
            "--input",
            bad.to_str().unwrap(),
            "--format",
            "fincen",
        ],
    );
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("subjects[0].accounts[0].number"), "{said}");
    // Each rendering is in the audit trail with the digest of what was produced.
    let trail = ok(&db, &["audit", "export"]);
    assert_eq!(
        trail
            .lines()
            .filter(|l| l.contains("report.render"))
            .count(),
        2
    );
    assert!(trail.contains("sha256"));
}
