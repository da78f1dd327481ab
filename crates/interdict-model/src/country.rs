//! Country names and codes, as FollowTheMoney's `country` type writes them.
//!
//! [`code`] turns a country name as official lists write it (OFAC's
//! `Korea, North`, `Region: Gaza` or `Congo, Democratic Republic of the`; the
//! UN's `Iran (Islamic Republic of)` or `Türkiye`; adjectives such as
//! `Mexican`) into an FtM country code; [`name`] gives the English short name
//! of a code.
//!
//! The table is `countries.tsv`, written by hand and cross-checked against the
//! `followthemoney` library: every code in it is one FtM's country type
//! accepts. Its header comment records the choices made for disputed and
//! occupied regions. In short, they map to the internationally recognised
//! sovereign state (Crimea → `ua`, Gaza and the West Bank → `ps`, Kurdistan
//! Region → `iq`, Northern Cyprus → `cy`, Kafia Kingi → `sd`, Jammu and
//! Kashmir → `in`), never to FtM's sub-national codes such as `ua-cri`.
//!
//! Matching folds case, accents, punctuation and spacing, and ignores a
//! leading `Region:` (OFAC), a leading `The` or trailing `, The`, the word
//! `and`, and writes `St.` as `Saint`. If that fails, a leading formal
//! prefix such as `Republic of` or `Kingdom of` is dropped and the rest looked
//! up again. Null markers (`-0-`, `n/a`, `NA`, `undetermined`, …) give `None`;
//! `NA` in particular is read as "not available", not as Namibia's code.

use std::collections::HashMap;
use std::sync::LazyLock;

const TABLE: &str = include_str!("countries.tsv");

/// Folded keys that mean "no country" even though one of them (`na`,
/// Namibia's code) would otherwise match: lists write `n/a` / `NA` for
/// "not available" far more often than they write Namibia as a bare code.
const NULL_MARKERS: &[&str] = &["na"];

/// Formal prefixes dropped (with the `of` after them) when the full name does
/// not match: "Republic of Serbia" → "Serbia", "Kingdom of Spain" → "Spain".
/// "Democratic Republic of …" is deliberately not among them.
const FORMAL_PREFIXES: &[&str] = &[
    "republic",
    "kingdom",
    "state",
    "principality",
    "sultanate",
    "commonwealth",
    "emirate",
];

struct Countries {
    /// Folded name, adjective or code → code.
    by_key: HashMap<String, &'static str>,
    /// Code → English short name.
    names: HashMap<&'static str, &'static str>,
    /// Folded keys claimed by two different codes (the first row wins).
    /// A table error; a test keeps this empty.
    #[cfg(test)]
    conflicts: Vec<(String, &'static str, &'static str)>,
    /// Codes in table order.
    #[cfg(test)]
    codes: Vec<&'static str>,
}

impl Countries {
    fn load() -> Self {
        let mut by_key: HashMap<String, &'static str> = HashMap::new();
        let mut names = HashMap::new();
        let mut conflicts = Vec::new();
        let mut codes = Vec::new();
        for line in TABLE.lines() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split('\t').map(str::trim);
            let (Some(code), Some(name)) = (fields.next(), fields.next()) else {
                continue;
            };
            names.insert(code, name);
            codes.push(code);
            for text in [code, name].into_iter().chain(fields) {
                let key = fold(text).concat();
                if key.is_empty() {
                    continue;
                }
                match by_key.get(&key) {
                    Some(&other) if other != code => conflicts.push((key, other, code)),
                    Some(_) => {}
                    None => {
                        by_key.insert(key, code);
                    }
                }
            }
        }
        #[cfg(not(test))]
        let _ = (conflicts, codes);
        Self {
            by_key,
            names,
            #[cfg(test)]
            conflicts,
            #[cfg(test)]
            codes,
        }
    }
}

static COUNTRIES: LazyLock<Countries> = LazyLock::new(Countries::load);

