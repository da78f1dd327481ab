//! OFAC's 50% rule (FAQs 398 and 401) as the least fix-point of aggregate blocked holdings, and
//! the paths that explain each status.
//!
//! An entity is blocked when it is listed, or when the holdings of blocked owners in it add up
//! to 50% or more. Only blocked owners count, so ownership passes through blocked entities alone
//! (FAQ 401). Each entity enters the work queue at most once, when it becomes blocked, and each
//! link is followed at most once from it: the computation ends on cycles of cross-holdings and
//! costs one pass over the links. The sums are exact decimals and addition commutes, so the
//! result does not depend on the order links were loaded in.

use std::collections::HashSet;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::graph::{Edge, Graph};
use crate::link::LinkKind;

const FIFTY: Decimal = Decimal::from_parts(50, 0, 0, false, 0);
/// Blocking paths, and separately signals, are listed up to this many.
const MAX_PATHS: usize = 100;
/// No path is followed further than this many links (ownership chains in real registries
/// are far shorter; this only bounds the work).
const MAX_PATH_LINKS: usize = 64;

/// Which reading of "blocked property" applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// OFAC: owned 50% or more, in aggregate, by blocked persons; control alone does not block
    /// (FAQ 398).
    #[default]
    Ofac,
    /// EU and UK: owned more than 50%, or controlled (majority control, a designated director).
    /// The EU threshold is "more than 50%"; OFAC's is "50% or more".
    EuUk,
}

/// Why an entity is blocked, or that it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    None,
    Listed,
    Ownership,
    Control,
}

/// How a derivation is asked for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// Only links in force on this ISO date count; `None` counts every link.
    pub as_of: Option<&'a str>,
    pub mode: Mode,
}

/// The status of every party of a graph under one set of listed parties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derivation {
    pub basis: Vec<Basis>,
    /// The share of each party held by blocked owners, in percent.
    pub held: Vec<Decimal>,
}

impl Derivation {
    pub fn is_blocked(&self, node: u32) -> bool {
        self.basis[node as usize] != Basis::None
    }

    /// Parties blocked without being listed.
    pub fn derived(&self) -> impl Iterator<Item = u32> + '_ {
        self.basis
            .iter()
            .enumerate()
            .filter(|(_, b)| matches!(b, Basis::Ownership | Basis::Control))
            .map(|(n, _)| n as u32)
    }

    /// Parties whose status differs between two derivations over the same graph.
    pub fn changed_since(&self, before: &Derivation) -> Vec<u32> {
        (0..self.basis.len() as u32)
            .filter(|&n| self.basis[n as usize] != before.basis[n as usize])
            .collect()
    }
}

/// One link on a path, as an analyst reads it: from the designated side towards the entity
/// asked about (a relative or associate link may be stored the other way round).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub from: String,
    pub to: String,
    pub kind: LinkKind,
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::str_option"
    )]
    pub percentage: Option<Decimal>,
    /// Where the link was read.
    pub source: String,
}

/// What is known about one entity's exposure to designated parties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exposure {
    pub id: String,
    pub blocked: bool,
    pub basis: Basis,
    pub mode: Mode,
    /// The share held by blocked owners, in percent.
    #[serde(with = "rust_decimal::serde::str")]
    pub held: Decimal,
    /// Paths from listed parties that make it blocked, each from the listed party to it.
    pub paths: Vec<Vec<Step>>,
    /// Paths from listed parties that do not block (minority holdings, control under OFAC,
    /// family, associates), within the depth asked.
    pub signals: Vec<Vec<Step>>,
    /// Whether paths were cut at the limit.
    pub truncated: bool,
}

