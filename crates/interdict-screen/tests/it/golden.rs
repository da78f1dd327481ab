//! Real cases on a handful of real list entries.

use interdict_model::Entity;
use interdict_screen::{Feature, Query, ScreenIndex, default_threshold};

fn entity(id: &str, schema: &str, props: &[(&str, &str)]) -> Entity {
    let mut e = Entity::new(id, schema).unwrap();
    for (p, v) in props {
        e.add(p, v).unwrap();
    }
    e
}

fn index() -> ScreenIndex {
    ScreenIndex::build(&[
        entity(
            "ofac-6861",
            "Person",
            &[
                ("name", "GUZMAN LOERA, Joaquin"),
                ("alias", "GUZMAN, Archibaldo"),
                ("weakAlias", "EL CHAPO"),
                ("birthDate", "1954-12-25"),
                ("nationality", "mx"),
            ],
        ),
        entity(
            "ofac-11440",
            "Organization",
            &[("name", "SINALOA CARTEL"), ("alias", "CARTEL DE SINALOA")],
        ),
        entity(
            "ofac-10601",
            "Company",
            &[("name", "KHAN & SCHIRINDEL GMBH"), ("country", "de")],
        ),
        entity(
            "un-QDi.001",
            "Person",
            &[
                ("name", "MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE"),
                ("alias", "محمد صلاح الدين عبدالحليم زيدان"),
            ],
        ),
        entity(
            "ofac-15036",
            "Vessel",
            &[("name", "ARTAVIL"), ("imoNumber", "IMO9187629")],
        ),
        entity(
            "ofac-10000",
            "Person",
            &[
                ("name", "CANO CORREA, Jhon Eidelber"),
                ("passportNumber", "AC877214"),
            ],
        ),
    ])
}

fn top(query: &Query) -> Option<interdict_screen::Match> {
    let threshold = default_threshold(query.schema.as_deref());
    index().screen(query, 5, threshold).into_iter().next()
}

fn person(name: &str) -> Query {
    Query {
        schema: Some("Person".into()),
        ..Query::name(name)
    }
}

fn check(query: Query, want: Option<&str>) {
    let got = top(&query);
    assert_eq!(
        got.as_ref().map(|m| m.entity_id.as_str()),
        want,
        "{query:?}: {got:#?}"
    );
}

#[test]
fn real_names_find_their_party() {
    check(person("Joaquin Guzman"), Some("ofac-6861"));
    check(person("GUZMAN LOERA, Joaquín"), Some("ofac-6861"));
    check(Query::name("Cartel de Sinaloa"), Some("ofac-11440"));
    check(Query::name("Khan and Schirindel GmbH"), Some("ofac-10601"));
    check(person("محمد صلاح الدين عبدالحليم زيدان"), Some("un-QDi.001"));
    check(
        person("ZIDANE, Mohammed Salahaldin Abd El Halim"),
        Some("un-QDi.001"),
    );
}

#[test]
fn unrelated_names_are_not_matched() {
    check(person("George Bush"), None);
    check(person("Emma Daniels"), None);
    check(Query::name("11420 Corp"), None);
    check(person(""), None);
    check(person(&"x".repeat(10_000)), None);
    check(person("\u{0}\u{7}\u{202e}"), None);
}

#[test]
fn weak_aliases_count_less_and_say_so() {
    let hit = top(&person("El Chapo")).expect("a weak alias still matches");
    assert_eq!(hit.entity_id, "ofac-6861");
    assert!(hit.score < 1.0);
    assert!(
        hit.explanation
            .iter()
            .any(|f| matches!(f, Feature::WeakAlias { .. }))
    );
}

#[test]
fn identifiers_decide_alone() {
    let query = Query {
        id_number: Some("IMO 9187629".into()),
        ..Query::name("Unrelated Name")
    };
    let hit = top(&query).unwrap();
    assert_eq!((hit.entity_id.as_str(), hit.score), ("ofac-15036", 1.0));
    let query = Query {
        id_number: Some("ac877214".into()),
        ..person("")
    };
    assert_eq!(top(&query).unwrap().entity_id, "ofac-10000");
}

#[test]
fn qualifiers_move_the_score() {
    let plain = top(&person("Joaquin Guzman")).unwrap().score;
    let born = Query {
        birth_date: Some("1954-12-25".into()),
        ..person("Joaquin Guzman")
    };
    let other = Query {
        birth_date: Some("1980".into()),
        ..person("Joaquin Guzman")
    };
    assert!(top(&born).unwrap().score > plain);
    assert!(top(&other).map_or(0.0, |m| m.score) < plain);
    let as_company = Query {
        schema: Some("Company".into()),
        ..Query::name("Joaquin Guzman")
    };
    assert!(top(&as_company).map_or(0.0, |m| m.score) < plain);
}

#[test]
fn results_serialise_with_their_explanation() {
    let hit = top(&person("Joaquin Guzman")).unwrap();
    let json = serde_json::to_value(&hit).unwrap();
    assert_eq!(json["entity_id"], "ofac-6861");
    assert_eq!(json["algorithm"], interdict_screen::ALGORITHM_VERSION);
    assert_eq!(json["explanation"][0]["feature"], "name_similarity");
    assert_eq!(json["explanation"][0]["source"], "name");
    assert!(json["ofac_score"].as_f64().unwrap() > 0.9);
}
