//! Dates: prefixdate's reading of an ISO 8601 prefix.

use std::borrow::Cow;

use super::text::is_word;
use super::{Held, reject};

/// Offsets into `YYYY-MM-DDTHH:MM:SS` of each precision.
const YEAR: usize = 4;
const MONTH: usize = 7;
const DAY: usize = 10;
const HOUR: usize = 13;
const MINUTE: usize = 16;
const SECOND: usize = 19;

/// The parts prefixdate reads from the start of a text.
#[derive(Default)]
struct DateParts {
    year: u32,
    month: Option<u32>,
    day: Option<u32>,
    hour: Option<u32>,
    minute: Option<u32>,
    second: Option<u32>,
    /// Minutes east of UTC.
    offset: Option<i32>,
}

/// A cursor over a date text, mirroring prefixdate's regular expression.
struct DateScan<'a> {
    text: &'a str,
    pos: usize,
}

impl DateScan<'_> {
    fn digits(&self, at: usize, max: usize) -> usize {
        self.text.as_bytes()[at.min(self.text.len())..]
            .iter()
            .take(max)
            .take_while(|b| b.is_ascii_digit())
            .count()
    }

    /// Whether a word boundary follows a digit ending at `at`.
    fn boundary(&self, at: usize) -> bool {
        self.text[at..].chars().next().is_none_or(|c| !is_word(c))
    }

    fn number(&self, at: usize, len: usize) -> u32 {
        self.text[at..at + len].parse().unwrap_or(0)
    }

    /// `sep` then one or two digits ending at a word boundary.
    fn field(&mut self, sep: &[u8]) -> Option<u32> {
        let at = self.pos + 1;
        if !sep.contains(self.text.as_bytes().get(self.pos)?) {
            return None;
        }
        let len = self.digits(at, 3);
        if !(1..=2).contains(&len) || !self.boundary(at + len) {
            return None;
        }
        self.pos = at + len;
        Some(self.number(at, len))
    }

    fn parse(text: &str) -> Option<DateParts> {
        let mut scan = DateScan { text, pos: 0 };
        let b = text.as_bytes();
        if b.len() < 4
            || !matches!(b[0], b'1' | b'2')
            || scan.digits(1, 3) != 3
            || !scan.boundary(4)
        {
            return None;
        }
        let mut parts = DateParts {
            year: scan.number(0, 4),
            ..DateParts::default()
        };
        scan.pos = 4;
        parts.month = scan.field(b"-");
        if parts.month.is_none() || b.get(scan.pos) != Some(&b'-') {
            return Some(parts);
        }
        let len = scan.digits(scan.pos + 1, 2);
        if len == 0 {
            return Some(parts);
        }
        parts.day = Some(scan.number(scan.pos + 1, len));
        scan.pos += 1 + len;
        parts.hour = scan.field(b"T ");
        parts.minute = parts.hour.and_then(|_| scan.field(b":"));
        parts.second = parts.minute.and_then(|_| scan.field(b":"));
        if parts.second.is_some() {
            scan.fraction();
            parts.offset = scan.offset();
        }
        Some(parts)
    }

    /// `.` and four to six digits, which prefixdate reads past and drops.
    fn fraction(&mut self) {
        if self.text.as_bytes().get(self.pos) == Some(&b'.') {
            let len = self.digits(self.pos + 1, 7);
            if (4..=6).contains(&len) && self.boundary(self.pos + 1 + len) {
                self.pos += 1 + len;
            }
        }
    }

    /// `Z`, or `+HH:MM` / `+HHMM`; prefixdate ignores an offset without minutes.
    fn offset(&mut self) -> Option<i32> {
        let b = self.text.as_bytes();
        let sign = match b.get(self.pos)? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let at = self.pos + 1;
        if self.digits(at, 2) != 2 {
            return None;
        }
        let minutes_at =
            if b.get(at + 2) == Some(&b':') && self.digits(at + 3, 2) == 2 && self.boundary(at + 5)
            {
                at + 3
            } else if self.digits(at + 2, 2) == 2 && self.boundary(at + 4) {
                at + 2
            } else {
                return None;
            };
        let minutes = self.number(at, 2) * 60 + self.number(minutes_at, 2);
        Some(sign * minutes as i32)
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

pub(super) fn date(text: &str) -> Held<'_> {
    let Some(parts) = DateScan::parse(text) else {
        return reject("not a date FtM can read");
    };
    // A missing or zero part lowers the precision and reads as its lowest value.
    let mut precision = SECOND;
    let mut part = |value: Option<u32>, lowest: u32, cut: usize| match value {
        Some(v) if v >= lowest => v,
        _ => {
            precision = precision.min(cut);
            lowest
        }
    };
    let (year, month, day) = (
        parts.year,
        part(parts.month, 1, YEAR),
        part(parts.day, 1, MONTH),
    );
    let (hour, minute, second) = (
        part(parts.hour, 0, DAY),
        part(parts.minute, 0, HOUR),
        part(parts.second, 0, MINUTE),
    );
    if month > 12 || day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 59 {
        return reject("not a real date");
    }
    let mut stamp = [year, month, day, hour, minute, second];
    if let Some(offset) = parts.offset.filter(|o| o.abs() < 24 * 60 && *o != 0) {
        to_utc(&mut stamp, offset);
    }
    let [year, month, day, hour, minute, second] = stamp;
    if !(1000..=2999).contains(&year) {
        // FtM would write the year with a zero or a 3, and then not read it back.
        return reject("date out of range after conversion to UTC");
    }
    let full = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
    let held = &full[..precision];
    if text.starts_with(held) {
        return Ok(Cow::Borrowed(&text[..precision]));
    }
    Ok(Cow::Owned(held.to_owned()))
}

/// Moves a local time `offset` minutes east of UTC to UTC.
fn to_utc(stamp: &mut [u32; 6], offset: i32) {
    let [year, month, day, hour, minute, _] = stamp;
    let minutes = *hour as i32 * 60 + *minute as i32 - offset;
    let day_shift = minutes.div_euclid(24 * 60);
    let minutes = minutes.rem_euclid(24 * 60);
    (*hour, *minute) = ((minutes / 60) as u32, (minutes % 60) as u32);
    if day_shift < 0 {
        if *day > 1 {
            *day -= 1;
        } else if *month > 1 {
            *month -= 1;
            *day = days_in_month(*year, *month);
        } else {
            (*year, *month, *day) = (*year - 1, 12, 31);
        }
    } else if day_shift > 0 {
        if *day < days_in_month(*year, *month) {
            *day += 1;
        } else if *month < 12 {
            (*month, *day) = (*month + 1, 1);
        } else {
            (*year, *month, *day) = (*year + 1, 1, 1);
        }
    }
}
