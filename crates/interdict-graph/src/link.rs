//! Links between parties as they come in (FtM `Ownership`, `Directorship`, `Family`, …), checked
//! one by one: a percentage out of range is refused, a doubtful one is reported.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Serialize;
use thiserror::Error;

/// What a link says about two parties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// `from` holds `percentage` of `to`.
    Ownership,
    /// `from` controls `to` without (enough) ownership: majority voting rights, a controlling
    /// shareholder agreement.
    Control,
    /// `from` is a director or officer of `to`.
    Directorship,
    Family,
    Associate,
    Membership,
    /// OFAC's `Linked To:`: a link of unstated kind.
    Unknown,
}

impl LinkKind {
    /// The kind for an FtM interval schema, if it links parties.
    pub fn of_schema(schema: &str) -> Option<LinkKind> {
        Some(match schema {
            "Ownership" => LinkKind::Ownership,
            "Directorship" => LinkKind::Directorship,
            "Family" => LinkKind::Family,
            "Associate" => LinkKind::Associate,
            "Membership" => LinkKind::Membership,
            "UnknownLink" => LinkKind::Unknown,
            _ => return None,
        })
    }

    /// Whether the link can make `to` blocked when `from` is, in the EU/UK "owned or
    /// controlled" reading (ownership is counted apart, by percentage).
    pub fn controls(self) -> bool {
        matches!(self, LinkKind::Control | LinkKind::Directorship)
    }
}

/// One link, as loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Where the link was read (an entity id, or `file.csv:12`), for explanations and errors.
    pub source: String,
    pub kind: LinkKind,
    /// The owner, controller, director, relative or associate.
    pub from: String,
    /// The asset, the controlled entity, the organisation, the other relative.
    pub to: String,
    /// The share held, for ownership: 0 to 100.
    pub percentage: Option<Decimal>,
    /// ISO dates (or their prefixes: `2019`, `2019-05`) between which the link holds.
    pub start: Option<String>,
    pub end: Option<String>,
}

/// A link that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LinkError {
    #[error("{at}: percentage {value:?} is not a number")]
    NotANumber { at: String, value: String },
    #[error("{at}: percentage {value} is outside 0..100")]
    OutOfRange { at: String, value: Decimal },
    #[error("{at}: {id} is linked to itself")]
    SelfLink { at: String, id: String },
    #[error("{at}: no {side} entity")]
    MissingEnd { at: String, side: &'static str },
}

/// Something doubtful about the data that does not stop the computation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub source: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.message)
    }
}

/// Reads a percentage as registries write it: `50`, `50.5`, `50,5`, `50 %`, `0.5%`.
pub fn parse_percentage(source: &str, raw: &str) -> Result<Decimal, LinkError> {
    let text = raw.trim().trim_end_matches('%').trim();
    let text = if text.contains(',') && !text.contains('.') {
        text.replace(',', ".")
    } else {
        text.to_string()
    };
    let value = Decimal::from_str(&text).map_err(|_| LinkError::NotANumber {
        at: source.into(),
        value: raw.into(),
    })?;
    check_percentage(source, value)
}

pub(crate) fn check_percentage(source: &str, value: Decimal) -> Result<Decimal, LinkError> {
    if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED {
        return Err(LinkError::OutOfRange {
            at: source.into(),
            value,
        });
    }
    Ok(value.normalize())
}

impl Link {
    /// Checks a link on its own: both ends named, not to itself, a percentage in range.
    pub fn check(&self) -> Result<(), LinkError> {
        for (side, id) in [("from", &self.from), ("to", &self.to)] {
            if id.trim().is_empty() {
                return Err(LinkError::MissingEnd {
                    at: self.source.clone(),
                    side,
                });
            }
        }
        if self.from == self.to {
            return Err(LinkError::SelfLink {
                at: self.source.clone(),
                id: self.from.clone(),
            });
        }
        if let Some(p) = self.percentage {
            check_percentage(&self.source, p)?;
        }
        Ok(())
    }

    /// Whether the link holds on `as_of` (an ISO date); with no date, every link counts (callers
    /// pass today for the present). A date given only as a year or a month holds for all of it.
    pub fn in_force(&self, as_of: Option<&str>) -> bool {
        holds(self.start.as_deref(), self.end.as_deref(), as_of)
    }
}

/// Whether dates `start..=end` (either open, either a prefix of an ISO date or a timestamp)
/// hold on `as_of`. Each bound is compared with `as_of` to the precision both have, so a
/// year holds for all of it and a timestamp for its day.
pub(crate) fn holds(start: Option<&str>, end: Option<&str>, as_of: Option<&str>) -> bool {
    let Some(day) = as_of else {
        return true;
    };
    let common = |bound: &str| {
        let n = bound.len().min(day.len());
        match (bound.get(..n), day.get(..n)) {
            (Some(b), Some(d)) => Some((b.to_string(), d.to_string())),
            _ => None,
        }
    };
    let started = start.is_none_or(|s| common(s).is_none_or(|(s, d)| s <= d));
    let not_ended = end.is_none_or(|e| common(e).is_none_or(|(e, d)| d <= e));
    started && not_ended
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_read_as_registries_write_them() {
        let p = |s: &str| parse_percentage("t", s);
        assert_eq!(p("50").unwrap(), Decimal::from(50));
        assert_eq!(p(" 33,5 % ").unwrap(), Decimal::from_str("33.5").unwrap());
        assert_eq!(p("12.50").unwrap().to_string(), "12.5");
        assert!(matches!(p("100.01"), Err(LinkError::OutOfRange { .. })));
        assert!(matches!(p("-1"), Err(LinkError::OutOfRange { .. })));
        assert!(matches!(p("half"), Err(LinkError::NotANumber { .. })));
    }

    #[test]
    fn dates_bound_a_link_inclusively() {
        let link = Link {
            source: "t".into(),
            kind: LinkKind::Ownership,
            from: "a".into(),
            to: "b".into(),
            percentage: None,
            start: Some("2019".into()),
            end: Some("2021-06".into()),
        };
        assert!(!link.in_force(Some("2018-12-31")));
        assert!(link.in_force(Some("2019-01-01")));
        assert!(link.in_force(Some("2021-06-30")));
        assert!(!link.in_force(Some("2021-07-01")));
        assert!(link.in_force(None));
        let timed = Link {
            start: Some("2024-03-01T09:00".into()),
            end: None,
            ..link
        };
        assert!(timed.in_force(Some("2024-03-01")));
        assert!(!timed.in_force(Some("2024-02-29")));
        assert!(timed.in_force(Some("é")), "a malformed date never panics");
    }
}
