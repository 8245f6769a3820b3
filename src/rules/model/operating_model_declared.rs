//! MODEL001 operating-model-declared: `[organisation]` does not declare its
//! `operating-model`.

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::rules::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    // No `[organisation]` is ORG005's; an invalid value is ORG008's.
    let Some(org) = &cx.model.organisation else {
        return;
    };
    if org.operating_model.is_some() {
        return;
    }
    out.push(
        cx.diagnostic(
            "`[organisation]` does not declare its `operating-model`: add `operating-model = \"process\"`, \
             `\"enabling\"` or `\"product\"`",
        )
        .at(org.header)
        .entity(EntityKind::Organisation, "organisation")
        .help(
            "naming the operating model in use makes the move from process to product a decision \
             the organisation can see and check (operating models)",
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, run};

    fn lint(files: &[(&str, &str)]) -> (Vec<String>, Vec<crate::diagnostic::Diagnostic>) {
        run(
            super::check,
            "MODEL001",
            "operating-model-declared",
            &[],
            files,
        )
    }

    #[test]
    fn missing_operating_model_fires_at_the_header() {
        let org = "# the organisation\n[organisation]\nname = \"Example\"\n";
        let (found, integrity) = lint(&[("org.toml", org)]);
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:2:1 MODEL001 `[organisation]` does not declare its `operating-model`: add \
              `operating-model = \"process\"`, `\"enabling\"` or `\"product\"`"
            ]
        );
    }

    #[test]
    fn declared_operating_model_passes() {
        for model in ["process", "enabling", "product"] {
            let org =
                format!("[organisation]\nname = \"Example\"\noperating-model = \"{model}\"\n");
            let (found, integrity) = lint(&[("org.toml", &org)]);
            assert_clean(&integrity);
            assert!(found.is_empty(), "{found:?}");
        }
    }

    #[test]
    fn no_organisation_or_invalid_value_skips() {
        let (found, integrity) = lint(&[(
            "org.toml",
            "[people.a]\nname = \"A\"\nrole = \"software-developer\"\n",
        )]);
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");

        let org = "[organisation]\nname = \"Example\"\noperating-model = \"agile\"\n";
        let (found, integrity) = lint(&[("org.toml", org)]);
        assert_eq!(integrity.len(), 1, "ORG008 for `agile`: {integrity:?}");
        assert!(found.is_empty(), "{found:?}");
    }
}
