//! FinCEN SAR (FinCEN Report 111) as a BSA E-Filing batch: `EFilingBatchXML` with form type
//! `SARX` and one `Activity`.
//!
//! # What the structure follows
//!
//! Element names, their order, the `SeqNum` attributes, the code lists and the length limits
//! follow FinCEN's batch schema `EFL_SARXBatchSchema.xsd` version 1.2 (12/17/2021), the schema
//! that goes with the *FinCEN SAR XML Schema 2.0 User Guide* (versions 1.0–1.6, 2018–2021).
//! Notably, from the schema:
//!
//! - every element carries a `SeqNum` unique in the batch (an `xsd:unique` over `.//*`), and
//!   elements of a type appear in the schema's (alphabetical) sequence order;
//! - an activity holds 6 to 1,203 parties: transmitter (35), transmitter contact (37), filing
//!   institution (30), contact office (8), institution where activity occurred (34) with its
//!   branches (46), and subjects (33), whose accounts hang off party 41 inside
//!   `PartyAccountAssociation`;
//! - the narrative is at most five `ActivityNarrativeInformation` blocks of 4,000 characters,
//!   block 5 covering characters 16,001–17,000;
//! - short text fields match `\S+( +\S+)*`: no leading or trailing spaces, no tabs or line
//!   breaks. The user guide (revision 1.1) says the same of all element values, so this writer
//!   folds every run of whitespace, the narrative's line breaks included, into one space.
//!
//! From the user guide's element descriptions: amounts are whole U.S. dollars; dates are
//! `YYYYMMDD`; the prior document number is the 14-digit BSA ID, or 14 zeros when unknown.
//!
//! # Not confirmed here
//!
//! The full user guide was not readable offline, so these choices rest on third-party samples or
//! judgement and should be checked against FinCEN's User Test environment before production use:
//! rounding of cents *up* to the next dollar; the root's `PartyCount` as the number of subjects
//! and `TotalAmount` as the sum of `TotalSuspiciousAmountText`; the `fc2` prefix and
//! `xsi:schemaLocation` value; party 41 identifying its institution with TIN type 4 and its
//! accounts with association code 5 under a subject association of code 7; one
//! `PartyAssociation` per branch; phone numbers written without their country prefix.

use std::io;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::model::*;
use crate::validate::{Checker, ValidationError, ValidationErrors, check_address};
use crate::xml::{RenderError, XmlOut};

const FORMAT: &str = "FinCEN";
const NAMESPACE: &str = "www.fincen.gov/base";
const SCHEMA_LOCATION: &str =
    "www.fincen.gov/base https://www.fincen.gov/base/EFL_SARXBatchSchema.xsd";
const NARRATIVE_BLOCK_CHARS: usize = 4_000;

/// Renders the report as a FinCEN SAR batch of one activity, after validating it.
pub fn to_xml(report: &Report) -> Result<String, RenderError> {
    let mut c = Checker::default();
    report.check(&mut c);
    check_fincen(report, &mut c);
    c.finish()?;
    let Some(transmitter) = &report.transmitter else {
        // check_fincen has already refused a report without one.
        return Err(ValidationErrors(vec![ValidationError::Missing {
            field: "transmitter".into(),
        }])
        .into());
    };
    let mut w = Batch {
        out: XmlOut::new()?,
        seq: 0,
    };
    w.write(report, transmitter)?;
    Ok(w.out.finish()?)
}

/// The total in the whole dollars FinCEN asks for, rounding cents up so that the reported
/// amount is never below the actual one.
pub fn whole_dollars(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(0, RoundingStrategy::AwayFromZero)
}

/// Folds whitespace runs into single spaces and trims, as the schema's text pattern requires.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// FinCEN wants ZIP codes without punctuation or spaces.
fn zip(code: &str) -> String {
    code.chars().filter(char::is_ascii_alphanumeric).collect()
}

