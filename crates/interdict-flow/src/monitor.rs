//! The monitor: transactions in, alerts out.
//!
//! Each account keeps the edges of its last [`Rules::horizon`] seconds, in and out; the
//! detectors look only at those. A detector that fires opens an *episode* for its typology
//! and key account, which gathers the pattern's later transactions until its window has
//! passed, and is then emitted as one alert. So a 16-sender fan-in is one alert naming all
//! 16, not twelve alerts naming five each.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::collector::{Collected, Usual};
use crate::rules::Rules;
use crate::txn::{Account, CHANNELS, Channel, Currency, Names, Place, Segment, Txn, rfc3339};

/// One side of a transaction as an account's window keeps it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Edge {
    pub at: i64,
    pub other: Account,
    pub amount: i64,
    pub seq: u64,
    pub channel: Channel,
    pub currency: Currency,
    pub place: Option<Place>,
}

/// An account's recent edges, oldest first. Both sides' headers share one cache line.
#[derive(Debug, Default)]
#[repr(align(64))]
pub(crate) struct Window {
    pub ins: VecDeque<Edge>,
    pub outs: VecDeque<Edge>,
}

/// The laundering typologies detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Typology {
    BlockedParty,
    Structuring,
    Funnel,
    FanIn,
    FanOut,
    GatherScatter,
    ScatterGather,
    Cycle,
    Bipartite,
    Stack,
    PassThrough,
    Split,
    /// Micro-payments from several payers to one account (keyed on the payee, apart from
    /// the payer's own splits).
    Collector,
}

