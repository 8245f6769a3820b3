//! The pipeline of one `orglint check` run: configuration and rule packs
//! ([`setup`]), then discover -> load -> resolve -> check -> suppress ->
//! filter and sort ([`check`]). Rendering is the caller's job.

mod setup;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

pub use setup::{Fatal, Setup, setup};

use crate::config::Settings;
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::discover;
use crate::load::{self, Input, LoadOptions};
use crate::model::{Model, resolve};
use crate::registry::{Implementation, RuleMeta};
use crate::report::Summary;
use crate::rules::{self, Index, Job, Native};
use crate::source::{FileId, SourceMap};
use crate::suppress::{self, Date, Lookup};

/// The result of a run.
#[derive(Debug)]
pub struct Outcome {
    pub sources: SourceMap,
    pub model: Model,
    /// Every finding, in report order, suppressed ones included.
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
    /// Problems met while discovering files (the run went on).
    pub warnings: Vec<String>,
    /// How long each stage took.
    pub timings: Timings,
}

/// Wall-clock time of each stage of a run.
#[derive(Clone, Debug, Default)]
pub struct Timings {
    pub discover: std::time::Duration,
    pub load: std::time::Duration,
    pub resolve: std::time::Duration,
    pub check: std::time::Duration,
    pub suppress: std::time::Duration,
}

impl Outcome {
    /// Whether a finding at or above `fail_on` remains (suppressed findings
    /// do not count); `None` never fails.
    pub fn fails(&self, fail_on: Option<Severity>) -> bool {
        fail_on.is_some_and(|t| {
            self.diagnostics
                .iter()
                .any(|d| d.suppressed.is_none() && d.severity >= t)
        })
    }
}

/// Runs the pipeline on `paths` (the current directory when empty).
pub fn check(setup: &Setup, paths: &[PathBuf], today: Date) -> Result<Outcome, Fatal> {
    let started = Instant::now();
    let paths: Vec<PathBuf> = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let settings = &setup.settings;
    let skip = setup.skip_files();
    let mut timings = Timings::default();
    let mut lap = Instant::now();
    let mut stage = |slot: &mut std::time::Duration| {
        let now = Instant::now();
        *slot = now - lap;
        lap = now;
    };
    let found = discover::discover(&paths, &settings.files.discover_options(skip))
        .map_err(|e| Fatal::Message(e.to_string()))?;
    let inputs: Vec<Input> = found
        .files
        .iter()
        .map(|f| Input {
            path: f.path.clone(),
            display: f.display.clone(),
        })
        .collect();
    let options = LoadOptions {
        max_file_size: settings.files.max_file_size,
    };
    stage(&mut timings.discover);
    let loaded = load::load(&inputs, &options);
    stage(&mut timings.load);
    let mut diagnostics = loaded.diagnostics;
    let files: Vec<_> = loaded
        .defs
        .into_iter()
        .enumerate()
        .map(|(i, d)| (FileId(i as u32), d))
        .collect();
    let (model, resolve_diags) = resolve::resolve(files);
    diagnostics.extend(resolve_diags);
    let sources = loaded.sources;
    stage(&mut timings.resolve);

    if sources.is_empty() {
        diagnostics.push(no_files(setup, &paths));
    }
    diagnostics.extend(setup.check_model_options(&model)?);

    let index = Index::build(&model);
    let jobs = jobs(setup);
    diagnostics.extend(rules::run(&model, &index, &sources, &jobs));
    diagnostics.extend(crate::cel::run(setup, &model, &sources));

    let by_code: HashMap<&str, usize> = setup
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (&*r.code, i))
        .collect();
    let mut diagnostics = apply_settings(settings, &sources, &by_code, diagnostics);
    stage(&mut timings.check);

    // Suppressions see only the findings of enabled rules.
    let scanned = suppress::scan_all(&sources);
    // A rule is enabled for a directive when it is for the directive's file
    // (`[[lint.overrides]]` may turn it off there): decisions.md 24.
    let lookup = |code: &str, file: FileId| match setup.rule_index(code) {
        Some(i) => Lookup::Rule {
            code: setup
                .rules
                .get(i)
                .map_or_else(String::new, |r| r.code.to_string()),
            enabled: match sources.get(file) {
                Some(f) => settings.rule_state(i, &f.display).is_some(),
                None => settings.enabled(i),
            },
        },
        None => Lookup::Unknown,
    };
    let metas = suppress::apply(&scanned, &mut diagnostics, &lookup, today);
    diagnostics.extend(apply_settings(settings, &sources, &by_code, metas));

    // Line indexes are built lazily; build those the sort and the reports
    // need in parallel, once.
    let mut files: Vec<_> = diagnostics
        .iter()
        .flat_map(|d| d.primary.iter().chain(&d.related))
        .map(|l| l.span.file)
        .collect();
    files.sort_unstable();
    files.dedup();
    {
        use rayon::prelude::*;
        files.par_iter().for_each(|&f| {
            if let Some(file) = sources.get(f) {
                file.line_starts();
            }
        });
    }
    diagnostic::sort(&sources, &mut diagnostics);
    stage(&mut timings.suppress);
    let summary = Summary {
        files: sources.len(),
        entities: model.entity_count(),
        suppressed: diagnostics
            .iter()
            .filter(|d| d.suppressed.is_some())
            .count(),
        baselined: 0,
        elapsed: started.elapsed(),
        notes: found.note.into_iter().collect(),
    };
    Ok(Outcome {
        sources,
        model,
        diagnostics,
        summary,
        warnings: found.warnings,
        timings,
    })
}

