//! The detectors, each a look at the windows of the accounts a transaction touches.
//!
//! Every detector reads first and fires after, so the windows are never changed while read.

use std::cell::Cell;
use std::collections::VecDeque;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::monitor::{Bar, Edge, Episode, Layer, Monitor, Path, Side, Typology, log_size, score};
use crate::read::UNIT;
use crate::txn::{Account, Channel, Currency, Names, Segment, Txn};

pub(crate) const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// Accounts with more edges than this in a window are not taken as members of a layering
/// layer (a utility paid by thousands is not a launderer's layer).
const MAX_LAYER_DEGREE: usize = 64;

/// Past this many payments in its window, an account is not looked at as a layer's sender at
/// all (the scan would cost more than such an account can be worth).
const BUSY_LAYER_DEGREE: usize = 8 * MAX_LAYER_DEGREE;

/// A busy sender paying like sums more often than this is not taken into a stack's first
/// layer.
const BUSY_LIKE_PAYMENTS: usize = 8;

/// Recent layers kept for stacks, at most: the oldest go first.
const MAX_LAYERS: usize = 1_024;

impl Monitor {
    pub(crate) fn detect(&mut self, txn: &Txn, names: &Names) {
        if txn.channel == Channel::Cash {
            let to = txn.to as usize;
            if self.cash_in.len() <= to {
                self.cash_in.resize(to + 1, 0);
            }
            self.cash_in[to] += 1;
            if self.rules.structuring.enabled {
                self.structuring(txn, names);
            }
        }
        // Own-account rows count (a firm's reinvestments are its business), cash paid into
        // one's own account does not: it is no payment out.
        let deposit = txn.from == txn.to && txn.channel == Channel::Cash;
        if txn.channel != Channel::Card && !deposit {
            let from = txn.from as usize;
            if self.fan_outs.len() <= from {
                self.fan_outs.resize(from + 1, 0);
            }
            self.fan_outs[from] += 1;
        }
        if txn.from == txn.to {
            return;
        }
        if self.rules.pass_through.channels.contains(&txn.channel) {
            let to = txn.to as usize;
            if self.transfers_in.len() <= to {
                self.transfers_in.resize(to + 1, 0);
            }
            self.transfers_in[to] += 1;
        }
        let rules = &self.rules;
        let (fan_in, fan_out) = (
            rules.fan_in.enabled && rules.fan_in.channels.contains(&txn.channel),
            rules.fan_out.enabled && rules.fan_out.channels.contains(&txn.channel),
        );
        if fan_in {
            self.fan(txn, true);
        }
        if fan_out {
            self.fan(txn, false);
        }
        let moves_on = !matches!(txn.channel, Channel::Cash | Channel::Card);
        if moves_on {
            if self.rules.funnel.enabled {
                self.funnel(txn, names);
            }
            if self.rules.pass_through.enabled {
                self.pass_through(txn);
            }
            if self.rules.gather_scatter.enabled {
                self.gather_scatter(txn);
            }
            if self.rules.scatter_gather.enabled {
                self.scatter_gather(txn);
            }
            if self.rules.cycle.enabled {
                self.cycle(txn);
            }
            if self.rules.bipartite.enabled {
                self.bipartite(txn);
                if self.rules.stack.enabled && !self.layers.is_empty() {
                    self.passed_on(txn);
                }
            }
            if self.rules.split.enabled {
                self.split(txn);
            }
        }
    }

    /// The reporting threshold for a cash deposit, in the deposit's currency, if one applies.
    fn threshold(&self, txn: &Txn, names: &Names) -> Option<i64> {
        let currency = names.currency_name(txn.currency);
        let place = txn.place.map_or("", |p| names.place_name(p));
        let day = txn.at.div_euclid(DAY);
        self.thresholds
            .iter()
            .filter(|t| t.currency == currency && place.starts_with(&t.jurisdiction))
            .filter(|t| t.from.is_none_or(|d| d <= day) && t.until.is_none_or(|d| day <= d))
            .max_by_key(|t| t.jurisdiction.len())
            .map(|t| t.micros)
    }

    fn structuring(&mut self, txn: &Txn, names: &Names) {
        let Some(threshold) = self.threshold(txn, names) else {
            return;
        };
        if txn.amount >= threshold {
            return;
        }
        let rules = &self.rules.structuring;
        let account = txn.to;
        let under = |e: &&Edge| {
            e.channel == Channel::Cash && e.currency == txn.currency && e.amount < threshold
        };
        let piece = (threshold as f64 * rules.min_share) as i64;
        let sizable = |e: &&Edge| e.amount >= piece;
        let ins = &self.windows[account as usize].ins;
        let day_start = txn.at.div_euclid(DAY) * DAY;
        let floor = (threshold as f64 * rules.near_ratio) as i64;
        let since = txn.at - rules.near_days * DAY;
        // The window is in time order: the deposits either test counts are among its newest,
        // from the earlier of the day's start and the near days' start. Read from the back,
        // they spare a pass over the whole window.
        let lower = day_start.min(since);
        let first = ins.len() - ins.iter().rev().take_while(|e| e.at >= lower).count();
        let recent = || ins.range(first..);
        let on_the_day = |e: &&Edge| e.at >= day_start && e.at < day_start + DAY;
        // Most cash deposits are one of a day, none of them near the threshold: the bars are
        // counted before any evidence is gathered.
        let (deposits, sum) = recent()
            .filter(on_the_day)
            .filter(under)
            .filter(sizable)
            .fold((0, 0i64), |(n, sum), e| (n + 1, sum + e.amount));
        // Judged against the account's usual cash, the day counts all its deposits: the usual
        // is counted over all of them too.
        let mut fired = Vec::new();
        if deposits >= rules.min_deposits && sum > threshold {
            let today: Vec<&Edge> = recent()
                .filter(on_the_day)
                .filter(under)
                .filter(sizable)
                .collect();
            // One person's cash at one place in a day is added up for the CTR anyway: evading
            // it takes several depositors or several places.
            let depositors = today.iter().map(|e| e.other).collect::<FxHashSet<_>>();
            let places = today.iter().map(|e| e.place).collect::<FxHashSet<_>>();
            if depositors.len().max(places.len()) >= rules.min_sources {
                fired.push(
                    Episode::new(
                        Typology::Structuring,
                        account,
                        day_start + DAY,
                        today.iter().map(|e| e.other).collect(),
                        today.iter().map(|e| (e.seq, e.at)).collect(),
                        score(sum as f64, threshold as f64),
                        format!(
                            "{} cash deposits in one day, each under {}, {} in all",
                            today.len(),
                            money(threshold),
                            money(sum)
                        ),
                    )
                    .judged(Side::CashIn, Bar::ratio(rules.above_usual), DAY)
                    .counting(recent().filter(on_the_day).filter(under).count()),
                );
            }
        }
        let is_near = |e: &&Edge| e.at >= since && e.amount >= floor;
        let near: Vec<&Edge> = match recent().filter(is_near).filter(under).count() {
            n if n >= rules.near_count => recent().filter(is_near).filter(under).collect(),
            _ => Vec::new(),
        };
        let places: FxHashSet<_> = near.iter().map(|e| e.place).collect();
        // Near the threshold by chance: a few of a busy cash business's many deposits.
        let mostly_near = || {
            let first = near.iter().map(|e| e.at).min().unwrap_or(txn.at);
            let cash = recent()
                .filter(|e| e.at >= first && e.channel == Channel::Cash)
                .filter(|e| e.currency == txn.currency)
                .count();
            near.len() as f64 >= rules.near_share * cash as f64
        };
        if near.len() >= rules.near_count && places.len() >= rules.near_places && mostly_near() {
            fired.push(
                Episode::new(
                    Typology::Structuring,
                    account,
                    txn.at + rules.near_days * DAY,
                    near.iter().map(|e| e.other).collect(),
                    near.iter().map(|e| (e.seq, e.at)).collect(),
                    score(near.len() as f64, rules.near_count as f64),
                    format!(
                        "{} cash deposits just under {} within {} days through {} places",
                        near.len(),
                        money(threshold),
                        rules.near_days,
                        places.len()
                    ),
                )
                .standing(),
            );
        }
        fired.into_iter().for_each(|e| self.fire(e));
    }

