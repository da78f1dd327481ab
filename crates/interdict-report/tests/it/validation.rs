//! Each kind of invalid input is refused with an error naming the field by its input path.

use interdict_report::{
    PriorKind, PriorReport, RenderError, Report, SideParty, SubjectParty, ValidationErrors, fincen,
    goaml,
};
use rust_decimal::Decimal;
use time::macros::{date, datetime};

use crate::structuring;

#[derive(Clone, Copy, Debug)]
enum Target {
    Validate,
    Fincen,
    Goaml,
}

fn errors(report: &Report, target: Target) -> ValidationErrors {
    let rendered = match target {
        Target::Validate => return report.validate().expect_err("refused"),
        Target::Fincen => fincen::to_xml(report),
        Target::Goaml => goaml::to_xml(report),
    };
    match rendered {
        Err(RenderError::Invalid(e)) => e,
        Err(e) => panic!("{target:?}: unexpected error {e}"),
        Ok(_) => panic!("{target:?}: rendered an invalid report"),
    }
}

/// Applies `edit` to the structuring case and expects `target` to refuse it, naming `field`
/// both in the error and in its message.
fn check(target: Target, field: &str, edit: impl FnOnce(&mut Report)) {
    let mut report = structuring();
    edit(&mut report);
    let errors = errors(&report, target);
    assert!(
        errors.0.iter().any(|e| e.field() == field),
        "{target:?}: expected an error on {field}, got: {errors}"
    );
    assert!(errors.to_string().contains(field), "{errors}");
}

fn person(report: &mut Report, index: usize) -> &mut interdict_report::Person {
    match &mut report.subjects[index].party {
        SubjectParty::Person(p) => p,
        SubjectParty::Organisation(_) => panic!("subject {index} is a person in the fixture"),
    }
}

#[test]
fn the_fixture_is_valid_for_both_formats() {
    let report = structuring();
    assert_eq!(report.validate(), Ok(()));
    assert!(fincen::to_xml(&report).is_ok());
    assert!(goaml::to_xml(&report).is_ok());
}

#[test]
fn required_and_blank_fields() {
    check(Target::Validate, "filer.name", |r| {
        r.filer.name = "   ".into()
    });
    check(Target::Validate, "subjects", |r| r.subjects.clear());
    check(Target::Validate, "narrative", |r| r.narrative.clear());
    check(Target::Validate, "activity.classifications", |r| {
        r.activity.classifications.clear()
    });
    check(
        Target::Validate,
        "subjects[1].identifications[1].number",
        |r| r.subjects[1].identifications[1].number = String::new(),
    );
    check(Target::Fincen, "transmitter", |r| r.transmitter = None);
    check(Target::Goaml, "goaml", |r| r.goaml = None);
}

#[test]
fn control_characters() {
    check(Target::Validate, "narrative", |r| {
        r.narrative.push('\u{001B}')
    });
    check(
        Target::Validate,
        "transactions[2].from.party.first_name",
        |r| {
            r.transactions[2].from.party = SideParty::Person {
                first_name: "Ma\u{0008}rco".into(),
                last_name: "Reyes".into(),
            }
        },
    );
}

#[test]
fn lengths_of_each_format() {
    check(Target::Validate, "narrative", |r| {
        r.narrative = "x".repeat(17_001)
    });
    check(Target::Goaml, "narrative", |r| {
        r.narrative = "x".repeat(8_001)
    });
    check(Target::Fincen, "subjects[1].party.first_name", |r| {
        person(r, 1).first_name = "M".repeat(36)
    });
    check(Target::Fincen, "subjects[0].accounts[0].number", |r| {
        r.subjects[0].accounts[0].number = "1".repeat(41)
    });
    check(Target::Goaml, "transactions[1].id", |r| {
        r.transactions[1].id = "T".repeat(101)
    });
    // A first name of 36 is fine for goAML, whose limit is 100.
    let mut report = structuring();
    person(&mut report, 1).first_name = "M".repeat(36);
    assert!(goaml::to_xml(&report).is_ok());
}

