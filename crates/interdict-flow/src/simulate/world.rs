//! The world: banks, accounts and their standing relationships (employers, utilities,
//! merchants), built once from the seed.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rustc_hash::FxHashSet;

use super::calendar::Clock;
use super::config::Config;
use super::row::{Currency, Format};
use super::sampling::{Alias, lognormal, pareto_weights};

struct Bank {
    id: String,
    currency: Currency,
}

struct Account {
    id: [u8; 9],
    bank: u32,
    company: bool,
}

pub(super) struct Employer {
    pub(super) account: u32,
    pub(super) staff: std::ops::Range<usize>,
    pub(super) minute: u32,
}

/// Salaries: employers, their staff (in one array) and what each is paid per payday.
pub(super) struct Payroll {
    pub(super) employers: Vec<Employer>,
    pub(super) staff: Vec<u32>,
    pub(super) pay: Vec<f64>,
    pub(super) monthly: Vec<Vec<u32>>,
    pub(super) biweekly: [Vec<u32>; 2],
}

pub(super) struct Bill {
    pub(super) payer: u32,
    pub(super) biller: u32,
    pub(super) dollars: f64,
    pub(super) minute: u32,
    pub(super) format: Format,
}

pub(super) struct World {
    banks: Vec<Bank>,
    accounts: Vec<Account>,
    /// Each account's currency (its bank's), apart from the accounts: a byte per account stays
    /// in cache where the accounts themselves do not, and most rows look it up twice.
    currencies: Vec<Currency>,
    /// Individuals, by how much they spend.
    pub(super) spenders: Alias,
    /// Companies, by size.
    pub(super) firms: Alias,
    /// Companies selling to individuals, by popularity.
    pub(super) merchants: Alias,
    pub(super) payroll: Payroll,
    /// Bills by day of the month (1..=28; 0 unused).
    pub(super) bills: Vec<Vec<Bill>>,
}

impl World {
    pub(super) fn build(config: &Config) -> World {
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
        rng.set_stream(0);
        let banks = build_banks(&mut rng, (config.accounts / 500).max(20));
        let accounts = build_accounts(&mut rng, &banks, config.accounts);
        let (individuals, companies): (Vec<u32>, Vec<u32>) =
            (0..accounts.len() as u32).partition(|&a| !accounts[a as usize].company);
        let spend: Vec<f64> = individuals
            .iter()
            .map(|_| lognormal(&mut rng, 1.0, 1.0))
            .collect();
        let firms = Alias::of(&companies, &pareto_weights(&mut rng, companies.len(), 1.2));
        let mut shuffled = companies.clone();
        shuffled.shuffle(&mut rng);
        let (utilities, rest) = shuffled.split_at((companies.len() / 100).max(3));
        let merchants = &rest[..rest.len() / 2];
        let utilities = Alias::of(utilities, &pareto_weights(&mut rng, utilities.len(), 1.1));
        let merchants = Alias::of(merchants, &pareto_weights(&mut rng, merchants.len(), 1.1));
        let payroll = build_payroll(&mut rng, &individuals, &firms);
        let bills = build_bills(&mut rng, &individuals, &utilities, &Clock::new());
        let currencies = accounts
            .iter()
            .map(|a| banks[a.bank as usize].currency)
            .collect();
        World {
            banks,
            accounts,
            currencies,
            spenders: Alias::of(&individuals, &spend),
            firms,
            merchants,
            payroll,
            bills,
        }
    }

    /// Accounts in the world; each is numbered below this.
    pub(super) fn account_count(&self) -> usize {
        self.accounts.len()
    }

    pub(super) fn bank_count(&self) -> usize {
        self.banks.len()
    }

    pub(super) fn bank_of(&self, account: u32) -> u32 {
        self.accounts[account as usize].bank
    }

    pub(super) fn bank_id(&self, account: u32) -> &[u8] {
        self.banks[self.bank_of(account) as usize].id.as_bytes()
    }

    /// The account's id as written, unique within its bank.
    pub(super) fn account_id(&self, account: u32) -> &[u8] {
        &self.accounts[account as usize].id
    }

    pub(super) fn currency_of(&self, account: u32) -> Currency {
        self.currencies[account as usize]
    }

    pub(super) fn is_company(&self, account: u32) -> bool {
        self.accounts[account as usize].company
    }
}