    /// Fan-in on the receiver (`incoming`) or fan-out on the sender.
    fn fan(&mut self, txn: &Txn, incoming: bool) {
        let (typology, account, rules) = match incoming {
            true => (Typology::FanIn, txn.to, &self.rules.fan_in),
            false => (Typology::FanOut, txn.from, &self.rules.fan_out),
        };
        let other = if incoming { txn.from } else { txn.to };
        let which = match incoming {
            true => Side::InBy(txn.channel),
            false => Side::FanOut,
        };
        // A payment too small to count completes no fan, nor joins one.
        if txn.amount < rules.min_micros() {
            return;
        }
        if let Some(fits) = self.fits_open(typology, account, txn) {
            let start = txn.at - rules.hours * HOUR;
            if fits && (incoming || !self.standing(account, &txn_edge(txn), start)) {
                self.fire(single(typology, account, other, txn));
            }
            return;
        }
        let window = &self.windows[account as usize];
        let side = if incoming { &window.ins } else { &window.outs };
        let start = txn.at - rules.hours * HOUR;
        // An account so busy that standing out would take more counterparties than the cap
        // allows can raise no fan: a fan that stood out would be dropped as mass business.
        let cap = rules.max_counterparties;
        let hours = rules.hours * HOUR;
        let usual = rules.bar();
        if side.len() < rules.min_counterparties
            || !self.unusual(account, which, cap, side.len(), hours, usual)
        {
            return;
        }
        // Fewer payments within the window than the bar asks counterparties: in time order,
        // the bar's newest but one is then before the window. Most accounts end here, on
        // one read.
        let bar = rules.min_counterparties;
        if bar > 0 && side[side.len() - bar].at < start {
            return;
        }
        // The window's size bounds its distinct counterparties: when that alone cannot pass
        // the bars, skip the scan (a utility's hundreds of payments a day end here).
        let in_window = count_since(
            side,
            start,
            &self.starts[account as usize][usize::from(incoming)],
        );
        let span = rules.hours * HOUR;
        // Hundreds of payments within the window are mass business however like some of them
        // are (before the stream holds enough history to say so by the usual-activity test).
        if in_window < rules.min_counterparties
            || in_window > MASS_FACTOR * cap
            || !self.unusual(account, which, in_window, in_window, span, usual)
        {
            return;
        }
        // A fan-in is judged against its own channel: only if that channel's payments within
        // the window could stand out is it worth gathering them.
        if incoming {
            let by_channel = side
                .iter()
                .rev()
                .take(in_window)
                .filter(|e| e.channel == txn.channel)
                .count();
            if by_channel < rules.min_counterparties
                || !self.unusual(account, which, by_channel.min(cap), by_channel, span, usual)
            {
                return;
            }
        }
        let min_amount = rules.min_micros();
        let known_since = start - rules.known_days * DAY;
        let known: FxHashSet<Account> = match rules.known_days {
            0 => FxHashSet::default(),
            _ => side
                .iter()
                .take_while(|e| e.at < start)
                .filter(|e| e.at >= known_since)
                .map(|e| e.other)
                .collect(),
        };
        let edges: Vec<&Edge> = side
            .iter()
            .rev()
            .take_while(|e| e.at >= start)
            .filter(|e| {
                // A fan goes one way (channel, currency): this payment's, which completes it.
                e.other != account
                    && e.channel == txn.channel
                    && e.currency == txn.currency
                    && e.amount >= min_amount
                    && !known.contains(&e.other)
            })
            .collect();
        if edges.len() < rules.min_counterparties {
            return;
        }
        // The window's payments that way (channel, currency, size), before the like ones
        // are picked.
        let same_way = edges.len();
        // A fan-out's payments are not the account's standing payments (payroll, standing
        // orders): those are its scheduled business.
        let standing = match incoming {
            true => Vec::new(),
            false => self.standing_amounts(account, start),
        };
        let edges: Vec<&Edge> = match standing.is_empty() {
            true => edges,
            false => edges
                .into_iter()
                .filter(|e| standing.binary_search(&(e.amount, e.currency)).is_err())
                .collect(),
        };
        if edges.len() < rules.min_counterparties {
            return;
        }
        // The like payments this one completes lie within the spread of its amount.
        let spread = 1.0 + rules.amount_spread;
        let near = (txn.amount as f64 / spread, txn.amount as f64 * spread);
        let edges: Vec<&Edge> = edges
            .into_iter()
            .filter(|e| (near.0..=near.1).contains(&(e.amount as f64)))
            .collect();
        if edges.len() < rules.min_counterparties {
            return;
        }
        let edges = alike(edges, rules.amount_spread);
        let distinct: FxHashSet<Account> = edges.iter().map(|e| e.other).collect();
        if distinct.len() < rules.min_counterparties {
            return;
        }
        // A fan is most of what moved that way in its window. A hub paid by a steady
        // stream at all sorts of amounts holds a handful of like ones by chance.
        if !most_of(edges.len(), same_way, rules.like_share) {
            return;
        }
        let (hours, max_counterparties) = (rules.hours, rules.max_counterparties);
        let band = like_band(&edges, rules.amount_spread);
        if !self.unusual(
            account,
            which,
            distinct.len(),
            edges.len(),
            hours * HOUR,
            usual,
        ) {
            return;
        }
        let total: i64 = edges.iter().map(|e| e.amount).sum();
        let episode = Episode::new(
            typology,
            account,
            txn.at + rules.hours * HOUR,
            distinct.iter().copied().collect(),
            edges.iter().map(|e| (e.seq, e.at)).collect(),
            score(distinct.len() as f64, rules.min_counterparties as f64),
            format!(
                "{} distinct {} within {} h, {} in all",
                distinct.len(),
                if incoming { "senders" } else { "recipients" },
                rules.hours,
                money(total)
            ),
        )
        .capped(max_counterparties)
        .judged(which, usual, hours * HOUR)
        .banded(txn.channel, txn.currency, band);
        self.fire(episode);
    }

    /// Cash from many depositors away from the account's home, then most of it sent on.
    fn funnel(&mut self, txn: &Txn, names: &Names) {
        let rules = &self.rules.funnel;
        let max_counterparties = rules.max_counterparties;
        let account = txn.from;
        let home = names.home(account);
        let window = &self.windows[account as usize];
        let start = txn.at - rules.days * DAY - rules.out_hours * HOUR;
        let deposits: Vec<&Edge> = edges_since(&window.ins, start)
            .filter(|e| e.channel == Channel::Cash && e.other != account)
            .filter(|e| home.is_none() || e.place != home)
            .collect();
        let Some(last) = deposits.last() else {
            return;
        };
        if txn.at - last.at > rules.out_hours * HOUR {
            return;
        }
        let depositors: FxHashSet<Account> = deposits.iter().map(|e| e.other).collect();
        let places: FxHashSet<_> = deposits.iter().map(|e| e.place).collect();
        if depositors.len() < rules.min_depositors || (home.is_none() && places.len() < 2) {
            return;
        }
        // An account already found to be a business's takings gathers nothing more.
        if self
            .open
            .get(&(Typology::Funnel, account))
            .is_some_and(|open| open.mass)
        {
            return;
        }
        let first = deposits[0].at;
        let deposited: i64 = deposits.iter().map(|e| e.amount).sum();
        let outs: Vec<&Edge> = edges_since(&window.outs, first)
            .filter(|e| e.other != account)
            .filter(|e| !matches!(e.channel, Channel::Cash | Channel::Card))
            .collect();
        let sent: i64 = outs.iter().map(|e| e.amount).sum();
        let bar = rules.out_ratio * deposited as f64;
        if (sent as f64) < bar {
            return;
        }
        // More depositors and recipients than the cap, all told, is a business's takings and
        // spending.
        let mass = depositors.len() + outs.len() > max_counterparties
            && depositors
                .iter()
                .copied()
                .chain(outs.iter().map(|e| e.other))
                .collect::<FxHashSet<Account>>()
                .len()
                > max_counterparties;
        // The money sent on is the largest payments that make up the bar: the account's
        // everyday cheques beside them are not where the cash went.
        let mut outs = outs;
        let take = carrying(&mut outs, bar.ceil() as i64);
        outs.truncate(take);
        let sent: i64 = outs.iter().map(|e| e.amount).sum();
        let episode = Episode::new(
            Typology::Funnel,
            account,
            txn.at + rules.out_hours * HOUR,
            depositors
                .iter()
                .copied()
                .chain(outs.iter().map(|e| e.other))
                .collect(),
            deposits
                .iter()
                .chain(&outs)
                .map(|e| (e.seq, e.at))
                .collect(),
            score(depositors.len() as f64, rules.min_depositors as f64),
            format!(
                "{} cash deposits by {} depositors away from home, {}; {} sent on",
                deposits.len(),
                depositors.len(),
                money(deposited),
                money(sent)
            ),
        )
        .capped(max_counterparties)
        .mass_if(mass);
        self.fire(episode);
    }

