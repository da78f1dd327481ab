//! The laundering typologies and the parameters of their planted patterns, with the checks that
//! keep every pattern plantable.

use std::fmt;

use super::config::{Bounds, ConfigError};

const MAX_PATTERN_DEGREE: u32 = 100;

/// A laundering typology, named as in the patterns file's `BEGIN LAUNDERING ATTEMPT` lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Typology {
    /// `FAN-OUT`
    FanOut,
    /// `FAN-IN`
    FanIn,
    /// `GATHER-SCATTER`
    GatherScatter,
    /// `SCATTER-GATHER`
    ScatterGather,
    /// `CYCLE`
    Cycle,
    /// `BIPARTITE`
    Bipartite,
    /// `STACK`
    Stack,
    /// `STRUCTURING` (not in AMLworld)
    Structuring,
    /// `FUNNEL` (not in AMLworld)
    Funnel,
    /// `PASS-THROUGH` (not in AMLworld)
    PassThrough,
}

impl Typology {
    /// Every typology, in the order patterns are dealt.
    pub const ALL: [Typology; 10] = [
        Typology::FanOut,
        Typology::FanIn,
        Typology::GatherScatter,
        Typology::ScatterGather,
        Typology::Cycle,
        Typology::Bipartite,
        Typology::Stack,
        Typology::Structuring,
        Typology::Funnel,
        Typology::PassThrough,
    ];

    /// The name in the patterns file.
    pub fn name(self) -> &'static str {
        match self {
            Typology::FanOut => "FAN-OUT",
            Typology::FanIn => "FAN-IN",
            Typology::GatherScatter => "GATHER-SCATTER",
            Typology::ScatterGather => "SCATTER-GATHER",
            Typology::Cycle => "CYCLE",
            Typology::Bipartite => "BIPARTITE",
            Typology::Stack => "STACK",
            Typology::Structuring => "STRUCTURING",
            Typology::Funnel => "FUNNEL",
            Typology::PassThrough => "PASS-THROUGH",
        }
    }
}

/// The parameters of every planted typology. Amounts are in cents, shares are fractions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Typologies {
    /// One source pays many accounts.
    pub fan_out: FanSpec,
    /// Many senders pay one account.
    pub fan_in: FanSpec,
    /// A fan-in into a hub, then a fan-out from it.
    pub gather_scatter: GatherScatterSpec,
    /// A source pays intermediates that each forward to one sink.
    pub scatter_gather: ScatterGatherSpec,
    /// Money goes round a ring of accounts back to where it started.
    pub cycle: CycleSpec,
    /// A set of accounts pays another set, many to many.
    pub bipartite: BipartiteSpec,
    /// Bipartite layers in sequence.
    pub stack: StackSpec,
    /// Cash deposits kept under the reporting threshold.
    pub structuring: StructuringSpec,
    /// Out-of-area cash deposits wired on (FinCEN FIN-2014-A005).
    pub funnel: FunnelSpec,
    /// An account that passes on what it receives within a day, again and again.
    pub pass_through: PassThroughSpec,
}

/// FAN-OUT and FAN-IN: `degree` distinct counterparties within `hours`, amounts within ±15%
/// of one another.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FanSpec {
    /// Distinct counterparties (default 5..=16).
    pub degree: Bounds<u32>,
    /// The longest time from first to last payment (default 72).
    pub hours: u32,
}

impl Default for FanSpec {
    fn default() -> Self {
        FanSpec {
            degree: Bounds::new(5, 16),
            hours: 72,
        }
    }
}

/// GATHER-SCATTER: `inflows` senders pay a hub; after the last inflow the hub pays `outflows`
/// accounts a `paid_out` share of what came in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GatherScatterSpec {
    /// Distinct senders into the hub (default 5..=12).
    pub inflows: Bounds<u32>,
    /// Distinct receivers out of the hub (default 5..=12).
    pub outflows: Bounds<u32>,
    /// The longest time from first to last payment (default 120).
    pub hours: u32,
    /// Paid out over paid in (default 0.85..=0.98).
    pub paid_out: Bounds<f64>,
}

impl Default for GatherScatterSpec {
    fn default() -> Self {
        GatherScatterSpec {
            inflows: Bounds::new(5, 12),
            outflows: Bounds::new(5, 12),
            hours: 120,
            paid_out: Bounds::new(0.85, 0.98),
        }
    }
}

/// SCATTER-GATHER: a source pays `intermediates` accounts; each later forwards a `forwarded`
/// share of what it got to one sink.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScatterGatherSpec {
    /// Distinct intermediates (default 5..=12).
    pub intermediates: Bounds<u32>,
    /// The longest time from first to last payment (default 120).
    pub hours: u32,
    /// Forwarded over received, per intermediate (default 0.90..=0.99).
    pub forwarded: Bounds<f64>,
}

