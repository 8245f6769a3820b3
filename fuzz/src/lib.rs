//! The harness shared by the fuzz targets (`fuzz_targets/`) and by the
//! regression tests that replay what they found (`tests/fuzz_regressions.rs`
//! includes this file with `#[path]`, so it uses nothing but `orglint`,
//! `serde_json` and std).
//!
//! Every run goes through the real pipeline: the org files, config and rule
//! packs are written to a scratch directory (in `/dev/shm` when there is one)
//! and linted with `orglint::engine::{setup, check}`, exactly as `orglint
//! check` does, with every rule selected, a CEL pack that reads every key of
//! every kind, and every output format rendered. On top of "no panic", each
//! run asserts what must hold whatever the input:
//!
//! - every span lies inside its file, on character boundaries;
//! - the findings are in report order (sorting them again changes nothing);
//! - json and sarif are valid JSON, and every renderer succeeds;
//! - rendering is deterministic (twice, byte for byte), when asked.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use orglint::config::CliOverrides;
use orglint::diagnostic::Diagnostic;
use orglint::engine::{self, Fatal, Outcome, Setup};
use orglint::registry::RuleMeta;
use orglint::report::{self, RenderOptions, Report, Summary};
use orglint::source::SourceMap;
use orglint::suppress::Date;

/// "Today" of every run, so that `until` dates give the same answer on any day.
pub const TODAY: &str = "2026-06-01";

/// Separates the files of a multi-file input (`org_files`): a TOML comment
/// on its own line, so that a seed made of several files still reads as TOML.
pub const FILE_SEPARATOR: &[u8] = b"\n#%%\n";

/// At most this many files in a multi-file input; the rest stays in the last.
pub const MAX_FILES: usize = 8;

/// The example department, embedded so that the harness needs no fixture
/// directory at run time: (path below the org directory, text).
pub const EXAMPLE: &[(&str, &str)] = &[
    (
        "organisation.toml",
        include_str!("../../fixtures/example/organisation.toml"),
    ),
    (
        "governance.toml",
        include_str!("../../fixtures/example/governance.toml"),
    ),
    (
        "services.toml",
        include_str!("../../fixtures/example/services.toml"),
    ),
];

/// The acme CEL pack of the fixtures.
pub const ACME_PACK: &str = include_str!("../../fixtures/packs/acme/rules/acme.toml");

/// A CEL pack whose rules read every key of every kind and every part of
/// `org`, so that fuzzed organisations reach the CEL bindings and the
/// evaluator (including runtime errors: indexing a map by an absent key).
pub const PROBE_PACK: &str = include_str!("../seeds/pack/probe.toml");
/// The config of the org-file targets: every rule, both CEL packs.
pub const FULL_CONFIG: &str = r#"
[lint]
select = ["ALL"]
packs = ["rules/acme.toml", "rules/probe.toml"]
max-findings = 1000000
"#;

/// A scratch directory: `orglint.toml`, `rules/` (packs) and `org/` (the org
/// files). Removed on drop.
pub struct Workspace {
    root: PathBuf,
}