impl Typology {
    pub const ALL: [Typology; 13] = [
        Self::BlockedParty,
        Self::Structuring,
        Self::Funnel,
        Self::FanIn,
        Self::FanOut,
        Self::GatherScatter,
        Self::ScatterGather,
        Self::Cycle,
        Self::Bipartite,
        Self::Stack,
        Self::PassThrough,
        Self::Split,
        Self::Collector,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::BlockedParty => "blocked-party",
            Self::Structuring => "structuring",
            Self::Funnel => "funnel",
            Self::FanIn => "fan-in",
            Self::FanOut => "fan-out",
            Self::GatherScatter => "gather-scatter",
            Self::ScatterGather => "scatter-gather",
            Self::Cycle => "cycle",
            Self::Bipartite => "bipartite",
            Self::Stack => "stack",
            Self::PassThrough => "pass-through",
            Self::Split => "split",
            Self::Collector => "collector",
        }
    }

    /// How urgent an alert of this kind is: a designated party's money above all.
    pub fn severity(self) -> Severity {
        match self {
            Self::BlockedParty => Severity::Critical,
            Self::Structuring | Self::Funnel | Self::Cycle | Self::Stack => Severity::High,
            _ => Severity::Medium,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Medium,
    High,
    Critical,
}

/// An alert with its evidence, as written out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    pub typology: Typology,
    pub severity: Severity,
    /// How far past the rule's bar the evidence goes, 0.5 at the bar, towards 1 beyond it.
    pub score: f64,
    /// The accounts involved, as the input names them; the key account first.
    pub accounts: Vec<String>,
    /// The transactions that form the evidence: the input's ids, else `line:N`.
    pub transactions: Vec<String>,
    pub window: AlertWindow,
    pub summary: String,
    pub rules_version: String,
    /// The evidence's positions in the input, for evaluation.
    #[serde(skip)]
    pub seqs: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlertWindow {
    pub from: String,
    pub to: String,
}

/// A pattern being gathered: the detector fired, and its window is still open.
#[derive(Debug)]
pub(crate) struct Episode {
    pub typology: Typology,
    pub key: Account,
    pub deadline: i64,
    pub accounts: Vec<Account>,
    pub seqs: Vec<(u64, i64)>,
    pub score: f64,
    pub summary: String,
    /// Past this many other accounts the pattern is an account's ordinary mass business (a
    /// utility's customers, an employer's staff), not a typology: the episode is dropped.
    pub cap: usize,
    /// Set once the cap is passed; the episode then gathers nothing more.
    pub mass: bool,
    /// For rules judged against the account's usual activity: the side, the bar and the
    /// window, checked again when the episode closes.
    pub usual: Option<(Side, Bar, i64)>,
    /// The end of the window the episode gathers in (set when it opens).
    pub until: i64,
    /// Gathered accounts past which repeats are folded (set when it opens).
    pub compact_at: usize,
    /// The transactions gathered so far.
    pub seen: FxHashSet<u64>,
    /// What a later payment must look like to join the open episode: its channel, its
    /// currency and an amount range (a fan's like payments); none for any.
    pub band: Option<(Channel, Currency, i64, i64)>,
    /// Evidence that stands whatever the account's usual activity (deposits just under the
    /// threshold): merged into an open episode, it lifts that episode's usual-activity test.
    pub standing: bool,
    /// The count the usual-activity test weighs, where it is more than the evidence (a day's
    /// cash deposits, of which only the large pieces are evidence of structuring).
    pub counted: usize,
    /// Where the evidence is more than the side judged (a gathering's payments in, beside
    /// its scatter): the counterparties and the payments on that side, for the test at close.
    pub weighed: Option<(usize, usize)>,
}

impl Episode {
    /// What a detector found: the key account first, then the others and the evidence.
    pub fn new(
        typology: Typology,
        key: Account,
        deadline: i64,
        accounts: Vec<Account>,
        seqs: Vec<(u64, i64)>,
        score: f64,
        summary: String,
    ) -> Self {
        Self {
            typology,
            key,
            deadline,
            accounts,
            seqs,
            score,
            summary,
            cap: usize::MAX,
            mass: false,
            usual: None,
            until: deadline,
            compact_at: 0,
            seen: FxHashSet::default(),
            band: None,
            standing: false,
            counted: 0,
            weighed: None,
        }
    }

    /// Weighed by the usual-activity test as `count` transactions, if more than its evidence.
    pub fn counting(mut self, count: usize) -> Self {
        self.counted = count;
        self
    }

    /// Judged at close on `count` counterparties among `in_window` payments on its side, as
    /// when it opened, not on all its accounts and evidence.
    pub fn weighing(mut self, count: usize, in_window: usize) -> Self {
        self.weighed = Some((count, in_window));
        self
    }

    /// Evidence that needs no judging against usual activity.
    pub fn standing(mut self) -> Self {
        self.standing = true;
        self
    }

    /// Later payments join only if they go by this channel, in this currency, for an
    /// amount in `amounts`.
    pub fn banded(mut self, channel: Channel, currency: Currency, amounts: (i64, i64)) -> Self {
        self.band = Some((channel, currency, amounts.0, amounts.1));
        self
    }

    /// Dropped as mass business past this many other accounts.
    pub fn capped(mut self, cap: usize) -> Self {
        self.cap = cap;
        self
    }

    /// Marked as mass business by its detector, which saw more than the accounts it names:
    /// it is dropped, and so is an episode open for the same account and typology.
    pub fn mass_if(mut self, mass: bool) -> Self {
        self.mass |= mass;
        self
    }

    /// Judged, when it closes, against the account's usual activity on that side over
    /// `span` (a bar with both tests off judges nothing).
    pub fn judged(mut self, side: Side, bar: Bar, span: i64) -> Self {
        self.usual = (bar.ratio > 0.0 || bar.chance > 0.0).then_some((side, bar, span));
        self
    }
}

/// What a pattern must be against the account's usual activity to stand out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bar {
    /// At least this many times the usual count (0: no such test).
    pub ratio: f64,
    /// At most this likely from the usual activity arriving at its usual rate, as a Poisson
    /// process (0: no such test).
    pub chance: f64,
}

impl Bar {
    /// A ratio alone.
    pub fn ratio(ratio: f64) -> Self {
        Bar { ratio, chance: 0.0 }
    }
}

