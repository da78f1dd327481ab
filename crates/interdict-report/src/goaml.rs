//! UNODC goAML suspicious transaction report (`report_code` STR, `submission_code` E for
//! electronic) in the goAML XML schema.
//!
//! # What the structure follows
//!
//! Element names, order, cardinality and length limits follow the goAML schema `goAMLSchema.xsd`
//! declaring `goaml:schemaVersion="5.0.1"` (a public copy, not one issued to us by an FIU).
//! Elements that schema marks `supportedIn` 5.1 or 5.2 are never written, so the output stays
//! within what a 5.0.1 deployment accepts. Per that schema:
//!
//! - `report` is `rentity_id`, `rentity_branch`, `submission_code`, `report_code`,
//!   `entity_reference`, `submission_date`, `currency_code_local`, `reporting_person`,
//!   `location`, `reason`, `action`, the `transaction`s, then `report_indicators`;
//! - each side of a transaction is `t_from`/`t_to`, or `t_from_my_client`/`t_to_my_client` when
//!   the filer holds full customer data, holding one of an account, a person or an entity and a
//!   country; the `_my_client` types make many more fields mandatory (a person's birth date,
//!   SSN, nationality, residence, phone and occupation; an account's branch, currency, name,
//!   client number, type, opening date, status and signatories), and this writer refuses a
//!   report that lacks them, naming the field;
//! - dates are `xs:dateTime` (`sql_date`), amounts `xs:decimal`; `reason` and other comment
//!   fields are at most 8,000 characters, which is below FinCEN's 17,000 for a narrative.
//!
//! # Not confirmed here
//!
//! goAML code lists (funds, transmode, legal form, account type and status, roles, contact and
//! communication types, report indicators) are lookups each FIU publishes; the schema only lists
//! placeholder letters. They are taken from the input as given and not checked. Which schema
//! version a given FIU runs, and any local extensions, must be confirmed with that FIU. An
//! account's `is_primary` is written as `1` for every signatory of a `_my_client` account,
//! because that schema makes it mandatory with the fixed value 1.

use std::io;

use crate::model::*;
use crate::validate::{Checker, ValidationError};
use crate::xml::{RenderError, XmlOut};

const FORMAT: &str = "goAML";
const COMMENT_MAX: usize = 8_000;

/// Renders the report as a goAML STR, after validating it.
pub fn to_xml(report: &Report) -> Result<String, RenderError> {
    let mut c = Checker::default();
    report.check(&mut c);
    let Some(settings) = &report.goaml else {
        c.push(ValidationError::Missing {
            field: "goaml".into(),
        });
        return Err(c.into_errors().into());
    };
    c.finish()?;
    let mut w = Writer {
        out: XmlOut::new()?,
        c: Checker::default(),
        report,
        settings,
    };
    w.write()?;
    w.c.finish()?;
    Ok(w.out.finish()?)
}

fn sql_date(date: time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}T00:00:00",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

fn sql_date_time(t: time::PrimitiveDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Writes the report while checking goAML's own limits and mandatory fields; the output is
/// thrown away if any check fails.
struct Writer<'r> {
    out: XmlOut,
    c: Checker,
    report: &'r Report,
    settings: &'r GoamlSettings,
}

impl<'r> Writer<'r> {
    /// A text element within goAML's length limit for it.
    fn text(&mut self, name: &str, field: &str, value: &str, max: usize) -> io::Result<()> {
        self.c.limit(FORMAT, field, value, max);
        self.out.leaf(name, value)
    }

    fn text_opt(
        &mut self,
        name: &str,
        field: &str,
        value: Option<&str>,
        max: usize,
    ) -> io::Result<()> {
        match value {
            Some(value) => self.text(name, field, value, max),
            None => Ok(()),
        }
    }

    /// A value the `_my_client` types require: missing is an error naming the input field.
    fn required<T>(&mut self, strict: bool, field: &str, value: Option<T>) -> Option<T> {
        if strict && value.is_none() {
            self.c.push(ValidationError::Missing {
                field: field.to_string(),
            });
        }
        value
    }

