//! `--baseline` and `--write-baseline`, run through the built binary on
//! copies of `fixtures/example` in temporary directories.

mod common;

use std::path::Path;

use common::{Run, TempDir};

/// The 13 findings of `fixtures/example` (the suppressed one aside).
const EXAMPLE_FINDINGS: usize = 13;

/// A scratch directory holding `orglint.toml` (empty: defaults, and no
/// config further up is found) and a copy of `fixtures/example` in
/// `example/`; removed on drop.
fn scratch(name: &str) -> TempDir {
    TempDir::with_example(name, "example")
}

/// Replaces the one occurrence of `from` in a file.
fn edit(s: &TempDir, rel: &str, from: &str, to: &str) {
    let text = s.read(rel);
    assert_eq!(text.matches(from).count(), 1, "{from:?} in {rel}");
    s.write(rel, text.replacen(from, to, 1));
}

/// The `path:line:col: severity[CODE] ...` lines of a short report: all of
/// its standard output (the summary and notes go to standard error).
fn finding_lines(run: &Run) -> Vec<&str> {
    let lines: Vec<&str> = run.stdout.lines().collect();
    for line in &lines {
        assert!(
            !["note: ", "Found ", "No findings"]
                .iter()
                .any(|p| line.starts_with(p) || line.is_empty()),
            "not a finding on standard output: {line:?}"
        );
    }
    lines
}

