//! Identifier remarks: `Passport 1084010 (Egypt) issued 23 Jun 1999`,
//! `Tax ID No. 7707083893 (Russia)`, `SWIFT/BIC HAVIGB2L`. A table maps each
//! label OFAC uses to the FtM property the number belongs in.

use super::dates;

/// What one identifier label means.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct DocKind {
    /// The label as OFAC writes it, e.g. `Tax ID No.`; it becomes the `type` of the
    /// `Identification`.
    pub label: &'static str,
    /// The holder's FtM property for the number.
    pub prop: &'static str,
    /// A document or register entry worth an `Identification` entity, as opposed to
    /// a code (SWIFT/BIC, ISIN, MMSI) that is only a property of its holder.
    pub document: bool,
}

const fn doc(label: &'static str, prop: &'static str) -> DocKind {
    DocKind {
        label,
        prop,
        document: true,
    }
}

const fn code(label: &'static str, prop: &'static str) -> DocKind {
    DocKind {
        label,
        prop,
        document: false,
    }
}

/// Every label seen in the 2021, 2024 and 2025 files, more than once or clearly an
/// identifier. Anything else stays a note. The longest matching label wins, so
/// `Company Number IMO` beats `Company Number`.
static KINDS: &[DocKind] = &[
    doc("Passport", "passportNumber"),
    doc("Diplomatic Passport", "passportNumber"),
    doc("Passport Booklet", "passportNumber"),
    doc("Stateless Person Passport", "passportNumber"),
    doc("British National Overseas Passport", "passportNumber"),
    doc("National ID No.", "idNumber"),
    doc("Cedula No.", "idNumber"),
    doc("C.U.R.P.", "idNumber"),
    doc("D.N.I.", "idNumber"),
    doc("Credencial electoral", "idNumber"),
    doc("Identification Number", "idNumber"),
    doc("Personal ID Card", "idNumber"),
    doc("Citizen's Card Number", "idNumber"),
    doc("Turkish Identification Number", "idNumber"),
    doc("Numero de Identidad", "idNumber"),
    doc("National Foreign ID Number", "idNumber"),
    doc("Kenyan ID No.", "idNumber"),
    doc("C.U.I.", "idNumber"),
    doc("C.U.I.P.", "idNumber"),
    doc("I.F.E.", "idNumber"),
    doc("Electoral Registry No.", "idNumber"),
    doc("Residency Number", "idNumber"),
    doc("Refugee ID Card", "idNumber"),
    doc("Stateless Person ID Card", "idNumber"),
    doc("Tazkira National ID Card", "idNumber"),
    doc("UAE Identification", "idNumber"),
    doc("Bosnian Personal ID No.", "idNumber"),
    doc("Moroccan Personal ID No.", "idNumber"),
    doc("CNP (Personal Numerical Code)", "idNumber"),
    doc("N.I.E.", "idNumber"),
    doc("Birth Certificate Number", "idNumber"),
    doc("Travel Document Number", "idNumber"),
    doc("Cartilla de Servicio Militar Nacional", "idNumber"),
    doc("Military Registration Number", "idNumber"),
    doc("VisaNumberID", "idNumber"),
    doc("SRE Permit No.", "idNumber"),
    doc("Romanian Permanent Resident CAN", "idNumber"),
    doc("Public Security and Immigration No.", "idNumber"),
    doc("Seafarer's Identification Document", "idNumber"),
    doc("Immigration No.", "idNumber"),
    doc("Tarjeta Profesional", "idNumber"),
    doc("SSN", "socialSecurityNumber"),
    doc("Driver's License No.", "licenseNumber"),
    doc("Pilot License Number", "licenseNumber"),
    doc("License", "licenseNumber"),
    doc("Trade License No.", "licenseNumber"),
    doc("Tourism License No.", "licenseNumber"),
    doc("Permit Number", "licenseNumber"),
    doc(
        "Afghan Money Service Provider License Number",
        "licenseNumber",
    ),
    doc("Tax ID No.", "taxNumber"),
    doc("R.F.C.", "taxNumber"),
    doc("RFC", "taxNumber"),
    doc("NIT #", "taxNumber"),
    doc("RUC #", "taxNumber"),
    doc("RIF #", "taxNumber"),
    doc("US FEIN", "taxNumber"),
    doc("Italian Fiscal Code", "taxNumber"),
    doc("Fiscal Code", "taxNumber"),
    doc("C.U.I.T.", "taxNumber"),
    doc("RTN", "taxNumber"),
    doc("Romanian Tax Registration", "taxNumber"),
    doc("Paraguayan tax identification number", "taxNumber"),
    doc(
        "Numero Unico de Identificacao Tributaria (NUIT)",
        "taxNumber",
    ),
    doc("C.I.F.", "taxNumber"),
    doc("N.I.F.", "taxNumber"),
    doc("RSIN", "taxNumber"),
    doc("V.A.T. Number", "vatCode"),
    doc("Registration Number", "registrationNumber"),
    doc("Registration ID", "registrationNumber"),
    doc("Business Registration Number", "registrationNumber"),
    doc("Business Registration Document #", "registrationNumber"),
    doc("Company Number", "registrationNumber"),
    doc("UK Company Number", "registrationNumber"),
    doc("Commercial Registry Number", "registrationNumber"),
    doc("C.R. No.", "registrationNumber"),
    doc("Romanian C.R.", "registrationNumber"),
    doc("Folio Mercantil No.", "registrationNumber"),
    doc("Matricula Mercantil No", "registrationNumber"),
    doc("Chamber of Commerce Number", "registrationNumber"),
    doc("Istanbul Chamber of Comm. No.", "registrationNumber"),
    doc(
        "Dubai Chamber of Commerce Membership No.",
        "registrationNumber",
    ),
    doc("Certificate of Incorporation Number", "registrationNumber"),
    doc("Central Registration System Number", "registrationNumber"),
    doc("Public Registration Number", "registrationNumber"),
    doc("Enterprise Number", "registrationNumber"),
    doc("Business Number", "registrationNumber"),
    doc("Branch Unit Number", "registrationNumber"),
    doc("Registered Charity No.", "registrationNumber"),
    doc("Economic Register Number (CBLS)", "registrationNumber"),
    doc(
        "Registration Certificate Number (Dubai)",
        "registrationNumber",
    ),
    doc("MSB Registration Number", "registrationNumber"),
    doc("Company ID: No.", "registrationNumber"),
    doc("C.I.N.", "registrationNumber"),
    doc("LE Number", "registrationNumber"),
    doc("File Number", "registrationNumber"),
    doc("Organization Code", "registrationNumber"),
    doc("Unified Social Credit Code (USCC)", "uscCode"),
    doc("United Social Credit Code Certificate (USCCC)", "uscCode"),
    doc(
        "Russian State Individual Business Registration Number Pattern (OGRNIP)",
        "ogrnCode",
    ),
    // OFAC's "Government Gazette Number" for Russian entities is the OKPO statistics code.
    doc("Government Gazette Number", "okpoCode"),
    code("Legal Entity Number", "leiCode"),
    code("SWIFT/BIC", "swiftBic"),
    code("D-U-N-S Number", "dunsCode"),
    code("ISIN", "isinCode"),
    code("Identification Number ISIN", "isinCode"),
    code("Equity Ticker", "ticker"),
    code("BIK (RU)", "bikCode"),
    code("MMSI", "mmsi"),
    code("Vessel Registration Identification IMO", "imoNumber"),
    code("Identification Number IMO", "imoNumber"),
    code("Company Number IMO", "imoNumber"),
    code("International Maritime Organization No.", "imoNumber"),
    // Without "IMO" OFAC still often gives an IMO number here; `number_prop` checks.
    code("Vessel Registration Identification", "registrationNumber"),
    code(
        "Aircraft Manufacturer's Serial Number (MSN)",
        "serialNumber",
    ),
    code("Aircraft Serial Identification", "serialNumber"),
    code("Aircraft Tail Number", "registrationNumber"),
];