    /// Money in and nearly all of it out again within hours, more than once.
    fn pass_through(&mut self, txn: &Txn) {
        let rules = &self.rules.pass_through;
        let account = txn.from;
        if !rules.channels.contains(&txn.channel) || txn.amount < rules.min_micros() {
            return;
        }
        // In a busy account some payment out always matches some payment in by chance. Only
        // payments that could be passed on count: a shop's card and cheque takings match no
        // wire out. Past many times the bar in payments of any kind, the account is mass
        // business and its window is not read.
        let ins = &self.windows[account as usize].ins;
        let days = txn.at - rules.days * DAY;
        if more_since(ins, days, MASS_FACTOR * rules.max_inflows) {
            return;
        }
        let transfers = ins
            .iter()
            .rev()
            .take_while(|e| e.at >= days)
            .filter(|e| rules.channels.contains(&e.channel) && e.other != account)
            .count();
        if transfers > rules.max_inflows {
            return;
        }
        let used: FxHashSet<u64> = self
            .pairs
            .get(&account)
            .map(|p| p.iter().map(|x| x.1).collect())
            .unwrap_or_default();
        let since = txn.at - rules.hours * HOUR;
        let matched = self.windows[account as usize]
            .ins
            .iter()
            .rev()
            .take_while(|e| e.at >= since)
            .find(|e| {
                e.at <= txn.at
                    && e.other != txn.to
                    && rules.channels.contains(&e.channel)
                    && (!rules.same_channel || e.channel == txn.channel)
                    && e.currency == txn.currency
                    && txn.amount <= e.amount
                    && txn.amount as f64 >= rules.ratio * e.amount as f64
                    && !used.contains(&e.seq)
            })
            .copied();
        let Some(inflow) = matched else {
            return;
        };
        // A standing payment (payroll, a standing order) is paid whatever came in.
        if self.standing(account, &txn_edge(txn), since) {
            return;
        }
        let (days, min_pairs, hours, usual) =
            (rules.days, rules.min_pairs, rules.hours, rules.above_usual);
        let pairs = self.pairs.entry(account).or_default();
        pairs.push_back((inflow.at, inflow.seq, txn.seq, inflow.other, txn.to));
        while pairs.front().is_some_and(|p| p.0 < txn.at - days * DAY) {
            pairs.pop_front();
        }
        // A business passing a business's payment on to a business is trading.
        let segments = &self.segments;
        let business = |a: &Account| segments.get(a) == Some(&Segment::Business);
        let trade = match business(&account) {
            true => pairs
                .iter()
                .filter(|p| business(&p.3) && business(&p.4))
                .count(),
            false => 0,
        };
        if !rules.enough_pairs(business(&account), pairs.len(), trade) {
            return;
        }
        // A conduit's payments out are mostly money passed on; a firm paying a supplier out
        // of a customer's payment also pays wages, rent and other suppliers.
        if rules.passed_share > 0.0 {
            let passed: FxHashSet<u64> = pairs.iter().map(|p| p.2).collect();
            let start = txn.at - days * DAY;
            let (mut sent, mut on) = (0i64, 0i64);
            let outs = self.windows[account as usize].outs.iter().rev();
            for e in outs.take_while(|e| e.at >= start) {
                if e.other == account
                    || e.currency != txn.currency
                    || !rules.channels.contains(&e.channel)
                {
                    continue;
                }
                sent = sent.saturating_add(e.amount);
                if passed.contains(&e.seq) {
                    on = on.saturating_add(e.amount);
                }
            }
            if (on as f64) < rules.passed_share * sent as f64 {
                return;
            }
        }
        let episode = Episode::new(
            Typology::PassThrough,
            account,
            txn.at + hours * HOUR,
            pairs.iter().flat_map(|p| [p.3, p.4]).collect(),
            pairs
                .iter()
                .flat_map(|p| [(p.1, p.0), (p.2, p.0)])
                .collect(),
            score(pairs.len() as f64, min_pairs as f64),
            format!(
                "{} times money in and at least {:.0}% of it out within {hours} h",
                pairs.len(),
                rules_pct(self.rules.pass_through.ratio)
            ),
        )
        .judged(Side::TransferIn, Bar::ratio(usual), days * DAY);
        self.fire(episode);
    }

    /// Many in, then many out, through one account.
    fn gather_scatter(&mut self, txn: &Txn) {
        let rules = &self.rules.gather_scatter;
        let max_counterparties = rules.max_counterparties;
        let hub = txn.from;
        if let Some(fits) = self.fits_open(Typology::GatherScatter, hub, txn) {
            let since = txn.at - self.rules.gather_scatter.hours * HOUR;
            if fits && !self.standing(hub, &txn_edge(txn), since) {
                self.fire(single(Typology::GatherScatter, hub, txn.to, txn));
            }
            return;
        }
        // Money scattered goes on the way it was gathered (channel and currency): this
        // payment out is part of it only with inflows that came its way.
        let way = (txn.channel, txn.currency);
        let window = &self.windows[hub as usize];
        let since = txn.at - rules.hours * HOUR;
        // Gathered by transfer, it is judged against what the account usually gets by that
        // channel, as a fan-in is (a firm's cheque and card takings do not hide ten like ACH
        // payments).
        let side = if self.rules.pass_through.channels.contains(&txn.channel) {
            Side::InBy(txn.channel)
        } else {
            Side::In
        };
        // Most payments out have no scatter beside them: too few payments out that way
        // within the window ends it, on one short read of the newest.
        let outs_that_way = window
            .outs
            .iter()
            .rev()
            .take_while(|e| e.at >= since)
            .filter(|e| e.other != hub && (e.channel, e.currency) == way)
            .nth(rules.min_out.saturating_sub(1));
        if outs_that_way.is_none() {
            return;
        }
        // As with fans: too busy to stand out within the cap, it can raise nothing. What the
        // window holds on that side is left out of the usual (as the test at the end does):
        // all of it for payments in, those by the channel within the span for a channel. The
        // test at the end judges the gathering's own span, a day at least: judged over a
        // day, this bounds it (except in the few days after the warm-up in which the test at
        // the end, over a longer span, still waits while this one judges: then it is
        // stricter, for accounts already far too busy for the cap).
        let cap = rules.max_counterparties;
        let bar = rules.bar();
        let held = match side {
            Side::InBy(channel) => window
                .ins
                .iter()
                .rev()
                .take_while(|e| e.at >= since)
                .filter(|e| e.other != hub && e.channel == channel)
                .count(),
            _ => window.ins.len(),
        };
        if !self.unusual(hub, side, cap, held, DAY.min(rules.hours * HOUR), bar) {
            return;
        }
        let mut ins: Vec<&Edge> = window
            .ins
            .iter()
            .rev()
            .take_while(|e| e.at >= since)
            .filter(|e| e.other != hub && (e.channel, e.currency) == way)
            .collect();
        // In time order, as `alike` keeps a sender's equal payments: the earliest of them
        // marks when the gathering began.
        ins.reverse();
        if ins.len() < rules.min_in {
            return;
        }
        // A gathering is most of what came in that way within the window.
        let same_way = ins.len();
        let ins = alike(ins, rules.amount_spread);
        if !most_of(ins.len(), same_way, rules.like_share) {
            return;
        }
        let senders: FxHashSet<Account> = ins.iter().map(|e| e.other).collect();
        if senders.len() < rules.min_in {
            return;
        }
        // Outflows after the gathering began, the same way, to accounts that did not pay in;
        // a payment larger than all that had been gathered when it was paid is none of its
        // parts (a firm's own large transfer beside a scatter would otherwise spoil its
        // ratio, and take the place of the parts).
        let began = ins.iter().map(|e| e.at).min().unwrap_or(since);
        let gathered: i64 = ins.iter().map(|e| e.amount).sum();
        // `alike` keeps the gathering in order of amount: by time, with running sums.
        let mut by_time: Vec<(i64, i64)> = ins.iter().map(|e| (e.at, e.amount)).collect();
        by_time.sort_unstable();
        let mut sum = 0i64;
        for t in by_time.iter_mut() {
            sum = sum.saturating_add(t.1);
            t.1 = sum;
        }
        let gathered_by = |at: i64| -> i64 {
            match by_time.partition_point(|t| t.0 <= at) {
                0 => 0,
                n => by_time[n - 1].1,
            }
        };
        let outs: Vec<&Edge> = edges_since(&window.outs, began)
            .filter(|e| e.other != hub && !senders.contains(&e.other))
            .filter(|e| (e.channel, e.currency) == way && e.amount <= gathered_by(e.at))
            .collect();
        let receivers: FxHashSet<Account> = outs.iter().map(|e| e.other).collect();
        if receivers.len() < rules.min_out {
            return;
        }
        // Standing payments (payroll, standing orders) are the hub's scheduled business, not
        // a scatter.
        let standing = self.standing_amounts(hub, since);
        let (outs, receivers) = match standing.is_empty() {
            true => (outs, receivers),
            false => {
                let outs: Vec<&Edge> = outs
                    .into_iter()
                    .filter(|e| standing.binary_search(&(e.amount, e.currency)).is_err())
                    .collect();
                let receivers = outs.iter().map(|e| e.other).collect();
                (outs, receivers)
            }
        };
        let scattered: i64 = outs.iter().map(|e| e.amount).sum();
        let ratio = scattered as f64 / gathered.max(1) as f64;
        if receivers.len() < rules.min_out || !(0.5..=1.05).contains(&ratio) {
            return;
        }
        // The scatter is the parts the money was cut into: the largest payments that carry
        // half of it on, and those of comparable size. The hub's small payments beside them
        // are its own, and join no later.
        let (outs, receivers, floor) = carriers(outs, gathered / 2);
        if receivers.len() < rules.min_out {
            return;
        }
        let scattered: i64 = outs.iter().map(|e| e.amount).sum();
        // Judged over the gathering's own span (a day at least, for the day's rhythm of
        // business): ten like payments in two days stand out against a hub's usual few a
        // day, which over the rule's whole window would hide them.
        let last_in = ins.iter().map(|e| e.at).max().unwrap_or(began);
        let gathering = (last_in - began).clamp(DAY.min(rules.hours * HOUR), rules.hours * HOUR);
        if !self.unusual(hub, side, senders.len(), ins.len(), gathering, bar) {
            return;
        }
        let episode = Episode::new(
            Typology::GatherScatter,
            hub,
            txn.at + rules.hours * HOUR,
            senders.iter().chain(&receivers).copied().collect(),
            ins.iter().chain(&outs).map(|e| (e.seq, e.at)).collect(),
            score(
                (senders.len() + receivers.len()) as f64,
                (rules.min_in + rules.min_out) as f64,
            ),
            format!(
                "{} in from {} senders, {} out to {} recipients within {} h",
                money(gathered),
                senders.len(),
                money(scattered),
                receivers.len(),
                rules.hours
            ),
        )
        .capped(max_counterparties)
        .judged(side, bar, gathering)
        .weighing(senders.len(), ins.len())
        .banded(txn.channel, txn.currency, (floor, gathered));
        self.fire(episode);
    }

