//! ISO 8601 dates for serde without `time`'s serde feature: `YYYY-MM-DD` and
//! `YYYY-MM-DDTHH:MM:SS` (local time of the filer, no offset, as both formats expect).

use serde::{Deserialize, Deserializer, de::Error};
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{Date, PrimitiveDateTime};

pub(crate) const DATE: &[BorrowedFormatItem<'_>] = format_description!("[year]-[month]-[day]");
pub(crate) const DATE_TIME: &[BorrowedFormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");

pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let text = String::deserialize(d)?;
    Date::parse(&text, DATE).map_err(|e| D::Error::custom(format!("date {text:?}: {e}")))
}

pub(crate) mod option {
    use super::*;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(text) => Date::parse(&text, DATE)
                .map(Some)
                .map_err(|e| D::Error::custom(format!("date {text:?}: {e}"))),
        }
    }
}

pub(crate) mod datetime {
    use super::*;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<PrimitiveDateTime, D::Error> {
        let text = String::deserialize(d)?;
        PrimitiveDateTime::parse(&text, DATE_TIME)
            .map_err(|e| D::Error::custom(format!("date-time {text:?}: {e}")))
    }
}
