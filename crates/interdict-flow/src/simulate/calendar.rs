//! Time: the days of a run and the times of day rows fall at.

use rand::Rng;
use time::{Date, Duration, Weekday};

use super::MINUTES_PER_DAY;
use super::row::Line;
use super::sampling::Alias;

/// Days of the run: the date prefix of their timestamps, their kind, and the share of all rows
/// written by their end (weekends are quieter).
pub(super) struct Calendar {
    days: Vec<CalendarDay>,
}

pub(super) struct CalendarDay {
    prefix: [u8; 11],
    pub(super) weekday: Weekday,
    pub(super) day_of_month: u8,
    /// Which of two alternating weeks the day is in: biweekly payrolls pay on one or the other.
    pub(super) odd_week: bool,
    rows_by_end: u64,
}

impl CalendarDay {
    fn new(date: Date, rows_by_end: u64) -> CalendarDay {
        let mut prefix = [0u8; 11];
        let text = format!(
            "{:04}/{:02}/{:02} ",
            date.year(),
            date.month() as u8,
            date.day()
        );
        prefix.copy_from_slice(&text.as_bytes()[..11]);
        CalendarDay {
            prefix,
            weekday: date.weekday(),
            day_of_month: date.day(),
            odd_week: date.to_julian_day().div_euclid(7) % 2 == 1,
            rows_by_end,
        }
    }
}

impl Calendar {
    pub(super) fn new(start: Date, days: u32, rows: u64) -> Calendar {
        let weight = |date: Date| match date.weekday() {
            Weekday::Saturday => 0.6,
            Weekday::Sunday => 0.5,
            _ => 1.0,
        };
        let dates: Vec<Date> = (0..days)
            .map_while(|d| start.checked_add(Duration::days(i64::from(d))))
            .collect();
        let total: f64 = dates.iter().map(|&d| weight(d)).sum();
        let mut cumulative = 0.0;
        let days = dates
            .iter()
            .map(|&date| {
                cumulative += weight(date);
                CalendarDay::new(date, (rows as f64 * cumulative / total).round() as u64)
            })
            .collect();
        Calendar { days }
    }

    pub(super) fn days(&self) -> u32 {
        self.days.len() as u32
    }

    pub(super) fn last_minute(&self) -> u32 {
        self.days() * MINUTES_PER_DAY - 1
    }

    pub(super) fn day(&self, day: u32) -> &CalendarDay {
        &self.days[day as usize]
    }

    pub(super) fn prefix(&self, day: u32) -> [u8; 11] {
        self.days[day as usize].prefix
    }

    /// Rows written by the end of `day`, all days together.
    pub(super) fn rows_by_end(&self, day: u32) -> u64 {
        self.days[day as usize].rows_by_end
    }

    pub(super) fn is_business(&self, day: u32) -> bool {
        !matches!(
            self.days[day as usize].weekday,
            Weekday::Saturday | Weekday::Sunday
        )
    }

    /// The timestamp of `minute`, as written.
    pub(super) fn timestamp(&self, minute: u32) -> String {
        let mut line = Line::default();
        line.timestamp(self, minute);
        String::from_utf8_lossy(line.as_bytes()).into_owned()
    }
}

/// Times of day, weighted to business hours.
pub(super) struct Clock {
    hours: Alias,
}

impl Clock {
    const HOUR_WEIGHTS: [f64; 24] = [
        0.3, 0.2, 0.15, 0.15, 0.2, 0.3, 0.6, 1.0, 1.5, 1.9, 2.0, 2.0, 1.9, 1.9, 1.9, 1.8, 1.6, 1.4,
        1.2, 1.0, 0.9, 0.7, 0.5, 0.4,
    ];

    pub(super) fn new() -> Clock {
        Clock {
            hours: Alias::new(&Self::HOUR_WEIGHTS),
        }
    }

    /// Minutes past midnight.
    pub(super) fn minute(&self, rng: &mut impl Rng) -> u32 {
        self.hours.sample(rng) * 60 + rng.random_range(0..60)
    }

    /// A minute in `lo..=hi`, at a business-weighted time of day when the span is a day or more.
    pub(super) fn instant(&self, rng: &mut impl Rng, lo: u32, hi: u32) -> u32 {
        if hi - lo >= MINUTES_PER_DAY {
            for _ in 0..8 {
                let day = rng.random_range(lo / MINUTES_PER_DAY..=hi / MINUTES_PER_DAY);
                let minute = day * MINUTES_PER_DAY + self.minute(rng);
                if (lo..=hi).contains(&minute) {
                    return minute;
                }
            }
        }
        rng.random_range(lo..=hi)
    }

    /// `n` increasing minutes in `lo..=hi`, strictly so when the span holds `n` minutes.
    pub(super) fn times(&self, rng: &mut impl Rng, lo: u32, hi: u32, n: usize) -> Vec<u32> {
        let top = hi.saturating_sub(n as u32).max(lo);
        let mut times: Vec<u32> = (0..n).map(|_| self.instant(rng, lo, top)).collect();
        times.sort_unstable();
        for i in 1..times.len() {
            times[i] = times[i].max(times[i - 1] + 1).min(hi);
        }
        times
    }
}
