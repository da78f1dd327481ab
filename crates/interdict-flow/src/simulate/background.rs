//! The background: each day's ordinary payments, salaries and bills, with honest look-alikes
//! of the laundering typologies.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::Weekday;

use super::MINUTES_PER_DAY;
use super::calendar::{Calendar, Clock};
use super::row::{Currency, Format, Row};
use super::run::Pending;
use super::sampling::{Alias, lognormal};
use super::world::World;

/// Ordinary payments, by share of the rows that are not salaries or bills. The shares follow
/// AMLworld's format mix (cheques, then cards, then ACH and cash).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Card,
    ChequePurchase,
    PersonToPerson,
    CashDeposit,
    Reinvestment,
    Invoice,
    Crypto,
    /// A company pays a supplier out of a customer's payment within hours: legitimate rapid
    /// in-and-out, so that pass-through detectors are tested for precision.
    Relay,
}

const KINDS: [(Kind, f64); 8] = [
    (Kind::Card, 0.307),
    (Kind::ChequePurchase, 0.29),
    (Kind::PersonToPerson, 0.11),
    (Kind::CashDeposit, 0.111),
    (Kind::Reinvestment, 0.044),
    (Kind::Invoice, 0.11),
    (Kind::Crypto, 0.022),
    (Kind::Relay, 0.006),
];

/// How people pay one another, and companies their invoices.
const PERSON_TO_PERSON: [Format; 6] = [
    Format::Cheque,
    Format::Cheque,
    Format::Cheque,
    Format::Ach,
    Format::Ach,
    Format::Wire,
];
const INVOICE: [Format; 5] = [
    Format::Cheque,
    Format::Cheque,
    Format::Cheque,
    Format::Ach,
    Format::Wire,
];

/// Rows between accounts whose banks use different currencies are converted this often.
const CROSS_CURRENCY: f64 = 0.05;
/// Share of cash deposits of 9,000 to 9,999.99: honest deposits just below the threshold.
const NEAR_THRESHOLD_CASH: f64 = 0.004;
/// Share of cash deposits paid in at another bank by someone else (a relative, an employee).
const THIRD_PARTY_CASH: f64 = 0.03;

pub(super) struct Background<'a> {
    world: &'a World,
    calendar: &'a Calendar,
    clock: &'a Clock,
    kinds: Alias,
    rng: ChaCha8Rng,
}