/// The native checks to run: every enabled rule (with overrides, every rule
/// that some file may enable; findings are filtered per file afterwards).
fn jobs(setup: &Setup) -> Vec<Job<'_>> {
    let settings = &setup.settings;
    setup
        .rules
        .iter()
        .enumerate()
        .filter(|(i, _)| settings.has_overrides() || settings.enabled(*i))
        .filter_map(|(i, rule)| {
            let Implementation::Native(name) = &rule.implementation else {
                return None;
            };
            let Some(Native::Check(check)) = rules::native(name) else {
                return None;
            };
            let options = rule
                .options
                .iter()
                .map(|o| (o.name.clone(), settings.option(i, &o.name).clone()))
                .collect();
            Some(Job {
                rule,
                check,
                options,
            })
        })
        .collect()
}

/// Drops the findings of rules disabled for their file and applies
/// configured severities (which replace every level a rule uses, OWN004's
/// two included).
fn apply_settings(
    settings: &Settings,
    sources: &SourceMap,
    by_code: &HashMap<&str, usize>,
    diagnostics: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    diagnostics
        .into_iter()
        .filter_map(|mut d| {
            let Some(&rule) = by_code.get(&*d.code) else {
                // Not a rule of this run (cannot happen for built-in codes).
                return Some(d);
            };
            let path = d
                .span()
                .and_then(|s| sources.get(s.file))
                .map_or("", |f| f.display.as_str());
            let state = if path.is_empty() {
                settings.enabled(rule).then(|| crate::config::RuleState {
                    severity: settings.severity(rule).unwrap_or(d.severity),
                    configured: settings.severity_configured(rule),
                })
            } else {
                settings.rule_state(rule, path)
            }?;
            if state.configured {
                d.severity = state.severity;
            }
            Some(d)
        })
        .collect()
}

fn no_files(setup: &Setup, paths: &[PathBuf]) -> Diagnostic {
    let shown: Vec<String> = paths
        .iter()
        .map(|p| format!("`{}`", p.display().to_string().replace('\\', "/")))
        .collect();
    let rule = setup.rule_index("ORG005").and_then(|i| setup.rules.get(i));
    let (code, name): (
        std::borrow::Cow<'static, str>,
        std::borrow::Cow<'static, str>,
    ) = match rule {
        Some(RuleMeta { code, name, .. }) => (code.clone(), name.clone()),
        None => ("ORG005".into(), "missing-organisation".into()),
    };
    Diagnostic::new(
        code,
        name,
        Severity::Error,
        format!("no org files under {}", shown.join(", ")),
    )
    .help("org files are the `.toml` files selected by `[files] include` in orglint.toml (default `**/*.toml`)")
}