/// FtM country code (lowercase ISO 3166-1 alpha-2, or FtM's extra codes where
/// needed) for a country name as official lists write it.
///
/// ```
/// use interdict_model::country::code;
///
/// assert_eq!(code("Korea, North"), Some("kp"));
/// assert_eq!(code("Iran (Islamic Republic of)"), Some("ir"));
/// assert_eq!(code("COTE D IVOIRE"), Some("ci"));
/// assert_eq!(code("Mexican"), Some("mx"));
/// assert_eq!(code("MX"), Some("mx"));
/// assert_eq!(code("Region: Crimea"), Some("ua"));
/// assert_eq!(code("-0-"), None);
/// ```
pub fn code(name: &str) -> Option<&'static str> {
    let tokens = fold(name);
    let key = tokens.concat();
    if key.is_empty() || NULL_MARKERS.contains(&key.as_str()) {
        return None;
    }
    let by_key = &COUNTRIES.by_key;
    if let Some(&code) = by_key.get(&key) {
        return Some(code);
    }
    match tokens.as_slice() {
        [prefix, of, rest @ ..]
            if of == "of" && !rest.is_empty() && FORMAL_PREFIXES.contains(&prefix.as_str()) =>
        {
            let rest = strip_the(rest);
            by_key.get(&rest.concat()).copied()
        }
        _ => None,
    }
}

/// The English short name for a code.
///
/// ```
/// assert_eq!(interdict_model::country::name("kp"), Some("North Korea"));
/// assert_eq!(interdict_model::country::name("xk"), Some("Kosovo"));
/// ```
pub fn name(code: &str) -> Option<&'static str> {
    COUNTRIES
        .names
        .get(code.trim().to_ascii_lowercase().as_str())
        .copied()
}

