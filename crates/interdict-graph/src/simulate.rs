//! Synthetic company registries for tests, demos and benchmarks: deterministic for a seed, shaped
//! like real ones.
//!
//! The shape: corporate groups of heavy-tailed size (most companies stand alone, a few groups
//! have hundreds of members), each a pyramid of a holding company over subsidiaries over
//! sub-subsidiaries, with chains, joint holdings by two group members and a few cross-holdings
//! back into the holding company (cycles). Most companies have one to three owners, a few have
//! many; shares are written as registries write them (`51`, `33.33`, `12.5`) and add up to 100% or
//! less per company, bar a few stale records. A few nominee persons and nominee companies hold
//! shares in hundreds or thousands of companies. There are directorships, a few family and
//! control links, start dates and past holdings with end dates. A small share of companies have
//! owners among the listed ids the spec names, so the 50% rule blocks some of them and, through
//! the pyramids, some of their subsidiaries.
//!
//! Ids: companies `sim-c-<n>`, persons and nominee persons `sim-p-<n>`; link sources
//! `sim-o-<n>`. Nothing here does I/O.
//!
//! ```
//! use interdict_graph::simulate::{RegistrySpec, registry};
//!
//! let spec = RegistrySpec { companies: 1_000, seed: 7, ..RegistrySpec::default() };
//! let registry = registry(&spec);
//! assert_eq!(registry.companies.len(), 1_000);
//! assert!(registry.links.iter().all(|l| l.check().is_ok()));
//! ```

use std::collections::VecDeque;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use crate::link::{Link, LinkKind};

/// What registry to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct RegistrySpec {
    pub companies: usize,
    pub seed: u64,
    /// Ids of designated parties to link in as owners (and, now and then, directors).
    pub listed: Vec<String>,
    /// Links per company on average (ownership, directorships, a few others); about 3 in real
    /// registries.
    pub edges_per_company: f64,
    /// The share of companies that get an owner among `listed` (when there are any).
    pub listed_share: f64,
}

impl Default for RegistrySpec {
    fn default() -> Self {
        RegistrySpec {
            companies: 10_000,
            seed: 0,
            listed: Vec::new(),
            edges_per_company: 3.0,
            listed_share: 0.003,
        }
    }
}

/// A generated registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registry {
    pub companies: Vec<Company>,
    pub links: Vec<Link>,
}

/// A registered company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    pub id: String,
    pub name: String,
    /// ISO 3166 alpha-2, lowercase.
    pub country: String,
    pub registration_number: String,
}

/// One item of a registry as it is generated: each company comes before the links into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Company(Company),
    Link(Link),
}

/// Generates a whole registry in memory.
pub fn registry(spec: &RegistrySpec) -> Registry {
    let mut registry = Registry {
        companies: Vec::with_capacity(spec.companies),
        links: Vec::with_capacity((spec.companies as f64 * spec.edges_per_company * 1.05) as usize),
    };
    for record in stream(spec) {
        match record {
            Record::Company(c) => registry.companies.push(c),
            Record::Link(l) => registry.links.push(l),
        }
    }
    registry
}

/// Generates the same registry as [`registry`], one record at a time, for callers that load it
/// somewhere else and need not hold it all.
pub fn stream(spec: &RegistrySpec) -> Stream {
    let n = spec.companies;
    Stream {
        rng: ChaCha8Rng::seed_from_u64(spec.seed),
        listed: spec.listed.clone(),
        listed_share: spec.listed_share.clamp(0.0, 1.0),
        // The extras (directorships, past holdings, family, control, cross-holdings) average
        // about 0.75 links per company; the rest are owners, a share of them in the long tail.
        owner_geometric: 1.0 / (spec.edges_per_company - 0.75).max(1.0),
        companies: n,
        persons: (n * 7 / 10).max(10),
        nominee_persons: (n / 5_000).max(3),
        nominee_companies: (n / 10_000).max(2).min(n),
        next: 0,
        links: 0,
        group: Group::default(),
        pending: VecDeque::new(),
    }
}

/// The generator behind [`stream`].
#[derive(Debug)]
pub struct Stream {
    rng: ChaCha8Rng,
    listed: Vec<String>,
    listed_share: f64,
    /// Success probability of the geometric number of owners beyond the first.
    owner_geometric: f64,
    companies: usize,
    /// Persons `sim-p-<nominee_persons..nominee_persons + persons>`.
    persons: usize,
    /// Nominee persons `sim-p-<0..nominee_persons>`.
    nominee_persons: usize,
    /// Nominee companies `sim-c-<0..nominee_companies>`.
    nominee_companies: usize,
    next: usize,
    links: u64,
    group: Group,
    pending: VecDeque<Record>,
}

