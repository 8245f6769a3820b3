//! `scripts/action.sh`, the GitHub Action's run of orglint: run with bash in
//! a fake workspace, with a fake `GITHUB_STEP_SUMMARY` file, against the
//! real binary (`ORGLINT`) and against a fake one that records its
//! arguments.

#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::TempDir;

/// The variables the script reads, cleared before each run so that the
/// caller's environment cannot leak in.
const INPUTS: &[&str] = &[
    "PATHS",
    "CONFIG",
    "FAIL_ON",
    "SARIF_FILE",
    "ARGS",
    "ORGLINT",
    "GITHUB_STEP_SUMMARY",
];

/// A fake orglint: writes its arguments, one a line, to `argv.txt`, and
/// exits with `$FAKE_EXIT` (0 by default).
fn fake_orglint(ws: &TempDir) -> PathBuf {
    let log = ws.join("argv.txt");
    let script = format!(
        "#!/usr/bin/env bash\n: > '{}'\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{}'; done\necho '::warning title=fake::fake annotation'\nexit \"${{FAKE_EXIT:-0}}\"\n",
        log.display(),
        log.display()
    );
    let path = ws.write("bin/fake-orglint", &script);
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn fake_argv(ws: &TempDir) -> Vec<String> {
    ws.read("argv.txt").lines().map(str::to_owned).collect()
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn annotations(&self) -> Vec<&str> {
        self.stdout
            .lines()
            .filter(|l| {
                l.starts_with("::error ")
                    || l.starts_with("::warning ")
                    || l.starts_with("::notice ")
                    || l.starts_with("::error::")
                    || l.starts_with("::warning::")
                    || l.starts_with("::notice::")
            })
            .collect()
    }
}

/// Runs `scripts/action.sh` in `cwd` with these inputs (and nothing else
/// of the caller's inputs).
fn action(cwd: &Path, env: &[(&str, &str)]) -> Run {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/action.sh");
    let mut cmd = Command::new("bash");
    cmd.arg(script).current_dir(cwd);
    for name in INPUTS {
        cmd.env_remove(name);
    }
    cmd.env("NO_COLOR", "1")
        .env("ORGLINT_TODAY", "2026-06-01")
        .env("ORGLINT", env!("CARGO_BIN_EXE_orglint"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

// ---------------------------------------------------------------------------
// The real binary

#[test]
fn annotations_summary_and_sarif_in_one_run() {
    let ws = TempDir::with_example("all", "org");
    let summary = ws.path().join("step-summary.md");
    let run = action(
        ws.path(),
        &[
            ("PATHS", "org"),
            ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
            ("SARIF_FILE", "reports/orglint.sarif"),
        ],
    );
    assert_eq!(
        run.code, 1,
        "errors fail the step\n{}\n{}",
        run.stdout, run.stderr
    );

    // Annotations in the log: one per finding (4 errors, 8 warnings, 1 info
    // as a notice), with paths from the workspace.
    let annotations = run.annotations();
    assert_eq!(annotations.len(), 13, "{}", run.stdout);
    assert_eq!(
        annotations
            .iter()
            .filter(|a| a.starts_with("::error "))
            .count(),
        4,
        "{}",
        run.stdout
    );
    assert_eq!(
        annotations
            .iter()
            .filter(|a| a.starts_with("::notice "))
            .count(),
        1,
        "{}",
        run.stdout
    );
    assert!(
        annotations
            .iter()
            .any(|a| a.starts_with("::error file=org/services.toml,line=67,")),
        "{}",
        run.stdout
    );

    // The job summary.
    let markdown = ws.read("step-summary.md");
    assert!(markdown.contains("OWN001"), "{markdown}");
    assert!(markdown.contains("services.toml"), "{markdown}");

    // SARIF, in a directory the script created.
    let sarif: serde_json::Value =
        serde_json::from_str(&ws.read("reports/orglint.sarif")).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(
        results.iter().any(|r| r["ruleId"] == "OWN001"),
        "{results:?}"
    );
}

#[test]
fn without_a_step_summary_or_sarif_file_only_annotations() {
    let ws = TempDir::with_example("plain", "org");
    let run = action(ws.path(), &[("PATHS", "org")]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.annotations().len(), 13, "{}", run.stdout);
    let entries: Vec<_> = std::fs::read_dir(ws.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let mut entries = entries;
    entries.sort();
    assert_eq!(entries, ["org", "orglint.toml"], "no other file written");
}

#[test]
fn exit_codes_are_orglints() {
    let ws = TempDir::with_example("codes", "org");
    // 1: errors at the default fail-on.
    assert_eq!(action(ws.path(), &[("PATHS", "org")]).code, 1);
    // 0: nothing fails the run.
    let run = action(ws.path(), &[("PATHS", "org"), ("FAIL_ON", "never")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.annotations().len(), 13, "still annotated");
    // 2: orglint cannot do its job.
    for env in [
        vec![("PATHS", "no-such-dir")],
        vec![("PATHS", "org"), ("FAIL_ON", "sometimes")],
        vec![("PATHS", "org"), ("CONFIG", "missing.toml")],
        vec![("PATHS", "org"), ("ARGS", "--no-such-flag")],
    ] {
        let run = action(ws.path(), &env);
        assert_eq!(run.code, 2, "{env:?}\n{}\n{}", run.stdout, run.stderr);
    }
    // The default paths input is the workspace.
    let run = action(ws.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.annotations().len(), 13, "{}", run.stdout);
}

#[test]
fn args_and_paths_are_split_into_words() {
    let ws = TempDir::with_example("split", "my org");
    // A quoted path with a space, flags with values, several blanks and a
    // newline between words.
    let run = action(
        ws.path(),
        &[
            ("PATHS", "'my org'"),
            ("ARGS", "--select   OWN001,OWN003\n --fail-on \"warning\""),
            ("FAIL_ON", ""),
        ],
    );
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let annotations = run.annotations();
    assert_eq!(annotations.len(), 2, "{}", run.stdout);
    assert!(
        annotations
            .iter()
            .all(|a| a.starts_with("::error file=my org/services.toml")),
        "{annotations:?}"
    );

    // Unquoted, the path is two words, neither of which exists.
    let run = action(ws.path(), &[("PATHS", "my org")]);
    assert_eq!(run.code, 2, "{}", run.stdout);

    // A baseline through `args`.
    let write = action(
        ws.path(),
        &[
            ("PATHS", "\"my org\""),
            ("ARGS", "--write-baseline 'my org/baseline.json'"),
        ],
    );
    assert_eq!(write.code, 0, "{}", write.stderr);
    let run = action(
        ws.path(),
        &[
            ("PATHS", "\"my org\""),
            ("ARGS", "--baseline \"my org/baseline.json\""),
        ],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.annotations(), Vec::<&str>::new());
}

// ---------------------------------------------------------------------------
// A fake binary: exactly what the script passes, and its exit code

#[test]
fn the_command_line() {
    let ws = TempDir::new("fake-argv");
    let fake = fake_orglint(&ws);
    let run = action(
        ws.path(),
        &[
            ("ORGLINT", fake.to_str().unwrap()),
            ("GITHUB_STEP_SUMMARY", "/runner/step_summary"),
            ("SARIF_FILE", "out/orglint.sarif"),
            ("CONFIG", "ci/org lint.toml"),
            ("FAIL_ON", "warning"),
            (
                "ARGS",
                "--select GOV,OWN  --ignore 'GOV 001' \"a \\\"quoted\\\" word\" back\\ slash\n\t$HOME *.toml '' x\"y\"z",
            ),
            ("PATHS", "org\n  -dash.toml\n\"two words\""),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.annotations(), ["::warning title=fake::fake annotation"]);
    // One argument a line, bracketed so that blanks show.
    let argv: Vec<String> = fake_argv(&ws).iter().map(|a| format!("[{a}]")).collect();
    insta::assert_snapshot!("fake_argv", argv.join("\n"));
    // The SARIF file's directory exists for orglint to write into.
    assert!(ws.path().join("out").is_dir());
}

#[test]
fn defaults_of_the_command_line() {
    let ws = TempDir::new("fake-defaults");
    let fake = fake_orglint(&ws);
    // Nothing set: no summary, no SARIF, no config, paths `.`.
    let run = action(ws.path(), &[("ORGLINT", fake.to_str().unwrap())]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(fake_argv(&ws), ["check", "--format", "github", "--", "."]);
    // action.yml's defaults.
    let run = action(
        ws.path(),
        &[
            ("ORGLINT", fake.to_str().unwrap()),
            ("PATHS", "."),
            ("CONFIG", ""),
            ("FAIL_ON", "error"),
            ("SARIF_FILE", ""),
            ("ARGS", ""),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        fake_argv(&ws),
        [
            "check",
            "--format",
            "github",
            "--fail-on",
            "error",
            "--",
            "."
        ]
    );
    // Empty paths: orglint's own default.
    let run = action(
        ws.path(),
        &[("ORGLINT", fake.to_str().unwrap()), ("PATHS", " \n ")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(fake_argv(&ws), ["check", "--format", "github"]);
}

#[test]
fn the_exit_code_is_passed_on() {
    let ws = TempDir::new("fake-exit");
    let fake = fake_orglint(&ws);
    for code in [0, 1, 2, 3] {
        let run = action(
            ws.path(),
            &[
                ("ORGLINT", fake.to_str().unwrap()),
                ("FAKE_EXIT", &code.to_string()),
            ],
        );
        assert_eq!(run.code, code, "{}", run.stderr);
    }
}

#[test]
fn unmatched_quotes_and_a_missing_binary_exit_2() {
    let ws = TempDir::new("fake-errors");
    let fake = fake_orglint(&ws);
    for (name, value) in [("ARGS", "--select 'GOV"), ("PATHS", "\"org")] {
        let run = action(
            ws.path(),
            &[("ORGLINT", fake.to_str().unwrap()), (name, value)],
        );
        assert_eq!(run.code, 2, "{name}={value}");
        assert!(
            run.stdout
                .starts_with("::error title=orglint::unmatched quote in "),
            "{}",
            run.stdout
        );
        assert!(!ws.path().join("argv.txt").exists(), "orglint is not run");
    }
    let missing = ws.path().join("bin/not-built");
    let run = action(ws.path(), &[("ORGLINT", missing.to_str().unwrap())]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stdout.contains("::error title=orglint::cannot run `"),
        "{}",
        run.stdout
    );
}