    /// One source, many intermediates, one sink: seen from the sink as paths arrive.
    fn scatter_gather(&mut self, txn: &Txn) {
        let rules = &self.rules.scatter_gather;
        let (middle, sink) = (txn.from, txn.to);
        let since = txn.at - rules.hours * HOUR;
        let ins = &self.windows[middle as usize].ins;
        // An intermediate paid by many is a business, not a layer's; so is a sink or source
        // paid by (or paying) hundreds. One paid by (or paying) dozens, a firm or a shop, is
        // a gathering point only for like parts of one source's money (below).
        let sink_degree = self.windows[sink as usize].ins.len();
        if ins.len() > MAX_LAYER_DEGREE || sink_degree > BUSY_LAYER_DEGREE {
            return;
        }
        let sources: Vec<Edge> = edges_since(ins, since)
            .filter(|e| e.at <= txn.at && e.other != sink && e.other != middle)
            .filter(|e| txn.amount as f64 >= 0.5 * e.amount as f64 && txn.amount <= e.amount)
            .filter(|e| self.windows[e.other as usize].outs.len() <= BUSY_LAYER_DEGREE)
            .copied()
            .collect();
        let (min_paths, hours) = (rules.min_paths, rules.hours);
        let mut fired = Vec::new();
        for source in sources {
            // Busy or not as of this path: a set of paths gathered while the sink was quiet
            // is judged as a busy one's once it is busy (rarely: its window is the horizon,
            // the paths' the rule's span).
            let busy = sink_degree > MAX_LAYER_DEGREE
                || self.windows[source.other as usize].outs.len() > MAX_LAYER_DEGREE;
            let paths = self
                .sinks
                .entry(sink)
                .or_default()
                .entry(source.other)
                .or_default();
            paths.retain(|p| p.3 >= since);
            if paths.iter().any(|p| p.0 == middle) {
                continue;
            }
            paths.push((middle, source.seq, txn.seq, source.at, source.amount));
            // Through a busy sink or source, the paths are the most of them whose parts are
            // alike: an employer's staff who all shop at one store were paid all sorts of sums.
            let like;
            let paths: &[Path] = match busy {
                true => {
                    like = like_parts(paths, rules.amount_spread);
                    &like
                }
                false => paths,
            };
            if paths.len() >= min_paths {
                fired.push(Episode::new(
                    Typology::ScatterGather,
                    sink,
                    txn.at + hours * HOUR,
                    std::iter::once(source.other)
                        .chain(paths.iter().map(|p| p.0))
                        .collect(),
                    paths
                        .iter()
                        .flat_map(|p| [(p.1, p.3), (p.2, p.3)])
                        .collect(),
                    score(paths.len() as f64, min_paths as f64),
                    format!(
                        "{} paths from one source through distinct accounts into this one within {hours} h",
                        paths.len()
                    ),
                ));
            }
        }
        fired.into_iter().for_each(|e| self.fire(e));
    }

    /// A cycle closed by this transaction: a time-respecting path from its receiver back
    /// to its sender, found by a depth-first search bounded in length and steps.
    fn cycle(&mut self, txn: &Txn) {
        let rules = &self.rules.cycle;
        let since = txn.at - rules.hours * HOUR;
        let mut steps = 0;
        let mut path: Vec<Edge> = Vec::new();
        // Money going round loses a fee at each hop but keeps its size: each hop carries
        // between `hop_ratio` and all of the one before, and the first hop at least what
        // the closing one does. Accounts paying many others are businesses, not a ring's
        // members: the search does not go through them.
        // Counted over the monitor's horizon, whether or not older edges are trimmed yet.
        let held_since = txn.at - self.horizon;
        let busy = |account: Account| {
            more_since(
                &self.windows[account as usize].outs,
                held_since,
                MAX_LAYER_DEGREE,
            )
        };
        if busy(txn.from) || busy(txn.to) {
            return;
        }
        let (low, high) = (txn.amount, (txn.amount as f64 / rules.min_ratio) as i64);
        // The first out-edge after a time, found once per account the search enters.
        let first_after = |account: Account, at: i64| {
            self.windows[account as usize]
                .outs
                .partition_point(|e| e.at <= at)
        };
        let mut stack: Vec<(Account, usize, i64, i64)> =
            vec![(txn.to, first_after(txn.to, since - 1), low, high)];
        let mut found = None;
        // Each stack entry: an account, the next of its out-edges to try (none before the path
        // reached it), and the amounts its next hop may carry.
        while let Some(&mut (node, ref mut next, low, high)) = stack.last_mut() {
            steps += 1;
            if steps > rules.max_steps {
                self.stats.cycle_searches_cut += 1;
                break;
            }
            let outs = &self.windows[node as usize].outs;
            let candidate = outs.iter().enumerate().skip(*next).find(|(_, e)| {
                e.at <= txn.at
                    && e.seq != txn.seq
                    && e.amount >= low
                    && e.amount <= high
                    && (!rules.same_channel || e.channel == txn.channel)
            });
            let Some((i, edge)) = candidate else {
                stack.pop();
                path.pop();
                continue;
            };
            *next = i + 1;
            let edge = *edge;
            let closes = txn.amount as f64 >= rules.hop_ratio * edge.amount as f64
                && txn.amount <= edge.amount;
            if edge.other == txn.from {
                if closes {
                    path.push(edge);
                    found = Some(path.clone());
                    break;
                }
                continue;
            }
            let on_path = edge.other == txn.to || path.iter().any(|e| e.other == edge.other);
            let (next_low, next_high) =
                ((edge.amount as f64 * rules.hop_ratio) as i64, edge.amount);
            // A busy firm is entered only if few of its payments after this one could be the
            // next hop: then the ring's money is not lost among its own.
            let too_busy = |account: Account| {
                busy(account)
                    && (more_since(
                        &self.windows[account as usize].outs,
                        held_since,
                        BUSY_LAYER_DEGREE,
                    ) || self.windows[account as usize]
                        .outs
                        .iter()
                        .rev()
                        .take_while(|e| e.at > edge.at)
                        .filter(|e| !rules.same_channel || e.channel == txn.channel)
                        .filter(|e| e.amount >= next_low && e.amount <= next_high)
                        .nth(BUSY_LIKE_PAYMENTS)
                        .is_some())
            };
            if on_path || path.len() + 2 >= rules.max_length || too_busy(edge.other) {
                continue;
            }
            path.push(edge);
            let (low, high) = (next_low, next_high);
            stack.push((edge.other, first_after(edge.other, edge.at), low, high));
        }
        let Some(path) = found else {
            return;
        };
        // The path's edges are out-edges: `other` is each hop's receiver.
        let mut accounts: Vec<Account> = path.iter().map(|e| e.other).collect();
        accounts.push(txn.to);
        // Named by where the money started and returned, not by the smallest id.
        let key = txn.to;
        let episode = Episode::new(
            Typology::Cycle,
            key,
            txn.at + HOUR,
            accounts,
            path.iter()
                .map(|e| (e.seq, e.at))
                .chain([(txn.seq, txn.at)])
                .collect(),
            score(1.0, 1.0),
            format!(
                "money returned to its start through {} accounts in {} hops",
                path.len() + 1,
                path.len() + 1
            ),
        );
        self.fire(episode);
    }

