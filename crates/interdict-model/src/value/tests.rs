//! Agreement with FollowTheMoney on the fixture of its own answers, and the
//! module's promises: values held again unchanged, borrowed where they can be.

use std::borrow::Cow;

use super::code::language_code;
use super::data::{self, VOCABULARY};
use super::*;
use crate::schema::Model;

const CASES: &str = include_str!("../value_cases.tsv");
const REJECT: &str = "!reject";

/// Fixture rows where interdict deliberately departs from FtM, and why.
#[rustfmt::skip]
const DEPARTURES: &[(&str, &str, &str, &str)] = &[
    ("Person", "nationality", "NA", "country.rs: not available"),
    ("Person", "nationality", "Crimea", "country.rs: ua"),
    ("Person", "nationality", "Region: Crimea", "country.rs: ua"),
    ("Person", "nationality", "Scotland", "country.rs: gb"),
    ("Person", "nationality", "Somaliland", "country.rs: so"),
    ("Person", "nationality", "Deutschland", "country.rs: English names"),
    ("Person", "nationality", "European Union", "country.rs: no name for eu"),
    ("Company", "wikidataId", "Q\u{661}\u{662}", "ASCII digits only"),
    ("Person", "phone", "+1 800 FLOWERS", "digits as written only"),
    ("Person", "phone", "+2612067171", "digits as written only"),
    ("Person", "phone", "+378810517", "digits as written only"),
    ("Person", "phone", "+7 8 495 123-45-67", "only a trunk 0 may go"),
];

/// A property of the model; schema `-` stands for a bare type with a
/// format no property uses yet, written `identifier:isin`.
fn property(schema: &str, prop: &str) -> &'static Property {
    if schema == "-" {
        let (prop_type, format) = prop.split_once(':').expect("type:format");
        let format: &'static str = Box::leak(format.to_owned().into_boxed_str());
        return Box::leak(Box::new(Property {
            name: "-",
            schema: "-",
            prop_type: PropType::parse(prop_type).expect("a type"),
            range: None,
            reverse: None,
            stub: false,
            format: Some(format),
        }));
    }
    let found = Model::get().schema(schema).and_then(|s| s.property(prop));
    found.unwrap_or_else(|| panic!("no property {schema}.{prop}"))
}

/// How `normalize` disagrees with `expected` (a value or `!reject`), if it does.
fn check(schema: &str, prop: &str, input: &str, expected: &str) -> Option<String> {
    let got = match normalize(property(schema, prop), input) {
        Ok(held) => held.into_owned(),
        Err(_) => REJECT.to_owned(),
    };
    (got != expected).then(|| format!("{schema}.{prop} {input:?}: ftm {expected:?}, ours {got:?}"))
}

fn assert_checks(cases: &[(&str, &str, &str, &str)]) {
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|c| check(c.0, c.1, c.2, c.3))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let (c, used) = match tail.as_bytes().first() {
            Some(b't') => ('\t', 1),
            Some(b'n') => ('\n', 1),
            Some(b'r') => ('\r', 1),
            Some(b'\\') => ('\\', 1),
            Some(b'u') => {
                let end = tail.find('}').expect("\\u{...}");
                let code = u32::from_str_radix(&tail[2..end], 16).expect("hex");
                (char::from_u32(code).expect("char"), end + 1)
            }
            _ => panic!("bad escape in {text:?}"),
        };
        out.push(c);
        rest = &tail[used..];
    }
    out.push_str(rest);
    out
}

#[test]
fn agrees_with_followthemoney_on_every_case() {
    let (mut rows, mut wrong) = (0, Vec::new());
    for line in data::rows(CASES) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (schema, prop) = (cols[0], cols[1]);
        let (input, expected) = (unescape(cols[2]), unescape(cols[3]));
        if DEPARTURES
            .iter()
            .any(|d| (d.0, d.1, d.2) == (schema, prop, &input))
        {
            continue;
        }
        rows += 1;
        wrong.extend(check(schema, prop, &input, &expected));
    }
    assert!(rows > 1500, "only {rows} rows");
    let summary = format!("{} of {rows} rows disagree", wrong.len());
    assert!(wrong.is_empty(), "{summary}:\n{}", wrong.join("\n"));
}

