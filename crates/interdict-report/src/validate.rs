//! Checks a report before any format sees it. Every error names the field by its path in the
//! input (`subjects[1].accounts[0].number`) so a caller can point the analyst at it; all errors
//! are collected rather than stopping at the first, because fixing a report one round-trip per
//! field is slow for the analyst.
//!
//! The checks here hold for every format. Each format adds its own length limits through
//! [`Checker::limit`], since FinCEN and goAML disagree (a first name is 35 characters in one and
//! 100 in the other).

use std::fmt;

use rust_decimal::Decimal;
use thiserror::Error;
use time::Date;

use crate::model::*;

/// FinCEN's limit on the SAR narrative: five blocks, the last one ending at character 17,000.
pub const NARRATIVE_MAX_CHARS: usize = 17_000;

/// One thing wrong with a report, and where. Every variant's `field` is the path of the
/// offending field in the input.
#[allow(missing_docs)] // the fields: `field` as above, and the offending value
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ValidationError {
    /// A required part is absent.
    #[error("{field}: required")]
    Missing { field: String },
    /// A text field is empty or only whitespace.
    #[error("{field}: blank")]
    Blank { field: String },
    /// A text field holds a control character other than line feed or tab.
    #[error("{field}: control character U+{code:04X} at character {at}")]
    ControlCharacter { field: String, code: u32, at: usize },
    /// A text field is longer than the target format allows.
    #[error("{field}: {len} characters, {format} allows {max}")]
    TooLong {
        field: String,
        len: usize,
        max: usize,
        format: &'static str,
    },
    /// An amount is below zero.
    #[error("{field}: amount {value} is negative")]
    Negative { field: String, value: Decimal },
    /// An amount has fractions of a cent.
    #[error("{field}: amount {value} has more than 2 decimal places")]
    TooPrecise { field: String, value: Decimal },
    /// Not an ISO 3166-1 alpha-2 code in capitals.
    #[error("{field}: {value:?} is not a 2-letter country code")]
    Country { field: String, value: String },
    /// Not an ISO 4217 code in capitals.
    #[error("{field}: {value:?} is not a 3-letter currency code")]
    Currency { field: String, value: String },
    /// Dates out of order (activity after filing, start after end, …).
    #[error("{field}: {date} is {relation} {other}")]
    DateOrder {
        field: String,
        date: Date,
        relation: &'static str,
        other: Date,
    },
    /// A reference to a subject that does not exist.
    #[error("{field}: no subject {index} (the report has {len})")]
    NoSuchSubject {
        field: String,
        index: usize,
        len: usize,
    },
    /// A reference to an account that the subject does not have.
    #[error("{field}: subject {subject} has no account {index}")]
    NoSuchAccount {
        field: String,
        subject: usize,
        index: usize,
    },
    /// A value the target format cannot represent.
    #[error("{field}: {reason}")]
    Unsupported { field: String, reason: &'static str },
}

impl ValidationError {
    /// The path of the offending field in the input.
    pub fn field(&self) -> &str {
        match self {
            Self::Missing { field }
            | Self::Blank { field }
            | Self::ControlCharacter { field, .. }
            | Self::TooLong { field, .. }
            | Self::Negative { field, .. }
            | Self::TooPrecise { field, .. }
            | Self::Country { field, .. }
            | Self::Currency { field, .. }
            | Self::DateOrder { field, .. }
            | Self::NoSuchSubject { field, .. }
            | Self::NoSuchAccount { field, .. }
            | Self::Unsupported { field, .. } => field,
        }
    }
}

/// Everything wrong with a report; never empty.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationErrors(pub Vec<ValidationError>);

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// Collects errors as a report is walked.
#[derive(Debug, Default)]
pub(crate) struct Checker {
    errors: Vec<ValidationError>,
}

impl Checker {
    pub(crate) fn push(&mut self, e: ValidationError) {
        self.errors.push(e);
    }

    pub(crate) fn into_errors(self) -> ValidationErrors {
        ValidationErrors(self.errors)
    }

    pub(crate) fn finish(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(self.errors))
        }
    }

    /// A text field that must carry something.
    pub(crate) fn required(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.push(ValidationError::Blank {
                field: field.to_string(),
            });
        } else {
            self.text(field, value);
        }
    }

    /// An optional text field: absent is fine, present but blank is a mistake in the input.
    pub(crate) fn optional(&mut self, field: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.required(field, value);
        }
    }

    /// Refuses control characters other than line feed and tab, and the two code points XML
    /// cannot carry at all. Carriage returns are refused too: XML parsers fold them into line
    /// feeds, so they would not survive the trip anyway.
    pub(crate) fn text(&mut self, field: &str, value: &str) {
        let bad = value.chars().enumerate().find(|(_, c)| {
            (c.is_control() && *c != '\n' && *c != '\t') || matches!(c, '\u{FFFE}' | '\u{FFFF}')
        });
        if let Some((at, c)) = bad {
            self.push(ValidationError::ControlCharacter {
                field: field.to_string(),
                code: c as u32,
                at,
            });
        }
    }

    /// A length limit of one format, counted in characters as XML Schema counts them.
    pub(crate) fn limit(&mut self, format: &'static str, field: &str, value: &str, max: usize) {
        let len = value.chars().count();
        if len > max {
            self.push(ValidationError::TooLong {
                field: field.to_string(),
                len,
                max,
                format,
            });
        }
    }

    pub(crate) fn country(&mut self, field: &str, value: &str) {
        if !(value.len() == 2 && value.bytes().all(|b| b.is_ascii_uppercase())) {
            self.push(ValidationError::Country {
                field: field.to_string(),
                value: value.to_string(),
            });
        }
    }

    pub(crate) fn currency(&mut self, field: &str, value: &str) {
        if !(value.len() == 3 && value.bytes().all(|b| b.is_ascii_uppercase())) {
            self.push(ValidationError::Currency {
                field: field.to_string(),
                value: value.to_string(),
            });
        }
    }

    pub(crate) fn amount(&mut self, field: &str, value: Decimal) {
        if value.is_sign_negative() && !value.is_zero() {
            self.push(ValidationError::Negative {
                field: field.to_string(),
                value,
            });
        }
        if value.normalize().scale() > 2 {
            self.push(ValidationError::TooPrecise {
                field: field.to_string(),
                value,
            });
        }
    }

    pub(crate) fn not_after(&mut self, field: &str, date: Date, other: Date) {
        if date > other {
            self.push(ValidationError::DateOrder {
                field: field.to_string(),
                date,
                relation: "after",
                other,
            });
        }
    }

    pub(crate) fn not_before(&mut self, field: &str, date: Date, other: Date) {
        if date < other {
            self.push(ValidationError::DateOrder {
                field: field.to_string(),
                date,
                relation: "before",
                other,
            });
        }
    }
}