/// Which of an account's transactions a usual-activity test counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// Payments in, judged by distinct senders.
    In,
    /// Payments out, judged by distinct recipients.
    Out,
    /// Cash deposits, judged by their number.
    CashIn,
    /// Transfers in by the pass-through channels, judged by the number passed on.
    TransferIn,
    /// Payments out to one account, judged by their number against all payments out.
    Repeats,
    /// Payments out other than by card (and no cash paid into one's own account), judged by
    /// distinct recipients: a card holder's many purchases are not what a fan of transfers
    /// stands out against.
    FanOut,
    /// Payments in by one channel, judged by distinct senders: a fan of ACH payments stands
    /// out against the ACH payments the account usually gets, not its shop's card takings.
    InBy(Channel),
}

/// Why a transaction was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum Refused {
    #[error(
        "timestamp {at} is {behind} s behind the latest seen, beyond the {tolerance} s tolerance"
    )]
    OutOfOrder {
        at: String,
        behind: i64,
        tolerance: i64,
    },
}

/// Counters a run reports.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MonitorStats {
    pub transactions: u64,
    pub alerts: u64,
    pub alerts_by_typology: std::collections::BTreeMap<&'static str, u64>,
    /// Cycle searches that stopped at `cycle.max_steps`.
    pub cycle_searches_cut: u64,
    /// Episodes dropped for involving more accounts than their rule's cap.
    pub dropped_as_mass: u64,
    /// Episodes dropped, once enough history was seen, as the account's usual activity.
    pub dropped_as_usual: u64,
    /// Edges held in windows at the end, and at most.
    pub edges_held: u64,
    pub edges_held_max: u64,
}

/// The stream's state: windows per account, open episodes, and what the rules say.
pub struct Monitor {
    pub(crate) rules: Rules,
    version: String,
    pub(crate) horizon: i64,
    pub(crate) windows: Vec<Window>,
    /// Per account, where the fan detectors last found each side's window to start: a
    /// hint, checked before use, that spares a busy account's binary search. Kept apart
    /// from the windows, which it would push past a cache line.
    pub(crate) starts: Vec<[std::cell::Cell<usize>; 2]>,
    pub(crate) open: FxHashMap<(Typology, Account), Episode>,
    deadlines: BinaryHeap<Reverse<(i64, Typology, Account)>>,
    /// Designated or blocked accounts, with the entity they belong to.
    blocked: FxHashMap<Account, String>,
    /// What kind of customer holds an account, where the bank said
    /// ([`Monitor::set_segment`]).
    pub(crate) segments: FxHashMap<Account, Segment>,
    /// Pass-through pairs per account.
    pub(crate) pairs: FxHashMap<Account, VecDeque<Pair>>,
    /// Scatter-gather paths per sink, then per source.
    pub(crate) sinks: FxHashMap<Account, FxHashMap<Account, Vec<Path>>>,
    /// Recent layers, for stacks, oldest first.
    pub(crate) layers: Layers,
    /// The next layer's id.
    pub(crate) layer_ids: u64,
    /// Per account, until when it is a recent layer's receiver (at least; a stale later
    /// time only costs a look through the layers).
    pub(crate) watched_until: Vec<i64>,
    pub(crate) thresholds: Vec<CashThreshold>,
    pub(crate) latest: i64,
    /// The first transaction's time.
    pub(crate) started: i64,
    /// Transactions in and out per account since the stream began, and payments in from
    /// others by channel.
    pub(crate) counts: Vec<(u32, u32, [u32; CHANNELS])>,
    /// Cash deposits per account since the stream began.
    pub(crate) cash_in: Vec<u32>,
    /// Payments in by the pass-through channels per account since the stream began.
    pub(crate) transfers_in: Vec<u32>,
    /// Payments out other than by card (cash deposits left out) per account since the
    /// stream began.
    pub(crate) fan_outs: Vec<u32>,
    /// The natural logarithms of the amounts each account paid, summed since the stream began
    /// (with `counts`, its usual payment size); kept only while the split rule's
    /// micro-payment test is on.
    pub(crate) sizes: Vec<f64>,
    /// What each account usually pays and is paid, as the micro-payment collector judges it;
    /// kept only while that test is on.
    pub(crate) usual: Vec<Usual>,
    /// Per receiving account, its latest micro-payments, one per payer: the micro-payment
    /// collector's record. Stale entries go at each sweep.
    pub(crate) collected: FxHashMap<Account, Collected>,
    edges: u64,
    swept_at: i64,
    pub(crate) stats: MonitorStats,
    ready: Vec<Episode>,
    /// Set while [`Monitor::finish`] closes every episode.
    finishing: bool,
}

