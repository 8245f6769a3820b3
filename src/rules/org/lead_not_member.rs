//! ORG006 lead-not-member: a team's `lead`, or a governance body's `owner`
//! (when the body lists `members`), is not one of its members.

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::{Field, List, Ref, Value, link, targets};
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
