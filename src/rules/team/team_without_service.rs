//! TEAM005 team-without-service: under `operating-model = "product"`, an
//! innovation team lists no `services` (absent or empty).

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::{Mode, OperatingModel, Value, value};
use crate::rules::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    let product = model
        .organisation
        .as_ref()
        .is_some_and(|o| value(&o.operating_model) == Value::Known(OperatingModel::Product));
    if !product {
        return;
    }
    for team in &model.teams {
        if value(&team.mode) != Value::Known(Mode::Innovation) {
            continue;
        }
        let none = match &team.services {
            None => true,
            Some(list) => list.value.as_ref().is_some_and(Vec::is_empty),
        };
        if !none {
            continue;
        }
        out.push(
            cx.diagnostic(format!(
                "innovation team `{}` lists no `services`; name the services it works on",
                team.id
            ))
            .at(team.header)
            .entity(EntityKind::Team, &team.id)
            .help(
                "the product model organises teams around the services whose outcomes they own; \
                 a team with no service is organised around a project or a technology instead",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, run};

    fn lint(org: &str) -> (Vec<String>, Vec<crate::diagnostic::Diagnostic>) {
        run(
            super::check,
            "TEAM005",
            "team-without-service",
            &[],
            &[("org.toml", org)],
        )
    }

    fn org(model: &str, teams: &str) -> String {
        format!(
            r#"[organisation]
name = "Org"
{model}

[people.ana]
name = "Ana"
role = "software-developer"

[services.renew]
name = "Renew"
{teams}"#
        )
    }

    const TEAMS: &str = r#"
[teams.a]
name = "A"
mode = "innovation"
members = ["ana"]

[teams.b]
name = "B"
mode = "innovation"
members = ["ana"]
services = []

[teams.c]
name = "C"
mode = "innovation"
members = ["ana"]
services = ["renew"]

[teams.d]
name = "D"
mode = "stability"
members = ["ana"]
"#;

    #[test]
    fn innovation_team_without_service_under_product_model() {
        let (found, integrity) = lint(&org("operating-model = \"product\"", TEAMS));
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:12:1 TEAM005 innovation team `a` lists no `services`; name the services it works on",
                "org.toml:17:1 TEAM005 innovation team `b` lists no `services`; name the services it works on",
            ]
        );
    }

    #[test]
    fn other_or_missing_operating_model_passes() {
        let (found, integrity) = lint(&org("operating-model = \"enabling\"", TEAMS));
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");
        let (found, integrity) = lint(&org("", TEAMS));
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn unknown_inputs_are_skipped() {
        // Unknown operating model.
        let (found, integrity) = lint(&org("operating-model = \"prodcut\"", TEAMS));
        assert_eq!(integrity.len(), 1);
        assert!(found.is_empty(), "{found:?}");
        // Unknown mode, invalid `services`; an unresolved service is still listed.
        let teams = r#"
[teams.a]
name = "A"
mode = "inovation"
members = ["ana"]

[teams.b]
name = "B"
mode = "innovation"
members = ["ana"]
services = "renew"

[teams.c]
name = "C"
mode = "innovation"
members = ["ana"]
services = ["ghost"]
"#;
        let (found, integrity) = lint(&org("operating-model = \"product\"", teams));
        assert_eq!(integrity.len(), 3, "{integrity:?}");
        assert!(found.is_empty(), "{found:?}");
    }
}
