//! `orglint graph` end to end: snapshots of the three views of the example
//! department in both formats, marks from findings, a 17,000-person
//! organisation that stays readable, Graphviz rendering (when `dot` is on
//! PATH), hostile names and ids, exit codes.

mod common;

#[path = "../examples/support/genorg_core.rs"]
mod genorg_core;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{Run, TempDir, orglint};

const VIEWS: [&str; 3] = ["governance", "reporting", "teams"];

/// A scratch directory holding a copy of `fixtures/example` in `example/`.
fn example() -> TempDir {
    TempDir::with_example("graph-example", "example")
}

fn graph(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["graph"];
    all.extend_from_slice(args);
    let run = orglint(dir, &all);
    run.assert_no_panic();
    run
}

/// The node definitions of a Mermaid flowchart: (id, label).
fn mermaid_nodes(text: &str) -> Vec<(String, String)> {
    let mut nodes = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with("subgraph ") || line.starts_with("class") {
            continue;
        }
        let Some(quote) = line.find('"') else {
            continue;
        };
        let id: String = line[..quote]
            .trim_end_matches(['[', '(', '{', '>'])
            .to_owned();
        let last = line.rfind('"').expect("closing quote");
        nodes.push((id, line[quote + 1..last].to_owned()));
    }
    nodes
}

/// Checks a flowchart line by line against the subset of Mermaid orglint
/// writes: ids of `[A-Za-z0-9_]`, every label quoted, and no `"`, `<` or
/// `>` inside a label except the `<br>` line breaks.
fn check_mermaid(text: &str) {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("flowchart TD"), "{text}");
    let is_id = |s: &str| {
        !s.is_empty()
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
    };
    let check_label = |label: &str, line: &str| {
        let bare = label.replace("<br>", "");
        assert!(
            !bare.contains(['"', '<', '>', '\n', '`']),
            "unescaped text in label: {line}"
        );
    };
    let mut depth = 0;
    for line in lines {
        let l = line.trim();
        if l == "end" {
            depth -= 1;
            assert!(depth >= 0, "unbalanced end");
        } else if l == "direction LR" {
            assert!(depth > 0, "direction outside a subgraph");
        } else if let Some(rest) = l.strip_prefix("subgraph ") {
            depth += 1;
            let (id, title) = rest.split_once(' ').expect("subgraph title");
            assert!(is_id(id), "{line}");
            let title = title
                .strip_prefix("[\"")
                .and_then(|t| t.strip_suffix("\"]"))
                .expect("quoted title");
            check_label(title, line);
        } else if let Some(rest) = l.strip_prefix("classDef ") {
            assert!(rest.starts_with("finding ") || rest.starts_with("summary "));
        } else if let Some(rest) = l.strip_prefix("class ") {
            let (ids, class) = rest.rsplit_once(' ').expect("class line");
            assert!(class == "finding" || class == "summary");
            assert!(ids.split(',').all(is_id), "{line}");
        } else if let Some((a, b)) = l.split_once(" --> ") {
            assert!(is_id(a) && is_id(b), "{line}");
        } else {
            let nodes = mermaid_nodes(l);
            assert_eq!(nodes.len(), 1, "not a node: {line}");
            let (id, label) = &nodes[0];
            assert!(is_id(id), "{line}");
            check_label(label, line);
            let shape = &l[id.len()..];
            assert!(
                ["[\"", "([\"", "[[\"", "(\""]
                    .iter()
                    .any(|open| shape.starts_with(open)),
                "{line}"
            );
        }
    }
    assert_eq!(depth, 0, "unbalanced subgraph");
}

/// Checks that every `"` of a Graphviz file pairs up (escaped quotes
/// aside) and that the braces balance.
fn check_dot(text: &str) {
    assert!(text.starts_with("digraph \"orglint\" {\n"), "{text}");
    assert!(text.ends_with("}\n"));
    let mut braces = 0i32;
    for line in text.lines() {
        let mut quoted = false;
        let mut escaped = false;
        for c in line.chars() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                assert!(quoted, "backslash outside a string: {line}");
                escaped = true;
            } else if c == '"' {
                quoted = !quoted;
            } else if !quoted && c == '{' {
                braces += 1;
            } else if !quoted && c == '}' {
                braces -= 1;
            }
        }
        assert!(!quoted && !escaped, "unterminated string: {line}");
    }
    assert_eq!(braces, 0);
}

