//! `interdict serve` for the alert inbox, cases, the customer base and rescreening: customers
//! posted are screened, alerts are closed or taken into cases, cases move through their
//! states, a tip's contact is read only by a supervisor, monitoring alerts land in the inbox,
//! and the audit trail names who did each.

use std::time::Duration;

use serde_json::{Value, json};

use crate::bundled_store;
use crate::serve::Server;
use crate::serve_auth::Staff;

fn code(answer: &(u16, Value)) -> (u16, Option<&str>) {
    (answer.0, answer.1["code"].as_str())
}

fn message(answer: &(u16, Value)) -> &str {
    answer.1["message"].as_str().unwrap_or_default()
}

fn list<'v>(answer: &'v Value, key: &str) -> &'v Vec<Value> {
    answer[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} in {answer}"))
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_string()
}

const CUSTOMERS: &str = concat!(
    r#"{"id":"c-1","name":"Joaquin Guzman Loera","schema":"Person"}"#,
    "\n\n",
    r#"{"id":"c-2","name":"Maria Fernanda Olvera Ruiz","schema":"Person"}"#,
    "\n",
    r#"{"id":"c-3","name":"Rafael Caro Quintero","schema":"Person"}"#,
    "\n",
);

/// Cash deposits of one day under the reporting line into `acct-77`, then a row past the
/// monitor's warm-up that closes the day (the rows of serve.rs' transactions test).
fn structuring_rows() -> (String, String) {
    let deposit = |id: &str, hour: u32, from: &str, amount: &str| {
        format!(
            r#"{{"id":"{id}","timestamp":"2026-03-02T{hour:02}:00:00Z","from":"{from}","to":"acct-77","amount":"{amount}","currency":"USD","channel":"cash","location":"US-TX"}}"#
        )
    };
    let day = [
        deposit("s1", 9, "e1", "4000.00"),
        deposit("s2", 11, "e2", "3500.00"),
        deposit("s3", 15, "e3", "3000.00"),
    ]
    .join("\n");
    let next = r#"{"id":"s4","timestamp":"2026-03-08T09:00:00Z","from":"x","to":"y","amount":"5.00","currency":"USD","channel":"wire"}"#;
    (day, next.to_string())
}

