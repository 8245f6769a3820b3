//! GOV002 stacked-consensus: a body that decides by consensus has an
//! ancestor (through `parent`) that also decides by consensus. Reported for
//! every such body, related to its nearest consensus ancestor.

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::{Body, Decision, Value, link, value};
use crate::rules::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let bodies = &cx.model.bodies;
    let nearest = nearest_consensus_ancestors(cx);
    for (b, body) in bodies.iter().enumerate() {
        if value(&body.decision) != Value::Known(Decision::Consensus) {
            continue;
        }
        let Some(a) = nearest.get(b).copied().flatten() else {
            continue;
        };
        let (Some(field), Some(ancestor)) = (&body.decision, bodies.get(a)) else {
            continue;
        };
        let Some(ancestor_decision) = &ancestor.decision else {
            continue;
        };
        out.push(
            cx.diagnostic(format!(
                "governance body `{}` decides by consensus under `{}`, which also decides by consensus; \
                 give `{}` an accountable owner or make it advisory",
                body.id, ancestor.id, body.id
            ))
            .at(field.span)
            .related(ancestor_decision.span, format!("`{}` decides by consensus", ancestor.id))
            .entity(EntityKind::Body, &body.id)
            .key("decision")
            .help("when consensus is needed at several levels of one chain, every level can block and nobody can settle a question (playbook §4)"),
        );
    }
}

fn is_consensus(body: &Body) -> bool {
    value(&body.decision) == Value::Known(Decision::Consensus)
}

