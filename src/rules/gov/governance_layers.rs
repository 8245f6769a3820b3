//! GOV001 governance-layers: a governance body sits at a layer deeper than
//! `max-layers` (default 2; a body without a parent is at layer 1). Bodies
//! whose layer is unknown (unresolved or cyclic parent chain) are skipped.

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::{Value, link};
use crate::rules::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let max = cx.int_option("max-layers", 2);
    let bodies = &cx.model.bodies;
    for (b, body) in bodies.iter().enumerate() {
        let Some(layer) = cx.index.body_layer.get(b).copied().flatten() else {
            continue;
        };
        if i64::from(layer) <= max {
            continue;
        }
        let message = format!(
            "governance body `{}` sits at layer {layer}, deeper than the allowed {max}",
            body.id
        );
        let d = match (&body.parent, link(&body.parent)) {
            (Some(field), Value::Known(p)) => {
                let parent = bodies.get(p).map_or("", |p| p.id.as_str());
                cx.diagnostic(format!(
                    "{message}; merge it into `{parent}` or attach it higher up"
                ))
                .at(field.span)
                .key("parent")
            }
            // Only reachable with `max-layers` below 1: a top-level body.
            _ => cx
                .diagnostic(format!("{message}; raise `max-layers` to at least 1"))
                .at(body.header),
        };
        out.push(
            d.entity(EntityKind::Body, &body.id).help(
                "every extra layer of governance adds a round of approval before teams can act (playbook §4)",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::registry::OptionValue;
    use crate::rules::testing::{assert_clean, run};

    const CHAIN: &str = r#"
[governance.a]
name = "A"
area = "executive"
decision = "advisory"

[governance.b]
name = "B"
area = "executive"
decision = "advisory"
parent = "a"

[governance.c]
name = "C"
area = "executive"
decision = "advisory"
parent = "b"

[governance.d]
name = "D"
area = "executive"
decision = "advisory"
parent = "c"
"#;

    #[test]
    fn fires_once_per_body_below_the_allowed_layers() {
        let (found, integrity) = run(
            super::check,
            "GOV001",
            "governance-layers",
            &[],
            &[("org.toml", CHAIN)],
        );
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:17:10 GOV001 governance body `c` sits at layer 3, deeper than the allowed 2; merge it into `b` or attach it higher up",
                "org.toml:23:10 GOV001 governance body `d` sits at layer 4, deeper than the allowed 2; merge it into `c` or attach it higher up",
            ]
        );
    }

    #[test]
    fn max_layers_option() {
        let opts = [("max-layers", OptionValue::Integer(3))];
        let (found, _) = run(
            super::check,
            "GOV001",
            "governance-layers",
            &opts,
            &[("org.toml", CHAIN)],
        );
        assert_eq!(
            found,
            [
                "org.toml:23:10 GOV001 governance body `d` sits at layer 4, deeper than the allowed 3; merge it into `c` or attach it higher up"
            ]
        );
        let opts = [("max-layers", OptionValue::Integer(4))];
        let (found, _) = run(
            super::check,
            "GOV001",
            "governance-layers",
            &opts,
            &[("org.toml", CHAIN)],
        );
        assert!(found.is_empty(), "{found:?}");
        let opts = [("max-layers", OptionValue::Integer(0))];
        let (found, _) = run(
            super::check,
            "GOV001",
            "governance-layers",
            &opts,
            &[("org.toml", CHAIN)],
        );
        assert_eq!(found.len(), 4);
        assert_eq!(
            found[0],
            "org.toml:2:1 GOV001 governance body `a` sits at layer 1, deeper than the allowed 0; raise `max-layers` to at least 1"
        );
    }

    #[test]
    fn shallow_governance_passes() {
        let org = r#"
[governance.a]
name = "A"
area = "executive"
decision = "advisory"

[governance.b]
name = "B"
area = "infrastructure"
decision = "advisory"
parent = "a"
"#;
        let (found, integrity) = run(
            super::check,
            "GOV001",
            "governance-layers",
            &[],
            &[("org.toml", org)],
        );
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn unknown_and_cyclic_parents_are_skipped() {
        let org = r#"
[governance.a]
name = "A"
area = "executive"
decision = "advisory"
parent = "ghost"

[governance.b]
name = "B"
area = "executive"
decision = "advisory"
parent = "a"

[governance.c]
name = "C"
area = "executive"
decision = "advisory"
parent = "b"

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

[governance.z]
name = "Z"
area = "executive"
decision = "advisory"
parent = "y"
"#;
        let (found, integrity) = run(
            super::check,
            "GOV001",
            "governance-layers",
            &[],
            &[("org.toml", org)],
        );
        assert_eq!(integrity.len(), 1, "ORG001 for ghost");
        assert!(found.is_empty(), "{found:?}");
    }
}
