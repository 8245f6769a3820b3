//! NEED001 user-needs: a service does not list the user needs it meets
//! (`user-needs` missing, or an empty list).

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::rules::Context;

const HELP: &str = "a service is designed around the needs of its users, so write them down where \
                    every team can see them (playbook §5)";

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.services {
        let d = match &service.user_needs {
            None => cx
                .diagnostic(format!(
                    "service `{}` lists no user needs: add `user-needs` with the needs it meets",
                    service.id
                ))
                .at(service.header),
            Some(list) => match &list.value {
                Some(items) if items.is_empty() => cx
                    .diagnostic(format!(
                        "service `{}` has an empty `user-needs`: list the needs it meets",
                        service.id
                    ))
                    .at(list.span)
                    .key("user-needs"),
                // Not empty, or invalid (ORG008's).
                _ => continue,
            },
        };
        out.push(d.entity(EntityKind::Service, &service.id).help(HELP));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, run};

    fn lint(files: &[(&str, &str)]) -> (Vec<String>, Vec<crate::diagnostic::Diagnostic>) {
        run(super::check, "NEED001", "user-needs", &[], files)
    }

    #[test]
    fn missing_and_empty_user_needs() {
        let services = r#"[services.apply]
name = "Apply"

[services.renew]
name = "Renew"
user-needs = []

[services.pay]
name = "Pay"
user-needs = ["pay a fee online"]
"#;
        let (found, integrity) = lint(&[("services.toml", services)]);
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "services.toml:1:1 NEED001 service `apply` lists no user needs: add `user-needs` with the \
                 needs it meets",
                "services.toml:6:14 NEED001 service `renew` has an empty `user-needs`: list the needs it meets",
            ]
        );
    }

    #[test]
    fn listed_needs_pass() {
        let services = "[services.pay]\nname = \"Pay\"\nuser-needs = [\"pay a fee online\", \"get a receipt\"]\n";
        let (found, integrity) = lint(&[("services.toml", services)]);
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn invalid_user_needs_are_skipped() {
        // A wrong type, and a list whose only element is invalid: ORG008 only.
        for needs in ["\"pay a fee\"", "[1]"] {
            let services = format!("[services.pay]\nname = \"Pay\"\nuser-needs = {needs}\n");
            let (found, integrity) = lint(&[("services.toml", &services)]);
            assert_eq!(integrity.len(), 1, "{needs}: {integrity:?}");
            assert!(found.is_empty(), "{needs}: {found:?}");
        }
    }
}