    fn write(&mut self) -> io::Result<()> {
        let (r, s) = (self.report, self.settings);
        self.out.open("report", &[])?;
        self.out.leaf("rentity_id", &s.rentity_id.to_string())?;
        self.text(
            "rentity_branch",
            "goaml.rentity_branch",
            &s.rentity_branch,
            255,
        )?;
        self.out.leaf("submission_code", "E")?;
        self.out.leaf("report_code", "STR")?;
        self.text(
            "entity_reference",
            "entity_reference",
            &r.entity_reference,
            255,
        )?;
        self.out.leaf("submission_date", &sql_date(r.filing_date))?;
        self.out.leaf("currency_code_local", &r.activity.currency)?;
        self.reporting_person(&r.reporting_person)?;
        self.address("location", "filer.address", &r.filer.address)?;
        self.text("reason", "narrative", &r.narrative, COMMENT_MAX)?;
        self.text_opt("action", "goaml.action", s.action.as_deref(), COMMENT_MAX)?;
        for (i, t) in r.transactions.iter().enumerate() {
            self.transaction(&format!("transactions[{i}]"), t)?;
        }
        self.out.open("report_indicators", &[])?;
        for indicator in &s.indicators {
            self.out.leaf("indicator", indicator)?;
        }
        self.out.close("report_indicators")?;
        self.out.close("report")
    }

    fn reporting_person(&mut self, p: &ReportingPerson) -> io::Result<()> {
        let path = "reporting_person";
        self.out.open("reporting_person", &[])?;
        self.text(
            "first_name",
            &format!("{path}.first_name"),
            &p.first_name,
            100,
        )?;
        self.text("last_name", &format!("{path}.last_name"), &p.last_name, 100)?;
        if let Some(phone) = &p.phone {
            self.out.open("phones", &[])?;
            self.phone(&format!("{path}.phone"), phone)?;
            self.out.close("phones")?;
        }
        self.text("email", &format!("{path}.email"), &p.email, 255)?;
        self.text_opt(
            "occupation",
            &format!("{path}.occupation"),
            p.occupation.as_deref(),
            255,
        )?;
        self.out.close("reporting_person")
    }

    fn address(&mut self, name: &str, path: &str, a: &Address) -> io::Result<()> {
        self.out.open(name, &[])?;
        self.out.leaf("address_type", &self.settings.contact_type)?;
        self.text("address", &format!("{path}.street"), &a.street, 100)?;
        self.text("city", &format!("{path}.city"), &a.city, 255)?;
        self.text_opt(
            "zip",
            &format!("{path}.postal_code"),
            a.postal_code.as_deref(),
            10,
        )?;
        self.out.leaf("country_code", &a.country)?;
        self.text_opt("state", &format!("{path}.state"), a.state.as_deref(), 255)?;
        self.out.close(name)
    }

    fn phone(&mut self, path: &str, p: &Phone) -> io::Result<()> {
        self.out.open("phone", &[])?;
        self.out
            .leaf("tph_contact_type", &self.settings.contact_type)?;
        self.out
            .leaf("tph_communication_type", &self.settings.communication_type)?;
        self.text(
            "tph_country_prefix",
            &format!("{path}.country_prefix"),
            &p.country_prefix,
            4,
        )?;
        self.text("tph_number", &format!("{path}.number"), &p.number, 50)?;
        self.text_opt(
            "tph_extension",
            &format!("{path}.extension"),
            p.extension.as_deref(),
            10,
        )?;
        self.out.close("phone")
    }

    fn transaction(&mut self, path: &str, t: &Transaction) -> io::Result<()> {
        if t.currency != self.report.activity.currency {
            self.c.push(ValidationError::Unsupported {
                field: format!("{path}.currency"),
                reason: "goAML amount_local must be in the report's local currency",
            });
        }
        self.out.open("transaction", &[])?;
        self.text("transactionnumber", &format!("{path}.id"), &t.id, 100)?;
        self.text_opt(
            "internal_ref_number",
            &format!("{path}.internal_ref"),
            t.internal_ref.as_deref(),
            100,
        )?;
        self.text(
            "transaction_location",
            &format!("{path}.location"),
            &t.location,
            255,
        )?;
        self.text(
            "transaction_description",
            &format!("{path}.description"),
            &t.description,
            COMMENT_MAX,
        )?;
        self.out
            .leaf("date_transaction", &sql_date_time(t.date_time))?;
        self.out.leaf("transmode_code", &t.transmode_code)?;
        self.out.leaf("amount_local", &t.amount.to_string())?;
        self.side("from", &format!("{path}.from"), &t.from)?;
        self.side("to", &format!("{path}.to"), &t.to)?;
        self.out.close("transaction")
    }

