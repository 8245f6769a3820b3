//! A [`Graph`] as a Mermaid flowchart that renders in GitHub Markdown:
//! `flowchart TD`, ids of `[A-Za-z0-9_]` only, every label quoted with
//! `"`, `<`, `>`, `#`, `&` and backticks written as Mermaid entity codes, and
//! nodes with findings in the `finding` class (a red stroke).

use std::fmt::Write as _;

use super::{Direction, Graph, Node, NodeKind};

/// The flowchart, ending with a newline.
pub fn render(graph: &Graph) -> String {
    let mut out = String::with_capacity(128 + graph.nodes.len() * 96);
    out.push_str("flowchart TD\n");
    for node in graph.nodes.iter().filter(|n| n.cluster.is_none()) {
        node_line(&mut out, node, "    ");
    }
    let by_cluster = super::by_cluster(graph);
    for (c, cluster) in graph.clusters.iter().enumerate() {
        let Some(inside) = by_cluster.get(c).filter(|v| !v.is_empty()) else {
            continue;
        };
        let _ = writeln!(
            out,
            "    subgraph {} [\"{}\"]",
            cluster.id,
            escape(&cluster.label)
        );
        if graph.direction == Direction::Across {
            out.push_str("        direction LR\n");
        }
        for &node in inside {
            node_line(&mut out, node, "        ");
        }
        out.push_str("    end\n");
    }
    for edge in &graph.edges {
        if let (Some(from), Some(to)) = (graph.nodes.get(edge.from), graph.nodes.get(edge.to)) {
            let _ = writeln!(out, "    {} --> {}", from.id, to.id);
        }
    }
    let summary: Vec<&str> = graph
        .nodes
        .iter()
        .filter(|n| n.kind.is_summary())
        .map(|n| n.id.as_str())
        .collect();
    if !summary.is_empty() {
        out.push_str("    classDef summary stroke-dasharray:5 3\n");
        let _ = writeln!(out, "    class {} summary", summary.join(","));
    }
    let marked: Vec<&str> = graph
        .nodes
        .iter()
        .filter(|n| !n.findings.is_empty())
        .map(|n| n.id.as_str())
        .collect();
    if !marked.is_empty() {
        out.push_str("    classDef finding stroke:#d1242f,stroke-width:3px\n");
        let _ = writeln!(out, "    class {} finding", marked.join(","));
    }
    out
}

fn node_line(out: &mut String, node: &Node, indent: &str) {
    let (open, close) = match node.kind {
        NodeKind::Person | NodeKind::Team | NodeKind::Body => ("[", "]"),
        NodeKind::Service => ("([", "])"),
        NodeKind::Group => ("[[", "]]"),
        NodeKind::More | NodeKind::Note => ("(", ")"),
    };
    let mut label: Vec<String> = node.lines.iter().map(|l| escape(l)).collect();
    if !node.findings.is_empty() {
        label.push(escape(&format!("findings: {}", node.findings.join(", "))));
    }
    let _ = writeln!(
        out,
        "{indent}{}{open}\"{}\"{close}",
        node.id,
        label.join("<br>")
    );
}

/// Text for a quoted Mermaid label: characters Mermaid or HTML would read
/// as syntax become entity codes, and control characters spaces.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Cluster, Edge};

    #[test]
    fn escapes_what_mermaid_reads() {
        assert_eq!(
            escape("a \"b\" <c> #d & `e`\n"),
            "a #quot;b#quot; #lt;c#gt; #35;d #amp; #96;e#96; "
        );
    }

    #[test]
    fn renders_clusters_edges_and_marks() {
        let graph = Graph {
            title: "t".to_owned(),
            nodes: vec![
                Node {
                    id: "b_a".to_owned(),
                    kind: NodeKind::Body,
                    lines: vec!["A <x>".to_owned()],
                    findings: vec!["GOV001".to_owned()],
                    cluster: Some(0),
                },
                Node {
                    id: "m_b".to_owned(),
                    kind: NodeKind::More,
                    lines: vec!["+3 more".to_owned()],
                    findings: Vec::new(),
                    cluster: None,
                },
            ],
            edges: vec![Edge { from: 0, to: 1 }],
            direction: Direction::Down,
            clusters: vec![Cluster {
                id: "c_l1".to_owned(),
                label: "Layer 1".to_owned(),
            }],
        };
        assert_eq!(
            render(&graph),
            "flowchart TD\n    m_b(\"+3 more\")\n    subgraph c_l1 [\"Layer 1\"]\n        \
             b_a[\"A #lt;x#gt;<br>findings: GOV001\"]\n    end\n    b_a --> m_b\n    \
             classDef summary stroke-dasharray:5 3\n    class m_b summary\n    \
             classDef finding stroke:#d1242f,stroke-width:3px\n    class b_a finding\n"
        );
    }
}