impl Default for ScatterGatherSpec {
    fn default() -> Self {
        ScatterGatherSpec {
            intermediates: Bounds::new(5, 12),
            hours: 120,
            forwarded: Bounds::new(0.90, 0.99),
        }
    }
}

/// CYCLE: `length` distinct accounts pay one another in a ring, each hop after the previous,
/// each keeping a `fee`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CycleSpec {
    /// Accounts (and hops) in the ring (default 3..=8).
    pub length: Bounds<u32>,
    /// The longest time from first to last hop (default 120).
    pub hours: u32,
    /// The share each hop keeps (default 0.01..=0.05).
    pub fee: Bounds<f64>,
}

impl Default for CycleSpec {
    fn default() -> Self {
        CycleSpec {
            length: Bounds::new(3, 8),
            hours: 120,
            fee: Bounds::new(0.01, 0.05),
        }
    }
}

/// BIPARTITE: each of `senders` accounts pays between two and all of `receivers` other
/// accounts; every receiver is paid at least once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BipartiteSpec {
    /// Paying accounts (default 3..=6).
    pub senders: Bounds<u32>,
    /// Paid accounts (default 3..=6; at least 2).
    pub receivers: Bounds<u32>,
    /// The longest time from first to last payment (default 72).
    pub hours: u32,
}

impl Default for BipartiteSpec {
    fn default() -> Self {
        BipartiteSpec {
            senders: Bounds::new(3, 6),
            receivers: Bounds::new(3, 6),
            hours: 72,
        }
    }
}

/// STACK: `layers` bipartite layers between `layers + 1` sets of `width` accounts; a layer pays
/// only after the previous one has finished, each account forwarding a `forwarded` share of
/// what it received.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StackSpec {
    /// Bipartite layers in sequence (default 2..=3).
    pub layers: Bounds<u32>,
    /// Accounts per set (default 3..=6; at least 2).
    pub width: Bounds<u32>,
    /// The longest time from first to last payment (default 120).
    pub hours: u32,
    /// Forwarded over received, per account of an inner set (default 0.90..=0.99).
    pub forwarded: Bounds<f64>,
}

impl Default for StackSpec {
    fn default() -> Self {
        StackSpec {
            layers: Bounds::new(2, 3),
            width: Bounds::new(3, 6),
            hours: 120,
            forwarded: Bounds::new(0.90, 0.99),
        }
    }
}

/// STRUCTURING: `Cash` rows in US Dollar into one account, through at least `min_banks`
/// different sending banks. Half the attempts that start on a business day take the same-day
/// form; the rest deposit just below the threshold over several days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StructuringSpec {
    /// Deposits on one business day (default 3..=6).
    pub same_day_deposits: Bounds<u32>,
    /// Each same-day deposit, in cents (default 3,000.00..=9,999.99).
    pub same_day_amount: Bounds<u64>,
    /// The same-day deposits sum to more than this, in cents (default 10,000.00).
    pub same_day_total_over: u64,
    /// Deposits just below the threshold (default 3..=5).
    pub below_deposits: Bounds<u32>,
    /// Each deposit just below the threshold, in cents (default 9,000.00..=9,999.99).
    pub below_amount: Bounds<u64>,
    /// The longest time from first to last deposit just below the threshold (default 120).
    pub below_hours: u32,
    /// Distinct sending banks (default 2).
    pub min_banks: u32,
}

impl Default for StructuringSpec {
    fn default() -> Self {
        StructuringSpec {
            same_day_deposits: Bounds::new(3, 6),
            same_day_amount: Bounds::new(300_000, 999_999),
            same_day_total_over: 1_000_000,
            below_deposits: Bounds::new(3, 5),
            below_amount: Bounds::new(900_000, 999_999),
            below_hours: 120,
            min_banks: 2,
        }
    }
}

/// FUNNEL: `deposits` US Dollar `Cash` rows from distinct depositors at banks other than the
/// funnel account's, then `Wire`s of a `wired` share of the total to `recipients` accounts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FunnelSpec {
    /// Out-of-area cash deposits (default 6..=15).
    pub deposits: Bounds<u32>,
    /// Each deposit, in cents (default 500.00..=9,000.00).
    pub deposit_amount: Bounds<u64>,
    /// The longest time from first to last deposit (default 168).
    pub deposit_hours: u32,
    /// Every wire goes out within this many hours of the last deposit (default 48).
    pub wire_hours: u32,
    /// Wired out over deposited (default 0.80..=0.97).
    pub wired: Bounds<f64>,
    /// Accounts wired to (default 1..=2).
    pub recipients: Bounds<u32>,
}