    fn side(&mut self, dir: &str, path: &str, s: &Side) -> io::Result<()> {
        let wrapper = if s.my_client {
            format!("t_{dir}_my_client")
        } else {
            format!("t_{dir}")
        };
        let strict = s.my_client;
        self.out.open(&wrapper, &[])?;
        self.out.leaf(&format!("{dir}_funds_code"), &s.funds_code)?;
        let party = format!("{path}.party");
        let subjects = &self.report.subjects;
        match &s.party {
            SideParty::Subject { subject } => {
                if let Some(sub) = subjects.get(*subject) {
                    let field = format!("subjects[{subject}]");
                    match &sub.party {
                        SubjectParty::Person(p) => {
                            self.person(&format!("{dir}_person"), &field, sub, p, strict, None)?
                        }
                        SubjectParty::Organisation(o) => {
                            self.entity(&format!("{dir}_entity"), &field, sub, o, strict)?
                        }
                    }
                }
            }
            SideParty::SubjectAccount { subject, account } => {
                let found = subjects
                    .get(*subject)
                    .and_then(|sub| sub.accounts.get(*account).map(|a| (sub, a)));
                if let Some((sub, a)) = found {
                    let field = format!("subjects[{subject}].accounts[{account}]");
                    self.account(
                        &format!("{dir}_account"),
                        &field,
                        a,
                        (*subject, sub),
                        strict,
                    )?;
                }
            }
            inline => {
                if strict {
                    self.c.push(ValidationError::Unsupported {
                        field: party.clone(),
                        reason: "goAML my_client parties must be subjects",
                    });
                }
                self.inline_party(dir, &party, inline)?;
            }
        }
        self.out.leaf(&format!("{dir}_country"), &s.country)?;
        self.out.close(&wrapper)
    }

    fn inline_party(&mut self, dir: &str, path: &str, party: &SideParty) -> io::Result<()> {
        match party {
            SideParty::Account {
                number,
                institution,
            } => {
                self.out.open(&format!("{dir}_account"), &[])?;
                self.institution(&format!("{path}.institution"), institution)?;
                self.text("account", &format!("{path}.number"), number, 255)?;
                self.out.close(&format!("{dir}_account"))
            }
            SideParty::Person {
                first_name,
                last_name,
            } => {
                self.out.open(&format!("{dir}_person"), &[])?;
                self.text("first_name", &format!("{path}.first_name"), first_name, 100)?;
                self.text("last_name", &format!("{path}.last_name"), last_name, 100)?;
                self.out.close(&format!("{dir}_person"))
            }
            SideParty::Organisation { name } => {
                self.out.open(&format!("{dir}_entity"), &[])?;
                self.text("name", &format!("{path}.name"), name, 255)?;
                self.out.close(&format!("{dir}_entity"))
            }
            SideParty::Subject { .. } | SideParty::SubjectAccount { .. } => Ok(()),
        }
    }

    fn institution(&mut self, path: &str, i: &Institution) -> io::Result<()> {
        self.text("institution_name", &format!("{path}.name"), &i.name, 255)?;
        match (&i.code, &i.swift) {
            (Some(code), _) => self.text("institution_code", &format!("{path}.code"), code, 50)?,
            (None, Some(swift)) => self.text("swift", &format!("{path}.swift"), swift, 11)?,
            (None, None) => self.c.push(ValidationError::Missing {
                field: format!("{path}.code"),
            }),
        }
        Ok(())
    }

    fn account(
        &mut self,
        name: &str,
        path: &str,
        a: &Account,
        (holder, subject): (usize, &Subject),
        strict: bool,
    ) -> io::Result<()> {
        self.out.open(name, &[])?;
        self.institution(&format!("{path}.institution"), &a.institution)?;
        let branch = self.required(strict, &format!("{path}.branch"), a.branch.as_deref());
        self.text_opt("branch", &format!("{path}.branch"), branch, 255)?;
        self.text("account", &format!("{path}.number"), &a.number, 255)?;
        let currency = self.required(strict, &format!("{path}.currency"), a.currency.as_deref());
        if let Some(currency) = currency {
            self.out.leaf("currency_code", currency)?;
        }
        let account_name = self.required(strict, &format!("{path}.name"), a.name.as_deref());
        self.text_opt("account_name", &format!("{path}.name"), account_name, 255)?;
        let client = self.required(
            strict,
            &format!("{path}.client_number"),
            a.client_number.as_deref(),
        );
        self.text_opt(
            "client_number",
            &format!("{path}.client_number"),
            client,
            30,
        )?;
        let kind = self.required(
            strict,
            &format!("{path}.account_type"),
            a.account_type.as_deref(),
        );
        if let Some(kind) = kind {
            self.out.leaf("personal_account_type", kind)?;
        }
        if let SubjectParty::Organisation(o) = &subject.party {
            self.entity(
                "t_entity",
                &format!("subjects[{holder}]"),
                subject,
                o,
                strict,
            )?;
        }
        self.signatories(path, a, strict)?;
        let opened = self.required(strict, &format!("{path}.opened"), a.opened);
        if let Some(opened) = opened {
            self.out.leaf("opened", &sql_date(opened))?;
        }
        let status = self.required(
            strict,
            &format!("{path}.status_code"),
            a.status_code.as_deref(),
        );
        if let Some(status) = status {
            self.out.leaf("status_code", status)?;
        }
        self.out.close(name)
    }

