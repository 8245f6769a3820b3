//! TEAM003 government-in-control: a team's `lead`, or a member whose role is
//! product manager or delivery manager, is not a civil servant. Once per
//! person and team, at the `lead` value for the lead, else at the member id.

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::{Employment, Person, Team, Value, link, targets};
use crate::rules::Context;
use crate::source::Span;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    let catalogue = &model.catalogue;
    let steering: Vec<(usize, &str)> = [
        ("product-manager", "product manager"),
        ("delivery-manager", "delivery manager"),
    ]
    .into_iter()
    .filter_map(|(id, what)| Some((catalogue.lookup(id)?, what)))
    .collect();
    for team in &model.teams {
        let lead = link(&team.lead).known();
        if let (Some(p), Some(field)) = (lead, &team.lead)
            && let Some(person) = model.people.get(p)
        {
            report(cx, out, team, person, "lead", field.span, "lead");
        }
        for (p, span) in targets(&team.members) {
            if Some(p) == lead {
                continue;
            }
            let Some(person) = model.people.get(p) else {
                continue;
            };
            let Value::Known(role) = link(&person.role) else {
                continue;
            };
            let Some(&(_, what)) = steering.iter().find(|(r, _)| *r == role) else {
                continue;
            };
            report(cx, out, team, person, "members", span, what);
        }
    }
}

fn report(
    cx: &Context,
    out: &mut Vec<Diagnostic>,
    team: &Team,
    person: &Person,
    key: &'static str,
    at: Span,
    what: &str,
) {
    let Value::Known(employment) = person.employment() else {
        return;
    };
    if employment == Employment::CivilServant {
        return;
    }
    // Not the default, so `employment` is written.
    let Some(field) = &person.employment else {
        return;
    };
    let employed = match employment {
        Employment::Supplier => "supplier staff",
        _ => "a contractor",
    };
    out.push(
        cx.diagnostic(format!(
            "`{}`, the {what} of team `{}`, is {employed}, not a civil servant; \
             give the role to a civil servant",
            person.id, team.id
        ))
        .at(at)
        .related(
            field.span,
            format!("`{}` is employed as {}", person.id, employment.as_str()),
        )
        .entity(EntityKind::Team, &team.id)
        .key(key)
        .help(
            "the people who set a team's direction must work for the department, \
             or the vendor rather than government steers the service (playbook §3)",
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, run};

    fn lint(org: &str) -> (Vec<String>, Vec<crate::diagnostic::Diagnostic>) {
        run(
            super::check,
            "TEAM003",
            "government-in-control",
            &[],
            &[("org.toml", org)],
        )
    }

    const PEOPLE: &str = r#"[suppliers.acme]
name = "Acme"
kind = "delivery-partner"

[people]
pm = { name = "P", role = "product-manager", employment = "supplier", supplier = "acme" }
dm = { name = "D", role = "delivery-manager", employment = "contractor" }
dev = { name = "V", role = "software-developer", employment = "contractor" }
cs = { name = "C", role = "product-manager" }
"#;

    #[test]
    fn lead_and_steering_members_must_be_civil_servants() {
        let org = format!(
            "{PEOPLE}
[teams.a]
name = \"A\"
mode = \"innovation\"
members = [\"pm\", \"dm\", \"dev\", \"cs\"]
lead = \"pm\"

[teams.b]
name = \"B\"
mode = \"stability\"
members = [\"cs\"]
lead = \"dev\"
"
        );
        let (found, integrity) = lint(&org);
        assert_clean(&integrity);
        // `pm` leads `a`: one finding, at `lead`. `dev` leads `b` without
        // being a member (ORG006's business): still reported at `lead`.
        assert_eq!(
            found,
            [
                "org.toml:14:18 TEAM003 `dm`, the delivery manager of team `a`, is a contractor, not a civil \
                 servant; give the role to a civil servant [related: org.toml:7:60]",
                "org.toml:15:8 TEAM003 `pm`, the lead of team `a`, is supplier staff, not a civil servant; \
                 give the role to a civil servant [related: org.toml:6:59]",
                "org.toml:21:8 TEAM003 `dev`, the lead of team `b`, is a contractor, not a civil servant; \
                 give the role to a civil servant [related: org.toml:8:63]",
            ]
        );
    }

    #[test]
    fn civil_servants_pass() {
        let org = format!(
            "{PEOPLE}
[teams.a]
name = \"A\"
mode = \"innovation\"
members = [\"cs\", \"dev\"]
lead = \"cs\"
"
        );
        let (found, integrity) = lint(&org);
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn unknown_inputs_are_skipped() {
        let org = r#"
[people]
x = { name = "X", role = "product-manager", employment = "vendor" }
y = { name = "Y", role = "product-manger", employment = "contractor" }

[teams.a]
name = "A"
mode = "innovation"
members = ["x", "y", "ghost"]
lead = "ghost"
"#;
        let (found, integrity) = lint(org);
        // ORG008 (employment), ORG004 (role), ORG001 twice (ghost).
        assert_eq!(integrity.len(), 4, "{integrity:?}");
        assert!(found.is_empty(), "{found:?}");
    }
}
