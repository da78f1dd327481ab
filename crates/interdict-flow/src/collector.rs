//! Micro-payment collectors: an account paid micro-payments by several payers in turn.
//!
//! The split rule sees one payer cutting a transfer into micro-payments to one payee within
//! hours. A collector's payers each send only one or a few, weeks apart, so no payer's burst
//! need be a split on its own; what gives the pattern away is the receiving end. Each
//! receiving account keeps a fixed-size record of the latest micro-payments it got, one per
//! payer, so the state is bounded by the number of accounts, never by the stream's length.
//!
//! "Micro" is judged against what the payer usually pays, in its own currency: a tenth of its
//! usual size or less (`split.small_ratio`) *and* `split.collector_deviations` standard
//! deviations or more below it, on the logarithmic scale. The second test is what makes the
//! first mean something for real accounts, whose payments span orders of magnitude (rent and
//! coffee): a sum a tenth of the usual is ordinary for them, far outside the spread of their
//! payments is not.

use crate::monitor::{Episode, Monitor, Typology, log_size, score};
use crate::txn::{Account, Currency, Txn};

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// Payers a receiver's record holds, at most: the latest are kept. A collector's payers take
/// turns, so a few cover the horizon; `split.collector_payers` may be at most one more.
pub(crate) const COLLECTED: usize = 4;

/// A payment in that was a micro-payment, or that could not yet be judged, as its receiver's
/// record keeps it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Micro {
    payer: Account,
    at: i64,
    seq: u64,
    amount: i64,
    currency: Currency,
    /// Judged a micro-payment when it came; else neither side then had the history to tell,
    /// and it is judged again, on what is known by then, when another payer's comes.
    judged: bool,
}

/// A receiver's latest [`Micro`] payments, one per payer.
pub(crate) type Collected = [Option<Micro>; COLLECTED];

/// The count, sum and sum of squares of the logarithms of an account's payments on one side.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Moments {
    n: u32,
    sum: f64,
    squares: f64,
}

impl Moments {
    fn add(&mut self, size: f64) {
        self.n += 1;
        self.sum += size;
        self.squares += size * size;
    }

    fn remove(&mut self, size: f64) {
        self.n = self.n.saturating_sub(1);
        self.sum -= size;
        self.squares -= size * size;
    }

    /// Whether a payment of logarithmic size `size`, itself counted, is at most `ratio` of
    /// the others' geometric mean and `deviations` standard deviations or more below their
    /// mean; none with fewer than `history` others (two at least, for a spread) to judge from.
    ///
    /// The spread is that of a new payment drawn like the others: the sample's (with Bessel's
    /// correction) widened by `sqrt(1 + 1/n)` for the uncertainty of the mean. Three payments
    /// that happen to be alike say little about how far a fourth may fall; without the
    /// widening, an account's fourth payment was "far below" three similar ones by chance.
    fn far_below(&self, size: f64, history: usize, ratio: f64, deviations: f64) -> Option<bool> {
        let others = self.n.checked_sub(1)? as usize;
        if others < history.max(2) {
            return None;
        }
        let n = others as f64;
        let mean = (self.sum - size) / n;
        let variance = ((self.squares - size * size) / n - mean * mean).max(0.0);
        let spread = (variance * (n + 1.0) / (n - 1.0)).sqrt();
        Some(size <= mean + ratio.ln() && size <= mean - deviations * spread)
    }
}

/// What an account usually pays and is paid, in its own currency (that of the first payment
/// it made or got): sums in other currencies say nothing about its sizes and are left out,
/// and so are the payments judged micro-payments, lest a collector's own inflows drag its
/// usual down until they no longer stand out.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Usual {
    currency: Option<Currency>,
    ins: Moments,
    outs: Moments,
}

impl Monitor {
    /// Whether the micro-payment collector is on.
    pub(crate) fn collecting(&self) -> bool {
        let rules = &self.rules.split;
        rules.enabled && rules.small_ratio > 0.0 && rules.collector_days > 0
    }

    /// Counts `txn` (of logarithmic size `size`) in both accounts' usual sizes; `need` is
    /// one past the larger account id.
    pub(crate) fn count_usual(&mut self, txn: &Txn, size: f64, need: usize) {
        if self.usual.len() < need {
            self.usual.resize(need, Usual::default());
        }
        for (account, outgoing) in [(txn.from, true), (txn.to, false)] {
            let usual = &mut self.usual[account as usize];
            if *usual.currency.get_or_insert(txn.currency) == txn.currency {
                if outgoing {
                    usual.outs.add(size);
                } else {
                    usual.ins.add(size);
                }
            }
        }
    }

