//! LEAD004 shared-accountability: an accountability area's value is a list
//! (even of one id, even empty) rather than one person's id.

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::Holder;
use crate::rules::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for a in &cx.model.accountabilities {
        let Holder::Shared(list) = &a.holder else {
            continue;
        };
        let area = &a.name;
        // The ids as written (unresolved ones included; invalid elements
        // are ORG008's and left out).
        let ids: Vec<&str> = list
            .value
            .iter()
            .flatten()
            .filter_map(|e| e.value.as_ref())
            .map(|r| cx.model.ref_id(EntityKind::Person, r))
            .collect();
        let message = match ids.as_slice() {
            [] => format!(
                "accountability `{area}` is a list: name the one accountable person as a string"
            ),
            [one] => format!(
                "accountability `{area}` is a list: write `{area} = \"{one}\"` with one person's id"
            ),
            _ => format!(
                "accountability `{area}` is shared between `{}`: name the one accountable person",
                ids.join("`, `")
            ),
        };
        out.push(
            cx.diagnostic(message)
                .at(list.span)
                .entity(EntityKind::Accountability, area)
                .help("accountability shared by several people is held by none of them: it rests with one person"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, run};

    fn lint(files: &[(&str, &str)]) -> (Vec<String>, Vec<crate::diagnostic::Diagnostic>) {
        run(super::check, "LEAD004", "shared-accountability", &[], files)
    }

    const PEOPLE: &str = r#"
[people.amara]
name = "Amara"
role = "chief-digital-and-information-officer"

[people.ben]
name = "Ben"
role = "chief-technology-officer"
"#;

    #[test]
    fn one_finding_per_list() {
        let org = r#"[accountabilities]
data = "amara"
spend-control = ["amara", "ben"]
budget = ["amara"]
common-platforms = []
"#;
        let (found, integrity) = lint(&[("org.toml", org), ("people.toml", PEOPLE)]);
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:3:17 LEAD004 accountability `spend-control` is shared between `amara`, `ben`: \
                 name the one accountable person",
                "org.toml:4:10 LEAD004 accountability `budget` is a list: write `budget = \"amara\"` \
                 with one person's id",
                "org.toml:5:20 LEAD004 accountability `common-platforms` is a list: name the one \
                 accountable person as a string",
            ]
        );
    }

    #[test]
    fn single_ids_pass() {
        let org = r#"[accountabilities]
data = "amara"
technology = "ben"
"#;
        let (found, integrity) = lint(&[("org.toml", org), ("people.toml", PEOPLE)]);
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn unknown_elements_still_make_a_list() {
        // ORG001 for `ghost`, ORG008 for `1`: the list is still shared.
        let org = r#"[accountabilities]
data = ["ghost", 1]
"#;
        let (found, integrity) = lint(&[("org.toml", org), ("people.toml", PEOPLE)]);
        assert_eq!(integrity.len(), 2, "{integrity:?}");
        assert_eq!(
            found,
            [
                "org.toml:2:8 LEAD004 accountability `data` is a list: write `data = \"ghost\"` with one person's id"
            ]
        );
    }

    #[test]
    fn posts_are_not_accountabilities() {
        // A list in `[posts]` is a type error (ORG008), not LEAD004.
        let org = r#"[posts]
professional-lead = ["amara"]
"#;
        let (found, integrity) = lint(&[("org.toml", org), ("people.toml", PEOPLE)]);
        assert_eq!(integrity.len(), 1, "{integrity:?}");
        assert!(found.is_empty(), "{found:?}");
    }
}
