//! The check stage: every built-in rule is a native check, one per file
//! under `src/rules/<family>/`, whose metadata (code, name, severity,
//! options, documentation) comes from the rule pack in `rules/`.
//!
//! A check reads the resolved [`Model`] and the [`Index`] built once for
//! all checks; it never parses and never rescans the model per entity.

pub mod index;
pub mod org;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::registry::{OptionValue, RuleMeta};
use crate::source::SourceMap;

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
        "unknown-reference" | "duplicate-definition" | "unknown-role" | "invalid-file" => {
            Intrinsic
        }
        "unused-suppression" | "suppression-without-reason" | "expired-suppression" => Meta,
        "reporting-cycle" => Check(org::reporting_cycle::check),
        "missing-organisation" => Check(org::missing_organisation::check),
        "lead-not-member" => Check(org::lead_not_member::check),
        "unassigned-person" => Check(org::unassigned_person::check),
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