/// The corporate group being generated: companies `start..end`, `start` the holding company.
#[derive(Debug, Default)]
struct Group {
    start: usize,
    end: usize,
    stem: String,
    country: &'static str,
    /// Hundredths of the holding company not held by its recorded owners, left for its
    /// subsidiaries to hold back (cross-holdings).
    top_free: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Party {
    Company(usize),
    Person(usize),
    Listed(usize),
}

impl Iterator for Stream {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        while self.pending.is_empty() {
            if self.next >= self.companies {
                return None;
            }
            let i = self.next;
            self.next += 1;
            self.company(i);
        }
        self.pending.pop_front()
    }
}

const FULL: u32 = 10_000;

impl Stream {
    fn id(&self, party: Party) -> String {
        match party {
            Party::Company(n) => format!("sim-c-{n}"),
            Party::Person(n) => format!("sim-p-{n}"),
            Party::Listed(n) => self.listed[n].clone(),
        }
    }

    /// Generates company `i` and the links into it.
    fn company(&mut self, i: usize) {
        if i >= self.group.end {
            self.new_group(i);
        }
        let top = i == self.group.start;
        let size = self.group.end - self.group.start;
        let nominee = i < self.nominee_companies;
        let country = if !top && self.rng.random_bool(0.4) {
            country(&mut self.rng)
        } else {
            self.group.country
        };
        let name = if nominee {
            format!(
                "{} Nominees {}",
                pick(&mut self.rng, WORDS),
                suffix(country)
            )
        } else if top {
            format!("{} {}", self.group.stem, suffix(country))
        } else {
            let sector = pick(&mut self.rng, SECTORS);
            format!("{} {sector} {}", self.group.stem, suffix(country))
        };
        let registration_number = registration(&mut self.rng, country);
        self.pending.push_back(Record::Company(Company {
            id: format!("sim-c-{i}"),
            name,
            country: country.to_string(),
            registration_number,
        }));

        // Who holds what of it, in hundredths of a percent.
        let mut owners: Vec<(Party, u32)> = Vec::new();
        let k = self.owner_count();
        let listed_here = !self.listed.is_empty();
        if top {
            let recorded = if self.rng.random_bool(0.25) {
                FULL - 100 * self.rng.random_range(5..=40)
            } else {
                FULL
            };
            self.group.top_free = if size > 1 { FULL - recorded } else { 0 };
            if listed_here && self.rng.random_bool((self.listed_share * 2.0).min(1.0)) {
                self.listed_owners(i, k, recorded, &mut owners);
            } else {
                self.outside_owners(i, k, recorded, &mut owners);
            }
        } else {
            // Held by one or two earlier members of the group, mostly with a majority.
            let start = self.group.start;
            let parent = if self.rng.random_bool(0.35) {
                i - 1
            } else {
                self.rng.random_range(start..i)
            };
            let group_share = pick(
                &mut self.rng,
                &[
                    10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 5_100, 5_100, 6_000,
                    7_500, 7_500, 5_000, 8_000, 9_000, 6_667, 7_000, 9_900, 2_500, 4_000,
                ],
            );
            let joint = i - start >= 2 && self.rng.random_bool(0.12);
            if joint {
                let mut other = self.rng.random_range(start..i);
                if other == parent {
                    other = if parent > start {
                        parent - 1
                    } else {
                        parent + 1
                    };
                }
                let parts = split(&mut self.rng, group_share, 2);
                owners.push((Party::Company(parent), parts[0]));
                owners.push((Party::Company(other), parts[1]));
            } else {
                owners.push((Party::Company(parent), group_share));
            }
            let mut rest = FULL - group_share;
            if rest > 0 && self.rng.random_bool(0.2) {
                // Part of the rest is not on record.
                rest -= self.rng.random_range(0..=rest / 100) * 100;
            }
            if rest >= 500 && listed_here && self.rng.random_bool(self.listed_share * 0.5) {
                let share = rest.min(pick(&mut self.rng, &[1_000, 2_000, 2_500, 4_900]));
                let who = self.listed_index();
                owners.push((Party::Listed(who), share));
                rest -= share;
            }
            let mut others = k.saturating_sub(owners.len());
            if rest > 0 && others == 0 && self.rng.random_bool(0.7) {
                others = 1;
            }
            if others > 0 && rest > 0 {
                self.outside_owners(i, others, rest, &mut owners);
            }
            // Now and then a subsidiary holds back into the holding company: a cycle.
            if self.group.top_free >= 100 && self.rng.random_bool(0.03) {
                let stake = 100
                    * self
                        .rng
                        .random_range(1..=(self.group.top_free / 100).min(20));
                self.group.top_free -= stake;
                let link = self.ownership(Party::Company(i), Party::Company(start), stake);
                self.push(link);
            }
        }

        // Ownership links, some dated, some after a transfer from an earlier owner.
        let asset = Party::Company(i);
        let transfer = self.rng.random_bool(0.04);
        for (n, &(owner, share)) in owners.iter().enumerate() {
            let mut link = self.ownership(owner, asset, share);
            if n == 0 && transfer {
                let (year, month) = (
                    self.rng.random_range(1998..=2023),
                    self.rng.random_range(1..=12),
                );
                let earlier = self.outside_owner(i, &owners);
                let mut old = self.ownership(earlier, asset, share);
                old.start = self
                    .rng
                    .random_bool(0.5)
                    .then(|| format!("{}", year - self.rng.random_range(1..=10)));
                old.end = Some(format!("{year}-{month:02}-15"));
                link.start = Some(format!("{year}-{month:02}-16"));
                self.push(old);
            } else if self.rng.random_bool(0.15) {
                link.start = Some(date(&mut self.rng));
            }
            self.push(link);
        }
        // A stale record: a holding that should have ended, pushing the total over 100%.
        if self.rng.random_bool(0.003) {
            let who = Party::Person(self.person());
            if !owners.iter().any(|(o, _)| *o == who) {
                let share = 100 * self.rng.random_range(10..=60);
                let link = self.ownership(who, asset, share);
                self.push(link);
            }
        }

        // Directors: the owners themselves, nominee directors, anyone; and sometimes a listed
        // party without a majority.
        let directors = pick(
            &mut self.rng,
            &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 3],
        );
        let mut named: Vec<Party> = Vec::new();
        for _ in 0..directors {
            let person_owner = owners
                .iter()
                .map(|(o, _)| *o)
                .find(|o| matches!(o, Party::Person(_)) && !named.contains(o));
            let roll: f64 = self.rng.random();
            let who = match person_owner {
                Some(p) if roll < 0.4 => p,
                _ if roll < 0.55 => Party::Person(self.nominee_person()),
                _ => Party::Person(self.person()),
            };
            if named.contains(&who) {
                continue;
            }
            named.push(who);
            let link = self.plain(LinkKind::Directorship, who, asset);
            self.push(link);
        }
        if owners.iter().any(|(o, _)| matches!(o, Party::Listed(_))) && self.rng.random_bool(0.3) {
            let who = Party::Listed(self.listed_index());
            let link = self.plain(LinkKind::Directorship, who, asset);
            self.push(link);
        }
        if self.rng.random_bool(0.003) {
            let who = Party::Person(self.person());
            let link = self.plain(LinkKind::Control, who, asset);
            self.push(link);
        }
        // Relatives among the persons who hold it.
        if self.rng.random_bool(0.02)
            && let Some(&(owner @ Party::Person(p), _)) =
                owners.iter().find(|(o, _)| matches!(o, Party::Person(_)))
        {
            let relative = self.person();
            if relative != p {
                let link = self.plain(LinkKind::Family, owner, Party::Person(relative));
                self.push(link);
            }
        }
    }

    fn new_group(&mut self, i: usize) {
        // Pareto-distributed size: two thirds stand alone, a few have hundreds of members.
        let u: f64 = self.rng.random_range(f64::EPSILON..1.0);
        let size = (u.powf(-1.0 / 1.6) as usize).clamp(1, 2_000);
        self.group.start = i;
        self.group.end = (i + size).min(self.companies);
        self.group.country = country(&mut self.rng);
        self.group.stem = if size >= 2 && self.rng.random_bool(0.5) {
            format!(
                "{} {} {}",
                pick(&mut self.rng, WORDS),
                pick(&mut self.rng, WORDS),
                pick(
                    &mut self.rng,
                    &["Group", "Holdings", "Capital", "Investments"]
                )
            )
        } else {
            format!(
                "{} {}",
                pick(&mut self.rng, WORDS),
                pick(&mut self.rng, WORDS)
            )
        };
    }

    /// How many owners a company has: mostly one to three, a few dozens or hundreds.
    fn owner_count(&mut self) -> usize {
        if self.rng.random_bool(0.002) {
            let u: f64 = self.rng.random();
            return (20.0 * 10f64.powf(u)) as usize;
        }
        let mut k = 1;
        while k < 15 && !self.rng.random_bool(self.owner_geometric) {
            k += 1;
        }
        k
    }

    /// `k` owners from outside the group share `total` hundredths.
    fn outside_owners(&mut self, i: usize, k: usize, total: u32, owners: &mut Vec<(Party, u32)>) {
        for share in split(&mut self.rng, total, k) {
            let who = self.outside_owner(i, owners);
            owners.push((who, share));
        }
    }

    /// Listed parties among `k` owners sharing `total` hundredths: a majority, two holdings that
    /// reach 50% together, or a minority.
    fn listed_owners(&mut self, i: usize, k: usize, total: u32, owners: &mut Vec<(Party, u32)>) {
        let roll: f64 = self.rng.random();
        let shares: Vec<u32> = if roll < 0.15 && self.listed.len() >= 2 {
            pick(
                &mut self.rng,
                &[&[2_500, 2_500][..], &[3_000, 2_000], &[4_000, 1_000]],
            )
            .to_vec()
        } else if roll < 0.6 {
            vec![pick(
                &mut self.rng,
                &[5_000, 5_100, 6_000, 7_500, 10_000, 10_000],
            )]
        } else {
            vec![pick(
                &mut self.rng,
                &[1_000, 2_000, 2_500, 3_333, 4_900, 4_999],
            )]
        };
        let mut given = 0;
        for share in shares {
            let share = share.min(total - given);
            let mut who = Party::Listed(self.listed_index());
            while owners.iter().any(|(o, _)| *o == who) {
                who = Party::Listed(self.listed_index());
            }
            owners.push((who, share));
            given += share;
        }
        let rest = total - given;
        if rest > 0 {
            let others = k.saturating_sub(owners.len()).max(1);
            self.outside_owners(i, others, rest, owners);
        }
    }

    /// An owner for company `i` from outside its group: a person, another company or a nominee,
    /// none already among `owners`.
    fn outside_owner(&mut self, i: usize, owners: &[(Party, u32)]) -> Party {
        loop {
            let roll: f64 = self.rng.random();
            let who = if roll < 0.025 {
                Party::Person(self.nominee_person())
            } else if roll < 0.05 {
                let u: f64 = self.rng.random();
                Party::Company((self.nominee_companies as f64 * u * u) as usize)
            } else if roll < 0.3 {
                Party::Company(self.rng.random_range(0..self.companies))
            } else {
                Party::Person(self.person())
            };
            if who != Party::Company(i) && !owners.iter().any(|(o, _)| *o == who) {
                return who;
            }
        }
    }

    /// A person, some far more often than others.
    fn person(&mut self) -> usize {
        let u: f64 = self.rng.random();
        self.nominee_persons + (self.persons as f64 * u.powf(1.5)) as usize
    }

    fn nominee_person(&mut self) -> usize {
        let u: f64 = self.rng.random();
        (self.nominee_persons as f64 * u * u) as usize
    }

    fn listed_index(&mut self) -> usize {
        let u: f64 = self.rng.random();
        (self.listed.len() as f64 * u * u) as usize
    }

    fn source(&mut self) -> String {
        self.links += 1;
        format!("sim-o-{}", self.links)
    }

    fn ownership(&mut self, owner: Party, asset: Party, hundredths: u32) -> Link {
        Link {
            source: self.source(),
            kind: LinkKind::Ownership,
            from: self.id(owner),
            to: self.id(asset),
            percentage: Some(Decimal::new(hundredths as i64, 2).normalize()),
            start: None,
            end: None,
        }
    }

    fn plain(&mut self, kind: LinkKind, from: Party, to: Party) -> Link {
        let start = self.rng.random_bool(0.3).then(|| date(&mut self.rng));
        Link {
            source: self.source(),
            kind,
            from: self.id(from),
            to: self.id(to),
            percentage: None,
            start,
            end: None,
        }
    }

    fn push(&mut self, link: Link) {
        debug_assert!(link.check().is_ok(), "{link:?}");
        self.pending.push_back(Record::Link(link));
    }
}

