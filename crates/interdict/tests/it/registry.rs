//! The bundled lists, ingested end to end: counts and golden real entries.

use serde_json::Value;

use crate::{bundled_store, json, ok};

fn values<'a>(entity: &'a Value, prop: &str) -> Vec<&'a str> {
    entity["properties"][prop]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["value"].as_str())
        .collect()
}

fn programs(entity: &Value) -> Vec<&str> {
    let mut out: Vec<&str> = entity["sanctions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["properties"]["program"].as_array().unwrap())
        .filter_map(Value::as_str)
        .collect();
    out.sort_unstable();
    out
}

fn show(id: &str) -> Value {
    json(bundled_store(), &["entity", "show", id, "--json"])
}

#[test]
fn the_bundled_lists_ingest_with_the_expected_counts() {
    let summary = json(bundled_store(), &["summary", "--json"]);
    // data/lists/README.md: 14,967 SDN, 442 non-SDN (61 also SDN) and 1,003 UN records.
    assert_eq!(summary["by_dataset"]["ofac-sdn"], 14_967);
    assert_eq!(summary["by_dataset"]["ofac-cons"], 442);
    assert_eq!(summary["by_dataset"]["un-sc"], 1_003);
    assert!(summary["by_program"]["SDNTK"].as_u64().unwrap() > 1_000);
    let lists = json(bundled_store(), &["lists", "--json"]);
    let datasets: Vec<&str> = lists
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["dataset"].as_str())
        .collect();
    assert_eq!(datasets, ["ofac-cons", "ofac-sdn", "un-sc"]);
}

#[test]
fn the_summary_table_names_schemata_lists_and_programs() {
    let text = ok(bundled_store(), &["summary"]);
    for needle in [
        "Entities by schema",
        "Person",
        "Sanctioned entities by list",
        "ofac-sdn",
        "Sanctioned entities by program",
        "SDNTK",
        "ILLICIT-DRUGS-EO14059",
    ] {
        assert!(text.contains(needle), "summary lacks {needle}:\n{text}");
    }
}

#[test]
fn sinaloa_cartel() {
    let e = show("ofac-11440");
    assert_eq!(e["schema"], "Organization");
    assert_eq!(values(&e, "name"), ["SINALOA CARTEL"]);
    assert!(values(&e, "alias").contains(&"CARTEL DE SINALOA"));
    let weak = values(&e, "weakAlias");
    assert!(
        weak.contains(&"MEXICAN FEDERATION") && weak.contains(&"GUADALAJARA CARTEL"),
        "{weak:?}"
    );
    assert_eq!(
        programs(&e),
        ["FTO", "ILLICIT-DRUGS-EO14059", "SDGT", "SDNTK"]
    );
    // The name comes from the 2025/26 key row that overlays the 2024 file.
    let name = &e["properties"]["name"][0];
    assert!(
        name["source_id"]
            .as_str()
            .unwrap()
            .contains("sdn_key_rows.csv"),
        "{name}"
    );
    assert_eq!(name["dataset"], "ofac-sdn");
    assert_eq!(name["label"], "PUBLIC");
}

