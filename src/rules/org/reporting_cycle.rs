//! ORG003 reporting-cycle: `reports-to` or governance `parent` chains that
//! loop. One diagnostic per cycle, at the edge that comes first in
//! path/line order, related to the cycle's other edges.

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::Field;
use crate::model::Ref;
use crate::rules::Context;
use crate::source::Span;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let people = &cx.model.people;
    for cycle in &cx.index.person_cycles {
        let edges: Vec<(&str, Option<&Field<Ref>>)> = cycle
            .iter()
            .filter_map(|&p| people.get(p))
            .map(|p| (p.id.as_str(), p.reports_to.as_ref()))
            .collect();
        report(
            cx,
            out,
            EntityKind::Person,
            "reports-to",
            "reports to",
            &edges,
        );
    }
    let bodies = &cx.model.bodies;
    for cycle in &cx.index.body_cycles {
        let edges: Vec<(&str, Option<&Field<Ref>>)> = cycle
            .iter()
            .filter_map(|&b| bodies.get(b))
            .map(|b| (b.id.as_str(), b.parent.as_ref()))
            .collect();
        report(cx, out, EntityKind::Body, "parent", "has parent", &edges);
    }
}

fn report(
    cx: &Context,
    out: &mut Vec<Diagnostic>,
    kind: EntityKind,
    key: &'static str,
    verb: &str,
    edges: &[(&str, Option<&Field<Ref>>)],
) {
    let spans: Vec<(usize, &str, Span)> = edges
        .iter()
        .enumerate()
        .filter_map(|(i, (id, f))| Some((i, *id, (*f)?.span)))
        .collect();
    let Some(&(first, first_id, first_span)) =
        spans.iter().min_by_key(|(_, _, s)| (s.file, s.start))
    else {
        return;
    };
    // Name the cycle starting at the reported edge: a -> b -> c -> a.
    let n = edges.len();
    let mut chain: Vec<&str> = (0..=n)
        .filter_map(|k| edges.get((first + k) % n).map(|(id, _)| *id))
        .collect();
    if n == 0 {
        chain.clear();
    }
    let message = if n == 1 {
        format!("`{first_id}` {verb} itself")
    } else {
        let what = if kind == EntityKind::Person {
            "reporting"
        } else {
            "governance"
        };
        format!(
            "{what} cycle: {}",
            chain
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(" -> ")
        )
    };
    let mut d = cx
        .diagnostic(message)
        .at(first_span)
        .entity(kind, first_id)
        .key(key);
    for k in 1..n {
        let i = (first + k) % n;
        if let Some(&(_, id, span)) = spans.iter().find(|(j, _, _)| *j == i) {
            let next = edges.get((i + 1) % n).map_or("", |(id, _)| *id);
            d = d.related(span, format!("`{id}` {verb} `{next}`"));
        }
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, run};

    #[test]
    fn one_diagnostic_per_cycle_at_first_edge() {
        let org = r#"
[people.a]
name = "A"
role = "software-developer"
reports-to = "b"

[people.b]
name = "B"
role = "software-developer"
reports-to = "c"

[people.c]
name = "C"
role = "software-developer"
reports-to = "a"

[people.d]
name = "D"
role = "software-developer"
reports-to = "d"

[governance.x]
name = "X"
area = "executive"
decision = "advisory"
parent = "y"

[governance.y]
name = "Y"
area = "executive"
decision = "advisory"
parent = "x"
"#;
        let (found, integrity) = run(
            super::check,
            "ORG003",
            "reporting-cycle",
            &[],
            &[("org.toml", org)],
        );
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:5:14 ORG003 reporting cycle: `a` -> `b` -> `c` -> `a` [related: org.toml:10:14, org.toml:15:14]",
                "org.toml:20:14 ORG003 `d` reports to itself",
                "org.toml:26:10 ORG003 governance cycle: `x` -> `y` -> `x` [related: org.toml:32:10]",
            ]
        );
    }

    #[test]
    fn no_cycle_no_finding_and_unknown_links_are_skipped() {
        let org = r#"
[people.a]
name = "A"
role = "software-developer"

[people.b]
name = "B"
role = "software-developer"
reports-to = "a"

[people.c]
name = "C"
role = "software-developer"
reports-to = "ghost"
"#;
        let (found, integrity) = run(
            super::check,
            "ORG003",
            "reporting-cycle",
            &[],
            &[("org.toml", org)],
        );
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(integrity.len(), 1, "ORG001 for ghost");
    }
}