/// Splits `total` hundredths among `k` holders (fewer if there are not enough hundredths), as
/// registries write shares: round halves and thirds for two or three, whole or half percents
/// most of the time for more.
fn split(rng: &mut ChaCha8Rng, total: u32, k: usize) -> Vec<u32> {
    let k = k.clamp(1, total.max(1) as usize);
    if k == 1 {
        return vec![total];
    }
    if total == FULL && k <= 4 && rng.random_bool(0.6) {
        let templates: &[&[u32]] = match k {
            2 => &[
                &[5_000, 5_000],
                &[5_100, 4_900],
                &[6_000, 4_000],
                &[7_500, 2_500],
                &[6_667, 3_333],
                &[9_000, 1_000],
                &[8_000, 2_000],
            ],
            3 => &[
                &[3_333, 3_333, 3_334],
                &[4_000, 3_000, 3_000],
                &[5_000, 2_500, 2_500],
                &[3_400, 3_300, 3_300],
                &[6_000, 2_000, 2_000],
            ],
            _ => &[
                &[2_500, 2_500, 2_500, 2_500],
                &[5_000, 2_500, 1_250, 1_250],
                &[4_000, 2_000, 2_000, 2_000],
            ],
        };
        return pick(rng, templates).to_vec();
    }
    let weights: Vec<f64> = (0..k)
        .map(|_| (-rng.random_range(f64::EPSILON..1.0).ln()).powf(1.5) + 1e-3)
        .collect();
    let sum: f64 = weights.iter().sum();
    let grain = if total.is_multiple_of(100) && k as u32 * 100 <= total && rng.random_bool(0.6) {
        100
    } else if total.is_multiple_of(50) && k as u32 * 50 <= total && rng.random_bool(0.5) {
        50
    } else {
        1
    };
    let mut parts: Vec<u32> = weights
        .iter()
        .map(|w| (((w / sum * total as f64) as u32) / grain * grain).max(grain))
        .collect();
    let given: u32 = parts.iter().sum();
    if given < total {
        let largest = argmax(&parts);
        parts[largest] += total - given;
    } else {
        let mut excess = given - total;
        while excess > 0 {
            let largest = argmax(&parts);
            let take = excess.min(parts[largest] - 1);
            parts[largest] -= take;
            excess -= take;
        }
    }
    parts
}