impl Monitor {
    pub fn new(rules: Rules) -> Self {
        Self {
            thresholds: cash_thresholds(&rules),
            version: rules.version(),
            horizon: rules.horizon(),
            rules,
            windows: Vec::new(),
            starts: Vec::new(),
            open: FxHashMap::default(),
            deadlines: BinaryHeap::new(),
            blocked: FxHashMap::default(),
            segments: FxHashMap::default(),
            pairs: FxHashMap::default(),
            sinks: FxHashMap::default(),
            layers: VecDeque::new(),
            layer_ids: 0,
            watched_until: Vec::new(),
            latest: i64::MIN,
            started: i64::MIN,
            counts: Vec::new(),
            cash_in: Vec::new(),
            transfers_in: Vec::new(),
            fan_outs: Vec::new(),
            sizes: Vec::new(),
            usual: Vec::new(),
            collected: FxHashMap::default(),
            edges: 0,
            swept_at: i64::MIN,
            stats: MonitorStats::default(),
            ready: Vec::new(),
            finishing: false,
        }
    }

    pub fn rules_version(&self) -> &str {
        &self.version
    }

    /// Marks an account as a designated or blocked party's: any transaction touching it is
    /// an alert of the highest severity, at once.
    pub fn block(&mut self, account: Account, entity: &str) {
        self.blocked.insert(account, entity.to_string());
    }

    /// Records what kind of customer holds `account` (know-your-customer data): rules that a
    /// business meets in its ordinary trade ask more of one (`pass_through.business_min_pairs`).
    pub fn set_segment(&mut self, account: Account, segment: Segment) {
        self.segments.insert(account, segment);
    }

    /// Forgets every blocked account: the lists changed, and [`Monitor::block`] follows.
    pub fn unblock_all(&mut self) {
        self.blocked.clear();
    }

    /// Takes one transaction; alerts whose windows have closed are appended to `out`.
    pub fn push(&mut self, txn: &Txn, names: &Names, out: &mut Vec<Alert>) -> Result<(), Refused> {
        let tolerance = self.rules.out_of_order_seconds;
        if txn.at < self.latest.saturating_sub(tolerance) {
            return Err(Refused::OutOfOrder {
                at: rfc3339(txn.at),
                behind: self.latest - txn.at,
                tolerance,
            });
        }
        self.latest = self.latest.max(txn.at);
        if self.started == i64::MIN {
            self.started = txn.at;
        }
        self.stats.transactions += 1;
        self.close_due(names, out);
        self.record(txn);
        if let Some(entity) = self.blocked_touch(txn) {
            self.emit_now(txn, entity, names, out);
        }
        self.detect(txn, names);
        if self.latest.saturating_sub(self.swept_at) > self.horizon {
            self.sweep();
        }
        Ok(())
    }

    /// Closes every open episode: the end of the stream. Episodes are still judged against
    /// the history the stream held, up to its last transaction.
    pub fn finish(&mut self, names: &Names, out: &mut Vec<Alert>) {
        self.finishing = true;
        self.close_due(names, out);
        self.finishing = false;
        self.stats.edges_held = self.edges;
    }

    pub fn stats(&self) -> &MonitorStats {
        &self.stats
    }

    fn blocked_touch(&self, txn: &Txn) -> Option<String> {
        if self.blocked.is_empty() {
            return None;
        }
        [txn.from, txn.to]
            .iter()
            .find_map(|a| self.blocked.get(a).cloned())
    }

