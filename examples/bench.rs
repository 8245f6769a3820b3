//! The benchmark suite (issue 5). Run it with `scripts/bench.sh`, which
//! builds the release binary and the examples first:
//!
//!     scripts/bench.sh                 # 1.7k, 17k and 170k people
//!     scripts/bench.sh 17k             # one size
//!     scripts/bench.sh 17k --runs 20   # more runs (best of N)
//!
//! For each size it generates an organisation (the generator of
//! `examples/genorg.rs`; 425 people per directorate file) into a temporary
//! directory and times, best of N:
//!
//! - (a) the floor: reading and parsing every file with the `toml` crate on
//!   one thread, no spans, no model (in this process);
//! - (b) `orglint check --format json` end to end, by spawning the release
//!   binary (wall time), and its peak memory (`/usr/bin/time -f %M`, else
//!   `VmHWM` of a child running the check in-process);
//! - (c) each stage of the library's pipeline in this process (the
//!   `engine::check` timings: discover, load, resolve, check, suppress+sort)
//!   and the rendering of the report in json and human format;
//!
//! and checks that the findings are exactly the planted violations. Then it
//! times rendering 10,000 diagnostics in human format, and 10 CEL rules over
//! 17k people (if the CEL engine accepts the pack).
//!
//! Flags: `--runs N` (every size), `--bin PATH` (the orglint binary; default
//! `../orglint` next to this example), `--keep DIR` (generate into DIR and
//! keep it).

#[path = "support/genorg_core.rs"]
mod genorg_core;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The binary's allocator, so that the in-process stages measure what
/// `orglint check` runs (see src/main.rs).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use orglint::config::CliOverrides;
use orglint::diagnostic::Severity;
use orglint::engine::{self, Fatal, Outcome, Setup, Timings};
use orglint::registry::Implementation;
use orglint::report::{self, RenderOptions, Report};
use orglint::suppress::Date;

/// People per directorate file (170k people: 400 files).
const PEOPLE_PER_DIRECTORATE: usize = 425;

/// The org for the 10,000-diagnostic rendering: every team planted.
const FINDINGS_ORG_PEOPLE: usize = 45_000;
const RENDERED_DIAGNOSTICS: usize = 10_000;

struct Args {
    sizes: Vec<usize>,
    runs: Option<usize>,
    bin: PathBuf,
    keep: Option<PathBuf>,
}

fn parse_size(s: &str) -> Option<usize> {
    let s = s.trim().to_ascii_lowercase().replace(['_', ','], "");
    let (number, scale) = match s.strip_suffix('k') {
        Some(n) => (n, 1_000.0),
        None => match s.strip_suffix('m') {
            Some(n) => (n, 1_000_000.0),
            None => (s.as_str(), 1.0),
        },
    };
    let n: f64 = number.parse().ok()?;
    let people = (n * scale).round();
    (10.0..=10_000_000.0)
        .contains(&people)
        .then_some(people as usize)
}

fn usage(message: &str) -> ! {
    eprintln!("error: {message}");
    eprintln!(
        "usage: bench [SIZE...] [--runs N] [--bin PATH] [--keep DIR]   (SIZE: 1700, 17k, 170k)"
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let default_bin = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("orglint")))
        .unwrap_or_else(|| PathBuf::from("orglint"));
    let mut args = Args {
        sizes: Vec::new(),
        runs: None,
        bin: default_bin,
        keep: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .unwrap_or_else(|| usage(&format!("`{flag}` needs a value")))
        };
        match arg.as_str() {
            "--runs" => {
                let v = value("--runs");
                args.runs = Some(
                    v.parse()
                        .ok()
                        .filter(|&n| n > 0)
                        .unwrap_or_else(|| usage(&format!("invalid `--runs {v}`"))),
                );
            }
            "--bin" => args.bin = PathBuf::from(value("--bin")),
            "--keep" => args.keep = Some(PathBuf::from(value("--keep"))),
            "--peak-child" => {
                // Internal: the peak-memory fallback (see `peak_kib`).
                peak_child(Path::new(&value("--peak-child")));
            }
            "-h" | "--help" => usage("help"),
            s => match parse_size(s) {
                Some(n) => args.sizes.push(n),
                None => usage(&format!("invalid size `{s}`")),
            },
        }
    }
    if args.sizes.is_empty() {
        args.sizes = vec![1_700, 17_000, 170_000];
    }
    args
}