/// One identifier remark, split into its parts.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Document<'a> {
    pub kind: &'static DocKind,
    pub number: &'a str,
    /// The country in the trailing parentheses, as OFAC spells it.
    pub country: Option<&'a str>,
    pub issued: Option<String>,
    pub expires: Option<String>,
    /// False when some of the text (an `issued by …`) was not understood; the caller
    /// then keeps the whole remark as a note too.
    pub complete: bool,
}

/// Reads `<label> <number> [(<country>)] [issued <date>] [expires <date>]`.
pub(super) fn parse(text: &str) -> Option<Document<'_>> {
    let first = text.as_bytes().first()?;
    let (kind, rest) = KINDS
        .iter()
        .filter(|k| k.label.as_bytes()[0] == *first)
        .filter_map(|k| after_label(text, k.label).map(|rest| (k, rest)))
        .max_by_key(|(k, _)| k.label.len())?;
    let (head, issued, expires, dates_ok) = split_dates(rest);
    let (number, country) = split_country(head);
    if !plausible_number(number) {
        return None;
    }
    Some(Document {
        kind,
        number,
        country,
        issued,
        expires,
        complete: dates_ok,
    })
}

/// The text after `label`, when the label ends at a word boundary; a `:` or `#`
/// after the label (`Italian Fiscal Code:`, `R.F.C. #`) is punctuation, not number.
fn after_label<'a>(text: &'a str, label: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(label)?;
    if !(rest.is_empty() || rest.starts_with([' ', ':', '#'])) {
        return None;
    }
    Some(rest.trim_start_matches([' ', ':', '#']).trim())
}

