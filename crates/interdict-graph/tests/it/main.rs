//! The 50% rule: OFAC's FAQ examples, shapes (chains, pyramids, cycles), dates, the EU/UK
//! reading, bad links, exposure paths, and independence from the order links come in.

mod faq;
mod order;

use interdict_graph::{Graph, GraphBuilder, Link, LinkKind, Warning};
use rust_decimal::Decimal;

pub fn link(kind: LinkKind, from: &str, to: &str, pct: Option<&str>) -> Link {
    Link {
        source: format!("{from}->{to}"),
        kind,
        from: from.into(),
        to: to.into(),
        percentage: pct.map(|p| p.parse::<Decimal>().unwrap()),
        start: None,
        end: None,
    }
}

pub fn own(from: &str, to: &str, pct: &str) -> Link {
    link(LinkKind::Ownership, from, to, Some(pct))
}

pub fn graph(links: impl IntoIterator<Item = Link>) -> (Graph, Vec<Warning>) {
    let mut builder = GraphBuilder::new();
    for l in links {
        builder.add_link(l).unwrap();
    }
    builder.build()
}
