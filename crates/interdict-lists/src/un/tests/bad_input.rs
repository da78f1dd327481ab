//! Input that must fail, or with `skip_bad_records` be reported and skipped.

use interdict_model::entity::MAX_VALUE_LEN;

use super::*;

const ONE: &str = "<INDIVIDUAL><REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER>\n\
                   <FIRST_NAME>A</FIRST_NAME>\n\
                   <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Abu Yasir</ALIAS_NAME></INDIVIDUAL_ALIAS>\n\
                   </INDIVIDUAL>";

#[test]
fn a_truncated_file_is_malformed() {
    let xml = doc(&[ONE]);
    let cut = xml.find("Yasir").unwrap();
    let (location, message) = malformed(&xml.as_bytes()[..cut]);
    assert_eq!(location.file, "un.xml");
    assert_eq!(location.line, Some(5));
    assert_eq!(
        location.record.as_deref(),
        Some("INDIVIDUAL[1]/INDIVIDUAL_ALIAS/ALIAS_NAME")
    );
    assert!(message.contains("truncated"), "{message}");
    // Cut inside a tag, quick-xml itself notices.
    let cut = xml.find("QUALITY>Good").unwrap() + 3;
    let (location, message) = malformed(&xml.as_bytes()[..cut]);
    assert_eq!(location.line, Some(5));
    assert_eq!(
        location.record.as_deref(),
        Some("INDIVIDUAL[1]/INDIVIDUAL_ALIAS")
    );
    assert!(message.starts_with("invalid XML"), "{message}");
}

#[test]
fn the_real_file_cut_in_half_is_malformed() {
    let Ok(bytes) = std::fs::read(REAL) else {
        eprintln!("skipped: {REAL} is not there");
        return;
    };
    let (location, _) = malformed(&bytes[..bytes.len() / 2]);
    assert!(location.line.unwrap() > 20_000);
    assert!(location.record.unwrap().starts_with("INDIVIDUAL["));
}

#[test]
fn a_mismatched_tag_is_malformed() {
    let xml = doc(&[ONE
        .replace("<FIRST_NAME>A</FIRST_NAME>", "<FIRST_NAME>A</SECOND_NAME>")
        .as_str()]);
    let (location, message) = malformed(xml.as_bytes());
    assert_eq!(location.line, Some(4));
    assert_eq!(location.record.as_deref(), Some("INDIVIDUAL[1]/FIRST_NAME"));
    assert!(
        message.contains("FIRST_NAME") && message.contains("SECOND_NAME"),
        "{message}"
    );
}

#[test]
fn invalid_utf8_is_an_encoding_error() {
    let mut xml = doc(&[ONE]).into_bytes();
    let at = xml.windows(5).position(|w| w == b"Yasir").unwrap();
    xml[at] = 0xFF;
    match fail(&xml) {
        ListError::Encoding { location, offset } => {
            assert_eq!((location.file.as_str(), location.line), ("un.xml", Some(5)));
            assert_eq!(offset, at as u64);
        }
        other => panic!("expected Encoding, got {other:?}"),
    }
}

#[test]
fn entity_declarations_are_refused() {
    let xml = doc(&[ONE.replace(">A<", ">&xxe;<").as_str()]).replace(
        "<CONSOLIDATED_LIST",
        "<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<CONSOLIDATED_LIST",
    );
    let (location, message) = malformed(xml.as_bytes());
    assert_eq!(location.line, Some(2));
    assert_eq!(location.record.as_deref(), Some("!DOCTYPE"));
    assert!(message.contains("entity declarations"), "{message}");
    // Without the declaration the reference is simply unknown, and still no expansion.
    let xml = doc(&[ONE.replace(">A<", ">&xxe;<").as_str()]);
    let (location, message) = malformed(xml.as_bytes());
    assert_eq!(location.line, Some(4));
    assert_eq!(location.record.as_deref(), Some("INDIVIDUAL[1]/FIRST_NAME"));
    assert!(message.contains("xxe"), "{message}");
}

#[test]
fn absurd_nesting_is_malformed() {
    let deep = "<X>".repeat(40) + &"</X>".repeat(40);
    let one = ONE.replace(
        "<FIRST_NAME>A</FIRST_NAME>",
        &format!("<FIRST_NAME>A</FIRST_NAME>{deep}"),
    );
    let xml = doc(&[one.as_str()]);
    let (location, message) = malformed(xml.as_bytes());
    assert_eq!(location.line, Some(4));
    assert!(location.record.unwrap().starts_with("INDIVIDUAL[1]/X/X/"));
    assert!(message.contains("deeper than 32"), "{message}");
}

