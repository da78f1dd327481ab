//! The grammar of OFAC's Remarks column: a `; `-separated list of facts
//! (`DOB 17 Jul 1966; POB Culiacan, Sinaloa, Mexico; a.k.a. 'El Mencho'.`), each
//! read into a typed [`Segment`]. Pure functions from text to segments: country
//! names stay as OFAC spells them and link targets stay names; the caller
//! resolves both.

use super::dates;
use super::documents::{self, Document};

/// OFAC cuts Remarks at this many characters and puts the rest in `sdn_comments.csv`.
pub(super) const CUT_LEN: usize = 1000;

/// One remark: its text (for notes) and what it says.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Remark<'a> {
    /// Byte offset of the remark in the text it came from.
    pub offset: usize,
    /// The remark without a closing `.`; `alt.` stays.
    pub text: &'a str,
    pub segment: Segment<'a>,
}

/// What one remark says.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Segment<'a> {
    BirthDates(Vec<String>),
    BirthPlace(&'a str),
    /// A country-valued property (`nationality`, `citizenship`, `flag`, `pastFlags`),
    /// with the country as OFAC spells it.
    Country {
        prop: &'static str,
        name: &'a str,
    },
    /// A plain property value: `gender`, `website`, `email`, `phone`, `model`, ….
    Property {
        prop: &'static str,
        value: &'a str,
    },
    /// A date-valued property: `buildDate`, `incorporationDate`.
    Date {
        prop: &'static str,
        date: String,
    },
    Document(Document<'a>),
    WeakAlias(&'a str),
    LinkedTo(&'a str),
    AircraftOperator(&'a str),
    Wallet {
        currency: &'a str,
        key: &'a str,
    },
    /// About the sanction rather than the party: secondary sanctions, directives,
    /// listing and effective dates.
    Sanction(SanctionFact),
    /// Anything else (positions, relatives, notes): kept as text.
    Note,
    /// A remark cut by OFAC's 1,000-character limit: kept as text, never parsed.
    Cut,
}

/// A sanction fact; which program it belongs to is for the caller to say.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum SanctionFact {
    Provision,
    ListingDate(String),
    EffectiveDate(String),
}

/// Where a remark text may be incomplete.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Ends {
    /// The text starts inside a remark (a continuation that does not line up).
    pub cut_start: bool,
    /// The text stops inside a remark (cut at 1,000 characters).
    pub cut_end: bool,
}

/// Splits Remarks into remarks and reads each.
pub(super) fn parse(text: &str, ends: Ends) -> Vec<Remark<'_>> {
    let pieces = split(text);
    let last = pieces.len().saturating_sub(1);
    pieces
        .into_iter()
        .enumerate()
        .map(|(i, (offset, raw))| {
            let cut = (i == 0 && ends.cut_start) || (i == last && ends.cut_end);
            let text = if cut {
                raw
            } else {
                raw.strip_suffix('.').unwrap_or(raw)
            };
            let segment = if cut { Segment::Cut } else { segment(text) };
            Remark {
                offset,
                text,
                segment,
            }
        })
        .collect()
}

/// The non-empty `; `-separated pieces with their byte offsets.
fn split(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (at, _) in text.match_indices("; ").chain([(text.len(), "")]) {
        let piece = &text[start..at];
        let trimmed = piece.trim_start();
        let offset = start + piece.len() - trimmed.len();
        if !trimmed.trim_end().is_empty() {
            out.push((offset, trimmed.trim_end()));
        }
        start = (at + 2).min(text.len());
    }
    out
}

/// Reads one remark; `alt.` (another value of the same kind) changes nothing.
fn segment(text: &str) -> Segment<'_> {
    let body = text
        .strip_prefix("alt. ")
        .or_else(|| text.strip_prefix("Alt. "))
        .unwrap_or(text);
    person(body)
        .or_else(|| contact(body))
        .or_else(|| link(body))
        .or_else(|| craft(body))
        .or_else(|| sanction(body))
        .or_else(|| documents::parse(body).map(Segment::Document))
        .unwrap_or(Segment::Note)
}

