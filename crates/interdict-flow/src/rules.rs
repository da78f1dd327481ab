//! The detectors' configuration: a TOML file whose every key has a documented default, so an
//! empty file is the default rule set. Each alert names the configuration's version: a hash
//! of the rules as read, so two runs with the same rules say the same version.

use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::monitor::Bar;
use crate::read::UNIT;
use crate::txn::Channel;

/// Every detector's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Rules {
    /// How far back in time a row may be, against the latest seen, and still be taken.
    pub out_of_order_seconds: i64,
    pub structuring: Structuring,
    pub funnel: Funnel,
    #[serde(deserialize_with = "fan_in")]
    pub fan_in: Fan,
    #[serde(deserialize_with = "fan_out")]
    pub fan_out: Fan,
    pub gather_scatter: GatherScatter,
    pub scatter_gather: ScatterGather,
    pub cycle: Cycle,
    pub bipartite: Bipartite,
    pub stack: Stack,
    pub pass_through: PassThrough,
    pub split: Split,
    pub standing: Standing,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            out_of_order_seconds: 3_600,
            structuring: Structuring::default(),
            funnel: Funnel::default(),
            // A fan-in is judged against the payments the account usually gets by the fan's
            // own channel, fewer than all it gets: a shop's few cheques a day make five
            // like ones in three days usual; twice that is not.
            fan_in: Fan {
                above_usual: 2.0,
                max_chance: 0.01,
                ..Fan::default()
            },
            fan_out: Fan {
                min_amount: 500.0,
                ..Fan::default()
            },
            gather_scatter: GatherScatter::default(),
            scatter_gather: ScatterGather::default(),
            cycle: Cycle::default(),
            bipartite: Bipartite::default(),
            stack: Stack::default(),
            pass_through: PassThrough::default(),
            split: Split::default(),
            standing: Standing::default(),
        }
    }
}

/// Fan-in and fan-out share a type but not their defaults: a key a `[fan_in]` section leaves
/// out keeps fan-in's default, not the type's.
fn fan_in<'de, D: Deserializer<'de>>(d: D) -> Result<Fan, D::Error> {
    over(d, Rules::default().fan_in)
}

fn fan_out<'de, D: Deserializer<'de>>(d: D) -> Result<Fan, D::Error> {
    over(d, Rules::default().fan_out)
}

/// A flat section read over `base`: the keys given replace base's, the rest stay.
fn over<'de, D, T>(d: D, base: T) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Serialize + DeserializeOwned,
{
    let given = toml::Table::deserialize(d)?;
    let mut table = toml::Table::try_from(base).map_err(D::Error::custom)?;
    table.extend(given);
    table.try_into().map_err(D::Error::custom)
}

/// Cash deposits under a reporting threshold that add up to more than it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Structuring {
    pub enabled: bool,
    /// Thresholds by jurisdiction (a transaction's location, or its prefix) and date; the most
    /// specific one in force applies. The default is FinCEN's $10,000 CTR threshold.
    pub thresholds: Vec<Threshold>,
    /// Deposits in one business day, each under the threshold, summing above it…
    pub min_deposits: usize,
    /// …by at least this many depositors or through this many places: one person's cash at
    /// one place in a day is aggregated for the CTR (31 CFR 1010.313) and evades nothing.
    pub min_sources: usize,
    /// Only deposits of at least this share of the threshold count towards a day's: a
    /// structurer cuts the sum into few pieces each as near the threshold as they dare, where
    /// a shop's day of small takings crosses it by chance (0 counts every deposit).
    pub min_share: f64,
    /// "Just below": at least `near_count` deposits of `near_ratio` × threshold or more
    /// (and under it) within `near_days`, through at least `near_places` places.
    pub near_ratio: f64,
    pub near_count: usize,
    pub near_days: i64,
    pub near_places: usize,
    /// …and they are at least this share of the account's cash deposits from the first of
    /// them to the last: a structurer's cash is mostly those deposits, where a business
    /// banking hundreds of deposits a week makes a few just below by chance.
    pub near_share: f64,
    /// A day's deposits must also be this many times the account's usual number of cash
    /// deposits in a day (0 turns the test off): a shop banking its takings every day is not
    /// structuring, an individual suddenly paid in cash three times a day is. Deposits just
    /// under the threshold are judged by `near_share` instead.
    pub above_usual: f64,
}