fn argmax(parts: &[u32]) -> usize {
    (0..parts.len()).max_by_key(|&n| parts[n]).unwrap_or(0)
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

fn date(rng: &mut ChaCha8Rng) -> String {
    let year = rng.random_range(1995..=2024);
    match rng.random_range(0..10) {
        0 => format!("{year}"),
        1 => format!("{year}-{:02}", rng.random_range(1..=12)),
        _ => format!(
            "{year}-{:02}-{:02}",
            rng.random_range(1..=12),
            rng.random_range(1..=28)
        ),
    }
}

/// Countries by how often they show up in corporate registries and offshore chains.
fn country(rng: &mut ChaCha8Rng) -> &'static str {
    const WEIGHTED: &[(&str, u32)] = &[
        ("gb", 16),
        ("us", 12),
        ("de", 7),
        ("ru", 8),
        ("cy", 6),
        ("vg", 5),
        ("nl", 4),
        ("ch", 3),
        ("ae", 4),
        ("hk", 3),
        ("cn", 4),
        ("fr", 3),
        ("it", 2),
        ("es", 2),
        ("lu", 2),
        ("pa", 2),
        ("sc", 1),
        ("ie", 2),
        ("kz", 2),
        ("tr", 2),
        ("by", 1),
        ("ir", 1),
        ("sg", 2),
        ("ky", 2),
        ("mt", 1),
        ("lv", 1),
        ("ee", 1),
    ];
    let total: u32 = WEIGHTED.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for (c, w) in WEIGHTED {
        if roll < *w {
            return c;
        }
        roll -= w;
    }
    "gb"
}