impl Report {
    /// Checks what holds for every format: required fields, text free of control characters,
    /// codes of the right shape, amounts, the order of dates, references between parts, and the
    /// narrative limit.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut c = Checker::default();
        self.check(&mut c);
        c.finish()
    }

    pub(crate) fn check(&self, c: &mut Checker) {
        c.required("entity_reference", &self.entity_reference);
        if let Some(prior) = &self.prior_report {
            check_bsa_id(c, prior);
        }
        if let Some(t) = &self.transmitter {
            check_transmitter(c, t);
        }
        check_filer(c, &self.filer);
        check_reporting_person(c, &self.reporting_person);
        if self.subjects.is_empty() {
            c.push(ValidationError::Missing {
                field: "subjects".into(),
            });
        }
        for (i, s) in self.subjects.iter().enumerate() {
            check_subject(c, self, &format!("subjects[{i}]"), s);
        }
        check_activity(c, &self.activity, self.filing_date);
        for (i, t) in self.transactions.iter().enumerate() {
            check_transaction(c, self, &format!("transactions[{i}]"), t);
        }
        c.required("narrative", &self.narrative);
        c.limit("FinCEN", "narrative", &self.narrative, NARRATIVE_MAX_CHARS);
        if let Some(g) = &self.goaml {
            check_goaml(c, g);
        }
    }
}

fn check_bsa_id(c: &mut Checker, prior: &PriorReport) {
    let malformed = |id: &&String| id.len() != 14 || !id.bytes().all(|b| b.is_ascii_digit());
    if prior.bsa_id.as_ref().filter(malformed).is_some() {
        c.push(ValidationError::Unsupported {
            field: "prior_report.bsa_id".into(),
            reason: "a BSA ID is 14 digits",
        });
    }
}

fn check_transmitter(c: &mut Checker, t: &Transmitter) {
    c.required("transmitter.name", &t.name);
    c.required("transmitter.tin", &t.tin);
    c.required("transmitter.tcc", &t.tcc);
    c.required("transmitter.contact_name", &t.contact_name);
    check_address(c, "transmitter.address", &t.address);
    check_phone(c, "transmitter.phone", &t.phone);
}

fn check_filer(c: &mut Checker, f: &Filer) {
    c.required("filer.name", &f.name);
    c.required("filer.tin", &f.tin);
    c.optional("filer.swift", f.swift.as_deref());
    check_address(c, "filer.address", &f.address);
    c.required("filer.contact_office.name", &f.contact_office.name);
    check_phone(c, "filer.contact_office.phone", &f.contact_office.phone);
}

