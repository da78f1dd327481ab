mod bad_input;
mod real_list;

use std::collections::HashMap;

use super::*;

/// The real list, outside the repository; tests that need it skip when it is absent.
const REAL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/sanctions/un_consolidated_2026-02-27/UN_consolidated.xml"
);
const EXCERPT: &str = include_str!("../../../tests/fixtures/un/excerpt.xml");

// ---- helpers ----------------------------------------------------------------------------

/// A list holding the given records, each an `<INDIVIDUAL>` or `<ENTITY>` element. The
/// first record starts on line 3.
fn doc(records: &[&str]) -> String {
    let pick = |tag: &str| -> String {
        let open = format!("<{tag}>");
        records
            .iter()
            .filter(|r| r.trim_start().starts_with(&open))
            .copied()
            .collect()
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <CONSOLIDATED_LIST dateGenerated=\"2026-02-27T00:00:09.554Z\"><INDIVIDUALS>\n{}\
         </INDIVIDUALS><ENTITIES>{}</ENTITIES></CONSOLIDATED_LIST>\n",
        pick("INDIVIDUAL"),
        pick("ENTITY"),
    )
}

fn parse_str(xml: &str, skip_bad_records: bool) -> Result<ParsedList, ListError> {
    let file = InputFile::new("un.xml", xml.as_bytes().to_vec());
    parse(&file, &ParseOptions { skip_bad_records })
}

/// Entities one property value a line, then warnings. Hashed ids become `<prefix>#<n>` in
/// order of appearance, so expectations do not spell out hashes. Sanctions are left out
/// unless asked for: they look the same for every record.
fn render(list: &ParsedList, with_sanctions: bool) -> String {
    let mut short: HashMap<&str, String> = HashMap::new();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for e in &list.entities {
        if let Some((prefix, hash)) = e.id.rsplit_once('-')
            && hash.len() == 16
            && prefix.starts_with("un-")
        {
            let n = counts.entry(prefix).or_default();
            *n += 1;
            short.insert(&e.id, format!("{prefix}#{n}"));
        }
    }
    let name = |id: &str| short.get(id).cloned().unwrap_or_else(|| id.to_string());
    let mut out = String::new();
    for e in &list.entities {
        if e.schema.name == "Sanction" && !with_sanctions {
            continue;
        }
        out += &format!("{} {}\n", e.schema.name, name(&e.id));
        for (prop, v) in e.iter() {
            out += &format!("  {}: {}\n", prop.name, name(&v.value));
        }
    }
    for w in &list.warnings {
        out += &format!("warning: {w}\n");
    }
    out
}

/// Strips the indentation common to every non-blank line, and surrounding blank lines.
fn dedent(text: &str) -> String {
    let lines: Vec<&str> = text
        .trim_end()
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out: String = lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or("").trim_end())
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    out
}

#[track_caller]
fn check_records(records: &[&str], with_sanctions: bool, expect: &str) {
    let list = parse_str(&doc(records), false).expect("parses");
    let got = render(&list, with_sanctions);
    let want = dedent(expect);
    assert_eq!(got, want, "\n--- got ---\n{got}--- want ---\n{want}");
}

#[track_caller]
fn check(record: &str, expect: &str) {
    check_records(&[record], false, expect);
}

/// The error a document fails with.
#[track_caller]
fn fail(xml: &[u8]) -> ListError {
    let file = InputFile::new("un.xml", xml.to_vec());
    parse(&file, &ParseOptions::default()).expect_err("must fail")
}

#[track_caller]
fn malformed(xml: &[u8]) -> (Location, String) {
    match fail(xml) {
        ListError::Malformed { location, message } => (location, message),
        other => panic!("expected Malformed, got {other:?}"),
    }
}

// ---- one element kind at a time ----------------------------------------------------------

#[test]
fn names_join_in_written_order_and_keep_the_original_script() {
    check(
        r#"<INDIVIDUAL><REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER>
        <FIRST_NAME> AL-FATEH </FIRST_NAME><SECOND_NAME>HAMDAN </SECOND_NAME>
        <THIRD_NAME/><FOURTH_NAME>na</FOURTH_NAME>
        <NAME_ORIGINAL_SCRIPT>محمد صلاح الدين</NAME_ORIGINAL_SCRIPT></INDIVIDUAL>"#,
        "
        Person un-QDi.999
          alias: محمد صلاح الدين
          name: AL-FATEH HAMDAN
          topics: sanction
        ",
    );
}

