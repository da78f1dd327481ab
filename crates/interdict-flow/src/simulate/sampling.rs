//! Random draws: weighted choices in constant time, heavy-tailed amounts and weights, and the
//! amount arithmetic of the patterns.

use rand::{Rng, RngCore};

/// Walker's alias table: a weighted choice among items in constant time, from one random word.
/// Each slot holds its threshold and both items it may yield, so a draw touches one place in
/// memory (the tables of large worlds do not fit in cache).
pub(super) struct Alias {
    slots: Vec<[u32; 3]>,
}

impl Alias {
    /// A choice among `0..weights.len()`.
    pub(super) fn new(weights: &[f64]) -> Alias {
        let items: Vec<u32> = (0..weights.len() as u32).collect();
        Alias::of(&items, weights)
    }

    /// A choice among `items`, the `i`th with weight `weights[i]`.
    pub(super) fn of(items: &[u32], weights: &[f64]) -> Alias {
        let n = weights.len();
        let total: f64 = weights.iter().sum();
        let mut scaled: Vec<f64> = weights.iter().map(|w| w * n as f64 / total).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) =
            (0..n).partition(|&i| scaled[i] < 1.0);
        let mut slots: Vec<[u32; 3]> = items.iter().map(|&item| [u32::MAX, item, item]).collect();
        while let (Some(&s), Some(&l)) = (small.last(), large.last()) {
            small.pop();
            slots[s][0] = (scaled[s] * 4_294_967_296.0) as u32;
            slots[s][2] = items[l];
            scaled[l] -= 1.0 - scaled[s];
            if scaled[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        Alias { slots }
    }

    /// Two different items: a payment between two people, or two companies. The table must
    /// hold two or more items of positive weight.
    pub(super) fn two(&self, rng: &mut impl RngCore) -> (u32, u32) {
        let first = self.sample(rng);
        loop {
            let second = self.sample(rng);
            if second != first {
                return (first, second);
            }
        }
    }

    pub(super) fn sample(&self, rng: &mut impl RngCore) -> u32 {
        let word = rng.next_u64();
        let [threshold, item, alias] =
            self.slots[(((word >> 32) * self.slots.len() as u64) >> 32) as usize];
        if (word as u32) < threshold {
            item
        } else {
            alias
        }
    }
}

fn normal(rng: &mut impl Rng) -> f64 {
    let u = 1.0 - rng.random::<f64>();
    let v = rng.random::<f64>();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

pub(super) fn lognormal(rng: &mut impl Rng, median: f64, sigma: f64) -> f64 {
    median * (sigma * normal(rng)).exp()
}

/// `n` Pareto weights of scale 1, each capped at a tenth of `n`: near `alpha` = 1 a single
/// uncapped draw can outweigh all the others (one merchant selling to everyone).
pub(super) fn pareto_weights(rng: &mut impl Rng, n: usize, alpha: f64) -> Vec<f64> {
    let cap = (n as f64 / 10.0).max(10.0);
    (0..n)
        .map(|_| (1.0 - rng.random::<f64>()).powf(-1.0 / alpha).min(cap))
        .collect()
}

/// `cents` times `share`, rounded down so that the share is never exceeded.
pub(super) fn share_of(cents: u64, share: f64) -> u64 {
    ((cents as f64) * share).floor().max(1.0) as u64
}

/// `cents` within ±15%: laundering amounts in one pattern look alike.
pub(super) fn jitter(rng: &mut impl Rng, cents: u64) -> u64 {
    share_of(cents, rng.random_range(0.85..=1.15))
}

/// `total` in `parts` uneven parts that add up exactly.
pub(super) fn split(rng: &mut impl Rng, total: u64, parts: usize) -> Vec<u64> {
    let weights: Vec<f64> = (0..parts).map(|_| rng.random_range(0.7..=1.3)).collect();
    let sum: f64 = weights.iter().sum();
    let mut out: Vec<u64> = weights
        .iter()
        .map(|w| (total as f64 * w / sum).floor() as u64)
        .collect();
    let assigned: u64 = out.iter().sum();
    if let Some(last) = out.last_mut() {
        *last += total - assigned;
    }
    out
}