impl Default for Structuring {
    fn default() -> Self {
        Self {
            enabled: true,
            thresholds: vec![Threshold {
                jurisdiction: String::new(),
                currency: "USD".into(),
                amount: 10_000.0,
                from: None,
                until: None,
            }],
            min_deposits: 3,
            min_sources: 2,
            min_share: 0.25,
            near_ratio: 0.9,
            near_count: 3,
            near_days: 5,
            near_places: 2,
            near_share: 0.2,
            above_usual: 3.0,
        }
    }
}

/// A cash reporting threshold in force for a jurisdiction over a span of dates; a Geographic
/// Targeting Order, say, lowers it in named counties for a while.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// A location or its prefix (`US-CA-073`, `US-TX`); empty for everywhere.
    #[serde(default)]
    pub jurisdiction: String,
    pub currency: String,
    pub amount: f64,
    /// First day in force, `YYYY-MM-DD`; none for always.
    #[serde(default)]
    pub from: Option<String>,
    /// Last day in force.
    #[serde(default)]
    pub until: Option<String>,
}

impl Threshold {
    pub fn micros(&self) -> i64 {
        (self.amount * UNIT as f64).round() as i64
    }
}

/// FinCEN FIN-2014-A005: cash from many depositors, away from the account's home, then out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Funnel {
    pub enabled: bool,
    pub min_depositors: usize,
    pub days: i64,
    /// Money out (wires, ACH, cheques) within this many hours of the last deposit…
    pub out_hours: i64,
    /// …worth at least this share of the deposits.
    pub out_ratio: f64,
    /// More depositors and recipients than this together is a business's takings, not a funnel.
    pub max_counterparties: usize,
}

impl Default for Funnel {
    fn default() -> Self {
        Self {
            enabled: true,
            min_depositors: 5,
            days: 7,
            out_hours: 48,
            out_ratio: 0.8,
            max_counterparties: 40,
        }
    }
}

/// Fan-in (or fan-out): many distinct counterparties within a window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Fan {
    pub enabled: bool,
    pub min_counterparties: usize,
    pub hours: i64,
    /// Channels that count; card purchases and own-account moves are left out by default.
    pub channels: Vec<Channel>,
    /// Counterparties already paid (or paid by) the account within `known_days` before the
    /// window do not count: salaries and regular suppliers are not a fan.
    pub known_days: i64,
    /// The fan must also be this many times the account's usual number of transactions on
    /// that side in such a window (0 turns the test off): a utility paid by hundreds a day
    /// is not a fan-in, an individual suddenly paid by eight strangers is. A fan-in is judged
    /// against the payments in by its own channel; a fan-out against all payments out other
    /// than by card.
    pub above_usual: f64,
    /// A fan that grows past this many counterparties within its window is an account's mass
    /// business (a utility's customers, an employer's staff): no alert.
    pub max_counterparties: usize,
    /// The counterparties counted are those whose payments lie within this share of each
    /// other (0.4: up to 1.4×): a fan moves like amounts; a shop's customers pay what they owe.
    pub amount_spread: f64,
    /// Payments under this amount (in the payment's currency) do not count: a person paying
    /// five shops small sums by cheque is shopping (fan_out: 500, as bipartite's). A fan-in
    /// of small sums (a mule collecting from many payers) is a pattern, so fan_in counts all.
    pub min_amount: f64,
    /// The like payments must make up at least this share of the window's payments by the
    /// same channel and currency (0 turns the test off): a mule's window is its fan, while a
    /// hub paid all day at all sorts of amounts holds a few like ones by chance.
    pub like_share: f64,
    /// The chance that the account's usual payments on that side (a fan-in's: payments in by
    /// the fan's channel; a fan-out's: payments out other than by card), arriving at their
    /// usual rate (as a Poisson process), bring as many counterparties or more within the
    /// window must be at most this (0 turns the test off; like `above_usual`, it waits for
    /// the stream's first four days). Twice the usual is telling of an account paid fifty
    /// times in three days, not of one paid three times. fan_in 0.01, fan_out 0.
    pub max_chance: f64,
}

