//! Laundering: the planted patterns, one typology after another, each laid out to its spec.

use std::ops::RangeInclusive;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rustc_hash::FxHashSet;

use super::MINUTES_PER_DAY;
use super::calendar::{Calendar, Clock};
use super::config::{Bounds, Config};
use super::row::{Currency, Format, Row, format_row};
use super::sampling::{jitter, lognormal, share_of, split};
use super::typology::{StructuringSpec, Typologies, Typology};
use super::world::World;

/// One laundering attempt, its rows in time order.
pub(super) struct Pattern {
    pub(super) typology: Typology,
    detail: String,
    pub(super) rows: Vec<Row>,
}

impl Pattern {
    /// Appends the attempt in AMLworld's block shape, followed by a blank line.
    pub(super) fn format(&self, out: &mut Vec<u8>, world: &World, calendar: &Calendar) {
        let name = self.typology.name();
        let detail = if self.detail.is_empty() {
            String::new()
        } else {
            format!(":  {}", self.detail)
        };
        out.extend_from_slice(format!("BEGIN LAUNDERING ATTEMPT - {name}{detail}\n").as_bytes());
        for row in &self.rows {
            format_row(out, row, world, calendar);
        }
        out.extend_from_slice(format!("END LAUNDERING ATTEMPT - {name}\n\n").as_bytes());
    }
}

/// Deals typologies evenly: each round of ten holds every typology once, in a random order.
struct Rotation {
    order: [Typology; 10],
    next: usize,
}

impl Rotation {
    fn next(&mut self, rng: &mut impl Rng) -> Typology {
        if self.next == 0 {
            self.order.shuffle(rng);
        }
        let typology = self.order[self.next];
        self.next = (self.next + 1) % self.order.len();
        typology
    }
}

fn anyone(_: &World, _: u32) -> bool {
    true
}

fn individual(world: &World, account: u32) -> bool {
    !world.is_company(account)
}

/// Structuring and funnel accounts bank in US Dollar, where the $10,000 threshold applies.
fn dollar_account(world: &World, account: u32) -> bool {
    world.currency_of(account) == Currency::UsDollar
}

/// An attempt being laid out: its rows, in one currency and, unless changed, one format.
struct Draft {
    rows: Vec<Row>,
    currency: Currency,
    format: Format,
}

impl Draft {
    fn new(currency: Currency, format: Format) -> Draft {
        Draft {
            rows: Vec::new(),
            currency,
            format,
        }
    }

    fn pay(&mut self, minute: u32, from: u32, to: u32, cents: u64) {
        let row = Row::plain(minute, from, to, cents, self.currency, self.format);
        self.rows.push(Row {
            laundering: true,
            ..row
        });
    }
}

pub(super) struct Planter<'a> {
    world: &'a World,
    calendar: &'a Calendar,
    clock: &'a Clock,
    specs: &'a Typologies,
    rotation: Rotation,
    rng: ChaCha8Rng,
}