/// Each with the space that must precede it inside a remark.
const DATE_WORDS: [&str; 3] = [" issued ", " expires ", " expired "];

/// Splits `issued <date>` and `expires <date>` off the end of a number.
fn split_dates(text: &str) -> (&str, Option<String>, Option<String>, bool) {
    let Some(at) = next_date_word(text) else {
        return (text, None, None, true);
    };
    let (head, mut tail) = (text[..at].trim(), text[at..].trim());
    let (mut issued, mut expires, mut ok) = (None, None, true);
    while !tail.is_empty() {
        let (word, rest) = tail.split_once(' ').unwrap_or((tail, ""));
        let end = next_date_word(rest).unwrap_or(rest.len());
        match (word, dates::parse(&rest[..end])) {
            ("issued", Some(date)) => issued = Some(date),
            ("expires" | "expired", Some(date)) => expires = Some(date),
            _ => ok = false,
        }
        tail = rest[end..].trim();
    }
    (head, issued, expires, ok)
}

/// Where the first `issued`/`expires` word starts, at the start or after a space.
fn next_date_word(text: &str) -> Option<usize> {
    DATE_WORDS
        .iter()
        .filter_map(|w| {
            if text.starts_with(&w[1..]) {
                Some(0)
            } else {
                text.find(w).map(|i| i + 1)
            }
        })
        .min()
}

/// `1084010 (Egypt)` → number and country. Only the last group is the country:
/// `HRA 738077 (Stuttgart) (Germany)`. A lone group is the number itself:
/// `International Maritime Organization No. (5777731)`.
fn split_country(text: &str) -> (&str, Option<&str>) {
    let Some(inner) = text.strip_suffix(')') else {
        return (text, None);
    };
    let Some(open) = inner.rfind('(') else {
        return (text, None);
    };
    let (number, country) = (inner[..open].trim(), inner[open + 1..].trim());
    if number.is_empty() {
        return (country, None);
    }
    (number, Some(country).filter(|c| !c.is_empty()))
}

/// A number is short, has balanced parentheses and few words; anything else is prose
/// that happens to start with a label (`Passport issued 21 Jun 1992 in Amman`).
fn plausible_number(number: &str) -> bool {
    !number.is_empty()
        && number.len() <= 64
        && number.split_whitespace().count() <= 5
        && number.matches('(').count() == number.matches(')').count()
        && !number.starts_with(['(', ','])
}

/// The property a number goes to, and its FtM form: IMO numbers are written
/// `IMO9187629`, as FtM's IMO format normalises them.
pub(super) fn number_prop(kind: &DocKind, number: &str) -> Option<(&'static str, String)> {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    match kind.prop {
        "imoNumber" if digits.len() == 7 => Some(("imoNumber", format!("IMO{digits}"))),
        "imoNumber" => None,
        "registrationNumber"
            if kind.label == "Vessel Registration Identification"
                && digits.len() == number.len()
                && is_imo(&digits) =>
        {
            Some(("imoNumber", format!("IMO{digits}")))
        }
        prop => Some((prop, number.to_string())),
    }
}