    /// A layer of senders each paying two or more of a layer of receivers; two such layers
    /// in sequence are a stack.
    fn bipartite(&mut self, txn: &Txn) {
        let rules = &self.rules.bipartite;
        // Layering moves sums worth the trouble; below the floor are people's purchases.
        let floor = rules.min_micros();
        let (strict, looked) = if txn.amount >= floor {
            self.layer_of(txn, floor, false)
        } else {
            (None, Looked::default())
        };
        if let Some(found) = strict.as_ref().filter(|_| !looked.sparse) {
            let (senders, layer) = (&found.senders, &found.receivers);
            let episode = Episode::new(
                Typology::Bipartite,
                found.first,
                txn.at + rules.hours * HOUR,
                senders.iter().chain(layer).copied().collect(),
                found.seqs.clone(),
                score(
                    (senders.len() * layer.len()) as f64,
                    (rules.min_senders * rules.min_receivers) as f64,
                ),
                format!(
                    "{} accounts each paying two or more of {} others within {} h",
                    senders.len(),
                    layer.len(),
                    rules.hours
                ),
            );
            self.fire(episode);
        }
        if !self.rules.stack.enabled {
            return;
        }
        // A stack's first layer is followed whether or not it alerts: its receivers passing
        // the money on make it one. Smaller sums and firms paying a few like sums among their
        // other business may form it.
        let stack_floor = self.rules.stack.min_micros().min(floor);
        // Looked at again leniently only if that can find more: smaller sums, a busy sender
        // the strict look passed over, or accounts left out only because the windows are not
        // full yet. A layer of like sums over the floor without a busy sender is alike.
        let mut alike = strict.is_some() && !looked.sparse;
        let Some(found) = strict.or_else(|| {
            let again = txn.amount < floor || looked.passed_over || looked.young;
            if txn.amount < stack_floor || !again {
                return None;
            }
            let (layer, lenient) = self.layer_of(txn, stack_floor, true);
            alike = layer.is_some() && txn.amount >= floor && !lenient.took_busy;
            layer
        }) else {
            return;
        };
        let key = found.first;
        let layer = Layer {
            at: txn.at,
            id: 0,
            parent: None,
            key,
            senders: found.senders,
            receivers: found.receivers,
            seqs: found.seqs,
            channel: txn.channel,
            currency: txn.currency,
            alike,
        };
        let since = txn.at - self.rules.stack.hours * HOUR;
        let min_shared = self.rules.stack.min_shared;
        // The layer it grows is the one with its key, or one it shares a sender and receivers
        // with: a look from a later payment may find an earlier first payer, or lose it.
        match self
            .layers
            .iter_mut()
            .rev()
            .take_while(|l| l.at >= since)
            .find(|l| {
                l.parent.is_none()
                    && l.channel == layer.channel
                    && (l.key == key
                        || (l.currency == layer.currency
                            && common(&l.senders, &layer.senders) >= 1
                            && common(&l.receivers, &layer.receivers) >= min_shared))
            }) {
            // The layer grew as more of its payments came: its receivers are all watched.
            Some(known) => {
                merge_sorted(&mut known.senders, &layer.senders);
                merge_sorted(&mut known.receivers, &layer.receivers);
                // Grown by another sender's look (its own band of amounts, its own window),
                // the layer keeps the payments it held.
                known.seqs.extend(layer.seqs);
                known.seqs.sort_unstable();
                known.seqs.dedup();
                known.at = txn.at;
                known.alike |= layer.alike;
                let receivers = known.receivers.clone();
                self.watch(&receivers, txn.at);
            }
            None => self.stack(txn, layer),
        }
    }

    /// Marks `receivers` as a layer's, found or grown at `at`: their payments are checked
    /// for passing the money on until the stack's window has passed.
    fn watch(&mut self, receivers: &[Account], at: i64) {
        let until = at + self.rules.stack.hours * HOUR;
        for &r in receivers {
            let r = r as usize;
            if self.watched_until.len() <= r {
                self.watched_until.resize(r + 1, i64::MIN);
            }
            self.watched_until[r] = self.watched_until[r].max(until);
        }
    }

    /// The layer `txn` completes, if any: its senders, its receivers (sorted ids) and the
    /// payments. A layer moves like amounts (`bipartite.amount_spread`), no smaller than
    /// `floor`, by one channel in one currency: payments unlike this one are not part of it.
    /// Accounts paying or paid by more than a layer holds are left out; `lenient` keeps a
    /// busy sender if its like payments are few. Also whether a busy sender that `lenient`
    /// would have looked at was passed over.
    fn layer_of(&self, txn: &Txn, floor: i64, lenient: bool) -> (Option<Found>, Looked) {
        let mut looked = Looked::default();
        let rules = &self.rules.bipartite;
        let since = txn.at - rules.hours * HOUR;
        let sender = txn.from;
        let spread = 1.0 + rules.amount_spread;
        let (low, high) = (
            ((txn.amount as f64 / spread) as i64).max(floor),
            (txn.amount as f64 * spread) as i64,
        );
        // Every window read below is read from `since` on (`edges_since`).
        let alike = |e: &Edge| {
            e.channel == txn.channel
                && e.currency == txn.currency
                && (low..=high).contains(&e.amount)
        };
        let receivers: FxHashSet<Account> = edges_since(&self.windows[sender as usize].outs, since)
            .filter(|e| alike(e) && e.other != sender)
            .map(|e| e.other)
            .collect();
        if receivers.len() < 2 || receivers.len() > MAX_LAYER_DEGREE {
            return (None, looked);
        }
        // The senders into those receivers, and whom each of them paid: those paying two or
        // more are the layer, if they share receivers.
        // A receiver paid by more than a layer holds is a business. Until the stream holds a
        // horizon of history the windows are not full: the bounds for an alert shrink with
        // them (to a day's share at least), else every busy firm looks like a layer's account
        // at first. A layer followed for a stack keeps them: its money must still be seen
        // passed on.
        let (degree, busy_degree) = {
            let full = self.horizon.max(DAY);
            let held = match lenient {
                true => full,
                false => (self.latest - self.started).clamp(DAY, full),
            };
            let share =
                |n: usize| (n as f64 * held as f64 / self.horizon.max(DAY) as f64).ceil() as usize;
            (share(MAX_LAYER_DEGREE), share(BUSY_LAYER_DEGREE))
        };
        // Accounts left out only because the windows are not full yet: a stack's lenient
        // look may take them.
        let young = Cell::new(false);
        let payable = |r: Account| {
            let n = self.windows[r as usize].ins.len();
            young.set(young.get() || (degree < n && n <= MAX_LAYER_DEGREE));
            n <= degree
        };
        let mut candidates: FxHashSet<Account> = FxHashSet::default();
        for &r in &receivers {
            if payable(r) {
                candidates.extend(
                    edges_since(&self.windows[r as usize].ins, since)
                        .filter(|e| alike(e) && e.other != r)
                        .map(|e| e.other),
                );
            }
        }
        let mut paid: FxHashMap<Account, Vec<Edge>> = FxHashMap::default();
        for x in candidates {
            let outs = &self.windows[x as usize].outs;
            let busy = outs.len() > degree;
            if busy && !(lenient && outs.len() <= busy_degree) {
                looked.young |= outs.len() <= MAX_LAYER_DEGREE;
                looked.passed_over |= outs.len() <= busy_degree;
                continue;
            }
            // A payment to an account paid by hundreds (a utility, a large shop) is no
            // layer's; the sender's other payments may still be.
            let edges: Vec<Edge> = edges_since(outs, since)
                .filter(|e| alike(e) && e.other != x && payable(e.other))
                .copied()
                .collect();
            // A firm paying like sums to more than a few accounts is doing its business
            // (payroll, suppliers), not layering.
            if busy && edges.len() > BUSY_LIKE_PAYMENTS {
                continue;
            }
            let mut to: Vec<Account> = edges.iter().map(|e| e.other).collect();
            to.sort_unstable();
            to.dedup();
            if to.len() >= 2 {
                looked.took_busy |= busy;
                paid.insert(x, edges);
            }
        }
        let payers_of = |paid: &FxHashMap<Account, Vec<Edge>>| {
            let mut payers: FxHashMap<Account, FxHashSet<Account>> = FxHashMap::default();
            for (x, edges) in paid {
                for e in edges {
                    payers.entry(e.other).or_default().insert(*x);
                }
            }
            payers
        };
        let mut payers = payers_of(&paid);
        // A biller (a shop, a utility, a landlord) is paid like sums the same way by more of
        // its other customers than by the layer's senders: people paying the same few billers
        // are no layer. A launderer's receiver is paid by the layer alone.
        let billers: FxHashSet<Account> = payers
            .iter()
            .filter(|(r, inside)| {
                let outside: FxHashSet<Account> =
                    edges_since(&self.windows[**r as usize].ins, since)
                        .filter(|e| alike(e) && e.other != **r && !paid.contains_key(&e.other))
                        .map(|e| e.other)
                        .collect();
                outside.len() > inside.len()
            })
            .map(|(r, _)| *r)
            .collect();
        if !billers.is_empty() {
            paid.retain(|_, edges| {
                edges.retain(|e| !billers.contains(&e.other));
                edges
                    .iter()
                    .map(|e| e.other)
                    .collect::<FxHashSet<_>>()
                    .len()
                    >= 2
            });
            payers = payers_of(&paid);
        }
        looked.young |= young.get();
        let shared = payers.values().filter(|p| p.len() >= 2).count();
        let layer_in: FxHashSet<Account> = payers.keys().copied().collect();
        if paid.len() < rules.min_senders || layer_in.len() < rules.min_receivers || shared < 2 {
            return (None, looked);
        }
        // A layer spreads each sender's money over the same accounts; firms paying like
        // invoices each pay suppliers of their own, sharing one or two by chance. Such a
        // layer raises no bipartite alert of its own and is not alike, but is followed for a
        // stack: its money must still be seen passed on.
        looked.sparse = (shared as f64) < rules.shared_receivers * layer_in.len() as f64;
        let mut senders: Vec<Account> = paid.keys().copied().collect();
        senders.sort_unstable();
        let mut receivers: Vec<Account> = layer_in.into_iter().collect();
        receivers.sort_unstable();
        let seqs: Vec<(u64, i64)> = paid.values().flatten().map(|e| (e.seq, e.at)).collect();
        // Named by who paid first, not by the smallest id: ids follow the order accounts were
        // first read (or loaded, with segments or a watchlist), which says nothing of the layer.
        let first = paid
            .iter()
            .filter_map(|(x, edges)| edges.iter().map(|e| (e.at, e.seq)).min().map(|m| (m, *x)))
            .min()
            .map_or(senders[0], |(_, x)| x);
        let found = Found {
            first,
            senders,
            receivers,
            seqs,
        };
        (Some(found), looked)
    }

