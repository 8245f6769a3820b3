//! OWN002 owner-decision-rights: a service with an owner does not give that
//! owner all of the product, business and technical decision rights (a
//! missing `decision-rights` counts as empty).

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::DecisionRight;
use crate::rules::Context;

const ALL: [DecisionRight; 3] = [
    DecisionRight::Product,
    DecisionRight::Business,
    DecisionRight::Technical,
];

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.services {
        // Any `owner` key counts, even one that did not resolve.
        if service.owner.is_none() {
            continue;
        }
        let (given, at) = match &service.decision_rights {
            None => (Vec::new(), None),
            Some(list) => {
                let Some(elements) = &list.value else {
                    continue;
                };
                let Some(given) = elements.iter().map(|e| e.value).collect::<Option<Vec<_>>>()
                else {
                    continue;
                };
                (given, Some(list.span))
            }
        };
        let missing: Vec<String> = ALL
            .iter()
            .filter(|r| !given.contains(r))
            .map(|r| format!("`{}`", r.as_str()))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let listed = match missing.as_slice() {
            [one] => one.clone(),
            [init @ .., last] => format!("{} or {last}", init.join(", ")),
            [] => String::new(),
        };
        let d = cx.diagnostic(format!(
            "service `{}` does not let its owner take {listed} decisions; add them to `decision-rights`",
            service.id
        ));
        let d = match at {
            Some(span) => d.at(span).key("decision-rights"),
            None => d.at(service.header),
        };
        out.push(
            d.entity(EntityKind::Service, &service.id)
                .help("an owner who must escalate product, business or technical choices is accountable in name only (playbook §4)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, run};

    #[test]
    fn missing_rights_are_listed() {
        let org = r#"
[people.grace]
name = "Grace"
role = "service-owner"

[services.renew]
name = "Renew"
owner = "grace"
decision-rights = ["product"]

[services.apply]
name = "Apply"
owner = "grace"

[services.report]
name = "Report"
owner = "grace"
decision-rights = ["technical", "product"]

[services.cancel]
name = "Cancel"
owner = "grace"
decision-rights = ["business", "technical", "product"]
"#;
        let (found, integrity) = run(
            super::check,
            "OWN002",
            "owner-decision-rights",
            &[],
            &[("org.toml", org)],
        );
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:9:19 OWN002 service `renew` does not let its owner take `business` or `technical` decisions; add them to `decision-rights`",
                "org.toml:11:1 OWN002 service `apply` does not let its owner take `product`, `business` or `technical` decisions; add them to `decision-rights`",
                "org.toml:18:19 OWN002 service `report` does not let its owner take `business` decisions; add them to `decision-rights`",
            ]
        );
    }

    #[test]
    fn skipped_without_owner() {
        let org = r#"
[services.renew]
name = "Renew"
decision-rights = ["product"]
"#;
        let (found, integrity) = run(
            super::check,
            "OWN002",
            "owner-decision-rights",
            &[],
            &[("org.toml", org)],
        );
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn unknown_owner_still_counts_but_invalid_rights_are_skipped() {
        let org = r#"
[services.renew]
name = "Renew"
owner = "ghost"

[services.apply]
name = "Apply"
owner = "ghost"
decision-rights = ["product", "legal"]

[services.report]
name = "Report"
owner = "ghost"
decision-rights = "product"
"#;
        let (found, integrity) = run(
            super::check,
            "OWN002",
            "owner-decision-rights",
            &[],
            &[("org.toml", org)],
        );
        assert_eq!(integrity.len(), 5, "3 x ORG001, 2 x ORG008: {integrity:?}");
        assert_eq!(
            found,
            [
                "org.toml:2:1 OWN002 service `renew` does not let its owner take `product`, `business` or `technical` decisions; add them to `decision-rights`"
            ]
        );
    }
}