    /// Records `txn` in its receiver's record if it is a micro-payment (or cannot yet be told
    /// from one), and fires when the receiver had micro-payments from enough other payers
    /// within `split.collector_days`.
    pub(crate) fn collector(&mut self, txn: &Txn) {
        let verdict = self.micro(txn.from, txn.to, txn.amount, txn.currency);
        if verdict == Some(false) {
            return;
        }
        if verdict == Some(true) {
            self.forget_usual(txn.from, txn.to, txn.amount, txn.currency);
            let others = self.other_payers(txn);
            if others.len() + 1 >= self.rules.split.collector_payers {
                self.fire_collector(txn, &others);
            }
        }
        let entry = Micro {
            payer: txn.from,
            at: txn.at,
            seq: txn.seq,
            amount: txn.amount,
            currency: txn.currency,
            judged: verdict == Some(true),
        };
        let record = self.collected.entry(txn.to).or_default();
        // The payer's own slot, else a free one, else the oldest payer's.
        let slot = record
            .iter()
            .position(|m| m.is_some_and(|m| m.payer == txn.from))
            .or_else(|| record.iter().position(Option::is_none))
            .or_else(|| (0..COLLECTED).min_by_key(|&i| record[i].map_or(i64::MIN, |m| m.at)))
            .unwrap_or(0);
        record[slot] = Some(entry);
    }

    /// The micro-payments `txn`'s receiver had from other payers within the horizon. Those
    /// no one could judge when they came (a collector's first payers come on the stream's
    /// first days) are judged now, on what their payers have paid, or the receiver got, since.
    fn other_payers(&mut self, txn: &Txn) -> Vec<Micro> {
        let Some(mut record) = self.collected.get(&txn.to).copied() else {
            return Vec::new();
        };
        let since = txn.at - self.rules.split.collector_days * DAY;
        let mut others = Vec::new();
        for slot in &mut record {
            let Some(m) = slot else { continue };
            if m.payer == txn.from || m.at < since {
                continue;
            }
            if !m.judged {
                match self.micro(m.payer, txn.to, m.amount, m.currency) {
                    Some(true) => {
                        m.judged = true;
                        self.forget_usual(m.payer, txn.to, m.amount, m.currency);
                    }
                    Some(false) => {
                        *slot = None;
                        continue;
                    }
                    None => continue,
                }
            }
            others.push(*m);
        }
        self.collected.insert(txn.to, record);
        others
    }

    fn fire_collector(&mut self, txn: &Txn, others: &[Micro]) {
        let rules = &self.rules.split;
        let payers = others.len() + 1;
        let mut seqs: Vec<(u64, i64)> = others.iter().map(|m| (m.seq, m.at)).collect();
        seqs.push((txn.seq, txn.at));
        let mut accounts: Vec<Account> = others.iter().map(|m| m.payer).collect();
        accounts.push(txn.from);
        let episode = Episode::new(
            Typology::Collector,
            txn.to,
            txn.at + rules.hours * HOUR,
            accounts,
            seqs,
            score(payers as f64, rules.collector_payers as f64),
            format!(
                "micro-payments from {payers} payers within {} days, each under {:.0}% of what \
                 its payer usually pays and far outside its spread (for a payer too new to \
                 tell, of what the account usually receives)",
                rules.collector_days,
                rules.small_ratio * 100.0
            ),
        );
        self.fire(episode);
    }

    /// Whether a payment of `amount` from `payer` to `receiver`, counted in both accounts'
    /// usual sizes, is a micro-payment: far below what the payer usually pays, or, when the
    /// payer has paid too few others in that currency to tell, what the receiver usually
    /// receives. None when neither has the history to tell.
    ///
    /// The receiver's usual counts every payment it got, by card and in cash too: a shop's
    /// many small takings make its usual small, so a new customer's small payment to it is
    /// no micro-payment.
    fn micro(
        &self,
        payer: Account,
        receiver: Account,
        amount: i64,
        currency: Currency,
    ) -> Option<bool> {
        let rules = &self.rules.split;
        let size = log_size(amount);
        let judge = |account: Account, outgoing: bool| {
            let usual = self.usual.get(account as usize)?;
            if usual.currency != Some(currency) {
                return None;
            }
            let side = if outgoing { &usual.outs } else { &usual.ins };
            side.far_below(
                size,
                rules.small_history,
                rules.small_ratio,
                rules.collector_deviations,
            )
        };
        judge(payer, true).or_else(|| judge(receiver, false))
    }

    /// Leaves a micro-payment out of both accounts' usual sizes.
    fn forget_usual(&mut self, payer: Account, receiver: Account, amount: i64, currency: Currency) {
        let size = log_size(amount);
        for (account, outgoing) in [(payer, true), (receiver, false)] {
            let Some(usual) = self.usual.get_mut(account as usize) else {
                continue;
            };
            if usual.currency == Some(currency) {
                if outgoing {
                    usual.outs.remove(size);
                } else {
                    usual.ins.remove(size);
                }
            }
        }
    }

    /// Forgets micro-payments older than `split.collector_days` before `now`.
    pub(crate) fn sweep_collected(&mut self, now: i64) {
        let since = now - self.rules.split.collector_days * DAY;
        self.collected.retain(|_, record| {
            for slot in record.iter_mut() {
                if slot.is_some_and(|m| m.at < since) {
                    *slot = None;
                }
            }
            record.iter().any(Option::is_some)
        });
    }
}