    /// A new layer whose senders were an earlier layer's receivers (or the reverse): both
    /// alike enough for the bipartite rule.
    fn stack(&mut self, txn: &Txn, mut layer: Layer) {
        let rules = &self.rules.stack;
        let since = txn.at - rules.hours * HOUR;
        while self.layers.front().is_some_and(|l| l.at < since) {
            self.layers.pop_front();
        }
        let earlier = self
            .layers
            .iter()
            .filter(|l| l.alike && layer.alike)
            .find(|l| {
                common(&l.receivers, &layer.senders) >= rules.min_shared
                    || common(&layer.receivers, &l.senders) >= rules.min_shared
            });
        if let Some(earlier) = earlier {
            let mut accounts: Vec<Account> = earlier
                .senders
                .iter()
                .chain(&earlier.receivers)
                .chain(&layer.senders)
                .chain(&layer.receivers)
                .copied()
                .collect();
            accounts.sort_unstable();
            accounts.dedup();
            let episode = Episode::new(
                Typology::Stack,
                earlier.key,
                txn.at + rules.hours * HOUR,
                accounts,
                earlier.seqs.iter().chain(&layer.seqs).copied().collect(),
                score(1.0, 1.0),
                "two layers of accounts paying each other in sequence".into(),
            )
            .capped(rules.max_counterparties);
            layer.key = earlier.key;
            self.fire(episode);
        }
        self.push_layer(layer);
    }

    fn push_layer(&mut self, mut layer: Layer) {
        self.watch(&layer.receivers, layer.at);
        layer.id = self.layer_ids;
        self.layer_ids += 1;
        self.layers.push_back(layer);
        if self.layers.len() > MAX_LAYERS {
            self.layers.pop_front();
        }
    }

    /// The next layer of a stack, seen as a recent layer's receivers pass on what they got.
    /// An inner layer splits its money unevenly, so its payments are not alike; but each of
    /// its accounts sends on, the way the money came, most of what the layer paid it, to two
    /// or more accounts it had not paid before, and those accounts are paid by more than one
    /// of them.
    fn passed_on(&mut self, txn: &Txn) {
        // Most payers are no recent layer's receivers: one read says so.
        let watched = self.watched_until.get(txn.from as usize);
        if watched.is_none_or(|&until| until < txn.at) {
            return;
        }
        let since = txn.at - self.rules.stack.hours * HOUR;
        // The payer may be a receiver of more than one recent layer (a stack's inner layer
        // may also look like a first layer of its own): the newest that it passes on wins.
        let layers: Vec<usize> = (0..self.layers.len())
            .rev()
            .filter(|&i| {
                let l = &self.layers[i];
                l.at >= since
                    && l.channel == txn.channel
                    && l.currency == txn.currency
                    && l.receivers.binary_search(&txn.from).is_ok()
            })
            .collect();
        for i in layers {
            if self.passed_on_from(i, txn) {
                break;
            }
        }
    }

    /// Whether the receivers of layer `i` passed its money on (and if so, the stack fired).
    fn passed_on_from(&mut self, i: usize, txn: &Txn) -> bool {
        let rules = &self.rules.stack;
        let spread = self.rules.bipartite.amount_spread;
        let since = txn.at - rules.hours * HOUR;
        let layer = &self.layers[i];
        // Each receiver's payments the way the money came, to accounts it had not paid
        // before: (receiver, what the layer paid it, those payments, the layer's to it).
        let mut outgoing: Vec<(Account, i64, Vec<&Edge>, Vec<&Edge>)> = Vec::new();
        for &r in &layer.receivers {
            let window = &self.windows[r as usize];
            let mut got: Vec<&Edge> = edges_since(&window.ins, since)
                .filter(|e| {
                    e.channel == layer.channel
                        && e.currency == layer.currency
                        && layer.senders.binary_search(&e.other).is_ok()
                })
                .collect();
            let Some(first) = got.first().map(|e| e.at) else {
                continue;
            };
            let mut received: i64 = got.iter().map(|e| e.amount).sum();
            let came = window.outs.partition_point(|e| e.at < first);
            let mut sent_on: Vec<&Edge> = window
                .outs
                .range(came..)
                .filter(|e| {
                    e.channel == layer.channel
                        && e.currency == layer.currency
                        && e.other != r
                        && layer.senders.binary_search(&e.other).is_err()
                        && layer.receivers.binary_search(&e.other).is_err()
                })
                .collect();
            // Whom it paid before the money came are its own business (rent, suppliers). Only
            // the payees of what it sent on are looked for there: a busy account's whole
            // history need not be gathered each time one of its payments is looked at.
            if !sent_on.is_empty() {
                let payees: FxHashSet<Account> = sent_on.iter().map(|e| e.other).collect();
                let known: FxHashSet<Account> = window
                    .outs
                    .range(..came)
                    .map(|e| e.other)
                    .filter(|other| payees.contains(other))
                    .collect();
                if !known.is_empty() {
                    sent_on.retain(|e| !known.contains(&e.other));
                }
            }
            // Sending on more than the layer's senders paid it, it may have been paid by
            // senders the layer left out (one busy, or paying only this receiver of those
            // kept): payments the layer's way, alike to the layer's to it, before it sent on,
            // are the layer's too if with them it passed the money on. Only a layer found
            // alike is sure enough of its own payments' size to claim others'.
            let sent: i64 = sent_on.iter().map(|e| e.amount).sum();
            if sent > received && layer.alike {
                // Alike to the layer's own payments to it (its senders may pay it others).
                let own: Vec<&Edge> = got
                    .iter()
                    .filter(|e| layer.seqs.iter().any(|s| s.0 == e.seq))
                    .copied()
                    .collect();
                let (low, high) = like_band(if own.is_empty() { &got } else { &own }, spread);
                let last = sent_on.last().map_or(txn.at, |e| e.at);
                let from = since.max(first - self.rules.bipartite.hours * HOUR);
                let unseen: Vec<&Edge> = edges_since(&window.ins, from)
                    .filter(|e| {
                        e.at <= last
                            && e.channel == layer.channel
                            && e.currency == layer.currency
                            && (low..=high).contains(&e.amount)
                            && e.other != r
                            && layer.senders.binary_search(&e.other).is_err()
                            && layer.receivers.binary_search(&e.other).is_err()
                    })
                    .collect();
                let with = unseen
                    .iter()
                    .fold(received, |sum, e| sum.saturating_add(e.amount));
                if sent <= with && sent as f64 >= rules.forwarded * with as f64 {
                    got.extend(unseen);
                    received = with;
                }
            }
            outgoing.push((r, received, sent_on, got));
        }
        let passes = |received: i64, sent_on: &[&Edge]| {
            let sent: i64 = sent_on.iter().map(|e| e.amount).sum();
            let payees: FxHashSet<Account> = sent_on.iter().map(|e| e.other).collect();
            (2..=rules.max_payees).contains(&payees.len())
                && sent as f64 >= rules.forwarded * received as f64
                && sent <= received
        };
        // A receiver that sent on about what it got, and nothing more the same way, passed it
        // on; one busy with its own payments too passed it on if what it sent to the accounts
        // the others paid is about what it got.
        let mut passed: Vec<(Account, &[&Edge], Vec<&Edge>)> = outgoing
            .iter()
            .filter(|(_, received, sent_on, _)| passes(*received, sent_on))
            .map(|(r, _, sent_on, got)| (*r, &got[..], sent_on.clone()))
            .collect();
        let mut paid_on: FxHashSet<Account> = passed
            .iter()
            .flat_map(|(_, _, sent)| sent.iter().map(|e| e.other))
            .collect();
        if !passed.is_empty() {
            for (r, received, sent_on, got) in &outgoing {
                if passes(*received, sent_on) {
                    continue;
                }
                let onward: Vec<&Edge> = sent_on
                    .iter()
                    .filter(|e| paid_on.contains(&e.other))
                    .copied()
                    .collect();
                if onward.len() < sent_on.len() && passes(*received, &onward) {
                    paid_on.extend(onward.iter().map(|e| e.other));
                    passed.push((*r, &got[..], onward));
                }
            }
        }
        let mut forwarders: Vec<Account> = Vec::new();
        let mut payers: FxHashMap<Account, u32> = FxHashMap::default();
        let mut evidence: Vec<(u64, i64)> = Vec::new();
        for (r, got, sent) in &passed {
            forwarders.push(*r);
            let payees: FxHashSet<Account> = sent.iter().map(|e| e.other).collect();
            for a in payees {
                *payers.entry(a).or_default() += 1;
            }
            evidence.extend(got.iter().chain(sent).map(|e| (e.seq, e.at)));
        }
        forwarders.sort_unstable();
        if forwarders.len() < rules.min_shared || !payers.values().any(|&n| n >= 2) {
            return false;
        }
        let mut onward: Vec<Account> = payers.into_keys().collect();
        onward.sort_unstable();
        // Those who paid the forwarders the layer's way: its senders, and any it left out.
        let paid_in = passed
            .iter()
            .flat_map(|(_, got, _)| got.iter().map(|e| e.other));
        let mut accounts: Vec<Account> = layer
            .senders
            .iter()
            .chain(&layer.receivers)
            .chain(&onward)
            .copied()
            .chain(paid_in)
            .collect();
        accounts.sort_unstable();
        accounts.dedup();
        let (key, id, channel, currency) = (layer.key, layer.id, layer.channel, layer.currency);
        let episode = Episode::new(
            Typology::Stack,
            key,
            txn.at + rules.hours * HOUR,
            accounts,
            layer.seqs.iter().chain(&evidence).copied().collect(),
            score(forwarders.len() as f64, rules.min_shared as f64),
            format!(
                "{} accounts paid by one layer passed most of it on to {} others",
                forwarders.len(),
                onward.len()
            ),
        )
        .capped(rules.max_counterparties);
        self.fire(episode);
        // The accounts paid on are the next layer's receivers, watched in turn: one layer per
        // parent, grown as more is passed on.
        let next = Layer {
            at: txn.at,
            id: 0,
            parent: Some(id),
            key,
            senders: forwarders,
            receivers: onward,
            seqs: evidence,
            channel,
            currency,
            alike: false,
        };
        match self.layers.iter_mut().find(|l| l.parent == Some(id)) {
            Some(child) => {
                *child = Layer {
                    id: child.id,
                    ..next
                };
                let receivers = child.receivers.clone();
                self.watch(&receivers, txn.at);
            }
            None => self.push_layer(next),
        }
        true
    }