impl<'a> Background<'a> {
    pub(super) fn new(
        seed: u64,
        world: &'a World,
        calendar: &'a Calendar,
        clock: &'a Clock,
    ) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(1);
        let kinds = Alias::new(&KINDS.map(|(_, w)| w));
        Background {
            world,
            calendar,
            clock,
            kinds,
            rng,
        }
    }

    /// Salaries and bills due on `day`.
    pub(super) fn scheduled(&mut self, day: u32, rows: &mut Vec<Row>) {
        self.salaries(day, rows);
        self.bills(day, rows);
    }

    /// Monthly payrolls on their day, or on the Monday after when it fell on the weekend;
    /// biweekly ones on every other Friday.
    fn salaries(&mut self, day: u32, rows: &mut Vec<Row>) {
        let info = self.calendar.day(day);
        let payroll = &self.world.payroll;
        let mut paying: Vec<u32> = Vec::new();
        if self.calendar.is_business(day) {
            let dom = usize::from(info.day_of_month);
            paying.extend(payroll.monthly.get(dom).into_iter().flatten());
            if info.weekday == Weekday::Monday {
                for weekend in [dom.saturating_sub(1), dom.saturating_sub(2)] {
                    paying.extend(payroll.monthly.get(weekend).into_iter().flatten());
                }
            }
        }
        if info.weekday == Weekday::Friday {
            paying.extend(&payroll.biweekly[usize::from(info.odd_week)]);
        }
        let midnight = day * MINUTES_PER_DAY;
        for employer in paying.iter().map(|&e| &payroll.employers[e as usize]) {
            for i in employer.staff.clone() {
                let minute = midnight + employer.minute + (i % 7) as u32;
                rows.push(self.transfer(
                    minute,
                    employer.account,
                    payroll.staff[i],
                    payroll.pay[i],
                    Format::Ach,
                ));
            }
        }
    }

    /// The bills due on `day`'s day of the month, each within a fifth of its usual amount.
    fn bills(&mut self, day: u32, rows: &mut Vec<Row>) {
        let info = self.calendar.day(day);
        let midnight = day * MINUTES_PER_DAY;
        for bill in self
            .world
            .bills
            .get(usize::from(info.day_of_month))
            .into_iter()
            .flatten()
        {
            let dollars = bill.dollars * self.rng.random_range(0.8..=1.2);
            rows.push(self.transfer(
                midnight + bill.minute,
                bill.payer,
                bill.biller,
                dollars,
                bill.format,
            ));
        }
    }

    /// `n` ordinary rows on `day`; a relay's second leg may fall on a later day.
    pub(super) fn filler(&mut self, day: u32, n: u64, rows: &mut Vec<Row>, pending: &mut Pending) {
        let mut left = n;
        while left > 0 {
            let minute = day * MINUTES_PER_DAY + self.clock.minute(&mut self.rng);
            let kind = KINDS[self.kinds.sample(&mut self.rng) as usize].0;
            if kind == Kind::Relay
                && left >= 2
                && let Some((first, second)) = self.relay(minute)
            {
                rows.push(first);
                if second.minute / MINUTES_PER_DAY == day {
                    rows.push(second);
                } else {
                    pending.push(second);
                }
                left -= 2;
                continue;
            }
            rows.push(self.single(kind, minute));
            left -= 1;
        }
    }

    fn single(&mut self, kind: Kind, minute: u32) -> Row {
        let w = self.world;
        let rng = &mut self.rng;
        match kind {
            Kind::Card => {
                let (from, to) = (w.spenders.sample(rng), w.merchants.sample(rng));
                let dollars = lognormal(rng, 40.0, 1.0).clamp(1.0, 20_000.0);
                self.transfer(minute, from, to, dollars, Format::CreditCard)
            }
            Kind::ChequePurchase => {
                let (from, to) = (w.spenders.sample(rng), w.merchants.sample(rng));
                let dollars = lognormal(rng, 180.0, 1.1);
                self.transfer(minute, from, to, dollars, Format::Cheque)
            }
            Kind::PersonToPerson => {
                let (from, to) = w.spenders.two(rng);
                let format = PERSON_TO_PERSON[rng.random_range(0..PERSON_TO_PERSON.len())];
                let dollars = lognormal(rng, 250.0, 1.2);
                self.transfer(minute, from, to, dollars, format)
            }
            Kind::CashDeposit => self.cash_deposit(minute),
            Kind::Reinvestment => {
                let firm = w.firms.sample(rng);
                let dollars = lognormal(rng, 8_000.0, 1.5);
                self.transfer(minute, firm, firm, dollars, Format::Reinvestment)
            }
            Kind::Invoice | Kind::Relay => {
                let (from, to) = w.firms.two(rng);
                let format = INVOICE[rng.random_range(0..INVOICE.len())];
                let dollars = lognormal(rng, 3_500.0, 1.4);
                self.transfer(minute, from, to, dollars, format)
            }
            Kind::Crypto => {
                let (from, to) = w.spenders.two(rng);
                let dollars = lognormal(rng, 1_500.0, 1.2);
                self.transfer(minute, from, to, dollars, Format::Bitcoin)
            }
        }
    }

    /// Cash into one's own account (AMLworld writes these with sender = receiver), now and then
    /// just below the threshold, or paid in at another bank by someone else.
    fn cash_deposit(&mut self, minute: u32) -> Row {
        let w = self.world;
        let rng = &mut self.rng;
        let (account, median) = if rng.random_bool(0.7) {
            (w.spenders.sample(rng), 300.0)
        } else {
            (w.firms.sample(rng), 1_500.0)
        };
        let dollars = if rng.random_bool(NEAR_THRESHOLD_CASH) {
            rng.random_range(9_000.0..10_000.0)
        } else {
            lognormal(rng, median, 1.1)
        };
        let mut depositor = account;
        if rng.random_bool(THIRD_PARTY_CASH) {
            let other = w.spenders.sample(rng);
            if w.bank_of(other) != w.bank_of(account) {
                depositor = other;
            }
        }
        let currency = w.currency_of(account);
        let cents = currency.cents(dollars);
        Row::plain(minute, depositor, account, cents, currency, Format::Cash)
    }

    /// A customer pays a company, which pays a supplier 60-97% of it within half an hour to
    /// twenty hours; none when the second leg would fall after the run.
    fn relay(&mut self, minute: u32) -> Option<(Row, Row)> {
        let w = self.world;
        let (customer, firm, supplier) = (
            w.firms.sample(&mut self.rng),
            w.firms.sample(&mut self.rng),
            w.firms.sample(&mut self.rng),
        );
        let later = minute + self.rng.random_range(30..=1_200);
        if later > self.calendar.last_minute() || firm == customer || firm == supplier {
            return None;
        }
        let format = Format::wire_or_ach(&mut self.rng);
        let dollars = lognormal(&mut self.rng, 6_000.0, 1.2);
        let onward = dollars * self.rng.random_range(0.6..=0.97);
        let first = self.transfer(minute, customer, firm, dollars, format);
        let second = self.transfer(later, firm, supplier, onward, format);
        Some((first, second))
    }

    /// A payment in the payer's currency; the payee's bank sometimes converts it.
    fn transfer(&mut self, minute: u32, from: u32, to: u32, dollars: f64, format: Format) -> Row {
        let (paid_in, received_in) = if format == Format::Bitcoin {
            (Currency::Bitcoin, Currency::Bitcoin)
        } else {
            let (mine, theirs) = (self.world.currency_of(from), self.world.currency_of(to));
            let converted = mine != theirs && self.rng.random_bool(CROSS_CURRENCY);
            (mine, if converted { theirs } else { mine })
        };
        let paid = paid_in.cents(dollars);
        let received = if received_in == paid_in {
            paid
        } else {
            received_in.cents(dollars)
        };
        Row {
            received,
            received_in,
            ..Row::plain(minute, from, to, paid, paid_in, format)
        }
    }
}
