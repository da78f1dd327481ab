//! Qualifiers: what besides the name moves a score (birth date, country, gender, kind of party).
//!
//! They move it a little; only a name makes a match. Agreement adds less than disagreement
//! takes away, because lists are incomplete but rarely wrong.

use crate::explain::{Feature, Outcome};
use crate::index::{Party, PartyKind};

const BIRTH_DATE_MATCH: f64 = 0.05;
const BIRTH_YEAR_MATCH: f64 = 0.03;
const BIRTH_DATE_MISMATCH: f64 = -0.15;
const COUNTRY_MATCH: f64 = 0.02;
const COUNTRY_MISMATCH: f64 = -0.05;
const SCHEMA_MISMATCH: f64 = -0.2;
/// Lists record gender rarely and sometimes wrongly; a mismatch only casts some doubt.
const GENDER_MISMATCH: f64 = -0.1;

/// Compares a query birth date (ISO date or year) with the listed ones; `None` when either
/// side has no usable date.
pub fn birth_date_feature(query: &str, listed: &[String]) -> Option<Feature> {
    let year = year_of(query)?;
    let years: Vec<i32> = listed.iter().filter_map(|d| year_of(d)).collect();
    if years.is_empty() {
        return None;
    }
    let query_day = query.trim();
    let outcome = if query_day.len() >= 10 && listed.iter().any(|d| d == query_day) {
        Outcome::Match
    } else if years.contains(&year) {
        Outcome::YearMatch
    } else if years.iter().any(|y| (y - year).abs() <= 1) {
        Outcome::Near
    } else {
        Outcome::Mismatch
    };
    let effect = match outcome {
        Outcome::Match => BIRTH_DATE_MATCH,
        Outcome::YearMatch => BIRTH_YEAR_MATCH,
        Outcome::Near => 0.0,
        Outcome::Mismatch => BIRTH_DATE_MISMATCH,
    };
    Some(Feature::BirthDate {
        query: query.into(),
        listed: listed.to_vec(),
        outcome,
        effect,
    })
}

fn year_of(date: &str) -> Option<i32> {
    let digits = date.trim().get(..4)?;
    digits.parse().ok().filter(|y| (1000..=2999).contains(y))
}

/// Compares a query country (a name as lists write it, or an FtM code) with the listed ones.
pub fn country_feature(query: &str, listed: &[String]) -> Option<Feature> {
    let lower = query.trim().to_ascii_lowercase();
    let code = match interdict_model::country::code(query) {
        Some(code) => code.to_string(),
        None => interdict_model::country::name(&lower).map(|_| lower)?,
    };
    if listed.is_empty() {
        return None;
    }
    let matched = listed.contains(&code);
    let (outcome, effect) = if matched {
        (Outcome::Match, COUNTRY_MATCH)
    } else {
        (Outcome::Mismatch, COUNTRY_MISMATCH)
    };
    Some(Feature::Country {
        query: query.into(),
        listed: listed.to_vec(),
        outcome,
        effect,
    })
}

/// Compares a query gender with the listed one (FtM's `male`, `female`, `other`); `None` when
/// either side is unknown or unreadable.
pub fn gender_feature(query: &str, listed: &[String]) -> Option<Feature> {
    let asked = gender_of(query)?;
    let genders: Vec<&str> = listed.iter().filter_map(|g| gender_of(g)).collect();
    if genders.is_empty() {
        return None;
    }
    let (outcome, effect) = if genders.contains(&asked) {
        (Outcome::Match, 0.0)
    } else {
        (Outcome::Mismatch, GENDER_MISMATCH)
    };
    Some(Feature::Gender {
        query: query.into(),
        listed: listed.to_vec(),
        outcome,
        effect,
    })
}

fn gender_of(value: &str) -> Option<&'static str> {
    match value.trim().to_lowercase().as_str() {
        "m" | "male" | "man" | "masculino" | "masculin" => Some("male"),
        "f" | "female" | "woman" | "femenino" | "féminin" | "feminin" => Some("female"),
        "other" | "x" => Some("other"),
        _ => None,
    }
}

/// A person is not a company, nor a vessel; organisations and companies are one kind here.
pub fn schema_feature(query: &str, kind: PartyKind, party: &Party) -> Option<Feature> {
    (kind != party.kind).then(|| Feature::SchemaMismatch {
        query: query.into(),
        listed: party.schema.into(),
        effect: SCHEMA_MISMATCH,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn effect(feature: Option<Feature>) -> Option<f64> {
        match feature? {
            Feature::BirthDate { effect, .. }
            | Feature::Country { effect, .. }
            | Feature::Gender { effect, .. } => Some(effect),
            _ => None,
        }
    }

    #[test]
    fn birth_dates_compare_by_day_then_year() {
        let listed = ["1954-12-25".to_string()];
        assert_eq!(
            effect(birth_date_feature("1954-12-25", &listed)),
            Some(0.05)
        );
        assert_eq!(effect(birth_date_feature("1954", &listed)), Some(0.03));
        assert_eq!(effect(birth_date_feature("1955-01-01", &listed)), Some(0.0));
        assert_eq!(effect(birth_date_feature("1970", &listed)), Some(-0.15));
        assert_eq!(effect(birth_date_feature("unknown", &listed)), None);
        assert_eq!(effect(birth_date_feature("1970", &[])), None);
    }

    #[test]
    fn countries_compare_by_code() {
        let listed = ["mx".to_string()];
        assert_eq!(effect(country_feature("Mexico", &listed)), Some(0.02));
        assert_eq!(effect(country_feature("mx", &listed)), Some(0.02));
        assert_eq!(effect(country_feature("Colombia", &listed)), Some(-0.05));
        assert_eq!(effect(country_feature("Atlantis", &listed)), None);
    }

    #[test]
    fn genders_only_take_away() {
        let listed = ["male".to_string()];
        assert_eq!(effect(gender_feature("M", &listed)), Some(0.0));
        assert_eq!(effect(gender_feature("female", &listed)), Some(-0.1));
        assert_eq!(effect(gender_feature("unknown", &listed)), None);
        assert_eq!(effect(gender_feature("female", &[])), None);
    }
}