    fn emit_now(&mut self, txn: &Txn, entity: String, names: &Names, out: &mut Vec<Alert>) {
        let key = if self.blocked.contains_key(&txn.from) {
            txn.from
        } else {
            txn.to
        };
        let other = if key == txn.from { txn.to } else { txn.from };
        let summary = format!("account belongs to designated or blocked party {entity}");
        let seqs = vec![(txn.seq, txn.at)];
        let episode = Episode::new(
            Typology::BlockedParty,
            key,
            txn.at,
            vec![other],
            seqs,
            1.0,
            summary,
        );
        out.push(self.alert(episode, names));
    }

    /// Adds the transaction to both accounts' windows, keeping each in time order.
    fn record(&mut self, txn: &Txn) {
        let need = txn.from.max(txn.to) as usize + 1;
        if self.windows.len() < need {
            self.windows.resize_with(need, Window::default);
            self.starts.resize_with(need, Default::default);
        }
        if self.counts.len() < need {
            self.counts.resize(need, (0, 0, [0; CHANNELS]));
        }
        let (from, to) = (txn.from as usize, txn.to as usize);
        let cutoff = txn.at - self.horizon;
        // Scatter-gather and bipartite layers judge an account by how many edges its window
        // holds, so with either on every window is trimmed to the horizon as it is recorded
        // into. The other detectors look only at edges within their own spans: their windows
        // are trimmed when they would otherwise grow, and by `sweep`. That spares a cache
        // miss on each window's oldest edge, a third of the time recording took.
        let exact = self.rules.scatter_gather.enabled || self.rules.bipartite.enabled;
        // No edge held is later than the latest time seen, so the newest transaction goes
        // at the back of both windows without their last edges being read.
        let newest = txn.at >= self.latest;
        // Both windows' ends are read before either is changed, so their cache misses are
        // waited for together, not one after another.
        let ends = |side: &VecDeque<Edge>| {
            let full = exact || side.len() == side.capacity();
            (
                full && side.front().is_some_and(|e| e.at < cutoff),
                newest || side.back().is_none_or(|e| e.at <= txn.at),
            )
        };
        let (outs_stale, outs_in_order) = ends(&self.windows[from].outs);
        let (ins_stale, ins_in_order) = ends(&self.windows[to].ins);
        let count = &mut self.counts[to];
        count.0 += 1;
        // Own-account moves are no payment in from anyone.
        if txn.from != txn.to {
            count.2[txn.channel as usize] += 1;
        }
        self.counts[from].1 += 1;
        if self.rules.split.enabled && self.rules.split.small_ratio > 0.0 {
            if self.sizes.len() < need {
                self.sizes.resize(need, 0.0);
            }
            let size = log_size(txn.amount);
            self.sizes[from] += size;
            if self.collecting() {
                self.count_usual(txn, size, need);
            }
        }
        let edge = |other| Edge {
            at: txn.at,
            other,
            amount: txn.amount,
            seq: txn.seq,
            channel: txn.channel,
            currency: txn.currency,
            place: txn.place,
        };
        for (account, outgoing, stale, in_order) in [
            (from, true, outs_stale, outs_in_order),
            (to, false, ins_stale, ins_in_order),
        ] {
            let window = &mut self.windows[account];
            let side = if outgoing {
                &mut window.outs
            } else {
                &mut window.ins
            };
            if stale {
                while side.front().is_some_and(|e| e.at < cutoff) {
                    side.pop_front();
                    self.edges -= 1;
                }
            }
            let e = edge(if outgoing { txn.to } else { txn.from });
            if in_order || side.back().is_none_or(|x| x.at <= e.at) {
                side.push_back(e);
            } else {
                let at = side.iter().rev().take_while(|x| x.at > e.at).count();
                side.insert(side.len() - at, e);
            }
            self.edges += 1;
        }
        self.stats.edges_held_max = self.stats.edges_held_max.max(self.edges);
    }

