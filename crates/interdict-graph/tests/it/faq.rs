//! OFAC FAQ 398 and 401 as golden tests, then the shapes and inputs around them.

use interdict_graph::{Basis, GraphBuilder, LinkError, LinkKind, Mode, Options};

use crate::{graph, link, own};

fn basis_of(links: Vec<interdict_graph::Link>, listed: &[&str], id: &str, mode: Mode) -> Basis {
    let (g, _) = graph(links);
    let options = Options { as_of: None, mode };
    g.derive(listed.iter().copied(), &options).basis[g.node(id).unwrap() as usize]
}

fn ofac(links: Vec<interdict_graph::Link>, listed: &[&str], id: &str) -> Basis {
    basis_of(links, listed, id, Mode::Ofac)
}

#[test]
fn faq_401_direct_aggregate_and_indirect_ownership() {
    // Blocked X owns 50% of A: A is blocked.
    assert_eq!(
        ofac(vec![own("X", "A", "50")], &["X"], "A"),
        Basis::Ownership
    );
    // 49.99% is not 50%.
    assert_eq!(ofac(vec![own("X", "A", "49.99")], &["X"], "A"), Basis::None);
    // Blocked X and Y own 25% of A each: in aggregate 50%, A is blocked.
    let both = vec![own("X", "A", "25"), own("Y", "A", "25")];
    assert_eq!(ofac(both.clone(), &["X", "Y"], "A"), Basis::Ownership);
    assert_eq!(ofac(both, &["X"], "A"), Basis::None);
    // X owns 50% of A, A owns 50% of B: B is blocked through A.
    let chain = vec![own("X", "A", "50"), own("A", "B", "50")];
    assert_eq!(ofac(chain, &["X"], "B"), Basis::Ownership);
    // X owns 50% of A and of B; A and B own 25% of C each: C is blocked.
    let pyramid = vec![
        own("X", "A", "50"),
        own("X", "B", "50"),
        own("A", "C", "25"),
        own("B", "C", "25"),
    ];
    assert_eq!(ofac(pyramid, &["X"], "C"), Basis::Ownership);
    // X owns 10% of B directly and 50% of A, which owns 40% of B: 10 + 40 = 50, B is blocked.
    let mixed = vec![
        own("X", "B", "10"),
        own("X", "A", "50"),
        own("A", "B", "40"),
    ];
    assert_eq!(ofac(mixed, &["X"], "B"), Basis::Ownership);
    // X owns 40% of A (not blocked), A owns 100% of B: nothing passes through A.
    let through_unblocked = vec![own("X", "A", "40"), own("A", "B", "100")];
    assert_eq!(ofac(through_unblocked, &["X"], "B"), Basis::None);
}

#[test]
fn faq_398_control_alone_does_not_block_under_ofac_but_does_in_eu_uk_mode() {
    let links = vec![
        link(LinkKind::Directorship, "X", "A", None),
        own("X", "A", "10"),
        link(LinkKind::Control, "Y", "B", None),
    ];
    assert_eq!(ofac(links.clone(), &["X", "Y"], "A"), Basis::None);
    assert_eq!(ofac(links.clone(), &["X", "Y"], "B"), Basis::None);
    assert_eq!(
        basis_of(links.clone(), &["X", "Y"], "A", Mode::EuUk),
        Basis::Control
    );
    assert_eq!(
        basis_of(links, &["X", "Y"], "B", Mode::EuUk),
        Basis::Control
    );
    // The EU and UK ask for more than 50%; OFAC for 50% or more.
    let half = vec![own("X", "A", "50")];
    assert_eq!(ofac(half.clone(), &["X"], "A"), Basis::Ownership);
    assert_eq!(basis_of(half, &["X"], "A", Mode::EuUk), Basis::None);
    // Family and associates never block.
    let family = vec![link(LinkKind::Family, "X", "P", None)];
    assert_eq!(basis_of(family, &["X"], "P", Mode::EuUk), Basis::None);
}

#[test]
fn cycles_end_and_block_nothing_by_themselves() {
    let cycle = vec![own("A", "B", "60"), own("B", "A", "60")];
    assert_eq!(ofac(cycle.clone(), &[], "A"), Basis::None);
    let mut fed = cycle;
    fed.push(own("X", "A", "50"));
    let (g, _) = graph(fed);
    let d = g.derive(["X"], &Options::default());
    assert_eq!(d.basis[g.node("B").unwrap() as usize], Basis::Ownership);
    // A holds 50 from X and 60 from B once B is blocked: 110%, and the data warned of it.
    assert_eq!(d.held[g.node("A").unwrap() as usize].to_string(), "110");
}

#[test]
fn long_chains_and_deep_pyramids_pass_status_down() {
    let chain: Vec<_> = (0..2_000)
        .map(|i| own(&format!("c{i}"), &format!("c{}", i + 1), "100"))
        .collect();
    assert_eq!(ofac(chain.clone(), &["c0"], "c2000"), Basis::Ownership);
    assert_eq!(ofac(chain, &["c1"], "c0"), Basis::None);
    // Three layers of two 26% holdings each: 52% at every level.
    let mut layers = vec![own("X", "a0", "100"), own("X", "b0", "100")];
    for level in 0..3 {
        for child in ["a", "b"] {
            for parent in ["a", "b"] {
                layers.push(own(
                    &format!("{parent}{level}"),
                    &format!("{child}{}", level + 1),
                    "26",
                ));
            }
        }
    }
    assert_eq!(ofac(layers, &["X"], "b3"), Basis::Ownership);
}

