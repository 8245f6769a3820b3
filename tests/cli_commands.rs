//! The `rules`, `explain` and `init` commands, run through the built binary
//! in temporary directories.

mod common;

use std::path::Path;
use std::process::Output;

use common::{TempDir, output};

/// A temp dir holding an `orglint.toml` with `config` (so that no config
/// further up is found).
fn with_config(name: &str, config: &str) -> TempDir {
    let dir = TempDir::new(name);
    dir.write("orglint.toml", config);
    dir
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// The row of `code` in the `rules` table, split into its columns.
fn row<'a>(table: &'a str, code: &str) -> Vec<&'a str> {
    table
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|cells| cells.first() == Some(&code))
        .unwrap_or_else(|| panic!("no row for {code} in:\n{table}"))
}

// ---------------------------------------------------------------------------
// rules
// ---------------------------------------------------------------------------

#[test]
fn rules_text() {
    let dir = TempDir::with_config("rules-text");
    let out = output(dir.path(), &["rules"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn rules_json() {
    let dir = TempDir::with_config("rules-json");
    let out = output(dir.path(), &["rules", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let rules = value.as_array().unwrap();
    assert_eq!(rules.len(), 36);
    for rule in rules {
        for key in [
            "code", "name", "severity", "enabled", "pack", "summary", "options",
        ] {
            assert!(rule.get(key).is_some(), "{key} missing in {rule}");
        }
        assert_eq!(rule["enabled"], true);
        assert_eq!(rule["pack"], "orglint");
    }
    let team001 = rules.iter().find(|r| r["code"] == "TEAM001").unwrap();
    assert_eq!(team001["options"][0]["name"], "require");
    assert_eq!(team001["options"][0]["type"], "group-map");
    assert_eq!(
        team001["options"][0]["default"]["product"][0],
        "product-manager"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn rules_reflect_the_config() {
    let dir = with_config(
        "rules-config",
        r#"
[lint]
ignore = ["OWN006", "GOV"]
select = ["ALL", "GOV002"]

[lint.severity]
NEED001 = "error"
"#,
    );
    let out = output(dir.path(), &["rules"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = stdout(&out);
    // CODE NAME DEFAULT SEVERITY ENABLED PACK
    assert_eq!(row(&table, "OWN006")[4], "no");
    assert_eq!(row(&table, "GOV001")[4], "no");
    assert_eq!(row(&table, "GOV002")[4], "yes", "a code beats a prefix");
    assert_eq!(row(&table, "OWN001")[4], "yes");
    assert_eq!(row(&table, "NEED001")[2..5], ["warning", "error", "yes"]);
    assert!(
        table.contains("36 rules, 31 enabled; config `orglint.toml`"),
        "{table}"
    );

    let out = output(dir.path(), &["rules", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rule = |code: &str| {
        rules
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(rule("OWN006")["enabled"], false);
    assert_eq!(rule("GOV002")["enabled"], true);
    assert_eq!(rule("NEED001")["severity"], "error");
    assert_eq!(rule("NEED001")["default_severity"], "warning");
}

#[test]
fn rules_list_user_packs() {
    let dir = with_config("rules-pack", "[lint]\npacks = [\"local/acme.toml\"]\n");
    dir.write(
        "local/acme.toml",
        r#"
[pack]
name = "acme-local"

[[rules]]
code = "ACME001"
name = "service-funding-declared"
severity = "warning"
summary = "Every service declares how it is funded"
for-each = "service"
assert = "has(service.funding)"
message = "service `{id}` does not say how it is funded"
"#,
    );
    let out = output(dir.path(), &["rules"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = stdout(&out);
    assert_eq!(
        row(&table, "ACME001"),
        [
            "ACME001",
            "service-funding-declared",
            "warning",
            "warning",
            "yes",
            "acme-local"
        ]
    );
    assert!(
        table.contains("\nACME\nACME001 "),
        "grouped by family:\n{table}"
    );

    let out = output(dir.path(), &["explain", "acme001"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("# ACME001 service-funding-declared\n"),
        "{text}"
    );
    assert!(text.contains("For each service, orglint evaluates `has(service.funding)`"));
}

#[test]
fn rules_with_a_bad_config_exit_2() {
    let dir = with_config("rules-bad-config", "[lint]\nignore = [\"GOV0099\"]\n");
    for args in [&["rules"][..], &["explain", "GOV001"]] {
        let out = output(dir.path(), args);
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(stdout(&out), "");
        let err = stderr(&out);
        assert!(
            err.contains("`GOV0099` in `[lint] ignore` matches no rule"),
            "{err}"
        );
    }
}

#[test]
fn subcommand_wins_over_a_directory_of_the_same_name() {
    let dir = TempDir::with_config("rules-dir");
    dir.write("rules/local.toml", "[pack]\nname = \"local\"\n");
    dir.write("explain/x.toml", "");
    let out = output(dir.path(), &["rules"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("CODE "), "{}", stdout(&out));

    let out = output(dir.path(), &["explain", "GOV002"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("# GOV002 stacked-consensus"));

    // A path that is not a bare command name is linted.
    let out = output(dir.path(), &["rules/"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(!stdout(&out).starts_with("CODE "));
}

// ---------------------------------------------------------------------------
// explain
// ---------------------------------------------------------------------------

#[test]
fn explain_gov002() {
    let dir = TempDir::with_config("explain-gov002");
    let out = output(dir.path(), &["explain", "GOV002"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for line in text
        .lines()
        .filter(|l| !l.starts_with('[') && !l.contains(" = "))
    {
        assert!(line.chars().count() <= 100, "too wide: {line:?}");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn explain_with_options() {
    let dir = with_config(
        "explain-options",
        "[lint.options.governance-layers]\nmax-layers = 3\n",
    );
    let out = output(dir.path(), &["explain", "GOV001"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("- `max-layers` (integer from 1 up, default `2`): The deepest layer"),
        "{text}"
    );
    assert!(text.contains("The current config sets `3`."), "{text}");
    assert!(text.contains("[lint.options.governance-layers]\nmax-layers = 2\n"));
}

#[test]
fn explain_by_name_and_in_any_case() {
    let dir = TempDir::with_config("explain-name");
    let by_code = stdout(&output(dir.path(), &["explain", "GOV002"]));
    for word in ["stacked-consensus", "gov002", "Stacked-Consensus"] {
        let out = output(dir.path(), &["explain", word]);
        assert_eq!(out.status.code(), Some(0), "{word}: {}", stderr(&out));
        assert_eq!(stdout(&out), by_code, "{word}");
    }
}

#[test]
fn explain_unknown_rule_exits_2_with_did_you_mean() {
    let dir = TempDir::with_config("explain-unknown");
    let cases = [
        ("GOV02", "did you mean `GOV002`?"),
        ("gov02", "did you mean `GOV002`?"),
        ("stacked-consensu", "did you mean `stacked-consensus`?"),
        ("GOV", "GOV001, GOV002, GOV003, GOV004, GOV005"),
        ("nothing-like-it", "`orglint rules` lists every rule"),
    ];
    for (word, help) in cases {
        let out = output(dir.path(), &["explain", word]);
        assert_eq!(out.status.code(), Some(2), "{word}");
        assert_eq!(stdout(&out), "", "{word}");
        let err = stderr(&out);
        assert!(err.contains(&format!("unknown rule `{word}`")), "{err}");
        assert!(err.contains(help), "{word}: {err}");
    }
}

// ---------------------------------------------------------------------------
// init
// ---------------------------------------------------------------------------

const INIT_FILES: [&str; 6] = [
    "orglint.toml",
    "org/organisation.toml",
    "org/people.toml",
    "org/teams.toml",
    "org/services.toml",
    "org/governance.toml",
];

/// `check` on an `init` directory: exit 0 at `--fail-on info`, and no
/// finding of any severity, suppressed or not.
fn assert_clean(cwd: &Path, paths: &[&str]) {
    let mut args = vec!["check", "--fail-on", "info"];
    args.extend(paths);
    let out = output(cwd, &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let text = stdout(&out);
    assert!(text.starts_with("No findings in 5 files"), "{text}");
    assert_eq!(stderr(&out), "");

    args.extend(["--format", "json"]);
    let out = output(cwd, &args);
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["diagnostics"], serde_json::json!([]), "{report:#}");
    assert_eq!(report["suppressed"], serde_json::json!([]), "{report:#}");
    assert_eq!(report["summary"]["files"], 5);
}

#[test]
fn init_writes_an_organisation_that_check_passes() {
    let dir = TempDir::new("init");
    let out = output(dir.path(), &["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for file in INIT_FILES {
        assert!(dir.path().join(file).is_file(), "{file} not written");
    }
    let text = stdout(&out);
    for file in INIT_FILES {
        assert!(text.contains(&format!("created  {file}\n")), "{text}");
    }
    assert!(text.contains("Next: run `orglint check`"), "{text}");
    assert_clean(dir.path(), &[]);
    assert_clean(dir.path(), &["."]);
}

#[test]
fn init_into_a_new_subdirectory() {
    let dir = TempDir::new("init-subdir");
    let out = output(dir.path(), &["init", "demo"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("created  demo/org/people.toml\n"), "{text}");
    assert!(text.contains("Next: run `orglint check demo`"), "{text}");
    // As the message says, from where init ran; and from inside.
    assert_clean(dir.path(), &["demo"]);
    assert_clean(&dir.path().join("demo"), &[]);
}

#[test]
fn init_config_shows_every_section() {
    let dir = TempDir::new("init-config");
    assert_eq!(output(dir.path(), &["init"]).status.code(), Some(0));
    let config = dir.read("orglint.toml");
    for section in [
        "[files]",
        "include = ",
        "exclude = ",
        "max-file-size = ",
        "max-files = ",
        "[lint]",
        "select = [\"ALL\"]",
        "ignore = []",
        "fail-on = \"error\"",
        "packs = []",
        "max-findings = 1000",
        "[lint.severity]",
        "[lint.options.governance-layers]",
        "max-layers = 2",
        "[lint.options.owner-overloaded]",
        "max-services = 3",
        "[lint.options.supplier-majority]",
        "max-supplier-share = 0.5",
        "[lint.options.core-roles.require]",
        "# [[lint.overrides]]",
    ] {
        assert!(config.contains(section), "{section} missing");
    }
    let out = output(dir.path(), &["rules", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rules: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(
        rules
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["enabled"] == true && r["severity"] == r["default_severity"])
    );
}

#[test]
fn init_refuses_to_overwrite() {
    let dir = TempDir::new("init-refuses");
    dir.write("org/people.toml", "# mine\n");
    let out = output(dir.path(), &["init"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("error: `org/people.toml` already exists; not overwriting it"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(stdout(&out), "");
    // Nothing is written, not even the files that did not exist.
    assert_eq!(dir.read("org/people.toml"), "# mine\n");
    assert!(!dir.path().join("orglint.toml").exists());
    assert!(!dir.path().join("org/teams.toml").exists());

    // A second init over a complete one names every file.
    let other = TempDir::new("init-twice");
    assert_eq!(output(other.path(), &["init", "x"]).status.code(), Some(0));
    let out = output(other.path(), &["init", "x"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for file in INIT_FILES {
        assert!(err.contains(&format!("`x/{file}` already exists")), "{err}");
    }
    assert!(err.contains("`orglint init x --force`"), "{err}");
}

#[test]
fn init_force_overwrites() {
    let dir = TempDir::new("init-force");
    dir.write("orglint.toml", "[lint]\nignore = [\"ALL\"]\n");
    dir.write("org/people.toml", "# mine\n");
    let out = output(dir.path(), &["init", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("overwrote  orglint.toml\n"), "{text}");
    assert!(text.contains("overwrote  org/people.toml\n"), "{text}");
    assert!(text.contains("created    org/teams.toml\n"), "{text}");
    assert_ne!(dir.read("org/people.toml"), "# mine\n");
    assert_clean(dir.path(), &[]);
}

#[test]
fn init_into_a_file_exits_2() {
    let dir = TempDir::new("init-file");
    dir.write("taken", "");
    let out = output(dir.path(), &["init", "taken"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`taken` exists and is not a directory"));
}