/// Best of `runs` for sizes this large.
fn default_runs(people: usize) -> usize {
    match people {
        0..=5_000 => 15,
        5_001..=50_000 => 7,
        _ => 3,
    }
}

fn label(people: usize) -> String {
    if people >= 1_000 && people.is_multiple_of(100) {
        let k = people as f64 / 1_000.0;
        if people.is_multiple_of(1_000) {
            format!("{k:.0}k")
        } else {
            format!("{k:.1}k")
        }
    } else {
        people.to_string()
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn mib(bytes: f64) -> f64 {
    bytes / (1024.0 * 1024.0)
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let value = f();
        best = best.min(start.elapsed());
        last = Some(value);
    }
    (best, last.expect("at least one run"))
}

fn fatal_text(fatal: Fatal) -> String {
    match fatal {
        Fatal::Message(m) => m,
        Fatal::Diagnostics { diagnostics, .. } => diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect::<Vec<_>>()
            .join("; "),
    }
}

fn setup_for(config: Option<&Path>, org: &Path) -> Result<Setup, String> {
    engine::setup(config, Some(org), &CliOverrides::default()).map_err(fatal_text)
}

fn check(setup: &Setup, org: &Path) -> Outcome {
    let today = Date::today().unwrap_or_else(|e| panic!("{e}"));
    engine::check(setup, &[org.to_path_buf()], today)
        .unwrap_or_else(|f| panic!("check {}: {}", org.display(), fatal_text(f)))
}

fn report_of(outcome: &Outcome) -> Report<'_> {
    Report {
        sources: &outcome.sources,
        diagnostics: &outcome.diagnostics,
        summary: &outcome.summary,
        tool_version: env!("CARGO_PKG_VERSION"),
        rules: &[],
        model: Some(&outcome.model),
        repo: None,
        config_path: None,
        statistics: false,
    }
}

fn render_json(report: &Report) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * 1024);
    report::json(report, &mut out).expect("render json");
    out
}

fn render_human(report: &Report, options: &RenderOptions) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * 1024);
    report::human(report, options, &mut out).expect("render human");
    out
}

/// The `.toml` files under `dir`, sorted.
fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// `parse_floor`, built beside this example by `cargo build --examples`.
fn parse_floor_exe() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?.with_file_name("parse_floor");
    exe.exists().then_some(exe)
}

/// (a) The floor: read and parse every file with `toml`, one thread.
fn floor(files: &[PathBuf]) -> usize {
    let mut bytes = 0;
    for path in files {
        let text = std::fs::read_to_string(path).expect("read org file");
        bytes += text.len();
        let table = toml::from_str::<toml::Table>(&text).expect("generated TOML parses");
        std::hint::black_box(&table);
    }
    bytes
}