fn yyyymmdd(date: time::Date) -> String {
    format!(
        "{:04}{:02}{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

fn check_fincen(report: &Report, c: &mut Checker) {
    match &report.transmitter {
        Some(t) => check_transmitter(c, t),
        None => c.push(ValidationError::Missing {
            field: "transmitter".into(),
        }),
    }
    check_rest(report, c);
}

fn check_transmitter(c: &mut Checker, t: &Transmitter) {
    check_party_name(c, "transmitter.name", &t.name);
    check_party_name(c, "transmitter.contact_name", &t.contact_name);
    c.limit(FORMAT, "transmitter.tin", &flat(&t.tin), 25);
    c.limit(FORMAT, "transmitter.tcc", &flat(&t.tcc), 25);
    check_fincen_address(c, "transmitter.address", &t.address);
    check_fincen_phone(c, "transmitter.phone", &t.phone);
}

fn check_rest(report: &Report, c: &mut Checker) {
    let f = &report.filer;
    check_party_name(c, "filer.name", &f.name);
    c.limit(FORMAT, "filer.tin", &flat(&f.tin), 25);
    check_fincen_address(c, "filer.address", &f.address);
    check_party_name(c, "filer.contact_office.name", &f.contact_office.name);
    check_fincen_phone(c, "filer.contact_office.phone", &f.contact_office.phone);
    for (i, s) in report.subjects.iter().enumerate() {
        check_fincen_subject(c, &format!("subjects[{i}]"), s);
    }
    for (i, t) in report.transactions.iter().enumerate() {
        if let Some(branch) = &t.branch {
            check_fincen_address(c, &format!("transactions[{i}].branch"), branch);
        }
    }
    let a = &report.activity;
    if a.currency != "USD" {
        c.push(ValidationError::Unsupported {
            field: "activity.currency".into(),
            reason: "FinCEN takes amounts in U.S. dollars",
        });
    }
    c.limit(
        FORMAT,
        "activity.total_amount",
        &whole_dollars(a.total_amount).to_string(),
        15,
    );
    for (i, k) in a.classifications.iter().enumerate() {
        let field = format!("activity.classifications[{i}]");
        if !matches!(k.category, 1 | 3..=12) {
            c.push(ValidationError::Unsupported {
                field: format!("{field}.category"),
                reason: "not a FinCEN SuspiciousActivityTypeID",
            });
        }
        if let Some(other) = &k.other {
            c.limit(FORMAT, &format!("{field}.other"), &flat(other), 50);
        }
    }
}

fn check_party_name(c: &mut Checker, field: &str, name: &str) {
    c.limit(FORMAT, field, &flat(name), 150);
}

fn check_fincen_address(c: &mut Checker, path: &str, a: &Address) {
    check_address(c, path, a);
    c.limit(FORMAT, &format!("{path}.street"), &flat(&a.street), 100);
    c.limit(FORMAT, &format!("{path}.city"), &flat(&a.city), 50);
    if let Some(state) = &a.state {
        c.limit(FORMAT, &format!("{path}.state"), &flat(state), 3);
    }
    if let Some(code) = &a.postal_code {
        c.limit(FORMAT, &format!("{path}.postal_code"), &zip(code), 9);
    }
}

fn check_fincen_phone(c: &mut Checker, path: &str, p: &Phone) {
    c.limit(FORMAT, &format!("{path}.number"), &p.number, 16);
    if let Some(ext) = &p.extension {
        c.limit(FORMAT, &format!("{path}.extension"), ext, 6);
    }
}

fn check_fincen_subject(c: &mut Checker, path: &str, s: &Subject) {
    match &s.party {
        SubjectParty::Person(p) => {
            c.limit(
                FORMAT,
                &format!("{path}.party.first_name"),
                &flat(&p.first_name),
                35,
            );
            if let Some(m) = &p.middle_name {
                c.limit(FORMAT, &format!("{path}.party.middle_name"), &flat(m), 35);
            }
            c.limit(
                FORMAT,
                &format!("{path}.party.last_name"),
                &flat(&p.last_name),
                150,
            );
            if let Some(o) = &p.occupation {
                c.limit(FORMAT, &format!("{path}.party.occupation"), &flat(o), 50);
            }
        }
        SubjectParty::Organisation(o) => {
            c.limit(FORMAT, &format!("{path}.party.name"), &flat(&o.name), 150);
            if let Some(b) = &o.business {
                c.limit(FORMAT, &format!("{path}.party.business"), &flat(b), 50);
            }
        }
    }
    for (i, alias) in s.aliases.iter().enumerate() {
        c.limit(FORMAT, &format!("{path}.aliases[{i}]"), &flat(alias), 150);
    }
    for (i, id) in s.identifications.iter().enumerate() {
        let field = format!("{path}.identifications[{i}]");
        c.limit(FORMAT, &format!("{field}.number"), &flat(&id.number), 25);
        if let Some(state) = &id.issuing_state {
            c.limit(FORMAT, &format!("{field}.issuing_state"), &flat(state), 3);
        }
        if let Some(d) = &id.description {
            c.limit(FORMAT, &format!("{field}.description"), &flat(d), 50);
        }
    }
    for (i, a) in s.addresses.iter().enumerate() {
        check_fincen_address(c, &format!("{path}.addresses[{i}]"), a);
    }
    for (i, p) in s.phones.iter().enumerate() {
        check_fincen_phone(c, &format!("{path}.phones[{i}]"), p);
    }
    for (i, e) in s.emails.iter().enumerate() {
        c.limit(FORMAT, &format!("{path}.emails[{i}]"), &flat(e), 517);
    }
    for (i, a) in s.accounts.iter().enumerate() {
        let field = format!("{path}.accounts[{i}]");
        c.limit(FORMAT, &format!("{field}.number"), &flat(&a.number), 40);
        if let Some(tin) = &a.institution.tin {
            c.limit(FORMAT, &format!("{field}.institution.tin"), &flat(tin), 25);
        }
    }
}

fn regulator_code(r: Regulator) -> &'static str {
    match r {
        Regulator::FederalReserve => "1",
        Regulator::Fdic => "2",
        Regulator::Ncua => "3",
        Regulator::Occ => "4",
        Regulator::Sec => "6",
        Regulator::Irs => "7",
        Regulator::Cftc => "9",
        Regulator::Fhfa => "13",
        Regulator::NotApplicable => "99",
    }
}

fn organisation_type_code(t: InstitutionType) -> &'static str {
    match t {
        InstitutionType::CasinoCardClub => "1",
        InstitutionType::DepositoryInstitution => "2",
        InstitutionType::InsuranceCompany => "3",
        InstitutionType::MoneyServicesBusiness => "4",
        InstitutionType::SecuritiesFutures => "5",
        InstitutionType::LoanOrFinanceCompany => "11",
        InstitutionType::HousingGse => "12",
    }
}

