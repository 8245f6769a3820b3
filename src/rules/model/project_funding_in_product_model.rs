//! MODEL002 project-funding-in-product-model: under
//! `operating-model = "product"`, a service is funded as a project.

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::{Funding, OperatingModel, Value, value};
use crate::rules::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(org) = &cx.model.organisation else {
        return;
    };
    let (Value::Known(OperatingModel::Product), Some(declared)) =
        (value(&org.operating_model), &org.operating_model)
    else {
        return;
    };
    for service in &cx.model.services {
        let (Value::Known(Funding::Project), Some(funding)) =
            (value(&service.funding), &service.funding)
        else {
            continue;
        };
        out.push(
            cx.diagnostic(format!(
                "service `{}` is funded as a project under the product operating model: fund it \
                 continuously (`funding = \"continuous\"`)",
                service.id
            ))
            .at(funding.span)
            .related(declared.span, "product operating model declared here")
            .entity(EntityKind::Service, &service.id)
            .key("funding")
            .help(
                "a product model keeps long-lived teams improving a service, which project funding \
                 ends when the project closes (operating models)",
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
            "MODEL002",
            "project-funding-in-product-model",
            &[],
            files,
        )
    }

    const SERVICES: &str = r#"[services.apply]
name = "Apply"
funding = "project"

[services.renew]
name = "Renew"
funding = "continuous"

[services.pay]
name = "Pay"
"#;

    #[test]
    fn project_funding_under_product_fires_at_the_value() {
        let org = "[organisation]\nname = \"Example\"\noperating-model = \"product\"\n";
        let (found, integrity) = lint(&[("org.toml", org), ("services.toml", SERVICES)]);
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "services.toml:3:11 MODEL002 service `apply` is funded as a project under the product \
              operating model: fund it continuously (`funding = \"continuous\"`) [related: org.toml:3:19]"
            ]
        );
    }

    #[test]
    fn other_models_pass() {
        for org in [
            "[organisation]\nname = \"Example\"\noperating-model = \"process\"\n",
            "[organisation]\nname = \"Example\"\noperating-model = \"enabling\"\n",
            "[organisation]\nname = \"Example\"\n",
        ] {
            let (found, integrity) = lint(&[("org.toml", org), ("services.toml", SERVICES)]);
            assert_clean(&integrity);
            assert!(found.is_empty(), "{found:?}");
        }
        let (found, integrity) = lint(&[("services.toml", SERVICES)]);
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn unknown_values_are_skipped() {
        // An invalid operating model.
        let org = "[organisation]\nname = \"Example\"\noperating-model = \"products\"\n";
        let (found, integrity) = lint(&[("org.toml", org), ("services.toml", SERVICES)]);
        assert_eq!(integrity.len(), 1, "{integrity:?}");
        assert!(found.is_empty(), "{found:?}");

        // An invalid funding value.
        let org = "[organisation]\nname = \"Example\"\noperating-model = \"product\"\n";
        let services = "[services.apply]\nname = \"Apply\"\nfunding = \"projects\"\n";
        let (found, integrity) = lint(&[("org.toml", org), ("services.toml", services)]);
        assert_eq!(integrity.len(), 1, "{integrity:?}");
        assert!(found.is_empty(), "{found:?}");
    }
}
