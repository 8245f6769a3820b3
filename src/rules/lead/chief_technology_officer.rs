//! LEAD003 chief-technology-officer: `posts.chief-technology-officer` must be
//! assigned, and its holder accountable for `common-platforms`.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;

use super::{NotAccountable, RequiredPost};

const POST: &str = "chief-technology-officer";
const AREA: &str = "common-platforms";

const HELP: &str = "a chief technology officer accountable for common platforms stops each service \
                    building its own (playbook §1)";

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    let Some(post) = RequiredPost::find(
        cx,
        out,
        POST,
        "post `chief-technology-officer` is unassigned: name the person who leads technology in `[posts]`",
        HELP,
    ) else {
        return;
    };
    let cto_id = model.person_id(post.holder);
    let d = match post.not_accountable(model, AREA) {
        Some(NotAccountable::Unassigned) => post.finding(
            cx,
            format!(
                "chief technology officer `{cto_id}` is not accountable for `common-platforms`, which is \
                 unassigned: assign it to them in `[accountabilities]`"
            ),
        ),
        Some(NotAccountable::HeldBy {
            person,
            related: (span, label),
        }) => post
            .finding(
                cx,
                format!(
                    "chief technology officer `{cto_id}` is not accountable for `common-platforms`, \
                     which is held by `{}`: assign it to them",
                    model.person_id(person)
                ),
            )
            .related(span, label),
        // Held by the CTO, or unknown (a list, an unresolved id).
        None => return,
    };
    out.push(d);
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, run};

    fn lint(files: &[(&str, &str)]) -> (Vec<String>, Vec<crate::diagnostic::Diagnostic>) {
        run(
            super::check,
            "LEAD003",
            "chief-technology-officer",
            &[],
            files,
        )
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
    fn common_platforms_held_by_someone_else() {
        let org = r#"[organisation]
name = "Example"

[posts]
chief-technology-officer = "ben"

[accountabilities]
common-platforms = "amara"
"#;
        let (found, integrity) = lint(&[("org.toml", org), ("people.toml", PEOPLE)]);
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:5:28 LEAD003 chief technology officer `ben` is not accountable for \
              `common-platforms`, which is held by `amara`: assign it to them [related: org.toml:8:20]"
            ]
        );
    }

    #[test]
    fn common_platforms_unassigned() {
        let org = r#"[organisation]
name = "Example"

[posts]
chief-technology-officer = "ben"
"#;
        let (found, integrity) = lint(&[("org.toml", org), ("people.toml", PEOPLE)]);
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:5:28 LEAD003 chief technology officer `ben` is not accountable for \
              `common-platforms`, which is unassigned: assign it to them in `[accountabilities]`"
            ]
        );
    }

    #[test]
    fn accountable_cto_passes() {
        let org = r#"[organisation]
name = "Example"

[posts]
chief-technology-officer = "ben"

[accountabilities]
common-platforms = "ben"
"#;
        let (found, integrity) = lint(&[("org.toml", org), ("people.toml", PEOPLE)]);
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn unassigned_post_points_at_posts_then_organisation_then_nowhere() {
        let a = r#"[organisation]
name = "Example"
"#;
        let b = r#"
[posts]
professional-lead = "amara"
"#;
        let message = "LEAD003 post `chief-technology-officer` is unassigned: name the person who leads \
                       technology in `[posts]`";
        let (found, integrity) = lint(&[("a.toml", a), ("b.toml", b), ("people.toml", PEOPLE)]);
        assert_clean(&integrity);
        assert_eq!(found, [format!("b.toml:2:1 {message}")]);

        let (found, integrity) = lint(&[("a.toml", a), ("people.toml", PEOPLE)]);
        assert_clean(&integrity);
        assert_eq!(found, [format!("a.toml:1:1 {message}")]);

        let (found, integrity) = lint(&[("people.toml", PEOPLE)]);
        assert_clean(&integrity);
        assert_eq!(found, [format!("- {message}")]);
    }

    #[test]
    fn unknown_values_are_skipped() {
        // Unknown CTO.
        let org = r#"[organisation]
name = "Example"

[posts]
chief-technology-officer = "bne"

[accountabilities]
common-platforms = "amara"
"#;
        let (found, integrity) = lint(&[("org.toml", org), ("people.toml", PEOPLE)]);
        assert_eq!(integrity.len(), 1, "ORG001 for `bne`");
        assert!(found.is_empty(), "{found:?}");

        // Shared (LEAD004) or unresolved (ORG001) common platforms.
        for holder in [r#"["amara"]"#, r#""ghost""#] {
            let org = format!(
                "[organisation]\nname = \"Example\"\n\n[posts]\nchief-technology-officer = \"ben\"\n\n\
                 [accountabilities]\ncommon-platforms = {holder}\n"
            );
            let (found, _) = lint(&[("org.toml", &org), ("people.toml", PEOPLE)]);
            assert!(found.is_empty(), "{holder}: {found:?}");
        }
    }
}