/// Per body: its nearest strict ancestor that decides by consensus. The walk
/// up stops (with `None`) at an unknown parent or at a non-consensus one on a
/// cycle (a consensus parent on a cycle is still the answer), and bodies on a
/// cycle have none. Memoised, so linear in the number of bodies.
fn nearest_consensus_ancestors(cx: &Context) -> Vec<Option<usize>> {
    let bodies = &cx.model.bodies;
    let in_cycle = |b: usize| cx.index.body_in_cycle.get(b).copied().unwrap_or(true);
    let mut memo: Vec<Option<Option<usize>>> = vec![None; bodies.len()];
    let mut path = Vec::new();
    for start in 0..bodies.len() {
        if memo.get(start).copied().flatten().is_some() {
            continue;
        }
        path.clear();
        let mut at = start;
        // Every body on the path passes through non-consensus parents only,
        // so they all share the answer found at the top of the path.
        let answer = loop {
            path.push(at);
            if in_cycle(at) || path.len() > bodies.len() {
                break None;
            }
            let Some(body) = bodies.get(at) else {
                break None;
            };
            let Value::Known(p) = link(&body.parent) else {
                break None;
            };
            let Some(parent) = bodies.get(p) else {
                break None;
            };
            // A consensus parent is known even on a cycle; past a parent on
            // a cycle, the chain is unknown.
            if is_consensus(parent) {
                break Some(p);
            }
            if in_cycle(p) {
                break None;
            }
            if let Some(known) = memo.get(p).copied().flatten() {
                break known;
            }
            at = p;
        };
        for &node in &path {
            if let Some(slot) = memo.get_mut(node) {
                *slot = Some(answer);
            }
        }
    }
    memo.into_iter().map(Option::flatten).collect()
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, run};

    #[test]
    fn every_consensus_body_under_consensus_relates_to_the_nearest() {
        let org = r#"
[governance.a]
name = "A"
area = "executive"
decision = "consensus"

[governance.b]
name = "B"
area = "executive"
decision = "majority"
parent = "a"

[governance.c]
name = "C"
area = "executive"
decision = "consensus"
parent = "b"

[governance.d]
name = "D"
area = "executive"
decision = "consensus"
parent = "c"
"#;
        let (found, integrity) = run(
            super::check,
            "GOV002",
            "stacked-consensus",
            &[],
            &[("org.toml", org)],
        );
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:16:12 GOV002 governance body `c` decides by consensus under `a`, which also decides by consensus; give `c` an accountable owner or make it advisory [related: org.toml:5:12]",
                "org.toml:22:12 GOV002 governance body `d` decides by consensus under `c`, which also decides by consensus; give `d` an accountable owner or make it advisory [related: org.toml:16:12]",
            ]
        );
    }

    #[test]
    fn consensus_at_one_level_passes() {
        let org = r#"
[governance.a]
name = "A"
area = "executive"
decision = "consensus"

[governance.b]
name = "B"
area = "executive"
decision = "advisory"
parent = "a"

[governance.c]
name = "C"
area = "infrastructure"
decision = "consensus"
"#;
        let (found, integrity) = run(
            super::check,
            "GOV002",
            "stacked-consensus",
            &[],
            &[("org.toml", org)],
        );
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn unknown_parents_and_cycles_stop_the_walk() {
        let org = r#"
[governance.a]
name = "A"
area = "executive"
decision = "consensus"

[governance.b]
name = "B"
area = "executive"
decision = "consensus"
parent = "ghost"

[governance.x]
name = "X"
area = "executive"
decision = "consensus"
parent = "y"

[governance.y]
name = "Y"
area = "executive"
decision = "consensus"
parent = "x"

[governance.z]
name = "Z"
area = "executive"
decision = "consensus"
parent = "y"

[governance.w]
name = "W"
area = "executive"
decision = "consensus"
parent = "a"

[governance.v]
name = "V"
area = "executive"
decision = "consensus-ish"
parent = "a"

[governance.m]
name = "M"
area = "executive"
decision = "majority"
parent = "n"

[governance.n]
name = "N"
area = "executive"
decision = "consensus"
parent = "m"

[governance.u]
name = "U"
area = "executive"
decision = "consensus"
parent = "m"
"#;
        let (found, integrity) = run(
            super::check,
            "GOV002",
            "stacked-consensus",
            &[],
            &[("org.toml", org)],
        );
        assert_eq!(
            integrity.len(),
            2,
            "ORG001 for ghost, ORG008 for consensus-ish: {integrity:?}"
        );
        // `z` lies off the x/y cycle under `y`, which is known to decide by
        // consensus; `u` lies under `m`, which does not, and past `m` the
        // chain only goes round its cycle: unknown.
        assert_eq!(
            found,
            [
                "org.toml:28:12 GOV002 governance body `z` decides by consensus under `y`, which also decides by consensus; give `z` an accountable owner or make it advisory [related: org.toml:22:12]",
                "org.toml:34:12 GOV002 governance body `w` decides by consensus under `a`, which also decides by consensus; give `w` an accountable owner or make it advisory [related: org.toml:5:12]"
            ]
        );
    }

    #[test]
    fn an_unknown_decision_is_walked_past() {
        let org = r#"
[governance.a]
name = "A"
area = "executive"
decision = "consensus"

[governance.b]
name = "B"
area = "executive"
decision = 3
parent = "a"

[governance.c]
name = "C"
area = "executive"
decision = "consensus"
parent = "b"
"#;
        let (found, integrity) = run(
            super::check,
            "GOV002",
            "stacked-consensus",
            &[],
            &[("org.toml", org)],
        );
        assert_eq!(integrity.len(), 1, "ORG008 for decision = 3: {integrity:?}");
        assert_eq!(
            found,
            [
                "org.toml:16:12 GOV002 governance body `c` decides by consensus under `a`, which also decides by consensus; give `c` an accountable owner or make it advisory [related: org.toml:5:12]"
            ]
        );
    }

    #[test]
    fn a_deep_chain_is_linear() {
        let n = 10_000;
        let mut org = String::new();
        for i in 0..n {
            org.push_str(&format!(
                "[governance.b{i}]\nname = \"B\"\narea = \"executive\"\ndecision = \"consensus\"\n"
            ));
            if i > 0 {
                org.push_str(&format!("parent = \"b{}\"\n", i - 1));
            }
        }
        let started = std::time::Instant::now();
        let (found, integrity) = run(
            super::check,
            "GOV002",
            "stacked-consensus",
            &[],
            &[("org.toml", &org)],
        );
        assert_clean(&integrity);
        assert_eq!(found.len(), n - 1);
        assert!(
            found[n - 2].contains("`b9999` decides by consensus under `b9998`"),
            "{}",
            found[n - 2]
        );
        assert!(
            started.elapsed().as_secs() < 20,
            "took {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn many_consensus_leaves_under_a_long_plain_chain() {
        // A consensus root, a 5,000-deep chain of majority bodies, and 5,000
        // consensus bodies under its bottom: each finds the root once.
        let n = 5_000;
        let mut org = String::from(
            "[governance.root]\nname = \"R\"\narea = \"executive\"\ndecision = \"consensus\"\n",
        );
        for i in 0..n {
            let parent = if i == 0 {
                "root".to_owned()
            } else {
                format!("m{}", i - 1)
            };
            org.push_str(&format!(
                "[governance.m{i}]\nname = \"M\"\narea = \"executive\"\ndecision = \"majority\"\nparent = \"{parent}\"\n"
            ));
        }
        for i in 0..n {
            org.push_str(&format!(
                "[governance.c{i}]\nname = \"C\"\narea = \"executive\"\ndecision = \"consensus\"\nparent = \"m{}\"\n",
                n - 1
            ));
        }
        let (found, integrity) = run(
            super::check,
            "GOV002",
            "stacked-consensus",
            &[],
            &[("org.toml", &org)],
        );
        assert_clean(&integrity);
        assert_eq!(found.len(), n);
        assert!(
            found
                .iter()
                .all(|f| f.ends_with("[related: org.toml:4:12]"))
        );
    }
}