    /// Several payments from one account to the same account within hours.
    fn split(&mut self, txn: &Txn) {
        if txn.channel == Channel::Reinvestment {
            return;
        }
        if self.collecting() {
            self.collector(txn);
        }
        let rules = &self.rules.split;
        let since = txn.at - rules.hours * HOUR;
        let repeats: Vec<&Edge> = self.windows[txn.from as usize]
            .outs
            .iter()
            .rev()
            .take_while(|e| e.at >= since)
            .filter(|e| e.other == txn.to && e.channel != Channel::Reinvestment)
            .collect();
        // Fewer than the bar, the payments are still a split when each is far smaller than
        // what the payer usually pays, and all go one way (channel, currency): a transfer cut
        // into micro-payments.
        let micro = repeats.len() < rules.min_payments
            && repeats.len() >= rules.small_min_payments
            && rules.small_ratio > 0.0
            && repeats
                .iter()
                .all(|e| e.channel == txn.channel && e.currency == txn.currency)
            && self.far_below_usual(txn.from, &repeats);
        if repeats.len() < rules.min_payments && !micro {
            return;
        }
        // Paying one supplier several times a day is a company's routine, not a split.
        let span = rules.hours * HOUR;
        let count = repeats.len();
        let ratio = self.rules.fan_out.above_usual;
        if !self.unusual(txn.from, Side::Out, count, count, span, Bar::ratio(ratio)) {
            return;
        }
        let total: i64 = repeats.iter().map(|e| e.amount).sum();
        let episode = Episode::new(
            Typology::Split,
            txn.from,
            txn.at + rules.hours * HOUR,
            vec![txn.to],
            repeats.iter().map(|e| (e.seq, e.at)).collect(),
            score(repeats.len() as f64, rules.min_payments as f64),
            format!(
                "{} payments to the same account within {} h, {} in all{}",
                repeats.len(),
                rules.hours,
                money(total),
                if micro {
                    format!(
                        ", each under {:.0}% of what the payer usually pays",
                        rules_pct(rules.small_ratio)
                    )
                } else {
                    String::new()
                }
            ),
        )
        // Opened while the stream is too young to tell what the payer usually does, it
        // waits to be judged: a firm's several payments to a supplier are its routine.
        .judged(
            Side::Repeats,
            Bar::ratio(self.rules.fan_out.above_usual),
            span,
        );
        self.fire(episode);
    }

    /// The payments out of `account` in the `standing.days` before `window` (the start of
    /// the window a detector judges: a pattern's own payments are not its history), found
    /// by binary search in the time-ordered window.
    fn before_window(&self, account: Account, window: i64) -> impl Iterator<Item = &Edge> {
        let since = window - self.rules.standing.days * DAY;
        let outs = &self.windows[account as usize].outs;
        let (from, to) = (
            outs.partition_point(|e| e.at < since),
            outs.partition_point(|e| e.at < window),
        );
        outs.range(from..to)
    }

    /// Whether `payment`, out of `account`, is one of its standing payments: the account paid
    /// that very amount, in that currency, `standing.repeats` times or more in the
    /// `standing.days` before `window`, as a payroll run or standing order is.
    fn standing(&self, account: Account, payment: &Edge, window: i64) -> bool {
        let repeats = self.rules.standing.repeats;
        repeats > 0
            && self
                .before_window(account, window)
                .filter(|e| e.amount == payment.amount && e.currency == payment.currency)
                .nth(repeats - 1)
                .is_some()
    }

    /// The amounts (with their currencies) `account` paid `standing.repeats` times or more in
    /// the `standing.days` before `window`, sorted: its standing payments, read in one pass.
    fn standing_amounts(&self, account: Account, window: i64) -> Vec<(i64, Currency)> {
        let repeats = self.rules.standing.repeats;
        if repeats == 0 {
            return Vec::new();
        }
        let mut paid: Vec<(i64, Currency)> = self
            .before_window(account, window)
            .map(|e| (e.amount, e.currency))
            .collect();
        if paid.len() < repeats {
            return Vec::new();
        }
        paid.sort_unstable();
        let mut out: Vec<(i64, Currency)> = paid
            .chunk_by(|a, b| a == b)
            .filter(|run| run.len() >= repeats)
            .map(|run| run[0])
            .collect();
        out.dedup();
        out
    }

    /// Whether every one of `payments` (by `party` to one other account) is at most the split
    /// rule's `small_ratio` of what `party` usually pays: the geometric mean of its other
    /// payments out since the stream began, judged from at least `small_history` of them.
    fn far_below_usual(&self, party: Account, payments: &[&Edge]) -> bool {
        let rules = &self.rules.split;
        let a = party as usize;
        let (Some(&(_, outs, _)), Some(&sum)) = (self.counts.get(a), self.sizes.get(a)) else {
            return false;
        };
        let others = (outs as usize).saturating_sub(payments.len());
        if others < rules.small_history.max(1) {
            return false;
        }
        let own: f64 = payments.iter().map(|e| log_size(e.amount)).sum();
        let usual = ((sum - own) / others as f64).exp();
        let bar = rules.small_ratio * usual;
        payments.iter().all(|e| (e.amount as f64) <= bar)
    }
}

impl Monitor {
    /// Whether `count` counterparties in a window of `span` seconds clears `bar` against
    /// what the account usually has: its transactions on that side before the window, spread
    /// over the stream so far. Until the stream holds [`WARM_UP`] of history every account
    /// is new and the count alone decides.
    pub(crate) fn unusual(
        &self,
        account: Account,
        side: Side,
        count: usize,
        in_window: usize,
        span: i64,
        bar: Bar,
    ) -> bool {
        let before = self.started.max(i64::MIN + 1);
        let history = self.latest - span - before;
        // A fan must also be unlikely as the account's ordinary traffic: an account paid
        // three times in three days as a rule is paid six times now and then.
        let Bar { ratio, chance } = bar;
        if (ratio <= 0.0 && chance <= 0.0) || history < WARM_UP {
            return true;
        }
        let a = account as usize;
        let seen = match side {
            Side::In => self.counts.get(a).map_or(0, |c| c.0),
            Side::Out | Side::Repeats => self.counts.get(a).map_or(0, |c| c.1),
            Side::CashIn => self.cash_in.get(a).copied().unwrap_or(0),
            Side::TransferIn => self.transfers_in.get(a).copied().unwrap_or(0),
            Side::FanOut => self.fan_outs.get(a).copied().unwrap_or(0),
            Side::InBy(channel) => self.counts.get(a).map_or(0, |c| c.2[channel as usize]),
        };
        let earlier = seen.saturating_sub(in_window as u32);
        let usual = f64::from(earlier) * span as f64 / history as f64;
        if ratio > 0.0 && (count as f64) < ratio * usual {
            return false;
        }
        chance <= 0.0 || poisson_tail(count, usual) <= chance
    }
}

/// Sorts `payments` largest first and tells how many of the first carry `bar` between them
/// (all, if they cannot).
fn carrying(payments: &mut [&Edge], bar: i64) -> usize {
    payments.sort_unstable_by_key(|e| (std::cmp::Reverse(e.amount), e.seq));
    let mut carried = 0;
    payments
        .iter()
        .take_while(|e| {
            let more = carried < bar;
            carried += e.amount;
            more
        })
        .count()
}

/// Of `outs`, the largest that carry `bar` between them, and those of half the smallest of
/// them or more: the parts the money was cut into, with their recipients and that floor.
fn carriers(mut outs: Vec<&Edge>, bar: i64) -> (Vec<&Edge>, FxHashSet<Account>, i64) {
    let take = carrying(&mut outs, bar);
    let floor = outs.get(take.saturating_sub(1)).map_or(0, |e| e.amount / 2);
    outs.truncate(outs.partition_point(|e| e.amount >= floor));
    let receivers = outs.iter().map(|e| e.other).collect();
    (outs, receivers, floor)
}

/// Whether `like` payments are at least `share` of the `all` that went that way.
fn most_of(like: usize, all: usize, share: f64) -> bool {
    like as f64 >= share * all as f64
}