    /// Asks for the windows of `txn`'s accounts to be brought into cache, a transaction or
    /// two before it is pushed: their headers first (`ends` false), then, once those are
    /// in, the newest edges (and, where a window is full, its oldest) that recording and
    /// the detectors read. A hint only: nothing is changed, and nothing waits.
    pub(crate) fn prefetch(&self, txn: &Txn, ends: bool) {
        for (account, outgoing) in [(txn.from, true), (txn.to, false)] {
            let Some(window) = self.windows.get(account as usize) else {
                continue;
            };
            if !ends {
                prefetch(window);
                continue;
            }
            let side = if outgoing { &window.outs } else { &window.ins };
            let len = side.len();
            // The newest edges, which the detectors count back from; the oldest only when
            // recording will look whether it is stale.
            let exact = self.rules.scatter_gather.enabled || self.rules.bipartite.enabled;
            let oldest = if exact || len == side.capacity() {
                0
            } else {
                usize::MAX
            };
            for i in [1, 3, 5]
                .map(|back| len.wrapping_sub(back))
                .into_iter()
                .chain([oldest])
            {
                if let Some(edge) = side.get(i) {
                    prefetch(edge);
                }
            }
        }
    }

    /// Drops edges older than the horizon from every window, and the state keyed on them.
    fn sweep(&mut self) {
        let cutoff = self.latest - self.horizon;
        for window in &mut self.windows {
            for side in [&mut window.ins, &mut window.outs] {
                let before = side.len();
                while side.front().is_some_and(|e| e.at < cutoff) {
                    side.pop_front();
                }
                self.edges -= (before - side.len()) as u64;
                if side.is_empty() && side.capacity() > 0 {
                    *side = VecDeque::new();
                }
            }
        }
        self.pairs.retain(|_, p| {
            p.retain(|x| x.0 >= cutoff);
            !p.is_empty()
        });
        // Scatter-gather paths older than the rule's span are never used again.
        let paths_cutoff = self.latest - self.rules.scatter_gather.hours * crate::detect::HOUR;
        self.sinks.retain(|_, by_source| {
            by_source.retain(|_, paths| {
                paths.retain(|p| p.3 >= paths_cutoff);
                !paths.is_empty()
            });
            !by_source.is_empty()
        });
        while self.layers.front().is_some_and(|l| l.at < cutoff) {
            self.layers.pop_front();
        }
        self.sweep_collected(self.latest);
        self.swept_at = self.latest;
    }

    /// Opens an episode for `key`, or adds to the one open.
    pub(crate) fn fire(&mut self, mut episode: Episode) {
        match self.open.get_mut(&(episode.typology, episode.key)) {
            // Past its window an episode gathers nothing more, even while it waits to be judged.
            Some(open) if open.mass || episode.seqs.iter().any(|s| s.1 > open.until) => {}
            Some(open) if episode.mass => {
                open.mass = true;
                open.accounts = Vec::new();
                open.seqs = Vec::new();
                open.seen = FxHashSet::default();
            }
            Some(open) => {
                // A detector that fires again gives its whole evidence again: keep what is new.
                let fresh = episode.seqs.iter().filter(|s| open.seen.insert(s.0));
                let fresh: Vec<(u64, i64)> = fresh.copied().collect();
                if fresh.is_empty() {
                    return;
                }
                open.seqs.extend(fresh);
                open.accounts.append(&mut episode.accounts);
                if episode.standing {
                    open.usual = None;
                }
                open.score = open.score.max(episode.score);
                open.counted = open.counted.max(episode.counted);
                // Only a gather-scatter opens weighed, and once open it takes single payments
                // out, unweighed: both sides weighed does not happen yet (were it to, the
                // larger counts would be judged over the first span).
                open.weighed = match (open.weighed, episode.weighed) {
                    (Some(a), Some(b)) => Some((a.0.max(b.0), a.1.max(b.1))),
                    (a, b) => a.or(b),
                };
                // Repeats are folded now and then, not on every transaction: a busy account's
                // episode would otherwise be sorted once per payment.
                if open.accounts.len() > open.compact_at {
                    open.accounts.sort_unstable();
                    open.accounts.dedup();
                    open.compact_at = open.cap.max(open.accounts.len()).saturating_mul(2);
                    if open.accounts.len() > open.cap + 1 {
                        open.mass = true;
                        open.accounts = Vec::new();
                        open.seqs = Vec::new();
                        open.seen = FxHashSet::default();
                    }
                }
            }
            None => {
                episode.seen = episode.seqs.iter().map(|s| s.0).collect();
                episode.until = episode.deadline;
                episode.compact_at = episode.cap.saturating_mul(2);
                // Judged against the account's usual activity, an episode waits until the
                // stream holds enough history to tell what usual is.
                if let Some((_, _, span)) = episode.usual {
                    let judged = self.started.saturating_add(crate::detect::WARM_UP + span);
                    episode.deadline = episode.deadline.max(judged);
                }
                self.deadlines
                    .push(Reverse((episode.deadline, episode.typology, episode.key)));
                self.open.insert((episode.typology, episode.key), episode);
            }
        }
    }