impl Workspace {
    /// A fresh, empty workspace (unique in this process).
    pub fn new(tag: &str) -> Workspace {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let root = base.join(format!("orglint-fuzz-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("org")).expect("create the workspace");
        std::fs::create_dir_all(root.join("rules")).expect("create the workspace");
        Workspace { root }
    }

    /// A workspace with the full config, both CEL packs and an empty `org/`.
    pub fn full(tag: &str) -> Workspace {
        let ws = Workspace::new(tag);
        ws.write("orglint.toml", FULL_CONFIG.as_bytes());
        ws.write("rules/acme.toml", ACME_PACK.as_bytes());
        ws.write("rules/probe.toml", PROBE_PACK.as_bytes());
        ws
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn org_dir(&self) -> PathBuf {
        self.root.join("org")
    }

    pub fn config_path(&self) -> PathBuf {
        self.root.join("orglint.toml")
    }

    /// Writes `rel` below the root, creating directories.
    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create a directory");
        }
        std::fs::write(&path, bytes).expect("write a file");
    }

    /// Replaces the org files with `files` (`org/f0.toml`, `org/f1.toml`, ...).
    pub fn set_org(&self, files: &[&[u8]]) {
        let org = self.org_dir();
        let _ = std::fs::remove_dir_all(&org);
        std::fs::create_dir_all(&org).expect("create org/");
        for (i, bytes) in files.iter().enumerate() {
            std::fs::write(org.join(format!("f{i}.toml")), bytes).expect("write an org file");
        }
    }

    /// Replaces the org files with the example department.
    pub fn set_example_org(&self) {
        let files: Vec<&[u8]> = EXAMPLE.iter().map(|(_, t)| t.as_bytes()).collect();
        self.set_org(&files);
    }

    /// Reads the config and packs of this workspace.
    pub fn setup(&self) -> Result<Setup, Fatal> {
        engine::setup(
            Some(&self.config_path()),
            Some(&self.root),
            &CliOverrides::default(),
        )
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// Splits a multi-file input at [`FILE_SEPARATOR`], into at most
/// [`MAX_FILES`] files.
pub fn split_files(data: &[u8]) -> Vec<&[u8]> {
    let mut files = Vec::new();
    let mut rest = data;
    while files.len() + 1 < MAX_FILES {
        match find(rest, FILE_SEPARATOR) {
            Some(at) => {
                files.push(&rest[..at]);
                rest = &rest[at + FILE_SEPARATOR.len()..];
            }
            None => break,
        }
    }
    files.push(rest);
    files
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn today() -> Date {
    Date::parse(TODAY).expect("TODAY is a date")
}

/// Lints the org files in `ws/org` with `setup`, checks the invariants and
/// renders every format. Returns the outcome and the rendered outputs.
/// With `all_rules`, SARIF describes every enabled rule, as the CLI does;
/// else only those that found something.
pub fn check_and_render(
    setup: &Setup,
    ws: &Workspace,
    all_rules: bool,
) -> Option<(Outcome, Vec<Rendered>)> {
    let mut outcome = match engine::check(setup, &[ws.org_dir()], today()) {
        Ok(o) => o,
        // A config error that depends on the model (TEAM001 `require`).
        Err(fatal) => {
            render_fatal(&fatal);
            return None;
        }
    };
    outcome.summary.elapsed = Duration::ZERO;
    assert_invariants(&outcome.sources, &outcome.diagnostics);
    let rendered = render_all(setup, &outcome, all_rules);
    Some((outcome, rendered))
}

/// Org files of arbitrary bytes, with every rule (targets `org_file` and
/// `org_files`). SARIF lists only the rules that found something: the
/// descriptions of the others do not depend on the input, and rendering them
/// would take most of the time of a run.
pub fn fuzz_org_files(setup: &Setup, ws: &Workspace, files: &[&[u8]]) {
    ws.set_org(files);
    check_and_render(setup, ws, false);
}

/// An arbitrary `orglint.toml` over the example department (target
/// `config`). The acme and probe packs lie at `rules/`, for `packs` to name.
pub fn fuzz_config(ws: &Workspace, config: &[u8]) {
    ws.write("orglint.toml", config);
    match ws.setup() {
        Ok(setup) => {
            check_and_render(&setup, ws, true);
        }
        Err(fatal) => render_fatal(&fatal),
    }
}

/// An arbitrary rule pack, loaded by a config that selects every rule, over
/// the example department (target `pack`).
pub fn fuzz_pack(ws: &Workspace, pack: &[u8]) {
    ws.write("rules/fuzz.toml", pack);
    ws.write(
        "orglint.toml",
        b"[lint]\nselect = [\"ALL\"]\npacks = [\"rules/fuzz.toml\"]\nmax-findings = 1000000\n",
    );
    // Straight through the pack loader and the CEL compiler too, as an
    // editor integration would.
    if let Ok(text) = std::str::from_utf8(pack)
        && let Ok(p) = orglint::pack::load_pack(orglint::source::FileId(0), text, "fuzz.toml")
    {
        let _ = orglint::cel::compile(&[p]);
    }
    match ws.setup() {
        Ok(setup) => {
            check_and_render(&setup, ws, true);
        }
        Err(fatal) => render_fatal(&fatal),
    }
}

/// A workspace for `fuzz_config`/`fuzz_pack`: the example department and the
/// two CEL packs.
pub fn example_workspace(tag: &str) -> Workspace {
    let ws = Workspace::full(tag);
    ws.set_example_org();
    ws
}

/// Asserts what must hold of any run's findings.
pub fn assert_invariants(sources: &SourceMap, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        let spans = d.span().into_iter().chain(d.related.iter().map(|l| l.span));
        for span in spans {
            let file = sources
                .get(span.file)
                .unwrap_or_else(|| panic!("{}: span in an unknown file {:?}", d.code, span.file));
            let (start, end) = (span.start as usize, span.end as usize);
            assert!(
                start <= end && end <= file.text.len(),
                "{} `{}`: span {start}..{end} outside its file of {} bytes",
                d.code,
                d.message,
                file.text.len()
            );
            assert!(
                file.text.is_char_boundary(start) && file.text.is_char_boundary(end),
                "{} `{}`: span {start}..{end} not on character boundaries",
                d.code,
                d.message
            );
        }
    }
    let mut sorted: Vec<Diagnostic> = diagnostics.to_vec();
    orglint::diagnostic::sort(sources, &mut sorted);
    let key = |d: &Diagnostic| (d.code.to_string(), d.message.clone(), d.span());
    let before: Vec<_> = diagnostics.iter().map(key).collect();
    let after: Vec<_> = sorted.iter().map(key).collect();
    assert!(before == after, "findings are not in report order");
}

/// One rendered report.
pub struct Rendered {
    pub format: &'static str,
    pub bytes: Vec<u8>,
}

/// The rules a run reports on: every enabled rule and every rule that found
/// something (as the CLI's SARIF driver lists them).
pub fn run_rules(setup: &Setup, diagnostics: &[Diagnostic], all_rules: bool) -> Vec<RuleMeta> {
    let found: std::collections::HashSet<&str> = diagnostics.iter().map(|d| &*d.code).collect();
    setup
        .rules
        .iter()
        .enumerate()
        .filter(|(i, r)| (all_rules && setup.settings.enabled(*i)) || found.contains(&*r.code))
        .map(|(_, r)| r.clone())
        .collect()
}

/// Renders every format (human twice: plain and coloured, narrow), asserting
/// that each succeeds and that json and sarif are valid JSON.
pub fn render_all(setup: &Setup, outcome: &Outcome, all_rules: bool) -> Vec<Rendered> {
    let rules = run_rules(setup, &outcome.diagnostics, all_rules);
    let report = Report {
        sources: &outcome.sources,
        diagnostics: &outcome.diagnostics,
        summary: &outcome.summary,
        tool_version: "0.0.0-fuzz",
        rules: &rules,
        model: Some(&outcome.model),
        repo: None,
        config_path: setup.config_path.as_deref(),
        statistics: true,
    };
    render_report(&report)
}

/// Renders `report` in every format.
pub fn render_report(report: &Report) -> Vec<Rendered> {
    let plain = RenderOptions::default();
    let coloured = RenderOptions {
        color: true,
        width: 40,
        quiet: false,
        max_findings: 50,
    };
    let mut out = Vec::new();
    let mut emit = |format: &'static str, f: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
        let mut bytes = Vec::new();
        f(&mut bytes).unwrap_or_else(|e| panic!("{format}: rendering failed: {e}"));
        out.push(Rendered { format, bytes });
    };
    emit("human", &|b| report::human(report, &plain, b));
    emit("human-colour", &|b| report::human(report, &coloured, b));
    emit("short", &|b| report::short(report, &plain, b));
    emit("json", &|b| report::json(report, b));
    emit("sarif", &|b| report::sarif(report, b));
    emit("github", &|b| report::github(report, b));
    emit("junit", &|b| report::junit(report, b));
    emit("markdown", &|b| report::markdown(report, b));
    // One finding a line in short (quiet: no summary, no notes) and github,
    // whatever the values hold: newlines in them must be escaped.
    let shown = report
        .diagnostics
        .iter()
        .filter(|d| d.suppressed.is_none())
        .count();
    let quiet = RenderOptions {
        quiet: true,
        max_findings: usize::MAX,
        ..RenderOptions::default()
    };
    let mut lines = Vec::new();
    report::short(report, &quiet, &mut lines).expect("short, quiet");
    let text = String::from_utf8_lossy(&lines);
    assert_eq!(
        text.lines().count(),
        shown,
        "short -q: not one line per finding:\n{text}"
    );
    for r in &out {
        if r.format == "github" {
            let text = String::from_utf8_lossy(&r.bytes);
            assert_eq!(
                text.lines().count(),
                shown,
                "github: not one line per finding:\n{text}"
            );
            for line in text.lines() {
                assert!(
                    line.starts_with("::"),
                    "github: not a workflow command: {line:?}"
                );
            }
        }
        if (r.format == "json" || r.format == "sarif")
            && let Err(e) = serde_json::from_slice::<serde_json::Value>(&r.bytes)
        {
            panic!("{}: not valid JSON: {e}", r.format);
        }
    }
    out
}

/// Renders the errors of a config or pack that could not be used, as the
/// CLI does (human, with spans into those files).
pub fn render_fatal(fatal: &Fatal) {
    if let Fatal::Diagnostics {
        sources,
        diagnostics,
    } = fatal
    {
        let mut diagnostics = diagnostics.clone();
        orglint::diagnostic::sort(sources, &mut diagnostics);
        let diagnostics = &diagnostics[..];
        for d in diagnostics {
            if let Some(span) = d.span() {
                let file = sources.get(span.file).expect("a config error's file");
                assert!(
                    span.end as usize <= file.text.len()
                        && file.text.is_char_boundary(span.start as usize)
                        && file.text.is_char_boundary(span.end as usize),
                    "config error `{}`: bad span {span:?}",
                    d.message
                );
            }
        }
        let summary = Summary::default();
        let report = Report {
            sources,
            diagnostics,
            summary: &summary,
            tool_version: "0.0.0-fuzz",
            rules: &[],
            model: None,
            repo: None,
            config_path: None,
            statistics: false,
        };
        let options = RenderOptions {
            quiet: true,
            max_findings: usize::MAX,
            ..RenderOptions::default()
        };
        let mut bytes = Vec::new();
        report::human(&report, &options, &mut bytes).expect("rendering config errors");
    }
}
