//! `orglint check`.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use orglint::baseline::Plan;
use orglint::config::{CliOverrides, FailOn};
use orglint::engine::{self, Fatal, Outcome, Setup};
use orglint::report::{self, RenderOptions, Report, Summary};
use orglint::suppress::Date;

use super::args::{CheckArgs, Cli};
use super::output::{self, Target};
use super::{FAILURE, FINDINGS, OK};

pub fn run(cli: &Cli, args: &CheckArgs) -> i32 {
    let targets = match output::targets(&args.formats) {
        Ok(t) => t,
        Err(message) => return fail(&message),
    };
    let fail_on_flag = match &args.fail_on {
        None => None,
        Some(s) => match FailOn::parse(s) {
            Some(f) => Some(f),
            None => {
                return fail(&format!(
                    "invalid `--fail-on {s}`: expected {}",
                    orglint::suggest::one_of(&FailOn::ALL)
                ));
            }
        },
    };
    let overrides = CliOverrides {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        fail_on: args.fail_on.clone(),
    };
    let first = args.paths.first().map(|p| p.as_path());
    let setup = match engine::setup(cli.config.as_deref(), first, &overrides) {
        Ok(s) => s,
        Err(fatal) => return fatal_exit(cli, fatal),
    };
    let baseline = match Plan::new(args.baseline.as_deref(), args.write_baseline.as_deref()) {
        Ok(b) => b,
        Err(e) => return fail(&e.to_string()),
    };
    let mut outcome = match lint(cli, &setup, &args.paths) {
        Ok(o) => o,
        Err(code) => return code,
    };
    // Between the engine and the reporters: baselined findings are left out
    // of every report and of the exit code.
    if let Err(e) = baseline.run(
        &mut outcome.diagnostics,
        &outcome.sources,
        &mut outcome.summary,
    ) {
        return fail(&e.to_string());
    }
    let mut stderr = io::stderr().lock();
    if std::env::var_os("ORGLINT_TIMINGS").is_some() {
        let t = &outcome.timings;
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
        let _ = writeln!(
            stderr,
            "timings: discover {:.1} ms, load {:.1} ms, resolve {:.1} ms, check {:.1} ms, suppress+sort {:.1} ms",
            ms(t.discover),
            ms(t.load),
            ms(t.resolve),
            ms(t.check),
            ms(t.suppress)
        );
    }
    for w in &outcome.warnings {
        let _ = writeln!(stderr, "warning: {w}");
    }
    let rules = output::run_rules(&setup, &outcome.diagnostics);
    let repo = output::work_trees();
    let report = Report {
        sources: &outcome.sources,
        diagnostics: &outcome.diagnostics,
        summary: &outcome.summary,
        tool_version: env!("CARGO_PKG_VERSION"),
        rules: &rules,
        model: Some(&outcome.model),
        repo: repo.as_ref(),
        config_path: setup.config_path.as_deref(),
        statistics: args.statistics,
    };
    let max_findings = setup.settings.max_findings;
    for target in &targets {
        let options = output::options(target, cli.color, cli.quiet, max_findings);
        if let Err(e) = write_target(target, &report, &options, args.statistics) {
            if e.kind() == io::ErrorKind::BrokenPipe {
                // `orglint check | head`: the reader went away; stop quietly.
                break;
            }
            let where_ = target
                .file
                .as_deref()
                .map_or("standard output".to_owned(), |f| {
                    format!("`{}`", f.display())
                });
            return fail(&format!("cannot write to {where_}: {e}"));
        }
    }
    // short's report is the finding lines only (byte-identical from run to
    // run); its summary, without the time, and its notes go to standard
    // error, once, unless a human report on standard output already has
    // them.
    let short_target = targets.iter().find(|t| t.format == output::Format::Short);
    let human_on_stdout = targets
        .iter()
        .any(|t| t.format == output::Format::Human && t.file.is_none());
    if let Some(target) = short_target
        && !human_on_stdout
    {
        let options = output::options(target, cli.color, cli.quiet, max_findings);
        let mut footer = Vec::new();
        let _ = report::short_footer(&report, &options, &mut footer);
        let _ = stderr.write_all(&footer);
    }
    let fail_on = match fail_on_flag {
        Some(f) => f.threshold(),
        None => setup.settings.fail_on,
    };
    // `--write-baseline` records the findings: that run succeeds.
    let code = if !baseline.writes() && outcome.fails(fail_on) {
        FINDINGS
    } else {
        OK
    };
    // The process ends here: freeing a government-sized model piece by
    // piece would only cost time (measured: 4% of a run on 17,000 people).
    std::mem::forget(outcome);
    code
}

