//! OWN004 department-ownership: a service or team is `managed-by` a
//! supplier: an error for an IT project management intermediary, a warning
//! for any other kind of supplier.

use crate::diagnostic::{Diagnostic, EntityKind, Severity};
use crate::model::{Field, Ref, SupplierKind, Value, link, value};
use crate::rules::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for service in &cx.model.services {
        check_one(
            cx,
            out,
            EntityKind::Service,
            &service.id,
            &service.managed_by,
        );
    }
    for team in &cx.model.teams {
        check_one(cx, out, EntityKind::Team, &team.id, &team.managed_by);
    }
}

fn check_one(
    cx: &Context,
    out: &mut Vec<Diagnostic>,
    kind: EntityKind,
    id: &str,
    managed_by: &Option<Field<Ref>>,
) {
    let (Value::Known(s), Some(field)) = (link(managed_by), managed_by) else {
        return;
    };
    let Some(supplier) = cx.model.suppliers.get(s) else {
        return;
    };
    let Value::Known(supplier_kind) = value(&supplier.kind) else {
        return;
    };
    let mut d = cx
        .diagnostic(format!(
            "{} `{id}` is managed by the supplier `{}` ({}); bring its management into the department",
            kind.as_str(),
            supplier.id,
            supplier_kind.as_str()
        ))
        .at(field.span)
        .entity(kind, id)
        .key("managed-by")
        .help("a department that hands management to a supplier loses the knowledge needed to run, change or re-procure it (playbook §2)");
    if supplier_kind != SupplierKind::ItProjectManagement {
        d.severity = Severity::Warning;
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::testing::{assert_clean, run};

    const ORG: &str = r#"
[suppliers.central]
name = "Central IT Projects"
kind = "it-project-management"

[suppliers.partner]
name = "Partner"
kind = "delivery-partner"

[people.grace]
name = "Grace"
role = "service-owner"

[services.renew]
name = "Renew"
owner = "grace"
managed-by = "central"

[services.apply]
name = "Apply"
owner = "grace"

[teams.licensing]
name = "Licensing"
mode = "stability"
members = ["grace"]
managed-by = "partner"
"#;

    #[test]
    fn managed_services_and_teams() {
        let (found, integrity) = run(
            super::check,
            "OWN004",
            "department-ownership",
            &[],
            &[("org.toml", ORG)],
        );
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:17:14 OWN004 service `renew` is managed by the supplier `central` (it-project-management); bring its management into the department",
                "org.toml:27:14 OWN004 team `licensing` is managed by the supplier `partner` (delivery-partner); bring its management into the department",
            ]
        );
    }

    #[test]
    fn severity_depends_on_the_supplier_kind() {
        // The test harness's default severity is warning: check that the
        // IT project management finding keeps the rule's severity and the
        // other is lowered to warning, by running under an error default.
        let mut model_findings = Vec::new();
        let (defs, _) = crate::load::load_text(crate::source::FileId(0), ORG);
        let (model, _) = crate::model::resolve::resolve(vec![(crate::source::FileId(0), defs)]);
        let index = crate::rules::Index::build(&model);
        let sources = crate::source::SourceMap::new();
        let rule = crate::registry::RuleMeta {
            code: "OWN004".into(),
            name: "department-ownership".into(),
            severity: Severity::Error,
            summary: String::new(),
            rationale: String::new(),
            source: String::new(),
            help: None,
            pack: "test".into(),
            options: Vec::new(),
            example_fail: None,
            example_pass: None,
            implementation: crate::registry::Implementation::Native("department-ownership".into()),
        };
        let cx = crate::rules::Context {
            model: &model,
            index: &index,
            sources: &sources,
            rule: &rule,
            options: &[],
        };
        super::check(&cx, &mut model_findings);
        let severities: Vec<(String, Severity)> = model_findings
            .iter()
            .map(|d| {
                (
                    d.entity.as_ref().map_or(String::new(), |e| e.id.clone()),
                    d.severity,
                )
            })
            .collect();
        assert_eq!(
            severities,
            [
                ("renew".to_owned(), Severity::Error),
                ("licensing".to_owned(), Severity::Warning)
            ]
        );
    }

    #[test]
    fn unknown_supplier_or_kind_is_skipped() {
        let org = r#"
[suppliers.odd]
name = "Odd"
kind = "consultancy"

[teams.licensing]
name = "Licensing"
mode = "stability"
members = ["grace"]
managed-by = "odd"

[people.grace]
name = "Grace"
role = "service-owner"

[services.renew]
name = "Renew"
owner = "grace"
managed-by = "ghost"
"#;
        let (found, integrity) = run(
            super::check,
            "OWN004",
            "department-ownership",
            &[],
            &[("org.toml", org)],
        );
        assert_eq!(integrity.len(), 2, "ORG008 and ORG001: {integrity:?}");
        assert!(found.is_empty(), "{found:?}");
    }
}