/// An account with more than this many times a fan rule's counterparty cap in payments on
/// one side within the fan's window is mass business: no fan is looked for among them.
const MASS_FACTOR: usize = 8;

/// How much history, before a window, the usual-activity test needs to judge it; episodes
/// opened sooner wait for it.
pub(crate) const WARM_UP: i64 = 4 * DAY;

/// The most of `paths` whose amounts in lie within a factor `1 + spread` of each other.
fn like_parts(paths: &[Path], spread: f64) -> Vec<Path> {
    let mut sorted = paths.to_vec();
    sorted.sort_unstable_by_key(|p| p.4);
    let (mut low, mut best) = (0, 0..0);
    for high in 0..sorted.len() {
        while sorted[high].4 as f64 > sorted[low].4 as f64 * (1.0 + spread) {
            low += 1;
        }
        if high + 1 - low > best.len() {
            best = low..high + 1;
        }
    }
    sorted.drain(best).collect()
}

/// Of `edges`, those going by one channel in one currency, with amounts within a factor
/// `1 + spread` of each other, that reach the most distinct counterparties: a laundering fan
/// moves like amounts alike, where a shop's customers each pay what they owe as they please.
fn alike(mut edges: Vec<&Edge>, spread: f64) -> Vec<&Edge> {
    edges.sort_unstable_by_key(|e| (e.channel, e.currency, e.amount));
    let mut held: FxHashMap<Account, u32> = FxHashMap::default();
    let (mut low, mut best) = (0, (0, 0..0));
    let unlike = |a: &Edge, b: &Edge| {
        a.channel != b.channel
            || a.currency != b.currency
            || b.amount as f64 > a.amount as f64 * (1.0 + spread)
    };
    for high in 0..edges.len() {
        *held.entry(edges[high].other).or_default() += 1;
        while unlike(edges[low], edges[high]) {
            let other = edges[low].other;
            if let Some(n) = held.get_mut(&other) {
                *n -= 1;
                if *n == 0 {
                    held.remove(&other);
                }
            }
            low += 1;
        }
        if held.len() > best.0 {
            best = (held.len(), low..high + 1);
        }
    }
    edges.drain(best.1).collect()
}

/// How many of a window's edges are at or after `start`. The newest edges were just
/// written and are in cache: counting back from them beats a binary search through the
/// whole window. In a busy account's window, where the last call found the start (`hint`)
/// is tried first: the start only moves on between two calls, by a few edges, unless old
/// edges were dropped from the front meanwhile; the search is the fallback.
fn count_since(side: &VecDeque<Edge>, start: i64, hint: &Cell<usize>) -> usize {
    const SCAN: usize = 32;
    let recent = side
        .iter()
        .rev()
        .take(SCAN)
        .take_while(|e| e.at >= start)
        .count();
    if recent < SCAN {
        return recent;
    }
    let len = side.len();
    let mut at = hint.get().min(len);
    for _ in 0..8 {
        if at < len && side[at].at < start {
            at += 1;
        }
    }
    let first = (at == 0 || side[at - 1].at < start) && (at == len || side[at].at >= start);
    if !first {
        at = side.partition_point(|e| e.at < start);
    }
    hint.set(at);
    len - at
}

/// The edges of a time-ordered window at or after `start`, found by a binary search: a
/// busy account's window, held for the longest detector's span, need not be read from its
/// oldest edge to find the few hours one detector looks at.
fn edges_since(side: &VecDeque<Edge>, start: i64) -> std::collections::vec_deque::Iter<'_, Edge> {
    side.range(side.partition_point(|e| e.at < start)..)
}

/// How many of `a` are in `b` (sorted).
fn common(a: &[Account], b: &[Account]) -> usize {
    a.iter().filter(|x| b.binary_search(x).is_ok()).count()
}

/// Whether more than `limit` of a window's edges are at or after `start`, reading one.
fn more_since(side: &VecDeque<Edge>, start: i64, limit: usize) -> bool {
    // The window is in time order: more than `limit` of its edges are at or after `start`
    // when the newest but `limit` is.
    side.len() > limit && side[side.len() - 1 - limit].at >= start
}

/// The amounts a payment may carry and still be like all of `edges` (which lie within a
/// factor `1 + spread` of each other): from the largest over that factor to the smallest
/// times it.
fn like_band(edges: &[&Edge], spread: f64) -> (i64, i64) {
    let low = edges.iter().map(|e| e.amount).min().unwrap_or(0);
    let high = edges.iter().map(|e| e.amount).max().unwrap_or(i64::MAX);
    let factor = 1.0 + spread;
    (
        (high as f64 / factor) as i64,
        (low as f64 * factor).min(i64::MAX as f64) as i64,
    )
}

/// A transaction as its payer's window holds it.
fn txn_edge(txn: &Txn) -> Edge {
    Edge {
        at: txn.at,
        other: txn.to,
        amount: txn.amount,
        seq: txn.seq,
        channel: txn.channel,
        currency: txn.currency,
        place: txn.place,
    }
}

/// An episode of one transaction, to add to an open one.
fn single(typology: Typology, key: Account, other: Account, txn: &Txn) -> Episode {
    let seqs = vec![(txn.seq, txn.at)];
    Episode::new(typology, key, txn.at, vec![other], seqs, 0.0, String::new())
}

/// An amount in millionths as `12,345.67`.
pub(crate) fn money(micros: i64) -> String {
    let cents = micros / (UNIT / 100);
    let units = cents / 100;
    let digits = units.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}.{:02}", cents % 100)
}

fn rules_pct(ratio: f64) -> f64 {
    ratio * 100.0
}

/// A layer [`Monitor::layer_of`] found.
struct Found {
    /// The sender of its earliest payment, which names it.
    first: Account,
    /// Its senders and receivers, sorted ids.
    senders: Vec<Account>,
    receivers: Vec<Account>,
    /// Its payments.
    seqs: Vec<(u64, i64)>,
}

/// What a look for a layer passed over or took beyond the strict bounds.
#[derive(Debug, Default, Clone, Copy)]
struct Looked {
    /// A busy sender a lenient look would take.
    passed_over: bool,
    /// An account left out only because the windows are not full yet.
    young: bool,
    /// A busy sender taken (lenient looks only).
    took_busy: bool,
    /// The layer found shares too few of its receivers among its senders to alert.
    sparse: bool,
}

/// Adds `more` to the sorted ids of `into`, keeping them sorted and distinct.
fn merge_sorted(into: &mut Vec<Account>, more: &[Account]) {
    into.extend_from_slice(more);
    into.sort_unstable();
    into.dedup();
}

/// The chance of `k` or more events where `lambda` are expected (Poisson). The smaller side of
/// the sum is added up from its largest term, found in logarithms, so that neither side
/// underflows however large `lambda` is.
pub(crate) fn poisson_tail(k: usize, lambda: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if lambda <= 0.0 {
        return 0.0;
    }
    let ln_term = |i: usize| -lambda + i as f64 * lambda.ln() - ln_factorial(i);
    if k as f64 > lambda {
        // The terms from k up fall away from the first.
        let mut term = ln_term(k).exp();
        let (mut sum, mut i) = (0.0, k);
        while term > sum * 1e-17 {
            sum += term;
            i += 1;
            term *= lambda / i as f64;
        }
        sum.min(1.0)
    } else {
        // The terms below k fall away going down from k - 1.
        let mut term = ln_term(k - 1).exp();
        let (mut sum, mut i) = (0.0, k - 1);
        loop {
            sum += term;
            if i == 0 || term <= sum * 1e-17 {
                break;
            }
            term *= i as f64 / lambda;
            i -= 1;
        }
        (1.0 - sum).max(0.0)
    }
}

/// ln(n!), summed for small n, by Stirling's series beyond.
fn ln_factorial(n: usize) -> f64 {
    if n <= 20 {
        return (2..=n).map(|i| (i as f64).ln()).sum();
    }
    let n = n as f64;
    n * n.ln() - n + 0.5 * (std::f64::consts::TAU * n).ln() + 1.0 / (12.0 * n)
        - 1.0 / (360.0 * n.powi(3))
}

#[cfg(test)]
mod tests {
    use super::poisson_tail;

    #[test]
    fn poisson_tails_match_known_values_and_do_not_underflow() {
        let near = |a: f64, b: f64| (a - b).abs() <= 1e-6 * b;
        // Reference values: 1 minus the sum of the first k terms, in logarithms (Python).
        for (k, lambda, want) in [
            (8, 3.0, 0.011_904_504),
            (11, 3.5, 0.001_019_394),
            (3, 3.0, 0.576_809_919),
            (1, 0.5, 0.393_469_340),
            (30, 25.0, 0.182_103_916),
            (800, 800.0, 0.504_701_612),
        ] {
            let got = poisson_tail(k, lambda);
            assert!(near(got, want), "tail({k}, {lambda}) = {got}, not {want}");
        }
        assert_eq!(poisson_tail(0, 3.0), 1.0);
        assert_eq!(poisson_tail(0, 0.0), 1.0);
        assert_eq!(poisson_tail(1, 0.0), 0.0);
        // exp(-800) underflows: the sum from the largest term does not.
        assert!(poisson_tail(10, 800.0) > 0.999_999);
        assert!(poisson_tail(2_000, 800.0) < 1e-100);
    }
}
