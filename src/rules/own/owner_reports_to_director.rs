//! OWN005 owner-reports-to-director: a service with `internal-systems = true`
//! has an owner whose `reports-to` chain does not reach the holder of
//! `posts.digital-services-director` (the director themself counts as
//! reaching). Skipped when the post is unassigned or the chain is unknown.

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::{Value, link};
use crate::rules::{Context, DIGITAL_SERVICES_DIRECTOR};

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some((director, _)) = cx.model.post_holder(DIGITAL_SERVICES_DIRECTOR) else {
        return;
    };
    // Most organisations have no internal-systems service: then there is
    // nothing to walk.
    if !cx
        .model
        .services
        .iter()
        .any(|s| s.internal_systems() == Value::Known(true))
    {
        return;
    }
    let director_id = cx.model.person_id(director);
    // Memoised for everyone at once: many services owned deep in one long
    // chain stay linear.
    let reaches = cx.index.reaching(cx.model, director);
    for service in &cx.model.services {
        if service.internal_systems() != Value::Known(true) {
            continue;
        }
        let (Value::Known(owner), Some(owner_field)) = (link(&service.owner), &service.owner)
        else {
            continue;
        };
        if reaches.get(owner) != Some(false) {
            continue;
        }
        let owner_id = cx.model.person_id(owner);
        out.push(
            cx.diagnostic(format!(
                "service `{}` relies on internal systems, but its owner `{owner_id}` does not report \
                 to the digital services director `{director_id}`; set `reports-to` so that \
                 `{owner_id}`'s line reaches `{director_id}`",
                service.id
            ))
            .at(owner_field.span)
            .entity(EntityKind::Service, &service.id)
            .key("owner")
            .help("changes to internal systems need the backing of the person who leads digital services (playbook §1)"),
        );
    }
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

[people.grace]
name = "Grace"
role = "service-owner"
reports-to = "amara"

[people.joe]
name = "Joe"
role = "service-owner"
reports-to = "grace"

[people.kim]
name = "Kim"
role = "service-owner"

[people.lee]
name = "Lee"
role = "service-owner"
reports-to = "kim"
"#;

    #[test]
    fn owners_outside_the_directors_line() {
        let services = r#"
[services.renew]
name = "Renew"
owner = "kim"
internal-systems = true

[services.apply]
name = "Apply"
owner = "lee"
internal-systems = true

[services.report]
name = "Report"
owner = "joe"
internal-systems = true

[services.cancel]
name = "Cancel"
owner = "amara"
internal-systems = true

[services.browse]
name = "Browse"
owner = "lee"
internal-systems = false

[services.book]
name = "Book"
owner = "lee"
"#;
        let (found, integrity) = run(
            super::check,
            "OWN005",
            "owner-reports-to-director",
            &[],
            &[("people.toml", PEOPLE), ("services.toml", services)],
        );
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "services.toml:4:9 OWN005 service `renew` relies on internal systems, but its owner `kim` does not report to the digital services director `amara`; set `reports-to` so that `kim`'s line reaches `amara`",
                "services.toml:9:9 OWN005 service `apply` relies on internal systems, but its owner `lee` does not report to the digital services director `amara`; set `reports-to` so that `lee`'s line reaches `amara`",
            ]
        );
    }

    #[test]
    fn skipped_without_a_director() {
        let org = r#"
[people.kim]
name = "Kim"
role = "service-owner"

[services.renew]
name = "Renew"
owner = "kim"
internal-systems = true
"#;
        let (found, integrity) = run(
            super::check,
            "OWN005",
            "owner-reports-to-director",
            &[],
            &[("org.toml", org)],
        );
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");
        let post = "[posts]\ndigital-services-director = \"ghost\"\n";
        let (found, integrity) = run(
            super::check,
            "OWN005",
            "owner-reports-to-director",
            &[],
            &[("org.toml", org), ("posts.toml", post)],
        );
        assert_eq!(integrity.len(), 1, "ORG001 for ghost: {integrity:?}");
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn unknown_chains_owners_and_flags_are_skipped() {
        let org = r#"
[posts]
digital-services-director = "amara"

[people.amara]
name = "Amara"
role = "chief-digital-and-information-officer"

[people.kim]
name = "Kim"
role = "service-owner"
reports-to = "ghost"

[people.x]
name = "X"
role = "service-owner"
reports-to = "y"

[people.y]
name = "Y"
role = "service-owner"
reports-to = "x"

[people.z]
name = "Z"
role = "service-owner"
reports-to = "y"

[services.renew]
name = "Renew"
owner = "kim"
internal-systems = true

[services.apply]
name = "Apply"
owner = "z"
internal-systems = true

[services.report]
name = "Report"
owner = "nobody"
internal-systems = true

[services.book]
name = "Book"
owner = "z"
internal-systems = "yes"
"#;
        let (found, integrity) = run(
            super::check,
            "OWN005",
            "owner-reports-to-director",
            &[],
            &[("org.toml", org)],
        );
        assert_eq!(integrity.len(), 3, "2 x ORG001, ORG008: {integrity:?}");
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn many_services_deep_in_a_long_chain() {
        let n = 5_000;
        let mut org = String::from(
            "[posts]\ndigital-services-director = \"d\"\n[people.d]\nname = \"D\"\nrole = \"service-owner\"\n",
        );
        for i in 0..n {
            org.push_str(&format!(
                "[people.p{i}]\nname = \"P\"\nrole = \"service-owner\"\n"
            ));
            if i > 0 {
                org.push_str(&format!("reports-to = \"p{}\"\n", i - 1));
            }
            org.push_str(&format!(
                "[services.s{i}]\nname = \"S\"\nowner = \"p{}\"\ninternal-systems = true\n",
                n - 1
            ));
        }
        let (found, integrity) = run(
            super::check,
            "OWN005",
            "owner-reports-to-director",
            &[],
            &[("org.toml", &org)],
        );
        assert_clean(&integrity);
        assert_eq!(found.len(), n);
    }
}
