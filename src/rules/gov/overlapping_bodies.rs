//! GOV004 overlapping-bodies: bodies at the same layer with the same `area`
//! and the same `parent` (top-level bodies share the "no parent" parent).
//! With n such bodies, each after the first is reported, related to the first.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::{Value, link, value};
use crate::rules::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let bodies = &cx.model.bodies;
    // (area, parent) -> the first body, in path/line order. The layer is
    // implied by the parent, and checked known so that unknown or cyclic
    // chains are skipped.
    let mut first: HashMap<_, usize> = HashMap::new();
    for (b, body) in bodies.iter().enumerate() {
        if cx.index.body_layer.get(b).copied().flatten().is_none() {
            continue;
        }
        let (Value::Known(area), Some(area_field)) = (value(&body.area), &body.area) else {
            continue;
        };
        let parent = match link(&body.parent) {
            Value::Absent => None,
            Value::Known(p) => Some(p),
            Value::Unknown => continue,
        };
        let f = match first.entry((area, parent)) {
            Entry::Vacant(slot) => {
                slot.insert(b);
                continue;
            }
            Entry::Occupied(slot) => *slot.get(),
        };
        let Some((earlier, earlier_area)) = bodies.get(f).and_then(|e| Some((e, e.area.as_ref()?)))
        else {
            continue;
        };
        let place = match parent.and_then(|p| bodies.get(p)) {
            Some(p) => format!("under `{}`", p.id),
            None => "at the top level".to_owned(),
        };
        out.push(
            cx.diagnostic(format!(
                "governance bodies `{}` and `{}` both cover `{}` {place}; merge them or place one under the other",
                body.id,
                earlier.id,
                area.as_str()
            ))
            .at(area_field.span)
            .related(earlier_area.span, format!("`{}` covers the same area", earlier.id))
            .entity(EntityKind::Body, &body.id)
            .key("area")
            .help("two sibling bodies for one area compete for the same decisions, so teams do not know where to go (playbook §4)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, run};

    #[test]
    fn n_siblings_give_n_minus_one_findings_related_to_the_first() {
        let top = r#"
[governance.infra]
name = "Infrastructure"
area = "infrastructure"
decision = "advisory"

[governance.hosting]
name = "Hosting"
area = "infrastructure"
decision = "advisory"

[governance.exec]
name = "Exec"
area = "executive"
decision = "advisory"
"#;
        let more = r#"
[governance.network]
name = "Network"
area = "infrastructure"
decision = "advisory"

[governance.sub-a]
name = "Sub A"
area = "mission-it"
decision = "advisory"
parent = "exec"

[governance.sub-b]
name = "Sub B"
area = "mission-it"
decision = "advisory"
parent = "exec"

[governance.sub-c]
name = "Sub C"
area = "mission-it"
decision = "advisory"
parent = "infra"
"#;
        let (found, integrity) = run(
            super::check,
            "GOV004",
            "overlapping-bodies",
            &[],
            &[("a.toml", top), ("b.toml", more)],
        );
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "a.toml:9:8 GOV004 governance bodies `hosting` and `infra` both cover `infrastructure` at the top level; merge them or place one under the other [related: a.toml:4:8]",
                "b.toml:4:8 GOV004 governance bodies `network` and `infra` both cover `infrastructure` at the top level; merge them or place one under the other [related: a.toml:4:8]",
                "b.toml:15:8 GOV004 governance bodies `sub-b` and `sub-a` both cover `mission-it` under `exec`; merge them or place one under the other [related: b.toml:9:8]",
            ]
        );
    }

    #[test]
    fn different_areas_or_parents_pass() {
        let org = r#"
[governance.infra]
name = "Infrastructure"
area = "infrastructure"
decision = "advisory"

[governance.hosting]
name = "Hosting"
area = "infrastructure"
decision = "advisory"
parent = "infra"

[governance.exec]
name = "Exec"
area = "executive"
decision = "advisory"
"#;
        let (found, integrity) = run(
            super::check,
            "GOV004",
            "overlapping-bodies",
            &[],
            &[("org.toml", org)],
        );
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn unknown_area_parent_or_layer_is_skipped() {
        let org = r#"
[governance.infra]
name = "Infrastructure"
area = "infrastructure"
decision = "advisory"

[governance.hosting]
name = "Hosting"
area = "infrastructure"
decision = "advisory"
parent = "ghost"

[governance.network]
name = "Network"
area = "infrastucture"
decision = "advisory"

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
parent = "x"

[governance.w]
name = "W"
area = "executive"
decision = "advisory"
parent = "x"
"#;
        let (found, integrity) = run(
            super::check,
            "GOV004",
            "overlapping-bodies",
            &[],
            &[("org.toml", org)],
        );
        assert_eq!(
            integrity.len(),
            2,
            "ORG001 for ghost, ORG008 for the area: {integrity:?}"
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
