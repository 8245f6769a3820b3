//! OWN006 owner-overloaded: one person owns more services than the
//! `max-services` option allows (default 3).

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::rules::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let max = cx.int_option("max-services", 3);
    let services = &cx.model.services;
    for (p, person) in cx.model.people.iter().enumerate() {
        let Some(owned) = cx.index.person_services.get(p) else {
            continue;
        };
        let count = i64::try_from(owned.len()).unwrap_or(i64::MAX);
        if count <= max {
            continue;
        }
        let mut d = cx
            .diagnostic(format!(
                "`{}` owns {count} services, more than the allowed {max}; share them out among more owners",
                person.id
            ))
            .at(person.header)
            .entity(EntityKind::Person, &person.id)
            .help("an owner of many services cannot give each the attention ownership needs (framework: service owner; playbook §4)");
        for &(s, span) in owned {
            let id = services.get(s).map_or("", |s| s.id.as_str());
            d = d.related(span, format!("owner of `{id}`"));
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::registry::OptionValue;
    use crate::rules::testing::{assert_clean, run};

    const ORG: &str = r#"
[people.grace]
name = "Grace"
role = "service-owner"

[people.joe]
name = "Joe"
role = "service-owner"

[services.renew]
name = "Renew"
owner = "grace"

[services.apply]
name = "Apply"
owner = "grace"

[services.report]
name = "Report"
owner = "grace"

[services.cancel]
name = "Cancel"
owner = "grace"

[services.browse]
name = "Browse"
owner = "joe"

[services.book]
name = "Book"
owner = "joe"
"#;

    #[test]
    fn fires_above_the_maximum() {
        let (found, integrity) = run(
            super::check,
            "OWN006",
            "owner-overloaded",
            &[],
            &[("org.toml", ORG)],
        );
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:2:1 OWN006 `grace` owns 4 services, more than the allowed 3; share them out among more owners [related: org.toml:12:9, org.toml:16:9, org.toml:20:9, org.toml:24:9]"
            ]
        );
    }

    #[test]
    fn max_services_option() {
        let opts = [("max-services", OptionValue::Integer(4))];
        let (found, _) = run(
            super::check,
            "OWN006",
            "owner-overloaded",
            &opts,
            &[("org.toml", ORG)],
        );
        assert!(found.is_empty(), "{found:?}");
        let opts = [("max-services", OptionValue::Integer(1))];
        let (found, _) = run(
            super::check,
            "OWN006",
            "owner-overloaded",
            &opts,
            &[("org.toml", ORG)],
        );
        assert_eq!(
            found,
            [
                "org.toml:2:1 OWN006 `grace` owns 4 services, more than the allowed 1; share them out among more owners [related: org.toml:12:9, org.toml:16:9, org.toml:20:9, org.toml:24:9]",
                "org.toml:6:1 OWN006 `joe` owns 2 services, more than the allowed 1; share them out among more owners [related: org.toml:28:9, org.toml:32:9]",
            ]
        );
    }

    #[test]
    fn unresolved_owners_are_not_counted() {
        let org = r#"
[services.renew]
name = "Renew"
owner = "ghost"

[services.apply]
name = "Apply"
owner = "ghost"

[services.report]
name = "Report"
owner = "ghost"

[services.cancel]
name = "Cancel"
owner = "ghost"
"#;
        let (found, integrity) = run(
            super::check,
            "OWN006",
            "owner-overloaded",
            &[],
            &[("org.toml", org)],
        );
        assert_eq!(integrity.len(), 4, "ORG001 x 4: {integrity:?}");
        assert!(found.is_empty(), "{found:?}");
    }
}