fn id_type_code(k: IdKind) -> &'static str {
    match k {
        IdKind::Ssn => "1",
        IdKind::Ein => "2",
        IdKind::Tin => "4",
        IdKind::DriversLicense => "5",
        IdKind::Passport => "6",
        IdKind::AlienRegistration => "7",
        IdKind::Foreign => "9",
        IdKind::Other => "999",
    }
}

/// Writes elements in document order, numbering each `SeqNum` as it goes.
struct Batch {
    out: XmlOut,
    seq: u64,
}

impl Batch {
    fn open(&mut self, name: &str) -> io::Result<()> {
        self.seq += 1;
        let seq = self.seq.to_string();
        self.out.open(&format!("fc2:{name}"), &[("SeqNum", &seq)])
    }

    fn close(&mut self, name: &str) -> io::Result<()> {
        self.out.close(&format!("fc2:{name}"))
    }

    fn leaf(&mut self, name: &str, text: &str) -> io::Result<()> {
        self.out.leaf(&format!("fc2:{name}"), &flat(text))
    }

    fn yes(&mut self, name: &str, on: bool) -> io::Result<()> {
        if on { self.leaf(name, "Y") } else { Ok(()) }
    }

    fn write(&mut self, report: &Report, transmitter: &Transmitter) -> io::Result<()> {
        let total = whole_dollars(report.activity.total_amount).to_string();
        let subjects = report.subjects.len().to_string();
        self.out.open(
            "fc2:EFilingBatchXML",
            &[
                ("ActivityCount", "1"),
                ("TotalAmount", &total),
                ("PartyCount", &subjects),
                ("ActivityAttachmentCount", "0"),
                ("AttachmentCount", "0"),
                ("xsi:schemaLocation", SCHEMA_LOCATION),
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                ("xmlns:fc2", NAMESPACE),
            ],
        )?;
        self.leaf("FormTypeCode", "SARX")?;
        self.open("Activity")?;
        self.activity_header(report)?;
        self.transmitter(transmitter)?;
        self.filer(&report.filer)?;
        self.contact_office(&report.filer.contact_office)?;
        self.activity_location(report)?;
        for subject in &report.subjects {
            self.subject(report, subject)?;
        }
        self.suspicious_activity(&report.activity)?;
        self.narrative(&report.narrative)?;
        self.close("Activity")?;
        self.out.close("fc2:EFilingBatchXML")
    }