impl Fan {
    pub fn min_micros(&self) -> i64 {
        (self.min_amount * UNIT as f64).round() as i64
    }

    /// What a fan must be against the account's usual activity.
    pub(crate) fn bar(&self) -> Bar {
        Bar {
            ratio: self.above_usual,
            chance: self.max_chance,
        }
    }
}

impl Default for Fan {
    fn default() -> Self {
        Self {
            enabled: true,
            min_counterparties: 5,
            hours: 72,
            channels: vec![
                Channel::Wire,
                Channel::Ach,
                Channel::Cheque,
                Channel::Crypto,
                Channel::Cash,
                Channel::Other,
            ],
            known_days: 0,
            above_usual: 1.5,
            max_counterparties: 25,
            amount_spread: 0.4,
            min_amount: 0.0,
            like_share: 0.75,
            max_chance: 0.0,
        }
    }
}

/// Money gathered from many, then scattered to many, through one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GatherScatter {
    pub enabled: bool,
    pub min_in: usize,
    pub min_out: usize,
    pub hours: i64,
    /// More counterparties than this, in and out together, is mass business, not a pattern.
    pub max_counterparties: usize,
    /// The senders counted are those whose payments lie within this share of each other.
    pub amount_spread: f64,
    /// The senders must number at least this many times the payments the hub usually gets
    /// over the gathering's own span, a day at least (0 turns the test off); gathered by a
    /// transfer channel, the payments it usually gets by that channel.
    pub above_usual: f64,
    /// And as many senders or more must be at most this likely from the hub's usual payments
    /// that way over that span, as with fans (0 turns the test off).
    pub max_chance: f64,
    /// The like payments gathered must make up at least this share of the window's payments
    /// in by the same channel and currency (0 turns the test off), as with fans: a firm paid
    /// invoices of all sizes holds a few like ones by chance.
    pub like_share: f64,
}

impl GatherScatter {
    /// What a gathering must be against the hub's usual activity.
    pub(crate) fn bar(&self) -> Bar {
        Bar {
            ratio: self.above_usual,
            chance: self.max_chance,
        }
    }
}

impl Default for GatherScatter {
    fn default() -> Self {
        Self {
            enabled: true,
            min_in: 4,
            min_out: 4,
            hours: 120,
            max_counterparties: 40,
            amount_spread: 0.4,
            above_usual: 2.0,
            max_chance: 0.01,
            like_share: 0.75,
        }
    }
}

/// One source pays many intermediates, which pass it on to one sink.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScatterGather {
    pub enabled: bool,
    pub min_paths: usize,
    pub hours: i64,
    /// Through a busy sink or source, the paths count only if the source's payments to the
    /// intermediates lie within this share of each other: one source cut its money into
    /// like parts, where an employer's staff who all shop at one store were paid all sorts.
    pub amount_spread: f64,
}

impl Default for ScatterGather {
    fn default() -> Self {
        Self {
            enabled: true,
            min_paths: 4,
            hours: 120,
            amount_spread: 0.4,
        }
    }
}

/// Money that comes back to where it started, hop after hop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Cycle {
    pub enabled: bool,
    pub max_length: usize,
    pub hours: i64,
    /// The closing hop carries at least this share of the first.
    pub min_ratio: f64,
    /// Each hop carries at least this share of the hop before (and at most all of it: money
    /// going round pays a fee at each hop).
    pub hop_ratio: f64,
    /// Search steps per transaction; a search that reaches it stops and is counted.
    pub max_steps: usize,
    /// Every hop goes by the closing payment's channel: money sent round a ring goes one way,
    /// while a cheque repaid by transfer is two people settling up.
    pub same_channel: bool,
}

