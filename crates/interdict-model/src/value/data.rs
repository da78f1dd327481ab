//! Vocabularies: FtM's countries, genders, topics and languages, the
//! registries its identifier checks use, and libphonenumber's number patterns;
//! all in `ftm_values.tsv`.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use super::phone::PhoneRegion;

const TABLE: &str = include_str!("../ftm_values.tsv");

pub(super) struct Vocabulary {
    pub(super) countries: HashSet<&'static str>,
    pub(super) genders: HashMap<&'static str, &'static str>,
    pub(super) topics: HashSet<&'static str>,
    /// Language code, name or tag → FtM code; `None` for a language FtM does not list.
    pub(super) languages: HashMap<&'static str, Option<&'static str>>,
    pub(super) bic_countries: HashSet<&'static str>,
    pub(super) isin_countries: HashSet<&'static str>,
    /// Country → BBAN structure in SWIFT's notation (`8!n10!n`).
    pub(super) iban: HashMap<&'static str, &'static str>,
    /// Belgian bank codes (first three digits of the BBAN) in use.
    pub(super) be_banks: Vec<(u16, u16)>,
    /// Calling code → its regions, in the order libphonenumber tries them.
    pub(super) phones: HashMap<u16, Vec<PhoneRegion>>,
}

pub(super) static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(Vocabulary::load);

impl Vocabulary {
    fn load() -> Vocabulary {
        let mut v = Vocabulary {
            countries: HashSet::new(),
            genders: HashMap::new(),
            topics: HashSet::new(),
            languages: HashMap::new(),
            bic_countries: HashSet::new(),
            isin_countries: HashSet::new(),
            iban: HashMap::new(),
            be_banks: Vec::new(),
            phones: HashMap::new(),
        };
        for line in rows(TABLE) {
            let mut cols = line.split('\t');
            let (kind, key) = (cols.next().unwrap_or(""), cols.next().unwrap_or(""));
            v.add(kind, key, cols.next().unwrap_or(""));
        }
        v
    }

    fn add(&mut self, kind: &str, key: &'static str, value: &'static str) {
        let some = |value: &'static str| Some(value).filter(|v| !v.is_empty());
        match kind {
            "country" => drop(self.countries.insert(key)),
            "gender" => drop(self.genders.insert(key, some(value).unwrap_or(key))),
            "topic" => drop(self.topics.insert(key)),
            "language" => drop(self.languages.insert(key, some(value))),
            "bic-country" => self.bic_countries.extend(value.split(' ')),
            "isin-country" => self.isin_countries.extend(value.split(' ')),
            "iban" => drop(self.iban.insert(key, value)),
            "iban-be-bank" => self.be_banks.extend(value.split(' ').map(|range| {
                let (low, high) = range.split_once('-').expect("ftm_values.tsv: bank range");
                (
                    low.parse().expect("bank code"),
                    high.parse().expect("bank code"),
                )
            })),
            "phone-region" => self.add_phone_region(key, value),
            "phone-desc" => self.add_phone_type(key, value),
            other => panic!("ftm_values.tsv: unknown kind {other}"),
        }
    }

    /// `key` is `calling code-region`, e.g. `1-US`; regions come in lookup order.
    fn add_phone_region(&mut self, key: &'static str, leading: &'static str) {
        let code = calling_code(key).expect("ftm_values.tsv: phone region");
        let regions = self.phones.entry(code).or_default();
        regions.push(PhoneRegion::new(leading));
    }

    /// `value` is the possible lengths (comma-separated) and the pattern.
    fn add_phone_type(&mut self, key: &'static str, value: &'static str) {
        let region = calling_code(key).and_then(|code| self.phones.get_mut(&code)?.last_mut());
        let region = region.expect("ftm_values.tsv: phone type before its region");
        region.add_type(value);
    }
}

/// The calling code of a `calling code-region` key.
fn calling_code(key: &str) -> Option<u16> {
    key.split('-').next()?.parse().ok()
}

/// The data lines of a table (tab-separated, `#` for comments).
pub(super) fn rows(table: &str) -> impl Iterator<Item = &str> {
    table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
}