    fn activity_header(&mut self, report: &Report) -> io::Result<()> {
        if let Some(prior) = &report.prior_report {
            let id = prior.bsa_id.as_deref().unwrap_or("00000000000000");
            self.leaf("EFilingPriorDocumentNumber", id)?;
        }
        self.leaf("FilingDateText", &yyyymmdd(report.filing_date))?;
        self.open("ActivityAssociation")?;
        let kind = report.prior_report.as_ref().map(|p| p.kind);
        self.yes(
            "ContinuingActivityReportIndicator",
            kind == Some(PriorKind::Continuing),
        )?;
        self.yes(
            "CorrectsAmendsPriorReportIndicator",
            kind == Some(PriorKind::Correction),
        )?;
        self.yes("InitialReportIndicator", kind.is_none())?;
        self.close("ActivityAssociation")
    }

    fn full_name(&mut self, code: &str, name: &str) -> io::Result<()> {
        self.open("PartyName")?;
        self.leaf("PartyNameTypeCode", code)?;
        self.leaf("RawPartyFullName", name)?;
        self.close("PartyName")
    }

    fn address(&mut self, a: &Address) -> io::Result<()> {
        self.open("Address")?;
        self.leaf("RawCityText", &a.city)?;
        self.leaf("RawCountryCodeText", &a.country)?;
        if let Some(state) = &a.state {
            self.leaf("RawStateCodeText", state)?;
        }
        self.leaf("RawStreetAddress1Text", &a.street)?;
        if let Some(code) = &a.postal_code {
            self.leaf("RawZIPCode", &zip(code))?;
        }
        self.close("Address")
    }

    fn phone(&mut self, p: &Phone) -> io::Result<()> {
        self.open("PhoneNumber")?;
        if let Some(ext) = &p.extension {
            self.leaf("PhoneNumberExtensionText", ext)?;
        }
        self.leaf("PhoneNumberText", &p.number)?;
        self.close("PhoneNumber")
    }

    fn tin(&mut self, number: &str, code: &str) -> io::Result<()> {
        self.open("PartyIdentification")?;
        self.leaf("PartyIdentificationNumberText", number)?;
        self.leaf("PartyIdentificationTypeCode", code)?;
        self.close("PartyIdentification")
    }

    fn transmitter(&mut self, t: &Transmitter) -> io::Result<()> {
        self.open("Party")?;
        self.leaf("ActivityPartyTypeCode", "35")?;
        self.full_name("L", &t.name)?;
        self.address(&t.address)?;
        self.phone(&t.phone)?;
        self.tin(&t.tin, "4")?;
        self.tin(&t.tcc, "28")?;
        self.close("Party")?;
        self.open("Party")?;
        self.leaf("ActivityPartyTypeCode", "37")?;
        self.full_name("L", &t.contact_name)?;
        self.close("Party")
    }

