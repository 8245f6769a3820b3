//! LEAD003 chief-technology-officer: `posts.chief-technology-officer` must be
//! assigned, and its holder accountable for `common-platforms`.

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::Value;
use crate::rules::Context;

use super::{person_id, post_anchor};

const POST: &str = "chief-technology-officer";
const AREA: &str = "common-platforms";

const HELP: &str = "a chief technology officer accountable for common platforms stops each service \
                    building its own (playbook §1)";

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    let Some(post) = model.post(POST) else {
        let mut d = cx.diagnostic(
            "post `chief-technology-officer` is unassigned: name the person who leads technology in `[posts]`",
        );
        if let Some(span) = post_anchor(model) {
            d = d.at(span);
        }
        out.push(d.entity(EntityKind::Post, POST).help(HELP));
        return;
    };
    let Value::Known(cto) = post.holder.person() else {
        return;
    };
    let cto_id = person_id(model, cto);
    let d = match model.accountability(AREA) {
        None => cx.diagnostic(format!(
            "chief technology officer `{cto_id}` is not accountable for `common-platforms`, which is \
             unassigned: assign it to them in `[accountabilities]`"
        )),
        Some(a) => match a.holder.person() {
            Value::Known(p) if p != cto => cx
                .diagnostic(format!(
                    "chief technology officer `{cto_id}` is not accountable for `common-platforms`, \
                     which is held by `{}`: assign it to them",
                    person_id(model, p)
                ))
                .related(a.holder.span(), "`common-platforms` is held here"),
            // Held by the CTO, or unknown (a list, an unresolved id).
            _ => return,
        },
    };
    out.push(
        d.at(post.holder.span())
            .entity(EntityKind::Post, POST)
            .help(HELP),
    );
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