#[test]
fn person_details_map_to_their_properties() {
    check(
        r#"<INDIVIDUAL><REFERENCE_NUMBER>CDi.002</REFERENCE_NUMBER><FIRST_NAME>FRANK</FIRST_NAME>
        <GENDER>Male</GENDER><COMMENTS1>Left the CNDP in
        January 2008.</COMMENTS1>
        <TITLE><VALUE>General</VALUE></TITLE>
        <DESIGNATION><VALUE>FARDC General </VALUE><VALUE/></DESIGNATION>
        <NATIONALITY><VALUE>Iran (Islamic Republic of)</VALUE><VALUE>na</VALUE></NATIONALITY>
        <LIST_TYPE><VALUE>UN List</VALUE></LIST_TYPE><DATAID>6907994</DATAID><SORT_KEY/>
        <LAST_DAY_UPDATED><VALUE>2016-10-13</VALUE><VALUE/></LAST_DAY_UPDATED></INDIVIDUAL>"#,
        "
        Person un-CDi.002
          gender: male
          modifiedAt: 2016-10-13
          name: FRANK
          nationality: ir
          notes: Left the CNDP in January 2008.
          position: FARDC General
          title: General
          topics: sanction
        ",
    );
}

#[test]
fn an_unknown_nationality_is_kept_in_notes_and_reported() {
    check(
        r#"<INDIVIDUAL><REFERENCE_NUMBER>XXi.001</REFERENCE_NUMBER><FIRST_NAME>A</FIRST_NAME>
<NATIONALITY><VALUE>Atlantis</VALUE></NATIONALITY></INDIVIDUAL>"#,
        r#"
        Person un-XXi.001
          name: A
          notes: nationality: Atlantis
          topics: sanction
        warning: un.xml:4 (INDIVIDUAL[1]/NATIONALITY) field VALUE: country "Atlantis" has no country code
        "#,
    );
}

#[test]
fn alias_quality_decides_strong_or_weak() {
    check(
        r#"<INDIVIDUAL><REFERENCE_NUMBER>QDi.017</REFERENCE_NUMBER><FIRST_NAME>THARWAT</FIRST_NAME>
        <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME> Sa’ad “Chief Kahwa” </ALIAS_NAME></INDIVIDUAL_ALIAS>
        <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Abu Yasir</ALIAS_NAME>
          <NOTE>original script: Абу Ясир</NOTE></INDIVIDUAL_ALIAS>
        <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
        <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Lased Ben Heni</ALIAS_NAME>
          <DATE_OF_BIRTH>1969-02-05</DATE_OF_BIRTH><CITY_OF_BIRTH>Tripoli</CITY_OF_BIRTH>
          <COUNTRY_OF_BIRTH>Libya</COUNTRY_OF_BIRTH></INDIVIDUAL_ALIAS></INDIVIDUAL>"#,
        "
        Person un-QDi.017
          alias: Sa’ad “Chief Kahwa”
          alias: Lased Ben Heni
          birthCountry: ly
          birthDate: 1969-02-05
          birthPlace: Tripoli, Libya
          name: THARWAT
          notes: alias Abu Yasir: original script: Абу Ясир
          topics: sanction
          weakAlias: Abu Yasir
        ",
    );
}

#[test]
fn entity_aliases_use_aka_and_fka() {
    check(
        r#"<ENTITY><REFERENCE_NUMBER>QDe.004</REFERENCE_NUMBER><FIRST_NAME>AL-QAIDA</FIRST_NAME>
        <NAME_ORIGINAL_SCRIPT>القاعدة</NAME_ORIGINAL_SCRIPT>
        <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>"The Base"</ALIAS_NAME></ENTITY_ALIAS>
        <ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>Al Qa’ida/Islamic Army</ALIAS_NAME>
          <NOTE>formerly listed as</NOTE></ENTITY_ALIAS>
        <ENTITY_ALIAS><QUALITY/><ALIAS_NAME/></ENTITY_ALIAS></ENTITY>"#,
        r#"
        Organization un-QDe.004
          alias: القاعدة
          alias: "The Base"
          name: AL-QAIDA
          notes: alias Al Qa’ida/Islamic Army: formerly listed as
          previousName: Al Qa’ida/Islamic Army
          topics: sanction
        "#,
    );
}