#[test]
fn amounts() {
    check(Target::Validate, "transactions[2].amount", |r| {
        r.transactions[2].amount = Decimal::new(-100, 2)
    });
    check(Target::Validate, "activity.total_amount", |r| {
        r.activity.total_amount = Decimal::new(28_150_005, 3)
    });
    // Trailing zeros beyond two places are not extra precision.
    let mut report = structuring();
    report.activity.total_amount = Decimal::new(28_150_000, 3);
    assert_eq!(report.validate(), Ok(()));
}

#[test]
fn codes() {
    check(Target::Validate, "subjects[1].addresses[0].country", |r| {
        r.subjects[1].addresses[0].country = "USA".into()
    });
    check(Target::Validate, "transactions[0].currency", |r| {
        r.transactions[0].currency = "usd".into()
    });
    check(Target::Validate, "filer.contact_office.phone.number", |r| {
        r.filer.contact_office.phone.number = "515-555-0188".into()
    });
    check(Target::Validate, "prior_report.bsa_id", |r| {
        r.prior_report = Some(PriorReport {
            kind: PriorKind::Correction,
            bsa_id: Some("12345".into()),
        })
    });
    check(Target::Fincen, "activity.currency", |r| {
        r.activity.currency = "EUR".into()
    });
    check(
        Target::Fincen,
        "activity.classifications[0].category",
        |r| r.activity.classifications[0].category = 2,
    );
    check(Target::Goaml, "transactions[0].currency", |r| {
        r.transactions[0].currency = "EUR".into()
    });
}

#[test]
fn dates_in_order() {
    check(Target::Validate, "activity.from", |r| {
        r.activity.from = date!(2024 - 03 - 07)
    });
    check(Target::Validate, "activity.to", |r| {
        r.filing_date = date!(2024 - 03 - 05)
    });
    check(Target::Validate, "transactions[1].date_time", |r| {
        r.transactions[1].date_time = datetime!(2024 - 02 - 29 12:00)
    });
    check(Target::Validate, "subjects[1].party.birth_date", |r| {
        person(r, 1).birth_date = Some(date!(2030 - 01 - 01))
    });
}

#[test]
fn references() {
    check(
        Target::Validate,
        "transactions[0].from.party.subject",
        |r| r.transactions[0].from.party = SideParty::Subject { subject: 5 },
    );
    check(Target::Validate, "transactions[0].to.party.account", |r| {
        r.transactions[0].to.party = SideParty::SubjectAccount {
            subject: 0,
            account: 3,
        }
    });
    check(
        Target::Validate,
        "subjects[0].accounts[0].signatories[0].subject",
        |r| r.subjects[0].accounts[0].signatories[0].subject = 9,
    );
}

#[test]
fn goaml_my_client_fields() {
    check(Target::Goaml, "subjects[1].party.birth_date", |r| {
        person(r, 1).birth_date = None
    });
    check(
        Target::Goaml,
        "subjects[0].accounts[0].client_number",
        |r| r.subjects[0].accounts[0].client_number = None,
    );
    check(Target::Goaml, "subjects[0].accounts[0].signatories", |r| {
        r.subjects[0].accounts[0].signatories.clear()
    });
    check(Target::Goaml, "subjects[0].party.incorporation_date", |r| {
        if let SubjectParty::Organisation(o) = &mut r.subjects[0].party {
            o.incorporation_date = None;
        }
    });
    check(Target::Goaml, "transactions[0].to.party", |r| {
        r.transactions[0].to.party = SideParty::Organisation {
            name: "Someone".into(),
        }
    });
}

#[test]
fn json_numbers_are_refused_for_amounts() {
    // A JSON number would reach the decimal through a float; only strings are taken.
    let json = include_str!("structuring.json").replace("\"28150.00\"", "28150.0");
    let err = serde_json::from_str::<Report>(&json).expect_err("numbers are refused");
    assert!(err.is_data(), "{err}");
    assert_eq!(err.line(), 130, "{err}");
}
