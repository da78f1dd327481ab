//! The rendered XML parses back, and its amounts and counts are those of the input.

use std::collections::HashSet;
use std::str::FromStr;

use interdict_report::{fincen, goaml};
use rust_decimal::Decimal;

use crate::{Parsed, structuring};

#[test]
fn fincen_amounts_and_counts_match_the_input() {
    let report = structuring();
    let doc = Parsed::read(&fincen::to_xml(&report).expect("renders"));

    assert_eq!(doc.values("fc2:FormTypeCode"), ["SARX"]);
    assert_eq!(doc.count("fc2:Activity"), 1);
    assert_eq!(doc.attr("fc2:EFilingBatchXML", "ActivityCount"), Some("1"));
    assert_eq!(
        doc.attr("fc2:EFilingBatchXML", "TotalAmount"),
        Some("28150")
    );
    assert_eq!(doc.attr("fc2:EFilingBatchXML", "PartyCount"), Some("2"));
    assert_eq!(doc.values("fc2:TotalSuspiciousAmountText"), ["28150"]);
    assert_eq!(
        doc.values("fc2:SuspiciousActivityFromDateText"),
        ["20240304"]
    );
    assert_eq!(doc.values("fc2:SuspiciousActivityToDateText"), ["20240306"]);
    assert_eq!(doc.values("fc2:FilingDateText"), ["20240415"]);

    // Top-level parties: 35, 37, 30, 8, 34 and one 33 per subject, in that order.
    let top: Vec<&str> = doc.values("fc2:Activity/fc2:Party/fc2:ActivityPartyTypeCode");
    assert_eq!(top, ["35", "37", "30", "8", "34", "33", "33"]);
    // One branch party per distinct branch the transactions name.
    let branches = doc.values("fc2:PartyAssociation/fc2:Party/fc2:ActivityPartyTypeCode");
    assert_eq!(branches, ["46", "46", "46"]);
    assert_eq!(doc.values("fc2:AccountNumberText"), ["7004412980"]);
    assert_eq!(doc.values("fc2:SuspiciousActivityTypeID"), ["1", "9"]);
    assert_eq!(
        doc.values("fc2:SuspiciousActivitySubtypeID"),
        ["114", "910"]
    );
}

/// The schema's complex types, which all carry a required `SeqNum`; its leaves carry none.
const NUMBERED: &[&str] = &[
    "Activity",
    "ActivityAssociation",
    "Party",
    "PartyName",
    "Address",
    "PhoneNumber",
    "PartyIdentification",
    "OrganizationClassificationTypeSubtype",
    "PartyOccupationBusiness",
    "ElectronicAddress",
    "PartyAssociation",
    "PartyAccountAssociation",
    "Account",
    "SuspiciousActivity",
    "SuspiciousActivityClassification",
    "ActivityNarrativeInformation",
];

#[test]
fn fincen_seq_nums_are_unique_and_only_on_complex_elements() {
    let doc = Parsed::read(&fincen::to_xml(&structuring()).expect("renders"));
    let mut seen = HashSet::new();
    for (name, attrs) in &doc.elements {
        let local = name
            .strip_prefix("fc2:")
            .expect("every element is prefixed");
        let seq = attrs.iter().find(|(k, _)| k == "SeqNum").map(|(_, v)| v);
        match seq {
            Some(seq) => {
                assert!(NUMBERED.contains(&local), "{name} is a leaf with a SeqNum");
                assert!(seen.insert(seq.clone()), "SeqNum {seq} repeats");
            }
            None => assert!(!NUMBERED.contains(&local), "{name} has no SeqNum"),
        }
    }
    assert_eq!(seen.len(), 58);
}

#[test]
fn fincen_narrative_blocks_reassemble_to_the_folded_narrative() {
    let report = structuring();
    let doc = Parsed::read(&fincen::to_xml(&report).expect("renders"));
    let folded = report
        .narrative
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(doc.values("fc2:ActivityNarrativeText").concat(), folded);
}

#[test]
fn goaml_amounts_and_counts_match_the_input() {
    let report = structuring();
    let doc = Parsed::read(&goaml::to_xml(&report).expect("renders"));

    assert_eq!(doc.count("transaction"), report.transactions.len());
    let ids: Vec<&str> = report.transactions.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(doc.values("transaction/transactionnumber"), ids);
    let amounts: Vec<Decimal> = doc
        .values("transaction/amount_local")
        .into_iter()
        .map(|a| Decimal::from_str(a).expect("decimal"))
        .collect();
    let expected: Vec<Decimal> = report.transactions.iter().map(|t| t.amount).collect();
    assert_eq!(amounts, expected);
    assert_eq!(
        amounts.iter().sum::<Decimal>(),
        report.activity.total_amount
    );

    assert_eq!(doc.values("report/report_code"), ["STR"]);
    assert_eq!(doc.values("report/submission_code"), ["E"]);
    assert_eq!(doc.values("report/currency_code_local"), ["USD"]);
    assert_eq!(
        doc.values("report/submission_date"),
        ["2024-04-15T00:00:00"]
    );
    assert_eq!(doc.count("t_from"), 3);
    assert_eq!(doc.count("t_to_my_client"), 3);
    assert_eq!(doc.values("to_account/account"), ["7004412980"; 3]);
    assert_eq!(doc.values("report_indicators/indicator"), ["STRUCT"]);
    assert_eq!(doc.values("report/reason"), [report.narrative.as_str()]);
}