#[test]
fn birth_dates_of_every_type() {
    check(
        r#"<INDIVIDUAL><REFERENCE_NUMBER>TAi.002</REFERENCE_NUMBER><FIRST_NAME>MOHAMMAD</FIRST_NAME>
        <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1969-11-13</DATE></INDIVIDUAL_DATE_OF_BIRTH>
        <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1971</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
        <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1963</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
        <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1955</FROM_YEAR>
          <TO_YEAR>1958</TO_YEAR><NOTE>Approximately</NOTE></INDIVIDUAL_DATE_OF_BIRTH>
        <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><NOTE>Nov. 1973 </NOTE></INDIVIDUAL_DATE_OF_BIRTH>
        <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1979-03-03</DATE>
          <NOTE>from false passport</NOTE></INDIVIDUAL_DATE_OF_BIRTH>
        <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><NOTE>30-35 years old</NOTE></INDIVIDUAL_DATE_OF_BIRTH>
        <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE/></INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>"#,
        "
        Person un-TAi.002
          birthDate: 1969-11-13
          birthDate: 1971
          birthDate: 1963
          birthDate: 1955
          birthDate: 1958
          birthDate: 1973-11
          birthDate: 1979-03-03
          name: MOHAMMAD
          notes: date of birth: from false passport
          notes: date of birth: 30-35 years old
          topics: sanction
        ",
    );
}

#[test]
fn an_unreadable_date_is_reported_and_kept_in_notes() {
    check(
        r#"<INDIVIDUAL><REFERENCE_NUMBER>XXi.002</REFERENCE_NUMBER><FIRST_NAME>A</FIRST_NAME>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>31/12/1970</DATE></INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>"#,
        r#"
        Person un-XXi.002
          name: A
          notes: DATE: 31/12/1970
          topics: sanction
        warning: un.xml:4 (INDIVIDUAL[1]/INDIVIDUAL_DATE_OF_BIRTH) field DATE: "31/12/1970" is not a date; kept in notes
        "#,
    );
}

#[test]
fn place_of_birth_gives_place_and_country() {
    check(
        r#"<INDIVIDUAL><REFERENCE_NUMBER>TAi.153</REFERENCE_NUMBER><FIRST_NAME>FAIZULLAH</FIRST_NAME>
        <INDIVIDUAL_PLACE_OF_BIRTH><CITY>Lowy Kariz</CITY><STATE_PROVINCE>Kandahar Province</STATE_PROVINCE>
          <COUNTRY>Afghanistan</COUNTRY></INDIVIDUAL_PLACE_OF_BIRTH>
        <INDIVIDUAL_PLACE_OF_BIRTH><STREET>Manono Territory</STREET><STATE_PROVINCE>Katanga Province</STATE_PROVINCE>
          <NOTE>(now Tanganyika Province)</NOTE></INDIVIDUAL_PLACE_OF_BIRTH>
        <INDIVIDUAL_PLACE_OF_BIRTH><NOTE>possibly Sabratha, Talil neighbourhood</NOTE></INDIVIDUAL_PLACE_OF_BIRTH>
        <INDIVIDUAL_PLACE_OF_BIRTH><COUNTRY/></INDIVIDUAL_PLACE_OF_BIRTH></INDIVIDUAL>"#,
        "
        Person un-TAi.153
          birthCountry: af
          birthPlace: Lowy Kariz, Kandahar Province, Afghanistan
          birthPlace: Manono Territory, Katanga Province
          birthPlace: possibly Sabratha, Talil neighbourhood
          name: FAIZULLAH
          notes: place of birth: (now Tanganyika Province)
          topics: sanction
        ",
    );
}