fn write_target(
    target: &Target,
    report: &Report,
    options: &RenderOptions,
    statistics: bool,
) -> io::Result<()> {
    let mut buffer = Vec::with_capacity(64 * 1024);
    output::render(target.format, report, options, &mut buffer)?;
    if statistics && target.format.appends_statistics() {
        write_statistics(report, &mut buffer)?;
    }
    match &target.file {
        Some(path) => write_file(path, &buffer),
        None => {
            let mut stdout = io::stdout().lock();
            stdout.write_all(&buffer)?;
            stdout.flush()
        }
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    std::fs::write(path, bytes)
}

/// Counts per rule, most frequent first.
fn write_statistics(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    for c in orglint::report::statistics(report) {
        writeln!(
            out,
            "{:>6}  {:<9} {:<8} {}",
            c.count, c.code, c.severity, c.name
        )?;
    }
    Ok(())
}

/// Runs the engine for `check` and `graph`: today from the clock (or
/// `ORGLINT_TODAY`), and a time limit when a pack has CEL rules (see
/// `watchdog`). `Err` is the exit code, after saying why.
pub(super) fn lint(cli: &Cli, setup: &Setup, paths: &[PathBuf]) -> Result<Outcome, i32> {
    let today = Date::today().map_err(|message| fail(&message))?;
    let watchdog = match super::watchdog::limit() {
        Ok(limit) => limit
            .filter(|_| setup.has_cel_rules())
            .and_then(super::watchdog::Watchdog::arm),
        Err(message) => return Err(fail(&message)),
    };
    let outcome = engine::check(setup, paths, today).map_err(|fatal| fatal_exit(cli, fatal));
    drop(watchdog);
    outcome
}

/// Prints `error: message` on standard error; exit code 2.
pub(super) fn fail(message: &str) -> i32 {
    let _ = writeln!(io::stderr(), "error: {message}");
    FAILURE
}

/// Prints why the run could not go on, and exits 2.
pub fn fatal_exit(cli: &Cli, fatal: Fatal) -> i32 {
    match fatal {
        Fatal::Message(m) => fail(&m),
        Fatal::Diagnostics {
            sources,
            mut diagnostics,
        } => {
            orglint::diagnostic::sort(&sources, &mut diagnostics);
            let summary = Summary::default();
            let report = Report {
                sources: &sources,
                diagnostics: &diagnostics,
                summary: &summary,
                tool_version: env!("CARGO_PKG_VERSION"),
                rules: &[],
                model: None,
                repo: None,
                config_path: None,
                statistics: false,
            };
            let terminal = io::stderr().is_terminal();
            let options = RenderOptions {
                color: output::use_color(cli.color, terminal),
                width: output::width(terminal),
                quiet: true,
                max_findings: usize::MAX,
            };
            let mut buffer = Vec::new();
            let _ = report::human(&report, &options, &mut buffer);
            let mut stderr = io::stderr().lock();
            let _ = stderr.write_all(&buffer);
            let n = diagnostics.len();
            let _ = writeln!(
                stderr,
                "error: orglint cannot run: {n} configuration {}",
                if n == 1 { "error" } else { "errors" }
            );
            FAILURE
        }
    }
}
