//! TEAM002 stability-innovation-split: a person is a member of both a
//! stability team and an innovation team. Once per person, at the first
//! membership whose mode differs from their earliest one.

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::{Mode, Value, value};
use crate::rules::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    for (p, memberships) in cx.index.person_teams.iter().enumerate() {
        let Some(person) = model.people.get(p) else {
            continue;
        };
        // Memberships in path/line order, teams of unknown mode skipped.
        let mut known = memberships.iter().filter_map(|&(t, span)| {
            let team = model.teams.get(t)?;
            match value(&team.mode) {
                Value::Known(mode) => Some((team, mode, span)),
                _ => None,
            }
        });
        let Some((first, first_mode, first_span)) = known.next() else {
            continue;
        };
        let Some((other, other_mode, span)) = known.find(|(_, mode, _)| *mode != first_mode) else {
            continue;
        };
        let word = |m: Mode| m.as_str();
        out.push(
            cx.diagnostic(format!(
                "`{}` is a member of {} team `{}` and of {} team `{}`; keep them in teams of one mode",
                person.id,
                word(first_mode),
                first.id,
                word(other_mode),
                other.id,
            ))
            .at(span)
            .related(first_span, format!("member of {} team `{}`", word(first_mode), first.id))
            .entity(EntityKind::Team, &other.id)
            .key("members")
            .help(
                "keeping services stable and changing them quickly need different rhythms and \
                 controls, and one person pulled between both serves one of them badly",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, run};

    fn lint(files: &[(&str, &str)]) -> (Vec<String>, Vec<crate::diagnostic::Diagnostic>) {
        run(
            super::check,
            "TEAM002",
            "stability-innovation-split",
            &[],
            files,
        )
    }

    const PEOPLE: &str = r#"[people]
ana = { name = "Ana", role = "software-developer" }
ben = { name = "Ben", role = "software-developer" }
cy = { name = "Cy", role = "software-developer" }
"#;

    #[test]
    fn once_per_person_at_first_differing_membership() {
        let a = r#"[teams.ops]
name = "Ops"
mode = "stability"
members = ["ben", "ana"]

[teams.more-ops]
name = "More ops"
mode = "stability"
members = ["ana"]
"#;
        let b = r#"[teams.licensing]
name = "Licensing"
mode = "innovation"
members = ["cy", "ana",
  "ben"]

[teams.renewals]
name = "Renewals"
mode = "innovation"
members = ["ana", "ben"]
"#;
        let (found, integrity) = lint(&[("a.toml", a), ("b.toml", b), ("people.toml", PEOPLE)]);
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "b.toml:4:18 TEAM002 `ana` is a member of stability team `ops` and of innovation team \
                 `licensing`; keep them in teams of one mode [related: a.toml:4:19]",
                "b.toml:5:3 TEAM002 `ben` is a member of stability team `ops` and of innovation team \
                 `licensing`; keep them in teams of one mode [related: a.toml:4:12]",
            ]
        );
    }

    #[test]
    fn one_mode_passes() {
        let org = format!(
            "{PEOPLE}
[teams.a]
name = \"A\"
mode = \"innovation\"
members = [\"ana\", \"ben\"]

[teams.b]
name = \"B\"
mode = \"innovation\"
members = [\"ana\"]
"
        );
        let (found, integrity) = lint(&[("org.toml", &org)]);
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn unknown_mode_is_skipped() {
        // `a` has an invalid mode: `ana`'s earliest known membership is `b`.
        let org = format!(
            "{PEOPLE}
[teams.a]
name = \"A\"
mode = \"stabilty\"
members = [\"ana\"]

[teams.b]
name = \"B\"
mode = \"innovation\"
members = [\"ana\", \"ghost\"]
"
        );
        let (found, integrity) = lint(&[("org.toml", &org)]);
        assert_eq!(integrity.len(), 2, "ORG008 for the mode, ORG001 for ghost");
        assert!(found.is_empty(), "{found:?}");
    }
}
