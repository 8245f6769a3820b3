//! LEAD005 leads-report-to-professional-lead: the holders of
//! `chief-technology-officer` and `chief-data-officer`, when not the
//! professional lead themselves, must reach the professional lead through
//! `reports-to`.

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::Value;
use crate::rules::Context;

const POSTS: [(&str, &str); 2] = [
    ("chief-technology-officer", "chief technology officer"),
    ("chief-data-officer", "chief data officer"),
];

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    // Unassigned or unknown professional lead: nothing to reach (decisions 14).
    let Some(Value::Known(lead)) = model.post("professional-lead").map(|a| a.holder.person())
    else {
        return;
    };
    let lead_id = model.person_id(lead);
    for (post_name, title) in POSTS {
        let Some(post) = model.post(post_name) else {
            continue;
        };
        let Value::Known(holder) = post.holder.person() else {
            continue;
        };
        // `reaches` is `None` when the chain is unknown (unresolved or cyclic).
        if holder == lead || cx.index.reaches(model, holder, lead) != Some(false) {
            continue;
        }
        let Some(person) = model.people.get(holder) else {
            continue;
        };
        let mut d = cx
            .diagnostic(format!(
                "{title} `{}` does not report, directly or through their managers, to the professional \
                 lead `{lead_id}`: set `reports-to` on the chain to reach them",
                person.id
            ))
            .at(post.holder.span())
            .entity(EntityKind::Post, post_name)
            .help(
                "DDaT leads who report outside the profession split it: the professional lead needs \
                 them in their line (operating models: \"What makes an operating model effective?\")",
            );
        d = match &person.reports_to {
            Some(f) => {
                let manager = f
                    .value
                    .as_ref()
                    .map_or("", |r| model.ref_id(EntityKind::Person, r));
                d.related(f.span, format!("`{}` reports to `{manager}`", person.id))
            }
            None => d.related(person.header, format!("`{}` reports to nobody", person.id)),
        };
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, run};

    fn lint(files: &[(&str, &str)]) -> (Vec<String>, Vec<crate::diagnostic::Diagnostic>) {
        run(
            super::check,
            "LEAD005",
            "leads-report-to-professional-lead",
            &[],
            files,
        )
    }

    const POSTS: &str = r#"[posts]
professional-lead = "amara"
chief-technology-officer = "ben"
chief-data-officer = "cara"
"#;

    #[test]
    fn leads_outside_the_line_fire_at_the_post() {
        let people = r#"[people.amara]
name = "Amara"
role = "chief-digital-and-information-officer"

[people.grace]
name = "Grace"
role = "chief-digital-and-information-officer"

[people.ben]
name = "Ben"
role = "chief-technology-officer"

[people.cara]
name = "Cara"
role = "chief-data-officer"
reports-to = "grace"
"#;
        let (found, integrity) = lint(&[("org.toml", POSTS), ("people.toml", people)]);
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:3:28 LEAD005 chief technology officer `ben` does not report, directly or \
                 through their managers, to the professional lead `amara`: set `reports-to` on the \
                 chain to reach them [related: people.toml:9:1]",
                "org.toml:4:22 LEAD005 chief data officer `cara` does not report, directly or \
                 through their managers, to the professional lead `amara`: set `reports-to` on the \
                 chain to reach them [related: people.toml:16:14]",
            ]
        );
    }

    #[test]
    fn direct_and_indirect_reports_and_the_lead_themself_pass() {
        let posts = r#"[posts]
professional-lead = "amara"
chief-technology-officer = "ben"
chief-data-officer = "cara"
"#;
        let people = r#"[people.amara]
name = "Amara"
role = "chief-digital-and-information-officer"

[people.ben]
name = "Ben"
role = "chief-technology-officer"
reports-to = "amara"

[people.cara]
name = "Cara"
role = "chief-data-officer"
reports-to = "ben"
"#;
        let (found, integrity) = lint(&[("org.toml", posts), ("people.toml", people)]);
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");

        // The professional lead holding a post is not asked to report to themself.
        let posts = r#"[posts]
professional-lead = "amara"
chief-technology-officer = "amara"
"#;
        let (found, integrity) = lint(&[("org.toml", posts), ("people.toml", people)]);
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn unassigned_or_unknown_professional_lead_skips() {
        let people = r#"[people.ben]
name = "Ben"
role = "chief-technology-officer"
"#;
        let posts = "[posts]\nchief-technology-officer = \"ben\"\n";
        let (found, integrity) = lint(&[("org.toml", posts), ("people.toml", people)]);
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");

        let posts = "[posts]\nprofessional-lead = \"ghost\"\nchief-technology-officer = \"ben\"\n";
        let (found, integrity) = lint(&[("org.toml", posts), ("people.toml", people)]);
        assert_eq!(integrity.len(), 1, "ORG001 for `ghost`");
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn unknown_chains_and_holders_are_skipped() {
        // Ben's chain passes an unresolved manager; Cara's enters a cycle.
        let people = r#"[people.amara]
name = "Amara"
role = "chief-digital-and-information-officer"

[people.ben]
name = "Ben"
role = "chief-technology-officer"
reports-to = "ghost"

[people.cara]
name = "Cara"
role = "chief-data-officer"
reports-to = "dan"

[people.dan]
name = "Dan"
role = "chief-data-officer"
reports-to = "cara"
"#;
        let (found, integrity) = lint(&[("org.toml", POSTS), ("people.toml", people)]);
        assert_eq!(integrity.len(), 1, "ORG001 for `ghost`: {integrity:?}");
        assert!(found.is_empty(), "{found:?}");

        // An unresolved post holder.
        let posts = "[posts]\nprofessional-lead = \"amara\"\nchief-technology-officer = \"bne\"\n";
        let (found, integrity) = lint(&[("org.toml", posts), ("people.toml", people)]);
        assert_eq!(
            integrity.len(),
            2,
            "ORG001 for `ghost` and `bne`: {integrity:?}"
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