    fn institution_body(&mut self, f: &Filer) -> io::Result<()> {
        self.full_name("L", &f.name)?;
        self.address(&f.address)?;
        self.tin(&f.tin, id_type_code(f.tin_kind))?;
        self.open("OrganizationClassificationTypeSubtype")?;
        self.leaf(
            "OrganizationTypeID",
            organisation_type_code(f.institution_type),
        )?;
        self.close("OrganizationClassificationTypeSubtype")
    }

    fn filer(&mut self, f: &Filer) -> io::Result<()> {
        self.open("Party")?;
        self.leaf("ActivityPartyTypeCode", "30")?;
        self.leaf(
            "PrimaryRegulatorTypeCode",
            regulator_code(f.primary_regulator),
        )?;
        self.institution_body(f)?;
        self.close("Party")
    }

    fn contact_office(&mut self, o: &ContactOffice) -> io::Result<()> {
        self.open("Party")?;
        self.leaf("ActivityPartyTypeCode", "8")?;
        self.full_name("L", &o.name)?;
        self.phone(&o.phone)?;
        self.close("Party")
    }

    /// The filer as the institution where activity occurred, with each distinct branch named
    /// by a transaction as a branch party.
    fn activity_location(&mut self, report: &Report) -> io::Result<()> {
        let mut branches: Vec<&Address> = Vec::new();
        for branch in report.transactions.iter().filter_map(|t| t.branch.as_ref()) {
            if !branches.contains(&branch) {
                branches.push(branch);
            }
        }
        let f = &report.filer;
        self.open("Party")?;
        self.leaf("ActivityPartyTypeCode", "34")?;
        self.yes("NoBranchActivityInvolvedIndicator", branches.is_empty())?;
        self.leaf(
            "PrimaryRegulatorTypeCode",
            regulator_code(f.primary_regulator),
        )?;
        self.institution_body(f)?;
        for branch in branches {
            self.open("PartyAssociation")?;
            self.open("Party")?;
            self.leaf("ActivityPartyTypeCode", "46")?;
            self.address(branch)?;
            self.close("Party")?;
            self.close("PartyAssociation")?;
        }
        self.close("Party")
    }

    fn subject(&mut self, report: &Report, s: &Subject) -> io::Result<()> {
        self.open("Party")?;
        self.leaf("ActivityPartyTypeCode", "33")?;
        let person = match &s.party {
            SubjectParty::Person(p) => Some(p),
            SubjectParty::Organisation(_) => None,
        };
        self.yes(
            "BirthDateUnknownIndicator",
            person.is_some_and(|p| p.birth_date.is_none()),
        )?;
        self.yes(
            "BothPurchaserSenderPayeeReceiveIndicator",
            s.role == SubjectRole::Both,
        )?;
        let gender = person.and_then(|p| p.gender);
        self.yes("FemaleGenderIndicator", gender == Some(Gender::Female))?;
        if let Some(born) = person.and_then(|p| p.birth_date) {
            self.leaf("IndividualBirthDateText", &yyyymmdd(born))?;
        }
        self.yes("MaleGenderIndicator", gender == Some(Gender::Male))?;
        self.yes("NoKnownAccountInvolvedIndicator", s.accounts.is_empty())?;
        self.yes("PartyAsEntityOrganizationIndicator", person.is_none())?;
        self.yes(
            "PayeeReceiverIndicator",
            s.role == SubjectRole::PayeeReceiver,
        )?;
        self.yes(
            "PurchaserSenderIndicator",
            s.role == SubjectRole::PurchaserSender,
        )?;
        self.yes(
            "UnknownGenderIndicator",
            person.is_some() && gender.is_none(),
        )?;
        self.subject_names(s)?;
        for a in &s.addresses {
            self.address(a)?;
        }
        for p in &s.phones {
            self.phone(p)?;
        }
        for id in &s.identifications {
            self.identification(id)?;
        }
        self.occupation(s)?;
        for e in &s.emails {
            self.open("ElectronicAddress")?;
            self.leaf("ElectronicAddressText", e)?;
            self.leaf("ElectronicAddressTypeCode", "E")?;
            self.close("ElectronicAddress")?;
        }
        if s.customer {
            self.open("PartyAssociation")?;
            self.leaf("CustomerIndicator", "Y")?;
            self.leaf(
                "SubjectRelationshipFinancialInstitutionTINText",
                &report.filer.tin,
            )?;
            self.close("PartyAssociation")?;
        }
        self.accounts(&s.accounts)?;
        self.close("Party")
    }

