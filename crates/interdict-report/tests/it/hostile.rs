//! Text that could break XML or hide intent is escaped by the writer and comes back intact;
//! control characters are refused before anything is written.

use interdict_report::{RenderError, Report, SubjectParty, ValidationError, fincen, goaml};

use crate::{Parsed, structuring};

/// Markup, entities, both quotes, a right-to-left mark and override, Arabic, and an emoji.
const HOSTILE: &str = "O'Brien & <Sons> \"Ltd\" \u{200F}شركة\u{202E} 🦀 ]]> &amp;";

fn with_hostile_name() -> Report {
    let mut report = structuring();
    if let SubjectParty::Organisation(o) = &mut report.subjects[0].party {
        o.name = HOSTILE.to_string();
    }
    report.narrative = format!("{HOSTILE}\n{}", report.narrative);
    report
}

#[test]
fn hostile_text_round_trips_through_goaml() {
    let xml = goaml::to_xml(&with_hostile_name()).expect("renders");
    assert!(!xml.contains("<Sons>"), "markup must be escaped");
    let doc = Parsed::read(&xml);
    assert!(
        doc.values("to_account/t_entity/name")
            .iter()
            .all(|n| *n == HOSTILE)
    );
    assert_eq!(doc.values("to_account/t_entity/name").len(), 3);
    let reason = doc.values("report/reason");
    assert!(reason[0].starts_with(&format!("{HOSTILE}\n")));
}

#[test]
fn hostile_text_round_trips_through_fincen() {
    let xml = fincen::to_xml(&with_hostile_name()).expect("renders");
    assert!(!xml.contains("<Sons>"), "markup must be escaped");
    let doc = Parsed::read(&xml);
    let names = doc.values("fc2:PartyName/fc2:RawEntityIndividualLastName");
    assert!(names.contains(&HOSTILE), "{names:?}");
}

#[test]
fn control_characters_are_refused_with_their_field() {
    for (c, code) in [
        ('\u{0007}', 7),
        ('\r', 13),
        ('\u{0000}', 0),
        ('\u{009B}', 0x9B),
    ] {
        let mut report = structuring();
        report.subjects[0].accounts[0].number = format!("7004{c}412980");
        let err = report.validate().expect_err("refused");
        assert_eq!(
            err.0,
            [ValidationError::ControlCharacter {
                field: "subjects[0].accounts[0].number".into(),
                code,
                at: 4,
            }]
        );
        let Err(RenderError::Invalid(e)) = goaml::to_xml(&report) else {
            panic!("goAML must refuse U+{code:04X}");
        };
        assert_eq!(e.0[0].field(), "subjects[0].accounts[0].number");
    }
}

#[test]
fn line_feed_and_tab_are_allowed() {
    let mut report = structuring();
    report.narrative = "Line one\n\tLine two".into();
    assert_eq!(report.validate(), Ok(()));
}
