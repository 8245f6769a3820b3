//! OWN001 service-owner: a service has no `owner`. An owner that did not
//! resolve still counts as an owner (ORG001 reports it).

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::rules::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.services {
        if service.owner.is_some() {
            continue;
        }
        out.push(
            cx.diagnostic(format!(
                "service `{}` has no owner; add `owner = \"<person id>\"`",
                service.id
            ))
            .at(service.header)
            .entity(EntityKind::Service, &service.id)
            .help("a service needs one person who answers for all of it, across team boundaries (playbook §4; framework: service owner)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, run};

    #[test]
    fn service_without_owner() {
        let org = r#"
[people.grace]
name = "Grace"
role = "service-owner"

[services.renew-a-licence]
name = "Renew a licence"

[services.apply-for-a-licence]
name = "Apply for a licence"
owner = "grace"
"#;
        let (found, integrity) = run(
            super::check,
            "OWN001",
            "service-owner",
            &[],
            &[("org.toml", org)],
        );
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:6:1 OWN001 service `renew-a-licence` has no owner; add `owner = \"<person id>\"`"
            ]
        );
    }

    #[test]
    fn unresolved_or_invalid_owner_counts_as_an_owner() {
        let org = r#"
[services.renew-a-licence]
name = "Renew a licence"
owner = "ghost"

[services.apply-for-a-licence]
name = "Apply for a licence"
owner = 7
"#;
        let (found, integrity) = run(
            super::check,
            "OWN001",
            "service-owner",
            &[],
            &[("org.toml", org)],
        );
        assert_eq!(integrity.len(), 2, "ORG001 and ORG008: {integrity:?}");
        assert!(found.is_empty(), "{found:?}");
    }
}
