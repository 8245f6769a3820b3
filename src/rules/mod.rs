//! The check stage: every built-in rule is a native check, one per file
//! under `src/rules/<family>/`, whose metadata (code, name, severity,
//! options, documentation) comes from the rule pack in `rules/`.
//!
//! A check reads the resolved [`Model`] and the [`Index`] built once for
//! all checks; it never parses and never rescans the model per entity.

pub mod gov;
pub mod index;
pub mod lead;
pub mod model;
pub mod need;
pub mod org;
pub mod own;
pub mod team;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::registry::{OptionValue, RuleMeta};
use crate::source::SourceMap;

/// The post three rules read (LEAD002, OWN005, GOV005).
pub const DIGITAL_SERVICES_DIRECTOR: &str = "digital-services-director";

pub use index::Index;

/// What a check sees.
pub struct Context<'a> {
    pub model: &'a Model,
    pub index: &'a Index,
    pub sources: &'a SourceMap,
    pub rule: &'a RuleMeta,
    /// The rule's options: configured values over the pack's defaults.
    pub options: &'a [(String, OptionValue)],
}

impl Context<'_> {
    /// A new finding of this rule at its default severity.
    pub fn diagnostic(&self, message: impl Into<String>) -> Diagnostic {
        let mut d = Diagnostic::new(
            self.rule.code.clone(),
            self.rule.name.clone(),
            self.rule.severity,
            message,
        );
        d.help = self.rule.help.clone();
        d
    }

    /// The value of an option (configured, else the pack's default).
    pub fn option(&self, name: &str) -> Option<&OptionValue> {
        self.options
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
            .or_else(|| {
                self.rule
                    .options
                    .iter()
                    .find(|o| o.name == name)
                    .map(|o| &o.default)
            })
    }

    pub fn int_option(&self, name: &str, default: i64) -> i64 {
        match self.option(name) {
            Some(OptionValue::Integer(i)) => *i,
            _ => default,
        }
    }

    pub fn float_option(&self, name: &str, default: f64) -> f64 {
        match self.option(name) {
            Some(OptionValue::Float(f)) => *f,
            Some(OptionValue::Integer(i)) => *i as f64,
            _ => default,
        }
    }
}

/// A native check.
pub type CheckFn = fn(&Context, &mut Vec<Diagnostic>);

/// How a built-in check name is carried out.
#[derive(Clone, Copy)]
pub enum Native {
    /// Reported while loading or resolving (ORG001, ORG002, ORG004, ORG008).
    Intrinsic,
    /// Reported by the suppression pass (META rules).
    Meta,
    Check(CheckFn),
}

/// The native check a pack's `check = "NAME"` names.
pub fn native(name: &str) -> Option<Native> {
    use Native::{Check, Intrinsic, Meta};
    Some(match name {
        "unknown-reference" | "duplicate-definition" | "unknown-role" | "invalid-file" => Intrinsic,
        "unused-suppression" | "suppression-without-reason" | "expired-suppression" => Meta,
        "reporting-cycle" => Check(org::reporting_cycle::check),
        "missing-organisation" => Check(org::missing_organisation::check),
        "lead-not-member" => Check(org::lead_not_member::check),
        "unassigned-person" => Check(org::unassigned_person::check),
        "single-professional-lead" => Check(lead::single_professional_lead::check),
        "digital-services-director" => Check(lead::digital_services_director::check),
        "chief-technology-officer" => Check(lead::chief_technology_officer::check),
        "shared-accountability" => Check(lead::shared_accountability::check),
        "leads-report-to-professional-lead" => {
            Check(lead::leads_report_to_professional_lead::check)
        }
        "governance-layers" => Check(gov::governance_layers::check),
        "stacked-consensus" => Check(gov::stacked_consensus::check),
        "accountable-owner" => Check(gov::accountable_owner::check),
        "overlapping-bodies" => Check(gov::overlapping_bodies::check),
        "spend-control-outside-director" => Check(gov::spend_control_outside_director::check),
        "service-owner" => Check(own::service_owner::check),
        "owner-decision-rights" => Check(own::owner_decision_rights::check),
        "owner-in-government" => Check(own::owner_in_government::check),
        "department-ownership" => Check(own::department_ownership::check),
        "owner-reports-to-director" => Check(own::owner_reports_to_director::check),
        "owner-overloaded" => Check(own::owner_overloaded::check),
        "core-roles" => Check(team::core_roles::check),
        "stability-innovation-split" => Check(team::stability_innovation_split::check),
        "government-in-control" => Check(team::government_in_control::check),
        "supplier-majority" => Check(team::supplier_majority::check),
        "team-without-service" => Check(team::team_without_service::check),
        "operating-model-declared" => Check(model::operating_model_declared::check),
        "project-funding-in-product-model" => Check(model::project_funding_in_product_model::check),
        "user-needs" => Check(need::user_needs::check),
        "best-value-procurement" => Check(need::best_value_procurement::check),
        _ => return None,
    })
}

