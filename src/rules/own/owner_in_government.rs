//! OWN003 owner-in-government: a service's owner is not a civil servant (a
//! person without `employment` is one by default).

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::{Employment, Value, link};
use crate::rules::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.services {
        let (Value::Known(p), Some(owner_field)) = (link(&service.owner), &service.owner) else {
            continue;
        };
        let Some(person) = cx.model.people.get(p) else {
            continue;
        };
        let Value::Known(employment) = person.employment() else {
            continue;
        };
        if employment == Employment::CivilServant {
            continue;
        }
        // Not the default, so the key is written.
        let Some(employment_field) = &person.employment else {
            continue;
        };
        let what = match employment {
            Employment::Contractor => "a contractor",
            _ => "supplier staff",
        };
        out.push(
            cx.diagnostic(format!(
                "service `{}` is owned by `{}`, who is {what}, not a civil servant; make a civil servant the owner",
                service.id, person.id
            ))
            .at(owner_field.span)
            .related(employment_field.span, format!("`{}` is {what}", person.id))
            .entity(EntityKind::Service, &service.id)
            .key("owner")
            .help("when someone outside the department owns a public service, control of it has moved outside government (playbook §2, §3)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, run};

    #[test]
    fn contractor_and_supplier_owners() {
        let org = r#"
[suppliers.acme]
name = "Acme"
kind = "delivery-partner"

[people.grace]
name = "Grace"
role = "service-owner"
employment = "contractor"

[people.joe]
name = "Joe"
role = "service-owner"
employment = "supplier"
supplier = "acme"

[people.ada]
name = "Ada"
role = "service-owner"

[people.lin]
name = "Lin"
role = "service-owner"
employment = "civil-servant"

[services.renew]
name = "Renew"
owner = "grace"

[services.apply]
name = "Apply"
owner = "joe"

[services.report]
name = "Report"
owner = "ada"

[services.cancel]
name = "Cancel"
owner = "lin"
"#;
        let (found, integrity) = run(
            super::check,
            "OWN003",
            "owner-in-government",
            &[],
            &[("org.toml", org)],
        );
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:28:9 OWN003 service `renew` is owned by `grace`, who is a contractor, not a civil servant; make a civil servant the owner [related: org.toml:9:14]",
                "org.toml:32:9 OWN003 service `apply` is owned by `joe`, who is supplier staff, not a civil servant; make a civil servant the owner [related: org.toml:14:14]",
            ]
        );
    }

    #[test]
    fn unknown_owner_or_employment_is_skipped() {
        let org = r#"
[people.grace]
name = "Grace"
role = "service-owner"
employment = "freelance"

[services.renew]
name = "Renew"
owner = "grace"

[services.apply]
name = "Apply"
owner = "ghost"
"#;
        let (found, integrity) = run(
            super::check,
            "OWN003",
            "owner-in-government",
            &[],
            &[("org.toml", org)],
        );
        assert_eq!(integrity.len(), 2, "ORG008 and ORG001: {integrity:?}");
        assert!(found.is_empty(), "{found:?}");
    }
}
