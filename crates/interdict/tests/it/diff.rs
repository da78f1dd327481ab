//! The diff between the two real SDN versions (2021-07-07 and 2024-05-03), checked on real entries
//! and against an independent comparison of the raw rows.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::{json, ok, shared};

/// ent_num → the row's trimmed fields, read with the csv crate (no interdict code involved).
fn raw_rows(path: &Path) -> BTreeMap<String, Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .unwrap();
    reader
        .records()
        .filter_map(Result::ok)
        .filter(|r| r.len() == 12)
        .map(|r| {
            (
                r[0].to_string(),
                r.iter().map(|f| f.trim().to_string()).collect(),
            )
        })
        .collect()
}

fn entry<'a>(list: &'a Value, id: &str) -> Option<&'a Value> {
    list.as_array().unwrap().iter().find(|e| e["id"] == id)
}

fn change<'a>(diff: &'a Value, id: &str, prop: &str, side: &str) -> Vec<&'a str> {
    let e = entry(&diff["changed"], id).unwrap_or_else(|| panic!("{id} not reported as changed"));
    e["changes"][prop][side]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

#[test]
fn the_2021_to_2024_sdn_diff_is_right() {
    let (Some(old), Some(new)) = (
        shared("ofac_sdn_2021-07-07/sdn.csv"),
        shared("ofac_sdn_2024-05-03/sdn.csv"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("diff.db");
    ok(&db, &["ingest", old.to_str().unwrap()]);
    ok(&db, &["ingest", new.to_str().unwrap()]);
    let report = json(
        &db,
        &[
            "lists",
            "diff",
            "ofac-sdn",
            "--from",
            "2021-07-07",
            "--to",
            "2024-05-03",
            "--json",
        ],
    );
    let diff = &report["diff"];

    // Counts, against the raw rows compared by ent_num.
    let (before, after) = (raw_rows(&old), raw_rows(&new));
    let ids = |keys: Vec<&String>| {
        keys.into_iter()
            .map(|k| format!("ofac-{k}"))
            .collect::<BTreeSet<_>>()
    };
    let added = ids(after.keys().filter(|k| !before.contains_key(*k)).collect());
    let removed = ids(before.keys().filter(|k| !after.contains_key(*k)).collect());
    let rows_changed = ids(before
        .iter()
        .filter(|(k, row)| after.get(*k).is_some_and(|r| r != *row))
        .map(|(k, _)| k)
        .collect());
    let reported = |kind: &str| -> BTreeSet<String> {
        diff[kind]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["schema"] != "Address")
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!((added.len(), removed.len()), (6_870, 881));
    assert_eq!(reported("added"), added);
    assert_eq!(reported("removed"), removed);
    // Every reported change is a row that changed; a changed row may parse to the same facts.
    let changed = reported("changed");
    assert!(
        changed.is_subset(&rows_changed),
        "{:?}",
        changed.difference(&rows_changed).collect::<Vec<_>>()
    );
    assert!(
        changed.len() + 5 >= rows_changed.len(),
        "{} of {} changed rows reported",
        changed.len(),
        rows_changed.len()
    );
    // A change of name or program tags always shows.
    for (k, row) in &before {
        let renamed_or_relisted = after
            .get(k)
            .is_some_and(|now| row[1] != now[1] || row[3] != now[3]);
        assert!(
            !renamed_or_relisted || changed.contains(&format!("ofac-{k}")),
            "ofac-{k}: name or programs changed, unreported"
        );
    }

    // Real entries: five additions (cartel and TCO designations of 2021-24), five removals.
    for (id, caption) in [
        ("ofac-39376", "LA NUEVA FAMILIA MICHOACANA"),
        ("ofac-31632", "PRIMEIRO COMANDO DA CAPITAL"),
        ("ofac-34979", "KINAHAN ORGANIZED CRIME GROUP"),
        ("ofac-41897", "GUZMAN LOPEZ, Joaquin"),
        ("ofac-47286", "LOS CHONEROS"),
    ] {
        assert_eq!(
            entry(&diff["added"], id).map(|e| &e["caption"]),
            Some(&Value::from(caption)),
            "{id}"
        );
    }
    for (id, caption) in [
        ("ofac-1572", "NORIEGA, Manuel Antonio"),
        ("ofac-1910", "SIEIRO DE NORIEGA, Felicidad"),
        ("ofac-2680", "HABBASH, George"),
        ("ofac-2831", "MIDCO FINANCE S.A."),
        ("ofac-4234", "HERMANN"),
    ] {
        assert_eq!(
            entry(&diff["removed"], id).map(|e| &e["caption"]),
            Some(&Value::from(caption)),
            "{id}"
        );
    }
    assert_eq!(
        entry(&diff["removed"], "ofac-4234").unwrap()["schema"],
        "Vessel"
    );
    assert_eq!(
        entry(&diff["added"], "ofac-41897").unwrap()["schema"],
        "Person"
    );
    // SINALOA CARTEL: a program added, weak aliases replaced.
    let sanctions = change(diff, "ofac-11440", "sanctions", "added");
    assert!(
        sanctions.len() == 1 && sanctions[0].contains("program=ILLICIT-DRUGS-EO14059"),
        "{sanctions:?}"
    );
    assert_eq!(
        change(diff, "ofac-11440", "weakAlias", "removed"),
        ["ALLIANCE", "FEDERATION"]
    );
    assert_eq!(
        change(diff, "ofac-11440", "weakAlias", "added"),
        ["GUADALAJARA CARTEL", "MEXICAN FEDERATION"]
    );
    // El Mencho: nationality and gender added, the link to CJNG dropped from his remarks.
    assert_eq!(change(diff, "ofac-17674", "nationality", "added"), ["mx"]);
    assert_eq!(change(diff, "ofac-17674", "gender", "added"), ["male"]);
    let links = change(diff, "ofac-17674", "links", "removed");
    assert!(
        links.len() == 1 && links[0].contains("CARTEL DE JALISCO NUEVA GENERACION"),
        "{links:?}"
    );
    // POUYA AIR: designated under NPWMD as well.
    assert!(
        change(diff, "ofac-13109", "sanctions", "added")
            .iter()
            .any(|s| s.contains("program=NPWMD"))
    );
    // AL HOUTHI: title reworded.
    assert_eq!(
        change(diff, "ofac-17927", "position", "removed"),
        ["Leader of the Houthi group"]
    );
    assert_eq!(
        change(diff, "ofac-17927", "position", "added"),
        ["Leader of the Houthis"]
    );

    // The text form says the same counts.
    let text = ok(&db, &["lists", "diff", "ofac-sdn"]);
    assert!(text.contains("2021-07-07 → 2024-05-03"), "{text}");
    assert!(
        text.contains(&format!(
            "{} added, {} removed, {} changed",
            diff["added"].as_array().unwrap().len(),
            diff["removed"].as_array().unwrap().len(),
            diff["changed"].as_array().unwrap().len()
        )),
        "{text}"
    );
}
