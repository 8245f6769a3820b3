//! LEAD002 digital-services-director: `posts.digital-services-director` must
//! be assigned, accountable for `digital-services`, `spend-control` and
//! `budget`, and a member or owner of a layer-1 executive governance body.

use crate::diagnostic::Diagnostic;
use crate::model::{Area, Body, Value, link, value};
use crate::rules::Context;

use super::{NotAccountable, RequiredPost};

use crate::rules::DIGITAL_SERVICES_DIRECTOR as POST;

/// The areas the director must be accountable for, in message order.
const AREAS: [&str; 3] = ["digital-services", "spend-control", "budget"];

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    // Every other clause is about the director: skip when unknown.
    let Some(post) = RequiredPost::find(
        cx,
        out,
        POST,
        "post `digital-services-director` is unassigned: name the person who leads digital services in `[posts]`",
        HELP,
    ) else {
        return;
    };
    let director = post.holder;
    let id = |p: usize| model.person_id(p);

    let mut failed: Vec<String> = Vec::new();
    let mut related = Vec::new();
    let mut not_held: Vec<String> = Vec::new();
    for area in AREAS {
        // An unknown holder (a list, an unresolved id) is skipped.
        match post.not_accountable(model, area) {
            None => {}
            Some(NotAccountable::Unassigned) => not_held.push(format!("`{area}` (unassigned)")),
            Some(NotAccountable::HeldBy { person, related: r }) => {
                not_held.push(format!("`{area}` (held by `{}`)", id(person)));
                related.push(r);
            }
        }
    }
    if !not_held.is_empty() {
        failed.push(format!("is not accountable for {}", not_held.join(", ")));
    }
    if executive_membership(cx, director) == Some(false) {
        failed.push(
            "is not a member or owner of a layer-1 governance body with `area = \"executive\"`"
                .to_owned(),
        );
    }
    if failed.is_empty() {
        return;
    }
    let mut d = post.finding(
        cx,
        format!(
            "digital services director `{}` {}",
            id(director),
            failed.join(", and ")
        ),
    );
    for (span, label) in related {
        d = d.related(span, label);
    }
    out.push(d);
}

const HELP: &str = "one director who holds digital, spend and budget and sits on the top executive body can \
                    make digital decisions stick (playbook §1)";

/// Whether `director` is a member or owner of a layer-1 body with
/// `area = "executive"`. `None` when that depends on an unknown value: a
/// layer-1 body whose area is invalid, or whose owner or members are
/// unknown. Bodies of unknown layer have a parent, so they are not layer 1.
fn executive_membership(cx: &Context, director: usize) -> Option<bool> {
    let mut unknown = false;
    for (b, body) in cx.model.bodies.iter().enumerate() {
        if cx.index.body_layer.get(b).copied().flatten() != Some(1) {
            continue;
        }
        let executive = match value(&body.area) {
            Value::Known(Area::Executive) => true,
            Value::Known(_) => continue,
            // `area` is required: missing or invalid, it is ORG008's.
            Value::Absent | Value::Unknown => false,
        };
        match membership(body, director) {
            Some(true) if executive => return Some(true),
            Some(false) => {}
            _ => unknown = true,
        }
    }
    if unknown { None } else { Some(false) }
}

/// Whether `person` is the owner or a member of `body`; `None` when not
/// found but an owner or member is unknown.
fn membership(body: &Body, person: usize) -> Option<bool> {
    let mut unknown = false;
    match link(&body.owner) {
        Value::Known(p) if p == person => return Some(true),
        Value::Unknown => unknown = true,
        _ => {}
    }
    if let Some(list) = &body.members {
        match &list.value {
            None => unknown = true,
            Some(items) => {
                for item in items {
                    match item.value.as_ref().and_then(|r| r.target()) {
                        Some(p) if p == person => return Some(true),
                        Some(_) => {}
                        None => unknown = true,
                    }
                }
            }
        }
    }
    if unknown { None } else { Some(false) }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, run};

    fn lint(files: &[(&str, &str)]) -> (Vec<String>, Vec<crate::diagnostic::Diagnostic>) {
        run(
            super::check,
            "LEAD002",
            "digital-services-director",
            &[],
            files,
        )
    }

    const PEOPLE: &str = r#"
[people.amara]
name = "Amara"
role = "chief-digital-and-information-officer"

[people.grace]
name = "Grace"
role = "chief-technology-officer"
"#;

    const ACCOUNTABLE: &str = r#"
