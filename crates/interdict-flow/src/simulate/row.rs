//! Rows, their currencies and payment formats, and how a row is written as a CSV line.

use rand::Rng;

use super::MINUTES_PER_DAY;
use super::calendar::Calendar;
use super::world::World;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Reinvestment,
    Cheque,
    CreditCard,
    Ach,
    Cash,
    Wire,
    Bitcoin,
}

impl Format {
    pub(super) const ALL: [Format; 7] = [
        Format::Reinvestment,
        Format::Cheque,
        Format::CreditCard,
        Format::Ach,
        Format::Cash,
        Format::Wire,
        Format::Bitcoin,
    ];

    /// A wire or an ACH transfer, as likely.
    pub(super) fn wire_or_ach(rng: &mut impl Rng) -> Format {
        if rng.random_bool(0.5) {
            Format::Wire
        } else {
            Format::Ach
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Format::Reinvestment => "Reinvestment",
            Format::Cheque => "Cheque",
            Format::CreditCard => "Credit Card",
            Format::Ach => "ACH",
            Format::Cash => "Cash",
            Format::Wire => "Wire",
            Format::Bitcoin => "Bitcoin",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Currency {
    UsDollar,
    Euro,
    UkPound,
    Yuan,
    Yen,
    Rupee,
    Ruble,
    CanadianDollar,
    AustralianDollar,
    SwissFranc,
    MexicanPeso,
    BrazilReal,
    Shekel,
    SaudiRiyal,
    Bitcoin,
}

impl Currency {
    /// The currencies of banks outside the ten largest (all US Dollar), with their weights.
    pub(super) const BANKS: [(Currency, f64); 14] = [
        (Currency::UsDollar, 6.0),
        (Currency::Euro, 1.2),
        (Currency::UkPound, 0.4),
        (Currency::Yuan, 0.4),
        (Currency::Yen, 0.3),
        (Currency::Rupee, 0.3),
        (Currency::Ruble, 0.2),
        (Currency::CanadianDollar, 0.3),
        (Currency::AustralianDollar, 0.2),
        (Currency::SwissFranc, 0.2),
        (Currency::MexicanPeso, 0.2),
        (Currency::BrazilReal, 0.1),
        (Currency::Shekel, 0.1),
        (Currency::SaudiRiyal, 0.1),
    ];

    pub(super) fn name(self) -> &'static str {
        match self {
            Currency::UsDollar => "US Dollar",
            Currency::Euro => "Euro",
            Currency::UkPound => "UK Pound",
            Currency::Yuan => "Yuan",
            Currency::Yen => "Yen",
            Currency::Rupee => "Rupee",
            Currency::Ruble => "Ruble",
            Currency::CanadianDollar => "Canadian Dollar",
            Currency::AustralianDollar => "Australian Dollar",
            Currency::SwissFranc => "Swiss Franc",
            Currency::MexicanPeso => "Mexican Peso",
            Currency::BrazilReal => "Brazil Real",
            Currency::Shekel => "Shekel",
            Currency::SaudiRiyal => "Saudi Riyal",
            Currency::Bitcoin => "Bitcoin",
        }
    }

    /// US Dollars per unit, roughly as in September 2022.
    fn dollars(self) -> f64 {
        match self {
            Currency::UsDollar => 1.0,
            Currency::Euro => 1.0,
            Currency::UkPound => 1.16,
            Currency::Yuan => 0.145,
            Currency::Yen => 0.0071,
            Currency::Rupee => 0.0125,
            Currency::Ruble => 0.0165,
            Currency::CanadianDollar => 0.76,
            Currency::AustralianDollar => 0.68,
            Currency::SwissFranc => 1.03,
            Currency::MexicanPeso => 0.05,
            Currency::BrazilReal => 0.19,
            Currency::Shekel => 0.29,
            Currency::SaudiRiyal => 0.266,
            Currency::Bitcoin => 20_000.0,
        }
    }

    /// A dollar amount in cents of this currency, at least one cent.
    pub(super) fn cents(self, dollars: f64) -> u64 {
        ((dollars / self.dollars()) * 100.0).round().max(1.0) as u64
    }
}

/// One transaction. Banks are not stored: every account belongs to one bank.
#[derive(Debug, Clone, Copy)]
pub(super) struct Row {
    /// Minutes since midnight of the first day.
    pub(super) minute: u32,
    pub(super) from: u32,
    pub(super) to: u32,
    pub(super) paid: u64,
    pub(super) received: u64,
    pub(super) paid_in: Currency,
    pub(super) received_in: Currency,
    pub(super) format: Format,
    pub(super) laundering: bool,
}

impl Row {
    /// A row, not laundering, that pays and receives `cents` in one currency.
    pub(super) fn plain(
        minute: u32,
        from: u32,
        to: u32,
        cents: u64,
        currency: Currency,
        format: Format,
    ) -> Row {
        Row {
            minute,
            from,
            to,
            paid: cents,
            received: cents,
            paid_in: currency,
            received_in: currency,
            format,
            laundering: false,
        }
    }
}

/// Appends `row` as one CSV line.
pub(super) fn format_row(out: &mut Vec<u8>, row: &Row, world: &World, calendar: &Calendar) {
    let mut line = Line::default();
    line.timestamp(calendar, row.minute);
    for account in [row.from, row.to] {
        line.put(b",");
        line.put(world.bank_id(account));
        line.put(b",");
        line.put(world.account_id(account));
    }
    for (cents, currency) in [(row.received, row.received_in), (row.paid, row.paid_in)] {
        line.put(b",");
        line.cents(cents);
        line.put(b",");
        line.put(currency.name().as_bytes());
    }
    line.put(b",");
    line.put(row.format.name().as_bytes());
    line.put(if row.laundering { b",1\n" } else { b",0\n" });
    out.extend_from_slice(line.as_bytes());
}

/// One row, assembled on the stack and appended at once: growing the output a byte at a time
/// costs a capacity check per byte, and formatting is most of the work of a run.
pub(super) struct Line {
    bytes: [u8; 192],
    len: usize,
}

impl Default for Line {
    fn default() -> Self {
        Line {
            bytes: [0; 192],
            len: 0,
        }
    }
}

impl Line {
    fn put(&mut self, bytes: &[u8]) {
        self.bytes[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    /// `YYYY/MM/DD HH:MM`.
    pub(super) fn timestamp(&mut self, calendar: &Calendar, minute: u32) {
        self.put(&calendar.prefix(minute / MINUTES_PER_DAY));
        self.two_digits(minute % MINUTES_PER_DAY / 60);
        self.put(b":");
        self.two_digits(minute % 60);
    }

    fn two_digits(&mut self, n: u32) {
        self.put(&[b'0' + (n / 10) as u8, b'0' + (n % 10) as u8]);
    }

    /// `123456` cents as `1234.56`.
    fn cents(&mut self, cents: u64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut whole = cents / 100;
        loop {
            at -= 1;
            digits[at] = b'0' + (whole % 10) as u8;
            whole /= 10;
            if whole == 0 {
                break;
            }
        }
        self.put(&digits[at..]);
        self.put(b".");
        self.two_digits((cents % 100) as u32);
    }

    pub(super) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}