    /// If an episode of this typology is open for `key`, whether `txn` looks like its
    /// payments and may join it.
    pub(crate) fn fits_open(&self, typology: Typology, key: Account, txn: &Txn) -> Option<bool> {
        let open = self.open.get(&(typology, key))?;
        Some(open.band.is_none_or(|(channel, currency, low, high)| {
            txn.channel == channel && txn.currency == currency && (low..=high).contains(&txn.amount)
        }))
    }

    fn close_due(&mut self, names: &Names, out: &mut Vec<Alert>) {
        while let Some(Reverse((deadline, typology, key))) = self.deadlines.peek().copied() {
            if deadline >= self.latest && !self.finishing {
                break;
            }
            self.deadlines.pop();
            if let Some(episode) = self.open.remove(&(typology, key)) {
                self.ready.push(episode);
            }
        }
        for mut episode in std::mem::take(&mut self.ready) {
            let key = episode.key;
            episode.accounts.retain(|a| *a != key);
            episode.accounts.sort_unstable();
            episode.accounts.dedup();
            if episode.mass || episode.accounts.len() > episode.cap {
                self.stats.dropped_as_mass += 1;
                continue;
            }
            if let Some((side, bar, span)) = episode.usual {
                let in_window = episode.seqs.len().max(episode.counted);
                let count = match side {
                    Side::CashIn | Side::Repeats => in_window,
                    // Each pass-through is an inflow and the outflow it paid for.
                    Side::TransferIn => in_window / 2,
                    Side::In | Side::Out | Side::FanOut | Side::InBy(_) => episode.accounts.len(),
                };
                // What came in by transfer within the span, the episode's or not, is not the
                // account's usual history, nor are the episode's inflows from before the span
                // (judged late, after the warm-up, it may reach back past it): usual is what
                // came before. Both legs of a pair carry the inflow's time.
                let in_window = if side == Side::TransferIn {
                    let since = self.latest - span;
                    let channels = &self.rules.pass_through.channels;
                    let recent = self.windows[key as usize]
                        .ins
                        .iter()
                        .rev()
                        .take_while(|e| e.at >= since)
                        .filter(|e| e.other != key && channels.contains(&e.channel))
                        .count();
                    let before = episode.seqs.iter().filter(|s| s.1 < since).count() / 2;
                    (recent + before).max(count)
                } else {
                    in_window
                };
                let (count, in_window) = episode.weighed.unwrap_or((count, in_window));
                if !self.unusual(key, side, count, in_window, span, bar) {
                    self.stats.dropped_as_usual += 1;
                    continue;
                }
            }
            out.push(self.alert(episode, names));
        }
    }

