//! `interdict user`: roles, argon2 passwords, tokens; and changes refused to whoever is not
//! a user with the role they need.

use std::path::Path;
use std::process::{Command, Output};

use crate::{bundled_store, ok};

const PASS: &str = "correct horse battery staple";

/// Runs interdict with `input` on standard input, proving who it is with the password.
fn with_stdin(db: &Path, args: &[&str], input: &str) -> Output {
    run(db, args, input, Some(PASS))
}

fn run(db: &Path, args: &[&str], input: &str, password: Option<&str>) -> Output {
    crate::with_input(db, args, input, password)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn roles_decide_who_may_change_what_once_users_exist() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    std::fs::copy(bundled_store(), &db).unwrap();
    let pass = "correct horse battery staple\n";

    let out = with_stdin(&db, &["user", "add", "ana", "--role", "analyst"], pass);
    assert!(stderr(&out).contains("first user must be an administrator"));
    let out = with_stdin(
        &db,
        &["user", "add", "root", "--role", "administrator"],
        "short\n",
    );
    assert!(stderr(&out).contains("12 characters"), "{}", stderr(&out));
    let out = with_stdin(
        &db,
        &["user", "add", "root", "--role", "administrator"],
        pass,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // Now only an administrator adds users.
    let out = with_stdin(
        &db,
        &["--as", "nobody", "user", "add", "ana", "--role", "analyst"],
        pass,
    );
    assert!(
        stderr(&out).contains("not a user of this store"),
        "{}",
        stderr(&out)
    );
    for (name, role) in [("ana", "analyst"), ("sup", "supervisor")] {
        let args = [
            "--as", "root", "user", "add", name, "--role", role, "--agency", "FIU-MX",
        ];
        let out = with_stdin(&db, &args, pass);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = with_stdin(
        &db,
        &["--as", "root", "user", "add", "eve", "--role", "king"],
        pass,
    );
    assert!(stderr(&out).contains("role \"king\""), "{}", stderr(&out));

    // Passwords are kept as argon2 hashes: the right one matches, a wrong one does not, and
    // no listing shows them.
    assert!(
        with_stdin(&db, &["user", "check", "ana"], pass)
            .status
            .success()
    );
    assert!(
        !with_stdin(&db, &["user", "check", "ana"], "wrong horse\n")
            .status
            .success()
    );
    let listed = ok(&db, &["user", "list", "--json"]);
    assert!(
        listed.contains("\"supervisor\"") && !listed.contains("argon2"),
        "{listed}"
    );
    // Changing anything once users exist needs proof: a password or a token.
    let out = run(&db, &["--as", "ana", "user", "token", "ana"], "", None);
    assert!(
        stderr(&out).contains("prove who you are"),
        "{}",
        stderr(&out)
    );
    let out = run(
        &db,
        &["--as", "ana", "user", "token", "ana"],
        "",
        Some("guess"),
    );
    assert!(
        stderr(&out).contains("wrong password for ana"),
        "{}",
        stderr(&out)
    );
    let args = ["--as", "ana", "user", "token", "ana", "--label", "batch"];
    let out = with_stdin(&db, &args, "");
    assert!(out.status.success(), "{}", stderr(&out));
    let token = String::from_utf8(out.stdout).unwrap();
    assert!(
        token.trim().starts_with("itk_") && token.trim().len() == 68,
        "{token}"
    );
    let out = with_stdin(&db, &["--as", "ana", "user", "token", "sup"], "");
    assert!(!out.status.success() && stderr(&out).contains("needs the administrator role"));

    // Changes need a user with the role: an analyst proposes, only a supervisor decides.
    let propose = |who: &str| {
        with_stdin(
            &db,
            &[
                "--as",
                who,
                "freeze",
                "propose",
                "--asset-kind",
                "wallet",
                "--asset",
                "bc1q8ew45w2agdffrnwp6adt2gqrc9n4mkev9ns29c",
                "--description",
                "bitcoin wallet",
                "--holder-name",
                "listed person",
                "--basis",
                "designated",
                "--program",
                "SDNTK",
                "--value",
                "0",
                "--currency",
                "USD",
                "--location",
                "on chain",
                "--institution",
                "Exchange Uno",
            ],
            "",
        )
    };
    assert!(stderr(&propose("nobody")).contains("not a user of this store"));
    assert!(propose("ana").status.success());
    let out = with_stdin(&db, &["--as", "ana", "freeze", "approve", "frz-1"], "");
    assert!(
        stderr(&out).contains("needs the supervisor role"),
        "{}",
        stderr(&out)
    );
    let out = with_stdin(&db, &["--as", "sup", "freeze", "approve", "frz-1"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    // A token proves who its holder is, and only them.
    let mut command = Command::new(env!("CARGO_BIN_EXE_interdict"));
    let out = command
        .env("INTERDICT_TOKEN", token.trim())
        .env_remove("INTERDICT_PASSWORD")
        .arg("--db")
        .arg(&db)
        .args(["--as", "sup", "freeze", "reject", "frz-1"])
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("INTERDICT_TOKEN is not a token of sup"),
        "{}",
        stderr(&out)
    );
    // Reading needs no role.
    assert!(ok(&db, &["freeze", "list"]).contains("frz-1  blocked"));
    // A disabled user is refused from then on, by password and by token, until enabled.
    let out = with_stdin(&db, &["--as", "ana", "user", "disable", "sup"], "");
    assert!(
        stderr(&out).contains("needs the administrator role"),
        "{}",
        stderr(&out)
    );
    let out = with_stdin(&db, &["--as", "root", "user", "disable", "root"], "");
    assert!(
        stderr(&out).contains("cannot disable themself"),
        "{}",
        stderr(&out)
    );
    let out = with_stdin(&db, &["--as", "root", "user", "disable", "ana"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let out = with_stdin(
        &db,
        &["--as", "ana", "freeze", "unblock", "frz-1", "--reason", "x"],
        "",
    );
    assert!(stderr(&out).contains("ana is disabled"), "{}", stderr(&out));
    let mut command = Command::new(env!("CARGO_BIN_EXE_interdict"));
    let out = command
        .env("INTERDICT_TOKEN", token.trim())
        .env_remove("INTERDICT_PASSWORD")
        .arg("--db")
        .arg(&db)
        .args(["--as", "ana", "alerts", "list"])
        .output()
        .unwrap();
    assert!(stderr(&out).contains("ana is disabled"), "{}", stderr(&out));
    let out = with_stdin(&db, &["--as", "root", "user", "enable", "ana"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        with_stdin(&db, &["--as", "ana", "alerts", "list"], "")
            .status
            .success()
    );
    // And every user added and token made is in the audit trail.
    let trail = ok(&db, &["audit", "export"]);
    assert_eq!(
        trail.lines().filter(|l| l.contains("\"user.add\"")).count(),
        3
    );
    assert_eq!(
        trail
            .lines()
            .filter(|l| l.contains("\"token.add\""))
            .count(),
        1
    );
}