/// Whether Graphviz is installed.
fn have_dot() -> bool {
    Command::new("dot")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Renders with `dot -Tsvg` and asserts it succeeds; false (and nothing
/// checked) when `dot` is not on PATH.
fn renders_with_dot(text: &str) -> bool {
    if !have_dot() {
        eprintln!("skipped: Graphviz `dot` is not on PATH");
        return false;
    }
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn dot");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = text.to_owned();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().expect("dot output");
    writer.join().expect("writer");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "dot failed: {stderr}\n{text}");
    assert!(
        !stderr.contains("rror") && !stderr.contains("syntax"),
        "dot complained: {stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
    true
}

// ---------------------------------------------------------------------------
// The example department

#[test]
fn example_views_in_both_formats() {
    let tmp = example();
    for view in VIEWS {
        for format in ["mermaid", "dot"] {
            let run = graph(tmp.path(), &["example", "--view", view, "--format", format]);
            // The example has errors: graph still draws, and exits 0.
            run.assert_code(0);
            assert_eq!(run.stderr, "", "{view} {format}");
            match format {
                "mermaid" => check_mermaid(&run.stdout),
                _ => check_dot(&run.stdout),
            }
            insta::assert_snapshot!(format!("graph_{view}_{format}"), run.stdout);
        }
    }
}

#[test]
fn every_unsuppressed_finding_of_the_example_marks_a_node() {
    let tmp = example();
    let mut marked = Vec::new();
    for view in VIEWS {
        let run = graph(tmp.path(), &["example", "--view", view, "--depth", "9"]);
        run.assert_code(0);
        for (_, label) in mermaid_nodes(&run.stdout) {
            if let Some((_, codes)) = label.split_once("findings: ") {
                marked.extend(codes.split(", ").map(str::to_owned));
            }
        }
        let class_line = run
            .stdout
            .lines()
            .find(|l| l.trim_end().ends_with(" finding") && l.trim().starts_with("class "))
            .expect("a class line for findings");
        assert!(
            run.stdout
                .contains("classDef finding stroke:#d1242f,stroke-width:3px"),
            "{view}"
        );
        assert!(!class_line.is_empty());
    }
    marked.sort();
    // The 13 findings of EXPECTED.md, each on its entity; the suppressed
    // TEAM001 of `enforcement-discovery` marks nothing.
    let mut expected = vec![
        "GOV005", "GOV001", "GOV002", "ORG007", "MODEL002", "OWN003", "NEED002", "NEED001",
        "OWN001", "TEAM001", "TEAM002", "TEAM004", "OWN004",
    ];
    expected.sort();
    assert_eq!(marked, expected);
}

#[test]
fn dot_marks_findings_in_red_with_their_codes() {
    let tmp = example();
    let run = graph(
        tmp.path(),
        &["example", "--view", "governance", "--format", "dot"],
    );
    run.assert_code(0);
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains("\"b_licensing_design_authority\" ["))
        .expect("the body's node");
    assert!(line.contains("findings: GOV001"), "{line}");
    assert!(line.contains("color=red"), "{line}");
    let clean = run
        .stdout
        .lines()
        .find(|l| l.contains("\"b_executive_board\" ["))
        .expect("the board's node");
    assert!(!clean.contains("color=red"), "{clean}");
}

#[test]
fn example_views_render_with_graphviz() {
    let tmp = example();
    for view in VIEWS {
        let run = graph(tmp.path(), &["example", "--view", view, "--format", "dot"]);
        run.assert_code(0);
        if !renders_with_dot(&run.stdout) {
            return;
        }
    }
}

#[test]
fn output_is_deterministic() {
    let tmp = example();
    for view in VIEWS {
        for format in ["mermaid", "dot"] {
            let args = ["example", "--view", view, "--format", format];
            let a = graph(tmp.path(), &args);
            let b = graph(tmp.path(), &args);
            assert_eq!(a.raw_stdout, b.raw_stdout, "{view} {format}");
        }
    }
}

#[test]
fn markdown_is_the_mermaid_chart_in_a_fence() {
    let tmp = example();
    let chart = graph(tmp.path(), &["example", "--view", "teams"]);
    let md = graph(
        tmp.path(),
        &["example", "--view", "teams", "--format", "markdown"],
    );
    md.assert_code(0);
    assert_eq!(md.stdout, format!("```mermaid\n{}```\n", chart.stdout));
}

#[test]
fn depth_limits_the_reporting_lines_with_more_nodes() {
    let tmp = example();
    let run = graph(
        tmp.path(),
        &["example", "--view", "reporting", "--depth", "2"],
    );
    run.assert_code(0);
    check_mermaid(&run.stdout);
    let nodes = mermaid_nodes(&run.stdout);
    // The lead, then the CTO, the CDO and the head of product, each with a
    // "+N more" node for the people below them.
    let people: Vec<&(String, String)> = nodes
        .iter()
        .filter(|(id, _)| id.starts_with("p_"))
        .collect();
    assert_eq!(people.len(), 4, "{}", run.stdout);
    let more: Vec<&(String, String)> = nodes
        .iter()
        .filter(|(id, _)| id.starts_with("m_"))
        .collect();
    assert_eq!(more.len(), 3, "{}", run.stdout);
    let hidden: usize = more
        .iter()
        .map(|(_, l)| {
            l.trim_start_matches('+')
                .split(' ')
                .next()
                .and_then(|n| n.parse::<usize>().ok())
                .expect("+N more")
        })
        .sum();
    // 49 people, 4 drawn, everyone reaches the lead.
    assert_eq!(hidden, 45);
    // The person with a finding below the limit marks the "+N more" node.
    assert!(
        more.iter().any(|(_, l)| l.contains("findings: ORG007")),
        "{}",
        run.stdout
    );
    let bad = graph(
        tmp.path(),
        &["example", "--view", "reporting", "--depth", "0"],
    );
    bad.assert_code(2);
}

// ---------------------------------------------------------------------------
// Large organisations

/// Node definitions of a flowchart.
fn node_count(mermaid: &str) -> usize {
    mermaid_nodes(mermaid).len()
}

#[test]
fn a_17000_person_organisation_stays_readable() {
    let generated = genorg_core::generate(&genorg_core::Options::default());
    assert!(generated.people >= 16_000, "{}", generated.people);
    let tmp = TempDir::with_config("graph-17k");
    generated.write(tmp.path()).expect("write the organisation");
    let run = graph(tmp.path(), &["org", "--view", "reporting"]);
    run.assert_code(0);
    check_mermaid(&run.stdout);
    let n = node_count(&run.stdout);
    assert!(n < 300, "{n} nodes");
    // A directorate head's ~420 reports who manage nobody are one node with
    // their role mix.
    let nodes = mermaid_nodes(&run.stdout);
    let groups: Vec<&(String, String)> = nodes
        .iter()
        .filter(|(id, _)| id.starts_with("r_"))
        .collect();
    assert_eq!(groups.len(), 40, "{}", run.stdout);
    for (_, label) in &groups {
        let first = label.split("<br>").next().unwrap_or("");
        let count: usize = first
            .strip_suffix(" reports")
            .and_then(|n| n.replace(',', "").parse().ok())
            .unwrap_or_else(|| panic!("not `N reports`: {label}"));
        assert!(count > 12, "{label}");
        assert!(label.contains("Software developer"), "{label}");
    }
    let dot = graph(
        tmp.path(),
        &["org", "--view", "reporting", "--format", "dot"],
    );
    dot.assert_code(0);
    check_dot(&dot.stdout);
    renders_with_dot(&dot.stdout);
}

/// 1 lead, 40 heads, 10 teams of 10 under each (a team lead and 9 reports).
fn nested_org() -> String {
    let mut s = String::from(
        "[organisation]\nname = \"Nested\"\noperating-model = \"product\"\n\n\
         [posts]\nprofessional-lead = \"lead\"\n\n\
         [people.lead]\nname = \"The Lead\"\nrole = \"chief-digital-and-information-officer\"\n\n",
    );
    for h in 0..40 {
        let _ = write!(
            s,
            "[people.head-{h}]\nname = \"Head {h}\"\nrole = \"service-owner\"\nreports-to = \"lead\"\n\n"
        );
        for t in 0..10 {
            let lead = format!("tl-{h}-{t}");
            let _ = write!(
                s,
                "[people.{lead}]\nname = \"Lead {h}.{t}\"\nrole = \"product-manager\"\nreports-to = \"head-{h}\"\n\n"
            );
            let mut members = vec![format!("\"{lead}\"")];
            for m in 0..9 {
                let _ = write!(
                    s,
                    "[people.m-{h}-{t}-{m}]\nrole = \"software-developer\"\nreports-to = \"{lead}\"\n\n"
                );
                members.push(format!("\"m-{h}-{t}-{m}\""));
            }
            let _ = write!(
                s,
                "[teams.team-{h}-{t}]\nmode = \"stability\"\nmembers = [{}]\nlead = \"{lead}\"\n\n",
                members.join(", ")
            );
        }
    }
    s
}

#[test]
fn a_deep_organisation_is_drawn_less_deep_to_stay_readable() {
    let tmp = TempDir::with_config("graph-nested");
    tmp.write("org.toml", nested_org());
    let run = graph(tmp.path(), &["org.toml", "--view", "reporting"]);
    run.assert_code(0);
    check_mermaid(&run.stdout);
    let n = node_count(&run.stdout);
    assert!(n < 300, "{n} nodes");
    assert!(
        run.stderr.contains("note: reporting lines drawn"),
        "{}",
        run.stderr
    );
    // `-q` keeps the notes back.
    let quiet = graph(tmp.path(), &["-q", "org.toml", "--view", "reporting"]);
    assert_eq!(quiet.stderr, "");
    assert_eq!(quiet.stdout, run.stdout);
    // An explicit depth is drawn as asked, with a note that it is big.
    let deep = graph(
        tmp.path(),
        &["org.toml", "--view", "reporting", "--depth", "3"],
    );
    deep.assert_code(0);
    assert_eq!(node_count(&deep.stdout), 1 + 40 + 400 + 400);
    assert!(deep.stderr.contains("too many to read"), "{}", deep.stderr);
}

// ---------------------------------------------------------------------------
// Hostile input

const HOSTILE: &str = r##"[organisation]
name = "Ministry of \"Quotes\" & <Angles> #quot; `ticks` \\ back\\slash"
operating-model = "product"

[posts]
professional-lead = "lead"

[people.lead]
name = "Ada \"The Boss\" <script>alert(1)</script>"
role = "chief-digital-and-information-officer"

[people.end]
name = "end"
role = "software-developer"
reports-to = "lead"

[people.graph]
name = "x\"] --> y[\"z"
role = "software-developer"
reports-to = "lead"

[governance.board]
name = "Board <b>\"A\"</b> \\N #35; end"
area = "executive"
decision = "accountable-owner"
owner = "lead"

[governance.subgraph]
name = "};\ndigraph x {"
parent = "board"
area = "mission-it"
decision = "accountable-owner"
owner = "ghost\"<x>"

[teams.end]
name = "Team \"end\" -->"
mode = "stability"
services = ["svc"]
members = ["lead", "end", "graph"]
lead = "lead"

[services.svc]
name = "Svc ]) [\"x\"] --> y `md` &lt;"
owner = "lead"
"##;

#[test]
fn hostile_names_and_ids_are_escaped() {
    let tmp = TempDir::with_config("graph-hostile");
    tmp.write("org.toml", HOSTILE);
    for view in VIEWS {
        let m = graph(tmp.path(), &["org.toml", "--view", view]);
        m.assert_code(0);
        check_mermaid(&m.stdout);
        let d = graph(tmp.path(), &["org.toml", "--view", view, "--format", "dot"]);
        d.assert_code(0);
        check_dot(&d.stdout);
        renders_with_dot(&d.stdout);
    }
    let m = graph(tmp.path(), &["org.toml", "--view", "reporting"]);
    assert!(
        m.stdout
            .contains("Ada #quot;The Boss#quot; #lt;script#gt;alert(1)#lt;/script#gt;"),
        "{}",
        m.stdout
    );
    assert!(
        m.stdout.contains("x#quot;] --#gt; y[#quot;z"),
        "{}",
        m.stdout
    );
    let g = graph(tmp.path(), &["org.toml", "--view", "governance"]);
    assert!(
        g.stdout
            .contains("Board #lt;b#gt;#quot;A#quot;#lt;/b#gt; \\N #35;35; end"),
        "{}",
        g.stdout
    );
    let t = graph(tmp.path(), &["org.toml", "--view", "teams"]);
    assert!(
        t.stdout
            .contains("Svc ]) [#quot;x#quot;] --#gt; y #96;md#96; #amp;lt;"),
        "{}",
        t.stdout
    );
    let d = graph(
        tmp.path(),
        &["org.toml", "--view", "governance", "--format", "dot"],
    );
    assert!(
        d.stdout
            .contains(r#"label="Ministry of \"Quotes\" & <Angles> #quot; `ticks` \\ back\\slash: governance bodies by layer""#),
        "{}",
        d.stdout
    );
    assert!(
        d.stdout.contains(r#"Board <b>\"A\"</b> \\N #35; end"#),
        "{}",
        d.stdout
    );
    // A newline in a name is a space: it cannot end the statement.
    assert!(
        d.stdout.contains(r#"label="}; digraph x {\n"#),
        "{}",
        d.stdout
    );
    // Ids are sanitised and unique: `end` and `subgraph` get a prefix.
    let ids: BTreeSet<String> = mermaid_nodes(&t.stdout)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert!(ids.contains("t_end") && ids.contains("s_svc"), "{ids:?}");
}

// ---------------------------------------------------------------------------
// Exit codes and edge cases

#[test]
fn cannot_run_exits_2_like_check() {
    let tmp = TempDir::with_config("graph-exit");
    let missing = graph(tmp.path(), &["no-such-dir", "--view", "teams"]);
    missing.assert_code(2);
    assert!(missing.stdout.is_empty());
    let view = graph(tmp.path(), &["--view", "org-chart"]);
    view.assert_code(2);
    let format = graph(tmp.path(), &["--format", "svg"]);
    format.assert_code(2);
    tmp.write("bad/orglint.toml", "[lint]\nselct = [\"ALL\"]\n");
    tmp.write("bad/org.toml", common::VALID_ORG);
    let config = graph(tmp.path(), &["bad", "--view", "teams"]);
    config.assert_code(2);
    assert!(config.stdout.is_empty());
}

#[test]
fn an_empty_model_draws_a_note() {
    let tmp = TempDir::with_config("graph-empty");
    tmp.mkdir("nothing");
    for view in VIEWS {
        let run = graph(tmp.path(), &["nothing", "--view", view]);
        run.assert_code(0);
        check_mermaid(&run.stdout);
        assert_eq!(node_count(&run.stdout), 1, "{}", run.stdout);
        assert!(run.stderr.contains("no org files"), "{}", run.stderr);
    }
}

#[test]
fn without_a_professional_lead_the_tops_of_the_reporting_lines_are_drawn() {
    let tmp = TempDir::with_config("graph-forest");
    tmp.write(
        "org.toml",
        r#"[people.a]
name = "A"
role = "service-owner"

[people.b]
name = "B"
role = "software-developer"
reports-to = "a"

[people.c]
name = "C"
role = "service-owner"

[people.d]
name = "D"
role = "software-developer"
reports-to = "e"

[people.e]
name = "E"
role = "software-developer"
reports-to = "d"
"#,
    );
    let run = graph(tmp.path(), &["org.toml", "--view", "reporting"]);
    run.assert_code(0);
    check_mermaid(&run.stdout);
    let nodes = mermaid_nodes(&run.stdout);
    let ids: Vec<&str> = nodes.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["p_a", "p_b", "p_c", "n_outside"], "{}", run.stdout);
    assert!(run.stdout.contains("p_a --> p_b"));
    assert!(
        nodes[3]
            .1
            .starts_with("2 people in a reporting cycle or under a manager not found"),
        "{}",
        run.stdout
    );
}