/// (b) `orglint check --format json`, spawned; the json it printed.
fn end_to_end(bin: &Path, org: &Path, stdout: Stdio) -> std::process::Output {
    let output = Command::new(bin)
        .arg("check")
        .arg(org)
        .args(["--format", "json"])
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "orglint check failed ({:?}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Peak resident memory of `orglint check --format json` in KiB, and how it
/// was measured.
fn peak_kib(bin: &Path, org: &Path, scratch: &Path) -> Option<(u64, &'static str)> {
    let time = Path::new("/usr/bin/time");
    if time.exists() {
        let out = scratch.join("time.txt");
        let status = Command::new(time)
            .args(["-f", "%M", "-o"])
            .arg(&out)
            .arg(bin)
            .arg("check")
            .arg(org)
            .args(["--format", "json"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if status.is_ok_and(|s| matches!(s.code(), Some(0 | 1)))
            && let Some(kib) = std::fs::read_to_string(&out)
                .ok()
                .and_then(|t| t.lines().last()?.trim().parse().ok())
        {
            return Some((kib, "time"));
        }
    }
    // Fallback: a child that runs the check in-process and reports VmHWM.
    let exe = std::env::current_exe().ok()?;
    let output = Command::new(exe)
        .arg("--peak-child")
        .arg(org)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let kib = String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .ok()?;
    Some((kib, "VmHWM"))
}

/// `bench --peak-child ORG`: check and render json in-process, print VmHWM
/// (KiB), exit.
fn peak_child(org: &Path) -> ! {
    let code = (|| {
        let setup = setup_for(None, org).ok()?;
        let outcome = engine::check(&setup, &[org.to_path_buf()], Date::today().ok()?).ok()?;
        let json = render_json(&report_of(&outcome));
        std::hint::black_box(&json);
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        println!("{kib}");
        Some(0)
    })();
    std::process::exit(code.unwrap_or(2))
}

/// Unsuppressed findings at warning or above, by code.
fn counts(outcome: &Outcome) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for d in &outcome.diagnostics {
        if d.suppressed.is_none() && d.severity >= Severity::Warning {
            *counts.entry(d.code.to_string()).or_insert(0) += 1;
        }
    }
    counts
}

fn planted_map(planted: &genorg_core::Planted) -> BTreeMap<String, usize> {
    planted
        .by_code()
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(c, n)| ((*c).to_owned(), *n))
        .collect()
}

/// Generates `options` into `root/<name>/org` with an empty `orglint.toml`
/// at `root/<name>`; returns the org directory.
fn generate_into(
    root: &Path,
    name: &str,
    options: &genorg_core::Options,
) -> (PathBuf, genorg_core::Generated, Duration) {
    let dir = root.join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let start = Instant::now();
    let mut generated = genorg_core::generate(options);
    generated.write(&dir).expect("write generated org");
    let took = start.elapsed();
    std::fs::write(dir.join("orglint.toml"), "").expect("write orglint.toml");
    // Keep the counts, drop the text.
    for (_, text) in &mut generated.files {
        *text = String::new();
    }
    (dir.join("org"), generated, took)
}

fn options_for(people: usize, violations: f64) -> genorg_core::Options {
    genorg_core::Options {
        people,
        directorates: (people / PEOPLE_PER_DIRECTORATE).max(1),
        seed: 1,
        violations,
    }
}

/// The per-stage best of an in-process run.
#[derive(Default)]
struct Stages {
    /// `engine::setup`: config, built-in pack, role catalogue.
    setup: Duration,
    timings: Timings,
    total: Duration,
    json: Duration,
    human: Duration,
    /// Dropping an `Outcome` (the CLI pays it at exit).
    drop: Duration,
}

fn min_timings(a: &mut Timings, b: &Timings) {
    a.discover = a.discover.min(b.discover);
    a.load = a.load.min(b.load);
    a.resolve = a.resolve.min(b.resolve);
    a.check = a.check.min(b.check);
    a.suppress = a.suppress.min(b.suppress);
}

fn max_timings() -> Timings {
    Timings {
        discover: Duration::MAX,
        load: Duration::MAX,
        resolve: Duration::MAX,
        check: Duration::MAX,
        suppress: Duration::MAX,
    }
}

/// (c) The pipeline in-process, best of `runs` per stage; the last outcome.
fn stages(setup: &Setup, org: &Path, runs: usize) -> (Stages, Outcome) {
    let mut timings = max_timings();
    let mut total = Duration::MAX;
    let mut drop_time = Duration::MAX;
    let mut last: Option<Outcome> = None;
    // At least two runs, to time dropping one outcome.
    for _ in 0..runs.max(2) {
        if let Some(previous) = last.take() {
            let start = Instant::now();
            drop(previous);
            drop_time = drop_time.min(start.elapsed());
        }
        let start = Instant::now();
        let outcome = check(setup, org);
        total = total.min(start.elapsed());
        min_timings(&mut timings, &outcome.timings);
        last = Some(outcome);
    }
    let outcome = last.expect("at least one run");
    let report = report_of(&outcome);
    let (json, _) = best_of(runs, || render_json(&report));
    let human_options = RenderOptions {
        max_findings: setup.settings.max_findings,
        ..RenderOptions::default()
    };
    let (human, _) = best_of(runs, || render_human(&report, &human_options));
    (
        Stages {
            setup: Duration::ZERO,
            timings,
            total,
            json,
            human,
            drop: drop_time,
        },
        outcome,
    )
}

struct Row {
    label: String,
    people: usize,
    files: usize,
    bytes: usize,
    runs: usize,
    floor: Duration,
    /// The floor as a process (`examples/parse_floor DIR 1`), when built.
    floor_process: Option<Duration>,
    e2e: Duration,
    stages: Stages,
    /// The first `engine::setup` of this size in this process.
    cold_setup: Duration,
    peak: Option<(u64, &'static str)>,
    findings_ok: bool,
}

fn run_size(args: &Args, root: &Path, people: usize) -> Row {
    let runs = args.runs.unwrap_or_else(|| default_runs(people));
    let name = label(people);
    let (org, generated, took) = generate_into(root, &name, &options_for(people, 0.01));
    eprintln!(
        "{name}: generated {} people, {} files in {:.0} ms; best of {runs}",
        generated.people,
        generated.files.len(),
        ms(took)
    );
    let files = toml_files(&org);

    // (a) The floor (the first run also warms the page cache).
    floor(&files);
    let (floor_time, bytes) = best_of(runs, || floor(&files));
    // The same floor as a process, to compare process with process.
    let floor_process = parse_floor_exe().map(|exe| {
        best_of(runs, || {
            Command::new(&exe)
                .arg(&org)
                .arg("1")
                .stdout(Stdio::null())
                .status()
                .expect("run parse_floor")
        })
        .0
    });

    // (b) End to end: one checked run, then best of `runs`.
    let output = end_to_end(&args.bin, &org, Stdio::piped());
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("orglint check prints json");
    let cli_findings = json["diagnostics"].as_array().map_or(0, Vec::len);
    let (e2e, _) = best_of(runs, || end_to_end(&args.bin, &org, Stdio::null()));
    let peak = peak_kib(&args.bin, &org, root);

    // (c) Stages in-process.
    let cold = Instant::now();
    let first = setup_for(None, &org).expect("setup");
    let cold_setup = cold.elapsed();
    drop(first);
    let (setup_time, setup) = best_of(runs, || setup_for(None, &org).expect("setup"));
    let (mut stages, outcome) = stages(&setup, &org, runs);
    stages.setup = setup_time;
    let found = counts(&outcome);
    let planted = planted_map(&generated.planted);
    let findings_ok = found == planted && cli_findings == outcome.diagnostics.len();
    if !findings_ok {
        eprintln!(
            "{name}: findings {found:?} (cli: {cli_findings}) differ from planted {planted:?}"
        );
    }
    Row {
        label: name,
        people: generated.people,
        files: files.len(),
        bytes,
        runs,
        floor: floor_time,
        floor_process,
        e2e,
        stages,
        cold_setup,
        peak,
        findings_ok,
    }
}

/// 10,000 diagnostics rendered in human format (no colour, then colour).
fn human_10k(root: &Path) -> Option<(usize, Duration, Duration, usize)> {
    let (org, _, _) = generate_into(root, "findings", &options_for(FINDINGS_ORG_PEOPLE, 1.0));
    let setup = setup_for(None, &org).ok()?;
    let outcome = check(&setup, &org);
    let shown: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.suppressed.is_none())
        .take(RENDERED_DIAGNOSTICS)
        .cloned()
        .collect();
    let report = Report {
        diagnostics: &shown,
        ..report_of(&outcome)
    };
    let mut options = RenderOptions {
        max_findings: usize::MAX,
        ..RenderOptions::default()
    };
    let (plain, bytes) = best_of(3, || render_human(&report, &options).len());
    options.color = true;
    let (color, _) = best_of(3, || render_human(&report, &options).len());
    Some((shown.len(), plain, color, bytes))
}

/// Ten CEL rules over every person; the last one fires once.
const CEL_PACK: &str = r#"[pack]
name = "bench"

[[rules]]
code = "BENCH001"
name = "person-named"
severity = "warning"
summary = "Every person has a name"
for-each = "person"
assert = "person.name != ''"
message = "person `{id}` has an empty name"

[[rules]]
code = "BENCH002"
name = "person-has-role"
severity = "warning"
summary = "Every person has a role"
for-each = "person"
assert = "has(person.role) && size(person.role) > 0"
message = "person `{id}` has no role"

[[rules]]
code = "BENCH003"
name = "no-self-report"
severity = "warning"
summary = "Nobody reports to themselves"
for-each = "person"
when = "has(person.reports_to)"
assert = "person.reports_to != person.id"
message = "person `{id}` reports to themselves"
at = "reports-to"

[[rules]]
code = "BENCH004"
name = "manager-exists"
severity = "warning"
summary = "A person's manager is a person"
for-each = "person"
when = "has(person.reports_to)"
assert = "person.reports_to in org.people"
message = "person `{id}` reports to an unknown person"
at = "reports-to"

[[rules]]
code = "BENCH005"
name = "id-shape"
severity = "warning"
summary = "Person ids are lower-case words"
for-each = "person"
assert = "person.id.matches('^[a-z][a-z0-9-]*$')"
message = "person `{id}` has an odd id"

[[rules]]
code = "BENCH006"
name = "name-length"
severity = "warning"
summary = "Names are not absurdly long"
for-each = "person"
assert = "size(person.name) < 200"
message = "person `{id}` has a very long name"

[[rules]]
code = "BENCH007"
name = "level-named"
severity = "warning"
summary = "A level, when given, is not empty"
for-each = "person"
assert = "!has(person.level) || size(person.level) > 0"
message = "person `{id}` has an empty level"

[[rules]]
code = "BENCH008"
name = "employment-known"
severity = "warning"
summary = "Employment is one of the known kinds"
for-each = "person"
assert = "person.employment in ['civil-servant', 'contractor', 'supplier']"
message = "person `{id}` has an unknown employment"

[[rules]]
code = "BENCH009"
name = "supplier-known"
severity = "warning"
summary = "A person's supplier is a supplier"
for-each = "person"
when = "has(person.supplier)"
assert = "person.supplier in org.suppliers"
message = "person `{id}` works for an unknown supplier"

[[rules]]
code = "BENCH010"
name = "canary"
severity = "info"
summary = "Fires once: on the chief data officer"
for-each = "person"
assert = "person.role != 'chief-data-officer'"
message = "person `{id}` is the chief data officer"
"#;

enum CelResult {
    Skipped(String),
    Timed {
        rules: usize,
        runs: usize,
        findings: usize,
        without: Box<Stages>,
        with: Box<Stages>,
    },
}

/// 10 CEL rules over the 17k org: the check stage with and without them.
fn cel_17k(root: &Path, org17: Option<&Path>) -> CelResult {
    let org = match org17 {
        Some(o) => o.to_path_buf(),
        None => generate_into(root, "17k", &options_for(17_000, 0.01)).0,
    };
    let dir = root.join("cel");
    let _ = std::fs::create_dir_all(&dir);
    let config = dir.join("orglint.toml");
    std::fs::write(&config, "[lint]\npacks = [\"pack.toml\"]\n").expect("write config");
    std::fs::write(dir.join("pack.toml"), CEL_PACK).expect("write pack");
    let with_setup = match setup_for(Some(&config), &org) {
        Ok(s) => s,
        Err(e) => return CelResult::Skipped(format!("the CEL pack was rejected: {e}")),
    };
    let rules = with_setup
        .rules
        .iter()
        .filter(|r| matches!(r.implementation, Implementation::Cel(_)))
        .count();
    if rules == 0 {
        return CelResult::Skipped("no CEL rule was loaded".to_owned());
    }
    let without_setup = setup_for(None, &org).expect("setup");
    let runs = 7;
    let (without, _) = stages(&without_setup, &org, runs);
    let (with, outcome) = stages(&with_setup, &org, runs);
    let findings = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with("BENCH"))
        .count();
    CelResult::Timed {
        rules,
        runs,
        findings,
        without: Box::new(without),
        with: Box::new(with),
    }
}

