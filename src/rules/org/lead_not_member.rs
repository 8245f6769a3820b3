//! ORG006 lead-not-member: a team's `lead`, or a governance body's `owner`
//! (when the body lists `members`), is not one of its members. Skipped when
//! a member is unknown: it may be the lead, misspelt.

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::{Field, List, Ref, Value, has_unknown, link, targets};
use crate::rules::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for team in &cx.model.teams {
        check_one(
            cx,
            out,
            EntityKind::Team,
            &team.id,
            "lead",
            &team.lead,
            &team.members,
        );
    }
    for body in &cx.model.bodies {
        check_one(
            cx,
            out,
            EntityKind::Body,
            &body.id,
            "owner",
            &body.owner,
            &body.members,
        );
    }
}

fn check_one(
    cx: &Context,
    out: &mut Vec<Diagnostic>,
    kind: EntityKind,
    id: &str,
    key: &'static str,
    who: &Option<Field<Ref>>,
    members: &Option<List<Ref>>,
) {
    let (Value::Known(person), Some(field)) = (link(who), who) else {
        return;
    };
    // Members absent (bodies only) or unknown: nothing to compare with.
    let Some(list) = members.as_ref().filter(|l| l.value.is_some()) else {
        return;
    };
    if targets(members).any(|(p, _)| p == person) {
        return;
    }
    // A member that is unknown (ORG001, ORG008) may be the lead misspelt:
    // one root cause, one diagnostic (decisions.md 3).
    if has_unknown(members) {
        return;
    }
    let person_id = cx.model.person_id(person);
    let (role, a_role) = if key == "lead" {
        ("lead", "a lead")
    } else {
        ("owner", "an owner")
    };
    out.push(
        cx.diagnostic(format!(
            "{} `{id}` has {role} `{person_id}`, who is not one of its members",
            kind.as_str()
        ))
        .at(field.span)
        .related(list.span, "members listed here")
        .entity(kind, id)
        .key(key)
        .help(format!(
            "add `{person_id}` to `members`, or choose {a_role} among them"
        )),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run;

    #[test]
    fn an_unknown_member_may_be_the_lead_misspelt() {
        let org = r#"
[people.bob]
name = "Bob"
role = "software-developer"

[people.ann]
name = "Ann"
role = "software-developer"

[teams.t1]
name = "T1"
mode = "stability"
members = ["bobb"]
lead = "bob"

[teams.t2]
name = "T2"
mode = "stability"
members = ["ann"]
lead = "bob"
"#;
        let (found, integrity) = run(
            super::check,
            "ORG006",
            "lead-not-member",
            &[],
            &[("org.toml", org)],
        );
        assert_eq!(integrity.len(), 1, "ORG001 for bobb: {integrity:?}");
        // t1 is skipped (its member is unknown); t2 is reported.
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("team `t2` has lead `bob`"), "{found:?}");
    }
}