    fn signatories(&mut self, path: &str, a: &Account, strict: bool) -> io::Result<()> {
        if strict && a.signatories.is_empty() {
            self.c.push(ValidationError::Missing {
                field: format!("{path}.signatories"),
            });
        }
        for (i, sig) in a.signatories.iter().enumerate() {
            let Some(subject) = self.report.subjects.get(sig.subject) else {
                continue;
            };
            let SubjectParty::Person(p) = &subject.party else {
                self.c.push(ValidationError::Unsupported {
                    field: format!("{path}.signatories[{i}].subject"),
                    reason: "a signatory must be a person",
                });
                continue;
            };
            self.out.open("signatory", &[])?;
            if strict || i == 0 {
                self.out.leaf("is_primary", "1")?;
            }
            let field = format!("subjects[{}]", sig.subject);
            self.person("t_person", &field, subject, p, strict, None)?;
            self.out.leaf("role", &sig.role)?;
            self.out.close("signatory")?;
        }
        Ok(())
    }

    /// A `t_person` (or `_my_client`) body; `role` is appended for directors.
    fn person(
        &mut self,
        name: &str,
        path: &str,
        s: &Subject,
        p: &Person,
        strict: bool,
        role: Option<&str>,
    ) -> io::Result<()> {
        let party = format!("{path}.party");
        self.out.open(name, &[])?;
        if let Some(g) = p.gender {
            self.out
                .leaf("gender", if g == Gender::Female { "F" } else { "M" })?;
        }
        self.text(
            "first_name",
            &format!("{party}.first_name"),
            &p.first_name,
            100,
        )?;
        self.text_opt(
            "middle_name",
            &format!("{party}.middle_name"),
            p.middle_name.as_deref(),
            100,
        )?;
        self.text(
            "last_name",
            &format!("{party}.last_name"),
            &p.last_name,
            100,
        )?;
        let born = self.required(strict, &format!("{party}.birth_date"), p.birth_date);
        if let Some(born) = born {
            self.out.leaf("birthdate", &sql_date(born))?;
        }
        let alias = s.aliases.first().map(String::as_str);
        self.text_opt("alias", &format!("{path}.aliases[0]"), alias, 100)?;
        self.person_ids(path, s, strict)?;
        let nationality = self.required(
            strict,
            &format!("{party}.nationality"),
            p.nationality.as_deref(),
        );
        if let Some(n) = nationality {
            self.out.leaf("nationality1", n)?;
        }
        // Residence is read from the first address: the model keeps no separate field for it.
        let residence = s.addresses.first().map(|a| a.country.as_str());
        let residence = self.required(strict, &format!("{path}.addresses"), residence);
        if let Some(r) = residence {
            self.out.leaf("residence", r)?;
        }
        self.contacts(path, s, strict)?;
        let occupation = self.required(
            strict,
            &format!("{party}.occupation"),
            p.occupation.as_deref(),
        );
        self.text_opt(
            "occupation",
            &format!("{party}.occupation"),
            occupation,
            255,
        )?;
        if let Some(role) = role {
            self.out.leaf("role", role)?;
        }
        self.out.close(name)
    }

    /// `ssn`, then `passport_number`/`passport_country`, then `id_number`, from the first
    /// identification of each kind.
    fn person_ids(&mut self, path: &str, s: &Subject, strict: bool) -> io::Result<()> {
        let find = |kinds: &[IdKind]| {
            s.identifications
                .iter()
                .enumerate()
                .find(|(_, id)| kinds.contains(&id.kind))
        };
        let ssn = find(&[IdKind::Ssn, IdKind::Tin]);
        self.required(strict, &format!("{path}.identifications"), ssn);
        if let Some((i, id)) = ssn {
            let field = format!("{path}.identifications[{i}].number");
            self.text("ssn", &field, &id.number, 25)?;
        }
        if let Some((i, id)) = find(&[IdKind::Passport]) {
            let field = format!("{path}.identifications[{i}].number");
            self.text("passport_number", &field, &id.number, 255)?;
            self.out.leaf("passport_country", &id.issuing_country)?;
        }
        let other = find(&[
            IdKind::DriversLicense,
            IdKind::AlienRegistration,
            IdKind::Foreign,
            IdKind::Other,
        ]);
        if let Some((i, id)) = other {
            let field = format!("{path}.identifications[{i}].number");
            self.text("id_number", &field, &id.number, 255)?;
        }
        Ok(())
    }