fn suffix(country: &str) -> &'static str {
    match country {
        "gb" | "cy" | "hk" | "ie" | "mt" | "sg" | "vg" | "sc" | "ky" => "Ltd",
        "us" | "ae" => "LLC",
        "de" | "ch" => "GmbH",
        "ru" | "by" | "kz" => "OOO",
        "nl" => "B.V.",
        "fr" | "lu" | "pa" | "es" => "S.A.",
        "it" => "S.r.l.",
        "cn" => "Co., Ltd.",
        "tr" => "A.Ş.",
        "lv" => "SIA",
        "ee" => "OÜ",
        _ => "Company",
    }
}

/// A registration number in the country's usual format.
fn registration(rng: &mut ChaCha8Rng, country: &str) -> String {
    let mut digits = |n: u32| {
        let max = 10u64.pow(n);
        format!("{:0width$}", rng.random_range(0..max), width = n as usize)
    };
    match country {
        "gb" => format!("0{}", digits(7)),
        "de" => format!("HRB {}", digits(6).trim_start_matches('0')),
        "ru" => format!("1{}", digits(12)),
        "cy" => format!("HE{}", digits(6)),
        "ch" => {
            let d = digits(9);
            format!("CHE-{}.{}.{}", &d[..3], &d[3..6], &d[6..])
        }
        "fr" => digits(9),
        "nl" | "us" => digits(8),
        "ky" => format!("MC-{}", digits(6)),
        _ => format!("{}{}", country.to_ascii_uppercase(), digits(7)),
    }
}