impl Graph {
    /// Derives every party's status from the listed ones (ids not in the graph are ignored).
    pub fn derive<'a>(
        &self,
        listed: impl IntoIterator<Item = &'a str>,
        options: &Options,
    ) -> Derivation {
        let n = self.len();
        let mut basis = vec![Basis::None; n];
        let mut held = vec![Decimal::ZERO; n];
        let mut queue: Vec<u32> = Vec::new();
        for id in listed {
            if let Some(node) = self.node(id)
                && basis[node as usize] == Basis::None
            {
                basis[node as usize] = Basis::Listed;
                queue.push(node);
            }
        }
        while let Some(owner) = queue.pop() {
            for edge in self.outgoing(owner) {
                if !edge.in_force(options.as_of) {
                    continue;
                }
                let asset = edge.to as usize;
                let newly = match (edge.kind, edge.percentage) {
                    (LinkKind::Ownership, Some(p)) => {
                        held[asset] += p;
                        let enough = match options.mode {
                            Mode::Ofac => held[asset] >= FIFTY,
                            Mode::EuUk => held[asset] > FIFTY,
                        };
                        enough.then_some(Basis::Ownership)
                    }
                    (kind, _) if options.mode == Mode::EuUk && kind.controls() => {
                        Some(Basis::Control)
                    }
                    _ => None,
                };
                if let Some(why) = newly
                    && basis[asset] == Basis::None
                {
                    basis[asset] = why;
                    queue.push(edge.to);
                }
            }
        }
        Derivation { basis, held }
    }

    /// Explains one party's status: the paths that block it and, within `depth` links, the
    /// other paths from listed parties to it.
    pub fn exposure(
        &self,
        node: u32,
        derivation: &Derivation,
        options: &Options,
        depth: usize,
    ) -> Exposure {
        let mut walk = Walk {
            graph: self,
            derivation,
            options,
            depth,
            paths: Vec::new(),
            signals: Vec::new(),
            truncated: false,
        };
        let mut on_path = HashSet::from([node]);
        walk.back(node, &mut Vec::new(), &mut on_path, true);
        Exposure {
            id: self.id(node).to_string(),
            blocked: derivation.is_blocked(node),
            basis: derivation.basis[node as usize],
            mode: options.mode,
            held: derivation.held[node as usize],
            paths: walk.paths,
            signals: walk.signals,
            truncated: walk.truncated,
        }
    }
}

/// A backward walk from an entity to the listed parties that reach it.
struct Walk<'a> {
    graph: &'a Graph,
    derivation: &'a Derivation,
    options: &'a Options<'a>,
    depth: usize,
    paths: Vec<Vec<Step>>,
    signals: Vec<Vec<Step>>,
    truncated: bool,
}

impl<'a> Walk<'a> {
    /// Follows links into `node` backwards. `blocking` says whether every link so far is one
    /// that passes blocked status on; a path that reaches a listed party is kept as a blocking
    /// path if so, else as a signal.
    fn back(
        &mut self,
        node: u32,
        steps: &mut Vec<(&'a Edge, u32, u32)>,
        on_path: &mut HashSet<u32>,
        blocking: bool,
    ) {
        // The depth bounds the weaker signals only: a path that blocks is the explanation of
        // the status, however many holdings deep its designated owner sits.
        let beyond = steps.len() >= self.depth;
        if beyond && !blocking {
            return;
        }
        if steps.len() >= MAX_PATH_LINKS {
            self.truncated = true;
            return;
        }
        let edges: Vec<&'a Edge> = self
            .graph
            .incoming(node)
            .chain(self.graph.outgoing(node).filter(|e| symmetric(e.kind)))
            .filter(|e| e.in_force(self.options.as_of))
            .collect();
        for edge in edges {
            let other = if edge.to == node { edge.from } else { edge.to };
            if on_path.contains(&other) {
                continue;
            }
            let passes = blocking && self.passes(edge, node);
            let full = if passes {
                self.paths.len() >= MAX_PATHS
            } else {
                beyond || self.signals.len() >= MAX_PATHS
            };
            if full {
                self.truncated |= !beyond;
                continue;
            }
            // Each step reads towards the entity asked about, whichever way the link is stored.
            steps.push((edge, other, node));
            on_path.insert(other);
            // A path ends at the first designated party on it: what lies beyond is that
            // party's own exposure.
            if self.derivation.basis[other as usize] == Basis::Listed {
                self.keep(steps, passes);
            } else {
                self.back(other, steps, on_path, passes);
            }
            on_path.remove(&other);
            steps.pop();
        }
    }

    /// Whether `edge` into `node` passes blocked status on: an ownership link from a blocked
    /// owner into an entity blocked by ownership, or (EU/UK) a control link into one blocked
    /// by control or ownership.
    fn passes(&self, edge: &Edge, node: u32) -> bool {
        let (owner, basis) = (edge.from, self.derivation.basis[node as usize]);
        if edge.to != node || !self.derivation.is_blocked(owner) {
            return false;
        }
        match edge.kind {
            LinkKind::Ownership => edge.percentage.is_some() && basis == Basis::Ownership,
            kind => self.options.mode == Mode::EuUk && kind.controls() && basis != Basis::None,
        }
    }

    fn keep(&mut self, steps: &[(&Edge, u32, u32)], blocking: bool) {
        let path: Vec<Step> = steps
            .iter()
            .rev()
            .map(|&(e, from, to)| Step {
                from: self.graph.id(from).to_string(),
                to: self.graph.id(to).to_string(),
                kind: e.kind,
                percentage: e.percentage,
                source: e.source.to_string(),
            })
            .collect();
        if blocking {
            self.paths.push(path);
        } else {
            self.signals.push(path);
        }
    }
}

/// Links that read both ways (relatives, associates, an unstated link).
fn symmetric(kind: LinkKind) -> bool {
    matches!(
        kind,
        LinkKind::Family | LinkKind::Associate | LinkKind::Unknown
    )
}