    fn subject_names(&mut self, s: &Subject) -> io::Result<()> {
        self.open("PartyName")?;
        self.leaf("PartyNameTypeCode", "L")?;
        let alias_code = match &s.party {
            SubjectParty::Person(p) => {
                self.leaf("RawEntityIndividualLastName", &p.last_name)?;
                self.leaf("RawIndividualFirstName", &p.first_name)?;
                if let Some(m) = &p.middle_name {
                    self.leaf("RawIndividualMiddleName", m)?;
                }
                "AKA"
            }
            SubjectParty::Organisation(o) => {
                self.leaf("RawEntityIndividualLastName", &o.name)?;
                "DBA"
            }
        };
        self.close("PartyName")?;
        for alias in &s.aliases {
            self.full_name(alias_code, alias)?;
        }
        Ok(())
    }

    fn identification(&mut self, id: &Identification) -> io::Result<()> {
        let is_tin = matches!(id.kind, IdKind::Ssn | IdKind::Ein | IdKind::Tin);
        self.open("PartyIdentification")?;
        if !is_tin {
            self.leaf("OtherIssuerCountryText", &id.issuing_country)?;
            if let Some(state) = &id.issuing_state {
                self.leaf("OtherIssuerStateText", state)?;
            }
        }
        if let (IdKind::Other, Some(d)) = (id.kind, &id.description) {
            self.leaf("OtherPartyIdentificationTypeText", d)?;
        }
        self.leaf("PartyIdentificationNumberText", &id.number)?;
        self.leaf("PartyIdentificationTypeCode", id_type_code(id.kind))?;
        self.close("PartyIdentification")
    }

    fn occupation(&mut self, s: &Subject) -> io::Result<()> {
        let text = match &s.party {
            SubjectParty::Person(p) => p.occupation.as_deref(),
            SubjectParty::Organisation(o) => o.business.as_deref(),
        };
        if let Some(text) = text {
            self.open("PartyOccupationBusiness")?;
            self.leaf("OccupationBusinessText", text)?;
            self.close("PartyOccupationBusiness")?;
        }
        Ok(())
    }

    /// One association for the subject, one party 41 per institution holding its accounts.
    fn accounts(&mut self, accounts: &[Account]) -> io::Result<()> {
        if accounts.is_empty() {
            return Ok(());
        }
        let mut institutions: Vec<&Institution> = Vec::new();
        for a in accounts {
            if !institutions.contains(&&a.institution) {
                institutions.push(&a.institution);
            }
        }
        self.open("PartyAccountAssociation")?;
        self.leaf("PartyAccountAssociationTypeCode", "7")?;
        for institution in institutions {
            self.open("Party")?;
            self.leaf("ActivityPartyTypeCode", "41")?;
            self.yes(
                "NonUSFinancialInstitutionIndicator",
                institution.country != "US",
            )?;
            if let Some(tin) = &institution.tin {
                self.tin(tin, "4")?;
            }
            for a in accounts.iter().filter(|a| &a.institution == institution) {
                self.open("Account")?;
                self.leaf("AccountNumberText", &a.number)?;
                self.open("PartyAccountAssociation")?;
                self.yes("AccountClosedIndicator", a.closed)?;
                self.leaf("PartyAccountAssociationTypeCode", "5")?;
                self.close("PartyAccountAssociation")?;
                self.close("Account")?;
            }
            self.close("Party")?;
        }
        self.close("PartyAccountAssociation")
    }