#[test]
fn a_holding_counts_only_while_in_force() {
    let mut holding = own("X", "A", "60");
    holding.start = Some("2018-03".into());
    holding.end = Some("2020-12-31".into());
    let (g, _) = graph(vec![holding]);
    let at = |day: &str| {
        let options = Options {
            as_of: Some(day),
            mode: Mode::Ofac,
        };
        g.derive(["X"], &options).basis[g.node("A").unwrap() as usize]
    };
    assert_eq!(at("2018-02-28"), Basis::None);
    assert_eq!(at("2018-03-01"), Basis::Ownership);
    assert_eq!(at("2020-12-31"), Basis::Ownership);
    assert_eq!(at("2021-01-01"), Basis::None);
}

#[test]
fn bad_links_are_refused_or_reported_never_silently_used() {
    let mut builder = GraphBuilder::new();
    builder.add_party("X");
    builder.add_party("A");
    let refused = |builder: &mut GraphBuilder, l| builder.add_link(l).unwrap_err();
    assert!(matches!(
        refused(&mut builder, own("X", "A", "100.5")),
        LinkError::OutOfRange { .. }
    ));
    assert!(matches!(
        refused(&mut builder, own("X", "A", "-5")),
        LinkError::OutOfRange { .. }
    ));
    let message = refused(&mut builder, own("A", "A", "30")).to_string();
    assert_eq!(message, "A->A: A is linked to itself");
    assert!(matches!(
        refused(&mut builder, own("", "A", "30")),
        LinkError::MissingEnd { side: "from", .. }
    ));
    assert!(matches!(
        interdict_graph::parse_percentage("row 7", "fifty"),
        Err(LinkError::NotANumber { .. })
    ));
    builder
        .add_link(link(LinkKind::Ownership, "X", "A", None))
        .unwrap();
    builder.add_link(own("Y", "A", "70")).unwrap();
    builder.add_link(own("Z", "A", "40")).unwrap();
    let (g, warnings) = builder.build();
    let said: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert!(
        said.iter()
            .any(|w| w.contains("X->A") && w.contains("no percentage")),
        "{said:?}"
    );
    assert!(
        said.iter()
            .any(|w| w.starts_with("A: ") && w.contains("110%")),
        "{said:?}"
    );
    assert!(
        said.iter()
            .any(|w| w.starts_with("Y: ") && w.contains("not among the parties")),
        "{said:?}"
    );
    // The link with no percentage does not count: X alone does not block A.
    let d = g.derive(["X"], &Options::default());
    assert_eq!(d.basis[g.node("A").unwrap() as usize], Basis::None);
}

#[test]
fn exposure_lists_every_blocking_path_and_the_weaker_signals() {
    let (g, _) = graph(vec![
        own("X", "A", "50"),
        own("X", "B", "50"),
        own("A", "C", "25"),
        own("B", "C", "25"),
        own("W", "C", "10"),
        link(LinkKind::Family, "W", "Q", None),
        link(LinkKind::Directorship, "Q", "C", None),
    ]);
    let options = Options::default();
    let d = g.derive(["X", "W"], &options);
    let c = g.node("C").unwrap();
    let exposure = g.exposure(c, &d, &options, 4);
    assert!(exposure.blocked);
    assert_eq!(exposure.basis, Basis::Ownership);
    assert_eq!(exposure.held.to_string(), "60");
    let routes = |paths: &[Vec<interdict_graph::Step>]| -> Vec<String> {
        let mut r: Vec<String> = paths
            .iter()
            .map(|p| {
                let mut s = p[0].from.clone();
                for step in p {
                    let pct = step
                        .percentage
                        .map(|p| format!(" {p}%"))
                        .unwrap_or_default();
                    s += &format!(" -{:?}{pct}-> {}", step.kind, step.to);
                }
                s
            })
            .collect();
        r.sort();
        r
    };
    assert_eq!(
        routes(&exposure.paths),
        [
            "W -Ownership 10%-> C",
            "X -Ownership 50%-> A -Ownership 25%-> C",
            "X -Ownership 50%-> B -Ownership 25%-> C",
        ]
    );
    assert_eq!(
        routes(&exposure.signals),
        ["W -Family-> Q -Directorship-> C"]
    );
    assert!(!exposure.truncated);
    // Within one link the two-link signal is left out; the blocking paths stay, since they
    // explain the status.
    let near = g.exposure(c, &d, &options, 1);
    assert_eq!(routes(&near.paths), routes(&exposure.paths));
    assert!(near.signals.is_empty());
}

#[test]
fn a_blocking_path_is_shown_however_deep_its_designated_owner_sits() {
    let chain: Vec<_> = (0..12)
        .map(|i| own(&format!("c{i}"), &format!("c{}", i + 1), "60"))
        .collect();
    let (g, _) = graph(chain);
    let options = Options::default();
    let d = g.derive(["c0"], &options);
    let end = g.node("c12").unwrap();
    let exposure = g.exposure(end, &d, &options, 2);
    assert_eq!(exposure.paths.len(), 1);
    assert_eq!(exposure.paths[0].len(), 12);
    assert_eq!(exposure.paths[0][0].from, "c0");
    assert!(exposure.signals.is_empty());
}