/// Names, birth, nationality and gender.
fn person(body: &str) -> Option<Segment<'_>> {
    if let Some(alias) = weak_alias(body) {
        return Some(Segment::WeakAlias(alias));
    }
    if let Some(dob) = body.strip_prefix("DOB ") {
        return dates::parse_birth(dob).map(Segment::BirthDates);
    }
    if let Some(place) = body.strip_prefix("POB ") {
        return Some(Segment::BirthPlace(place.trim()));
    }
    if let Some(name) = body.strip_prefix("Nationality of Registration ") {
        return country("flag", name);
    }
    if let Some(name) = strip_word(body, "nationality").or_else(|| strip_word(body, "Nationality"))
    {
        return country("nationality", name);
    }
    if let Some(name) = strip_word(body, "citizen") {
        return country("citizenship", name);
    }
    let gender = match body {
        "Gender Male" => "male",
        "Gender Female" => "female",
        _ => return None,
    };
    Some(Segment::Property {
        prop: "gender",
        value: gender,
    })
}

fn country<'a>(prop: &'static str, name: &'a str) -> Option<Segment<'a>> {
    let name = name.trim_start_matches(':').trim();
    (!name.is_empty()).then_some(Segment::Country { prop, name })
}

/// `word` followed by a space or a colon, and what comes after.
fn strip_word<'a>(body: &'a str, word: &str) -> Option<&'a str> {
    let rest = body.strip_prefix(word)?;
    rest.starts_with([' ', ':']).then_some(rest)
}

/// `a.k.a. '…'`, `f.k.a. '…'`, `n.k.a. '…'`. The alias runs to the last quote of
/// the remark, since it may hold quotes itself (`a.k.a. 'AL-QA'QA'`).
fn weak_alias(body: &str) -> Option<&str> {
    let quoted = ["a.k.a. ", "f.k.a. ", "n.k.a. "]
        .iter()
        .find_map(|p| body.strip_prefix(p))?
        .trim();
    let alias = quoted.strip_prefix('\'')?.strip_suffix('\'')?.trim();
    (!alias.is_empty()).then_some(alias)
}

/// Website, e-mail and phone numbers.
fn contact(body: &str) -> Option<Segment<'_>> {
    const PREFIXES: &[(&str, &str)] = &[
        ("Website ", "website"),
        ("Email Address ", "email"),
        ("Email ", "email"),
        ("Phone Number ", "phone"),
        ("Phone No. ", "phone"),
        ("PHONE ", "phone"),
        ("Telephone Number: ", "phone"),
        ("Telephone No. ", "phone"),
        ("Telephone: ", "phone"),
        ("Telephone ", "phone"),
    ];
    PREFIXES.iter().find_map(|(prefix, prop)| {
        let value = body.strip_prefix(prefix)?.trim();
        (!value.is_empty()).then_some(Segment::Property { prop, value })
    })
}

/// `Linked To: NAME` and digital currency addresses.
fn link(body: &str) -> Option<Segment<'_>> {
    if let Some(name) = body.strip_prefix("Linked To:") {
        let name = name.trim();
        return (!name.is_empty()).then_some(Segment::LinkedTo(name));
    }
    let rest = body.strip_prefix("Digital Currency Address - ")?;
    let (currency, key) = rest.trim().split_once(' ')?;
    let key = key.trim();
    let valid = !currency.is_empty() && !key.is_empty() && !key.contains(' ');
    valid.then_some(Segment::Wallet { currency, key })
}

/// Vessel and aircraft details, and dates of building or founding.
fn craft(body: &str) -> Option<Segment<'_>> {
    const DATES: &[(&str, &str)] = &[
        ("Organization Established Date ", "incorporationDate"),
        ("Aircraft Manufacture Date ", "buildDate"),
        ("Vessel Year of Build ", "buildDate"),
    ];
    const COUNTRIES: &[(&str, &str)] = &[
        ("Former Vessel Flag ", "pastFlags"),
        ("Other Vessel Flag ", "flag"),
    ];
    const VALUES: &[(&str, &str)] = &[
        ("Aircraft Model ", "model"),
        ("Other Vessel Call Sign ", "callSign"),
        ("Other Vessel Type ", "type"),
    ];
    if let Some(operator) = body.strip_prefix("Aircraft Operator ") {
        return Some(Segment::AircraftOperator(operator.trim()));
    }
    for (prefix, prop) in DATES {
        if let Some(date) = body.strip_prefix(prefix) {
            return dates::parse(date).map(|date| Segment::Date { prop, date });
        }
    }
    for (prefix, prop) in COUNTRIES {
        if let Some(name) = body.strip_prefix(prefix) {
            return Some(Segment::Country {
                prop,
                name: name.trim(),
            });
        }
    }
    VALUES.iter().find_map(|(prefix, prop)| {
        let value = body.strip_prefix(prefix)?.trim();
        Some(Segment::Property { prop, value })
    })
}