    fn suspicious_activity(&mut self, a: &Activity) -> io::Result<()> {
        self.open("SuspiciousActivity")?;
        self.yes("NoAmountInvolvedIndicator", a.total_amount.is_zero())?;
        self.leaf("SuspiciousActivityFromDateText", &yyyymmdd(a.from))?;
        self.leaf("SuspiciousActivityToDateText", &yyyymmdd(a.to))?;
        if !a.total_amount.is_zero() {
            self.leaf(
                "TotalSuspiciousAmountText",
                &whole_dollars(a.total_amount).to_string(),
            )?;
        }
        for k in &a.classifications {
            self.open("SuspiciousActivityClassification")?;
            if let Some(other) = &k.other {
                self.leaf("OtherSuspiciousActivityTypeText", other)?;
            }
            self.leaf("SuspiciousActivitySubtypeID", &k.subtype.to_string())?;
            self.leaf("SuspiciousActivityTypeID", &k.category.to_string())?;
            self.close("SuspiciousActivityClassification")?;
        }
        self.close("SuspiciousActivity")
    }

    fn narrative(&mut self, narrative: &str) -> io::Result<()> {
        let chars: Vec<char> = flat(narrative).chars().collect();
        for (i, block) in narrative_blocks(&chars).into_iter().enumerate() {
            let text: String = block.iter().collect();
            self.open("ActivityNarrativeInformation")?;
            self.leaf("ActivityNarrativeSequenceNumber", &(i + 1).to_string())?;
            // Not through `leaf`: folding again would drop a space at a block boundary.
            self.out.leaf("fc2:ActivityNarrativeText", &text)?;
            self.close("ActivityNarrativeInformation")?;
        }
        Ok(())
    }
}

/// Splits the folded narrative into blocks of at most 4,000 characters whose concatenation is
/// the narrative. A cut never lands next to a space, so no block starts or ends with one (the
/// guide forbids leading and trailing spaces); with single spaces only, that moves a cut back by
/// at most two characters, and 17,000 characters still fit in five blocks.
pub(crate) fn narrative_blocks(chars: &[char]) -> Vec<&[char]> {
    let mut blocks = Vec::new();
    let mut rest = chars;
    while rest.len() > NARRATIVE_BLOCK_CHARS {
        let mut cut = NARRATIVE_BLOCK_CHARS;
        while cut > 1 && (rest[cut - 1] == ' ' || rest[cut] == ' ') {
            cut -= 1;
        }
        let (block, tail) = rest.split_at(cut);
        blocks.push(block);
        rest = tail;
    }
    if !rest.is_empty() {
        blocks.push(rest);
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_round_up_to_the_next_dollar() {
        for (cents, dollars) in [(2_815_000, 28_150), (2_815_001, 28_151), (99, 1), (0, 0)] {
            assert_eq!(
                whole_dollars(Decimal::new(cents, 2)),
                Decimal::from(dollars)
            );
        }
    }

    #[test]
    fn whitespace_folds_to_single_spaces() {
        assert_eq!(flat("  a\n\n b\tc  "), "a b c");
        assert_eq!(zip("50309-2331"), "503092331");
    }

    fn blocks_of(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        narrative_blocks(&chars)
            .into_iter()
            .map(|b| b.iter().collect())
            .collect()
    }

    #[test]
    fn narrative_blocks_concatenate_to_the_narrative_without_edge_spaces() {
        // Words of 9 letters and a space: cuts at multiples of 4,000 would land on spaces.
        let text = vec!["abcdefghi"; 1_700].join(" ");
        assert_eq!(text.chars().count(), 16_999);
        let blocks = blocks_of(&text);
        assert_eq!(blocks.concat(), text);
        assert!(blocks.len() <= 5, "{} blocks", blocks.len());
        for b in &blocks {
            assert!(b.chars().count() <= NARRATIVE_BLOCK_CHARS);
            assert!(
                !b.starts_with(' ') && !b.ends_with(' '),
                "edge space in a block"
            );
        }
    }

    #[test]
    fn a_short_narrative_is_one_block() {
        assert_eq!(blocks_of("Cash deposits."), ["Cash deposits."]);
        assert!(blocks_of("").is_empty());
    }
}