#[test]
fn the_root_must_be_a_consolidated_list() {
    let (location, message) = malformed(b"<?xml version=\"1.0\"?>\n<sdnList><sdnEntry/></sdnList>");
    assert_eq!(
        (location.line, location.record.as_deref()),
        (Some(2), Some("sdnList"))
    );
    assert!(message.contains("expected CONSOLIDATED_LIST"), "{message}");
    let (_, message) = malformed(b"");
    assert!(message.contains("no CONSOLIDATED_LIST"), "{message}");
    let (_, message) = malformed(b"<CONSOLIDATED_LIST/><CONSOLIDATED_LIST/>");
    assert!(message.contains("after the end of the root"), "{message}");
}

/// A record error fails the parse, or with `skip_bad_records` becomes a warning naming
/// file, line, element and field while the other records are kept.
#[track_caller]
fn check_record_error(bad: &str, want_location: &str, want_message: &str) {
    let xml = doc(&[ONE, bad]);
    let (location, message) = malformed(xml.as_bytes());
    assert_eq!(location.to_string(), want_location);
    assert!(message.contains(want_message), "{message}");
    let list = parse_str(&xml, true).expect("skips the bad record");
    assert_eq!(
        list.entities
            .iter()
            .filter(|e| e.schema.name == "Person")
            .count(),
        1
    );
    let [warning] = &list.warnings[..] else {
        panic!("{:?}", list.warnings)
    };
    assert_eq!(warning.location.to_string(), want_location);
    assert!(
        warning.message.starts_with("record skipped: "),
        "{}",
        warning.message
    );
}

#[test]
fn a_record_without_reference_number_is_a_record_error() {
    check_record_error(
        "<INDIVIDUAL>\n<FIRST_NAME>B</FIRST_NAME><REFERENCE_NUMBER> </REFERENCE_NUMBER></INDIVIDUAL>",
        "un.xml:6 (INDIVIDUAL[2]) field REFERENCE_NUMBER",
        "no REFERENCE_NUMBER",
    );
}

#[test]
fn a_record_without_name_is_a_record_error() {
    check_record_error(
        "<INDIVIDUAL><REFERENCE_NUMBER>QDi.002</REFERENCE_NUMBER>\n<FIRST_NAME/><SECOND_NAME>na</SECOND_NAME></INDIVIDUAL>",
        "un.xml:7 (INDIVIDUAL[2]) field FIRST_NAME",
        "no name",
    );
}

#[test]
fn an_oversized_value_is_a_record_error() {
    let name = "A".repeat(10 << 20);
    check_record_error(
        &format!(
            "<INDIVIDUAL><REFERENCE_NUMBER>QDi.002</REFERENCE_NUMBER>\n<FIRST_NAME>{name}</FIRST_NAME></INDIVIDUAL>"
        ),
        "un.xml:7 (INDIVIDUAL[2]) field FIRST_NAME",
        &format!("10485760 bytes, over the limit of {MAX_VALUE_LEN}"),
    );
    let alias = "B".repeat(MAX_VALUE_LEN + 1);
    check_record_error(
        &format!(
            "<INDIVIDUAL><REFERENCE_NUMBER>QDi.002</REFERENCE_NUMBER><FIRST_NAME>B</FIRST_NAME>\n\
             <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>{alias}</ALIAS_NAME></INDIVIDUAL_ALIAS></INDIVIDUAL>"
        ),
        "un.xml:7 (INDIVIDUAL[2]/INDIVIDUAL_ALIAS) field ALIAS_NAME",
        "over the limit",
    );
}

#[test]
fn a_repeated_reference_number_is_a_record_error() {
    check_record_error(
        "<INDIVIDUAL>\n<REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER><FIRST_NAME>B</FIRST_NAME></INDIVIDUAL>",
        "un.xml:7 (INDIVIDUAL[2]) field REFERENCE_NUMBER",
        "duplicate reference number",
    );
}

#[test]
fn a_reference_number_that_cannot_be_an_id_is_a_record_error() {
    check_record_error(
        "<INDIVIDUAL>\n<REFERENCE_NUMBER>QDi 002</REFERENCE_NUMBER><FIRST_NAME>B</FIRST_NAME></INDIVIDUAL>",
        "un.xml:7 (INDIVIDUAL[2]) field REFERENCE_NUMBER",
        "invalid entity id",
    );
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_are_fine() {
    let xml = format!("\u{feff}{}", doc(&[ONE]).replace('\n', "\r\n"));
    let list = parse_str(&xml, false).unwrap();
    assert_eq!(list.entities.len(), 2);
    let bad = xml.replace("<FIRST_NAME>A</FIRST_NAME>", "<FIRST_NAME>A</FIRST>");
    let (location, _) = malformed(bad.as_bytes());
    assert_eq!(location.line, Some(4));
}