impl Default for FunnelSpec {
    fn default() -> Self {
        FunnelSpec {
            deposits: Bounds::new(6, 15),
            deposit_amount: Bounds::new(50_000, 900_000),
            deposit_hours: 168,
            wire_hours: 48,
            wired: Bounds::new(0.80, 0.97),
            recipients: Bounds::new(1, 2),
        }
    }
}

/// PASS-THROUGH: `rounds` times, an account receives an amount and sends a `forwarded` share
/// of it on within `hold_hours`; the rounds follow one another.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PassThroughSpec {
    /// In-and-out rounds (default 2..=4).
    pub rounds: Bounds<u32>,
    /// The longest time from the first inflow to the last outflow (default 168).
    pub hours: u32,
    /// The longest time from an inflow to its outflow (default 24).
    pub hold_hours: u32,
    /// Sent on over received (default 0.90..=0.99).
    pub forwarded: Bounds<f64>,
}

impl Default for PassThroughSpec {
    fn default() -> Self {
        PassThroughSpec {
            rounds: Bounds::new(2, 4),
            hours: 168,
            hold_hours: 24,
            forwarded: Bounds::new(0.90, 0.99),
        }
    }
}

impl Typologies {
    /// Checks every spec and that no pattern needs more than `max_accounts` accounts.
    pub(super) fn check(&self, max_accounts: usize) -> Result<(), ConfigError> {
        use Typology as T;
        let needs = [
            (T::FanOut, self.fan_out.check(T::FanOut)?),
            (T::FanIn, self.fan_in.check(T::FanIn)?),
            (T::GatherScatter, self.gather_scatter.check()?),
            (T::ScatterGather, self.scatter_gather.check()?),
            (T::Cycle, self.cycle.check()?),
            (T::Bipartite, self.bipartite.check()?),
            (T::Stack, self.stack.check()?),
            (T::Structuring, self.structuring.check()?),
            (T::Funnel, self.funnel.check()?),
            (T::PassThrough, self.pass_through.check()?),
        ];
        match needs.iter().find(|(_, n)| *n as usize > max_accounts) {
            Some((typology, n)) => Err(spec_error(
                *typology,
                "size",
                format!("a pattern may need {n} accounts, more than a quarter of the world"),
            )),
            None => Ok(()),
        }
    }
}

// Each check returns the most accounts one pattern of its typology can involve.

impl FanSpec {
    fn check(&self, typology: Typology) -> Result<u32, ConfigError> {
        check_count(typology, "degree", self.degree, 1)?;
        check_hours(typology, "hours", self.hours, 24)?;
        Ok(self.degree.max + 1)
    }
}

impl GatherScatterSpec {
    fn check(&self) -> Result<u32, ConfigError> {
        let t = Typology::GatherScatter;
        check_count(t, "inflows", self.inflows, 1)?;
        check_count(t, "outflows", self.outflows, 1)?;
        check_hours(t, "hours", self.hours, 24)?;
        check_share(t, "paid_out", self.paid_out)?;
        Ok(self.inflows.max + self.outflows.max + 1)
    }
}

impl ScatterGatherSpec {
    fn check(&self) -> Result<u32, ConfigError> {
        let t = Typology::ScatterGather;
        check_count(t, "intermediates", self.intermediates, 1)?;
        check_hours(t, "hours", self.hours, 24)?;
        check_share(t, "forwarded", self.forwarded)?;
        Ok(self.intermediates.max + 2)
    }
}

impl CycleSpec {
    fn check(&self) -> Result<u32, ConfigError> {
        let t = Typology::Cycle;
        check_count(t, "length", self.length, 2)?;
        check_hours(t, "hours", self.hours, 24)?;
        check_share(t, "fee", self.fee)?;
        Ok(self.length.max)
    }
}

impl BipartiteSpec {
    fn check(&self) -> Result<u32, ConfigError> {
        let t = Typology::Bipartite;
        check_count(t, "senders", self.senders, 1)?;
        check_count(t, "receivers", self.receivers, 2)?;
        check_hours(t, "hours", self.hours, 24)?;
        Ok(self.senders.max + self.receivers.max)
    }
}

impl StackSpec {
    fn check(&self) -> Result<u32, ConfigError> {
        let t = Typology::Stack;
        check_count(t, "layers", self.layers, 1)?;
        check_count(t, "width", self.width, 2)?;
        check_hours(t, "hours", self.hours, 24)?;
        check_share(t, "forwarded", self.forwarded)?;
        Ok((self.layers.max + 1) * self.width.max)
    }
}

