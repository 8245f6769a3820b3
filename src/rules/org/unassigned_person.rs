//! ORG007 unassigned-person (info): a person in no team and no governance
//! body, holding no post or accountability, owning no service, leading no
//! team, and managing nobody.

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::{Field, Holder, List, Ref, Value, link};
use crate::rules::Context;

/// Whether a list that assigns people failed ORG008 (wrong type, or an
/// element that is not a string): who it names is unknown.
fn unknown_list(list: &Option<List<Ref>>) -> bool {
    list.as_ref().is_some_and(|l| {
        l.value
            .as_ref()
            .is_none_or(|items| items.iter().any(|e| e.value.is_none()))
    })
}

fn unknown_one(field: &Option<Field<Ref>>) -> bool {
    field.as_ref().is_some_and(|f| f.value.is_none())
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let m = cx.model;
    // Whether a person is assigned cannot be told when a value that assigns
    // people is invalid (decisions.md 3): then the rule says nothing.
    let unknown = m
        .teams
        .iter()
        .any(|t| unknown_list(&t.members) || unknown_one(&t.lead))
        || m.bodies
            .iter()
            .any(|b| unknown_list(&b.members) || unknown_one(&b.owner))
        || m.services.iter().any(|s| unknown_one(&s.owner))
        || m.people.iter().any(|p| unknown_one(&p.reports_to))
        || m.posts
            .iter()
            .chain(&m.accountabilities)
            .any(|a| match &a.holder {
                Holder::One(f) => f.value.is_none(),
                Holder::Shared(l) => unknown_list(&Some(l.clone())),
                Holder::Invalid(_) => true,
            });
    if unknown {
        return;
    }
    let ix = cx.index;
    let mut leads = vec![false; cx.model.people.len()];
    for team in &cx.model.teams {
        if let Value::Known(p) = link(&team.lead)
            && let Some(l) = leads.get_mut(p)
        {
            *l = true;
        }
    }
    for (p, person) in cx.model.people.iter().enumerate() {
        let assigned = ix.person_teams.get(p).is_some_and(|v| !v.is_empty())
            || ix.person_bodies.get(p).is_some_and(|v| !v.is_empty())
            || ix.person_services.get(p).is_some_and(|v| !v.is_empty())
            || ix.holds_post.get(p).copied().unwrap_or(false)
            || ix.direct_reports.get(p).is_some_and(|&n| n > 0)
            || leads.get(p).copied().unwrap_or(false);
        if assigned {
            continue;
        }
        out.push(
            cx.diagnostic(format!(
                "`{}` is in no team or governance body, holds no post, owns no service and manages nobody",
                person.id
            ))
            .at(person.header)
            .entity(EntityKind::Person, &person.id)
            .help("add them to a team's `members`, or remove the entry if they have left"),
        );
    }
}