#[test]
fn cjng_and_its_linked_member() {
    let e = show("ofac-17671");
    assert_eq!(values(&e, "name"), ["CARTEL DE JALISCO NUEVA GENERACION"]);
    assert!(values(&e, "alias").contains(&"CJNG"));
    assert_eq!(
        programs(&e),
        ["FTO", "ILLICIT-DRUGS-EO14059", "SDGT", "SDNTK"]
    );
    let linked: Vec<&str> = e["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["other"]["id"].as_str())
        .collect();
    assert!(
        linked.contains(&"ofac-49747"),
        "RIVERA IBARRA is not linked: {linked:?}"
    );
    let rivera = show("ofac-49747");
    assert_eq!(values(&rivera, "birthDate"), ["1969-11-29"]);
    assert_eq!(values(&rivera, "nationality"), ["mx"]);
    assert!(values(&rivera, "weakAlias").contains(&"El Guerito"));
    let target: Vec<&str> = rivera["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["other"]["id"].as_str())
        .collect();
    assert_eq!(target, ["ofac-17671"]);
}

#[test]
fn guzman_loera() {
    let e = show("ofac-6861");
    assert_eq!(e["schema"], "Person");
    assert_eq!(values(&e, "name"), ["GUZMAN LOERA, Joaquin"]);
    assert_eq!(values(&e, "birthDate"), ["1954-12-25"]);
    assert_eq!(values(&e, "birthPlace"), ["Mexico"]);
    let aliases = values(&e, "alias");
    assert!(
        aliases.contains(&"GUZMAN, Chapo") && aliases.contains(&"GUZMAN LOESA, Joaquin"),
        "{aliases:?}"
    );
    assert_eq!(programs(&e), ["SDNTK"]);
    let alias = e["properties"]["alias"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["value"] == "GUZMAN, Chapo")
        .unwrap();
    assert!(
        alias["source_id"]
            .as_str()
            .unwrap()
            .contains("alt.csv#4618"),
        "{alias}"
    );
}

#[test]
fn ms13_and_tren_de_aragua() {
    let ms13 = show("ofac-15412");
    assert!(values(&ms13, "alias").contains(&"MARA SALVATRUCHA"));
    assert_eq!(programs(&ms13), ["FTO", "SDGT", "TCO"]);
    let tda = show("ofac-49756");
    assert_eq!(values(&tda, "name"), ["TREN DE ARAGUA"]);
    assert!(values(&tda, "alias").contains(&"EL TREN DE ARAGUA"));
    assert!(values(&tda, "weakAlias").contains(&"ARAGUA TRAIN"));
    assert_eq!(programs(&tda), ["FTO", "SDGT", "TCO"]);
}

#[test]
fn el_mencho_keeps_nemesio_as_alias() {
    let e = show("ofac-17674");
    assert_eq!(values(&e, "name"), ["OSEGUERA CERVANTES, Ruben"]);
    assert!(values(&e, "alias").contains(&"OSEGUERA CERVANTES, Nemesio"));
}

#[test]
fn a_vessel() {
    let e = show("ofac-4243");
    assert_eq!(e["schema"], "Vessel");
    assert_eq!(values(&e, "name"), ["EBANO"]);
    assert!(
        values(&e, "imoNumber")
            .iter()
            .any(|v| v.contains("7406784"))
    );
    assert_eq!(values(&e, "flag"), ["pa"]);
    let previous = values(&e, "previousName");
    let weak = values(&e, "weakAlias");
    assert!(
        previous.contains(&"SAND SWAN") || weak.contains(&"SAND SWAN"),
        "{previous:?} {weak:?}"
    );
}

#[test]
fn a_un_entry_with_its_name_in_original_script() {
    let e = show("un-IQi.001");
    assert_eq!(e["schema"], "Person");
    assert!(
        values(&e, "alias").contains(&"صدام حسين التكريتي"),
        "{:?}",
        values(&e, "alias")
    );
    assert_eq!(programs(&e), ["Iraq"]);
    assert_eq!(e["datasets"], serde_json::json!(["un-sc"]));
}

#[test]
fn an_entry_on_both_ofac_lists_is_one_entity() {
    // OFAC uses one id space: ZAHHAR is on the SDN list (SDGT) and the non-SDN list (NS-PLC).
    let e = show("ofac-9647");
    assert_eq!(e["datasets"], serde_json::json!(["ofac-cons", "ofac-sdn"]));
    assert_eq!(
        values(&e, "name"),
        ["ZAHHAR, Mahmoud Khaled", "ZAHHAR, Mahmoud Khaled"]
    );
    let datasets: Vec<&str> = e["properties"]["name"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["dataset"].as_str())
        .collect();
    assert_eq!(datasets, ["ofac-cons", "ofac-sdn"]);
    assert!(
        programs(&e).contains(&"NS-PLC") && programs(&e).contains(&"SDGT"),
        "{:?}",
        programs(&e)
    );
}
