//! GOV005 spend-control-outside-director: a governance body whose `remit`
//! includes `"spend"` or `"budget"` is owned by someone other than the
//! holder of `posts.digital-services-director` (when that post is assigned).

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::{Value, link};
use crate::rules::{Context, DIGITAL_SERVICES_DIRECTOR};

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some((director, post)) = cx.model.post_holder(DIGITAL_SERVICES_DIRECTOR) else {
        return;
    };
    let director_id = cx.model.person_id(director);
    for body in &cx.model.bodies {
        let (Value::Known(owner), Some(owner_field)) = (link(&body.owner), &body.owner) else {
            continue;
        };
        if owner == director {
            continue;
        }
        let Some(word) = money_word(body.remit.as_ref()) else {
            continue;
        };
        let owner_id = cx.model.person_id(owner);
        out.push(
            cx.diagnostic(format!(
                "governance body `{}` has `{word}` in its remit but is owned by `{owner_id}`, \
                 not the digital services director `{director_id}`; make `{director_id}` the owner \
                 or move `{word}` out of its remit",
                body.id
            ))
            .at(owner_field.span)
            .related(post.holder.span(), "the digital services director")
            .entity(EntityKind::Body, &body.id)
            .key("owner")
            .help("the digital services director cannot answer for digital services if spend and budget are decided by a body someone else owns (playbook §1, §4)"),
        );
    }
}

/// The first of `spend`/`budget` in the remit, ignoring invalid elements.
fn money_word(remit: Option<&crate::model::List<crate::model::Text>>) -> Option<&'static str> {
    let elements = remit?.value.as_ref()?;
    let has = |w: &str| elements.iter().any(|e| e.value.as_deref() == Some(w));
    ["spend", "budget"].into_iter().find(|w| has(w))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, run};

    const PEOPLE: &str = r#"
[posts]
digital-services-director = "amara"

[people.amara]
name = "Amara"
role = "chief-digital-and-information-officer"

[people.sam]
name = "Sam"
role = "digital-portfolio-manager"
"#;

    #[test]
    fn money_body_owned_by_someone_else() {
        let org = r#"
[governance.investment]
name = "Investment committee"
area = "executive"
decision = "accountable-owner"
owner = "sam"
remit = ["strategy", "budget"]

[governance.spend]
name = "Spend board"
area = "mission-it"
decision = "accountable-owner"
owner = "amara"
remit = ["spend", "budget"]

[governance.design]
name = "Design authority"
area = "digital-public-services"
decision = "accountable-owner"
owner = "sam"
remit = ["standards"]
"#;
        let (found, integrity) = run(
            super::check,
            "GOV005",
            "spend-control-outside-director",
            &[],
            &[("bodies.toml", org), ("people.toml", PEOPLE)],
        );
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "bodies.toml:6:9 GOV005 governance body `investment` has `budget` in its remit but is owned by `sam`, not the digital services director `amara`; make `amara` the owner or move `budget` out of its remit [related: people.toml:3:29]"
            ]
        );
    }

    #[test]
    fn skipped_without_a_known_director_or_owner() {
        let body = r#"
[people.sam]
name = "Sam"
role = "digital-portfolio-manager"

[governance.investment]
name = "Investment committee"
area = "executive"
decision = "accountable-owner"
owner = "sam"
remit = ["spend"]

[governance.other]
name = "Other"
area = "mission-it"
decision = "advisory"
remit = ["spend"]
"#;
        // No post at all.
        let (found, integrity) = run(
            super::check,
            "GOV005",
            "spend-control-outside-director",
            &[],
            &[("org.toml", body)],
        );
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");
        // The post names nobody known.
        let post = "[posts]\ndigital-services-director = \"ghost\"\n";
        let (found, integrity) = run(
            super::check,
            "GOV005",
            "spend-control-outside-director",
            &[],
            &[("org.toml", body), ("posts.toml", post)],
        );
        assert_eq!(integrity.len(), 1, "ORG001 for ghost: {integrity:?}");
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn unknown_owner_is_skipped() {
        let org = r#"
[governance.investment]
name = "Investment committee"
area = "executive"
decision = "accountable-owner"
owner = "ghost"
remit = ["spend"]
"#;
        let (found, integrity) = run(
            super::check,
            "GOV005",
            "spend-control-outside-director",
            &[],
            &[("bodies.toml", org), ("people.toml", PEOPLE)],
        );
        assert_eq!(integrity.len(), 1, "ORG001 for ghost: {integrity:?}");
        assert!(found.is_empty(), "{found:?}");
    }
}
