//! GOV003 accountable-owner: a governance body that takes decisions (its
//! `decision` is known and not `"advisory"`) has no `owner`.

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::{Decision, Value, value};
use crate::rules::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for body in &cx.model.bodies {
        let Value::Known(decision) = value(&body.decision) else {
            continue;
        };
        // An owner that did not resolve is still an owner (ORG001 covers it).
        if decision == Decision::Advisory || body.owner.is_some() {
            continue;
        }
        out.push(
            cx.diagnostic(format!(
                "governance body `{}` decides by `{}` but has no owner; add `owner`, or make it advisory",
                body.id,
                decision.as_str()
            ))
            .at(body.header)
            .entity(EntityKind::Body, &body.id)
            .help("a body that decides needs one named person who answers for its decisions (playbook §4)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, run};

    #[test]
    fn deciding_body_without_owner() {
        let org = r#"
[people.ben]
name = "Ben"
role = "chief-technology-officer"

[governance.infrastructure-board]
name = "Infrastructure board"
area = "infrastructure"
decision = "majority"
members = ["ben"]

[governance.advice]
name = "Advice"
area = "infrastructure"
decision = "advisory"

[governance.owned]
name = "Owned"
area = "executive"
decision = "consensus"
owner = "ben"
"#;
        let (found, integrity) = run(
            super::check,
            "GOV003",
            "accountable-owner",
            &[],
            &[("org.toml", org)],
        );
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:6:1 GOV003 governance body `infrastructure-board` decides by `majority` but has no owner; add `owner`, or make it advisory"
            ]
        );
    }

    #[test]
    fn unknown_decision_or_owner_is_skipped() {
        let org = r#"
[governance.a]
name = "A"
area = "infrastructure"
decision = "majorty"

[governance.b]
name = "B"
area = "executive"
decision = "accountable-owner"
owner = "ghost"
"#;
        let (found, integrity) = run(
            super::check,
            "GOV003",
            "accountable-owner",
            &[],
            &[("org.toml", org)],
        );
        assert_eq!(integrity.len(), 2, "ORG008 and ORG001: {integrity:?}");
        assert!(found.is_empty(), "{found:?}");
    }
}
