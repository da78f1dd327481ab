//! The suspicious-activity report as the caller describes it, independent of any regulator's
//! format. Field names follow the vocabulary of the FinCEN SAR where the two formats differ;
//! goAML-only lookups (funds, transmode, legal form, account type codes) are carried as the
//! strings each FIU publishes, because their meaning is set per jurisdiction, not by the schema.
//!
//! Dates are ISO 8601 strings in JSON (`2024-03-04`, `2024-03-04T10:15:00`). Amounts are
//! decimal strings (`"9500.00"`); JSON numbers are refused because they would pass through a
//! float on the way in.

use rust_decimal::Decimal;
use serde::Deserialize;
use time::{Date, PrimitiveDateTime};

/// One suspicious-activity report: who files it, about whom, what happened, and why.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// The date the report is filed; the library never reads the clock, so output is a pure
    /// function of the input.
    #[serde(with = "crate::serde_date")]
    pub filing_date: Date,
    /// The filer's own case or report reference (goAML `entity_reference`).
    pub entity_reference: String,
    /// Set when this report corrects or continues an earlier one.
    #[serde(default)]
    pub prior_report: Option<PriorReport>,
    /// Who transmits the batch to FinCEN; required for FinCEN output only.
    #[serde(default)]
    pub transmitter: Option<Transmitter>,
    pub filer: Filer,
    pub reporting_person: ReportingPerson,
    pub subjects: Vec<Subject>,
    pub activity: Activity,
    #[serde(default)]
    pub transactions: Vec<Transaction>,
    pub narrative: String,
    /// Registration and lookup codes the goAML FIU assigns; required for goAML output only.
    #[serde(default)]
    pub goaml: Option<GoamlSettings>,
}

/// The earlier report that this one amends or continues.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorReport {
    pub kind: PriorKind,
    /// The BSA ID FinCEN gave the earlier report (14 digits); `None` when it is not known.
    #[serde(default)]
    pub bsa_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriorKind {
    /// Corrects or amends a prior report.
    Correction,
    /// Continues reporting activity already reported.
    Continuing,
}

/// The party that sends the file to FinCEN (often the filer itself or its vendor).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transmitter {
    pub name: String,
    pub tin: String,
    /// The Transmitter Control Code FinCEN issues for batch filing.
    pub tcc: String,
    pub address: Address,
    pub phone: Phone,
    pub contact_name: String,
}

/// The financial institution filing the report.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filer {
    pub name: String,
    pub tin: String,
    pub tin_kind: IdKind,
    pub institution_type: InstitutionType,
    pub primary_regulator: Regulator,
    pub address: Address,
    pub contact_office: ContactOffice,
    /// SWIFT BIC, used where goAML asks for the institution of an account.
    #[serde(default)]
    pub swift: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactOffice {
    pub name: String,
    pub phone: Phone,
}

/// The kind of institution, in FinCEN's `OrganizationTypeID` categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstitutionType {
    CasinoCardClub,
    DepositoryInstitution,
    InsuranceCompany,
    MoneyServicesBusiness,
    SecuritiesFutures,
    LoanOrFinanceCompany,
    HousingGse,
}

/// The primary federal regulator or BSA examiner of the filer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Regulator {
    Cftc,
    FederalReserve,
    Fdic,
    Irs,
    Ncua,
    Occ,
    Sec,
    Fhfa,
    NotApplicable,
}

/// The person at the filer who prepared the report (goAML `reporting_person`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportingPerson {
    pub first_name: String,
    pub last_name: String,
    #[serde(default)]
    pub occupation: Option<String>,
    pub email: String,
    #[serde(default)]
    pub phone: Option<Phone>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub street: String,
    pub city: String,
    /// State, territory or province code where the country has them (US, CA, MX).
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phone {
    /// International dialling prefix without `+` (goAML asks for it apart).
    pub country_prefix: String,
    /// Digits only: FinCEN refuses punctuation and spaces.
    pub number: String,
    #[serde(default)]
    pub extension: Option<String>,
}

/// A person or organisation the report is about.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    pub party: SubjectParty,
    /// Also-known-as names for people, doing-business-as names for organisations.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub identifications: Vec<Identification>,
    #[serde(default)]
    pub addresses: Vec<Address>,
    #[serde(default)]
    pub phones: Vec<Phone>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub accounts: Vec<Account>,
    pub role: SubjectRole,
    /// Whether the subject is a customer of the filer.
    #[serde(default)]
    pub customer: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum SubjectParty {
    Person(Person),
    Organisation(Organisation),
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub first_name: String,
    #[serde(default)]
    pub middle_name: Option<String>,
    pub last_name: String,
    #[serde(default, with = "crate::serde_date::option")]
    pub birth_date: Option<Date>,
    #[serde(default)]
    pub gender: Option<Gender>,
    /// ISO 3166-1 alpha-2.
    #[serde(default)]
    pub nationality: Option<String>,
    #[serde(default)]
    pub occupation: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Female,
    Male,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: String,
    /// Line of business, also FinCEN's "occupation or type of business".
    #[serde(default)]
    pub business: Option<String>,
    /// goAML `incorporation_legal_form` lookup code.
    #[serde(default)]
    pub legal_form: Option<String>,
    #[serde(default)]
    pub incorporation_number: Option<String>,
    #[serde(default)]
    pub incorporation_country: Option<String>,
    #[serde(default, with = "crate::serde_date::option")]
    pub incorporation_date: Option<Date>,
    /// People who direct or own the organisation, by index into `subjects`.
    #[serde(default)]
    pub directors: Vec<RelatedSubject>,
}

