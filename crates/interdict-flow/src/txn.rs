//! A transaction as the detectors see it: small, copyable, with accounts and currencies
//! interned to integers so windows hold numbers, not strings.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// An account, interned by [`Names`].
pub type Account = u32;

/// A place money came in or went out through: a bank, branch or location, interned by [`Names`].
pub type Place = u32;

/// A currency, interned by [`Names`].
pub type Currency = u16;

/// How many channels there are.
pub(crate) const CHANNELS: usize = 8;

/// How money moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Cash,
    Wire,
    Ach,
    Cheque,
    Card,
    Crypto,
    /// A transfer between an owner's own accounts (AMLworld's `Reinvestment`).
    Reinvestment,
    Other,
}

impl Channel {
    /// The channel a name stands for: ours (`cash`, `wire`, …) or AMLworld's payment formats.
    pub fn parse(name: &str) -> Option<Self> {
        // Lower-cased on the stack: no name it knows is longer.
        let name = name.trim().as_bytes();
        let mut lower = [0u8; 16];
        lower.get_mut(..name.len())?.copy_from_slice(name);
        lower.make_ascii_lowercase();
        Some(match &lower[..name.len()] {
            b"cash" => Self::Cash,
            b"wire" | b"transfer" | b"swift" => Self::Wire,
            b"ach" => Self::Ach,
            b"cheque" | b"check" => Self::Cheque,
            b"card" | b"credit card" | b"debit card" => Self::Card,
            b"crypto" | b"bitcoin" => Self::Crypto,
            b"reinvestment" => Self::Reinvestment,
            b"other" => Self::Other,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Cash => "cash",
            Self::Wire => "wire",
            Self::Ach => "ach",
            Self::Cheque => "cheque",
            Self::Card => "card",
            Self::Crypto => "crypto",
            Self::Reinvestment => "reinvestment",
            Self::Other => "other",
        }
    }
}

/// What kind of customer holds an account, as the bank knows it (know-your-customer data):
/// rules that a business meets in its ordinary trade ask more of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Segment {
    Person,
    Business,
}

impl Segment {
    /// The segment a name stands for, in any case: `person` (`individual`) or `business`
    /// (`company`, `corporation`, `partnership`, `sole proprietorship`).
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "person" | "individual" => Some(Self::Person),
            "business" | "company" | "corporation" | "partnership" | "sole proprietorship" => {
                Some(Self::Business)
            }
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Business => "business",
        }
    }
}

/// One transaction. `seq` is its position in the input (the line for files) and is how
/// alerts name it when the input gives no id of its own.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Txn {
    pub seq: u64,
    /// Seconds since 1970-01-01 UTC.
    pub at: i64,
    pub from: Account,
    pub to: Account,
    /// Millionths of a unit of `currency`, as paid; never negative.
    pub amount: i64,
    pub currency: Currency,
    pub channel: Channel,
    /// Where cash came in or the payment was made (a branch, a bank, a county), if known.
    pub place: Option<Place>,
    /// The label the input carries, where it has one (`Is Laundering`).
    pub laundering: Option<bool>,
}

/// Interned names: accounts, places and currencies. Memory grows with the number of distinct
/// accounts, not with the length of the stream.
#[derive(Debug, Default)]
pub struct Names {
    accounts: Interner,
    places: Interner,
    currencies: Interner,
    /// Transaction ids given by the input, by `seq`, where they differ from the line.
    ids: FxHashMap<u64, Box<str>>,
    /// Where accounts are held (their bank or branch), where the input says.
    /// By account, dense as accounts are: `None` where the input does not say.
    homes: Vec<Option<Place>>,
    /// The ids of the readers' known currencies, by their place in the readers' table.
    known_currencies: Vec<Option<Currency>>,
}

impl Names {
    pub fn account(&mut self, name: &str) -> Account {
        self.accounts.intern(name)
    }

    /// Asks for the slot where an account's name is (or would be) interned to be brought
    /// into cache: a row read ahead is so interned without waiting for memory.
    pub(crate) fn prefetch_account(&self, name: &[u8]) {
        self.accounts.prefetch(name);
    }

    pub fn place(&mut self, name: &str) -> Place {
        self.places.intern(name)
    }

    pub fn currency(&mut self, name: &str) -> Currency {
        self.currencies.intern(name) as Currency
    }

