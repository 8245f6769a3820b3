//! The generator's planted violations are exactly what orglint reports: for a
//! generated organisation, the findings at warning or above are the planted
//! counts per code (TEAM001, OWN001, NEED001, ORG001) and nothing else.

#[path = "../examples/support/genorg_core.rs"]
mod genorg_core;

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::TempDir;
use genorg_core::{Options, generate};

/// Counts of the findings at warning or above, by code.
fn findings(org: &Path) -> BTreeMap<String, usize> {
    let output = common::command(&std::env::current_dir().expect("current dir"), &["check"])
        .arg(org)
        .args(["--format", "json"])
        .env("ORGLINT_TODAY", "2026-01-01")
        .output()
        .expect("run orglint");
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "orglint failed: {:?}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("orglint prints json");
    let mut counts = BTreeMap::new();
    for d in report["diagnostics"].as_array().expect("diagnostics array") {
        let severity = d["severity"].as_str().expect("severity");
        if severity == "warning" || severity == "error" {
            let code = d["code"].as_str().expect("code").to_owned();
            *counts.entry(code).or_insert(0) += 1;
        }
    }
    counts
}

/// Generates, runs orglint, compares; returns the planted counts.
fn planted_equals_found(tag: &str, options: &Options) -> genorg_core::Planted {
    // An empty config at the root: no config of the machine applies.
    let scratch = TempDir::with_config(tag);
    let generated = generate(options);
    generated.write(scratch.path()).expect("write org");
    let expected: BTreeMap<String, usize> = generated
        .planted
        .by_code()
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(c, n)| ((*c).to_owned(), *n))
        .collect();
    let found = findings(&scratch.path().join("org"));
    assert_eq!(
        found,
        expected,
        "{tag}: findings (left) differ from planted (right); {}",
        generated.summary_json()
    );
    generated.planted
}

#[test]
fn planted_violations_are_exactly_the_findings() {
    for seed in [1, 2] {
        let options = Options {
            people: 1_700,
            directorates: 4,
            seed,
            violations: 0.01,
        };
        planted_equals_found(&format!("seed{seed}"), &options);
    }
}

#[test]
fn many_planted_violations_are_exactly_the_findings() {
    // A high rate plants every kind, often several on one team.
    let options = Options {
        people: 1_700,
        directorates: 4,
        seed: 7,
        violations: 0.25,
    };
    let planted = planted_equals_found("dense", &options);
    for (code, n) in planted.by_code() {
        assert!(n > 0, "no {code} planted");
    }
}

#[test]
fn generation_is_deterministic_and_sized() {
    let options = Options {
        people: 1_700,
        directorates: 4,
        seed: 3,
        violations: 0.01,
    };
    let a = generate(&options);
    let b = generate(&options);
    assert_eq!(a.files, b.files);
    assert_eq!(a.files.len(), 2 + options.directorates);
    assert!(a.people <= options.people && a.people > options.people * 9 / 10);
    let c = generate(&Options { seed: 4, ..options });
    assert_ne!(a.files, c.files);
}
