//! OFAC's date spellings (`17 Jul 1966`, `Mar 1960`, `1962`, `circa 1960`,
//! `1955 to 1958`) as ISO dates of the precision OFAC gives: `1966-07-17`,
//! `1960-03`, `1962`. FtM dates are prefixes, so a year stays a year.

/// One date as written: `17 Jul 1966`, `17 July 1966`, `Jul 1966`, `1966`.
pub(super) fn parse(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        [year] => year_of(year).map(|y| format!("{y:04}")),
        [month, year] => Some(format!("{:04}-{:02}", year_of(year)?, month_of(month)?)),
        [day, month, year] => {
            let (year, month) = (year_of(year)?, month_of(month)?);
            let day: u32 = day
                .parse()
                .ok()
                .filter(|d| (1..=days_in(year, month)).contains(d))?;
            Some(format!("{year:04}-{month:02}-{day:02}"))
        }
        _ => None,
    }
}

/// A birth date remark value: one date, `circa` a date, or a range (`A to B`,
/// `1979-1982`). A range gives its two ends; a range of whole years written
/// `01 Jan 1961 to 31 Dec 1962` gives the two years, which is what it means.
pub(super) fn parse_birth(text: &str) -> Option<Vec<String>> {
    let text = text.trim();
    let text = text.strip_prefix("circa ").unwrap_or(text);
    if let Some((from, to)) = text.split_once(" to ").or_else(|| year_range(text)) {
        let (from, to) = (from.trim(), to.trim());
        let whole_years = from.starts_with("01 Jan ") && to.starts_with("31 Dec ");
        let (from, to) = (parse(from)?, parse(to)?);
        if whole_years {
            return Some(vec![from[..4].to_string(), to[..4].to_string()]);
        }
        return Some(vec![from, to]);
    }
    parse(text).map(|d| vec![d])
}

/// `1979-1982`: two bare years joined by a hyphen.
fn year_range(text: &str) -> Option<(&str, &str)> {
    let (from, to) = text.split_once('-')?;
    (year_of(from).is_some() && year_of(to).is_some()).then_some((from, to))
}

fn year_of(text: &str) -> Option<u32> {
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|y| (1000..=2999).contains(y))
}

// OFAC abbreviates to three letters (`Sep`); a few rows spell the month out.
fn month_of(text: &str) -> Option<u32> {
    crate::month::number(text)
}

fn days_in(year: u32, month: u32) -> u32 {
    // Gregorian leap years, written so as to need nothing newer than Rust 1.85.
    let leap = matches!((year % 4, year % 100, year % 400), (0, 1.., _) | (_, _, 0));
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: Option<&[&str]>) {
        let got = parse_birth(input);
        let want = expect.map(|e| e.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(got, want, "{input}");
    }

    #[test]
    fn birth_dates_in_every_form_ofac_writes() {
        check("17 Jul 1966", Some(&["1966-07-17"]));
        check("1962", Some(&["1962"]));
        check("Mar 1960", Some(&["1960-03"]));
        check("circa 1960", Some(&["1960"]));
        check("circa 07 Jul 1966", Some(&["1966-07-07"]));
        check("1955 to 1958", Some(&["1955", "1958"]));
        check("Mar 1962 to Feb 1963", Some(&["1962-03", "1963-02"]));
        check("01 Jan 1961 to 31 Dec 1962", Some(&["1961", "1962"]));
        check(
            "05 Mar 1961 to 20 Dec 1962",
            Some(&["1961-03-05", "1962-12-20"]),
        );
        check("circa 1979-1982", Some(&["1979", "1982"]));
        check("10 October 1969", Some(&["1969-10-10"]));
        check("29 Feb 1964", Some(&["1964-02-29"]));
    }

    #[test]
    fn impossible_or_cut_dates_are_refused() {
        check("29 Feb 1963", None);
        check("32 Jan 1960", None);
        check("17 Jul 19", None);
        check("17 Foo 1966", None);
        check("1966 or so", None);
        check("", None);
    }
}
