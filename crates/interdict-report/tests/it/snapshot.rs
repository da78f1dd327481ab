//! Golden files of both formats for the structuring case.

use interdict_report::{fincen, goaml};

use crate::structuring;

#[test]
fn fincen_sar_matches_snapshot() {
    let xml = fincen::to_xml(&structuring()).expect("renders");
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("fincen_structuring", xml);
    });
}

#[test]
fn goaml_str_matches_snapshot() {
    let xml = goaml::to_xml(&structuring()).expect("renders");
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("goaml_structuring", xml);
    });
}

#[test]
fn output_is_deterministic() {
    let report = structuring();
    assert_eq!(fincen::to_xml(&report).ok(), fincen::to_xml(&report).ok());
    assert_eq!(goaml::to_xml(&report).ok(), goaml::to_xml(&report).ok());
}