/// A link from one party to a subject, with the FIU's role code for the link.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelatedSubject {
    pub subject: usize,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identification {
    pub kind: IdKind,
    pub number: String,
    /// ISO 3166-1 alpha-2 of the issuer.
    pub issuing_country: String,
    #[serde(default)]
    pub issuing_state: Option<String>,
    /// What the document is when `kind` is `other`.
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// SSN or ITIN.
    Ssn,
    Ein,
    /// A taxpayer identification number of another kind (foreign TINs).
    Tin,
    DriversLicense,
    Passport,
    AlienRegistration,
    /// A foreign identity document.
    Foreign,
    Other,
}

/// An account of a subject, and the institution that holds it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub number: String,
    pub institution: Institution,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub branch: Option<String>,
    /// ISO 4217.
    #[serde(default)]
    pub currency: Option<String>,
    /// The institution's own customer number for the holder.
    #[serde(default)]
    pub client_number: Option<String>,
    /// goAML `personal_account_type` lookup code.
    #[serde(default)]
    pub account_type: Option<String>,
    /// goAML `status_code` lookup code.
    #[serde(default)]
    pub status_code: Option<String>,
    #[serde(default, with = "crate::serde_date::option")]
    pub opened: Option<Date>,
    #[serde(default)]
    pub closed: bool,
    /// People who may operate the account, by index into `subjects`.
    #[serde(default)]
    pub signatories: Vec<RelatedSubject>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Institution {
    pub name: String,
    #[serde(default)]
    pub tin: Option<String>,
    /// Domestic institution code (routing number, sort code, …).
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub swift: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

/// What the subject did in the activity, in FinCEN's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectRole {
    PurchaserSender,
    PayeeReceiver,
    Both,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    #[serde(with = "crate::serde_date")]
    pub from: Date,
    #[serde(with = "crate::serde_date")]
    pub to: Date,
    pub total_amount: Decimal,
    /// ISO 4217.
    pub currency: String,
    pub classifications: Vec<Classification>,
}

/// A FinCEN suspicious-activity category (`SuspiciousActivityTypeID`) and subtype
/// (`SuspiciousActivitySubtypeID`), e.g. 1 / 114 for structuring below the CTR threshold.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Classification {
    pub category: u32,
    pub subtype: u32,
    /// Free text for the "other" subtypes.
    #[serde(default)]
    pub other: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transaction {
    pub id: String,
    #[serde(default)]
    pub internal_ref: Option<String>,
    #[serde(with = "crate::serde_date::datetime")]
    pub date_time: PrimitiveDateTime,
    pub amount: Decimal,
    /// ISO 4217.
    pub currency: String,
    /// goAML `transmode_code` lookup code (how the transaction was conducted).
    pub transmode_code: String,
    pub description: String,
    /// Where it took place, as free text (goAML `transaction_location`).
    pub location: String,
    /// The branch of the filer where it took place, when it took place at one.
    #[serde(default)]
    pub branch: Option<Address>,
    pub from: Side,
    pub to: Side,
}

/// One side of a transaction.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Side {
    /// goAML `from_funds_code` / `to_funds_code` lookup code.
    pub funds_code: String,
    pub party: SideParty,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// Whether the filer holds full customer data on this side, which goAML reports with its
    /// stricter `_my_client` elements.
    #[serde(default)]
    pub my_client: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum SideParty {
    /// A subject, acting in person.
    Subject { subject: usize },
    /// An account of a subject.
    SubjectAccount { subject: usize, account: usize },
    /// An account of someone who is not a subject.
    Account {
        number: String,
        institution: Institution,
    },
    /// A person who is not a subject.
    Person {
        first_name: String,
        last_name: String,
    },
    /// An organisation that is not a subject.
    Organisation { name: String },
}

/// What the goAML FIU assigns the filer and the lookup codes it publishes.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoamlSettings {
    /// The reporting entity's registration number with the FIU.
    pub rentity_id: u32,
    pub rentity_branch: String,
    /// Report indicator codes (at least one) from the FIU's list.
    pub indicators: Vec<String>,
    /// What the filer did about the activity (goAML `action`).
    #[serde(default)]
    pub action: Option<String>,
    /// `contact_type` code used for addresses and phones.
    pub contact_type: String,
    /// `communication_type` code used for phones.
    pub communication_type: String,
}