#[test]
fn addresses_become_entities_unless_only_a_country() {
    check(
        r#"<ENTITY><REFERENCE_NUMBER>IRe.029</REFERENCE_NUMBER><FIRST_NAME>IRISL BENELUX NV</FIRST_NAME>
        <ENTITY_ADDRESS><STREET>Noorderlaan 139, B-2030</STREET><CITY>Antwerp</CITY>
          <ZIP_CODE>2030</ZIP_CODE><COUNTRY>Belgium</COUNTRY><NOTE>at time of listing</NOTE></ENTITY_ADDRESS>
        <ENTITY_ADDRESS><COUNTRY>Rwanda</COUNTRY><NOTE>as of early 2016</NOTE></ENTITY_ADDRESS>
        <ENTITY_ADDRESS><NOTE>Branch Office 14: Dubai, United Arab Emirates</NOTE></ENTITY_ADDRESS>
        <ENTITY_ADDRESS><COUNTRY>Yemen</COUNTRY></ENTITY_ADDRESS>
        <ENTITY_ADDRESS><COUNTRY/></ENTITY_ADDRESS></ENTITY>"#,
        "
        Organization un-IRe.029
          address: Noorderlaan 139, B-2030, Antwerp, 2030, Belgium
          address: Branch Office 14: Dubai, United Arab Emirates
          addressEntity: un-addr#1
          addressEntity: un-addr#2
          country: be
          country: rw
          country: ye
          name: IRISL BENELUX NV
          notes: address in Rwanda: as of early 2016
          topics: sanction
        Address un-addr#1
          city: Antwerp
          country: be
          full: Noorderlaan 139, B-2030, Antwerp, 2030, Belgium
          postalCode: 2030
          remarks: at time of listing
          street: Noorderlaan 139, B-2030
        Address un-addr#2
          full: Branch Office 14: Dubai, United Arab Emirates
        ",
    );
}

#[test]
fn parties_at_one_address_share_its_entity() {
    let address =
        "<INDIVIDUAL_ADDRESS><CITY>Kabul</CITY><COUNTRY>Afghanistan</COUNTRY></INDIVIDUAL_ADDRESS>";
    let a = format!(
        "<INDIVIDUAL><REFERENCE_NUMBER>TAi.001</REFERENCE_NUMBER><FIRST_NAME>A</FIRST_NAME>{address}</INDIVIDUAL>"
    );
    let b = format!(
        "<INDIVIDUAL><REFERENCE_NUMBER>TAi.003</REFERENCE_NUMBER><FIRST_NAME>B</FIRST_NAME>{address}</INDIVIDUAL>"
    );
    check_records(
        &[a.as_str(), b.as_str()],
        false,
        "
        Person un-TAi.001
          address: Kabul, Afghanistan
          addressEntity: un-addr#1
          country: af
          name: A
          topics: sanction
        Address un-addr#1
          city: Kabul
          country: af
          full: Kabul, Afghanistan
        Person un-TAi.003
          address: Kabul, Afghanistan
          addressEntity: un-addr#1
          country: af
          name: B
          topics: sanction
        ",
    );
}