/// Facts about the sanction: provisions, and listing or effective dates.
fn sanction(body: &str) -> Option<Segment<'_>> {
    const PROVISIONS: &[&str] = &[
        "Secondary sanctions risk:",
        "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions:",
        "Additional Sanctions Information -",
        "CAATSA Section 235 Information:",
    ];
    if let Some(date) = scoped_date(body, "Listing Date (") {
        return Some(Segment::Sanction(SanctionFact::ListingDate(date)));
    }
    if let Some(date) = scoped_date(body, "Effective Date (") {
        return Some(Segment::Sanction(SanctionFact::EffectiveDate(date)));
    }
    let directive = body.starts_with("Executive Order ")
        && (body.contains("Directive") || body.contains(" information:"));
    (directive || PROVISIONS.iter().any(|p| body.starts_with(p)))
        .then_some(Segment::Sanction(SanctionFact::Provision))
}

/// `Listing Date (EO 14024 Directive 2): 24 Feb 2022`, `Listing Date (CMIC) 03 Jun 2021`.
fn scoped_date(body: &str, prefix: &str) -> Option<String> {
    let rest = body.strip_prefix(prefix)?;
    let (_, date) = rest.split_once(')')?;
    dates::parse(date.trim_start_matches(':').trim())
}

/// Whether a continuation from `sdn_comments.csv` carries on this remark text. It
/// does when the text is as long as OFAC's limit and none of the continuation's
/// whole remarks already occur in it: the comments file can be newer than the
/// primary file, and then its continuation repeats remarks of a longer version.
/// The text need not lack a final `.`, since a cut can fall just after one.
pub(super) fn is_continued_by(text: &str, continuation: &str) -> bool {
    if !at_limit(text) {
        return false;
    }
    let repeats = split(continuation)
        .into_iter()
        .skip(1)
        .map(|(_, r)| r.strip_suffix('.').unwrap_or(r))
        .any(|r| r.len() > 12 && text.contains(r));
    !repeats
}

fn at_limit(text: &str) -> bool {
    text.chars().count() >= CUT_LEN
}

