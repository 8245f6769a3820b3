//! Every rule against its fixtures: `fixtures/rules/<CODE>/fail` must give
//! exactly the findings of `expect.txt` for that code (at the exact line and
//! column), `pass` must give no finding at all, and the human output of each
//! failing fixture is snapshotted.

mod common;

use std::path::{Path, PathBuf};

use common::orglint;

fn fixtures() -> PathBuf {
    common::fixture("rules")
}

/// `path:line:col CODE` for each finding (`- CODE` without a span).
fn findings(dir: &Path) -> Vec<String> {
    let json = orglint(dir, &["check", "--format", "json"]).stdout;
    let doc: serde_json::Value = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("json from {}: {e}\n{json}", dir.display()));
    common::positions(&doc)
}

/// Drops the time from the summary line (`...; 0.03s`).
fn without_time(s: &str) -> String {
    s.lines()
        .map(|line| match line.rfind("; ") {
            Some(i)
                if line.ends_with('s') && line[i + 2..line.len() - 1].parse::<f64>().is_ok() =>
            {
                format!("{}; <time>", &line[..i])
            }
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn codes() -> Vec<String> {
    let mut codes: Vec<String> = std::fs::read_dir(fixtures())
        .expect("fixtures/rules")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    codes.sort();
    codes
}

#[test]
fn every_rule_has_fixtures() {
    let codes = codes();
    let builtin =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/builtin.toml"))
            .expect("builtin pack");
    let mut missing = Vec::new();
    for line in builtin.lines() {
        if let Some(code) = line
            .strip_prefix("code = \"")
            .and_then(|l| l.strip_suffix('"'))
            && !codes.iter().any(|c| c == code)
        {
            missing.push(code.to_owned());
        }
    }
    assert!(missing.is_empty(), "rules without fixtures: {missing:?}");
    assert_eq!(codes.len(), 36);
}

#[test]
fn failing_fixtures_fire_exactly_where_expected() {
    let mut problems = Vec::new();
    for code in codes() {
        let dir = fixtures().join(&code).join("fail");
        let expected = std::fs::read_to_string(dir.join("expect.txt")).expect("expect.txt");
        let mut expected: Vec<String> = expected
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect();
        expected.sort();
        let mut got: Vec<String> = findings(&dir)
            .into_iter()
            .filter(|f| f.ends_with(&format!(" {code}")))
            .collect();
        got.sort();
        if got != expected {
            problems.push(format!("{code}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn passing_fixtures_have_no_finding() {
    let mut problems = Vec::new();
    for code in codes() {
        let dir = fixtures().join(&code).join("pass");
        let got = findings(&dir);
        if !got.is_empty() {
            problems.push(format!("{code}: {got:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn human_output_of_failing_fixtures() {
    for code in codes() {
        let dir = fixtures().join(&code).join("fail");
        let out = orglint(&dir, &["check", "--color", "never"]).stdout;
        insta::assert_snapshot!(format!("{code}_fail"), without_time(&out));
    }
}
