//! The derivation against a plain reference (recompute all sums until nothing changes), on
//! random graphs, and its independence from the order links are loaded in.

use std::collections::BTreeMap;

use interdict_graph::{Basis, Mode, Options};
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::{graph, own};

/// The least fix-point computed the slow, obvious way.
fn reference(links: &[(usize, usize, i64)], listed: &[usize], nodes: usize) -> Vec<bool> {
    let mut blocked = vec![false; nodes];
    for &l in listed {
        blocked[l] = true;
    }
    loop {
        let mut held = vec![Decimal::ZERO; nodes];
        for &(from, to, hundredths) in links {
            if blocked[from] {
                held[to] += Decimal::new(hundredths, 2);
            }
        }
        let next: Vec<bool> = (0..nodes)
            .map(|n| blocked[n] || held[n] >= Decimal::from(50))
            .collect();
        if next == blocked {
            return blocked;
        }
        blocked = next;
    }
}

fn arb_graph() -> impl Strategy<Value = (Vec<(usize, usize, i64)>, Vec<usize>)> {
    (2usize..24).prop_flat_map(|nodes| {
        let link =
            (0..nodes, 0..nodes, 1i64..=10_000).prop_filter("no self-links", |(a, b, _)| a != b);
        (
            prop::collection::vec(link, 0..60),
            prop::collection::vec(0..nodes, 0..3),
        )
    })
}

proptest! {
    #[test]
    fn derivation_matches_the_reference_in_any_link_order(
        (links, listed) in arb_graph(),
        seed in any::<u64>(),
    ) {
        let name = |n: usize| format!("n{n}");
        let ids: Vec<String> = listed.iter().map(|&n| name(n)).collect();
        let build = |order: &[(usize, usize, i64)]| {
            graph(order.iter().map(|&(a, b, h)| own(&name(a), &name(b), &Decimal::new(h, 2).to_string())))
        };
        let status = |order: &[(usize, usize, i64)]| -> BTreeMap<String, Basis> {
            let (g, _) = build(order);
            let d = g.derive(ids.iter().map(String::as_str), &Options { as_of: None, mode: Mode::Ofac });
            (0..g.len() as u32).map(|n| (g.id(n).to_string(), d.basis[n as usize])).collect()
        };
        let forward = status(&links);
        // A deterministic shuffle from the seed.
        let mut shuffled = links.clone();
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(&forward, &status(&shuffled));
        let nodes = links.iter().flat_map(|l| [l.0, l.1]).chain(listed.iter().copied()).max().map_or(0, |m| m + 1);
        let expected = reference(&links, &listed, nodes);
        for (id, basis) in &forward {
            let n: usize = id[1..].parse().unwrap();
            prop_assert_eq!(*basis != Basis::None, expected[n], "{}", id);
        }
    }
}