    /// `phones`, `addresses` and up to five `email`s, in the order the person and entity types
    /// share.
    fn contacts(&mut self, path: &str, s: &Subject, strict: bool) -> io::Result<()> {
        if strict && s.phones.is_empty() {
            self.c.push(ValidationError::Missing {
                field: format!("{path}.phones"),
            });
        }
        if !s.phones.is_empty() {
            self.out.open("phones", &[])?;
            for (i, p) in s.phones.iter().enumerate() {
                self.phone(&format!("{path}.phones[{i}]"), p)?;
            }
            self.out.close("phones")?;
        }
        if !s.addresses.is_empty() {
            self.out.open("addresses", &[])?;
            for (i, a) in s.addresses.iter().enumerate() {
                self.address("address", &format!("{path}.addresses[{i}]"), a)?;
            }
            self.out.close("addresses")?;
        }
        if s.emails.len() > 5 {
            self.c.push(ValidationError::Unsupported {
                field: format!("{path}.emails"),
                reason: "goAML takes at most 5 e-mail addresses",
            });
        }
        for (i, e) in s.emails.iter().enumerate().take(5) {
            self.text("email", &format!("{path}.emails[{i}]"), e, 255)?;
        }
        Ok(())
    }

    fn entity(
        &mut self,
        name: &str,
        path: &str,
        s: &Subject,
        o: &Organisation,
        strict: bool,
    ) -> io::Result<()> {
        let party = format!("{path}.party");
        self.out.open(name, &[])?;
        self.text("name", &format!("{party}.name"), &o.name, 255)?;
        // The trading name is the first doing-business-as alias, or the legal name if none.
        let commercial = s.aliases.first().unwrap_or(&o.name);
        self.text(
            "commercial_name",
            &format!("{path}.aliases[0]"),
            commercial,
            255,
        )?;
        let form = self.required(
            strict,
            &format!("{party}.legal_form"),
            o.legal_form.as_deref(),
        );
        if let Some(form) = form {
            self.out.leaf("incorporation_legal_form", form)?;
        }
        let number = self.required(
            strict,
            &format!("{party}.incorporation_number"),
            o.incorporation_number.as_deref(),
        );
        self.text_opt(
            "incorporation_number",
            &format!("{party}.incorporation_number"),
            number,
            50,
        )?;
        let business = self.required(strict, &format!("{party}.business"), o.business.as_deref());
        self.text_opt("business", &format!("{party}.business"), business, 255)?;
        self.contacts(path, s, strict)?;
        let country = self.required(
            strict,
            &format!("{party}.incorporation_country"),
            o.incorporation_country.as_deref(),
        );
        if let Some(country) = country {
            self.out.leaf("incorporation_country_code", country)?;
        }
        self.directors(&party, o, strict)?;
        let founded = self.required(
            strict,
            &format!("{party}.incorporation_date"),
            o.incorporation_date,
        );
        if let Some(founded) = founded {
            self.out.leaf("incorporation_date", &sql_date(founded))?;
        }
        let tax = s.identifications.iter().find(|id| id.kind == IdKind::Ein);
        if let Some(tax) = tax {
            self.out.leaf("tax_number", &tax.number)?;
        }
        self.out.close(name)
    }

    fn directors(&mut self, party: &str, o: &Organisation, strict: bool) -> io::Result<()> {
        if strict && o.directors.is_empty() {
            self.c.push(ValidationError::Missing {
                field: format!("{party}.directors"),
            });
        }
        for (i, d) in o.directors.iter().enumerate() {
            let Some(subject) = self.report.subjects.get(d.subject) else {
                continue;
            };
            let SubjectParty::Person(p) = &subject.party else {
                self.c.push(ValidationError::Unsupported {
                    field: format!("{party}.directors[{i}].subject"),
                    reason: "a director must be a person",
                });
                continue;
            };
            // director_id extends the plain t_person, whatever the entity's own type.
            let field = format!("subjects[{}]", d.subject);
            self.person("director_id", &field, subject, p, false, Some(&d.role))?;
        }
        Ok(())
    }
}
