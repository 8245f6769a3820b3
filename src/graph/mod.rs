//! Pictures of the organisation: `orglint graph`.
//!
//! A view ([`View`]) turns the resolved model into an intermediate [`Graph`]
//! (nodes, edges, clusters and the findings that mark nodes), and two small
//! renderers write it as a Mermaid flowchart ([`mermaid`], renders in GitHub
//! Markdown) or as Graphviz ([`dot`]). Everything is in model order (path,
//! then line), so two runs over the same input give the same bytes.
//!
//! Large organisations stay readable: the reporting view collapses a
//! manager's many reports who manage nobody into one node with their role
//! mix, and stops at a depth with a "+N more" node (see [`Options`]).

mod dot;
mod mermaid;
mod views;

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::Model;

pub use dot::render as dot;
pub use mermaid::render as mermaid;

/// What to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Governance bodies by layer, with their decision mode and owner.
    Governance,
    /// Reporting lines from the professional lead down.
    Reporting,
    /// Teams with their services, mode and owners.
    Teams,
}

impl View {
    pub fn as_str(self) -> &'static str {
        match self {
            View::Governance => "governance",
            View::Reporting => "reporting",
            View::Teams => "teams",
        }
    }
}

/// How much of the reporting lines to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Levels of people to draw below and including the top (`Some`: exactly
    /// this many); `None`: [`DEFAULT_DEPTH`], or fewer when that would draw
    /// more than [`MAX_NODES`] nodes.
    pub depth: Option<u32>,
    /// A manager with more than this many reports who manage nobody gets one
    /// node for those reports.
    pub collapse: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            depth: None,
            collapse: DEFAULT_COLLAPSE,
        }
    }
}

/// Levels of the reporting view when `--depth` is not given.
pub const DEFAULT_DEPTH: u32 = 4;
/// Reports who manage nobody drawn one by one, at most.
pub const DEFAULT_COLLAPSE: usize = 12;
/// The most nodes a picture should have to stay readable (and within what
/// GitHub renders): the reporting view's default depth shrinks to fit.
pub const MAX_NODES: usize = 250;
/// The longest text taken from an org file into a label, in characters.
const MAX_TEXT: usize = 80;

/// The picture, before rendering.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Graph {
    /// What the picture shows (the organisation's name and the view).
    pub title: String,
    pub nodes: Vec<Node>,
    /// Edges between nodes (indices into `nodes`), drawn top to bottom.
    pub edges: Vec<Edge>,
    pub clusters: Vec<Cluster>,
    /// How each cluster is laid out.
    pub direction: Direction,
}

/// The layout of the picture. Mermaid always draws top-down (`flowchart
/// TD`, which GitHub renders best) and [`Direction::Across`] lays out each
/// subgraph left to right within it; Graphviz draws the whole picture that
/// way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Direction {
    /// Top to bottom: governance layer 1 on top.
    #[default]
    Down,
    /// Left to right: a manager, then their reports to the right, one below
    /// the other (a long list reads better than a wide one); a team, then
    /// its services.
    Across,
}

/// A box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Unique, `[A-Za-z0-9_]` only, starting with a letter.
    pub id: String,
    pub kind: NodeKind,
    /// The label, one element a line, as plain text (renderers escape it).
    pub lines: Vec<String>,
    /// Codes of the unsuppressed findings about what the node stands for,
    /// sorted and unique; the node is marked when there are any.
    pub findings: Vec<String>,
    /// The cluster the node is drawn in (an index into `clusters`).
    pub cluster: Option<usize>,
}

/// What a node stands for (renderers choose shapes by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    Person,
    Team,
    Service,
    Body,
    /// Several people drawn as one ("14 reports: role mix").
    Group,
    /// The people below the depth limit ("+N more").
    More,
    /// A remark about the picture (people outside it, an empty view).
    Note,
}

impl NodeKind {
    /// Whether the node summarises rather than names one entity.
    pub fn is_summary(self) -> bool {
        matches!(self, NodeKind::Group | NodeKind::More | NodeKind::Note)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
}

/// A titled group of nodes (a Mermaid subgraph, a Graphviz cluster).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    /// Unique among node and cluster ids, `[A-Za-z0-9_]` only.
    pub id: String,
    pub label: String,
}

