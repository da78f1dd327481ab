//! Bad input gets an error naming where; a failed or killed import leaves the store as it was.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::{interdict, json, ok};

const GOOD_ROWS: &str = "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n\
173,\"ANGLO-CARIBBEAN CO., LTD.\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

/// A store holding one small good version, and its `lists --json` as it stands.
fn store_with_one_version(dir: &Path) -> (std::path::PathBuf, serde_json::Value) {
    let db = dir.join("store.db");
    let good = write(dir, "sdn.csv", GOOD_ROWS.as_bytes());
    ok(&db, &["ingest", &good, "--version-date", "2024-01-01"]);
    let before = json(&db, &["lists", "--json"]);
    (db, before)
}

/// Ingests `bytes` as `name`, expects failure whose message holds every one of `expect`,
/// and checks the store did not change.
fn check_refused(name: &str, bytes: &[u8], extra: &[&str], expect: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let (db, before) = store_with_one_version(dir.path());
    let bad_dir = dir.path().join("bad");
    std::fs::create_dir(&bad_dir).unwrap();
    let path = write(&bad_dir, name, bytes);
    let mut args = vec!["ingest", path.as_str(), "--version-date", "2024-02-01"];
    args.extend_from_slice(extra);
    let out = interdict(&db, &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{name}: bad input was accepted");
    for needle in expect {
        assert!(
            stderr.contains(needle),
            "{name}: error lacks {needle:?}:\n{stderr}"
        );
    }
    assert_eq!(
        json(&db, &["lists", "--json"]),
        before,
        "{name}: the store changed"
    );
}

#[test]
fn malformed_ofac_rows_are_refused_with_file_line_and_field() {
    let wrong_columns = format!("{GOOD_ROWS}306,\"BANCO NACIONAL DE CUBA\",-0- ,\"CUBA\"\n");
    check_refused(
        "sdn.csv",
        wrong_columns.as_bytes(),
        &["--format", "ofac-csv"],
        &["sdn.csv:3"],
    );
    let broken_quote = format!(
        "{GOOD_ROWS}306,\"BANCO \"NACIONAL\" DE CUBA,-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n"
    );
    check_refused(
        "sdn.csv",
        broken_quote.as_bytes(),
        &["--format", "ofac-csv"],
        &["sdn.csv:3", "SDN_Name", "quot"],
    );
    let unclosed = format!(
        "{GOOD_ROWS}306,\"BANCO NACIONAL DE CUBA,-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n{GOOD_ROWS}"
    );
    check_refused(
        "sdn.csv",
        unclosed.as_bytes(),
        &["--format", "ofac-csv"],
        &["sdn.csv:3"],
    );
    let bad_id = format!(
        "{GOOD_ROWS}X306,\"BANCO\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n"
    );
    check_refused(
        "sdn.csv",
        bad_id.as_bytes(),
        &["--format", "ofac-csv"],
        &["sdn.csv:3", "ent_num"],
    );
    let huge_name = format!(
        "{GOOD_ROWS}306,\"{}\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
        "N".repeat(10 << 20)
    );
    check_refused(
        "sdn.csv",
        huge_name.as_bytes(),
        &["--format", "ofac-csv"],
        &["sdn.csv:3", "SDN_Name"],
    );
    let mut latin1 = GOOD_ROWS.as_bytes().to_vec();
    latin1.extend_from_slice(
        b"306,\"NU\xD1EZ\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
    );
    check_refused(
        "sdn.csv",
        &latin1,
        &["--format", "ofac-csv"],
        &["sdn.csv:3", "UTF-8"],
    );
}

#[test]
fn malformed_un_and_ftm_inputs_are_refused_with_location() {
    let truncated = "<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL>\n<DATAID>1</DATAID>\n";
    check_refused("un.xml", truncated.as_bytes(), &[], &["un.xml"]);
    let mismatched = "<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL>\n<FIRST_NAME>A</SECOND_NAME>\n";
    check_refused("un.xml", mismatched.as_bytes(), &[], &["un.xml:5"]);
    let ftm = "{\"id\":\"x-1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"]}}\n{\"id\":\"x-2\",\"schema\":\"Person\",\"properties\":{\"name\":[7]}}\n";
    check_refused("x.jsonl", ftm.as_bytes(), &[], &["x.jsonl:2", "name"]);
}

