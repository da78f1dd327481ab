//! The graph of parties and links, in compressed adjacency arrays so that a registry of a
//! million companies fits in memory and is walked without hashing.

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use crate::link::{Link, LinkError, LinkKind, Warning, holds};

/// A link between two parties, by index.
#[derive(Debug, Clone)]
pub struct Edge {
    pub from: u32,
    pub to: u32,
    pub kind: LinkKind,
    pub percentage: Option<Decimal>,
    pub start: Option<Box<str>>,
    pub end: Option<Box<str>>,
    pub source: Box<str>,
}

impl Edge {
    pub(crate) fn in_force(&self, as_of: Option<&str>) -> bool {
        holds(self.start.as_deref(), self.end.as_deref(), as_of)
    }
}

/// Parties and links; built once, read by any number of threads.
#[derive(Debug, Default)]
pub struct Graph {
    pub(crate) ids: Vec<Box<str>>,
    /// Ids are interned once per party. FxHash: the ids come from lists and registries the
    /// operator chose to load, and SipHash cost a tenth of loading a large registry.
    pub(crate) index: FxHashMap<Box<str>, u32>,
    pub(crate) edges: Vec<Edge>,
    /// Edges by `from`: `out_edges[out_start[n]..out_start[n + 1]]`.
    pub(crate) out_start: Vec<u32>,
    pub(crate) out_edges: Vec<u32>,
    /// Edges by `to`.
    pub(crate) in_start: Vec<u32>,
    pub(crate) in_edges: Vec<u32>,
}

/// Collects parties and links, then lays them out as a [`Graph`].
#[derive(Debug, Default)]
pub struct GraphBuilder {
    graph: Graph,
    /// Whether each node was declared as a party (not only named by a link).
    declared: Vec<bool>,
    warnings: Vec<Warning>,
}

impl GraphBuilder {
    pub fn new() -> Self {
        GraphBuilder::default()
    }

    /// Declares a party; returns its index.
    pub fn add_party(&mut self, id: &str) -> u32 {
        let n = self.node(id);
        self.declared[n as usize] = true;
        n
    }

    fn node(&mut self, id: &str) -> u32 {
        if let Some(&n) = self.graph.index.get(id) {
            return n;
        }
        let n = self.graph.ids.len() as u32;
        self.graph.ids.push(id.into());
        self.graph.index.insert(id.into(), n);
        self.declared.push(false);
        n
    }

    /// Adds a link after checking it; a link that cannot be used is refused whole.
    pub fn add_link(&mut self, link: Link) -> Result<(), LinkError> {
        link.check()?;
        if link.kind == LinkKind::Ownership && link.percentage.is_none() {
            self.warnings.push(Warning {
                source: link.source.clone(),
                message: format!(
                    "ownership of {} by {} has no percentage: it is shown, but cannot count \
                     towards 50%",
                    link.to, link.from
                ),
            });
        }
        let (from, to) = (self.node(&link.from), self.node(&link.to));
        self.graph.edges.push(Edge {
            from,
            to,
            kind: link.kind,
            percentage: link.percentage,
            start: link.start.map(Into::into),
            end: link.end.map(Into::into),
            source: link.source.into(),
        });
        Ok(())
    }

    /// Lays the graph out, reporting what looks wrong: ids only links name, and assets whose
    /// open-ended holdings add up to more than 100%.
    pub fn build(mut self) -> (Graph, Vec<Warning>) {
        let n = self.graph.ids.len();
        let (out_start, out_edges) = adjacency(n, &self.graph.edges, |e| e.from);
        let (in_start, in_edges) = adjacency(n, &self.graph.edges, |e| e.to);
        self.graph.out_start = out_start;
        self.graph.out_edges = out_edges;
        self.graph.in_start = in_start;
        self.graph.in_edges = in_edges;
        let any_declared = self.declared.iter().any(|d| *d);
        for (node, declared) in self.declared.iter().enumerate() {
            if any_declared && !declared {
                self.warnings.push(Warning {
                    source: self.graph.ids[node].to_string(),
                    message: "named by a link but not among the parties loaded".into(),
                });
            }
        }
        for node in 0..n as u32 {
            let open: Decimal = self
                .graph
                .incoming(node)
                .filter(|e| e.kind == LinkKind::Ownership && e.end.is_none())
                .filter_map(|e| e.percentage)
                .sum();
            if open > Decimal::ONE_HUNDRED {
                self.warnings.push(Warning {
                    source: self.graph.ids[node as usize].to_string(),
                    message: format!("current holdings in it add up to {open}%, over 100%"),
                });
            }
        }
        (self.graph, self.warnings)
    }
}

fn adjacency(n: usize, edges: &[Edge], end: impl Fn(&Edge) -> u32) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; n + 1];
    for e in edges {
        start[end(e) as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut next = start.clone();
    let mut order = vec![0u32; edges.len()];
    for (i, e) in edges.iter().enumerate() {
        let slot = &mut next[end(e) as usize];
        order[*slot as usize] = i as u32;
        *slot += 1;
    }
    (start, order)
}

impl Graph {
    /// The number of parties.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The number of links.
    pub fn link_count(&self) -> usize {
        self.edges.len()
    }

    pub fn node(&self, id: &str) -> Option<u32> {
        self.index.get(id).copied()
    }

    pub fn id(&self, node: u32) -> &str {
        &self.ids[node as usize]
    }

    /// Links from a party (what it owns, controls, directs, is related to).
    pub fn outgoing(&self, node: u32) -> impl Iterator<Item = &Edge> {
        let (a, b) = (
            self.out_start[node as usize],
            self.out_start[node as usize + 1],
        );
        self.out_edges[a as usize..b as usize]
            .iter()
            .map(|&e| &self.edges[e as usize])
    }

    /// Links to a party (who owns, controls, directs it or is related to it).
    pub fn incoming(&self, node: u32) -> impl Iterator<Item = &Edge> {
        let (a, b) = (
            self.in_start[node as usize],
            self.in_start[node as usize + 1],
        );
        self.in_edges[a as usize..b as usize]
            .iter()
            .map(|&e| &self.edges[e as usize])
    }
}
