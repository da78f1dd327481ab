//! The FtM export is accepted by OpenSanctions' own `followthemoney` library.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{bundled_store, ok};

/// The Python that has `followthemoney`: `INTERDICT_FTM_PYTHON`, else `python3` if it can import it.
/// In CI (`CI` set) its absence is a failure, elsewhere a printed skip.
fn ftm_python() -> Option<PathBuf> {
    let candidate = std::env::var_os("INTERDICT_FTM_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| "python3".into());
    let usable = Command::new(&candidate)
        .args(["-c", "import followthemoney"])
        .status()
        .is_ok_and(|s| s.success());
    if usable {
        return Some(candidate);
    }
    let reason = format!(
        "{} cannot import followthemoney (run .ci/run, which installs it)",
        candidate.display()
    );
    assert!(std::env::var_os("CI").is_none(), "{reason}");
    eprintln!("skipped: {reason}");
    None
}

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

#[test]
fn the_export_validates_with_followthemoney() {
    let Some(python) = ftm_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.ftm.jsonl");
    ok(
        bundled_store(),
        &[
            "export",
            "--format",
            "ftm",
            "--output",
            file.to_str().unwrap(),
        ],
    );
    let lines = std::fs::read_to_string(&file).unwrap().lines().count();
    assert!(lines > 16_000, "only {lines} entities exported");
    let out = Command::new(python)
        .arg(repo("tools/ftm_validate.py"))
        .arg(&file)
        .arg("--schema-table")
        .arg(repo("crates/interdict-model/src/ftm_schema.tsv"))
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    println!("{report}");
    assert!(
        out.status.success(),
        "followthemoney rejected the export:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        report.contains(&format!("checked {lines} entities")),
        "{report}"
    );
}

#[test]
fn the_export_round_trips_through_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.jsonl");
    ok(
        bundled_store(),
        &["export", "--output", file.to_str().unwrap()],
    );
    let db = dir.path().join("copy.db");
    ok(
        &db,
        &[
            "ingest",
            file.to_str().unwrap(),
            "--dataset",
            "copy",
            "--version-date",
            "2026-01-01",
        ],
    );
    let original = crate::json(bundled_store(), &["summary", "--json"]);
    let copy = crate::json(&db, &["summary", "--json"]);
    assert_eq!(copy["entities"], original["entities"]);
    assert_eq!(copy["by_schema"], original["by_schema"]);
}