    /// A currency of the readers' table, by its place there and its code: interned the first
    /// time, looked up by place after.
    pub(crate) fn known_currency(&mut self, index: usize, code: &str) -> Currency {
        if let Some(Some(id)) = self.known_currencies.get(index) {
            return *id;
        }
        let id = self.currency(code);
        if self.known_currencies.len() <= index {
            self.known_currencies.resize(index + 1, None);
        }
        self.known_currencies[index] = Some(id);
        id
    }

    /// Records where an account is held, for the funnel rule's "away from home".
    pub fn set_home(&mut self, account: Account, place: Place) {
        let i = account as usize;
        if self.homes.len() <= i {
            self.homes.resize(i + 1, None);
        }
        self.homes[i] = Some(place);
    }

    /// Asks for where an account's home is kept to be brought into cache.
    pub(crate) fn prefetch_home(&self, account: Account) {
        if let Some(home) = self.homes.get(account as usize) {
            crate::monitor::prefetch(home);
        }
    }

    pub fn home(&self, account: Account) -> Option<Place> {
        self.homes.get(account as usize).copied().flatten()
    }

    pub fn account_name(&self, account: Account) -> &str {
        self.accounts.name(account)
    }

    pub fn place_name(&self, place: Place) -> &str {
        self.places.name(place)
    }

    pub fn currency_name(&self, currency: Currency) -> &str {
        self.currencies.name(u32::from(currency))
    }

    /// The account already interned under `name`, if any.
    pub fn find_account(&self, name: &str) -> Option<Account> {
        self.accounts.find(name)
    }

    pub fn account_count(&self) -> usize {
        self.accounts.len()
    }

    /// Remembers the input's own id for a transaction.
    pub fn set_txn_id(&mut self, seq: u64, id: &str) {
        self.ids.insert(seq, id.into());
    }

    /// The id an alert gives a transaction: the input's own, else `line:N`.
    pub fn txn_id(&self, seq: u64) -> String {
        match self.ids.get(&seq) {
            Some(id) => id.to_string(),
            None => format!("line:{seq}"),
        }
    }

    /// Forgets the ids of transactions before `seq`, which no window can name again.
    pub fn forget_ids_before(&mut self, seq: u64) {
        if !self.ids.is_empty() {
            self.ids.retain(|s, _| *s >= seq);
        }
    }
}

/// Names to ids. Each slot of the table holds a short name's bytes inline with its id, so
/// a lookup reads one cache line and follows no pointer; names longer than [`INLINE`]
/// keep their first bytes there and are compared in full against the arena, where every
/// name also sits end to end for [`Interner::name`].
#[derive(Debug, Default)]
struct Interner {
    /// Open addressing, linear probing; a power of two long, at most three quarters full.
    slots: Vec<Slot>,
    /// Each name's end in `bytes`; it starts where the one before ends.
    ends: Vec<u32>,
    bytes: String,
}

/// Name bytes a slot holds inline.
const INLINE: usize = 24;

/// One slot: a name's first [`INLINE`] bytes, zero padded, its length and its id + 1
/// (0 for an empty slot). Aligned so a slot never straddles two cache lines.
#[derive(Debug, Clone, Copy, Default)]
#[repr(align(32))]
struct Slot {
    key: [u8; INLINE],
    len: u32,
    id: u32,
}

/// A name as slots hold it: the first [`INLINE`] bytes, zero padded.
fn inline_key(name: &[u8]) -> [u8; INLINE] {
    let mut key = [0u8; INLINE];
    let n = name.len().min(INLINE);
    key[..n].copy_from_slice(&name[..n]);
    key
}

impl Interner {
    fn intern(&mut self, name: &str) -> u32 {
        let key = inline_key(name.as_bytes());
        let (found, at) = self.lookup(name, &key);
        if let Some(id) = found {
            return id;
        }
        let id = self.ends.len() as u32;
        self.bytes.push_str(name);
        self.ends
            .push(u32::try_from(self.bytes.len()).expect("interned names stay under 4 GiB in all"));
        let slot = Slot {
            key,
            len: name.len() as u32,
            id: id + 1,
        };
        if self.ends.len() * 4 > self.slots.len() * 3 {
            self.grow();
        } else {
            self.slots[at] = slot;
        }
        id
    }