fn check_reporting_person(c: &mut Checker, p: &ReportingPerson) {
    c.required("reporting_person.first_name", &p.first_name);
    c.required("reporting_person.last_name", &p.last_name);
    c.optional("reporting_person.occupation", p.occupation.as_deref());
    c.required("reporting_person.email", &p.email);
    if let Some(phone) = &p.phone {
        check_phone(c, "reporting_person.phone", phone);
    }
}

pub(crate) fn check_address(c: &mut Checker, path: &str, a: &Address) {
    c.required(&format!("{path}.street"), &a.street);
    c.required(&format!("{path}.city"), &a.city);
    c.optional(&format!("{path}.state"), a.state.as_deref());
    c.optional(&format!("{path}.postal_code"), a.postal_code.as_deref());
    c.country(&format!("{path}.country"), &a.country);
}

fn check_phone(c: &mut Checker, path: &str, p: &Phone) {
    for (name, value) in [
        ("country_prefix", Some(p.country_prefix.as_str())),
        ("number", Some(p.number.as_str())),
        ("extension", p.extension.as_deref()),
    ] {
        let Some(value) = value else { continue };
        let field = format!("{path}.{name}");
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            c.push(ValidationError::Unsupported {
                field,
                reason: "phone numbers are digits only",
            });
        }
    }
}

fn check_subject(c: &mut Checker, report: &Report, path: &str, s: &Subject) {
    match &s.party {
        SubjectParty::Person(p) => {
            c.required(&format!("{path}.party.first_name"), &p.first_name);
            c.optional(
                &format!("{path}.party.middle_name"),
                p.middle_name.as_deref(),
            );
            c.required(&format!("{path}.party.last_name"), &p.last_name);
            c.optional(&format!("{path}.party.occupation"), p.occupation.as_deref());
            if let Some(n) = &p.nationality {
                c.country(&format!("{path}.party.nationality"), n);
            }
            if let Some(born) = p.birth_date {
                c.not_after(
                    &format!("{path}.party.birth_date"),
                    born,
                    report.filing_date,
                );
            }
        }
        SubjectParty::Organisation(o) => {
            c.required(&format!("{path}.party.name"), &o.name);
            c.optional(&format!("{path}.party.business"), o.business.as_deref());
            c.optional(&format!("{path}.party.legal_form"), o.legal_form.as_deref());
            c.optional(
                &format!("{path}.party.incorporation_number"),
                o.incorporation_number.as_deref(),
            );
            if let Some(country) = &o.incorporation_country {
                c.country(&format!("{path}.party.incorporation_country"), country);
            }
            for (i, d) in o.directors.iter().enumerate() {
                let field = format!("{path}.party.directors[{i}]");
                check_subject_ref(c, report, &format!("{field}.subject"), d.subject);
                c.required(&format!("{field}.role"), &d.role);
            }
        }
    }
    for (i, alias) in s.aliases.iter().enumerate() {
        c.required(&format!("{path}.aliases[{i}]"), alias);
    }
    for (i, id) in s.identifications.iter().enumerate() {
        let field = format!("{path}.identifications[{i}]");
        c.required(&format!("{field}.number"), &id.number);
        c.country(&format!("{field}.issuing_country"), &id.issuing_country);
        c.optional(
            &format!("{field}.issuing_state"),
            id.issuing_state.as_deref(),
        );
        c.optional(&format!("{field}.description"), id.description.as_deref());
        if id.kind == IdKind::Other && id.description.is_none() {
            c.push(ValidationError::Missing {
                field: format!("{field}.description"),
            });
        }
    }
    for (i, a) in s.addresses.iter().enumerate() {
        check_address(c, &format!("{path}.addresses[{i}]"), a);
    }
    for (i, p) in s.phones.iter().enumerate() {
        check_phone(c, &format!("{path}.phones[{i}]"), p);
    }
    for (i, e) in s.emails.iter().enumerate() {
        c.required(&format!("{path}.emails[{i}]"), e);
    }
    for (i, a) in s.accounts.iter().enumerate() {
        check_account(c, report, &format!("{path}.accounts[{i}]"), a);
    }
}