#[test]
fn a_bad_row_can_be_skipped_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let rows = format!("{GOOD_ROWS}306,\"BANCO NACIONAL DE CUBA\",-0- ,\"CUBA\"\n");
    let path = write(dir.path(), "sdn.csv", rows.as_bytes());
    let report = json(
        &db,
        &[
            "ingest",
            &path,
            "--version-date",
            "2024-01-01",
            "--skip-bad-records",
            "--json",
        ],
    );
    let list = &report["lists"][0];
    assert_eq!(list["status"], "imported");
    let warnings = list["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].as_str().unwrap().contains("sdn.csv:3"),
        "{warnings:?}"
    );
    assert_eq!(
        json(&db, &["entity", "show", "ofac-173", "--json"])["caption"],
        "ANGLO-CARIBBEAN CO., LTD."
    );
    assert!(
        !interdict(&db, &["entity", "show", "ofac-306"])
            .status
            .success(),
        "the skipped row was stored"
    );
}

#[test]
fn importing_the_same_version_twice_changes_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (db, before) = store_with_one_version(dir.path());
    let again = ok(
        &db,
        &["ingest", &dir.path().join("sdn.csv").display().to_string()],
    );
    assert!(again.contains("already stored, nothing changed"), "{again}");
    assert_eq!(json(&db, &["lists", "--json"]), before);
}

/// An FtM file big enough that writing it takes a while: `n` people of five statements each.
fn big_ftm(path: &Path, n: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..n {
        writeln!(
            out,
            r#"{{"id":"big-{i}","schema":"Person","properties":{{"name":["PERSON NUMBER {i}"],"alias":["P{i}"],"birthDate":["1970-01-01"],"nationality":["mx"],"notes":["row {i}"]}}}}"#
        )
        .unwrap();
    }
}

#[test]
fn killing_an_import_midway_leaves_the_previous_version_intact() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let small = dir.path().join("small.jsonl");
    std::fs::write(
        &small,
        "{\"id\":\"big-0\",\"schema\":\"Person\",\"properties\":{\"name\":[\"FIRST VERSION\"]}}\n",
    )
    .unwrap();
    ok(
        &db,
        &[
            "ingest",
            small.to_str().unwrap(),
            "--dataset",
            "big",
            "--version-date",
            "2024-01-01",
        ],
    );
    let before = json(&db, &["lists", "--json"]);
    let big = dir.path().join("big.jsonl");
    big_ftm(&big, 150_000);

    let db_arg = db.to_str().unwrap();
    let import = [
        "ingest",
        big.to_str().unwrap(),
        "--dataset",
        "big",
        "--version-date",
        "2024-02-01",
    ];
    let mut child = Command::new(env!("CARGO_BIN_EXE_interdict"))
        .args(["--db", db_arg])
        .args(import)
        .env("RUST_LOG", "interdict=debug")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The first progress line is printed after the first rows are written inside the transaction.
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen_writing = false;
    for line in stderr.lines() {
        if line.unwrap().contains("import: written") {
            seen_writing = true;
            break;
        }
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(seen_writing, "the import never reported writing");
    assert!(
        !status.success(),
        "the import finished before it was killed"
    );

    assert_eq!(
        json(&db, &["lists", "--json"]),
        before,
        "a killed import changed the versions"
    );
    let entity = json(&db, &["entity", "show", "big-0", "--json"]);
    assert_eq!(entity["caption"], "FIRST VERSION");
    assert!(
        interdict(&db, &["entity", "show", "big-1"]).status.code() == Some(1),
        "a row of the killed import is visible"
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = interdict_store::SqliteStore::open(&db).await.unwrap();
        store.integrity_check().await.unwrap();
    });
    // Nothing is left locked or half-done: the same import now goes through.
    ok(&db, &import);
    assert_eq!(
        json(&db, &["entity", "show", "big-149999", "--json"])["caption"],
        "PERSON NUMBER 149999"
    );
}