/// Splits `text` into lowercase, accent-free alphanumeric tokens and applies
/// the token rules: drop `and`, `St` → `saint`, drop a leading `region` and a
/// leading or trailing `the`. Joining the tokens gives the lookup key.
fn fold(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    for ch in text.chars().flat_map(char::to_lowercase) {
        if ch.is_ascii_alphanumeric() {
            current.push(ch);
        } else if let Some(ascii) = fold_char(ch) {
            current.push_str(ascii);
        } else if is_combining_mark(ch) {
            // Decomposed accents ("Co\u{302}te"): drop the mark only.
        } else if ch.is_alphanumeric() {
            current.push(ch);
        } else if !current.is_empty() {
            tokens.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens.retain(|t| t != "and");
    for token in &mut tokens {
        if token == "st" {
            *token = "saint".to_owned();
        }
    }
    if tokens.len() > 1 && tokens[0] == "region" {
        tokens.remove(0);
    }
    strip_the(&tokens).to_vec()
}

/// `tokens` without a leading and a trailing `the`, unless that empties it.
fn strip_the(mut tokens: &[String]) -> &[String] {
    if tokens.len() > 1 && tokens[0] == "the" {
        tokens = &tokens[1..];
    }
    if tokens.len() > 1 && tokens[tokens.len() - 1] == "the" {
        tokens = &tokens[..tokens.len() - 1];
    }
    tokens
}

/// ASCII for a lowercase accented Latin letter.
fn fold_char(ch: char) -> Option<&'static str> {
    Some(match ch {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// Combining diacritical marks (U+0300–U+036F), as in decomposed text.
fn is_combining_mark(ch: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&ch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    fn check(input: &str, expected: Option<&str>) {
        assert_eq!(code(input), expected, "code({input:?})");
    }

    #[test]
    fn ofac_spellings() {
        for (input, expected) in [
            ("Korea, North", "kp"),
            ("Korea, South", "kr"),
            ("Burma", "mm"),
            ("Region: Gaza", "ps"),
            ("Region: North Gaza", "ps"),
            ("Region: Northern Gaza", "ps"),
            ("Region: West Bank", "ps"),
            ("West Bank", "ps"),
            ("Palestinian", "ps"),
            ("Palestinian Authority", "ps"),
            ("Region: Crimea", "ua"),
            ("Region: Kurdistan", "iq"),
            ("Region: Kafia Kingi", "sd"),
            ("Region: Northern Mali", "ml"),
            ("Region: Jammu and Kashmir", "in"),
            ("Region: Russia", "ru"),
            ("Northern Cyprus", "cy"),
            ("Congo, Democratic Republic of the", "cd"),
            ("Congo, Republic of the", "cg"),
            ("Bahamas, The", "bs"),
            ("Gambia, The", "gm"),
            ("The Gambia", "gm"),
            ("Micronesia, Federated States of", "fm"),
            ("Macau", "mo"),
            ("Hong Kong", "hk"),
            ("Kosovo", "xk"),
            ("Man, Isle of", "im"),
            ("Virgin Islands, British", "vg"),
            ("North Macedonia, The Republic of", "mk"),
            ("Macedonia, The Former Yugoslav Republic of", "mk"),
            ("Netherlands Antilles", "nl"),
            ("Cote d Ivoire", "ci"),
            ("Saint Kitts and Nevis", "kn"),
            ("St Kitts and Nevis", "kn"),
            ("Saint Vincent and the Grenadines", "vc"),
            ("Bosnia-Herzegovina", "ba"),
            ("Serbia and Montenegro", "csxx"),
            ("USSR", "suhh"),
            ("ex-Yugoslavia", "yucs"),
            ("Turkey", "tr"),
            ("Czech Republic", "cz"),
            ("Cabo Verde", "cv"),
            ("United States", "us"),
            ("USA", "us"),
            ("UK", "gb"),
            ("England", "gb"),
            ("DPRK", "kp"),
            ("DRC", "cd"),
            ("Mexico", "mx"),
        ] {
            check(input, Some(expected));
        }
    }

    #[test]
    fn un_spellings() {
        for (input, expected) in [
            ("Russian Federation", "ru"),
            ("the Russian Federation", "ru"),
            ("Iran (Islamic Republic of)", "ir"),
            ("Democratic People's Republic of Korea", "kp"),
            ("Democratic People’s Republic of Korea", "kp"),
            ("Syrian Arab Republic", "sy"),
            ("United Republic of Tanzania", "tz"),
            ("Bolivia (Plurinational State of)", "bo"),
            ("Venezuela (Bolivarian Republic of)", "ve"),
            ("State of Palestine", "ps"),
            ("Türkiye", "tr"),
            ("Viet Nam", "vn"),
            ("Lao People's Democratic Republic", "la"),
            ("Côte d'Ivoire", "ci"),
            ("Democratic Republic of the Congo", "cd"),
            ("Congo", "cg"),
            ("China, Hong Kong Special Administrative Region", "hk"),
            ("United Kingdom of Great Britain and Northern Ireland", "gb"),
            ("United States of America", "us"),
            ("British Virgin Islands", "vg"),
            ("Guinea-Bissau", "gw"),
            ("Republic of Moldova", "md"),
            ("Netherlands (Kingdom of the)", "nl"),
            ("Micronesia (Federated States of)", "fm"),
            ("former Soviet Union", "suhh"),
        ] {
            check(input, Some(expected));
        }
    }

    #[test]
    fn adjectives() {
        for (input, expected) in [
            ("Mexican", "mx"),
            ("Colombian", "co"),
            ("Venezuelan", "ve"),
            ("Iranian", "ir"),
            ("Russian", "ru"),
            ("Syrian", "sy"),
            ("Lebanese", "lb"),
            ("Afghan", "af"),
            ("Iraqi", "iq"),
            ("Pakistani", "pk"),
            ("Yemeni", "ye"),
            ("Somali", "so"),
            ("Sudanese", "sd"),
            ("South Sudanese", "ss"),
            ("Chinese", "cn"),
            ("North Korean", "kp"),
            ("South Korean", "kr"),
            ("Emirati", "ae"),
            ("Saudi", "sa"),
            ("British", "gb"),
            ("American", "us"),
            ("Nigerian", "ng"),
            ("Nigerien", "ne"),
            ("Guinean", "gn"),
            ("Bissau-Guinean", "gw"),
            ("Filipino", "ph"),
            ("Dutch", "nl"),
            ("Swiss", "ch"),
            ("Kosovar", "xk"),
            ("Ivorian", "ci"),
            ("Burmese", "mm"),
            ("Belarusian", "by"),
            ("Ukrainian", "ua"),
            ("Turkish", "tr"),
            ("Dominican", "do"),
            ("Soviet", "suhh"),
        ] {
            check(input, Some(expected));
        }
    }

    #[test]
    fn folding() {
        for (input, expected) in [
            ("Côte d'Ivoire", "ci"),
            ("Cote d'Ivoire", "ci"),
            ("COTE D IVOIRE", "ci"),
            ("Côte d’Ivoire", "ci"),
            ("Co\u{302}te d'Ivoire", "ci"),
            ("CÔTE D'IVOIRE", "ci"),
            ("cote-d'ivoire", "ci"),
            ("  Mexico.  ", "mx"),
            ("MEXICO", "mx"),
            ("México", "mx"),
            ("TÜRKIYE", "tr"),
            ("Turkiye", "tr"),
            ("Réunion", "re"),
            ("Reunion", "re"),
            ("São Tomé and Príncipe", "st"),
            ("Sao Tome & Principe", "st"),
            ("Curacao", "cw"),
            ("Aland Islands", "ax"),
            ("KOREA,NORTH", "kp"),
            ("Korea North", "kp"),
            ("St. Lucia", "lc"),
            ("Trinidad & Tobago", "tt"),
            ("Guinea Bissau", "gw"),
            ("U.S.A.", "us"),
            ("Republic of Serbia", "rs"),
            ("Kingdom of Spain", "es"),
            ("Republic of the Congo", "cg"),
            ("Democratic Republic of Congo", "cd"),
        ] {
            check(input, Some(expected));
        }
    }

    #[test]
    fn codes() {
        for (input, expected) in [
            ("MX", "mx"),
            ("mx", "mx"),
            (" mx ", "mx"),
            ("XK", "xk"),
            ("GB", "gb"),
            ("kp", "kp"),
            ("suhh", "suhh"),
        ] {
            check(input, Some(expected));
        }
        assert_eq!(name("mx"), Some("Mexico"));
        assert_eq!(name("MX"), Some("Mexico"));
        assert_eq!(name("ci"), Some("Côte d'Ivoire"));
        assert_eq!(name("ps"), Some("Palestine"));
        assert_eq!(name("na"), Some("Namibia"));
        assert_eq!(name("zz"), None);
        assert_eq!(name("ua-cri"), None);
        assert_eq!(name(""), None);
    }

    #[test]
    fn not_countries() {
        for input in [
            "",
            "   ",
            "-0-",
            "-0- ",
            "undetermined",
            "Undetermined",
            "Unknown",
            "na",
            "NA",
            "n/a",
            "N/A",
            "Stateless",
            "Region: Commonwealth of Independent States",
            "Region:",
            "Region",
            "The",
            "possibly Palestinian",
            "Korea",
            "Congolese",
            "Virgin Islands",
            "Kashmir",
            "Europe",
            "Culiacan",
            "Republic of",
            "Democratic Republic of",
        ] {
            check(input, None);
        }
        check("Namibia", Some("na"));
    }

    #[test]
    fn table_is_consistent() {
        let countries = &*COUNTRIES;
        assert!(
            countries.conflicts.is_empty(),
            "names claimed by two codes: {:?}",
            countries.conflicts
        );
        assert!(countries.codes.len() >= 250, "{}", countries.codes.len());
        let distinct: BTreeSet<_> = countries.codes.iter().collect();
        assert_eq!(distinct.len(), countries.codes.len(), "duplicate code rows");
        const LONG_CODES: &[&str] = &["cshh", "csxx", "suhh", "yucs"];
        for &c in &countries.codes {
            assert!(
                (c.len() == 2 || LONG_CODES.contains(&c))
                    && c.bytes().all(|b| b.is_ascii_lowercase()),
                "bad code {c:?}"
            );
            let english = name(c).unwrap();
            if !NULL_MARKERS.contains(&c) {
                check(c, Some(c));
                check(&c.to_uppercase(), Some(c));
            }
            check(english, Some(c));
            check(&english.to_uppercase(), Some(c));
        }
        for line in TABLE
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let fields: Vec<_> = line.split('\t').collect();
            assert!(fields.len() >= 2, "short row {line:?}");
            for alt in &fields[2..] {
                assert!(!alt.trim().is_empty(), "empty field in {line:?}");
                check(alt, Some(fields[0]));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn code_gives_known_codes(s in "\\PC{0,40}") {
            if let Some(c) = code(&s) {
                proptest::prop_assert!(name(c).is_some());
            }
        }
    }

    // ---- real data ----

    /// Strings in the real data that are not countries.
    const NOT_COUNTRIES: &[&str] = &[
        "-0-",
        "undetermined",
        "Region: Commonwealth of Independent States",
        "na",
        "possibly Palestinian",
    ];

    fn data_dir() -> Option<PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/sanctions");
        if dir.is_dir() {
            Some(dir)
        } else {
            println!("skipping: no sanctions data at {}", dir.display());
            None
        }
    }

    /// Records of an RFC 4180-style CSV (quotes, doubled quotes, CRLF).
    fn csv_records(text: &str) -> Vec<Vec<String>> {
        let mut records = Vec::new();
        let mut record = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = text.chars().peekable();
        while let Some(ch) = chars.next() {
            match (quoted, ch) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                (true, '"') => quoted = false,
                (true, _) => field.push(ch),
                (false, '"') => quoted = true,
                (false, ',') => record.push(std::mem::take(&mut field)),
                (false, '\r') => {}
                (false, '\n') => {
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                (false, _) => field.push(ch),
            }
        }
        if !field.is_empty() || !record.is_empty() {
            record.push(field);
            records.push(record);
        }
        records
    }

    /// Trimmed text of every `<tag>…</tag>` in `xml`, entities decoded.
    fn xml_texts<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
        let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
        let mut out = Vec::new();
        let mut rest = xml;
        while let Some(start) = rest.find(&open) {
            rest = &rest[start + open.len()..];
            let Some(end) = rest.find(&close) else { break };
            out.push(rest[..end].trim());
            rest = &rest[end + close.len()..];
        }
        out
    }

    /// Every distinct country string in the data, with where it was seen.
    fn real_country_strings(dir: &Path) -> BTreeMap<String, String> {
        let mut found = BTreeMap::new();
        let mut add = |value: &str, source: String| {
            let value = value.trim().replace("&amp;", "&");
            found.entry(value).or_insert(source);
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .flat_map(|e| std::fs::read_dir(e.unwrap().path()).into_iter().flatten())
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        for path in paths {
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let source = path.strip_prefix(dir).unwrap().display().to_string();
            match file.as_str() {
                "add.csv" | "cons_add.csv" => {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for record in csv_records(&text) {
                        if let Some(country) = record.get(4) {
                            add(country, format!("{source} column 5"));
                        }
                    }
                }
                "sdn.csv" | "cons_prim.csv" | "sdn_key_rows.csv" => {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for record in csv_records(&text) {
                        let Some(remarks) = record.get(11) else {
                            continue;
                        };
                        for segment in remarks.split(';') {
                            let segment = segment.trim().trim_end_matches('.');
                            let segment = segment.strip_prefix("alt. ").unwrap_or(segment);
                            let value = segment
                                .strip_prefix("nationality ")
                                .or_else(|| segment.strip_prefix("citizen "));
                            if let Some(value) = value {
                                add(value, format!("{source} Remarks"));
                            }
                        }
                    }
                }
                _ if file.ends_with(".xml") => {
                    let xml = std::fs::read_to_string(&path).unwrap();
                    for tag in [
                        "COUNTRY",
                        "ISSUING_COUNTRY",
                        "COUNTRY_OF_ISSUE",
                        "COUNTRY_OF_BIRTH",
                    ] {
                        for value in xml_texts(&xml, tag) {
                            add(value, format!("{source} {tag}"));
                        }
                    }
                    for nationality in xml_texts(&xml, "NATIONALITY") {
                        for value in xml_texts(nationality, "VALUE") {
                            add(value, format!("{source} NATIONALITY/VALUE"));
                        }
                    }
                }
                _ => {}
            }
        }
        found
    }

    #[test]
    fn every_real_country_string_maps() {
        let Some(dir) = data_dir() else { return };
        let found = real_country_strings(&dir);
        assert!(found.len() > 200, "only {} strings found", found.len());
        let mut failures = Vec::new();
        let mut covered = 0;
        for (value, source) in &found {
            let got = code(value);
            if NOT_COUNTRIES.contains(&value.as_str()) {
                if got.is_some() {
                    failures.push(format!("{value:?} ({source}) should be None, got {got:?}"));
                }
            } else if got.is_none() {
                failures.push(format!("{value:?} ({source}) maps to no country"));
            } else {
                covered += 1;
            }
        }
        println!(
            "{covered} distinct country strings map, {} are non-countries",
            found.len() - covered
        );
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