/// The 1-minute load average (`/proc/loadavg`), or `?`: timings on a busy
/// machine are not comparable.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|t| t.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

fn verdict(ok: bool) -> &'static str {
    if ok { "ok" } else { "MISSED" }
}

fn main() {
    let args = parse_args();
    if !args.bin.exists() {
        usage(&format!(
            "no orglint binary at {} (build it with `cargo build --release`, or pass --bin)",
            args.bin.display()
        ));
    }
    let root = match &args.keep {
        Some(dir) => dir.clone(),
        None => std::env::temp_dir().join(format!("orglint-bench-{}", std::process::id())),
    };
    std::fs::create_dir_all(&root).expect("create bench dir");
    let started = Instant::now();
    let load_before = load_average();
    let (process_start, _) = best_of(15, || {
        Command::new(&args.bin)
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .expect("run orglint --version")
    });

    let rows: Vec<Row> = args
        .sizes
        .iter()
        .map(|&n| run_size(&args, &root, n))
        .collect();
    eprintln!("rendering 10,000 diagnostics ...");
    let human = human_10k(&root);
    eprintln!("CEL rules over 17k people ...");
    let org17 = rows
        .iter()
        .find(|r| r.label == "17k")
        .map(|r| root.join(&r.label).join("org"));
    let cel = cel_17k(&root, org17.as_deref());

    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "## orglint benchmark ({threads} threads, orglint {}, {}; load average {} before, {} after)\n",
        env!("CARGO_PKG_VERSION"),
        args.bin.display(),
        load_before,
        load_average(),
    );
    println!(
        "| size | people | files | MiB | floor ms | check ms | ratio | floor process ms | process ratio | in-process ms | peak MiB | peak/input | planted = found |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for r in &rows {
        let input = mib(r.bytes as f64);
        let (peak, per_input) = match r.peak {
            Some((kib, _)) => {
                let m = kib as f64 / 1024.0;
                (format!("{m:.1}"), format!("{:.1}x", m / input))
            }
            None => ("n/a".to_owned(), "n/a".to_owned()),
        };
        let s = &r.stages;
        let in_process = s.setup + s.total + s.json;
        let (floor_process, process_ratio) = match r.floor_process {
            Some(f) => (format!("{:.1}", ms(f)), format!("{:.2}", ms(r.e2e) / ms(f))),
            None => ("n/a".to_owned(), "n/a".to_owned()),
        };
        println!(
            "| {} | {} | {} | {:.2} | {:.1} | {:.1} | {:.2} | {} | {} | {:.1} | {} | {} | {} |",
            r.label,
            r.people,
            r.files,
            input,
            ms(r.floor),
            ms(r.e2e),
            ms(r.e2e) / ms(r.floor),
            floor_process,
            process_ratio,
            ms(in_process),
            peak,
            per_input,
            if r.findings_ok { "yes" } else { "NO" },
        );
    }
    println!("\nStages, in-process (best of N each; ms):\n");
    println!(
        "| size | runs | setup | discover | load | resolve | check | suppress+sort | render json | render human | drop outcome |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        let t = &r.stages.timings;
        println!(
            "| {} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            r.label,
            r.runs,
            ms(r.stages.setup),
            ms(t.discover),
            ms(t.load),
            ms(t.resolve),
            ms(t.check),
            ms(t.suppress),
            ms(r.stages.json),
            ms(r.stages.human),
            ms(r.stages.drop),
        );
    }
    let peak_how = rows.iter().find_map(|r| r.peak.map(|p| p.1));
    println!(
        "\nfloor: read + `toml::from_str::<toml::Table>` of every file, one thread. check: `orglint check --format json`, spawned, wall time. ratio = check / floor. floor process: `examples/parse_floor DIR 1` spawned, best of N; process ratio = check / floor process (process against process). in-process: setup + `engine::check` + json rendering in this process (best of N). peak: max RSS of that run ({}).",
        match peak_how {
            Some("time") => "/usr/bin/time -f %M",
            Some(_) => "VmHWM of an in-process child",
            None => "not measured",
        }
    );

    if let Some(first) = rows.first() {
        println!(
            "process start (`orglint --version`, best of 15): {:.1} ms; first `engine::setup` in this process: {:.1} ms (later ones: {:.2} ms).",
            ms(process_start),
            ms(first.cold_setup),
            ms(first.stages.setup),
        );
    }

    println!("\nTargets:\n");
    let by = |l: &str| rows.iter().find(|r| r.label == l);
    if let Some(r) = by("17k") {
        let ratio = ms(r.e2e) / ms(r.floor);
        println!(
            "- 17k ratio {ratio:.2} (target <= 1.0): {}",
            verdict(ratio <= 1.0)
        );
    }
    if let (Some(small), Some(big)) = (by("17k"), by("170k")) {
        let x = ms(big.e2e) / ms(small.e2e);
        println!(
            "- 170k check / 17k check {x:.1}x (target <= 11x): {}",
            verdict(x <= 11.0)
        );
    }
    if let Some(r) = by("170k")
        && let Some((kib, _)) = r.peak
    {
        let x = kib as f64 * 1024.0 / r.bytes as f64;
        println!(
            "- 170k peak memory {x:.1}x input (target < 4x): {}",
            verdict(x < 4.0)
        );
    }
    match human {
        Some((n, plain, color, bytes)) => println!(
            "- {n} diagnostics rendered in human format: {:.0} ms, {:.0} ms with colour, {:.1} MiB (target < 500 ms): {}",
            ms(plain),
            ms(color),
            mib(bytes as f64),
            verdict(n >= RENDERED_DIAGNOSTICS && plain.max(color) < Duration::from_millis(500))
        ),
        None => println!("- human rendering of 10,000 diagnostics: could not set up"),
    }
    match cel {
        CelResult::Skipped(why) => println!("- 10 CEL rules over 17k people: skipped ({why})"),
        CelResult::Timed {
            rules,
            runs,
            findings,
            without,
            with,
        } => {
            let added = with.timings.check.saturating_sub(without.timings.check);
            let total = with.total.saturating_sub(without.total);
            let note = if findings == 0 {
                " -- but they produced no finding (the canary should fire once): is the CEL engine a placeholder?"
            } else {
                ""
            };
            println!(
                "- {rules} CEL rules over 17k people: check stage {:.1} ms -> {:.1} ms, +{:.1} ms (whole run +{:.1} ms; best of {runs}); {findings} finding(s) (target < 100 ms): {}{note}",
                ms(without.timings.check),
                ms(with.timings.check),
                ms(added),
                ms(total),
                verdict(added < Duration::from_millis(100) && findings > 0)
            );
        }
    }
    eprintln!("\nbench took {:.0} s", started.elapsed().as_secs_f64());
    if args.keep.is_none() {
        let _ = std::fs::remove_dir_all(&root);
    }
}
