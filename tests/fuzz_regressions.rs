//! Regression tests from fuzzing (issue 6): every input the fuzz targets of
//! `fuzz/` found to crash, hang or blow up is kept in
//! `tests/fuzz_regressions/<target>/` and replayed here through the same
//! harness (`fuzz/src/lib.rs`, included by path), each with a time limit.
//! Then the quadratic blow-ups found by scaling inputs, and a closed pipe for
//! the formats `tests/cli.rs` does not cover.
//!
//! To add a case: copy the artifact libFuzzer wrote
//! (`fuzz/artifacts/<target>/crash-...`) into
//! `tests/fuzz_regressions/<target>/` with a name that says what it was.

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod harness;

mod common;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use harness::Workspace;

/// How long one replayed input may take (a debug build, on a shared machine;
/// each of them takes well under a second).
const REPLAY_LIMIT: Duration = Duration::from_secs(60);

/// Runs `f` on its own thread; fails if it panics or takes longer than
/// `limit` (the thread is then left behind, and the test process ends).
fn within<T: Send + 'static>(
    what: &str,
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::Builder::new()
        .name(what.to_owned())
        .stack_size(16 << 20)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .expect("spawn");
    match rx.recv_timeout(limit) {
        Ok(value) => {
            let _ = handle.join();
            value
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: took longer than {limit:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => match handle.join() {
            Err(e) => std::panic::resume_unwind(e),
            Ok(()) => panic!("{what}: no result"),
        },
    }
}

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = common::manifest_dir()
        .join("tests/fuzz_regressions")
        .join(target);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

/// Replays every kept input of `target`.
fn replay(target: &'static str) {
    for path in inputs(target) {
        let data = std::fs::read(&path).expect("read an input");
        let name = format!("{target}/{}", path.file_name().unwrap().to_string_lossy());
        within(&name, REPLAY_LIMIT, move || {
            let ws = match target {
                "org_file" | "org_files" => Workspace::full("regression"),
                _ => harness::example_workspace("regression"),
            };
            match target {
                "org_file" | "org_files" => {
                    let setup = ws
                        .setup()
                        .unwrap_or_else(|_| panic!("the harness config is valid"));
                    let files = if target == "org_file" {
                        vec![&data[..]]
                    } else {
                        harness::split_files(&data)
                    };
                    harness::fuzz_org_files(&setup, &ws, &files);
                }
                "config" => harness::fuzz_config(&ws, &data),
                "pack" => harness::fuzz_pack(&ws, &data),
                _ => unreachable!(),
            }
        });
    }
}

#[test]
fn org_file_inputs() {
    replay("org_file");
}

#[test]
fn org_files_inputs() {
    replay("org_files");
}

#[test]
fn config_inputs() {
    replay("config");
}

#[test]
fn pack_inputs() {
    replay("pack");
}

/// The seeds the fuzzers started from (the fixtures) pass the harness's
/// checks too: spans in bounds, findings in order, every format renders.
#[test]
fn every_fixture_passes_the_harness() {
    within("fixtures", Duration::from_secs(300), || {
        let ws = Workspace::full("fixtures");
        let setup = ws
            .setup()
            .unwrap_or_else(|_| panic!("the harness config is valid"));
        let mut dirs = vec![common::fixture("example"), common::fixture("hostile")];
        let rules = common::fixture("rules");
        for entry in std::fs::read_dir(&rules).expect("fixtures/rules") {
            let dir = entry.expect("an entry").path();
            dirs.push(dir.join("fail"));
            dirs.push(dir.join("pass"));
        }
        for dir in dirs {
            let mut files = Vec::new();
            collect_toml(&dir, &mut files);
            let texts: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
            let slices: Vec<&[u8]> = texts.iter().map(|t| &t[..]).collect();
            harness::fuzz_org_files(&setup, &ws, &slices);
        }
    });
}

fn collect_toml(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_toml(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml")
            && path.file_name().is_some_and(|n| n != "orglint.toml")
        {
            out.push(path);
        }
    }
}

// ---------------------------------------------------------------------------
// Quadratic blow-ups, found by scaling inputs (the fuzzers' inputs are too
// small to show them)

/// One reporting cycle through `n` people: one ORG003 with `n` labels.
fn cycle_of(n: usize) -> String {
    let mut s = String::from("[organisation]\nname = \"X\"\n");
    for i in 0..n {
        s.push_str(&format!(
            "[people.p{i}]\nname = \"P\"\nrole = \"software-developer\"\nreports-to = \"p{}\"\n",
            (i + 1) % n
        ));
    }
    s
}

/// Seconds to lint `text` and render every format.
fn lint_seconds(text: String) -> f64 {
    within("lint", Duration::from_secs(600), move || {
        let ws = Workspace::full("scaling");
        let setup = ws
            .setup()
            .unwrap_or_else(|_| panic!("the harness config is valid"));
        let started = Instant::now();
        harness::fuzz_org_files(&setup, &ws, &[text.as_bytes()]);
        started.elapsed().as_secs_f64()
    })
}

/// Seconds of the suppress+sort stage of linting `text`: the best of three
/// runs, so that a busy machine (other tests run alongside) does not make
/// one size look slower than it is.
fn suppress_seconds(text: String) -> f64 {
    within("lint", Duration::from_secs(600), move || {
        let ws = Workspace::full("scaling");
        let setup = ws
            .setup()
            .unwrap_or_else(|_| panic!("the harness config is valid"));
        ws.set_org(&[text.as_bytes()]);
        (0..3)
            .map(|_| {
                let (outcome, _) =
                    harness::check_and_render(&setup, &ws, false).expect("no config error");
                outcome.timings.suppress.as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    })
}

/// Doubling the cycle must not quadruple the time. The human report renders
/// one miette snippet per finding, and miette tests every label against
/// every line it shows: a finding with L labels spread over a file cost
/// O(L x lines) (a release build took 2.1 s for a cycle of 4,000 people and
/// 7.6 s for 8,000; `--format short` 0.04 s), until human output drew at most
/// 20 related labels per finding.
#[test]
fn a_long_reporting_cycle_renders_in_linear_time() {
    let small = lint_seconds(cycle_of(1000));
    let large = lint_seconds(cycle_of(4000));
    // Linear would be 4x; quadratic 16x. Allow noise.
    assert!(
        large < small * 8.0 + 1.0,
        "a cycle of 1,000 people: {small:.2} s; of 4,000: {large:.2} s"
    );
}

/// The same table header `n` times: `n - 1` tables defined again, each a
/// duplicate-key error whose body is dropped.
fn repeated_tables(n: usize) -> String {
    "[people.ann]\nname = \"A\"\nrole = \"tester\"\n".repeat(n)
}

/// Matching each second definition to its first header used to compare
/// every header with every duplicate (found in review, not by fuzzing: it
/// takes many headers). Now linear.
#[test]
fn many_tables_defined_again_lint_in_linear_time() {
    let small = lint_seconds(repeated_tables(5000));
    let large = lint_seconds(repeated_tables(20000));
    // Linear would be 4x; quadratic 16x.
    assert!(
        large < small * 8.0 + 1.0,
        "5,000 repeated tables: {small:.2} s; 20,000: {large:.2} s"
    );
}

/// `n` services without an owner, each under its own suppression of OWN001:
/// `n` directives and `n` findings in one file.
fn suppressed_services(n: usize) -> String {
    let mut s = String::from("[organisation]\nname = \"X\"\n");
    for i in 0..n {
        s.push_str(&format!(
            "# orglint: allow(OWN001) -- owner being recruited\n[services.s{i}]\nname = \"S\"\nuser-needs = [\"n\"]\n"
        ));
    }
    s
}

/// `suppress::apply` used to test every finding of a file against every
/// directive of that file: O(findings x directives). A release build spent
/// 0.19 s in suppress+sort for 8,000 suppressed services, 0.83 s for 16,000
/// and 3.4 s for 32,000 (`ORGLINT_TIMINGS=1`). It now sweeps scopes and
/// findings in position order.
#[test]
fn many_suppressions_apply_in_linear_time() {
    let small = suppress_seconds(suppressed_services(4000));
    let large = suppress_seconds(suppressed_services(16000));
    // Linear would be 4x; quadratic 16x.
    assert!(
        large < small * 8.0 + 0.25,
        "suppress+sort with 4,000 suppressed services: {small:.2} s; 16,000: {large:.2} s"
    );
}

/// One person who owns `n` services: one OWN006 with `n` related labels.
fn one_owner_of(n: usize) -> String {
    let mut s = String::from(
        "[organisation]\nname = \"X\"\n[people.p]\nname = \"P\"\nrole = \"service-owner\"\n",
    );
    for i in 0..n {
        s.push_str(&format!(
            "[services.s{i}]\nname = \"S\"\nowner = \"p\"\nuser-needs = [\"n\"]\n"
        ));
    }
    s
}

/// The same blow-up as the reporting cycle, through OWN006: a release build
/// rendered `--format human` in 0.18 s for 4,000 services of one owner, 0.65 s
/// for 8,000 and 2.5 s for 16,000 (`--format short`: 0.04, 0.06, 0.11 s).
#[test]
fn an_overloaded_owner_renders_in_linear_time() {
    let small = lint_seconds(one_owner_of(1500));
    let large = lint_seconds(one_owner_of(6000));
    assert!(
        large < small * 8.0 + 1.0,
        "one owner of 1,500 services: {small:.2} s; of 6,000: {large:.2} s"
    );
}

// ---------------------------------------------------------------------------
// A reader that goes away, for the formats tests/cli.rs does not cover

#[test]
fn a_closed_pipe_ends_quietly_in_every_format() {
    let tmp = common::noisy_org("fuzz-noisy", 4);
    for format in ["sarif", "github", "junit", "markdown"] {
        let (status, stderr) = common::one_line_then_close(tmp.path(), format);
        assert!(!stderr.contains("panicked"), "{format}: {stderr}");
        assert!(
            stderr.trim().is_empty(),
            "{format}: a closed pipe ends quietly, but stderr says: {stderr}"
        );
        assert_eq!(
            status.code(),
            Some(1),
            "{format}: the findings still set the exit code ({status:?}); stderr: {stderr}"
        );
    }
    // For scale: each format writes well over a pipe's buffer.
    for format in ["sarif", "github", "junit", "markdown"] {
        let run = common::orglint(tmp.path(), &["check", "--format", format]);
        run.assert_no_panic().assert_code(1);
        assert!(
            run.stdout.len() > 128 * 1024,
            "{format}: only {} bytes",
            run.stdout.len()
        );
    }
}