[accountabilities]
digital-services = "amara"
spend-control = "amara"
budget = "amara"
"#;

    #[test]
    fn every_failed_clause_in_one_finding() {
        let org = r#"[organisation]
name = "Example"

[posts]
digital-services-director = "amara"

[accountabilities]
digital-services = "amara"
budget = "grace"

[governance.board]
name = "Board"
area = "executive"
decision = "accountable-owner"
owner = "grace"

# executive, but at layer 2: does not count
[governance.digital]
name = "Digital"
parent = "board"
area = "executive"
decision = "accountable-owner"
owner = "amara"

# layer 1, but not executive
[governance.infra]
name = "Infrastructure"
area = "infrastructure"
decision = "accountable-owner"
owner = "amara"
"#;
        let (found, integrity) = lint(&[("org.toml", org), ("people.toml", PEOPLE)]);
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:5:29 LEAD002 digital services director `amara` is not accountable for \
              `spend-control` (unassigned), `budget` (held by `grace`), and is not a member or owner \
              of a layer-1 governance body with `area = \"executive\"` [related: org.toml:9:10]"
            ]
        );
    }

    #[test]
    fn accountable_director_on_the_executive_board_passes() {
        let org = r#"[organisation]
name = "Example"

[posts]
digital-services-director = "amara"

[governance.board]
name = "Board"
area = "executive"
decision = "accountable-owner"
owner = "grace"
members = ["grace", "amara"]
"#;
        let (found, integrity) = lint(&[
            ("org.toml", org),
            ("acc.toml", ACCOUNTABLE),
            ("people.toml", PEOPLE),
        ]);
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn only_the_body_clause() {
        let org = r#"[organisation]
name = "Example"

[posts]
digital-services-director = "amara"
"#;
        let (found, integrity) = lint(&[
            ("org.toml", org),
            ("acc.toml", ACCOUNTABLE),
            ("people.toml", PEOPLE),
        ]);
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:5:29 LEAD002 digital services director `amara` is not a member or owner of a \
              layer-1 governance body with `area = \"executive\"`"
            ]
        );
    }

    #[test]
    fn unassigned_post_points_at_posts_then_organisation_then_nowhere() {
        let a = r#"[organisation]
name = "Example"
"#;
        let b = r#"
[posts]
chief-technology-officer = "grace"
"#;
        let message = "LEAD002 post `digital-services-director` is unassigned: name the person who leads \
                       digital services in `[posts]`";
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
    fn unknown_director_skips_everything() {
        let org = r#"[organisation]
name = "Example"

[posts]
digital-services-director = "amra"
"#;
        let (found, integrity) = lint(&[("org.toml", org), ("people.toml", PEOPLE)]);
        assert_eq!(integrity.len(), 1, "ORG001 for `amra`");
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn unknown_accountabilities_and_bodies_are_skipped() {
        // Shared budget (LEAD004), an unresolved spend-control holder
        // (ORG001), and a layer-1 executive body whose owner is unresolved:
        // the director might be it.
        let org = r#"[organisation]
name = "Example"

[posts]
digital-services-director = "amara"

[accountabilities]
digital-services = "amara"
spend-control = "amra"
budget = ["amara"]

[governance.board]
name = "Board"
area = "executive"
decision = "accountable-owner"
owner = "amra"
"#;
        let (found, integrity) = lint(&[("org.toml", org), ("people.toml", PEOPLE)]);
        assert_eq!(integrity.len(), 2, "ORG001 twice for `amra`: {integrity:?}");
        assert!(found.is_empty(), "{found:?}");

        // A layer-1 body with an invalid area that lists the director: unknown.
        let org = r#"[organisation]
name = "Example"

[posts]
digital-services-director = "amara"

[governance.board]
name = "Board"
area = "executiv"
decision = "accountable-owner"
owner = "amara"
"#;
        let (found, integrity) = lint(&[
            ("org.toml", org),
            ("acc.toml", ACCOUNTABLE),
            ("people.toml", PEOPLE),
        ]);
        assert_eq!(integrity.len(), 1, "ORG008 for the area: {integrity:?}");
        assert!(found.is_empty(), "{found:?}");

        // An executive body under an unknown parent is not at layer 1.
        let org = r#"[organisation]
name = "Example"

[posts]
digital-services-director = "amara"

[governance.board]
name = "Board"
parent = "ghost"
area = "executive"
decision = "accountable-owner"
owner = "amara"
"#;
        let (found, integrity) = lint(&[
            ("org.toml", org),
            ("acc.toml", ACCOUNTABLE),
            ("people.toml", PEOPLE),
        ]);
        assert_eq!(integrity.len(), 1, "ORG001 for `ghost`: {integrity:?}");
        assert_eq!(
            found,
            [
                "org.toml:5:29 LEAD002 digital services director `amara` is not a member or owner of a \
              layer-1 governance body with `area = \"executive\"`"
            ]
        );
    }
}
