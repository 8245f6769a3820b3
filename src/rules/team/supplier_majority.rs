//! TEAM004 supplier-majority: more than `max-supplier-share` (default 0.5)
//! of a team's distinct resolved members are supplier staff
//! (`employment = "supplier"`; contractors do not count).

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::{Employment, Value, targets};
use crate::rules::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    let max = cx.float_option("max-supplier-share", 0.5);
    let mut members: Vec<usize> = Vec::new();
    for team in &model.teams {
        let Some(list) = team.members.as_ref().filter(|l| l.value.is_some()) else {
            continue;
        };
        members.clear();
        members.extend(targets(&team.members).map(|(p, _)| p));
        members.sort_unstable();
        members.dedup();
        let total = members.len();
        if total == 0 {
            continue;
        }
        let mut suppliers = 0usize;
        let mut unknown = 0usize;
        for &p in &members {
            match model.people.get(p).map(|person| person.employment()) {
                Some(Value::Known(Employment::Supplier)) => suppliers += 1,
                Some(Value::Known(_)) => {}
                _ => unknown += 1,
            }
        }
        // Fire only when certain: members of unknown employment may or may
        // not be suppliers, so the known suppliers alone must exceed it.
        let share = suppliers as f64 / total as f64;
        if share <= max {
            continue;
        }
        let at_least = if unknown > 0 { "at least " } else { "" };
        out.push(
            cx.diagnostic(format!(
                "{at_least}{suppliers} of the {total} members of team `{}` ({at_least}{}) are supplier staff, \
                 more than the {} allowed; bring civil servants into the team",
                team.id,
                percent(share),
                percent(max),
            ))
            .at(list.span)
            .entity(EntityKind::Team, &team.id)
            .key("members")
            .help(
                "a team made mostly of supplier staff keeps its knowledge with the supplier, \
                 and loses it when the contract ends (playbook §2, §3)",
            ),
        );
    }
}

/// `0.6667` -> `66.7%`, `0.5` -> `50%`.
fn percent(share: f64) -> String {
    let text = format!("{:.1}", share * 100.0);
    let text = text.strip_suffix(".0").unwrap_or(&text);
    format!("{text}%")
}

#[cfg(test)]
mod tests {
    use crate::registry::OptionValue;
    use crate::rules::testing::{assert_clean, run};

    fn lint(
        options: &[(&str, OptionValue)],
        org: &str,
    ) -> (Vec<String>, Vec<crate::diagnostic::Diagnostic>) {
        run(
            super::check,
            "TEAM004",
            "supplier-majority",
            options,
            &[("org.toml", org)],
        )
    }

    const PEOPLE: &str = r#"[suppliers.acme]
name = "Acme"
kind = "delivery-partner"

[people]
s1 = { name = "S1", role = "software-developer", employment = "supplier", supplier = "acme" }
s2 = { name = "S2", role = "software-developer", employment = "supplier", supplier = "acme" }
c1 = { name = "C1", role = "software-developer", employment = "contractor" }
cs = { name = "CS", role = "software-developer" }
"#;

    fn org(teams: &str) -> String {
        format!("{PEOPLE}{teams}")
    }

    #[test]
    fn more_than_half_fires_exactly_half_does_not() {
        let org = org(r#"
[teams.a]
name = "A"
mode = "stability"
members = ["s1", "s2", "cs"]

[teams.b]
name = "B"
mode = "stability"
members = ["s1", "s2", "c1", "cs"]

[teams.c]
name = "C"
mode = "stability"
members = ["s1", "c1"]
"#);
        let (found, integrity) = lint(&[], &org);
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:14:11 TEAM004 2 of the 3 members of team `a` (66.7%) are supplier staff, \
              more than the 50% allowed; bring civil servants into the team"
            ]
        );
    }

    #[test]
    fn option_sets_the_share() {
        let org = org(r#"
[teams.b]
name = "B"
mode = "stability"
members = ["s1", "s2", "c1", "cs"]
"#);
        let (found, integrity) = lint(&[("max-supplier-share", OptionValue::Float(0.25))], &org);
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:14:11 TEAM004 2 of the 4 members of team `b` (50%) are supplier staff, \
              more than the 25% allowed; bring civil servants into the team"
            ]
        );
        let (found, _) = lint(&[("max-supplier-share", OptionValue::Float(0.75))], &org);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn unknown_inputs() {
        // Unresolved members are not counted; an unknown employment may be
        // anything, so team `a` (1 known supplier of 2) stays quiet and team
        // `b` (2 of 3 known) fires with "at least".
        let org = org(r#"
[people.u]
name = "U"
role = "software-developer"
employment = "vendor"

[teams.a]
name = "A"
mode = "stability"
members = ["s1", "u", "ghost"]

[teams.b]
name = "B"
mode = "stability"
members = ["s1", "s2", "u"]

[teams.c]
name = "C"
mode = "stability"
members = "s1"
"#);
        let (found, integrity) = lint(&[], &org);
        assert_eq!(integrity.len(), 3, "ORG008 twice, ORG001: {integrity:?}");
        assert_eq!(
            found,
            [
                "org.toml:24:11 TEAM004 at least 2 of the 3 members of team `b` (at least 66.7%) are supplier \
              staff, more than the 50% allowed; bring civil servants into the team"
            ]
        );
    }
}
