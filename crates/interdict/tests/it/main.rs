//! End-to-end tests of the `interdict` binary, one module per concern.

mod audit;
mod diff;
mod export;
mod exposure;
mod freeze;
mod monitor;
mod registry;
mod safety;
mod sar;
mod screening;
mod serve;
mod serve_auth;
mod serve_cases;
mod users;
mod workflow;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `interdict --db <db> args…` and returns its output.
pub fn interdict(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interdict"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("INTERDICT_DB")
        .env_remove("RUST_LOG")
        .output()
        .expect("the interdict binary runs")
}

/// Runs `interdict --db <db> args…` with `input` on standard input, proving who `--as` is
/// with `password` when given (and with no token or actor from the environment).
pub fn with_input(db: &Path, args: &[&str], input: &str, password: Option<&str>) -> Output {
    use std::io::Write;
    let mut command = Command::new(env!("CARGO_BIN_EXE_interdict"));
    command
        .env_remove("INTERDICT_PASSWORD")
        .env_remove("INTERDICT_TOKEN")
        .env_remove("INTERDICT_ACTOR")
        .env_remove("INTERDICT_DB")
        .env_remove("RUST_LOG");
    if let Some(password) = password {
        command.env("INTERDICT_PASSWORD", password);
    }
    let mut child = command
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the interdict binary runs");
    let mut stdin = child.stdin.take().expect("a piped stdin");
    stdin
        .write_all(input.as_bytes())
        .expect("stdin takes the input");
    drop(stdin);
    child.wait_with_output().expect("the interdict binary runs")
}

/// Runs and insists on success; returns standard output.
pub fn ok(db: &Path, args: &[&str]) -> String {
    let out = interdict(db, args);
    assert!(
        out.status.success(),
        "interdict {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Runs, parses standard output as JSON.
pub fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(db, args)).expect("JSON output")
}

/// `../shared/data/sanctions/<rel>` beside the repository, if it is there.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/sanctions")
        .join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "skipped: {} is not there (tests read ../shared/data beside the repo)",
            path.display()
        );
        None
    }
}

/// A fresh store with the bundled lists ingested, shared by the tests of one binary run.
pub fn bundled_store() -> &'static Path {
    use std::sync::OnceLock;
    static STORE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, db) = STORE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bundled.db");
        ok(&db, &["ingest"]);
        (dir, db)
    });
    db
}

/// A copy of the bundled store with these FtM JSON lines ingested as the `registry` dataset
/// of 2026-11-01; the directory holds the store and is the caller's to use.
pub fn bundled_with_registry(lines: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    std::fs::copy(bundled_store(), &db).unwrap();
    let registry = dir.path().join("registry.ftm.json");
    std::fs::write(&registry, lines.join("\n") + "\n").unwrap();
    ok(
        &db,
        &[
            "ingest",
            registry.to_str().unwrap(),
            "--dataset",
            "registry",
            "--version-date",
            "2026-11-01",
        ],
    );
    (dir, db)
}