impl Default for Cycle {
    fn default() -> Self {
        Self {
            enabled: true,
            max_length: 8,
            hours: 120,
            min_ratio: 0.5,
            hop_ratio: 0.9,
            max_steps: 2_000,
            same_channel: true,
        }
    }
}

/// A layer of accounts each paying several of another layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Bipartite {
    pub enabled: bool,
    pub min_senders: usize,
    pub min_receivers: usize,
    pub hours: i64,
    /// Payments of a layer differ from each other by at most this share (0.4: up to 1.4×),
    /// and go by one channel in one currency.
    pub amount_spread: f64,
    /// Payments under this amount (in the payment's currency) are no layer's: people paying
    /// the same shops and billers small sums by cheque are not layering.
    pub min_amount: f64,
    /// At least this share of a layer's receivers are paid by two or more of its senders (0:
    /// two receivers are enough): a layer spreads each sender's money over the same
    /// accounts, while firms paying invoices each pay suppliers of their own. A sparser layer
    /// raises no alert and is followed for a stack only by its money being passed on.
    pub shared_receivers: f64,
}

impl Bipartite {
    pub fn min_micros(&self) -> i64 {
        (self.min_amount * UNIT as f64).round() as i64
    }
}

impl Default for Bipartite {
    fn default() -> Self {
        Self {
            enabled: true,
            min_senders: 3,
            min_receivers: 3,
            hours: 72,
            amount_spread: 0.4,
            min_amount: 500.0,
            shared_receivers: 0.5,
        }
    }
}

/// Bipartite layers in sequence: one layer's receivers are the next one's senders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Stack {
    pub enabled: bool,
    pub hours: i64,
    /// Accounts the two layers must share; and the receivers of a layer that must pass their
    /// money on for the accounts they pay to be the next layer.
    pub min_shared: usize,
    /// Passing on: a layer's receiver sends on, by the layer's channel and in its currency to
    /// two or more accounts it had not paid before, between this share and all of what the
    /// layer paid it.
    pub forwarded: f64,
    /// A receiver that paid more new accounts than this the layer's way since the money came
    /// is busy with business of its own: what it paid does not by itself pass a layer on
    /// (it still counts, as any busy receiver, by what it paid the accounts the others paid).
    pub max_payees: usize,
    /// A layer of payments under `bipartite.min_amount` (down to this) is no bipartite alert,
    /// but is followed as a stack's first layer: its receivers passing the money on make it
    /// one.
    pub min_amount: f64,
    /// A stack naming more accounts than this is a network of firms paying one another (by
    /// cheque, as a rule), not money layered: it is dropped as mass business.
    pub max_counterparties: usize,
}

impl Stack {
    pub fn min_micros(&self) -> i64 {
        (self.min_amount * UNIT as f64).round() as i64
    }
}

impl Default for Stack {
    fn default() -> Self {
        Self {
            enabled: true,
            hours: 120,
            min_shared: 2,
            forwarded: 0.85,
            max_payees: 8,
            min_amount: 100.0,
            max_counterparties: 40,
        }
    }
}