/// What FtM holds it holds again unchanged; but its comma rule takes one
/// pass, so `A,,,B` gives `A, ,B` and then `A, B`, here as there.
#[test]
fn held_values_are_held_again() {
    let mut wrong = Vec::new();
    for line in data::rows(CASES) {
        let cols: Vec<String> = line.split('\t').map(unescape).collect();
        let prop = property(&cols[0], &cols[1]);
        let Ok(held) = normalize(prop, &cols[2]) else {
            continue;
        };
        let again = normalize(prop, &held).map(Cow::into_owned);
        let comma_pass = prop.prop_type == PropType::Address && held.contains(", ,");
        if again.as_deref() != Ok(held.as_ref()) && !comma_pass {
            wrong.push(format!(
                "{} {:?} -> {held:?} -> {again:?}",
                prop.name, cols[2]
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn departures_are_still_departures() {
    for &(schema, prop, input, why) in DEPARTURES {
        let line = data::rows(CASES)
            .map(|l| l.split('\t').map(unescape).collect::<Vec<_>>())
            .find(|c| (c[0].as_str(), c[1].as_str(), c[2].as_str()) == (schema, prop, input));
        let cols = line.unwrap_or_else(|| panic!("{input:?} is not in the fixture"));
        assert!(
            check(schema, prop, input, &cols[3]).is_some(),
            "{input:?} ({why}) now agrees"
        );
    }
}

#[test]
fn rejects_what_the_export_check_rejected() {
    let monero = format!("4{}", "A".repeat(94));
    assert_checks(&[
        ("Organization", "phone", "009613380223", "+9613380223"),
        ("Organization", "phone", "03669916", REJECT),
        ("Organization", "phone", "(022) 7363030", REJECT),
        ("Company", "innCode", "7707083894", REJECT),
        ("Company", "ogrnCode", "1027700132196", REJECT),
        ("Company", "leiCode", "529900T8BM49AURSDO56", REJECT),
        ("Person", "socialSecurityNumber", "33-3208848-3", REJECT),
        ("Company", "email", "PRIYEMNAYA@YGDU", REJECT),
        (
            "Organization",
            "website",
            "www.alturath.org. Revival of Islamic Heritage",
            REJECT,
        ),
        ("CryptoWallet", "publicKey", &monero, REJECT),
    ]);
    let key = property("CryptoWallet", "publicKey");
    let why = normalize(key, &monero).unwrap_err();
    assert_eq!(why.reason, "identifier longer than 64 characters");
    let inn = property("Company", "innCode");
    assert_eq!(
        normalize(inn, "7707083894").unwrap_err().reason,
        "bad INN check digits"
    );
    let phone = property("Person", "phone");
    let why = normalize(phone, "03669916").unwrap_err();
    assert_eq!(why.reason, "phone number without country code");
}

#[test]
fn normalises_as_followthemoney_does() {
    assert_checks(&[
        ("Vessel", "imoNumber", "IMO 7406784", "IMO7406784"),
        ("Vessel", "imoNumber", "7406784", "IMO7406784"),
        ("Vessel", "imoNumber", "IMO7406784", "IMO7406784"),
        ("Person", "phone", "+1 (305) 555-0100", "+13055550100"),
        ("Person", "nationality", "Korea, North", "kp"),
        ("Person", "nationality", "ua-cri", "ua-cri"),
        ("Person", "gender", "F", "female"),
        ("Person", "birthDate", "1966-7-4", "1966-07-04"),
        (
            "Company",
            "website",
            "www.example.org",
            "http://www.example.org/",
        ),
        ("Company", "email", "Foo@EXAMPLE.COM", "Foo@example.com"),
        ("Company", "swiftBic", "DEUTDEFF500", "DEUTDEFF"),
        (
            "Address",
            "full",
            "Tehran-Qom Highway; Shams Abad",
            "Tehran-Qom Highway, Shams Abad",
        ),
        ("Person", "name", "\"SINALOA CARTEL\"", "SINALOA CARTEL"),
    ]);
}

#[test]
fn string_like_values_are_borrowed() {
    let cases = [
        ("Person", "name", "SINALOA CARTEL"),
        ("Person", "name", "\"SINALOA CARTEL\""),
        ("Person", "firstName", "Joaquín"),
        ("Person", "notes", "Linked To: SINALOA CARTEL."),
        ("Address", "full", "Calle 1, Culiacán, Sinaloa, Mexico"),
        ("Company", "registrationNumber", "1027700132195"),
        ("Company", "innCode", "7707083893"),
        ("Vessel", "tonnage", "1050"),
        ("Person", "phone", "+13055550100"),
        ("Person", "birthDate", "1966-07-17"),
        ("Person", "nationality", "mx"),
        ("Sanction", "entity", "ofac-11440"),
    ];
    for (schema, prop, input) in cases {
        let held = normalize(property(schema, prop), input).unwrap();
        assert!(
            matches!(held, Cow::Borrowed(_)),
            "{schema}.{prop} {input:?} allocated"
        );
    }
}

#[test]
fn every_type_has_its_length_limit() {
    let cases = [
        ("Person", "notes", 65000),
        ("Person", "firstName", 1024),
        ("Person", "name", 384),
        ("Address", "full", 250),
        ("Company", "registrationNumber", 64),
        ("Vessel", "tonnage", 250),
    ];
    for (schema, prop, max) in cases {
        let prop = property(schema, prop);
        assert!(normalize(prop, &"é".repeat(max)).is_ok(), "{}", prop.name);
        let why = normalize(prop, &"é".repeat(max + 1)).unwrap_err();
        assert_eq!(
            why.reason,
            format!("{} longer than {max} characters", prop.prop_type)
        );
    }
}

#[test]
fn every_format_in_the_model_is_checked() {
    let model = Model::get();
    for name in model.schema_names() {
        for prop in model.schema(name).unwrap().properties() {
            if let Some(format) = prop.format {
                assert!(FORMATS.contains(&format), "{name}.{}: {format}", prop.name);
            }
        }
    }
}

#[test]
fn vocabulary_table_is_complete() {
    let v = &*VOCABULARY;
    assert_eq!(v.countries.len(), 281);
    assert_eq!(v.topics.len(), 75);
    assert_eq!(v.genders.get("männlich"), Some(&"male"));
    assert_eq!(language_code("zh-hans"), Some("zho"));
    assert_eq!(language_code("kir-balar"), None); // Kir-Balar (kkr), not Kirghiz
    assert_eq!(language_code("kir-x"), Some("kir"));
    assert_eq!(v.iban.get("DE"), Some(&"8!n10!n"));
    assert!(v.bic_countries.contains("XK") && v.isin_countries.contains("XS"));
}