/// Whether OFAC's length limit cut this text. The text is the field untrimmed: a
/// cut after `U.S.` leaves `U.S. `, which a complete remark never ends with.
pub(super) fn is_cut(text: &str) -> bool {
    at_limit(text) && !text.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expect` is the `Debug` form of the segment.
    fn check(input: &str, expect: &str) {
        let remarks = parse(input, Ends::default());
        assert_eq!(remarks.len(), 1, "{input}: {remarks:?}");
        assert_eq!(format!("{:?}", remarks[0].segment), expect, "{input}");
    }

    #[test]
    fn birth_dates() {
        check("DOB 17 Jul 1966", r#"BirthDates(["1966-07-17"])"#);
        check("DOB 1962", r#"BirthDates(["1962"])"#);
        check("DOB Mar 1960", r#"BirthDates(["1960-03"])"#);
        check("DOB circa 1960", r#"BirthDates(["1960"])"#);
        check("DOB 1955 to 1958", r#"BirthDates(["1955", "1958"])"#);
        check("alt. DOB 31 Aug 1953", r#"BirthDates(["1953-08-31"])"#);
        check("DOB 31 Feb 1953", "Note");
    }

    #[test]
    fn birth_place_nationality_citizenship_gender() {
        check(
            "POB Culiacan, Sinaloa, Mexico",
            r#"BirthPlace("Culiacan, Sinaloa, Mexico")"#,
        );
        check("alt. POB Yemen", r#"BirthPlace("Yemen")"#);
        check(
            "nationality Mexico",
            r#"Country { prop: "nationality", name: "Mexico" }"#,
        );
        check(
            "alt. nationality Korea, North",
            r#"Country { prop: "nationality", name: "Korea, North" }"#,
        );
        check(
            "nationality: Iran",
            r#"Country { prop: "nationality", name: "Iran" }"#,
        );
        check(
            "citizen Colombia",
            r#"Country { prop: "citizenship", name: "Colombia" }"#,
        );
        check(
            "Nationality of Registration Korea, North",
            r#"Country { prop: "flag", name: "Korea, North" }"#,
        );
        check(
            "Gender Male",
            r#"Property { prop: "gender", value: "male" }"#,
        );
        check(
            "Gender Female",
            r#"Property { prop: "gender", value: "female" }"#,
        );
    }

    #[test]
    fn weak_aliases_keep_inner_quotes() {
        check("a.k.a. 'El Mencho'", r#"WeakAlias("El Mencho")"#);
        check("f.k.a. 'ANA I'", r#"WeakAlias("ANA I")"#);
        check("n.k.a. 'AL-QA'QA'", r#"WeakAlias("AL-QA'QA")"#);
        check("a.k.a. 'FORD'S CAR'.", r#"WeakAlias("FORD'S CAR")"#);
        check("a.k.a. 'WHOIS HACKIN", "Note");
    }

    #[test]
    fn identifiers() {
        let kind = |input: &str| match parse(input, Ends::default()).remove(0).segment {
            Segment::Document(d) => format!("{} {} {:?}", d.kind.prop, d.number, d.country),
            other => format!("{other:?}"),
        };
        assert_eq!(
            kind("Passport 1084010 (Egypt)"),
            r#"passportNumber 1084010 Some("Egypt")"#
        );
        assert_eq!(
            kind("alt. National ID No. 23250460642 (Pakistan)"),
            r#"idNumber 23250460642 Some("Pakistan")"#
        );
        assert_eq!(
            kind("Cedula No. 6068015 (Colombia)"),
            r#"idNumber 6068015 Some("Colombia")"#
        );
        assert_eq!(
            kind("Tax ID No. 7707083893 (Russia)"),
            r#"taxNumber 7707083893 Some("Russia")"#
        );
        assert_eq!(
            kind("Registration Number 26740 (Iran)"),
            r#"registrationNumber 26740 Some("Iran")"#
        );
        assert_eq!(
            kind("Credencial electoral 101924629544 (Mexico)"),
            r#"idNumber 101924629544 Some("Mexico")"#
        );
        assert_eq!(
            kind("D.N.I. 78.865.882 (Spain)"),
            r#"idNumber 78.865.882 Some("Spain")"#
        );
        assert_eq!(kind("SWIFT/BIC HAVIGB2L"), "swiftBic HAVIGB2L None");
        assert_eq!(
            kind("Legal Entity Number 253400V1H6ART1UQ0N98 (Russia)"),
            r#"leiCode 253400V1H6ART1UQ0N98 Some("Russia")"#
        );
        assert_eq!(
            kind("Vessel Registration Identification IMO 9187629"),
            "imoNumber 9187629 None"
        );
        assert_eq!(kind("MMSI 572469210"), "mmsi 572469210 None");
        assert_eq!(
            kind("Aircraft Tail Number EP-MMH"),
            "registrationNumber EP-MMH None"
        );
    }

    #[test]
    fn contacts_links_and_wallets() {
        check(
            "Website www.hib.uk.com",
            r#"Property { prop: "website", value: "www.hib.uk.com" }"#,
        );
        check(
            "alt. Email Address golfrategrupo@ebonet.net",
            r#"Property { prop: "email", value: "golfrategrupo@ebonet.net" }"#,
        );
        check(
            "Phone Number 982188526300",
            r#"Property { prop: "phone", value: "982188526300" }"#,
        );
        check(
            "Linked To: CARTEL DE JALISCO NUEVA GENERACION.",
            r#"LinkedTo("CARTEL DE JALISCO NUEVA GENERACION")"#,
        );
        check(
            "Digital Currency Address - XBT 12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h",
            r#"Wallet { currency: "XBT", key: "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h" }"#,
        );
        check(
            "alt. Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96",
            r#"Wallet { currency: "ETH", key: "0x098B716B8Aaf21512996dC57EB0615e2383E2f96" }"#,
        );
    }

    #[test]
    fn vessels_and_aircraft() {
        check(
            "Aircraft Model IL76-TD",
            r#"Property { prop: "model", value: "IL76-TD" }"#,
        );
        check(
            "Aircraft Operator YAS AIR",
            r#"AircraftOperator("YAS AIR")"#,
        );
        check(
            "Aircraft Manufacture Date Sep 1984",
            r#"Date { prop: "buildDate", date: "1984-09" }"#,
        );
        check(
            "Former Vessel Flag Malta",
            r#"Country { prop: "pastFlags", name: "Malta" }"#,
        );
        check(
            "Organization Established Date 1969",
            r#"Date { prop: "incorporationDate", date: "1969" }"#,
        );
    }

    #[test]
    fn sanction_facts_and_notes() {
        check(
            "Secondary sanctions risk: section 1(b) of Executive Order 13224, as amended by Executive Order 13886",
            "Sanction(Provision)",
        );
        check(
            "alt. Executive Order 13662 Directive Determination - Subject to Directive 4",
            "Sanction(Provision)",
        );
        check(
            "Executive Order 13846 information: FOREIGN EXCHANGE.  Sec. 5(a)(ii)",
            "Sanction(Provision)",
        );
        check(
            "Listing Date (EO 14024 Directive 2): 24 Feb 2022",
            r#"Sanction(ListingDate("2022-02-24"))"#,
        );
        check(
            "Listing Date (CMIC) 03 Jun 2021",
            r#"Sanction(ListingDate("2021-06-03"))"#,
        );
        check(
            "Effective Date (CMIC) 02 Aug 2021",
            r#"Sanction(EffectiveDate("2021-08-02"))"#,
        );
        check("Organization Type: Transnational Terrorist Group", "Note");
        check("Target Type Criminal Organization", "Note");
        check("Minister of Defense", "Note");
    }

    #[test]
    fn every_property_exists_in_ftm() {
        let model = interdict_model::Model::get();
        let samples = "Website w; Email Address e; Email e; Phone Number 1; Phone No. 1; PHONE 1; \
            Telephone Number: 1; Telephone No. 1; Telephone: 1; Telephone 1; Gender Male; \
            Organization Established Date 1969; Aircraft Manufacture Date 1992; \
            Vessel Year of Build 1999; Former Vessel Flag Malta; Other Vessel Flag Malta; \
            Aircraft Model X; Other Vessel Call Sign X; Other Vessel Type X; nationality X; \
            citizen X; Nationality of Registration X";
        let holders = ["Person", "Company", "Vessel", "Airplane"];
        for remark in parse(samples, Ends::default()) {
            let prop = match remark.segment {
                Segment::Property { prop, .. }
                | Segment::Date { prop, .. }
                | Segment::Country { prop, .. } => prop,
                other => panic!("{}: {other:?}", remark.text),
            };
            let found = holders
                .iter()
                .any(|h| model.schema(h).unwrap().property(prop).is_some());
            assert!(found, "{} → {prop}", remark.text);
        }
    }

    #[test]
    fn splitting_keeps_offsets_and_marks_cut_ends() {
        let text = "DOB 1962; a.k.a. 'X'; Passport 12";
        let remarks = parse(
            text,
            Ends {
                cut_start: false,
                cut_end: true,
            },
        );
        let offsets: Vec<_> = remarks.iter().map(|r| (r.offset, r.text)).collect();
        assert_eq!(
            offsets,
            [(0, "DOB 1962"), (10, "a.k.a. 'X'"), (22, "Passport 12")]
        );
        assert_eq!(remarks[2].segment, Segment::Cut);
        let cont = parse(
            "ive 2): 24 Feb 2022; DOB 1962.",
            Ends {
                cut_start: true,
                cut_end: false,
            },
        );
        assert_eq!(cont[0].segment, Segment::Cut);
        assert_eq!(cont[1].text, "DOB 1962");
    }

    #[test]
    fn continuations_line_up_only_with_a_cut_text() {
        let cut = format!(
            "{}; Listing Date (EO 14024 Directive 3)",
            "x".repeat(CUT_LEN - 36)
        );
        assert!(is_cut(&cut));
        assert!(is_continued_by(
            &cut,
            ": 24 Feb 2022; Tax ID No. 1 (Russia)."
        ));
        // 17018: the 2025 continuation repeats remarks the 2024 text already holds.
        let old = format!("Effective Date (EO 14024 Directive 2): 26 Mar 2022; {cut}");
        let newer = "ive 2): 24 Feb 2022; Effective Date (EO 14024 Directive 2): 26 Mar 2022; X";
        assert!(!is_continued_by(&old, newer));
        // 44718: cut just after "U.S.", so the text ends in a dot and a space.
        let dotted = format!("{} By U.S. ", "x".repeat(CUT_LEN - 9));
        assert!(is_cut(&dotted));
        assert!(is_continued_by(
            &dotted,
            "Financial Institutions: North Korea."
        ));
        assert!(!is_continued_by(
            "DOB 1962.",
            "4X3191Z8; alt. Digital Currency Address - USDT T"
        ));
    }
}