/// Money in, and nearly all of it out again soon after, more than once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PassThrough {
    pub enabled: bool,
    /// Out over in, at least (and at most 1).
    pub ratio: f64,
    pub hours: i64,
    pub min_pairs: usize,
    pub days: i64,
    /// Accounts paid more often than this within `days` by `channels` are passed over: in a
    /// busy account some payment out always matches some payment in.
    pub max_inflows: usize,
    /// Channels both payments go by: rapid movement is by wire or transfer, not cheque.
    pub channels: Vec<Channel>,
    /// Payments out under this amount (in the payment's currency) are not counted (0: all).
    pub min_amount: f64,
    /// The payment out goes the way the money came in (wire on as wire, ACH as ACH).
    pub same_channel: bool,
    /// The payments passed on must number at least this many times the transfers (by
    /// `channels`) the account usually receives in `days` (0 turns the test off): an account
    /// paid by wire every day passes two of them on by chance, one paid by wire once a month
    /// does not.
    pub above_usual: f64,
    /// The money passed on must make at least this share of what the account sent by
    /// `channels` (in the payment's currency) in `days` (0 turns the test off): a conduit's
    /// payments out are mostly money passed on, while a firm that pays a supplier out of a
    /// customer's payment also pays wages, rent and other suppliers.
    pub passed_share: f64,
    /// Pairs a business's account must reach in `days` when each was paid by a business and
    /// passed on to one (0: as `min_pairs`): a business that pays a supplier out of a
    /// customer's payment does so in its ordinary trade, twice in a week by chance. Pairs with
    /// a person on either side count as anyone's. Segments come from the bank
    /// ([`crate::Monitor::set_segment`]); an account it did not name is no business's.
    pub business_min_pairs: usize,
}

impl PassThrough {
    pub fn min_micros(&self) -> i64 {
        (self.min_amount * UNIT as f64).round() as i64
    }

    /// Whether `pairs` pairs in `days` make a pass-through, `trade` of them a business's
    /// between two other businesses (0 unless the account is a business's): those are its
    /// trade, and reach `business_min_pairs` before they count.
    pub fn enough_pairs(&self, business: bool, pairs: usize, trade: usize) -> bool {
        match business && self.business_min_pairs > 0 {
            true => pairs >= self.business_min_pairs || pairs - trade >= self.min_pairs,
            false => pairs >= self.min_pairs,
        }
    }
}

impl Default for PassThrough {
    fn default() -> Self {
        Self {
            enabled: true,
            ratio: 0.9,
            hours: 24,
            min_pairs: 2,
            days: 7,
            max_inflows: 20,
            channels: vec![Channel::Wire, Channel::Ach, Channel::Crypto],
            min_amount: 0.0,
            same_channel: true,
            above_usual: 1.0,
            passed_share: 0.7,
            business_min_pairs: 3,
        }
    }
}

/// One payment split into several to the same account within hours (smurfing a transfer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Split {
    pub enabled: bool,
    pub min_payments: usize,
    pub hours: i64,
    /// Micro-payments: payments by one channel in one currency, each at most this share of
    /// what the payer usually pays (the geometric mean of its other payments out since the
    /// stream began), are a split from `small_min_payments` on (0 turns the test off): two
    /// sums a tenth of what the payer otherwise pays, to one payee in a day, are a transfer
    /// cut small, not two bills.
    pub small_ratio: f64,
    pub small_min_payments: usize,
    /// The payer's usual is judged only from at least this many of its other payments out.
    pub small_history: usize,
    /// Micro-payment collectors: an account paid micro-payments by `collector_payers`
    /// distinct payers or more within this many days (0 turns the test off). A micro-payment
    /// is at most `small_ratio` of what its payer usually pays, in its currency, and
    /// `collector_deviations` standard deviations or more below it (on the log scale); for a
    /// payer with fewer than `small_history` other payments out, the same of what the account
    /// usually receives. A collector's payers take turns, one a month or so: two months see
    /// two turns.
    pub collector_days: i64,
    /// Distinct payers of micro-payments that make a collector: 2 to 5 (the receiver's record
    /// holds the latest four others).
    pub collector_payers: usize,
    /// How far outside the spread of the usual sizes a micro-payment must be: an account
    /// paying rent and coffee pays a tenth of its usual often; one whose payments all lie
    /// within a factor of a few does not (0: the ratio alone).
    pub collector_deviations: f64,
}

impl Default for Split {
    fn default() -> Self {
        Self {
            enabled: true,
            min_payments: 3,
            hours: 24,
            small_ratio: 0.1,
            small_min_payments: 2,
            small_history: 3,
            collector_days: 60,
            collector_payers: 2,
            collector_deviations: 4.0,
        }
    }
}