impl StructuringSpec {
    fn check(&self) -> Result<u32, ConfigError> {
        let t = Typology::Structuring;
        check_count(
            t,
            "same_day_deposits",
            self.same_day_deposits,
            self.min_banks.max(1),
        )?;
        check_count(
            t,
            "below_deposits",
            self.below_deposits,
            self.min_banks.max(1),
        )?;
        check_amount(t, "same_day_amount", self.same_day_amount)?;
        check_amount(t, "below_amount", self.below_amount)?;
        check_hours(t, "below_hours", self.below_hours, 24)?;
        if !(1..=10).contains(&self.min_banks) {
            return Err(spec_error(
                t,
                "min_banks",
                format!("must be 1..=10, not {}", self.min_banks),
            ));
        }
        let most = u64::from(self.same_day_deposits.min) * self.same_day_amount.max;
        if most <= self.same_day_total_over {
            return Err(spec_error(
                t,
                "same_day_total_over",
                format!(
                    "{} deposits of at most {} cents cannot exceed it",
                    self.same_day_deposits.min, self.same_day_amount.max
                ),
            ));
        }
        Ok(self.same_day_deposits.max.max(self.below_deposits.max) + 1)
    }
}

impl FunnelSpec {
    fn check(&self) -> Result<u32, ConfigError> {
        let t = Typology::Funnel;
        check_count(t, "deposits", self.deposits, 1)?;
        check_amount(t, "deposit_amount", self.deposit_amount)?;
        check_hours(t, "deposit_hours", self.deposit_hours, 24)?;
        check_hours(t, "wire_hours", self.wire_hours, 1)?;
        check_share(t, "wired", self.wired)?;
        check_count(t, "recipients", self.recipients, 1)?;
        Ok(self.deposits.max + self.recipients.max + 1)
    }
}

impl PassThroughSpec {
    fn check(&self) -> Result<u32, ConfigError> {
        let t = Typology::PassThrough;
        check_count(t, "rounds", self.rounds, 1)?;
        check_hours(t, "hours", self.hours, 24)?;
        check_hours(t, "hold_hours", self.hold_hours, 1)?;
        check_share(t, "forwarded", self.forwarded)?;
        Ok(2 * self.rounds.max + 1)
    }
}

fn spec_error(typology: Typology, field: &'static str, reason: String) -> ConfigError {
    ConfigError::Spec {
        typology: typology.name(),
        field,
        reason,
    }
}

fn check_count(
    t: Typology,
    field: &'static str,
    b: Bounds<u32>,
    floor: u32,
) -> Result<(), ConfigError> {
    let ends = floor <= b.min && b.max <= MAX_PATTERN_DEGREE;
    let rule = format!("{floor} <= min <= max <= {MAX_PATTERN_DEGREE}");
    check_bounds(t, field, b, ends, &rule)
}

fn check_share(t: Typology, field: &'static str, b: Bounds<f64>) -> Result<(), ConfigError> {
    let ends = 0.0 < b.min && b.max <= 1.0;
    check_bounds(t, field, b, ends, "0 < min <= max <= 1")
}

fn check_amount(t: Typology, field: &'static str, b: Bounds<u64>) -> Result<(), ConfigError> {
    const MAX_CENTS: u64 = 100_000_000_000;
    let ends = 1 <= b.min && b.max <= MAX_CENTS;
    let rule = format!("1 <= min <= max <= {MAX_CENTS} cents");
    check_bounds(t, field, b, ends, &rule)
}

/// Accepts `b` when its ends are within range (`ends`) and in order; the error quotes `rule`.
fn check_bounds<T: PartialOrd + fmt::Display>(
    t: Typology,
    field: &'static str,
    b: Bounds<T>,
    ends: bool,
    rule: &str,
) -> Result<(), ConfigError> {
    if ends && b.min <= b.max {
        return Ok(());
    }
    let reason = format!("must satisfy {rule}, not {}..={}", b.min, b.max);
    Err(spec_error(t, field, reason))
}

/// A pattern's whole window is a day or more (so that its rows fit in order); a hold or a wire
/// delay may be as short as an hour.
fn check_hours(t: Typology, field: &'static str, hours: u32, min: u32) -> Result<(), ConfigError> {
    const MAX_HOURS: u32 = 24 * 366;
    if (min..=MAX_HOURS).contains(&hours) {
        return Ok(());
    }
    Err(spec_error(
        t,
        field,
        format!("must be {min}..={MAX_HOURS}, not {hours}"),
    ))
}