/// A rule to run with its options.
pub struct Job<'a> {
    pub rule: &'a RuleMeta,
    pub check: CheckFn,
    pub options: Vec<(String, OptionValue)>,
}

/// Runs the checks in parallel; the result is in no particular order (the
/// caller sorts).
pub fn run(model: &Model, index: &Index, sources: &SourceMap, jobs: &[Job]) -> Vec<Diagnostic> {
    jobs.par_iter()
        .map(|job| {
            let cx = Context {
                model,
                index,
                sources,
                rule: job.rule,
                options: &job.options,
            };
            let mut out = Vec::new();
            (job.check)(&cx, &mut out);
            out
        })
        .flatten()
        .collect()
}

/// Test support: lint in-memory files with one check.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::registry::Implementation;
    use crate::source::{FileId, SourceFile};

    /// Loads `files` (name, text) as one organisation and runs `check` as
    /// rule `code`/`name` with `options` over the defaults. Returns the
    /// check's findings as `file:line:col CODE message` lines, sorted, and
    /// every integrity finding (ORG001/002/004/008) of load and resolve, so
    /// a test sees when its input is not what it meant.
    pub fn run(
        check: CheckFn,
        code: &'static str,
        name: &'static str,
        options: &[(&str, OptionValue)],
        files: &[(&str, &str)],
    ) -> (Vec<String>, Vec<Diagnostic>) {
        let mut sources = SourceMap::new();
        let mut defs = Vec::new();
        let mut integrity = Vec::new();
        for (i, (path, text)) in files.iter().enumerate() {
            let id = FileId(i as u32);
            let (d, diags) = crate::load::load_text(id, text);
            integrity.extend(diags);
            defs.push((id, d));
            sources.add(SourceFile::new(
                path.into(),
                (*path).to_owned(),
                (*text).to_owned(),
            ));
        }
        let (model, diags) = crate::model::resolve::resolve(defs);
        integrity.extend(diags);
        let index = Index::build(&model);
        let rule = RuleMeta {
            code: code.into(),
            name: name.into(),
            severity: Severity::Warning,
            summary: String::new(),
            rationale: String::new(),
            source: String::new(),
            help: None,
            pack: "test".into(),
            options: Vec::new(),
            example_fail: None,
            example_pass: None,
            implementation: Implementation::Native(name.into()),
        };
        let options: Vec<(String, OptionValue)> = options
            .iter()
            .map(|(n, v)| ((*n).to_owned(), v.clone()))
            .collect();
        let job = Job {
            rule: &rule,
            check,
            options,
        };
        let mut found = super::run(&model, &index, &sources, std::slice::from_ref(&job));
        crate::diagnostic::sort(&sources, &mut found);
        let lines = found.iter().map(|d| describe(&sources, d)).collect();
        (lines, integrity)
    }

    /// `file:line:col CODE message [related: file:line:col, ...]`.
    pub fn describe(sources: &SourceMap, d: &Diagnostic) -> String {
        let at = |span: crate::source::Span| {
            sources.get(span.file).map_or_else(String::new, |f| {
                let lc = f.line_col(span.start);
                format!("{}:{}:{}", f.display, lc.line, lc.column)
            })
        };
        let mut s = match d.span() {
            Some(span) => format!("{} {} {}", at(span), d.code, d.message),
            None => format!("- {} {}", d.code, d.message),
        };
        if !d.related.is_empty() {
            let related: Vec<String> = d.related.iter().map(|l| at(l.span)).collect();
            s.push_str(&format!(" [related: {}]", related.join(", ")));
        }
        s
    }

    /// Asserts that loading produced no integrity findings.
    pub fn assert_clean(integrity: &[Diagnostic]) {
        let codes: Vec<String> = integrity
            .iter()
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        assert!(
            codes.is_empty(),
            "unexpected integrity findings: {codes:#?}"
        );
    }
}
