//! `interdict serve` with users: API tokens, roles per route, the freeze-order workflow
//! with its second person, the audit trail naming who did what, and user management.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};

use crate::bundled_store;
use crate::serve::{Server, ids, person};

const ROOT_PASS: &str = "root horse battery staple";

/// Runs interdict as `actor` (proved by the administrator's password), `input` on stdin;
/// insists on success and returns standard output.
fn cli(db: &std::path::Path, actor: Option<&str>, args: &[&str], input: &str) -> String {
    let mut all: Vec<&str> = actor.map_or(vec![], |a| vec!["--as", a]);
    all.extend_from_slice(args);
    let out = crate::with_input(db, &all, input, Some(ROOT_PASS));
    assert!(
        out.status.success(),
        "interdict {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A copy of the bundled store with users, made with the CLI, and a token for each:
/// `root` (administrator), `ana` (analyst), `sup` and `sam` (supervisors).
pub(crate) struct Staff {
    _dir: tempfile::TempDir,
    pub db: PathBuf,
    pub admin: String,
    pub analyst: String,
    pub supervisor: String,
    pub supervisor2: String,
}

impl Staff {
    pub(crate) fn new() -> Staff {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("store.db");
        std::fs::copy(bundled_store(), &db).unwrap();
        let root = ["user", "add", "root", "--role", "administrator"];
        cli(&db, None, &root, &format!("{ROOT_PASS}\n"));
        for (name, role) in [
            ("ana", "analyst"),
            ("sup", "supervisor"),
            ("sam", "supervisor"),
        ] {
            let args = ["user", "add", name, "--role", role, "--agency", "UIF"];
            cli(&db, Some("root"), &args, "a password of theirs\n");
        }
        let token = |name: &str| {
            let args = ["user", "token", name, "--label", "tests"];
            cli(&db, Some("root"), &args, "").trim().to_string()
        };
        Staff {
            admin: token("root"),
            analyst: token("ana"),
            supervisor: token("sup"),
            supervisor2: token("sam"),
            db,
            _dir: dir,
        }
    }
}

fn order(asset: &str) -> Value {
    json!({
        "asset_kind": "account",
        "asset": asset,
        "description": "checking account",
        "holder_id": "ofac-6861",
        "holder_name": "GUZMAN LOERA, Joaquin",
        "basis": "SDN listing (SDNTK)",
        "program": "SDNTK",
        "value": "125000.50",
        "currency": "usd",
        "location": "El Paso, TX",
        "institution": "First Border Bank"
    })
}

fn code(answer: &(u16, Value)) -> (u16, Option<&str>) {
    (answer.0, answer.1["code"].as_str())
}

fn message(answer: &(u16, Value)) -> &str {
    answer.1["message"].as_str().unwrap_or_default()
}

#[test]
fn without_users_screening_is_open_and_the_workflow_is_shut() {
    let server = Server::start(bundled_store(), &[]);
    server.wait_ready(Duration::from_secs(120));
    // Screening and the transaction stream answer anyone, as `anonymous`.
    assert!(ids(&server.match_one("default", person("Joaquin Guzman"))).contains(&"ofac-6861"));
    let (status, _) = server.get("/search/default?q=sinaloa");
    assert_eq!(status, 200);
    let (status, _) = server.post("/transactions", b"");
    assert_eq!(status, 200);
    // Every workflow route says to add a user first, with or without a token.
    let body = order("no-users-1").to_string();
    for (method, path) in [
        ("GET", "/freezes"),
        ("POST", "/freezes"),
        ("GET", "/freezes/report"),
        ("POST", "/freezes/frz-1/approve"),
        ("GET", "/audit"),
        ("GET", "/audit/verify"),
        ("GET", "/users"),
        ("POST", "/users"),
        ("POST", "/users/root/tokens"),
        ("GET", "/me"),
        ("GET", "/suppressions"),
        ("DELETE", "/suppressions/c/ofac-6861"),
    ] {
        for token in [None, Some(format!("itk_{}", "0".repeat(64)))] {
            let answer = server.call(method, path, token.as_deref(), body.as_bytes());
            assert_eq!(code(&answer), (401, Some("no_users")), "{method} {path}");
            assert!(
                message(&answer).contains("interdict user add"),
                "{answer:?}"
            );
        }
    }
    for path in ["/healthz", "/readyz", "/openapi.json"] {
        assert_eq!(server.get(path).0, 200, "{path}");
    }
}

#[test]
fn a_freeze_needs_a_second_person_and_the_audit_trail_names_both() {
    let staff = Staff::new();
    let server = Server::start(&staff.db, &[]);
    let (ana, sup, sam) = (
        Some(staff.analyst.as_str()),
        Some(staff.supervisor.as_str()),
        Some(staff.supervisor2.as_str()),
    );
    let (status, me) = server.call("GET", "/me", ana, b"");
    assert_eq!(status, 200, "{me}");
    assert_eq!(
        (me["name"].as_str(), me["role"].as_str()),
        (Some("ana"), Some("analyst"))
    );
    assert!(me.get("password_hash").is_none(), "{me}");

    // No token: 401, whether to change or to read.
    for (method, path) in [("GET", "/freezes"), ("POST", "/freezes"), ("GET", "/audit")] {
        let answer = server.call(method, path, None, b"{}");
        assert_eq!(
            code(&answer),
            (401, Some("unauthenticated")),
            "{method} {path}"
        );
    }
    // The analyst proposes; the value is kept exact and the currency upper-cased.
    let proposed = server.call(
        "POST",
        "/freezes",
        ana,
        order("ACCT-0001").to_string().as_bytes(),
    );
    assert_eq!(proposed.0, 201, "{:?}", proposed.1);
    let freeze = &proposed.1;
    let id = freeze["id"].as_str().unwrap().to_string();
    assert_eq!(freeze["state"], "proposed");
    assert_eq!(freeze["proposed_by"], "ana");
    assert_eq!(
        (freeze["value"].as_str(), freeze["currency"].as_str()),
        (Some("125000.50"), Some("USD"))
    );

    // An analyst may not decide: 403, naming the role it takes.
    let answer = server.call("POST", &format!("/freezes/{id}/approve"), ana, b"");
    assert_eq!(code(&answer), (403, Some("forbidden")));
    assert!(
        message(&answer).contains("needs the supervisor role"),
        "{answer:?}"
    );
    // A supervisor who proposed may not approve their own proposal: 409.
    let own = server.call(
        "POST",
        "/freezes",
        sup,
        order("ACCT-0002").to_string().as_bytes(),
    );
    assert_eq!(own.0, 201, "{:?}", own.1);
    let own_id = own.1["id"].as_str().unwrap().to_string();
    for step in ["approve", "reject"] {
        let answer = server.call("POST", &format!("/freezes/{own_id}/{step}"), sup, b"");
        assert_eq!(code(&answer), (409, Some("conflict")), "{step}");
        assert!(
            message(&answer).contains("another person must decide"),
            "{answer:?}"
        );
    }
    // Another supervisor approves ana's: the property is blocked, decided by sup.
    let approved = server.call("POST", &format!("/freezes/{id}/approve"), sup, b"");
    assert_eq!(approved.0, 200, "{:?}", approved.1);
    assert_eq!(approved.1["state"], "blocked");
    assert_eq!(approved.1["decided_by"], "sup");
    // Whoever comes second is told someone acted first.
    let late = server.call("POST", &format!("/freezes/{id}/reject"), sam, b"");
    assert_eq!(code(&late), (409, Some("conflict")));
    assert!(message(&late).contains("someone acted first"), "{late:?}");
    // sam rejects sup's own proposal.
    let rejected = server.call("POST", &format!("/freezes/{own_id}/reject"), sam, b"");
    assert_eq!(
        (rejected.0, rejected.1["state"].as_str()),
        (200, Some("rejected"))
    );
    let missing = server.call("POST", "/freezes/frz-999/approve", sup, b"");
    assert_eq!(code(&missing), (404, Some("freeze_not_found")));
    assert_eq!(
        code(&server.call("GET", "/freezes/frz-999", ana, b"")),
        (404, Some("freeze_not_found"))
    );

    // Unblocking: a reason is required; an analyst proposes, a supervisor turns it down.
    let unblock = format!("/freezes/{id}/unblock");
    let answer = server.call("POST", &unblock, ana, b"{}");
    assert_eq!(code(&answer), (400, Some("invalid_json")));
    assert!(message(&answer).contains("reason"), "{answer:?}");
    let answer = server.call("POST", &unblock, ana, br#"{"reason": " "}"#);
    assert_eq!(code(&answer), (422, Some("invalid")));
    assert!(message(&answer).contains("needs a reason"), "{answer:?}");
    let answer = server.call("POST", &unblock, ana, br#"{"reason": "licence 2026-17"}"#);
    assert_eq!(
        (answer.0, answer.1["state"].as_str()),
        (200, Some("unblock-proposed"))
    );
    assert_eq!(answer.1["unblock_proposed_by"], "ana");
    let answer = server.call("POST", &format!("/freezes/{id}/approve-unblock"), ana, b"");
    assert_eq!(code(&answer), (403, Some("forbidden")));
    let answer = server.call("POST", &format!("/freezes/{id}/reject-unblock"), sam, b"");
    assert_eq!(
        (answer.0, answer.1["state"].as_str()),
        (200, Some("blocked")),
        "{:?}",
        answer.1
    );

    // The list, one order, and the state filter.
    let (status, list) = server.call("GET", "/freezes", ana, b"");
    assert_eq!(status, 200);
    let states: Vec<(&str, &str)> = list["freezes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["id"].as_str().unwrap(), f["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        states,
        [(id.as_str(), "blocked"), (own_id.as_str(), "rejected")]
    );
    let (_, blocked) = server.call("GET", "/freezes?state=blocked", ana, b"");
    assert_eq!(blocked["freezes"].as_array().unwrap().len(), 1);
    let (status, one) = server.call("GET", &format!("/freezes/{id}"), ana, b"");
    assert_eq!((status, one["asset"].as_str()), (200, Some("ACCT-0001")));

    // The blocked-property report lists it, with totals per currency.
    let (status, report) = server.call("GET", "/freezes/report", ana, b"");
    assert_eq!(status, 200, "{report}");
    let rows = report["blocked"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{report:#}");
    assert_eq!(rows[0]["id"], id.as_str());
    assert_eq!(rows[0]["owner_id"], "ofac-6861");
    assert_eq!(rows[0]["program"], "SDNTK");
    let program_total = report["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["by"] == "program" && t["key"] == "SDNTK")
        .unwrap();
    assert_eq!(
        (
            program_total["total"].as_str(),
            program_total["currency"].as_str()
        ),
        (Some("125000.50"), Some("USD"))
    );
    let (_, before) = server.call("GET", "/freezes/report?as_of=2000-01-01", ana, b"");
    assert_eq!(before["blocked"], json!([]));
    assert_eq!(before["as_of"], "2000-01-01");
    let answer = server.call("GET", "/freezes/report?as_of=yesterday", ana, b"");
    assert_eq!(code(&answer), (400, Some("invalid_parameter")));

    // The audit trail: supervisors read it, and it names who took each step.
    assert_eq!(
        code(&server.call("GET", "/audit", ana, b"")),
        (403, Some("forbidden"))
    );
    let (status, audit) = server.call("GET", "/audit?limit=1000", sup, b"");
    assert_eq!(status, 200, "{audit}");
    assert_eq!(audit["next_after"], Value::Null);
    let steps: Vec<(&str, &str)> = audit["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["subject"] == id.as_str())
        .map(|r| (r["action"].as_str().unwrap(), r["actor"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [
            ("freeze.propose", "ana"),
            ("freeze.blocked", "sup"),
            ("freeze.unblock-proposed", "ana"),
            ("freeze.blocked", "sam"),
        ]
    );
    // Paged: two at a time, each page starting after the last.
    let all = audit["records"].as_array().unwrap();
    let (_, first) = server.call("GET", "/audit?limit=2", sup, b"");
    assert_eq!(first["records"].as_array().unwrap().len(), 2);
    assert_eq!(first["records"][0]["seq"], all[0]["seq"]);
    let next = first["next_after"].as_i64().unwrap();
    assert_eq!(next, all[1]["seq"].as_i64().unwrap());
    let (_, second) = server.call("GET", &format!("/audit?after={next}&limit=2"), sup, b"");
    assert_eq!(second["records"][0]["seq"], all[2]["seq"]);
    let answer = server.call("GET", "/audit?limit=1001", sup, b"");
    assert_eq!(code(&answer), (400, Some("invalid_parameter")));
    let (status, check) = server.call("GET", "/audit/verify", sup, b"");
    assert_eq!(status, 200);
    assert_eq!(check["ok"], true, "{check}");
    assert_eq!(check["records"].as_u64().unwrap(), all.len() as u64);
    assert_eq!(
        code(&server.call("GET", "/audit/verify", ana, b"")),
        (403, Some("forbidden"))
    );
}

#[test]
fn a_bad_freeze_is_refused_naming_the_field() {
    let staff = Staff::new();
    let server = Server::start(&staff.db, &[]);
    let ana = Some(staff.analyst.as_str());
    let with = |field: &str, value: Value| {
        let mut body = order("ACCT-0009");
        body[field] = value;
        server.call("POST", "/freezes", ana, body.to_string().as_bytes())
    };
    // A wrong JSON type: 400, the field named first.
    let answer = with("value", json!(125000.5));
    assert_eq!(code(&answer), (400, Some("invalid_json")));
    assert!(
        message(&answer).starts_with("value: invalid type: floating point"),
        "{answer:?}"
    );
    let answer = with("holder_name", json!(["a", "b"]));
    assert_eq!(code(&answer), (400, Some("invalid_json")));
    assert!(
        message(&answer).starts_with("holder_name: invalid type"),
        "{answer:?}"
    );
    let answer = with("colour", json!("red"));
    assert!(
        message(&answer).contains("unknown field `colour`"),
        "{answer:?}"
    );
    // Well-formed but refused: 422, the field named.
    for (field, value, says) in [
        ("value", json!("lots"), "value \"lots\""),
        ("value", json!("-5"), "cannot be negative"),
        ("currency", json!("dollars"), "currency \"dollars\""),
        ("holder_id", json!("ofac-0"), "holder_id \"ofac-0\""),
        ("asset_kind", json!("boat"), "asset_kind \"boat\""),
        ("institution", json!(" "), "institution is empty"),
    ] {
        let answer = with(field, value);
        assert_eq!(code(&answer), (422, Some("invalid")), "{field}: {answer:?}");
        assert!(message(&answer).contains(says), "{field}: {answer:?}");
    }
    // Nothing was proposed.
    let (_, list) = server.call("GET", "/freezes", ana, b"");
    assert_eq!(list["freezes"], json!([]));
}

#[test]
fn administrators_manage_users_and_every_user_their_own_tokens() {
    let staff = Staff::new();
    let server = Server::start(&staff.db, &[]);
    let (root, ana) = (Some(staff.admin.as_str()), Some(staff.analyst.as_str()));
    let new_user = |name: &str, role: &str, password: &str| {
        json!({"name": name, "role": role, "agency": "FIU", "password": password}).to_string()
    };
    let body = new_user("eve", "analyst", "twelve chars!");
    let answer = server.call("POST", "/users", ana, body.as_bytes());
    assert_eq!(code(&answer), (403, Some("forbidden")));
    assert!(
        message(&answer).contains("needs the administrator role"),
        "{answer:?}"
    );
    assert_eq!(
        code(&server.call("GET", "/users", ana, b"")),
        (403, Some("forbidden"))
    );
    let (status, added) = server.call("POST", "/users", root, body.as_bytes());
    assert_eq!(status, 201, "{added}");
    assert_eq!(
        (added["name"].as_str(), added["role"].as_str()),
        (Some("eve"), Some("analyst"))
    );
    assert!(added.get("password_hash").is_none());
    let answer = server.call("POST", "/users", root, body.as_bytes());
    assert_eq!(code(&answer), (409, Some("conflict")));
    let answer = server.call(
        "POST",
        "/users",
        root,
        new_user("bob", "analyst", "short").as_bytes(),
    );
    assert_eq!(code(&answer), (422, Some("invalid")));
    assert!(
        message(&answer).starts_with("password: a password needs 12 characters"),
        "{answer:?}"
    );
    let answer = server.call(
        "POST",
        "/users",
        root,
        new_user("bob", "boss", "long enough pass").as_bytes(),
    );
    assert_eq!(code(&answer), (422, Some("invalid")));
    assert!(message(&answer).starts_with("role: \"boss\""), "{answer:?}");
    let answer = server.call(
        "POST",
        "/users",
        root,
        new_user("b b", "analyst", "long enough pass").as_bytes(),
    );
    assert_eq!(code(&answer), (422, Some("invalid")));
    assert!(
        message(&answer).contains("user: name \"b b\""),
        "{answer:?}"
    );
    let answer = server.call("POST", "/users", root, br#"{"name": "bob", "role": 3}"#);
    assert_eq!(code(&answer), (400, Some("invalid_json")));
    assert!(
        message(&answer).starts_with("role: invalid type"),
        "{answer:?}"
    );
    let (_, users) = server.call("GET", "/users", root, b"");
    let names: Vec<&str> = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ana", "eve", "root", "sam", "sup"]);

    // An administrator issues eve's token, shown once; it works at once.
    let (status, issued) =
        server.call("POST", "/users/eve/tokens", root, br#"{"label": "laptop"}"#);
    assert_eq!(status, 201, "{issued}");
    let token = issued["token"].as_str().unwrap();
    assert!(token.starts_with("itk_") && token.len() == 68, "{token}");
    let (_, me) = server.call("GET", "/me", Some(token), b"");
    assert_eq!(me["name"], "eve");
    // ana makes her own (no body needed), not someone else's.
    let (status, own) = server.call("POST", "/users/ana/tokens", ana, b"");
    assert_eq!(status, 201, "{own}");
    let (_, me) = server.call("GET", "/me", own["token"].as_str(), b"");
    assert_eq!(me["name"], "ana");
    let answer = server.call("POST", "/users/eve/tokens", ana, b"");
    assert_eq!(code(&answer), (403, Some("forbidden")));
    let answer = server.call("POST", "/users/nobody/tokens", root, b"");
    assert_eq!(code(&answer), (404, Some("user_not_found")));
    // The audit trail says who added whom.
    let sup = Some(staff.supervisor.as_str());
    let (_, audit) = server.call("GET", "/audit?limit=1000", sup, b"");
    let records = audit["records"].as_array().unwrap();
    let added = records
        .iter()
        .find(|r| r["action"] == "user.add" && r["subject"] == "eve")
        .unwrap();
    assert_eq!(added["actor"], "root");
    let tokens: Vec<&str> = records
        .iter()
        .filter(|r| r["action"] == "token.add" && (r["subject"] == "eve" || r["subject"] == "ana"))
        .map(|r| r["actor"].as_str().unwrap())
        .collect();
    // ana's CLI token from `Staff::new`, then eve's and ana's over HTTP.
    assert_eq!(tokens, ["root", "root", "ana"]);
}

#[test]
fn unknown_malformed_and_disabled_users_tokens_are_refused() {
    let staff = Staff::new();
    let server = Server::start(&staff.db, &[]);
    server.wait_ready(Duration::from_secs(120));
    let ana = staff.analyst.as_str();
    let unknown = format!("itk_{}", "ab".repeat(32));
    for (header, says) in [
        (unknown.as_str(), "unknown API token"),
        ("itk_short", "not an interdict API token"),
    ] {
        for path in ["/me", "/catalog"] {
            let answer = server.call("GET", path, Some(header), b"");
            assert_eq!(code(&answer), (401, Some("unauthenticated")), "{path}");
            assert!(message(&answer).contains(says), "{answer:?}");
        }
    }
    // Not a bearer token at all.
    let response = ureq::get(format!("{}/catalog", server.base()))
        .header("authorization", format!("Basic {ana}"))
        .config()
        .http_status_as_error(false)
        .build()
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(
        response
            .headers()
            .get("www-authenticate")
            .map(|v| v.to_str().unwrap()),
        Some("Bearer realm=\"interdict\"")
    );

    assert_eq!(server.call("GET", "/me", Some(ana), b"").0, 200);
    // ana is disabled in the store: refused from her next request to a workflow route on
    // (those look the token up afresh), and on the screening routes once that lookup has
    // refreshed the cache (else within its 30 s).
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        use sqlx::Connection;
        let url = format!("sqlite://{}", staff.db.display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("UPDATE users SET disabled = 1 WHERE name = 'ana'")
            .execute(&mut conn)
            .await
            .unwrap();
    });
    for (method, path) in [("GET", "/me"), ("POST", "/freezes"), ("GET", "/catalog")] {
        let answer = server.call(
            method,
            path,
            Some(ana),
            order("ACCT-7").to_string().as_bytes(),
        );
        assert_eq!(
            code(&answer),
            (401, Some("unauthenticated")),
            "{method} {path}"
        );
        assert!(message(&answer).contains("ana is disabled"), "{answer:?}");
    }
    let (_, list) = server.call("GET", "/freezes", Some(&staff.supervisor), b"");
    assert_eq!(list["freezes"], json!([]));
    // The others carry on.
    assert_eq!(
        server
            .call("GET", "/catalog", Some(&staff.supervisor), b"")
            .0,
        200
    );
}