fn check_account(c: &mut Checker, report: &Report, path: &str, a: &Account) {
    c.required(&format!("{path}.number"), &a.number);
    check_institution(c, &format!("{path}.institution"), &a.institution);
    c.optional(&format!("{path}.name"), a.name.as_deref());
    c.optional(&format!("{path}.branch"), a.branch.as_deref());
    if let Some(currency) = &a.currency {
        c.currency(&format!("{path}.currency"), currency);
    }
    c.optional(&format!("{path}.client_number"), a.client_number.as_deref());
    c.optional(&format!("{path}.account_type"), a.account_type.as_deref());
    c.optional(&format!("{path}.status_code"), a.status_code.as_deref());
    if let Some(opened) = a.opened {
        c.not_after(&format!("{path}.opened"), opened, report.filing_date);
    }
    for (i, s) in a.signatories.iter().enumerate() {
        let field = format!("{path}.signatories[{i}]");
        check_subject_ref(c, report, &format!("{field}.subject"), s.subject);
        c.required(&format!("{field}.role"), &s.role);
    }
}

fn check_institution(c: &mut Checker, path: &str, i: &Institution) {
    c.required(&format!("{path}.name"), &i.name);
    c.optional(&format!("{path}.tin"), i.tin.as_deref());
    c.optional(&format!("{path}.code"), i.code.as_deref());
    c.optional(&format!("{path}.swift"), i.swift.as_deref());
    c.country(&format!("{path}.country"), &i.country);
}

fn check_subject_ref(c: &mut Checker, report: &Report, field: &str, index: usize) {
    if index >= report.subjects.len() {
        c.push(ValidationError::NoSuchSubject {
            field: field.to_string(),
            index,
            len: report.subjects.len(),
        });
    }
}

fn check_activity(c: &mut Checker, a: &Activity, filing_date: Date) {
    c.not_after("activity.from", a.from, a.to);
    c.not_after("activity.to", a.to, filing_date);
    c.amount("activity.total_amount", a.total_amount);
    c.currency("activity.currency", &a.currency);
    if a.classifications.is_empty() {
        c.push(ValidationError::Missing {
            field: "activity.classifications".into(),
        });
    }
    for (i, k) in a.classifications.iter().enumerate() {
        c.optional(
            &format!("activity.classifications[{i}].other"),
            k.other.as_deref(),
        );
    }
}

fn check_transaction(c: &mut Checker, report: &Report, path: &str, t: &Transaction) {
    c.required(&format!("{path}.id"), &t.id);
    c.optional(&format!("{path}.internal_ref"), t.internal_ref.as_deref());
    let day = t.date_time.date();
    c.not_before(&format!("{path}.date_time"), day, report.activity.from);
    c.not_after(&format!("{path}.date_time"), day, report.activity.to);
    c.amount(&format!("{path}.amount"), t.amount);
    c.currency(&format!("{path}.currency"), &t.currency);
    c.required(&format!("{path}.transmode_code"), &t.transmode_code);
    c.required(&format!("{path}.description"), &t.description);
    c.required(&format!("{path}.location"), &t.location);
    if let Some(branch) = &t.branch {
        check_address(c, &format!("{path}.branch"), branch);
    }
    check_side(c, report, &format!("{path}.from"), &t.from);
    check_side(c, report, &format!("{path}.to"), &t.to);
}

fn check_side(c: &mut Checker, report: &Report, path: &str, s: &Side) {
    c.required(&format!("{path}.funds_code"), &s.funds_code);
    c.country(&format!("{path}.country"), &s.country);
    let party = format!("{path}.party");
    match &s.party {
        SideParty::Subject { subject } => {
            check_subject_ref(c, report, &format!("{party}.subject"), *subject);
        }
        SideParty::SubjectAccount { subject, account } => {
            check_subject_ref(c, report, &format!("{party}.subject"), *subject);
            let subject_accounts = report.subjects.get(*subject).map(|s| s.accounts.len());
            if subject_accounts.is_some_and(|len| *account >= len) {
                c.push(ValidationError::NoSuchAccount {
                    field: format!("{party}.account"),
                    subject: *subject,
                    index: *account,
                });
            }
        }
        SideParty::Account {
            number,
            institution,
        } => {
            c.required(&format!("{party}.number"), number);
            check_institution(c, &format!("{party}.institution"), institution);
        }
        SideParty::Person {
            first_name,
            last_name,
        } => {
            c.required(&format!("{party}.first_name"), first_name);
            c.required(&format!("{party}.last_name"), last_name);
        }
        SideParty::Organisation { name } => c.required(&format!("{party}.name"), name),
    }
}

fn check_goaml(c: &mut Checker, g: &GoamlSettings) {
    c.required("goaml.rentity_branch", &g.rentity_branch);
    if g.indicators.is_empty() {
        c.push(ValidationError::Missing {
            field: "goaml.indicators".into(),
        });
    }
    for (i, code) in g.indicators.iter().enumerate() {
        c.required(&format!("goaml.indicators[{i}]"), code);
    }
    c.optional("goaml.action", g.action.as_deref());
    c.required("goaml.contact_type", &g.contact_type);
    c.required("goaml.communication_type", &g.communication_type);
}