#[test]
fn documents_become_identifications() {
    check(
        r#"<INDIVIDUAL><REFERENCE_NUMBER>QDi.300</REFERENCE_NUMBER><FIRST_NAME>MONIR</FIRST_NAME>
        <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><TYPE_OF_DOCUMENT2>Passport</TYPE_OF_DOCUMENT2>
          <NUMBER>5208323009</NUMBER><ISSUING_COUNTRY>Germany</ISSUING_COUNTRY><DATE_OF_ISSUE>2007-02-02</DATE_OF_ISSUE>
          <CITY_OF_ISSUE>Stadt Bonn</CITY_OF_ISSUE><COUNTRY_OF_ISSUE>Germany</COUNTRY_OF_ISSUE>
          <NOTE>expires on 1 Feb. 2012</NOTE></INDIVIDUAL_DOCUMENT>
        <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>
          <TYPE_OF_DOCUMENT2>Jordanian national number:</TYPE_OF_DOCUMENT2><NUMBER>9681029476</NUMBER></INDIVIDUAL_DOCUMENT>
        <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Numéro de passeport</TYPE_OF_DOCUMENT><TYPE_OF_DOCUMENT2>number:</TYPE_OF_DOCUMENT2>
          <NUMBER>O1503093</NUMBER></INDIVIDUAL_DOCUMENT>
        <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>
          <NOTE>Italian Fiscal Code: DAOMMD74T11Z352Z</NOTE></INDIVIDUAL_DOCUMENT>
        <INDIVIDUAL_DOCUMENT/></INDIVIDUAL>"#,
        "
        Person un-QDi.300
          idNumber: 9681029476
          name: MONIR
          notes: document: National Identification Number; Italian Fiscal Code: DAOMMD74T11Z352Z
          passportNumber: 5208323009
          passportNumber: O1503093
          topics: sanction
        Identification un-id#1
          country: de
          holder: un-QDi.300
          number: 5208323009
          startDate: 2007-02-02
          summary: issued in Stadt Bonn; expires on 1 Feb. 2012
          type: Passport
        Identification un-id#2
          holder: un-QDi.300
          number: 9681029476
          type: National Identification Number
          type: Jordanian national number
        Identification un-id#3
          holder: un-QDi.300
          number: O1503093
          type: Numéro de passeport
        ",
    );
}

#[test]
fn each_record_has_one_sanction() {
    check_records(
        &[
            r#"<ENTITY><REFERENCE_NUMBER>KPe.001</REFERENCE_NUMBER><FIRST_NAME>KOREA MINING</FIRST_NAME>
        <UN_LIST_TYPE>DPRK</UN_LIST_TYPE><LISTED_ON>2001-10-06-04:00</LISTED_ON>
        <LIST_TYPE><VALUE>UN List</VALUE></LIST_TYPE></ENTITY>"#,
        ],
        true,
        "
        Organization un-KPe.001
          name: KOREA MINING
          topics: sanction
        Sanction un-san#1
          authority: United Nations Security Council
          entity: un-KPe.001
          listingDate: 2001-10-06
          program: DPRK
          sourceUrl: https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list
          unscId: KPe.001
        ",
    );
}

#[test]
fn unknown_elements_are_reported_once() {
    let record = |r: &str| {
        format!(
            "<INDIVIDUAL><REFERENCE_NUMBER>{r}</REFERENCE_NUMBER><FIRST_NAME>A</FIRST_NAME>\
             <COMMENTS2>new</COMMENTS2><COMMENTS3/>\
             <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>B</ALIAS_NAME><SCRIPT>x</SCRIPT></INDIVIDUAL_ALIAS>\
             </INDIVIDUAL>"
        )
    };
    let list = parse_str(&doc(&[&record("XXi.001"), &record("XXi.002")]), false).unwrap();
    let messages: Vec<String> = list.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "un.xml:3 (INDIVIDUAL[1]) field COMMENTS2: element INDIVIDUAL/COMMENTS2 is not mapped; its content is ignored",
            "un.xml:3 (INDIVIDUAL[1]/INDIVIDUAL_ALIAS) field SCRIPT: element INDIVIDUAL/INDIVIDUAL_ALIAS/SCRIPT is not mapped; its content is ignored",
        ]
    );
}

#[test]
fn text_is_unescaped_and_cdata_kept() {
    check(
        "<ENTITY><REFERENCE_NUMBER>XXe.001</REFERENCE_NUMBER><FIRST_NAME>A &amp; B &#x41;</FIRST_NAME>\
         <COMMENTS1><![CDATA[<b>raw</b>]]> and more</COMMENTS1></ENTITY>",
        "
        Organization un-XXe.001
          name: A & B A
          notes: <b>raw</b> and more
          topics: sanction
        ",
    );
}

#[test]
fn the_excerpt_matches_its_snapshot() {
    let file = InputFile::new("excerpt.xml", EXCERPT.as_bytes());
    let list = parse(&file, &ParseOptions::default()).unwrap();
    assert_eq!(list.published.as_deref(), Some("2026-02-27"));
    assert!(list.warnings.is_empty(), "{:?}", list.warnings);
    let lines: Vec<String> = list
        .entities
        .iter()
        .map(|e| e.to_ftm_json().to_string())
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}