    /// An episode's alert; its accounts are already folded (the key left out, no repeats).
    fn alert(&mut self, mut episode: Episode, names: &Names) -> Alert {
        let key = episode.key;
        episode.seqs.sort_unstable();
        episode.seqs.dedup();
        let from = episode.seqs.iter().map(|s| s.1).min().unwrap_or(0);
        let to = episode.seqs.iter().map(|s| s.1).max().unwrap_or(0);
        self.stats.alerts += 1;
        *self
            .stats
            .alerts_by_typology
            .entry(episode.typology.name())
            .or_default() += 1;
        // The others by name: their ids follow the order accounts were first read.
        let mut others: Vec<String> = episode
            .accounts
            .iter()
            .map(|&a| names.account_name(a).to_string())
            .collect();
        others.sort_unstable();
        Alert {
            typology: episode.typology,
            severity: episode.typology.severity(),
            score: (episode.score * 1000.0).round() / 1000.0,
            accounts: std::iter::once(names.account_name(key).to_string())
                .chain(others)
                .collect(),
            transactions: episode.seqs.iter().map(|s| names.txn_id(s.0)).collect(),
            window: AlertWindow {
                from: rfc3339(from),
                to: rfc3339(to),
            },
            summary: episode.summary,
            rules_version: self.version.clone(),
            seqs: episode.seqs.iter().map(|s| s.0).collect(),
        }
    }
}

/// The logarithm a payment's amount adds to its accounts' [`Monitor::sizes`].
pub(crate) fn log_size(amount: i64) -> f64 {
    (amount.max(1) as f64).ln()
}

/// A hint that the cache line holding `value` is wanted soon.
#[inline(always)]
pub(crate) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch only hints at a cache line to load; it reads nothing the program
    // sees and cannot fault, and `value` is a live reference besides.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(value).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// A pass-through: (time in, seq in, seq out, sender, receiver).
pub(crate) type Pair = (i64, u64, u64, Account, Account);

/// A scatter-gather path: (middle account, seq in, seq out, time in, amount in).
pub(crate) type Path = (Account, u64, u64, i64, i64);

/// A layer of a stack: senders each paying two or more of its receivers, found alike by the
/// bipartite rule or as an earlier layer's receivers passed their money on.
#[derive(Debug)]
pub(crate) struct Layer {
    /// When it was found or last grew.
    pub at: i64,
    pub id: u64,
    /// The layer whose receivers passed their money on to make this one.
    pub parent: Option<u64>,
    /// The stack's key account: its first layer's.
    pub key: Account,
    /// Sorted ids.
    pub senders: Vec<Account>,
    /// Sorted ids.
    pub receivers: Vec<Account>,
    pub seqs: Vec<(u64, i64)>,
    /// A layer moves money one way: the channel and currency of its payments.
    pub channel: Channel,
    pub currency: Currency,
    /// Found alike by the bipartite rule (it alerted): only two such layers in sequence are
    /// a stack without the money being seen passed on.
    pub alike: bool,
}

pub(crate) type Layers = VecDeque<Layer>;

/// A structuring threshold as the detector uses it: dates as days, amount in millionths.
#[derive(Debug)]
pub(crate) struct CashThreshold {
    pub jurisdiction: String,
    pub currency: &'static str,
    pub micros: i64,
    pub from: Option<i64>,
    pub until: Option<i64>,
}

fn cash_thresholds(rules: &Rules) -> Vec<CashThreshold> {
    let day = |d: &Option<String>| {
        d.as_deref()
            .and_then(|d| crate::read::parse_iso_time(d).ok())
            .map(|at| at.div_euclid(86_400))
    };
    rules
        .structuring
        .thresholds
        .iter()
        .filter_map(|t| {
            Some(CashThreshold {
                jurisdiction: t.jurisdiction.clone(),
                currency: crate::read::known_currency(&t.currency)?,
                micros: t.micros(),
                from: day(&t.from),
                until: day(&t.until),
            })
        })
        .collect()
}

/// A score from how far a count goes past its bar: 0.5 at the bar, approaching 1.
pub(crate) fn score(count: f64, bar: f64) -> f64 {
    1.0 - 0.5 * (bar / count.max(bar)).powi(2)
}