impl<'a> Planter<'a> {
    pub(super) fn new(
        config: &'a Config,
        world: &'a World,
        calendar: &'a Calendar,
        clock: &'a Clock,
    ) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
        rng.set_stream(2);
        let rotation = Rotation {
            order: Typology::ALL,
            next: 0,
        };
        Planter {
            world,
            calendar,
            clock,
            specs: &config.typologies,
            rotation,
            rng,
        }
    }

    /// The next typology's attempt, starting on `day` (never the last day) and ending by the
    /// end of the run.
    pub(super) fn plant(&mut self, day: u32) -> Pattern {
        let typology = self.rotation.next(&mut self.rng);
        let t0 = day * MINUTES_PER_DAY + self.clock.minute(&mut self.rng);
        let (detail, draft) = match typology {
            Typology::FanOut => self.fan(t0, true),
            Typology::FanIn => self.fan(t0, false),
            Typology::GatherScatter => self.gather_scatter(t0),
            Typology::ScatterGather => self.scatter_gather(t0),
            Typology::Cycle => self.cycle(t0),
            Typology::Bipartite => self.bipartite(t0),
            Typology::Stack => self.stack(t0),
            Typology::Structuring => self.structuring(day, t0),
            Typology::Funnel => self.funnel(t0),
            Typology::PassThrough => self.pass_through(t0),
        };
        let mut rows = draft.rows;
        rows.sort_by_key(|r| r.minute);
        Pattern {
            typology,
            detail,
            rows,
        }
    }

    /// `n` distinct accounts not yet `taken` that `accept` admits, marked taken. Pattern
    /// accounts are drawn from the whole world, so they have ordinary activity too.
    fn pick(
        &mut self,
        n: usize,
        taken: &mut Vec<u32>,
        accept: impl Fn(&World, u32) -> bool,
    ) -> Vec<u32> {
        let mut chosen = Vec::with_capacity(n);
        while chosen.len() < n {
            let account = self.rng.random_range(0..self.world.account_count() as u32);
            if accept(self.world, account) && !taken.contains(&account) {
                taken.push(account);
                chosen.push(account);
            }
        }
        chosen
    }

    fn pick_one(&mut self, taken: &mut Vec<u32>, accept: impl Fn(&World, u32) -> bool) -> u32 {
        self.pick(1, taken, accept)[0]
    }

    fn draw(&mut self, counts: Bounds<u32>) -> usize {
        counts.draw(&mut self.rng) as usize
    }

    /// The end of a window of `hours` from `t0`, cut short by the end of the run.
    fn until(&self, t0: u32, hours: u32) -> u32 {
        (t0 + hours * 60).min(self.calendar.last_minute())
    }

    fn times(&mut self, lo: u32, hi: u32, n: usize) -> Vec<u32> {
        self.clock.times(&mut self.rng, lo, hi, n)
    }

    /// One payment per `(from, to)` pair, at increasing times in `window`, each of what `amount`
    /// draws; returns the total paid and the time of the last payment (the window's start when
    /// there is none).
    fn pay_each(
        &mut self,
        draft: &mut Draft,
        pairs: &[(u32, u32)],
        window: RangeInclusive<u32>,
        amount: impl Fn(&mut ChaCha8Rng) -> u64,
    ) -> (u64, u32) {
        let (lo, hi) = window.into_inner();
        let (mut total, mut last) = (0, lo);
        for (&(from, to), t) in pairs.iter().zip(self.times(lo, hi, pairs.len())) {
            let cents = amount(&mut self.rng);
            (total, last) = (total + cents, last.max(t));
            draft.pay(t, from, to, cents);
        }
        (total, last)
    }

    /// `from` pays `cents` to the accounts `to`, in uneven parts at increasing times in
    /// `window`.
    fn pay_out(
        &mut self,
        draft: &mut Draft,
        from: u32,
        to: &[u32],
        cents: u64,
        window: RangeInclusive<u32>,
    ) {
        let parts = split(&mut self.rng, cents, to.len());
        let (lo, hi) = window.into_inner();
        let times = self.times(lo, hi, to.len());
        for ((&to, t), cents) in to.iter().zip(times).zip(parts) {
            draft.pay(t, from, to, cents);
        }
    }

    /// A draft in the currency of `account`'s bank, moving by ACH two times in three and
    /// otherwise by wire or cheque, as AMLworld's layering mostly does.
    fn layering(&mut self, account: u32) -> Draft {
        let format = if self.rng.random_bool(2.0 / 3.0) {
            Format::Ach
        } else if self.rng.random_bool(0.5) {
            Format::Wire
        } else {
            Format::Cheque
        };
        Draft::new(self.world.currency_of(account), format)
    }

    /// A typical laundering amount, in cents of `currency`.
    fn amount(&mut self, currency: Currency) -> u64 {
        currency.cents(lognormal(&mut self.rng, 6_000.0, 1.0).clamp(300.0, 500_000.0))
    }

    fn fan(&mut self, t0: u32, outward: bool) -> (String, Draft) {
        let spec = if outward {
            self.specs.fan_out
        } else {
            self.specs.fan_in
        };
        let k = self.draw(spec.degree);
        let mut taken = Vec::new();
        let hub = self.pick_one(&mut taken, anyone);
        let others = self.pick(k, &mut taken, anyone);
        let mut draft = self.layering(hub);
        let base = self.amount(draft.currency);
        let pairs: Vec<(u32, u32)> = others
            .iter()
            .map(|&other| if outward { (hub, other) } else { (other, hub) })
            .collect();
        let window = t0..=self.until(t0, spec.hours);
        self.pay_each(&mut draft, &pairs, window, |rng| jitter(rng, base));
        let detail = if outward { "Fan-Out" } else { "Fan-In" };
        (format!("Max {k}-degree {detail}"), draft)
    }

    fn gather_scatter(&mut self, t0: u32) -> (String, Draft) {
        let spec = self.specs.gather_scatter;
        let (k1, k2) = (self.draw(spec.inflows), self.draw(spec.outflows));
        let mut taken = Vec::new();
        let hub = self.pick_one(&mut taken, anyone);
        let senders = self.pick(k1, &mut taken, anyone);
        let receivers = self.pick(k2, &mut taken, anyone);
        let mut draft = self.layering(hub);
        let base = self.amount(draft.currency);
        let end = self.until(t0, spec.hours);
        let turn = t0 + (end - t0) * self.rng.random_range(3..=6) / 10;
        let inflows: Vec<(u32, u32)> = senders.iter().map(|&sender| (sender, hub)).collect();
        let (gathered, last_in) =
            self.pay_each(&mut draft, &inflows, t0..=turn, |rng| jitter(rng, base));
        let paid_out = share_of(gathered, spec.paid_out.draw(&mut self.rng));
        self.pay_out(&mut draft, hub, &receivers, paid_out, last_in + 1..=end);
        (
            format!("Max {k1}-degree Fan-In, {k2}-degree Fan-Out"),
            draft,
        )
    }

    fn scatter_gather(&mut self, t0: u32) -> (String, Draft) {
        let spec = self.specs.scatter_gather;
        let k = self.draw(spec.intermediates);
        let mut taken = Vec::new();
        let source = self.pick_one(&mut taken, anyone);
        let sink = self.pick_one(&mut taken, anyone);
        let middle = self.pick(k, &mut taken, anyone);
        let mut draft = self.layering(source);
        let base = self.amount(draft.currency);
        let end = self.until(t0, spec.hours);
        for (&mid, t) in middle.iter().zip(self.times(t0, t0 + (end - t0) / 2, k)) {
            let cents = jitter(&mut self.rng, base);
            draft.pay(t, source, mid, cents);
            let onward = share_of(cents, spec.forwarded.draw(&mut self.rng));
            draft.pay(
                self.clock.instant(&mut self.rng, t + 1, end),
                mid,
                sink,
                onward,
            );
        }
        (format!("Max {k}-degree Fan-Out"), draft)
    }

    fn cycle(&mut self, t0: u32) -> (String, Draft) {
        let spec = self.specs.cycle;
        let length = self.draw(spec.length);
        let ring = self.pick(length, &mut Vec::new(), anyone);
        let mut draft = self.layering(ring[0]);
        let mut cents = self.amount(draft.currency);
        let times = self.times(t0, self.until(t0, spec.hours), length);
        for (i, t) in times.into_iter().enumerate() {
            draft.pay(t, ring[i], ring[(i + 1) % length], cents);
            cents = share_of(cents, 1.0 - spec.fee.draw(&mut self.rng));
        }
        (format!("Max {length} hops"), draft)
    }

    fn bipartite(&mut self, t0: u32) -> (String, Draft) {
        let spec = self.specs.bipartite;
        let (m, n) = (self.draw(spec.senders), self.draw(spec.receivers));
        let mut taken = Vec::new();
        let senders = self.pick(m, &mut taken, anyone);
        let receivers = self.pick(n, &mut taken, anyone);
        let mut draft = self.layering(senders[0]);
        let base = self.amount(draft.currency);
        let payees = self.edges(m, n);
        let mut times = self.times(
            t0,
            self.until(t0, spec.hours),
            payees.iter().map(Vec::len).sum(),
        );
        times.shuffle(&mut self.rng);
        let pairs = payees
            .iter()
            .enumerate()
            .flat_map(|(s, to)| to.iter().map(move |&r| (s, r)));
        for ((s, r), t) in pairs.zip(times) {
            draft.pay(t, senders[s], receivers[r], jitter(&mut self.rng, base));
        }
        (String::new(), draft)
    }

    /// For each of `m` senders, the receivers (of `n`) it pays: between two and all of them,
    /// and every receiver at least once.
    fn edges(&mut self, m: usize, n: usize) -> Vec<Vec<usize>> {
        let mut paid = vec![false; n];
        let mut payees: Vec<Vec<usize>> = (0..m)
            .map(|_| {
                let mut order: Vec<usize> = (0..n).collect();
                order.shuffle(&mut self.rng);
                order.truncate(self.rng.random_range(2.min(n)..=n));
                order.iter().for_each(|&r| paid[r] = true);
                order
            })
            .collect();
        for r in (0..n).filter(|&r| !paid[r]) {
            payees[self.rng.random_range(0..m)].push(r);
        }
        payees
    }

    /// Layer after layer of bipartite payments, each in its own slice of the window, so that
    /// a set pays on only after everything it receives has arrived.
    fn stack(&mut self, t0: u32) -> (String, Draft) {
        let spec = self.specs.stack;
        let layers = self.draw(spec.layers) as u32;
        let mut taken = Vec::new();
        let sets: Vec<Vec<u32>> = (0..=layers)
            .map(|_| {
                let width = self.draw(spec.width);
                self.pick(width, &mut taken, anyone)
            })
            .collect();
        let mut draft = self.layering(sets[0][0]);
        let base = self.amount(draft.currency);
        let span = self.until(t0, spec.hours) - t0;
        let mut received: Vec<u64> = Vec::new();
        for (layer, pair) in (0..layers).zip(sets.windows(2)) {
            let lo = t0 + span * layer / layers + u32::from(layer > 0);
            let hi = t0 + span * (layer + 1) / layers;
            let payees = self.edges(pair[0].len(), pair[1].len());
            let mut times = self
                .times(lo, hi, payees.iter().map(Vec::len).sum())
                .into_iter();
            let mut next = vec![0; pair[1].len()];
            for (s, targets) in payees.iter().enumerate() {
                let amounts = if layer == 0 {
                    targets
                        .iter()
                        .map(|_| jitter(&mut self.rng, base))
                        .collect()
                } else {
                    let onward = share_of(received[s], spec.forwarded.draw(&mut self.rng));
                    split(&mut self.rng, onward, targets.len())
                };
                for (&r, cents) in targets.iter().zip(amounts) {
                    next[r] += cents;
                    draft.pay(times.next().unwrap_or(hi), pair[0][s], pair[1][r], cents);
                }
            }
            received = next;
        }
        (String::new(), draft)
    }

    /// Half the attempts that start on a business day deposit over the threshold in one day in
    /// smaller sums; the others stay just below it for days.
    fn structuring(&mut self, day: u32, t0: u32) -> (String, Draft) {
        let spec = self.specs.structuring;
        let mut taken = Vec::new();
        let target = self.pick_one(&mut taken, dollar_account);
        let (amounts, times, detail) =
            if self.calendar.is_business(day) && self.rng.random_bool(0.5) {
                self.same_day_deposits(&spec, day)
            } else {
                self.deposits_below(&spec, t0)
            };
        let depositors =
            self.depositors(target, amounts.len(), spec.min_banks as usize, &mut taken);
        let mut draft = Draft::new(Currency::UsDollar, Format::Cash);
        for ((&depositor, t), cents) in depositors.iter().zip(times).zip(amounts) {
            draft.pay(t, depositor, target, cents);
        }
        (detail.to_owned(), draft)
    }

    /// Deposits on `day` in banking hours, each under the threshold and together over it:
    /// their amounts, their times and the attempt's detail.
    fn same_day_deposits(
        &mut self,
        spec: &StructuringSpec,
        day: u32,
    ) -> (Vec<u64>, Vec<u32>, &'static str) {
        let c = self.draw(spec.same_day_deposits);
        let mut amounts: Vec<u64> = (0..c)
            .map(|_| spec.same_day_amount.draw(&mut self.rng))
            .collect();
        while amounts.iter().sum::<u64>() <= spec.same_day_total_over {
            let lowest = (0..c).min_by_key(|&i| amounts[i]).unwrap_or(0);
            amounts[lowest] = self
                .rng
                .random_range(amounts[lowest]..=spec.same_day_amount.max);
        }
        let opens = day * MINUTES_PER_DAY + 8 * 60;
        let times = self.times(opens, opens + 10 * 60, c);
        (amounts, times, "Same-day cash deposits")
    }

    /// Deposits just below the threshold over days from `t0`: their amounts, their times and
    /// the attempt's detail.
    fn deposits_below(
        &mut self,
        spec: &StructuringSpec,
        t0: u32,
    ) -> (Vec<u64>, Vec<u32>, &'static str) {
        let n = self.draw(spec.below_deposits);
        let amounts = (0..n)
            .map(|_| spec.below_amount.draw(&mut self.rng))
            .collect();
        let times = self.times(t0, self.until(t0, spec.below_hours), n);
        (amounts, times, "Cash deposits below the threshold")
    }

    /// `n` depositors into `target` through `min_banks` or more banks, in a random order:
    /// individuals, and half the time the holder at their own bank.
    fn depositors(
        &mut self,
        target: u32,
        n: usize,
        min_banks: usize,
        taken: &mut Vec<u32>,
    ) -> Vec<u32> {
        let mut out = Vec::with_capacity(n);
        if self.rng.random_bool(0.5) {
            out.push(target);
        }
        while out.len() < n {
            let banks: Vec<u32> = out.iter().map(|&a| self.world.bank_of(a)).collect();
            let new_bank = banks.iter().collect::<FxHashSet<_>>().len() < min_banks;
            let depositor = self.pick_one(taken, |w, a| {
                individual(w, a) && !(new_bank && banks.contains(&w.bank_of(a)))
            });
            out.push(depositor);
        }
        out.shuffle(&mut self.rng);
        out
    }

    /// Cash from depositors away from the funnel account's bank, then most of it wired on
    /// soon after the last deposit.
    fn funnel(&mut self, t0: u32) -> (String, Draft) {
        let spec = self.specs.funnel;
        let mut taken = Vec::new();
        let funnel = self.pick_one(&mut taken, dollar_account);
        let home = self.world.bank_of(funnel);
        let d = self.draw(spec.deposits);
        let depositors = self.pick(d, &mut taken, |w, a| {
            individual(w, a) && w.bank_of(a) != home
        });
        let end = self.until(t0, spec.deposit_hours + spec.wire_hours);
        let wire_window = (spec.wire_hours * 60).min((end - t0) / 3);
        let deposits_end = t0 + (spec.deposit_hours * 60).min(end - t0 - wire_window);
        let mut draft = Draft::new(Currency::UsDollar, Format::Cash);
        let deposits: Vec<(u32, u32)> = depositors.iter().map(|&from| (from, funnel)).collect();
        let (total, last) = self.pay_each(&mut draft, &deposits, t0..=deposits_end, |rng| {
            spec.deposit_amount.draw(rng)
        });
        let r = self.draw(spec.recipients);
        let recipients = self.pick(r, &mut taken, anyone);
        let wired = share_of(total, spec.wired.draw(&mut self.rng));
        draft.format = Format::Wire;
        self.pay_out(
            &mut draft,
            funnel,
            &recipients,
            wired,
            last + 1..=last + wire_window,
        );
        let wires = if r == 1 {
            "1 wire".to_owned()
        } else {
            format!("{r} wires")
        };
        (format!("{d} out-of-area cash deposits, {wires}"), draft)
    }

    /// Rounds in sequence, each an inflow and, within the hold, the outflow it pays for.
    fn pass_through(&mut self, t0: u32) -> (String, Draft) {
        let spec = self.specs.pass_through;
        let rounds = spec.rounds.draw(&mut self.rng);
        let mut taken = Vec::new();
        let account = self.pick_one(&mut taken, anyone);
        let mut draft = Draft::new(self.world.currency_of(account), Format::Wire);
        let slot = (self.until(t0, spec.hours) - t0) / rounds;
        let hold = (spec.hold_hours * 60).min(slot / 2);
        for round in 0..rounds {
            let opens = t0 + round * slot;
            let inflow = self
                .clock
                .instant(&mut self.rng, opens, opens + slot - 1 - hold);
            let outflow = inflow + self.rng.random_range(1..=hold);
            let (from, to) = (
                self.pick_one(&mut taken, anyone),
                self.pick_one(&mut taken, anyone),
            );
            let cents = self.amount(draft.currency);
            draft.format = Format::wire_or_ach(&mut self.rng);
            draft.pay(inflow, from, account, cents);
            draft.pay(
                outflow,
                account,
                to,
                share_of(cents, spec.forwarded.draw(&mut self.rng)),
            );
        }
        (
            format!(
                "{rounds} rounds in and out within {} hours",
                spec.hold_hours
            ),
            draft,
        )
    }
}