#[test]
fn customers_alerts_cases_and_the_inbox_over_http() {
    let staff = Staff::new();
    let server = Server::start(&staff.db, &[]);
    server.wait_ready(Duration::from_secs(120));
    let (ana, sup, sam) = (
        Some(staff.analyst.as_str()),
        Some(staff.supervisor.as_str()),
        Some(staff.supervisor2.as_str()),
    );

    // Every route needs a token.
    for (method, path) in [
        ("GET", "/alerts"),
        ("GET", "/alerts/alt-1"),
        ("POST", "/alerts/alt-1/close"),
        ("GET", "/cases"),
        ("POST", "/cases"),
        ("GET", "/cases/case-1"),
        ("POST", "/cases/case-1/actions"),
        ("GET", "/cases/case-1/contact"),
        ("POST", "/customers"),
        ("POST", "/rescreen"),
        ("POST", "/transactions"),
    ] {
        let answer = server.call(method, path, None, b"{}");
        assert_eq!(
            code(&answer),
            (401, Some("unauthenticated")),
            "{method} {path}"
        );
    }
    // Nothing is stored from a body with a bad line; the line is named, blank ones counted.
    let bad = format!("{CUSTOMERS}{{\"id\":\"c-4\"}}\n");
    let answer = server.call("POST", "/customers", ana, bad.as_bytes());
    assert_eq!(code(&answer), (400, Some("invalid_json")), "{answer:?}");
    assert!(
        message(&answer).starts_with("line 5: missing field `name`"),
        "{answer:?}"
    );
    let twice = format!("{CUSTOMERS}{{\"id\":\"c-1\",\"name\":\"Again\"}}\n");
    let answer = server.call("POST", "/customers", ana, twice.as_bytes());
    assert_eq!(code(&answer), (422, Some("invalid")), "{answer:?}");
    assert!(
        message(&answer).starts_with("line 5: customer 4: id \"c-1\" is given twice"),
        "{answer:?}"
    );
    let answer = server.call("POST", "/customers?screen=maybe", ana, b"");
    assert_eq!(code(&answer), (400, Some("invalid_parameter")));
    let answer = server.call("POST", "/rescreen", ana, b"");
    assert_eq!(code(&answer), (422, Some("invalid")), "{answer:?}");
    assert!(message(&answer).contains("no customers"), "{answer:?}");

    // Customers posted are screened at once: the namesakes of listed parties alert, the
    // clean name does not.
    let (status, posted) = server.call("POST", "/customers", ana, CUSTOMERS.as_bytes());
    assert_eq!(status, 200, "{posted}");
    assert_eq!(
        posted["import"],
        json!({"added": 3, "changed": 0, "unchanged": 0})
    );
    let raised: Vec<String> = list(&posted["screening"], "alerts")
        .iter()
        .map(text)
        .collect();
    assert!(!raised.is_empty(), "{posted}");
    let (status, inbox) = server.call("GET", "/alerts?source=screening", ana, b"");
    assert_eq!(status, 200, "{inbox}");
    let alerts = list(&inbox, "alerts");
    assert_eq!(
        alerts.iter().map(|a| text(&a["id"])).collect::<Vec<_>>(),
        raised
    );
    assert_eq!(inbox["more"], false);
    let of = |customer: &str| -> Vec<&Value> {
        alerts.iter().filter(|a| a["subject"] == customer).collect()
    };
    let guzman = of("c-1");
    assert!(
        guzman.iter().any(|a| a["entity_id"] == "ofac-6861"),
        "{inbox:#}"
    );
    assert!(of("c-2").is_empty(), "{inbox:#}");
    let caro = of("c-3");
    assert!(!caro.is_empty(), "{inbox:#}");
    assert!(alerts.iter().all(|a| a["state"] == "open"));
    let (_, page) = server.call("GET", "/alerts?limit=1", ana, b"");
    assert_eq!(list(&page, "alerts").len(), 1);
    assert_eq!(page["more"], alerts.len() > 1);
    let answer = server.call("GET", "/alerts?source=rumour", ana, b"");
    assert_eq!(code(&answer), (400, Some("invalid_parameter")));
    assert!(message(&answer).contains("monitoring"), "{answer:?}");

    // Closing a screening alert as a false positive records a suppression.
    let fp = guzman
        .iter()
        .find(|a| a["entity_id"] == "ofac-6861")
        .unwrap();
    let fp_id = text(&fp["id"]);
    let close = json!({"resolution": "false-positive", "reason": "born 1980, a namesake"});
    let (status, closed) = server.call(
        "POST",
        &format!("/alerts/{fp_id}/close"),
        ana,
        close.to_string().as_bytes(),
    );
    assert_eq!(status, 200, "{closed}");
    assert_eq!(
        (
            closed["state"].as_str(),
            closed["resolution"].as_str(),
            closed["closed_by"].as_str()
        ),
        (Some("closed"), Some("false-positive"), Some("ana"))
    );
    let (_, kept) = server.call("GET", "/suppressions?customer_id=c-1", ana, b"");
    let kept = list(&kept, "suppressions");
    assert!(
        kept.iter()
            .any(|s| s["entity_id"] == "ofac-6861" && s["decided_by"] == "ana"),
        "{kept:?}"
    );
    let again = server.call(
        "POST",
        &format!("/alerts/{fp_id}/close"),
        ana,
        close.to_string().as_bytes(),
    );
    assert_eq!(code(&again), (409, Some("conflict")), "{again:?}");
    let answer = server.call(
        "POST",
        &format!("/alerts/{fp_id}/close"),
        ana,
        br#"{"resolution": "maybe", "reason": "x"}"#,
    );
    assert_eq!(code(&answer), (422, Some("invalid")), "{answer:?}");
    let answer = server.call("POST", &format!("/alerts/{fp_id}/close"), ana, b"{}");
    assert_eq!(code(&answer), (400, Some("invalid_json")));
    assert!(message(&answer).contains("resolution"), "{answer:?}");
    assert_eq!(
        code(&server.call("GET", "/alerts/alt-999999", ana, b"")),
        (404, Some("alert_not_found"))
    );
    let (status, one) = server.call("GET", &format!("/alerts/{fp_id}"), ana, b"");
    assert_eq!(
        (status, one["resolution"].as_str()),
        (200, Some("false-positive"))
    );

    // An investigation takes in an open alert; one already closed is refused.
    let taken = text(&caro[0]["id"]);
    let case = |alerts: Vec<&str>| {
        json!({"kind": "investigation", "title": "Caro Quintero namesake", "assignee": "ana",
               "deadline": "2026-12-06", "alerts": alerts})
        .to_string()
    };
    let answer = server.call("POST", "/cases", ana, case(vec![&fp_id]).as_bytes());
    assert_eq!(code(&answer), (409, Some("conflict")), "{answer:?}");
    let answer = server.call(
        "POST",
        "/cases",
        ana,
        br#"{"kind": "investigation", "title": "x", "assigne": "ana"}"#,
    );
    assert_eq!(code(&answer), (400, Some("invalid_json")));
    assert!(message(&answer).contains("assigne"), "{answer:?}");
    let (status, opened) = server.call("POST", "/cases", ana, case(vec![&taken]).as_bytes());
    assert_eq!(status, 201, "{opened}");
    let case_id = text(&opened["id"]);
    assert_eq!(
        (opened["state"].as_str(), opened["created_by"].as_str()),
        (Some("open"), Some("ana"))
    );
    let actions = format!("/cases/{case_id}/actions");
    let act = |token: Option<&str>, action: Value| {
        server.call("POST", &actions, token, action.to_string().as_bytes())
    };
    // A step the case does not take names both states; a note too long is refused.
    let answer = act(
        ana,
        json!({"action": "move", "from": "open", "to": "closed"}),
    );
    assert_eq!(code(&answer), (409, Some("conflict")), "{answer:?}");
    assert!(
        message(&answer).contains("does not go from open to closed"),
        "{answer:?}"
    );
    let answer = act(ana, json!({"action": "note", "text": "x".repeat(20_000)}));
    assert_eq!(code(&answer), (422, Some("invalid")), "{answer:?}");
    assert!(
        message(&answer).contains("note is 20000 bytes"),
        "{answer:?}"
    );
    let answer = act(ana, json!({"action": "fly"}));
    assert_eq!(code(&answer), (400, Some("invalid_json")), "{answer:?}");
    assert!(
        message(&answer).contains("unknown variant `fly`"),
        "{answer:?}"
    );
    let answer = server.call(
        "POST",
        "/cases/case-404/actions",
        ana,
        br#"{"action": "note", "text": "hello"}"#,
    );
    assert_eq!(code(&answer), (404, Some("case_not_found")), "{answer:?}");
    assert!(message(&answer).contains("case-404"), "{answer:?}");
    assert_eq!(
        code(&server.call("GET", "/cases/case-404", ana, b"")),
        (404, Some("case_not_found"))
    );
    // Through review and escalation to closed: its alert closes with it.
    let (status, moved) = act(
        ana,
        json!({"action": "move", "from": "open", "to": "in-review"}),
    );
    assert_eq!(
        (status, moved["state"].as_str()),
        (200, Some("in-review")),
        "{moved}"
    );
    let (status, _) = act(ana, json!({"action": "note", "text": "same birth date"}));
    assert_eq!(status, 200);
    let step = json!({"action": "move", "from": "in-review", "to": "escalated"});
    assert_eq!(act(sam, step).1["state"], "escalated");
    let answer = act(
        sam,
        json!({"action": "move", "from": "escalated", "to": "closed"}),
    );
    assert_eq!(code(&answer), (422, Some("invalid")), "{answer:?}");
    assert!(
        message(&answer).contains("needs a resolution"),
        "{answer:?}"
    );
    let (status, done) = act(
        sam,
        json!({"action": "move", "from": "escalated", "to": "closed", "resolution": "true-match"}),
    );
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        (done["state"].as_str(), done["resolution"].as_str()),
        (Some("closed"), Some("true-match"))
    );
    let late = act(
        ana,
        json!({"action": "move", "from": "open", "to": "in-review"}),
    );
    assert_eq!(code(&late), (409, Some("conflict")));
    assert!(message(&late).contains("someone acted first"), "{late:?}");
    let (status, view) = server.call("GET", &format!("/cases/{case_id}"), ana, b"");
    assert_eq!(status, 200, "{view}");
    let in_case = list(&view, "alerts");
    assert_eq!(in_case.len(), 1, "{view:#}");
    assert_eq!(in_case[0]["id"], taken.as_str());
    assert_eq!(
        (
            in_case[0]["state"].as_str(),
            in_case[0]["resolution"].as_str()
        ),
        (Some("closed"), Some("true-match"))
    );
    let timeline: Vec<(String, String)> = list(&view, "events")
        .iter()
        .map(|e| (text(&e["kind"]), text(&e["actor"])))
        .collect();
    let timeline: Vec<(&str, &str)> = timeline
        .iter()
        .map(|(k, a)| (k.as_str(), a.as_str()))
        .collect();
    assert_eq!(
        timeline,
        [
            ("open", "ana"),
            ("link", "ana"),
            ("state", "ana"),
            ("note", "ana"),
            ("state", "sam"),
            ("state", "sam"),
        ]
    );
    let (_, by_case) = server.call("GET", &format!("/alerts?case_id={case_id}"), ana, b"");
    assert_eq!(list(&by_case, "alerts")[0]["resolution"], "true-match");

    // A tip: its contact is kept apart, read by a supervisor only, and the read audited.
    let contact = "+52 55 1234 5678 (ask for Lupita)";
    let tip = json!({"kind": "tip", "title": "Hotline: cash at a currency exchange",
                     "detail": {"source": "hotline", "summary": "bulk cash on Fridays"},
                     "contact": contact});
    let (status, tip) = server.call("POST", "/cases", ana, tip.to_string().as_bytes());
    assert_eq!(status, 201, "{tip}");
    assert_eq!(tip["has_contact"], true);
    let tip_id = text(&tip["id"]);
    let (status, view) = server.call("GET", &format!("/cases/{tip_id}"), ana, b"");
    assert_eq!(status, 200);
    assert!(!view.to_string().contains("Lupita"), "{view}");
    let (_, listed) = server.call("GET", "/cases?kind=tip", ana, b"");
    assert!(!listed.to_string().contains("Lupita"), "{listed}");
    let tips: Vec<&str> = list(&listed, "cases")
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(tips, [tip_id.as_str()]);
    let contact_path = format!("/cases/{tip_id}/contact");
    let answer = server.call("GET", &contact_path, ana, b"");
    assert_eq!(code(&answer), (403, Some("forbidden")));
    assert!(
        message(&answer).contains("needs the supervisor role"),
        "{answer:?}"
    );
    let (status, read) = server.call("GET", &contact_path, sup, b"");
    assert_eq!(status, 200, "{read}");
    assert_eq!(read["contact"], contact);
    let answer = server.call("GET", &format!("/cases/{case_id}/contact"), sup, b"");
    assert_eq!(
        code(&answer),
        (404, Some("contact_not_found")),
        "{answer:?}"
    );
    let answer = server.call("GET", "/cases?kind=rumour", ana, b"");
    assert_eq!(code(&answer), (400, Some("invalid_parameter")));

    // A mutual-legal-assistance request starts as a draft and is sent.
    let mla = json!({"kind": "mla", "title": "Bank records of c-3",
                     "detail": {"request": "mla", "direction": "outgoing",
                                "requesting_state": "MX", "requested_state": "US",
                                "subject": "Rafael Caro Quintero",
                                "legal_basis": "MLAT MX-US 1987"}});
    let (status, request) = server.call("POST", "/cases", ana, mla.to_string().as_bytes());
    assert_eq!(status, 201, "{request}");
    assert_eq!(request["state"], "draft");
    let mla_id = text(&request["id"]);
    let (status, sent) = server.call(
        "POST",
        &format!("/cases/{mla_id}/actions"),
        ana,
        br#"{"action": "move", "from": "draft", "to": "sent"}"#,
    );
    assert_eq!(
        (status, sent["state"].as_str()),
        (200, Some("sent")),
        "{sent}"
    );
    let incomplete = json!({"kind": "mla", "title": "x", "detail": {"request": "mla"}});
    let answer = server.call("POST", "/cases", ana, incomplete.to_string().as_bytes());
    assert_eq!(code(&answer), (422, Some("invalid")), "{answer:?}");
    assert!(message(&answer).contains("detail.direction"), "{answer:?}");

    // A structuring day posted as transactions lands in the inbox, as ana's.
    let (day, next) = structuring_rows();
    let (status, body) = server.call("POST", "/transactions", ana, day.as_bytes());
    assert_eq!(
        (status, body["accepted"].as_u64()),
        (200, Some(3)),
        "{body}"
    );
    assert_eq!(body["inbox_ids"], json!([]));
    let (_, body) = server.call("POST", "/transactions", ana, next.as_bytes());
    let flagged = list(&body, "alerts");
    assert_eq!(flagged.len(), 1, "{body}");
    assert_eq!(flagged[0]["typology"], "structuring");
    let inbox_id = text(&body["inbox_ids"][0]);
    assert!(inbox_id.starts_with("alt-"), "{body}");
    let (_, monitoring) = server.call("GET", "/alerts?source=monitoring", ana, b"");
    let monitoring = list(&monitoring, "alerts");
    assert_eq!(monitoring.len(), 1, "{monitoring:?}");
    assert_eq!(monitoring[0]["id"], inbox_id.as_str());
    assert_eq!(monitoring[0]["subject"], "acct-77");
    assert_eq!(
        monitoring[0]["detail"]["transactions"],
        json!(["s1", "s2", "s3"])
    );

    // Gathered into a case by party: the account's open alerts come in.
    let gather =
        json!({"kind": "investigation", "title": "acct-77 structuring", "party": "acct-77"});
    let (status, gathered) = server.call("POST", "/cases", ana, gather.to_string().as_bytes());
    assert_eq!(status, 201, "{gathered}");
    let gathered_id = text(&gathered["id"]);
    let (_, view) = server.call("GET", &format!("/cases/{gathered_id}"), ana, b"");
    assert_eq!(view["alerts"][0]["id"], inbox_id.as_str(), "{view}");
    let nothing = json!({"kind": "investigation", "title": "x", "party": "acct-77"});
    let answer = server.call("POST", "/cases", ana, nothing.to_string().as_bytes());
    assert_eq!(code(&answer), (422, Some("invalid")), "{answer:?}");
    assert!(
        message(&answer).contains("no open alert outside a case"),
        "{answer:?}"
    );

    // Rescreening with nothing changed raises nothing.
    let (status, rerun) = server.call("POST", "/rescreen", ana, b"");
    assert_eq!(status, 200, "{rerun}");
    assert_eq!(rerun["alerts"], json!([]), "{rerun}");
    assert_eq!(rerun["parties_changed"], 0);
    assert_eq!(rerun["customers"], 3);
    assert!(rerun["run"].as_i64() > posted["screening"]["run"].as_i64());
    let answer = server.call("POST", "/rescreen?threshold=2", ana, b"");
    assert_eq!(code(&answer), (400, Some("invalid_parameter")));

    // A SAR rendered for the FIU as XML, its rendering audited as ana's; a bad report is
    // refused naming the field.
    let model = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../interdict-report/tests/it/structuring.json"),
    )
    .unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent
        .post(format!("{}/reports/sar?format=goaml", server.base()))
        .header("authorization", format!("Bearer {}", ana.unwrap()))
        .send(&model[..])
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let digest = response.headers()["x-content-sha256"]
        .to_str()
        .unwrap()
        .to_string();
    let xml = response.body_mut().read_to_string().unwrap();
    assert!(xml.contains("<report_code>STR</report_code>"), "{xml}");
    let mut bad: Value = serde_json::from_slice(&model).unwrap();
    bad["subjects"][0]["accounts"][0]["number"] = json!(" ");
    let answer = server.call(
        "POST",
        "/reports/sar?format=fincen",
        ana,
        bad.to_string().as_bytes(),
    );
    assert_eq!(code(&answer), (422, Some("invalid_report")), "{answer:?}");
    assert!(
        message(&answer).contains("subjects[0].accounts[0].number"),
        "{answer:?}"
    );
    let answer = server.call("POST", "/reports/sar?format=pdf", ana, &model);
    assert_eq!(
        code(&answer),
        (400, Some("invalid_parameter")),
        "{answer:?}"
    );

    // The trail names who did each.
    let (status, audit) = server.call("GET", "/audit?limit=1000", sup, b"");
    assert_eq!(status, 200);
    let records = list(&audit, "records");
    let by = |action: &str, subject: Option<&str>| -> Vec<String> {
        records
            .iter()
            .filter(|r| r["action"] == action && subject.is_none_or(|s| r["subject"] == s))
            .map(|r| text(&r["actor"]))
            .collect()
    };
    assert_eq!(by("customers.import", None), ["ana"]);
    assert_eq!(by("screening.run", None), ["ana", "ana"]);
    assert_eq!(by("alert.close", Some(&fp_id)), ["ana"]);
    assert_eq!(by("case.open", Some(&case_id)), ["ana"]);
    assert_eq!(by("case.move", Some(&case_id)), ["ana", "sam", "sam"]);
    assert_eq!(by("case.read", Some(&case_id)), ["ana"]);
    assert_eq!(by("tip.contact.read", Some(&tip_id)), ["sup"]);
    let raise = records
        .iter()
        .find(|r| {
            r["action"] == "alert.raise"
                && r["detail"]
                    .as_str()
                    .unwrap()
                    .contains(&format!("\"{inbox_id}\""))
        })
        .unwrap();
    assert_eq!(raise["actor"], "ana");
    let rendered = records
        .iter()
        .find(|r| r["action"] == "report.render")
        .unwrap();
    assert_eq!(rendered["actor"], "ana");
    assert!(text(&rendered["detail"]).contains(&digest), "{rendered}");
    let (_, check) = server.call("GET", "/audit/verify", sup, b"");
    assert_eq!(check["ok"], true, "{check}");

    // ana is disabled: the screening routes may still take her token from their cache, but
    // a batch that would raise alerts as hers is refused at once.
    assert_eq!(server.call("GET", "/catalog", ana, b"").0, 200);
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
    assert_eq!(server.call("GET", "/catalog", ana, b"").0, 200, "cached");
    let answer = server.call("POST", "/transactions", ana, next.as_bytes());
    assert_eq!(code(&answer), (401, Some("unauthenticated")), "{answer:?}");
    assert!(message(&answer).contains("ana is disabled"), "{answer:?}");
}

