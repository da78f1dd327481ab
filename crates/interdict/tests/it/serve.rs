//! `interdict serve` over real HTTP: yente-shaped matching on the bundled lists, every error
//! in one shape, suppressions, and an index that follows a new list version.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::{bundled_store, ok};

/// A running server, killed when dropped.
pub(crate) struct Server {
    child: Child,
    base: String,
    agent: ureq::Agent,
    /// Sent as `Authorization: Bearer …` by `get`, `post`, `delete` and `match_one`.
    token: Option<String>,
}

impl Server {
    pub(crate) fn start(db: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_interdict"))
            .arg("--db")
            .arg(db)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the interdict binary starts");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("the server prints its address")
                .unwrap();
            if let Some(address) = line.strip_prefix("interdict listening on ") {
                break address.to_string();
            }
        };
        // Keep reading, so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        // A fresh connection per request: the server may close one after answering a
        // refused POST without reading its body, and a pooled connection reused after that
        // fails as "peer disconnected" (seen once in a CI run) however right both sides are.
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_idle_connections(0)
            .build()
            .into();
        Server {
            child,
            base,
            agent,
            token: None,
        }
    }

    pub(crate) fn base(&self) -> &str {
        &self.base
    }

    /// The same calls, made with this API token.
    pub(crate) fn with_token(mut self, token: &str) -> Server {
        self.token = Some(token.to_string());
        self
    }

    /// One request as `token`'s user (or with no token): GET and DELETE without a body,
    /// POST with `body` as JSON. Returns the status and the JSON answer (`null` if none).
    pub(crate) fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: &[u8],
    ) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let bearer = token.map(|t| format!("Bearer {t}"));
        let response = match method {
            "GET" | "DELETE" => {
                let mut request = if method == "GET" {
                    self.agent.get(&url)
                } else {
                    self.agent.delete(&url)
                };
                if let Some(bearer) = &bearer {
                    request = request.header("authorization", bearer);
                }
                request.call()
            }
            _ => {
                let mut request = self
                    .agent
                    .post(&url)
                    .header("content-type", "application/json");
                if let Some(bearer) = &bearer {
                    request = request.header("authorization", bearer);
                }
                request.send(body)
            }
        };
        let mut response = response.unwrap();
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub(crate) fn get(&self, path: &str) -> (u16, Value) {
        self.call("GET", path, self.token.as_deref(), b"")
    }

    pub(crate) fn post(&self, path: &str, body: &[u8]) -> (u16, Value) {
        self.call("POST", path, self.token.as_deref(), body)
    }

    /// Sends raw bytes and reads the status and JSON body of the answer.
    fn raw(&self, request: &str) -> (u16, Value) {
        use std::io::{Read, Write};
        let address = self.base.trim_start_matches("http://");
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let status = answer[9..12].parse().unwrap();
        let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
        (status, serde_json::from_str(body).unwrap_or(Value::Null))
    }

    fn delete(&self, path: &str) -> u16 {
        self.call("DELETE", path, self.token.as_deref(), b"").0
    }

    pub(crate) fn wait_ready(&self, within: Duration) -> Value {
        let started = Instant::now();
        loop {
            let (status, body) = self.get("/readyz");
            if status == 200 {
                return body;
            }
            assert_eq!(status, 503, "{body}");
            assert_eq!(body["code"], "not_ready");
            assert!(started.elapsed() < within, "not ready after {within:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// One query; returns the results.
    pub(crate) fn match_one(&self, dataset: &str, query: Value) -> Vec<Value> {
        let body = json!({ "queries": { "q": query } });
        let (status, answer) = self.post(&format!("/match/{dataset}"), body.to_string().as_bytes());
        assert_eq!(status, 200, "{answer}");
        answer["responses"]["q"]["results"]
            .as_array()
            .unwrap()
            .clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn person(name: &str) -> Value {
    json!({"schema": "Person", "properties": {"name": [name]}})
}

pub(crate) fn ids(results: &[Value]) -> Vec<&str> {
    results.iter().map(|r| r["id"].as_str().unwrap()).collect()
}

fn matched(results: &[Value]) -> Vec<&str> {
    results
        .iter()
        .filter(|r| r["match"] == true)
        .map(|r| r["id"].as_str().unwrap())
        .collect()
}

#[test]
fn real_cases_match_over_http_with_their_explanation() {
    let server = Server::start(bundled_store(), &[]);
    let ready = server.wait_ready(Duration::from_secs(120));
    assert_eq!(ready["list_versions"]["ofac-sdn"], "2024-05-03");
    assert!(ready["parties"].as_u64().unwrap() > 15_000, "{ready}");

    let chapo = server.match_one("default", person("Joaquin Guzman"));
    assert!(ids(&chapo).contains(&"ofac-6861"), "{chapo:#?}");
    let top = &chapo[0];
    for key in [
        "id",
        "caption",
        "schema",
        "properties",
        "datasets",
        "score",
        "match",
    ] {
        assert!(!top[key].is_null(), "result lacks {key}: {top}");
    }
    assert_eq!(top["explanation"][0]["feature"], "name_similarity");
    assert_eq!(top["algorithm"], "interdict-screen-2");

    // OFAC lists "Chapo" for him as an a.k.a. (`GUZMAN, Chapo`), not as a weak alias; the
    // nicknames one letter away (`EL CHATO`, `EL CHAYO`) are weak aliases, and count less.
    let nickname = server.match_one("default", person("El Chapo"));
    assert!(matched(&nickname).contains(&"ofac-6861"), "{nickname:#?}");
    let weak: Vec<&Value> = nickname
        .iter()
        .filter(|r| r["explanation"][0]["source"] == "weakAlias")
        .collect();
    assert!(!weak.is_empty(), "{nickname:#?}");
    for hit in weak {
        let similarity = hit["features"]["name_similarity"].as_f64().unwrap();
        let penalty = hit["features"]["weak_alias"].as_f64().unwrap();
        assert!(penalty < 0.0);
        assert!((hit["score"].as_f64().unwrap() - (similarity + penalty)).abs() < 1e-9);
    }

    let org = |name: &str| json!({"schema": "Organization", "properties": {"name": name}});
    assert_eq!(
        matched(&server.match_one("default", org("Cartel de Sinaloa")))[0],
        "ofac-11440"
    );
    assert_eq!(
        matched(&server.match_one("default", org("Sinaloa Kartel")))[0],
        "ofac-11440"
    );
    assert_eq!(
        matched(&server.match_one("default", org("CJNG")))[0],
        "ofac-17671"
    );
    // A UN name from its original script, and a Russian rendering of its Latin form.
    for name in ["عابد حامد محمود التكريتي", "Абид Хамид Махмуд аль-Тикрити"]
    {
        let results = server.match_one("un-sc", person(name));
        assert_eq!(matched(&results).first(), Some(&"un-IQi.004"), "{name}");
    }
    for name in ["George Bush", "Emma Daniels"] {
        assert_eq!(
            matched(&server.match_one("default", person(name))),
            Vec::<&str>::new()
        );
    }
    // "11420 CORP." is itself on the SDN list (ofac-24430); a number one digit away is
    // another company, never a typo of it.
    let corp = |name: &str| json!({"schema": "Company", "properties": {"name": name}});
    assert_eq!(
        matched(&server.match_one("default", corp("11420 Corp"))),
        ["ofac-24430"]
    );
    for other in ["11421 Corp", "1142 Corp", "11420 Holdings"] {
        let found = server.match_one("default", corp(other));
        assert!(
            !matched(&found).contains(&"ofac-24430"),
            "{other}: {found:#?}"
        );
    }

    // An identifier decides alone; a dataset narrows the search.
    let vessel = json!({"schema": "Vessel", "properties": {"imoNumber": "IMO 9187629"}});
    let by_imo = server.match_one("default", vessel);
    assert_eq!(by_imo[0]["score"], 1.0, "{by_imo:#?}");
    assert_eq!(by_imo[0]["explanation"][0]["feature"], "identifier");
    assert!(
        server
            .match_one("un-sc", person("Joaquin Guzman"))
            .is_empty()
    );

    let (status, search) = server.get("/search/default?q=sinaloa%20cartel&limit=3");
    assert_eq!(status, 200);
    assert_eq!(search["results"][0]["id"], "ofac-11440", "{search}");
    let (status, entity) = server.get("/entities/ofac-6861");
    assert_eq!(status, 200);
    assert_eq!(entity["caption"], "GUZMAN LOERA, Joaquin");
    assert!(
        entity["provenance"]["name"][0]["first_seen"].is_string(),
        "{entity}"
    );
    let (status, exposure) = server.get("/entities/ofac-49747/exposure");
    assert_eq!(status, 200);
    assert_eq!(exposure["basis"], "listed");
    assert_eq!(
        exposure["signals"][0][0]["from"], "ofac-17671",
        "{exposure:#}"
    );
    assert_eq!(chapo[0]["status"]["basis"], "listed");
    let (status, catalog) = server.get("/catalog");
    assert_eq!(status, 200);
    assert_eq!(catalog["datasets"].as_array().unwrap().len(), 3);
}

#[test]
fn bad_requests_get_one_error_shape_and_the_server_stays_up() {
    let server = Server::start(bundled_store(), &[]);
    server.wait_ready(Duration::from_secs(120));
    let long = json!({"queries": {"q": person(&"A".repeat(10_000))}}).to_string();
    let many = json!({"queries": (0..101).map(|n| (n.to_string(), person("x"))).collect::<serde_json::Map<_, _>>()}).to_string();
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("/match/default", b"{".to_vec(), 400, "invalid_json"),
        ("/match/default", b"[]".to_vec(), 400, "invalid_json"),
        ("/match/default", b"".to_vec(), 400, "invalid_json"),
        (
            "/match/default",
            b"{\"queries\":{\"a\":{\"schema\":\"Person\",\"properties\":{\"name\":\"\xff\"}}}}"
                .to_vec(),
            400,
            "invalid_json",
        ),
        (
            "/match/default",
            br#"{"queries":{"a":{"schema":"Person","properties":{"name":[1]}}}}"#.to_vec(),
            400,
            "invalid_json",
        ),
        (
            "/match/default",
            br#"{"queries":{"a":{"schema":"Persn","properties":{"name":"x"}}}}"#.to_vec(),
            400,
            "unknown_schema",
        ),
        (
            "/match/default",
            br#"{"queries":{"a":{"schema":"Person","properties":{"nmae":"x"}}}}"#.to_vec(),
            400,
            "unknown_property",
        ),
        (
            "/match/default",
            br#"{"queries":{"a":{"schema":"Person","properties":{"name":" "}}}}"#.to_vec(),
            400,
            "empty_query",
        ),
        ("/match/default", long.into_bytes(), 400, "value_too_long"),
        ("/match/default", many.into_bytes(), 400, "too_many_queries"),
        (
            "/match/default?treshold=0.5",
            b"{}".to_vec(),
            400,
            "unknown_parameter",
        ),
        (
            "/match/default?threshold=2",
            b"{}".to_vec(),
            400,
            "invalid_parameter",
        ),
        (
            "/match/default?algorithm=logic-v2",
            b"{}".to_vec(),
            400,
            "unknown_algorithm",
        ),
        (
            "/match/nowhere",
            br#"{"queries":{}}"#.to_vec(),
            404,
            "dataset_not_found",
        ),
        ("/nothing", b"{}".to_vec(), 404, "no_route"),
        ("/healthz", b"{}".to_vec(), 405, "method_not_allowed"),
    ];
    for (path, body, status, code) in cases {
        let (got, error) = server.post(path, &body);
        assert_eq!(
            (got, error["code"].as_str()),
            (status, Some(code)),
            "{path}: {error}"
        );
        assert_eq!(error["status"], status);
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // A body announced too large is refused before it is read.
    let (status, error) = server.raw(
        "POST /match/default HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         Content-Length: 2000000\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(
        (status, error["code"].as_str()),
        (413, Some("body_too_large"))
    );
    let (status, error) = server.post(
        "/match/default",
        br#"{"queries":{"a":{"schema":"Person","properties":{"name":[1]}}}}"#,
    );
    assert_eq!(status, 400);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("queries.a.properties.name[0]: invalid type"),
        "{error}"
    );
    // Hostile but well-formed names get a clean, empty answer.
    for name in [
        "\u{0}\u{7}\u{202e}",
        "ab\u{301}\u{301}\u{301}c",
        "Иван 王 محمد Smith",
    ] {
        server.match_one("default", person(name));
    }
    for (path, code) in [
        ("/search/default", "invalid_parameter"),
        ("/search/default?q=x&limit=many", "invalid_parameter"),
        ("/entities/nobody", "entity_not_found"),
    ] {
        let (status, error) = server.get(path);
        assert_eq!(error["code"], code, "{path}: {status} {error}");
    }
    let (status, health) = server.get("/healthz");
    assert_eq!((status, health["status"].as_str()), (200, Some("ok")));
}

#[test]
fn the_openapi_document_names_every_route_and_the_algorithm() {
    let server = Server::start(bundled_store(), &[]);
    let (status, doc) = server.get("/openapi.json");
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/match/{dataset}", "post"),
        ("/search/{dataset}", "get"),
        ("/entities/{id}", "get"),
        ("/entities/{id}/exposure", "get"),
        ("/entities/{id}/adjacent", "get"),
        ("/catalog", "get"),
        ("/transactions", "post"),
        ("/suppressions", "get"),
        ("/suppressions", "post"),
        ("/suppressions/{customer_id}/{entity_id}", "delete"),
        ("/freezes", "get"),
        ("/freezes", "post"),
        ("/freezes/report", "get"),
        ("/freezes/{id}", "get"),
        ("/freezes/{id}/approve", "post"),
        ("/freezes/{id}/reject", "post"),
        ("/freezes/{id}/unblock", "post"),
        ("/freezes/{id}/approve-unblock", "post"),
        ("/freezes/{id}/reject-unblock", "post"),
        ("/audit", "get"),
        ("/audit/verify", "get"),
        ("/users", "get"),
        ("/users", "post"),
        ("/users/{name}/tokens", "post"),
        ("/me", "get"),
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/openapi.json", "get"),
    ] {
        assert!(
            paths[path][method].is_object(),
            "{method} {path} undocumented"
        );
        // Every route but the three probes may answer 401, and says so.
        let public = ["/healthz", "/readyz", "/openapi.json"].contains(&path);
        let operation = &paths[path][method];
        assert_eq!(
            operation["responses"]["401"].is_object(),
            !public,
            "{method} {path}: 401"
        );
        let schemes = operation["security"].as_array().unwrap();
        assert_eq!(
            schemes.iter().any(|s| s.get("bearerAuth").is_some()),
            !public,
            "{method} {path}: security"
        );
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearerAuth"]["scheme"],
        "bearer"
    );
    assert_eq!(
        paths["/freezes/{id}/approve"]["post"]["security"],
        json!([{"bearerAuth": []}])
    );
    for code in ["403", "404", "409"] {
        assert!(
            paths["/freezes/{id}/approve"]["post"]["responses"][code].is_object(),
            "{code}"
        );
    }
    let algorithms = &paths["/match/{dataset}"]["post"]["parameters"][4]["schema"]["enum"];
    assert_eq!(algorithms[0], "interdict-screen-2");
}

#[test]
fn a_decided_false_positive_is_not_raised_again_for_that_customer() {
    let staff = crate::serve_auth::Staff::new();
    let server = Server::start(&staff.db, &[]).with_token(&staff.analyst);
    server.wait_ready(Duration::from_secs(120));
    let query = |customer: &str| {
        json!({"schema": "Person", "customer_id": customer,
               "properties": {"name": "Joaquin Guzman"}})
    };
    let before = server.match_one("default", query("cust-http-1"));
    assert!(ids(&before).contains(&"ofac-6861"));
    // A user's query naming its customer is that customer's screening: its matches are in
    // the inbox, as the user's, once however often it is asked.
    let again = server.match_one("default", query("cust-http-1"));
    assert_eq!(ids(&again), ids(&before));
    let (status, inbox) = server.get("/alerts?source=screening");
    assert_eq!(status, 200, "{inbox}");
    let raised: Vec<&Value> = inbox["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["subject"] == "cust-http-1")
        .collect();
    let matched = before.iter().filter(|r| r["match"] == true).count();
    assert_eq!(raised.len(), matched, "{inbox:#}");
    assert!(
        raised.iter().any(|a| a["entity_id"] == "ofac-6861"),
        "{inbox:#}"
    );
    let blank = json!({"queries": {"q": query(" ")}});
    let (status, refused) = server.post("/match/default", blank.to_string().as_bytes());
    assert_eq!(status, 400, "{refused}");
    assert_eq!(refused["code"], "invalid_customer_id", "{refused}");
    // The decision is recorded as made by the token's user.
    let decision = json!({"customer_id": "cust-http-1", "entity_id": "ofac-6861",
                          "reason": "customer born 1990"});
    let (status, stored) = server.post("/suppressions", decision.to_string().as_bytes());
    assert_eq!(status, 201, "{stored}");
    assert_eq!(stored["decided_by"], "ana");
    let after = server.match_one("default", query("cust-http-1"));
    assert!(!ids(&after).contains(&"ofac-6861"), "{after:#?}");
    // Another customer of the same name is still screened against him.
    assert!(ids(&server.match_one("default", query("cust-http-2"))).contains(&"ofac-6861"));
    let (status, listed) = server.get("/suppressions?customer_id=cust-http-1");
    assert_eq!(status, 200);
    assert_eq!(listed["suppressions"][0]["reason"], "customer born 1990");
    assert_eq!(server.delete("/suppressions/cust-http-1/ofac-6861"), 204);
    assert_eq!(server.delete("/suppressions/cust-http-1/ofac-6861"), 404);
    assert!(ids(&server.match_one("default", query("cust-http-1"))).contains(&"ofac-6861"));
    // Both changes are in the audit trail under ana's name.
    let (_, audit) = server.call("GET", "/audit?limit=1000", Some(&staff.supervisor), b"");
    let mine: Vec<&str> = audit["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["subject"] == "cust-http-1 ofac-6861")
        .map(|r| {
            assert_eq!(r["actor"], "ana", "{r}");
            r["action"].as_str().unwrap()
        })
        .collect();
    assert_eq!(mine, ["suppression.add", "suppression.remove"], "{audit:#}");
    let unknown = json!({"customer_id": "c", "entity_id": "ofac-0", "reason": "r"});
    let (status, error) = server.post("/suppressions", unknown.to_string().as_bytes());
    assert_eq!(
        (status, error["code"].as_str()),
        (400, Some("invalid_suppression"))
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("no entity \"ofac-0\"")
    );
    // Nobody decides in another's name.
    let forged = json!({"customer_id": "c", "entity_id": "ofac-6861", "reason": "r",
                        "decided_by": "sup"});
    let (status, error) = server.post("/suppressions", forged.to_string().as_bytes());
    assert_eq!(
        (status, error["code"].as_str()),
        (400, Some("invalid_suppression"))
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("decided_by:"),
        "{error}"
    );
    let (status, error) = server.post("/suppressions", br#"{"customer_id":"c"}"#);
    assert_eq!(
        (status, error["code"].as_str()),
        (400, Some("invalid_json"))
    );
    // Without a token, neither decisions nor screening are open once users exist.
    let (status, error) = server.call("GET", "/suppressions", None, b"");
    assert_eq!(
        (status, error["code"].as_str()),
        (401, Some("unauthenticated"))
    );
    let body = json!({"queries": {"q": query("cust-http-1")}}).to_string();
    let (status, _) = server.call("POST", "/match/default", None, body.as_bytes());
    assert_eq!(status, 401);
}

#[test]
fn an_empty_store_gets_the_bundled_lists_and_a_new_version_is_picked_up() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fresh.db");
    let server = Server::start(&db, &["--reload-interval", "1"]);
    let ready = server.wait_ready(Duration::from_secs(300));
    assert_eq!(ready["list_versions"]["un-sc"], "2026-02-27");
    let name = "Ignatius Quillfeather Montgomery";
    assert!(matched(&server.match_one("default", person(name))).is_empty());

    let extra = dir.path().join("local.ftm.json");
    let entity = json!({"id": "local-1", "schema": "Person",
                        "properties": {"name": [name], "nationality": ["mx"]}});
    let front = json!({"id": "local-co", "schema": "Company",
                       "properties": {"name": ["Quillfeather Logistica SA de CV"]}});
    let holding = json!({"id": "local-own", "schema": "Ownership",
                         "properties": {"owner": ["ofac-17671"], "asset": ["local-co"],
                                        "percentage": ["60"]}});
    let sanction = json!({"id": "local-san", "schema": "Sanction",
                          "properties": {"entity": ["local-1"], "program": ["LOCAL"]}});
    let bystander = json!({"id": "local-other", "schema": "Company",
                           "properties": {"name": ["Quillfeather Bakery Ltd"]}});
    std::fs::write(
        &extra,
        format!("{entity}\n{sanction}\n{front}\n{holding}\n{bystander}\n"),
    )
    .unwrap();
    ok(
        &db,
        &[
            "ingest",
            extra.to_str().unwrap(),
            "--dataset",
            "local",
            "--version-date",
            "2026-11-01",
        ],
    );
    let started = Instant::now();
    loop {
        let (_, ready) = server.get("/readyz");
        if ready["list_versions"]["local"] == "2026-11-01" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "index not rebuilt: {ready}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(
        matched(&server.match_one("local", person(name))),
        ["local-1"]
    );

    // A company the cartel owns 60% of is blocked by the 50% rule, and a hit on it says so.
    let company = json!({"schema": "Company", "properties": {"name": "Quillfeather Logistica"}});
    let hits = server.match_one("local", company);
    assert_eq!(hits[0]["id"], "local-co", "{hits:#?}");
    // A company of the same data that is neither designated nor blocked is not screened.
    let bakery = json!({"schema": "Company", "properties": {"name": "Quillfeather Bakery"}});
    assert!(server.match_one("local", bakery).is_empty());
    let status = &hits[0]["status"];
    assert_eq!(
        (status["blocked"].as_bool(), status["basis"].as_str()),
        (Some(true), Some("ownership"))
    );
    assert_eq!(status["paths"][0][0]["from"], "ofac-17671");
    assert_eq!(status["paths"][0][0]["percentage"], "60");
    let (code, exposure) = server.get("/entities/local-co/exposure?depth=2");
    assert_eq!(code, 200);
    assert_eq!(exposure["held"], "60");
    let (code, eu) = server.get("/entities/local-co/exposure?mode=eu-uk&as_of=2026-01-01");
    assert_eq!((code, eu["basis"].as_str()), (200, Some("ownership")));
    let (_, adjacent) = server.get("/entities/local-co/adjacent");
    assert_eq!(
        adjacent["adjacent"]["ownershipAsset"]["results"][0]["id"], "local-own",
        "{adjacent:#}"
    );
}

#[test]
fn transaction_batches_feed_one_monitor_and_return_the_alerts_they_close() {
    let server = Server::start(bundled_store(), &[]);
    let deposit = |id: &str, hour: u32, from: &str, amount: &str| {
        format!(
            r#"{{"id":"{id}","timestamp":"2026-03-02T{hour:02}:00:00Z","from":"{from}","to":"acct-9","amount":"{amount}","currency":"USD","channel":"cash","location":"US-TX"}}"#
        )
    };
    // Two batches make one structuring day; a bad row is named by its line in the batch.
    let first = [
        deposit("t1", 9, "d1", "4000.00"),
        "{\"timestamp\":\"nope\"}".into(),
    ]
    .join("\n");
    let (status, body) = server.post("/transactions", first.as_bytes());
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["accepted"], 1);
    assert_eq!(body["refused"][0]["line"], 2, "{body}");
    let second = [
        deposit("t2", 11, "d2", "3500.00"),
        deposit("t3", 15, "d3", "3000.00"),
    ]
    .join("\n");
    let (_, body) = server.post("/transactions", second.as_bytes());
    assert_eq!(body["accepted"], 2);
    assert_eq!(
        body["alerts"],
        serde_json::json!([]),
        "the day is not over yet"
    );
    // A row past the day and the monitor's warm-up (four days of history to judge the
    // account's usual cash against) closes it: its alert names all three deposits.
    let next = r#"{"id":"t4","timestamp":"2026-03-08T09:00:00Z","from":"x","to":"y","amount":"5.00","currency":"USD","channel":"wire"}"#;
    let (_, body) = server.post("/transactions", next.as_bytes());
    let alerts = body["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 1, "{body}");
    assert_eq!(alerts[0]["typology"], "structuring");
    assert_eq!(
        alerts[0]["transactions"],
        serde_json::json!(["t1", "t2", "t3"])
    );
}

#[test]
fn the_transaction_monitor_takes_a_rules_file_and_watches_listed_wallets() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, "[structuring]\nmin_deposits = 5\n").unwrap();
    let server = Server::start(bundled_store(), &["--rules", rules.to_str().unwrap()]);
    // The watch list is set with the screening index, once the lists are read.
    server.wait_ready(Duration::from_secs(120));
    // A payment to a wallet OFAC lists for ofac-47682 alerts at once, in the same answer.
    let row = r#"{"id":"w1","timestamp":"2026-03-02T09:00:00Z","from":"cust-7","to":"bc1q8ew45w2agdffrnwp6adt2gqrc9n4mkev9ns29c","amount":"900.00","currency":"USD","channel":"crypto"}"#;
    let (status, body) = server.post("/transactions", row.as_bytes());
    assert_eq!(status, 200, "{body}");
    let alerts = body["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 1, "{body}");
    assert_eq!(alerts[0]["typology"], "blocked-party");
    assert_eq!(alerts[0]["severity"], "critical");
    assert!(
        alerts[0]["summary"]
            .as_str()
            .unwrap()
            .contains("ofac-47682 (designated)"),
        "{body}"
    );
    // The rules file is in force: its version differs from the defaults'.
    let defaults = interdict_flow::Rules::default().version();
    assert_ne!(body["rules_version"], defaults.as_str(), "{body}");
    // A bad rules file stops the server before it listens, naming the key.
    std::fs::write(&rules, "[fan_in]\nhours = -1\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_interdict"))
        .arg("--db")
        .arg(bundled_store())
        .args(["serve", "--listen", "127.0.0.1:0", "--rules"])
        .arg(&rules)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("fan_in.hours must be positive"), "{said}");
}
