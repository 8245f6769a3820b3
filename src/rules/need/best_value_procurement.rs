//! NEED002 best-value-procurement: a service's technology is chosen for best
//! value (`procurement = "best-value"`) rather than for its users' needs.

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::{Procurement, Value, value};
use crate::rules::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.services {
        let (Value::Known(Procurement::BestValue), Some(field)) =
            (value(&service.procurement), &service.procurement)
        else {
            continue;
        };
        out.push(
            cx.diagnostic(format!(
                "service `{}` procures for best value: choose its technology by user needs \
                 (`procurement = \"user-needs\"`)",
                service.id
            ))
            .at(field.span)
            .entity(EntityKind::Service, &service.id)
            .key("procurement")
            .help(
                "the cheapest bid is rarely the one that meets users' needs: procure against them \
                 (playbook §5)",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, run};

    fn lint(files: &[(&str, &str)]) -> (Vec<String>, Vec<crate::diagnostic::Diagnostic>) {
        run(
            super::check,
            "NEED002",
            "best-value-procurement",
            &[],
            files,
        )
    }

    #[test]
    fn best_value_fires_at_the_value() {
        let services = r#"[services.apply]
name = "Apply"
procurement = "best-value"

[services.pay]
name = "Pay"
procurement = "user-needs"

[services.renew]
name = "Renew"
"#;
        let (found, integrity) = lint(&[("services.toml", services)]);
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "services.toml:3:15 NEED002 service `apply` procures for best value: choose its technology \
              by user needs (`procurement = \"user-needs\"`)"
            ]
        );
    }

    #[test]
    fn user_needs_procurement_passes() {
        let services = "[services.pay]\nname = \"Pay\"\nprocurement = \"user-needs\"\n";
        let (found, integrity) = lint(&[("services.toml", services)]);
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn invalid_procurement_is_skipped() {
        let services = "[services.pay]\nname = \"Pay\"\nprocurement = \"best-values\"\n";
        let (found, integrity) = lint(&[("services.toml", services)]);
        assert_eq!(integrity.len(), 1, "{integrity:?}");
        assert!(found.is_empty(), "{found:?}");
    }
}