#[test]
fn without_users_the_inbox_and_cases_are_shut_and_every_route_is_documented() {
    let server = Server::start(bundled_store(), &[]);
    // The transaction stream stays open; nothing is raised for `anonymous`.
    let (status, body) = server.post("/transactions", b"");
    assert_eq!((status, &body["inbox_ids"]), (200, &Value::Null), "{body}");
    for (method, path) in [
        ("GET", "/alerts"),
        ("GET", "/alerts/alt-1"),
        ("POST", "/alerts/alt-1/close"),
        ("GET", "/cases"),
        ("POST", "/cases"),
        ("GET", "/cases/case-1"),
        ("POST", "/cases/case-1/actions"),
        ("GET", "/cases/case-1/contact"),
        ("POST", "/customers"),
        ("POST", "/rescreen"),
        ("POST", "/reports/sar"),
    ] {
        let answer = server.call(method, path, None, b"{}");
        assert_eq!(code(&answer), (401, Some("no_users")), "{method} {path}");
    }
    let (status, doc) = server.get("/openapi.json");
    assert_eq!(status, 200);
    let paths = doc["paths"].as_object().unwrap();
    for (path, method, codes) in [
        ("/alerts", "get", &["400", "403"][..]),
        ("/alerts/{id}", "get", &["403", "404"]),
        ("/alerts/{id}/close", "post", &["403", "404", "409", "422"]),
        ("/cases", "get", &["400", "403"]),
        ("/cases", "post", &["403", "409", "422"]),
        ("/cases/{id}", "get", &["403", "404"]),
        ("/cases/{id}/actions", "post", &["403", "404", "409", "422"]),
        ("/cases/{id}/contact", "get", &["403", "404"]),
        ("/customers", "post", &["400", "403", "413", "422"]),
        ("/rescreen", "post", &["403", "409", "422"]),
        ("/reports/sar", "post", &["400", "403", "422"]),
    ] {
        let operation = &paths[path][method];
        assert!(operation.is_object(), "{method} {path} undocumented");
        assert_eq!(
            operation["security"],
            json!([{"bearerAuth": []}]),
            "{method} {path}"
        );
        for status in ["401"].iter().chain(codes) {
            assert!(
                operation["responses"][status].is_object(),
                "{method} {path}: {status}"
            );
        }
    }
    let transactions = &paths["/transactions"]["post"]["responses"]["200"];
    assert!(
        transactions["content"]["application/json"]["schema"]["properties"]["inbox_ids"]
            .is_object()
    );
}