    /// The name's id if it is interned, else the empty slot where it would go (meaningless
    /// while the table is empty).
    fn lookup(&self, name: &str, key: &[u8; INLINE]) -> (Option<u32>, usize) {
        if self.slots.is_empty() {
            return (None, 0);
        }
        let hash = hash(key, name.as_bytes());
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let slot = &self.slots[i];
            if slot.id == 0 {
                return (None, i);
            }
            if slot.len as usize == name.len()
                && slot.key == *key
                && (name.len() <= INLINE || self.name(slot.id - 1) == name)
            {
                return (Some(slot.id - 1), i);
            }
            i = (i + 1) & mask;
        }
    }

    /// A hint to fetch the slot a lookup of `name` starts at.
    fn prefetch(&self, name: &[u8]) {
        if !self.slots.is_empty() {
            let i = hash(&inline_key(name), name) as usize & (self.slots.len() - 1);
            crate::monitor::prefetch(&self.slots[i]);
        }
    }

    /// Doubles the table and places every name again.
    fn grow(&mut self) {
        let len = (self.slots.len() * 2).max(64);
        let mut slots = vec![Slot::default(); len];
        let mask = len - 1;
        for id in 0..self.ends.len() as u32 {
            let name = self.name(id).as_bytes();
            let key = inline_key(name);
            let mut i = hash(&key, name) as usize & mask;
            while slots[i].id != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = Slot {
                key,
                len: name.len() as u32,
                id: id + 1,
            };
        }
        self.slots = slots;
    }

    fn find(&self, name: &str) -> Option<u32> {
        self.lookup(name, &inline_key(name.as_bytes())).0
    }

    fn name(&self, id: u32) -> &str {
        let id = id as usize;
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.bytes[start as usize..self.ends[id] as usize]
    }

    fn len(&self) -> usize {
        self.ends.len()
    }
}

/// A 64-bit hash of a name from its inline key (and, past that, the rest of its bytes).
fn hash(key: &[u8; INLINE], name: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = (name.len() as u64).wrapping_mul(K);
    let mut mix = |word: u64| h = (h.rotate_left(23) ^ word).wrapping_mul(K);
    for chunk in key.chunks_exact(8) {
        mix(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
    }
    if name.len() > INLINE {
        for chunk in name[INLINE..].chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            mix(u64::from_le_bytes(word));
        }
    }
    h ^= h >> 29;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^ (h >> 32)
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian), after Howard Hinnant's
/// `days_from_civil`.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Seconds since the epoch as RFC 3339 (`2022-09-01T00:20:00Z`).
pub fn rfc3339(at: i64) -> String {
    let days = at.div_euclid(86_400);
    let secs = at.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// The inverse of [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Day of the week, 0 = Monday.
pub fn weekday(days: i64) -> u32 {
    (days + 3).rem_euclid(7) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_intern_to_dense_ids_and_back() {
        let mut interner = Interner::default();
        let long = "a name longer than the inline part of a slot";
        let names: Vec<String> = (0..5_000)
            .map(|i| match i % 3 {
                0 => format!("{}:{i:X}", i % 7),
                1 => format!("{long}{i}"),
                _ => format!("{i}{long}"),
            })
            .collect();
        for (i, name) in names.iter().enumerate() {
            assert_eq!(interner.intern(name), i as u32);
        }
        assert_eq!(interner.intern(""), 5_000);
        for (i, name) in names.iter().enumerate().rev() {
            assert_eq!(interner.intern(name), i as u32);
            assert_eq!(interner.find(name), Some(i as u32));
            assert_eq!(interner.name(i as u32), name);
        }
        assert_eq!(interner.find(""), Some(5_000));
        assert_eq!(interner.find("7:0"), None);
        assert_eq!(interner.find(&format!("{long}0")), None);
        assert_eq!(Interner::default().find("a"), None);
        assert_eq!(interner.len(), 5_001);
    }

    #[test]
    fn civil_dates_round_trip() {
        for (y, m, d, days) in [
            (1970, 1, 1, 0),
            (2000, 2, 29, 11_016),
            (2022, 9, 1, 19_236),
            (1969, 12, 31, -1),
        ] {
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
            assert_eq!(civil_from_days(days), (y, m, d));
        }
        // 2022-09-01 was a Thursday.
        assert_eq!(weekday(19_236), 3);
        assert_eq!(rfc3339(19_236 * 86_400 + 1_200), "2022-09-01T00:20:00Z");
    }
}