fn orglint(cwd: &Path, args: &[&str]) -> Run {
    let run = common::orglint(cwd, args);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// Writes `example/baseline.json` from the current findings.
fn write_baseline(s: &TempDir) -> Run {
    let run = orglint(
        &s.join("example"),
        &[
            "check",
            "--format",
            "short",
            "--write-baseline",
            "baseline.json",
        ],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    run
}

fn check_with_baseline(s: &TempDir, format: &str) -> Run {
    orglint(
        &s.join("example"),
        &["check", "--format", format, "--baseline", "baseline.json"],
    )
}

fn entries(text: &str) -> Vec<serde_json::Value> {
    let doc: serde_json::Value = serde_json::from_str(text).unwrap();
    doc["entries"].as_array().unwrap().clone()
}

#[test]
fn write_then_check_hides_everything() {
    let s = scratch("roundtrip");
    let run = write_baseline(&s);
    // Writing reports everything, exits 0 despite errors, and says so.
    assert_eq!(
        finding_lines(&run).len(),
        EXAMPLE_FINDINGS,
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("note: wrote 13 baseline entries to `baseline.json`"),
        "{}",
        run.stderr
    );
    let text = s.read("example/baseline.json");
    insta::assert_snapshot!("example_baseline", text);
    // The suppressed TEAM001 is not recorded.
    assert_eq!(entries(&text).len(), EXAMPLE_FINDINGS);

    let run = check_with_baseline(&s, "short");
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(finding_lines(&run).is_empty(), "{}", run.stdout);
    assert_eq!(
        run.stderr,
        "No findings in 10 files (79 entities); 1 suppressed; 13 baselined\n",
    );
    assert!(!run.stderr.contains("note:"), "{}", run.stderr);

    // Deterministic: writing again gives the same bytes.
    write_baseline(&s);
    assert_eq!(s.read("example/baseline.json"), text);
}

#[test]
fn baselined_findings_are_left_out_of_json() {
    let s = scratch("json");
    write_baseline(&s);
    let run = check_with_baseline(&s, "json");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    assert_eq!(doc["diagnostics"], serde_json::json!([]));
    assert_eq!(doc["summary"]["baselined"], 13);
    assert_eq!(doc["summary"]["errors"], 0);
    assert_eq!(doc["summary"]["suppressed"], 1);
    // Suppressed findings are still listed as suppressed, not baselined.
    assert_eq!(doc["suppressed"].as_array().map(Vec::len), Some(1));
}

#[test]
fn moved_lines_do_not_break_the_baseline() {
    let s = scratch("moved");
    write_baseline(&s);
    // Blank lines and comments at the top of files with findings.
    for file in ["services.toml", "governance.toml", "teams/platforms.toml"] {
        let rel = format!("example/{file}");
        let text = s.read(&rel);
        s.write(
            &rel,
            format!("# moved down\n\n\n# by a few lines\n\n{text}"),
        );
    }
    // A new key line above a finding in the same table, and CRLF line ends.
    edit(
        &s,
        "example/services.toml",
        "[services.licensing-records-archive]\n",
        "[services.licensing-records-archive]\n# The archive of paper licences.\n",
    );
    let people = s.read("example/people/licensing.toml");
    s.write(
        "example/people/licensing.toml",
        people.replace('\n', "\r\n"),
    );
    let run = check_with_baseline(&s, "short");
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(finding_lines(&run).is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("; 13 baselined\n"), "{}", run.stderr);
    assert!(!run.stderr.contains("note:"), "{}", run.stderr);
}

#[test]
fn a_new_problem_is_reported_alone() {
    let s = scratch("new");
    write_baseline(&s);
    let services = s.read("example/services.toml");
    s.write(
        "example/services.toml",
        format!(
            "{services}\n[services.new-archive]\nname = \"New archive\"\ndecision-rights = [\"product\", \"business\", \"technical\"]\nuser-needs = [\"find an old record\"]\n"
        ),
    );
    let run = check_with_baseline(&s, "short");
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let findings = finding_lines(&run);
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    assert!(
        findings[0].contains("error[OWN001] service `new-archive`"),
        "{}",
        findings[0]
    );
    assert!(run.stderr.contains("; 13 baselined\n"), "{}", run.stderr);

    let doc = check_with_baseline(&s, "json").json();
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["OWN001"]);
    assert_eq!(doc["summary"]["baselined"], 13);
}

#[test]
fn a_trailing_comment_changes_no_value() {
    let s = scratch("changed");
    write_baseline(&s);
    edit(
        &s,
        "example/teams/platforms.toml",
        "managed-by = \"meridian-it\"",
        "managed-by = \"meridian-it\" # still",
    );
    let run = check_with_baseline(&s, "short");
    assert_eq!(
        run.code, 0,
        "a trailing comment changes no value: {}",
        run.stdout
    );
    assert!(finding_lines(&run).is_empty(), "{}", run.stdout);
}

#[test]
fn fixed_problems_are_a_note() {
    let s = scratch("fixed");
    write_baseline(&s);
    edit(
        &s,
        "example/services.toml",
        "procurement = \"best-value\"",
        "procurement = \"user-needs\"",
    );
    let run = check_with_baseline(&s, "short");
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(finding_lines(&run).is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("; 12 baselined\n"), "{}", run.stderr);
    assert!(
        run.stderr.contains("note: 1 baseline entry no longer matches: the baseline can be pruned with --write-baseline"),
        "{}",
        run.stderr
    );

    edit(
        &s,
        "example/services.toml",
        "funding = \"project\"",
        "funding = \"continuous\"",
    );
    edit(
        &s,
        "example/services.toml",
        "[services.licensing-records-archive]\n",
        "[services.licensing-records-archive]\nowner = \"tomasz-nowak\"\n",
    );
    let run = check_with_baseline(&s, "short");
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(finding_lines(&run).is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.contains("note: 3 baseline entries no longer match: the baseline can be pruned with --write-baseline"),
        "{}",
        run.stderr
    );
    // -q drops notes with the summary.
    let quiet = orglint(
        &s.join("example"),
        &[
            "check",
            "-q",
            "--format",
            "short",
            "--baseline",
            "baseline.json",
        ],
    );
    assert_eq!(quiet.stdout, "");
    assert_eq!(quiet.stderr, "");

    // Both flags: compare first (the note), then rewrite without the fixed.
    let run = orglint(
        &s.join("example"),
        &[
            "check",
            "--format",
            "short",
            "--baseline",
            "baseline.json",
            "--write-baseline",
            "baseline.json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("note: 3 baseline entries no longer match"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("note: wrote 10 baseline entries to `baseline.json`"),
        "{}",
        run.stderr
    );
    assert_eq!(entries(&s.read("example/baseline.json")).len(), 10);
    let run = check_with_baseline(&s, "short");
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("; 10 baselined\n"), "{}", run.stderr);
    assert!(!run.stderr.contains("note:"), "{}", run.stderr);
}

#[test]
fn the_baseline_is_a_multiset() {
    let s = scratch("multiset");
    // A clean service behind a suppression that hides nothing: META001 at
    // the code in the comment, with no entity and no key.
    let extra = |id: &str| {
        format!(
            "# orglint: allow(OWN001) -- the owner is being recruited\n\
             [services.{id}]\n\
             name = \"{id}\"\n\
             owner = \"tomasz-nowak\"\n\
             decision-rights = [\"product\", \"business\", \"technical\"]\n\
             user-needs = [\"a need\"]\n\
             funding = \"continuous\"\n\n"
        )
    };
    s.write("example/extra.toml", extra("extra-a"));
    let run = write_baseline(&s);
    assert_eq!(
        finding_lines(&run).len(),
        EXAMPLE_FINDINGS + 1,
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("warning[META001]"), "{}", run.stdout);

    // The same finding twice, and one entry: one is reported.
    s.write(
        "example/extra.toml",
        format!("{}{}", extra("extra-a"), extra("extra-b")),
    );
    let run = check_with_baseline(&s, "short");
    assert_eq!(run.code, 0, "warnings do not fail: {}", run.stdout);
    let findings = finding_lines(&run);
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    assert!(findings[0].contains("warning[META001]"), "{}", findings[0]);
    assert!(run.stderr.contains("; 14 baselined\n"), "{}", run.stderr);

    // Recorded twice, both are hidden.
    write_baseline(&s);
    let text = s.read("example/baseline.json");
    let meta: Vec<_> = entries(&text)
        .into_iter()
        .filter(|e| e["code"] == "META001")
        .collect();
    assert_eq!(meta.len(), 2);
    assert_eq!(meta[0], meta[1]);
    let run = check_with_baseline(&s, "short");
    assert!(finding_lines(&run).is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("; 15 baselined\n"), "{}", run.stderr);
}

#[test]
fn suppressed_findings_are_not_baselined() {
    let s = scratch("suppressed");
    write_baseline(&s);
    // Dropping the suppression brings back a finding the baseline never saw.
    edit(
        &s,
        "example/teams/licensing.toml",
        "# orglint: allow(TEAM001) -- discovery only: a content designer joins if the service goes to alpha\n",
        "",
    );
    let run = check_with_baseline(&s, "short");
    let findings = finding_lines(&run);
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    assert!(findings[0].contains("warning[TEAM001]"), "{}", findings[0]);
    assert!(run.stderr.contains("; 13 baselined\n"), "{}", run.stderr);
}

#[test]
fn paths_are_relative_to_the_baseline_file() {
    let s = scratch("paths");
    // From inside the organisation and from above it: the same file.
    write_baseline(&s);
    let inside = s.read("example/baseline.json");
    let run = orglint(
        s.path(),
        &[
            "check",
            "-q",
            "example",
            "--write-baseline",
            "example/baseline.json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(s.read("example/baseline.json"), inside);
    // Used from elsewhere too.
    let run = orglint(
        s.path(),
        &[
            "check",
            "--format",
            "short",
            "example",
            "--baseline",
            "example/baseline.json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stderr.contains("; 13 baselined\n"), "{}", run.stderr);

    // In a directory that does not exist yet, beside the organisation.
    let run = orglint(
        s.path(),
        &[
            "check",
            "-q",
            "example",
            "--write-baseline",
            "ci/orglint/baseline.json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = s.read("ci/orglint/baseline.json");
    let paths: Vec<String> = entries(&text)
        .iter()
        .filter_map(|e| e["path"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(paths.len(), EXAMPLE_FINDINGS);
    assert!(
        paths.iter().all(|p| p.starts_with("../../example/")),
        "{paths:?}"
    );
    assert!(paths.contains(&"../../example/teams/platforms.toml".to_owned()));
    let run = orglint(
        &s.join("example"),
        &["check", "-q", "--baseline", "../ci/orglint/baseline.json"],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn a_missing_or_invalid_baseline_exits_2() {
    let s = scratch("invalid");
    let run = check_with_baseline(&s, "short");
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "", "nothing is linted");
    assert!(
        run.stderr
            .contains("error: cannot read baseline `baseline.json`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--write-baseline baseline.json"),
        "{}",
        run.stderr
    );

    for (text, needle) in [
        ("", "invalid baseline `baseline.json`: EOF"),
        ("not json", "invalid baseline `baseline.json`: expected"),
        ("[]", "invalid baseline `baseline.json`"),
        ("{\"entries\": []}", "no `version` field"),
        (
            "{\"version\": 2, \"entries\": []}",
            "version 2 is not supported (this orglint reads version 1)",
        ),
        ("{\"version\": 1}", "missing field `entries`"),
        (
            "{\"version\": 1, \"entries\": [{\"code\": \"OWN001\"}]}",
            "missing field",
        ),
        (
            "{\"version\": 1, \"entries\": [{\"code\": \"OWN001\", \"path\": null, \"entity\": null, \"fingerprint\": \"nope\"}]}",
            "entry 1 has fingerprint `nope`",
        ),
    ] {
        s.write("example/baseline.json", text);
        let run = check_with_baseline(&s, "short");
        assert_eq!(run.code, 2, "{text:?}: {}", run.stdout);
        assert_eq!(run.stdout, "", "{text:?}");
        assert!(run.stderr.contains(needle), "{text:?}: {}", run.stderr);
    }

    // A directory is not a baseline file.
    std::fs::remove_file(s.join("example").join("baseline.json")).unwrap();
    std::fs::create_dir(s.join("example").join("baseline.json")).unwrap();
    let run = check_with_baseline(&s, "short");
    assert_eq!(run.code, 2);
    // And cannot be written to.
    let run = orglint(
        &s.join("example"),
        &["check", "-q", "--write-baseline", "baseline.json"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("error: cannot write baseline `baseline.json`"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_empty_baseline_hides_nothing() {
    let s = scratch("empty");
    s.write(
        "example/baseline.json",
        "{\n  \"version\": 1,\n  \"entries\": []\n}\n",
    );
    let run = check_with_baseline(&s, "short");
    assert_eq!(run.code, 1);
    assert_eq!(
        finding_lines(&run).len(),
        EXAMPLE_FINDINGS,
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("baselined"), "{}", run.stdout);
}
