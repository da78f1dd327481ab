//! Ownership and control between parties, and what follows from it: OFAC's 50% rule as an
//! aggregate fix-point, the EU/UK "owned or controlled" reading, and the paths from designated
//! parties that explain an entity's status.
//!
//! ```
//! use interdict_graph::{GraphBuilder, Link, LinkKind, Options, Basis};
//! use rust_decimal::Decimal;
//!
//! let own = |from: &str, to: &str, pct: i64| Link {
//!     source: format!("{from}->{to}"), kind: LinkKind::Ownership,
//!     from: from.into(), to: to.into(), percentage: Some(Decimal::from(pct)),
//!     start: None, end: None,
//! };
//! // OFAC FAQ 401: X owns 50% of A and of B; A and B each own 25% of C.
//! let mut builder = GraphBuilder::new();
//! for link in [own("X", "A", 50), own("X", "B", 50), own("A", "C", 25), own("B", "C", 25)] {
//!     builder.add_link(link).unwrap();
//! }
//! let (graph, _warnings) = builder.build();
//! let status = graph.derive(["X"], &Options::default());
//! assert_eq!(status.basis[graph.node("C").unwrap() as usize], Basis::Ownership);
//! ```
//!
//! **Architecture invariant:** this crate does no I/O: callers load links and listed ids.

mod graph;
mod link;
mod rule;
pub mod simulate;

pub use graph::{Edge, Graph, GraphBuilder};
pub use link::{Link, LinkError, LinkKind, Warning, parse_percentage};
pub use rule::{Basis, Derivation, Exposure, Mode, Options, Step};
