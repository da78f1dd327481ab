//! Golden tests on the real list of 2026-02-27.

use std::collections::{BTreeMap, HashMap, HashSet};

use interdict_model::ids;

use super::*;

fn real() -> Option<ParsedList> {
    let Ok(bytes) = std::fs::read(REAL) else {
        eprintln!("skipped: {REAL} is not there");
        return None;
    };
    let file = InputFile::new("UN_consolidated.xml", bytes);
    Some(parse(&file, &ParseOptions::default()).expect("the real list parses"))
}

fn by_id(list: &ParsedList) -> HashMap<&str, &Entity> {
    list.entities.iter().map(|e| (e.id.as_str(), e)).collect()
}

fn values<'e>(e: &'e Entity, prop: &str) -> Vec<&'e str> {
    e.values(prop).collect()
}

#[test]
fn real_list_counts() {
    let Some(list) = real() else { return };
    let mut schemata: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &list.entities {
        *schemata.entry(e.schema.name).or_default() += 1;
    }
    let want = [
        ("Address", 495),
        ("Identification", 454),
        ("Organization", 273),
        ("Person", 730),
        ("Sanction", 1003),
    ];
    assert_eq!(schemata, BTreeMap::from(want));
    assert_eq!(list.published.as_deref(), Some("2026-02-27"));
    // Every element of the real list is mapped or deliberately ignored, and every country
    // name in it has a code.
    assert!(list.warnings.is_empty(), "{:#?}", list.warnings);
}

#[test]
fn real_list_aliases() {
    let Some(list) = real() else { return };
    let src = std::fs::read_to_string(REAL).unwrap();
    let elements =
        src.matches("<INDIVIDUAL_ALIAS>").count() + src.matches("<ENTITY_ALIAS>").count();
    assert_eq!(elements, 3043);
    let count = |prop| {
        list.entities
            .iter()
            .map(|e| e.values(prop).count())
            .sum::<usize>()
    };
    // 2,118 strong alias elements (Good, a.k.a.) and 378 original-script names, less 11
    // repeats within a record; 19 former names (f.k.a.), one of which is also a strong
    // alias of its record; 615 weak (Low); 291 empty placeholders.
    assert_eq!(count("alias") + count("previousName"), 2505);
    assert_eq!(count("previousName"), 19);
    assert_eq!(count("weakAlias"), 615);
    let arabic = |s: &str| s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
    let with_arabic = list
        .entities
        .iter()
        .filter(|e| e.values("alias").any(arabic))
        .count();
    assert!(with_arabic >= 366, "{with_arabic}");
}

#[test]
fn real_list_qdi_001() {
    let Some(list) = real() else { return };
    let index = by_id(&list);
    let p = index["un-QDi.001"];
    assert_eq!(p.schema.name, "Person");
    assert_eq!(p.origin.as_deref(), Some("UN_consolidated.xml#QDi.001"));
    assert_eq!(
        values(p, "name"),
        ["MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE"]
    );
    assert_eq!(
        values(p, "alias"),
        [
            "محمد صلاح الدين عبدالحليم زيدان",
            "Sayf-Al Adl",
            "Muhamad Ibrahim Makkawi"
        ]
    );
    assert_eq!(
        values(p, "weakAlias"),
        ["Ibrahim al-Madani", "Saif Al-'Adil", "Seif al Adel"]
    );
    assert_eq!(values(p, "birthDate"), ["1963-04-11", "1960-04-11"]);
    assert_eq!(values(p, "nationality"), ["eg"]);
    assert!(!p.has("firstName") && !p.has("lastName"));
    let sanction = index[ids::derived("un-san", &["un-QDi.001"]).as_str()];
    assert_eq!(values(sanction, "program"), ["Al-Qaida"]);
    assert_eq!(values(sanction, "listingDate"), ["2001-01-25"]);
    assert_eq!(values(sanction, "unscId"), ["QDi.001"]);
}

#[test]
fn real_list_between_dates_and_documents() {
    let Some(list) = real() else { return };
    let index = by_id(&list);
    // TAi.002: BETWEEN 1955 and 1958, and BETWEEN 1945 and 1950.
    assert_eq!(
        values(index["un-TAi.002"], "birthDate"),
        ["1955", "1958", "1945", "1950"]
    );
    let holder = index["un-QDi.300"];
    assert!(values(holder, "passportNumber").contains(&"5208323009"));
    let doc = list
        .entities
        .iter()
        .find(|e| e.schema.name == "Identification" && e.first("number") == Some("5208323009"))
        .expect("the German passport of QDi.300");
    assert_eq!(values(doc, "holder"), ["un-QDi.300"]);
    assert_eq!(values(doc, "country"), ["de"]);
    assert_eq!(values(doc, "startDate"), ["2007-02-02"]);
    assert_eq!(values(doc, "type"), ["Passport"]);
}

#[test]
fn real_list_links_resolve_and_ids_are_unique() {
    let Some(list) = real() else { return };
    let index = by_id(&list);
    assert_eq!(index.len(), list.entities.len());
    let mut sanctioned = HashSet::new();
    for e in &list.entities {
        for (prop, v) in e.iter() {
            if prop.prop_type == interdict_model::PropType::Entity {
                assert!(
                    index.contains_key(v.value.as_str()),
                    "{} {}: {}",
                    e.id,
                    prop.name,
                    v.value
                );
            }
        }
        if e.schema.name == "Sanction" {
            assert!(sanctioned.insert(e.first("entity").unwrap()));
        }
    }
    let parties = list
        .entities
        .iter()
        .filter(|e| e.schema.is_a("LegalEntity"))
        .count();
    assert_eq!((parties, sanctioned.len()), (1003, 1003));
}

#[test]
#[ignore = "timing; run with cargo test --release -- --ignored --nocapture"]
fn real_list_parse_time() {
    let Ok(bytes) = std::fs::read(REAL) else {
        return;
    };
    let file = InputFile::new("UN_consolidated.xml", bytes);
    let mut times = Vec::new();
    for _ in 0..20 {
        let start = std::time::Instant::now();
        let list = parse(&file, &ParseOptions::default()).unwrap();
        times.push(start.elapsed());
        drop(list);
    }
    eprintln!(
        "first {:?}, best {:?}",
        times[0],
        times.iter().min().unwrap()
    );
}