/// A graph and what the caller should tell the user about it.
#[derive(Clone, Debug, Default)]
pub struct Built {
    pub graph: Graph,
    /// Remarks for standard error (a reduced depth, a very large picture).
    pub notes: Vec<String>,
}

/// Draws `view` of the model, marking entities with the unsuppressed
/// findings among `diagnostics` (by [`Diagnostic::entity`]).
pub fn build(view: View, model: &Model, diagnostics: &[Diagnostic], options: &Options) -> Built {
    let marks = Marks::new(diagnostics);
    let mut built = match view {
        View::Governance => Built {
            graph: views::governance(model, &marks),
            notes: Vec::new(),
        },
        View::Teams => Built {
            graph: views::teams(model, &marks),
            notes: Vec::new(),
        },
        View::Reporting => views::reporting(model, &marks, options),
    };
    let n = built.graph.nodes.len();
    if n > MAX_NODES && view != View::Reporting {
        built.notes.push(format!(
            "the {} view has {n} nodes, too many to read (and perhaps for GitHub to render); \
             draw part of the organisation by naming some of its files as PATHS",
            view.as_str()
        ));
    }
    built
}

/// The nodes of each cluster, in node order.
fn by_cluster(graph: &Graph) -> Vec<Vec<&Node>> {
    let mut by: Vec<Vec<&Node>> = vec![Vec::new(); graph.clusters.len()];
    for node in &graph.nodes {
        if let Some(v) = node.cluster.and_then(|c| by.get_mut(c)) {
            v.push(node);
        }
    }
    by
}

/// The codes of the unsuppressed findings, by entity.
pub(crate) struct Marks {
    by_kind: HashMap<EntityKind, HashMap<String, BTreeSet<String>>>,
}

impl Marks {
    pub(crate) fn new(diagnostics: &[Diagnostic]) -> Marks {
        let mut by_kind: HashMap<EntityKind, HashMap<String, BTreeSet<String>>> = HashMap::new();
        for d in diagnostics.iter().filter(|d| d.suppressed.is_none()) {
            if let Some(e) = &d.entity {
                by_kind
                    .entry(e.kind)
                    .or_default()
                    .entry(e.id.clone())
                    .or_default()
                    .insert(d.code.to_string());
            }
        }
        Marks { by_kind }
    }

    pub(crate) fn get(&self, kind: EntityKind, id: &str) -> Option<&BTreeSet<String>> {
        self.by_kind.get(&kind).and_then(|m| m.get(id))
    }

    /// The codes of one entity, sorted.
    pub(crate) fn codes(&self, kind: EntityKind, id: &str) -> Vec<String> {
        self.get(kind, id)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }
}

/// Hands out node and cluster ids: `prefix_rest` with every character
/// outside `[A-Za-z0-9_]` replaced by `_`, made unique with `_2`, `_3`, ...
#[derive(Default)]
pub(crate) struct Ids {
    used: HashSet<String>,
}

impl Ids {
    pub(crate) fn make(&mut self, prefix: &str, raw: &str) -> String {
        let base = format!("{}_{}", sanitise(prefix), sanitise(raw));
        let mut id = base.clone();
        let mut n = 2usize;
        while self.used.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        self.used.insert(id.clone());
        id
    }
}

/// `s` with every character outside `[A-Za-z0-9_]` replaced by `_`.
pub fn sanitise(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Text from an org file made fit for a label: control characters become
/// spaces, and very long text is cut with an ellipsis.
pub(crate) fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(MAX_TEXT * 4));
    for (i, c) in s.chars().enumerate() {
        if i == MAX_TEXT {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_sanitised_and_unique() {
        let mut ids = Ids::default();
        assert_eq!(ids.make("p", "margaret-osei"), "p_margaret_osei");
        assert_eq!(ids.make("p", "margaret_osei"), "p_margaret_osei_2");
        assert_eq!(ids.make("p", "margaret osei"), "p_margaret_osei_3");
        assert_eq!(ids.make("p", "\"<end>\""), "p___end__");
        assert_eq!(ids.make("p", "zoë"), "p_zo_");
    }

    #[test]
    fn clean_cuts_long_text_and_controls() {
        assert_eq!(clean("a\nb\tc"), "a b c");
        let long = "x".repeat(200);
        assert_eq!(clean(&long).chars().count(), MAX_TEXT + 1);
    }
}
