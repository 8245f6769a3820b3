//! A [`Graph`] in the Graphviz language: every id and label quoted, `"` and
//! `\` escaped, clusters as `cluster_` subgraphs, and nodes with findings
//! drawn in red with the codes in their label.

use std::fmt::Write as _;

use super::{Cluster, Direction, Graph, Node, NodeKind};

/// The digraph, ending with a newline.
pub fn render(graph: &Graph) -> String {
    let mut out = String::with_capacity(256 + graph.nodes.len() * 96);
    out.push_str("digraph \"orglint\" {\n");
    let rankdir = match graph.direction {
        Direction::Down => "TB",
        Direction::Across => "LR",
    };
    let _ = writeln!(
        out,
        "    graph [label=\"{}\", labelloc=t, fontname=\"Helvetica\", fontsize=14, rankdir={rankdir}];",
        escape(&graph.title)
    );
    out.push_str("    node [shape=box, fontname=\"Helvetica\", fontsize=11];\n");
    out.push_str("    edge [color=\"#57606a\", arrowsize=0.7];\n");
    for node in graph.nodes.iter().filter(|n| n.cluster.is_none()) {
        node_line(&mut out, node, "    ");
    }
    let by_cluster = super::by_cluster(graph);
    // Left to right, Graphviz stacks the clusters of a rank bottom up:
    // written in reverse, the first comes out on top.
    let clusters: Vec<(usize, &Cluster)> = match graph.direction {
        Direction::Down => graph.clusters.iter().enumerate().collect(),
        Direction::Across => graph.clusters.iter().enumerate().rev().collect(),
    };
    for (c, cluster) in clusters {
        let Some(inside) = by_cluster.get(c).filter(|v| !v.is_empty()) else {
            continue;
        };
        let _ = writeln!(out, "    subgraph \"cluster_{}\" {{", cluster.id);
        let _ = writeln!(
            out,
            "        graph [label=\"{}\", style=rounded, color=\"#8c959f\"];",
            escape(&cluster.label)
        );
        for &node in inside {
            node_line(&mut out, node, "        ");
        }
        out.push_str("    }\n");
    }
    for edge in &graph.edges {
        if let (Some(from), Some(to)) = (graph.nodes.get(edge.from), graph.nodes.get(edge.to)) {
            let _ = writeln!(out, "    \"{}\" -> \"{}\";", from.id, to.id);
        }
    }
    out.push_str("}\n");
    out
}

fn node_line(out: &mut String, node: &Node, indent: &str) {
    let shape = match node.kind {
        NodeKind::Person | NodeKind::Team | NodeKind::Body => "",
        NodeKind::Service => ", style=rounded",
        NodeKind::Group => ", shape=folder",
        NodeKind::More => ", style=\"rounded,dashed\"",
        NodeKind::Note => ", shape=note",
    };
    let mut label: Vec<String> = node.lines.iter().map(|l| escape(l)).collect();
    let mark = if node.findings.is_empty() {
        ""
    } else {
        label.push(escape(&format!("findings: {}", node.findings.join(", "))));
        ", color=red, penwidth=2"
    };
    let _ = writeln!(
        out,
        "{indent}\"{}\" [label=\"{}\"{shape}{mark}];",
        escape(&node.id),
        label.join("\\n")
    );
}

/// Text for a quoted Graphviz string: `"` and `\` escaped, control
/// characters as spaces.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_quotes_and_backslashes() {
        assert_eq!(escape("a \"b\" \\n\tc"), "a \\\"b\\\" \\\\n c");
    }
}