/// Banks with AMLworld-like ids: three digits (`010`) for every third of the ninety largest, a
/// zero and three to six digits (`021174`) for the others, so that even a small world has both.
/// The ten largest are American.
fn build_banks(rng: &mut ChaCha8Rng, n: usize) -> Vec<Bank> {
    let mut short: Vec<u32> = (1..=999).collect();
    short.shuffle(rng);
    let mut seen = FxHashSet::default();
    let currencies = Alias::new(&Currency::BANKS.map(|(_, w)| w));
    (0..n)
        .map(|b| {
            let id = if b < 90 && b.is_multiple_of(3) {
                format!("{:03}", short[b])
            } else {
                loop {
                    let digits = rng.random_range(3..=6);
                    let id = format!(
                        "0{}",
                        rng.random_range(10u32.pow(digits - 1)..10u32.pow(digits))
                    );
                    if seen.insert(id.clone()) {
                        break id;
                    }
                }
            };
            let currency = if b < 10 {
                Currency::UsDollar
            } else {
                Currency::BANKS[currencies.sample(rng) as usize].0
            };
            Bank { id, currency }
        })
        .collect()
}

/// Accounts at banks of Zipf-distributed sizes; every fifth is a company. Ids are unique within a
/// bank only: each bank numbers its accounts from a random offset through a bijective scramble,
/// so an id may recur at another bank.
fn build_accounts(rng: &mut ChaCha8Rng, banks: &[Bank], n: usize) -> Vec<Account> {
    const MASK: u32 = (1 << 27) - 1;
    let sizes: Vec<f64> = (0..banks.len()).map(|b| 1.0 / (b + 1) as f64).collect();
    let choose = Alias::new(&sizes);
    let offsets: Vec<u32> = banks.iter().map(|_| rng.random::<u32>() & MASK).collect();
    let mut next = vec![0u32; banks.len()];
    (0..n)
        .map(|i| {
            let bank = choose.sample(rng) as usize;
            let local = (offsets[bank] + next[bank]) & MASK;
            next[bank] += 1;
            let number = 0x8_0000_0000u64 + (u64::from(scramble(local)) << 4);
            let mut id = [0u8; 9];
            id.copy_from_slice(format!("{number:09X}").as_bytes());
            Account {
                id,
                bank: bank as u32,
                company: i % 5 == 0,
            }
        })
        .collect()
}

/// A bijection of 27-bit numbers, so consecutive accounts get unrelated-looking ids.
fn scramble(x: u32) -> u32 {
    const MASK: u32 = (1 << 27) - 1;
    let x = x.wrapping_mul(0x2C1B_3C6D) & MASK;
    let x = x ^ (x >> 13);
    x.wrapping_mul(0x0297_A2D5) & MASK
}

/// 62.5% of individuals (the US labour-force participation AMLworld uses) work for a company
/// chosen by size; employers pay monthly (60%) or every other Friday, in one early-morning batch.
fn build_payroll(rng: &mut ChaCha8Rng, individuals: &[u32], firms: &Alias) -> Payroll {
    let mut jobs: Vec<(u32, u32, f64)> = Vec::new();
    for &person in individuals {
        if rng.random_bool(0.625) {
            let annual = lognormal(rng, 52_000.0, 0.6).clamp(12_000.0, 2_000_000.0);
            jobs.push((firms.sample(rng), person, annual));
        }
    }
    jobs.sort_by_key(|&(employer, _, _)| employer);
    let mut payroll = Payroll {
        employers: Vec::new(),
        staff: jobs.iter().map(|j| j.1).collect(),
        pay: Vec::with_capacity(jobs.len()),
        monthly: vec![Vec::new(); 29],
        biweekly: [Vec::new(), Vec::new()],
    };
    for group in jobs.chunk_by(|a, b| a.0 == b.0) {
        let start = payroll.pay.len();
        let index = payroll.employers.len() as u32;
        let periods = if rng.random_bool(0.6) {
            let day = [1, 15, 25, 28, rng.random_range(1..=28)][rng.random_range(0..5)];
            payroll.monthly[day as usize].push(index);
            12.0
        } else {
            payroll.biweekly[usize::from(rng.random_bool(0.5))].push(index);
            26.0
        };
        payroll.pay.extend(group.iter().map(|j| j.2 / periods));
        let minute = rng.random_range(0..360);
        payroll.employers.push(Employer {
            account: group[0].0,
            staff: start..payroll.pay.len(),
            minute,
        });
    }
    payroll
}

/// Every individual pays one to three utilities a month, on a fixed day, by ACH or cheque.
fn build_bills(
    rng: &mut ChaCha8Rng,
    individuals: &[u32],
    utilities: &Alias,
    clock: &Clock,
) -> Vec<Vec<Bill>> {
    let mut bills: Vec<Vec<Bill>> = (0..29).map(|_| Vec::new()).collect();
    for &payer in individuals {
        for _ in 0..rng.random_range(1..=3) {
            let bill = Bill {
                payer,
                biller: utilities.sample(rng),
                dollars: lognormal(rng, 95.0, 0.7).clamp(5.0, 3_000.0),
                minute: clock.minute(rng),
                format: if rng.random_bool(0.65) {
                    Format::Ach
                } else {
                    Format::Cheque
                },
            };
            bills[rng.random_range(1..=28)].push(bill);
        }
    }
    bills
}