/// The IMO check digit: the first six digits weighted 7..2, summed, modulo 10.
fn is_imo(digits: &str) -> bool {
    let d: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    d.len() == 7 && (0..6).map(|i| d[i] * (7 - i as u32)).sum::<u32>() % 10 == d[6]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expect` is `label | number | country | issued | expires | complete`.
    fn check(input: &str, expect: Option<&str>) {
        let got = parse(input).map(|d| {
            format!(
                "{} | {} | {} | {} | {} | {}",
                d.kind.label,
                d.number,
                d.country.unwrap_or("-"),
                d.issued.as_deref().unwrap_or("-"),
                d.expires.as_deref().unwrap_or("-"),
                d.complete
            )
        });
        assert_eq!(got.as_deref(), expect, "{input}");
    }

    #[test]
    fn identifiers_from_the_data() {
        check(
            "Passport 1084010 (Egypt)",
            Some("Passport | 1084010 | Egypt | - | - | true"),
        );
        check(
            "Passport G025057 issued 23 Jun 1999 expires 05 Feb 2004",
            Some("Passport | G025057 | - | 1999-06-23 | 2004-02-05 | true"),
        );
        check(
            "Passport V487440 (Thailand) expires May 2007",
            Some("Passport | V487440 | Thailand | - | 2007-05 | true"),
        );
        check(
            "Diplomatic Passport 008827 (Iran) issued 1999",
            Some("Diplomatic Passport | 008827 | Iran | 1999 | - | true"),
        );
        check(
            "C.U.R.P. OECR660717HMNSRB00 (Mexico)",
            Some("C.U.R.P. | OECR660717HMNSRB00 | Mexico | - | - | true"),
        );
        check(
            "C.U.R.P. # HESU430525HBCRMR13 (Mexico)",
            Some("C.U.R.P. | HESU430525HBCRMR13 | Mexico | - | - | true"),
        );
        check(
            "R.F.C. FVS-870610-LX3",
            Some("R.F.C. | FVS-870610-LX3 | - | - | - | true"),
        );
        check(
            "NIT # 800018928-0 (Colombia)",
            Some("NIT # | 800018928-0 | Colombia | - | - | true"),
        );
        check(
            "RUC # 20108363101 (Peru)",
            Some("RUC # | 20108363101 | Peru | - | - | true"),
        );
        check(
            "Registration Number HRA 738077 (Stuttgart) (Germany)",
            Some("Registration Number | HRA 738077 (Stuttgart) | Germany | - | - | true"),
        );
        check(
            "Folio Mercantil No. 343997 (Mexico) issued 14 Dec 2005",
            Some("Folio Mercantil No. | 343997 | Mexico | 2005-12-14 | - | true"),
        );
        check(
            "Matricula Mercantil No 48131-1 (Mexico) issued 08 May 2009",
            Some("Matricula Mercantil No | 48131-1 | Mexico | 2009-05-08 | - | true"),
        );
        check(
            "Italian Fiscal Code: KMMMHD68D03Z352N",
            Some("Italian Fiscal Code | KMMMHD68D03Z352N | - | - | - | true"),
        );
        check(
            "SSN 523-33-8386 (United States)",
            Some("SSN | 523-33-8386 | United States | - | - | true"),
        );
        check(
            "Legal Entity Number 253400WSS48YWMBUA688",
            Some("Legal Entity Number | 253400WSS48YWMBUA688 | - | - | - | true"),
        );
        check(
            "SWIFT/BIC DOBAATWW",
            Some("SWIFT/BIC | DOBAATWW | - | - | - | true"),
        );
        check(
            "Company Number IMO 5055293",
            Some("Company Number IMO | 5055293 | - | - | - | true"),
        );
        check(
            "International Maritime Organization No. (5777731)",
            Some("International Maritime Organization No. | 5777731 | - | - | - | true"),
        );
        check(
            "Temporary suspension of deportation No. T04338017, expired 08 May 2013",
            None,
        );
    }

    #[test]
    fn prose_after_a_label_is_not_a_number() {
        check("Passport issued 21 Jun 1992 in Amman, Jordan", None);
        check(
            "Passport No.: 0310857, Eritrea, Issue Date 21 August 2006, Expire Date 20 August 2008)",
            None,
        );
        check("Licensed to trade", None);
        check(
            "Identification Number AO 2879097 (Italy) expires 30 Oct 2012",
            Some("Identification Number | AO 2879097 | Italy | - | 2012-10-30 | true"),
        );
        check(
            "Seafarer's Identification Document MUM 85917 (India) issued by the port",
            Some("Seafarer's Identification Document | MUM 85917 | India | - | - | false"),
        );
    }

    #[test]
    fn every_property_exists_in_ftm() {
        let model = interdict_model::Model::get();
        let holders = ["Person", "Company", "Vessel", "Airplane"];
        for kind in KINDS {
            let found = holders
                .iter()
                .any(|h| model.schema(h).unwrap().property(kind.prop).is_some());
            assert!(found, "{} → {}", kind.label, kind.prop);
        }
    }

    #[test]
    fn imo_numbers_take_ftm_form() {
        let imo = parse("Vessel Registration Identification IMO 9187629").unwrap();
        assert_eq!(
            number_prop(imo.kind, imo.number),
            Some(("imoNumber", "IMO9187629".to_string()))
        );
        let bare = parse("Vessel Registration Identification 8606173").unwrap();
        assert_eq!(
            number_prop(bare.kind, bare.number),
            Some(("imoNumber", "IMO8606173".to_string()))
        );
        let other = parse("Vessel Registration Identification RS 150443 (Russia)").unwrap();
        assert_eq!(
            number_prop(other.kind, other.number),
            Some(("registrationNumber", "RS 150443".to_string()))
        );
    }
}