const WORDS: &[&str] = &[
    "Aurora", "Baltic", "Cedar", "Delta", "Eastern", "Falcon", "Granite", "Harbor", "Imperial",
    "Juniper", "Kestrel", "Lumen", "Meridian", "Northern", "Orion", "Pacific", "Quartz", "Regal",
    "Sterling", "Titan", "Union", "Vanguard", "Western", "Zenith", "Atlas", "Beacon", "Crown",
    "Dynamo", "Emerald", "Frontier", "Global", "Horizon", "Ural", "Volga", "Neva", "Pioneer",
    "Summit", "Trident", "Unity", "Vertex", "Polar", "Sirius", "Nova", "Amber", "Coral", "Onyx",
];

const SECTORS: &[&str] = &[
    "Trading",
    "Shipping",
    "Energy",
    "Logistics",
    "Properties",
    "Finance",
    "Mining",
    "Metals",
    "Services",
    "Technologies",
    "Construction",
    "Agro",
    "Chemicals",
    "Marine",
    "Investments",
    "Holdings",
    "Leasing",
    "Consulting",
    "Retail",
    "Petroleum",
];

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;
    use crate::{Basis, GraphBuilder, Options};

    fn spec(companies: usize, seed: u64, listed: usize) -> RegistrySpec {
        RegistrySpec {
            companies,
            seed,
            listed: (0..listed).map(|n| format!("sim-listed-{n}")).collect(),
            ..RegistrySpec::default()
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_registry_and_another_seed_another() {
        let a = registry(&spec(3_000, 1, 20));
        assert_eq!(a, registry(&spec(3_000, 1, 20)));
        let b = registry(&spec(3_000, 2, 20));
        assert_ne!(a.links, b.links);
        assert_ne!(a.companies, b.companies);
    }

    #[test]
    fn links_are_valid_and_shaped_like_a_registry() {
        let r = registry(&spec(20_000, 3, 50));
        assert_eq!(r.companies.len(), 20_000);
        let ids: HashSet<&str> = r.companies.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), 20_000);
        for c in &r.companies {
            assert!(c.country.len() == 2 && c.country.chars().all(|c| c.is_ascii_lowercase()));
            assert!(!c.name.is_empty() && !c.registration_number.is_empty());
        }
        let mut sources = HashSet::new();
        for l in &r.links {
            l.check().unwrap();
            assert!(sources.insert(l.source.as_str()), "{}", l.source);
            let p = l.percentage;
            assert_eq!(p.is_some(), l.kind == LinkKind::Ownership, "{l:?}");
            assert!(p.is_none_or(|p| p > Decimal::ZERO && p <= Decimal::ONE_HUNDRED));
            assert!(ids.contains(l.to.as_str()) || l.kind == LinkKind::Family);
        }
        let per_company = r.links.len() as f64 / 20_000.0;
        assert!((2.6..=3.4).contains(&per_company), "{per_company}");
        let count = |k: LinkKind| r.links.iter().filter(|l| l.kind == k).count();
        assert!(count(LinkKind::Directorship) > 20_000 / 4);
        assert!(r.links.iter().any(|l| l.end.is_some()));
        assert!(r.links.iter().any(|l| l.start.is_some()));
        // Shares as registries write them.
        let shown: HashSet<String> = r
            .links
            .iter()
            .filter_map(|l| l.percentage.map(|p| p.to_string()))
            .collect();
        for s in ["100", "51", "50", "33.33", "12.5"] {
            assert!(shown.contains(s), "{s}");
        }

        // Heavy tails: most companies have one to three owners, a few many; nominees hold
        // shares in hundreds of companies.
        let mut owners_of: HashMap<&str, usize> = HashMap::new();
        let mut holdings_of: HashMap<&str, usize> = HashMap::new();
        for l in r.links.iter().filter(|l| l.kind == LinkKind::Ownership) {
            *owners_of.entry(&l.to).or_default() += 1;
            *holdings_of.entry(&l.from).or_default() += 1;
        }
        let few = owners_of.values().filter(|&&n| n <= 3).count();
        assert!(few as f64 >= 0.75 * owners_of.len() as f64, "{few}");
        assert!(owners_of.values().any(|&n| n >= 20));
        assert!(holdings_of.values().filter(|&&n| n >= 100).count() >= 3);

        // Open holdings add up to 100% or less in nearly every company.
        let mut open: HashMap<&str, Decimal> = HashMap::new();
        for l in &r.links {
            if let (LinkKind::Ownership, Some(p), None) = (l.kind, l.percentage, &l.end) {
                *open.entry(&l.to).or_default() += p;
            }
        }
        let fine = open
            .values()
            .filter(|&&s| s <= Decimal::ONE_HUNDRED)
            .count();
        assert!(
            fine as f64 >= 0.99 * open.len() as f64,
            "{fine} of {}",
            open.len()
        );

        // Cycles: Kahn's algorithm leaves some companies unsorted.
        let mut builder = GraphBuilder::new();
        for l in r.links.iter().filter(|l| l.kind == LinkKind::Ownership) {
            builder.add_link(l.clone()).unwrap();
        }
        let (g, _) = builder.build();
        let mut indegree: Vec<usize> = (0..g.len() as u32).map(|n| g.incoming(n).count()).collect();
        let mut ready: Vec<u32> = (0..g.len() as u32)
            .filter(|&n| indegree[n as usize] == 0)
            .collect();
        let mut sorted = 0;
        while let Some(n) = ready.pop() {
            sorted += 1;
            for e in g.outgoing(n) {
                indegree[e.to as usize] -= 1;
                if indegree[e.to as usize] == 0 {
                    ready.push(e.to);
                }
            }
        }
        assert!(sorted < g.len(), "no cycle");
    }

    #[test]
    fn listed_owners_block_companies_directly_and_down_the_chains() {
        let s = spec(20_000, 7, 40);
        let r = registry(&s);
        let mut builder = GraphBuilder::new();
        for l in r.links.clone() {
            builder.add_link(l).unwrap();
        }
        let (g, _) = builder.build();
        let d = g.derive(s.listed.iter().map(String::as_str), &Options::default());
        let listed: HashSet<&str> = s.listed.iter().map(String::as_str).collect();
        let with_listed_owner: HashSet<&str> = r
            .links
            .iter()
            .filter(|l| l.kind == LinkKind::Ownership && listed.contains(l.from.as_str()))
            .map(|l| l.to.as_str())
            .collect();
        let share = with_listed_owner.len() as f64 / 20_000.0;
        assert!((0.001..=0.01).contains(&share), "{share}");
        let blocked: Vec<&str> = d.derived().map(|n| g.id(n)).collect();
        assert!(blocked.len() >= 10, "{}", blocked.len());
        assert!(
            blocked
                .iter()
                .all(|id| d.basis[g.node(id).unwrap() as usize] == Basis::Ownership)
        );
        // Some are blocked with no listed owner of their own: two or more links away.
        let indirect = blocked
            .iter()
            .filter(|id| !with_listed_owner.contains(*id))
            .count();
        assert!(indirect >= 1, "{indirect}");
    }

    #[test]
    fn splits_add_up_and_stay_in_range() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        for total in [1, 7, 100, 2_500, 4_999, 10_000] {
            for k in [1, 2, 3, 4, 9, 50, 200] {
                let parts = split(&mut rng, total, k);
                assert_eq!(parts.iter().sum::<u32>(), total, "{total} {k}");
                assert!(parts.iter().all(|&p| p >= 1), "{total} {k} {parts:?}");
                assert!(parts.len() <= k);
            }
        }
    }
}