/// Standing payments: an amount an account has paid, to the cent, `repeats` times or more in
/// the `days` before a detector's window makes a payment of it within the window one of its
/// scheduled obligations (a payroll run, a standing order), not part of a fan-out, a scatter
/// or a pass-through.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Standing {
    /// 0 turns the test off.
    pub repeats: usize,
    pub days: i64,
}

impl Default for Standing {
    fn default() -> Self {
        Self {
            repeats: 3,
            days: 4,
        }
    }
}

/// A rules file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

impl Rules {
    /// Reads a rules file's text; `file` names it in errors.
    pub fn from_toml(text: &str, file: &str) -> Result<Self, RulesError> {
        let rules: Rules = toml::from_str(text).map_err(|e| RulesError::Invalid {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        rules.check().map_err(|message| RulesError::Invalid {
            file: file.to_string(),
            message,
        })?;
        Ok(rules)
    }

    /// The version alerts carry: the first 12 hex digits of SHA-256 over the rules as TOML.
    pub fn version(&self) -> String {
        let text = toml::to_string(self).expect("rules serialize");
        let digest = Sha256::digest(text.as_bytes());
        let hex: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
        format!("rules-{hex}")
    }

    /// The longest time any detector looks back, in seconds: how long windows keep edges.
    pub fn horizon(&self) -> i64 {
        let hours = [
            self.structuring.near_days * 24,
            self.funnel.days * 24 + self.funnel.out_hours,
            self.fan_in.hours + self.fan_in.known_days * 24,
            self.fan_out.hours + self.fan_out.known_days * 24,
            self.gather_scatter.hours,
            self.scatter_gather.hours,
            self.cycle.hours,
            self.bipartite.hours,
            self.stack.hours,
            self.pass_through.days * 24,
            self.split.hours,
            24,
        ];
        // A payment out is judged standing from the days before the window that holds it.
        let standing = match self.standing.repeats {
            0 => 0,
            _ => {
                self.standing.days * 24
                    + self
                        .fan_out
                        .hours
                        .max(self.gather_scatter.hours)
                        .max(self.pass_through.hours)
            }
        };
        let hours = hours.into_iter().chain([standing]);
        hours.max().unwrap_or(24) * 3600
    }

    fn check(&self) -> Result<(), String> {
        let positive = [
            (
                "structuring.min_deposits",
                self.structuring.min_deposits as i64,
            ),
            ("structuring.near_count", self.structuring.near_count as i64),
            ("structuring.near_days", self.structuring.near_days),
            ("funnel.min_depositors", self.funnel.min_depositors as i64),
            ("funnel.days", self.funnel.days),
            (
                "fan_in.min_counterparties",
                self.fan_in.min_counterparties as i64,
            ),
            ("fan_in.hours", self.fan_in.hours),
            (
                "fan_out.min_counterparties",
                self.fan_out.min_counterparties as i64,
            ),
            ("fan_out.hours", self.fan_out.hours),
            ("gather_scatter.hours", self.gather_scatter.hours),
            ("gather_scatter.min_in", self.gather_scatter.min_in as i64),
            ("gather_scatter.min_out", self.gather_scatter.min_out as i64),
            ("bipartite.min_senders", self.bipartite.min_senders as i64),
            (
                "bipartite.min_receivers",
                self.bipartite.min_receivers as i64,
            ),
            ("stack.min_shared", self.stack.min_shared as i64),
            ("stack.max_payees", self.stack.max_payees as i64 - 1),
            ("pass_through.min_pairs", self.pass_through.min_pairs as i64),
            (
                "structuring.min_sources",
                self.structuring.min_sources as i64,
            ),
            (
                "scatter_gather.min_paths",
                self.scatter_gather.min_paths as i64,
            ),
            ("scatter_gather.hours", self.scatter_gather.hours),
            ("cycle.max_length", self.cycle.max_length as i64 - 1),
            ("cycle.hours", self.cycle.hours),
            ("bipartite.hours", self.bipartite.hours),
            ("stack.hours", self.stack.hours),
            ("pass_through.hours", self.pass_through.hours),
            ("pass_through.days", self.pass_through.days),
            ("split.min_payments", self.split.min_payments as i64 - 1),
            ("split.hours", self.split.hours),
            (
                "split.small_min_payments",
                self.split.small_min_payments as i64 - 1,
            ),
        ];
        if let Some((key, _)) = positive.iter().find(|(_, v)| *v <= 0) {
            return Err(format!(
                "{key} must be positive (cycle.max_length, stack.max_payees and split's min_payments at least 2)"
            ));
        }
        if let Some((key, _)) = [
            ("out_of_order_seconds", self.out_of_order_seconds),
            ("fan_in.known_days", self.fan_in.known_days),
            ("fan_out.known_days", self.fan_out.known_days),
            ("funnel.out_hours", self.funnel.out_hours),
            ("standing.days", self.standing.days),
            ("split.collector_days", self.split.collector_days),
        ]
        .iter()
        .find(|(_, v)| *v < 0)
        {
            return Err(format!("{key} must not be negative"));
        }
        if let Some((key, _)) = [
            ("structuring.above_usual", self.structuring.above_usual),
            ("fan_in.above_usual", self.fan_in.above_usual),
            ("fan_out.above_usual", self.fan_out.above_usual),
            ("pass_through.above_usual", self.pass_through.above_usual),
            (
                "gather_scatter.above_usual",
                self.gather_scatter.above_usual,
            ),
            ("split.small_ratio", self.split.small_ratio),
            (
                "split.collector_deviations",
                self.split.collector_deviations,
            ),
            ("fan_in.amount_spread", self.fan_in.amount_spread),
            ("fan_out.amount_spread", self.fan_out.amount_spread),
            ("fan_in.min_amount", self.fan_in.min_amount),
            ("fan_out.min_amount", self.fan_out.min_amount),
            ("bipartite.min_amount", self.bipartite.min_amount),
            ("stack.min_amount", self.stack.min_amount),
            ("pass_through.min_amount", self.pass_through.min_amount),
            (
                "gather_scatter.amount_spread",
                self.gather_scatter.amount_spread,
            ),
            (
                "scatter_gather.amount_spread",
                self.scatter_gather.amount_spread,
            ),
        ]
        .iter()
        .find(|(_, v)| !(v.is_finite() && *v >= 0.0))
        {
            return Err(format!("{key} must be a number, not negative"));
        }
        let pass = &self.pass_through;
        if pass.business_min_pairs != 0 && pass.business_min_pairs < pass.min_pairs {
            return Err(
                "pass_through.business_min_pairs must be 0 or at least pass_through.min_pairs"
                    .into(),
            );
        }
        // A year of window is far beyond any typology and would hold a year of edges.
        if self.horizon() > 366 * 86_400 {
            return Err("windows longer than a year are refused".into());
        }
        for (key, ratio) in [
            ("structuring.near_ratio", self.structuring.near_ratio),
            ("structuring.min_share", self.structuring.min_share),
            ("structuring.near_share", self.structuring.near_share),
            ("fan_in.like_share", self.fan_in.like_share),
            ("fan_in.max_chance", self.fan_in.max_chance),
            ("fan_out.max_chance", self.fan_out.max_chance),
            ("fan_out.like_share", self.fan_out.like_share),
            ("gather_scatter.max_chance", self.gather_scatter.max_chance),
            ("gather_scatter.like_share", self.gather_scatter.like_share),
            ("funnel.out_ratio", self.funnel.out_ratio),
            ("cycle.min_ratio", self.cycle.min_ratio),
            ("cycle.hop_ratio", self.cycle.hop_ratio),
            ("pass_through.ratio", self.pass_through.ratio),
            ("pass_through.passed_share", self.pass_through.passed_share),
            ("bipartite.amount_spread", self.bipartite.amount_spread),
            (
                "bipartite.shared_receivers",
                self.bipartite.shared_receivers,
            ),
            ("stack.forwarded", self.stack.forwarded),
        ] {
            if !(0.0..=1.0).contains(&ratio) {
                return Err(format!("{key} must be between 0 and 1"));
            }
        }
        let most = crate::collector::COLLECTED + 1;
        if !(2..=most).contains(&self.split.collector_payers) {
            return Err(format!(
                "split.collector_payers must be between 2 and {most}"
            ));
        }
        // The record is kept per account, not per day, but a year's look back is no
        // collector's turn-taking any more than a year of window is a typology.
        if self.split.collector_days > 366 {
            return Err("split.collector_days longer than a year is refused".into());
        }
        for (i, t) in self.structuring.thresholds.iter().enumerate() {
            if !(t.amount > 0.0 && t.amount < 1e12) {
                return Err(format!(
                    "structuring.thresholds[{i}].amount must be positive"
                ));
            }
            for date in [&t.from, &t.until].into_iter().flatten() {
                crate::read::parse_iso_time(date)
                    .map_err(|e| format!("structuring.thresholds[{i}]: {e}"))?;
            }
            if crate::read::known_currency(&t.currency).is_none() {
                return Err(format!(
                    "structuring.thresholds[{i}].currency: unknown currency {:?}",
                    t.currency
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_is_the_default_and_versions_follow_content() {
        let rules = Rules::from_toml("", "rules.toml").unwrap();
        assert_eq!(rules, Rules::default());
        let tighter = Rules::from_toml("[fan_in]\nmin_counterparties = 8\n", "rules.toml").unwrap();
        assert_eq!(tighter.fan_in.min_counterparties, 8);
        assert_eq!(tighter.fan_out.min_counterparties, 5);
        assert_ne!(tighter.version(), rules.version());
        assert_eq!(rules.version(), Rules::default().version());
    }

    #[test]
    fn a_fan_section_keeps_its_own_defaults_for_keys_left_out() {
        let rules = Rules::from_toml(
            "[fan_in]\nknown_days = 0\n[fan_out]\nknown_days = 0\n",
            "rules.toml",
        )
        .unwrap();
        assert_eq!(rules, Rules::default());
        let wider = Rules::from_toml("[fan_out]\nhours = 96\n", "rules.toml").unwrap();
        assert_eq!(wider.fan_out.hours, 96);
        assert_eq!(
            wider.fan_out.min_amount,
            Rules::default().fan_out.min_amount
        );
        assert_eq!(wider.fan_in, Rules::default().fan_in);
    }

    #[test]
    fn bad_rules_name_the_file_and_key() {
        for (text, expect) in [
            (
                "[fan_in]\nmin_counterparties = 0\n",
                "fan_in.min_counterparties must be positive",
            ),
            (
                "[fan_in]\nmin_counterpartys = 3\n",
                "unknown field `min_counterpartys`",
            ),
            ("[cycle]\nhours = \"x\"\n", "invalid type"),
            ("[fan_out]\nhours = \"x\"\n", "invalid type"),
            ("[fan_in]\nchannels = [\"telex\"]\n", "telex"),
            (
                "[pass_through]\nratio = 1.5\n",
                "pass_through.ratio must be between 0 and 1",
            ),
            ("[cycle]\nhours = 100000\n", "longer than a year"),
            (
                "[gather_scatter]\nlike_share = 2\n",
                "gather_scatter.like_share must be between 0 and 1",
            ),
            (
                "[scatter_gather]\namount_spread = -1\n",
                "scatter_gather.amount_spread must be a number, not negative",
            ),
            (
                "[gather_scatter]\nmax_chance = -0.1\n",
                "gather_scatter.max_chance must be between 0 and 1",
            ),
            ("[cycle]\nsame_channel = 1\n", "invalid type"),
            (
                "[[structuring.thresholds]]\ncurrency = \"USD\"\namount = 1000\nfrom = \"2026-13-01\"\n",
                "structuring.thresholds[0]",
            ),
        ] {
            let err = Rules::from_toml(text, "my.toml").unwrap_err().to_string();
            assert!(err.starts_with("my.toml: "), "{err}");
            assert!(err.contains(expect), "{text}: {err}");
        }
    }
}
