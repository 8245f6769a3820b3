//! ORG007 unassigned-person (info): a person in no team and no governance
//! body, holding no post or accountability, owning no service, leading no
//! team, and managing nobody.

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::{Value, link};
use crate::rules::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
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
