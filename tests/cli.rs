//! The `orglint` command line end to end: exit codes, routing, formats,
//! determinism and order, rule selection and severities, colour, quiet and
//! statistics, inline suppressions, paths and discovery, and a reader that
//! goes away (`orglint check | head -1`).
//!
//! Every test runs the real binary in a scratch directory of its own (with
//! an `orglint.toml` at its root, so nothing of the machine is picked up).

mod common;

use std::path::Path;

use common::{
    ONE_WARNING_SERVICE, TempDir, VALID_ORG, codes, command, orglint, ownerless_service, positions,
    suppressed_positions, unplaced_person, without_time,
};

/// A scratch directory holding a copy of `fixtures/example` in `example/`.
fn example() -> (TempDir, std::path::PathBuf) {
    let tmp = TempDir::with_example("example", "example");
    let dir = tmp.join("example");
    (tmp, dir)
}

/// The 13 findings of `fixtures/example/EXPECTED.md`, from its
/// `path:line:col CODE` block.
fn expected_example() -> Vec<String> {
    let text =
        std::fs::read_to_string(common::fixture("example/EXPECTED.md")).expect("EXPECTED.md");
    let start = text
        .find("As `path:line:col CODE` lines")
        .expect("the expect block of EXPECTED.md");
    let block = &text[start..];
    let open = block.find("```\n").expect("code block") + 4;
    let close = open + block[open..].find("```").expect("end of code block");
    block[open..close]
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The valid organisation plus one NEED002 warning (services.toml:6:15).
fn one_warning_org(tag: &str) -> TempDir {
    let tmp = TempDir::with_config(tag);
    tmp.write("org.toml", VALID_ORG);
    tmp.write("services.toml", ONE_WARNING_SERVICE);
    tmp
}

fn has_ansi(s: &str) -> bool {
    s.contains('\u{1b}')
}

/// The sort key of a json diagnostic: spanned, path components, line,
/// column, code.
fn order_key(d: &serde_json::Value) -> (bool, Vec<String>, u64, u64, String) {
    let path = d["path"].as_str();
    (
        path.is_some(),
        path.map(|p| p.split('/').map(str::to_owned).collect())
            .unwrap_or_default(),
        d["start"]["line"].as_u64().unwrap_or(0),
        d["start"]["column"].as_u64().unwrap_or(0),
        d["code"].as_str().unwrap_or("").to_owned(),
    )
}

fn assert_report_order(doc: &serde_json::Value) {
    let list = doc["diagnostics"].as_array().expect("diagnostics");
    for pair in list.windows(2) {
        let (a, b) = (order_key(&pair[0]), order_key(&pair[1]));
        assert!(a <= b, "out of order:\n{a:?}\n{b:?}");
    }
}

// ---------------------------------------------------------------------------
// Exit codes

#[test]
fn exit_0_on_a_clean_org() {
    let tmp = TempDir::with_config("clean");
    tmp.copy_dir(&common::fixture("rules/GOV001/pass"), "org");
    let run = orglint(&tmp.join("org"), &["check"]);
    run.assert_no_panic().assert_code(0);
    assert!(run.stdout.starts_with("No findings in "), "{}", run.stdout);
    assert_eq!(run.stderr, "");
}

#[test]
fn exit_1_with_findings() {
    let (_tmp, dir) = example();
    let run = orglint(&dir, &["check"]);
    run.assert_no_panic().assert_code(1);
    assert_eq!(run.stderr, "");
}

#[test]
fn exit_2_for_a_path_that_does_not_exist() {
    let tmp = one_warning_org("missing-path");
    let run = orglint(tmp.path(), &["check", "no-such-dir"]);
    run.assert_no_panic().assert_code(2);
    assert_eq!(run.stdout, "", "nothing is linted");
    assert!(
        run.stderr.contains("`no-such-dir` does not exist"),
        "{}",
        run.stderr
    );

    // One missing path among existing ones is enough; nothing is linted.
    let run = orglint(tmp.path(), &["check", "services.toml", "gone.toml", "."]);
    run.assert_no_panic().assert_code(2);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("`gone.toml`"), "{}", run.stderr);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    assert!(!run.stderr.contains("NEED002"), "{}", run.stderr);
}

#[test]
fn exit_2_for_bad_flags() {
    let tmp = one_warning_org("bad-flags");
    for args in [
        &["check", "--bogus"][..],
        &["--bogus"],
        &["check", "--fail-on", "sometimes"],
        &["check", "--color", "purple"],
        &["check", "--format"],
    ] {
        let run = orglint(tmp.path(), args);
        run.assert_no_panic().assert_code(2);
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(!run.stderr.is_empty(), "{args:?}: an error on stderr");
    }
    let run = orglint(tmp.path(), &["check", "--fail-on", "sometimes"]);
    assert!(
        run.stderr.contains("`error`, `warning`, `info` or `never`"),
        "{}",
        run.stderr
    );
}

#[test]
fn exit_2_for_an_unknown_config_key_with_did_you_mean() {
    let tmp = one_warning_org("bad-config");
    tmp.write("orglint.toml", "[lint]\nfail-onn = \"warning\"\n");
    let run = orglint(tmp.path(), &["check", "--color", "never"]);
    run.assert_no_panic().assert_code(2);
    assert_eq!(run.stdout, "");
    // A miette report pointing into orglint.toml, with did-you-mean.
    for needle in [
        "unknown key `fail-onn`",
        "[orglint.toml:2:1]",
        "2 │ fail-onn = \"warning\"",
        "did you mean `fail-on`?",
        "orglint cannot run: 1 configuration error",
    ] {
        assert!(
            run.stderr.contains(needle),
            "missing {needle:?} in:\n{}",
            run.stderr
        );
    }

    // The same through --config from elsewhere.
    let elsewhere = TempDir::with_config("bad-config-elsewhere");
    let config = tmp.join("orglint.toml");
    let run = orglint(
        elsewhere.path(),
        &[
            "check",
            "--config",
            config.to_str().unwrap(),
            tmp.path().to_str().unwrap(),
        ],
    );
    run.assert_no_panic().assert_code(2);
    assert!(
        run.stderr.contains("did you mean `fail-on`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn exit_2_for_invalid_config_values() {
    let tmp = one_warning_org("bad-config-values");
    for (config, needle) in [
        ("[lint]\nselect = [\"GOV01\"]\n", "did you mean `GOV001`?"),
        ("[lint]\nfail-on = \"sometimes\"\n", "fail-on"),
        ("[lint]\nignore = [\"ORG008\"]\n", "ORG008"),
        ("[files]\ninclude = [\"[\"]\n", "orglint.toml"),
        ("[lint\n", "invalid TOML"),
    ] {
        tmp.write("orglint.toml", config);
        let run = orglint(tmp.path(), &["check", "--color", "never"]);
        run.assert_no_panic().assert_code(2);
        assert_eq!(run.stdout, "", "{config}");
        assert!(
            run.stderr.contains(needle),
            "{config}: {needle:?} not in\n{}",
            run.stderr
        );
    }
}

#[test]
fn exit_2_for_a_config_file_that_does_not_exist() {
    let tmp = one_warning_org("no-config");
    let run = orglint(tmp.path(), &["check", "--config", "nowhere.toml"]);
    run.assert_no_panic().assert_code(2);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("nowhere.toml"), "{}", run.stderr);
}

#[test]
fn exit_2_for_an_unknown_format() {
    let tmp = one_warning_org("bad-format");
    let run = orglint(tmp.path(), &["check", "--format", "nope"]);
    run.assert_no_panic().assert_code(2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("unknown format `nope`"),
        "{}",
        run.stderr
    );

    let run = orglint(tmp.path(), &["check", "--format", "jsn"]);
    run.assert_no_panic().assert_code(2);
    assert!(run.stderr.contains("`json`"), "{}", run.stderr);
}

/// `check --help` lists every format `--format` accepts.
#[test]
fn check_help_lists_every_format() {
    let tmp = TempDir::with_config("help-formats");
    let run = orglint(tmp.path(), &["check", "--help"]);
    run.assert_no_panic().assert_code(0);
    let help = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains(
            "`human`, `short`, `json`, `sarif`, `github`, `junit` or `markdown` (default `human`"
        ),
        "{}",
        run.stdout
    );
    // Each one is accepted.
    for format in [
        "human", "short", "json", "sarif", "github", "junit", "markdown",
    ] {
        let run = orglint(tmp.path(), &["check", "-q", "--format", format]);
        run.assert_no_panic().assert_code(1);
    }
}

#[test]
fn exit_2_for_two_formats_to_stdout() {
    let tmp = one_warning_org("two-stdout");
    let run = orglint(
        tmp.path(),
        &["check", "--format", "json", "--format", "short"],
    );
    run.assert_no_panic().assert_code(2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("at most one `--format`"),
        "{}",
        run.stderr
    );
}

#[test]
fn fail_on_flag_sets_the_threshold() {
    // One warning (NEED002) and one info (ORG007).
    let tmp = one_warning_org("fail-on");
    tmp.write("people.toml", unplaced_person("wendy-hale"));
    let doc = orglint(tmp.path(), &["check", "--format", "json"]).json();
    assert_eq!(codes(&doc), ["ORG007", "NEED002"]);
    for (flag, code) in [
        (None, 0),
        (Some("error"), 0),
        (Some("warning"), 1),
        (Some("info"), 1),
        (Some("never"), 0),
    ] {
        let mut args = vec!["check", "-q"];
        if let Some(f) = flag {
            args.extend(["--fail-on", f]);
        }
        orglint(tmp.path(), &args)
            .assert_no_panic()
            .assert_code(code);
    }

    // Info only: warning does not fail, info does.
    let tmp = TempDir::with_config("fail-on-info");
    tmp.write("org.toml", VALID_ORG);
    tmp.write("people.toml", unplaced_person("wendy-hale"));
    for (flag, code) in [("error", 0), ("warning", 0), ("info", 1), ("never", 0)] {
        orglint(tmp.path(), &["check", "-q", "--fail-on", flag]).assert_code(code);
    }

    // Errors: only never passes.
    let (_tmp, dir) = example();
    for (flag, code) in [("error", 1), ("warning", 1), ("info", 1), ("never", 0)] {
        orglint(&dir, &["check", "-q", "--fail-on", flag]).assert_code(code);
    }
}

#[test]
fn fail_on_in_config() {
    let tmp = one_warning_org("fail-on-config");
    orglint(tmp.path(), &["check"]).assert_code(0);
    tmp.write("orglint.toml", "[lint]\nfail-on = \"warning\"\n");
    orglint(tmp.path(), &["check"]).assert_code(1);
    // The flag beats the config.
    orglint(tmp.path(), &["check", "--fail-on", "error"]).assert_code(0);

    tmp.write("services2.toml", ownerless_service("archive"));
    tmp.write("orglint.toml", "[lint]\nfail-on = \"never\"\n");
    orglint(tmp.path(), &["check"]).assert_code(0);
    orglint(tmp.path(), &["check", "--fail-on", "error"]).assert_code(1);
}

#[test]
fn no_org_files_is_org005() {
    let tmp = TempDir::with_config("no-files");
    tmp.mkdir("empty");
    let run = orglint(tmp.path(), &["check", "--format", "short", "empty"]);
    run.assert_no_panic().assert_code(1);
    assert!(
        run.stdout
            .contains("error[ORG005] no org files under `empty`"),
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------------------
// Routing

#[test]
fn a_path_means_check() {
    let (_tmp, dir) = example();
    let check = orglint(&dir, &["check", "--format", "short", "."]);
    let bare = orglint(&dir, &["--format", "short", "."]);
    let path_first = orglint(&dir, &[".", "--format", "short"]);
    let nothing = orglint(&dir, &["--format", "short"]);
    for run in [&check, &bare, &path_first, &nothing] {
        run.assert_no_panic().assert_code(1);
        assert_eq!(run.stdout, check.stdout);
    }
    // Global flags before the path.
    let quiet = orglint(&dir, &["-q", "--color", "never", "services.toml"]);
    quiet.assert_no_panic().assert_code(1);
    assert!(quiet.stdout.contains("OWN001"), "{}", quiet.stdout);
    assert!(!quiet.stdout.contains("Found "), "{}", quiet.stdout);
    let plain = orglint(&dir, &[]);
    plain.assert_no_panic().assert_code(1);
    assert!(
        plain.stdout.contains("Found 4 errors, 8 warnings, 1 info"),
        "{}",
        plain.stdout
    );
}

#[test]
fn a_near_miss_subcommand_is_an_error_with_did_you_mean() {
    let tmp = one_warning_org("chek");
    let run = orglint(tmp.path(), &["chek"]);
    run.assert_no_panic().assert_code(2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("did you mean `orglint check`?"),
        "{}",
        run.stderr
    );

    // An existing path of that name is a path.
    tmp.write("chek/services.toml", ONE_WARNING_SERVICE);
    let run = orglint(tmp.path(), &["chek", "--format", "short"]);
    run.assert_no_panic().assert_code(1);
    assert!(
        run.stdout
            .contains("chek/services.toml:6:15: warning[NEED002]"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_subcommand_name_wins_over_a_folder() {
    let tmp = one_warning_org("rules-folder");
    tmp.write("rules/services.toml", ownerless_service("archive"));
    let run = orglint(tmp.path(), &["rules"]);
    run.assert_no_panic().assert_code(0);
    assert!(
        run.stdout.contains("GOV001"),
        "the rule list:\n{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("rules/services.toml"),
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------------------
// Formats on the example department

#[test]
fn example_matches_expected_md() {
    let (_tmp, dir) = example();
    let run = orglint(&dir, &["check", "--format", "json"]);
    run.assert_no_panic().assert_code(1);
    let doc = run.json();
    assert_eq!(positions(&doc), expected_example());
    assert_eq!(
        suppressed_positions(&doc),
        ["teams/licensing.toml:59:11 TEAM001"]
    );
    let summary = &doc["summary"];
    assert_eq!(summary["errors"], 4);
    assert_eq!(summary["warnings"], 8);
    assert_eq!(summary["infos"], 1);
    assert_eq!(summary["files"], 10);
    assert_eq!(summary["suppressed"], 1);
}

#[test]
fn example_short() {
    let (_tmp, dir) = example();
    let run = orglint(&dir, &["check", "--format", "short"]);
    run.assert_no_panic().assert_code(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 13, "the 13 findings and nothing else");
    // The summary, without the time, goes to standard error.
    assert_eq!(
        run.stderr,
        "Found 4 errors, 8 warnings, 1 info in 10 files (79 entities); 1 suppressed\n"
    );
    // Same places as EXPECTED.md, in the same order.
    let got: Vec<String> = lines
        .iter()
        .map(|l| {
            let (place, rest) = l.split_once(": ").expect("path:line:col: ...");
            let code = &rest[rest.find('[').unwrap() + 1..rest.find(']').unwrap()];
            format!("{place} {code}")
        })
        .collect();
    assert_eq!(got, expected_example());
    insta::assert_snapshot!("example_short", run.stdout);
}

#[test]
fn example_json() {
    let (_tmp, dir) = example();
    let run = orglint(&dir, &["check", "--format", "json"]);
    run.assert_no_panic().assert_code(1);
    let doc = run.json();
    // Every diagnostic has the documented fields.
    for d in doc["diagnostics"].as_array().unwrap() {
        for key in [
            "code", "name", "severity", "message", "path", "start", "end", "offset", "length",
            "entity", "help", "related",
        ] {
            assert!(d.get(key).is_some(), "{key} missing in {d}");
        }
    }
    let version = doc["version"].as_str().expect("version").to_owned();
    insta::assert_snapshot!(
        "example_json",
        run.stdout.replace(
            &format!("\"version\": \"{version}\""),
            "\"version\": \"<version>\""
        )
    );
}

#[test]
fn example_human() {
    let (_tmp, dir) = example();
    let run = orglint(&dir, &["check", "--color", "never"]);
    run.assert_no_panic().assert_code(1);
    assert!(!has_ansi(&run.stdout));
    let last = run.stdout.lines().last().unwrap_or("");
    assert!(
        last.starts_with(
            "Found 4 errors, 8 warnings, 1 info in 10 files (79 entities); 1 suppressed; "
        ),
        "{last}"
    );
    insta::assert_snapshot!("example_human", without_time(&run.stdout));
}

#[test]
fn several_formats_in_one_run() {
    let (tmp, dir) = example();
    let json_file = tmp.join("report.json");
    let run = orglint(
        &dir,
        &[
            "check",
            "--format",
            &format!("json:{}", json_file.display()),
            "--format",
            "short",
        ],
    );
    run.assert_no_panic().assert_code(1);
    let short = orglint(&dir, &["check", "--format", "short"]);
    assert_eq!(run.stdout, short.stdout);
    let json = orglint(&dir, &["check", "--format", "json"]);
    assert_eq!(tmp.read("report.json"), json.stdout);

    // A relative FILE is relative to the current directory; every report
    // may go to a file, leaving stdout empty.
    let run = orglint(
        &dir,
        &[
            "check",
            "--format",
            "short:out/short.txt",
            "--format",
            "json:report.json",
        ],
    );
    // `out/` does not exist: the report cannot be written, exit 2.
    run.assert_no_panic().assert_code(2);
    assert!(run.stderr.contains("out/short.txt"), "{}", run.stderr);
    tmp.mkdir("example/out");
    let run = orglint(
        &dir,
        &[
            "check",
            "--format",
            "short:out/short.txt",
            "--format",
            "json:report.json",
        ],
    );
    run.assert_no_panic().assert_code(1);
    assert_eq!(run.stdout, "");
    assert_eq!(tmp.read("example/out/short.txt"), short.stdout);
    assert_eq!(tmp.read("example/report.json"), json.stdout);
}

#[test]
fn never_colour_in_a_file() {
    let (tmp, dir) = example();
    let out = tmp.join("human.txt");
    let run = orglint(
        &dir,
        &[
            "check",
            "--color",
            "always",
            "--format",
            &format!("human:{}", out.display()),
        ],
    );
    run.assert_no_panic().assert_code(1);
    let text = tmp.read("human.txt");
    assert!(text.contains("GOV005"), "{text}");
    assert!(!has_ansi(&text), "colour in a file");
}

// ---------------------------------------------------------------------------
// Determinism and order

/// A multi-file organisation with findings in many files, written in the
/// given file order (to vary directory order between copies).
fn generated_org(tag: &str, reverse: bool) -> TempDir {
    let tmp = TempDir::with_config(tag);
    let mut files: Vec<(String, String)> = vec![("org.toml".into(), VALID_ORG.into())];
    // Paths that order differently component by component than as strings:
    // `a/b.toml` < `a-b.toml` < `a.toml`.
    for (i, rel) in [
        "a/b.toml",
        "a-b.toml",
        "a.toml",
        "a/a/z.toml",
        "people/x.toml",
    ]
    .iter()
    .enumerate()
    {
        let mut text = String::new();
        for j in 0..8 {
            text.push_str(&unplaced_person(&format!("p{i}-{j}")));
            text.push('\n');
            // OWN001 and NEED001 at the same header: ordered by code.
            text.push_str(&format!("[services.s{i}-{j}]\nname = \"S\"\n\n"));
        }
        files.push(((*rel).into(), text));
    }
    for i in 0..20 {
        let mut text = String::new();
        for j in 0..10 {
            text.push_str(&unplaced_person(&format!("q{i}-{j}")));
            text.push('\n');
        }
        files.push((format!("many/f{i:02}.toml"), text));
    }
    if reverse {
        files.reverse();
    }
    for (rel, text) in files {
        tmp.write(&rel, text);
    }
    tmp
}

#[test]
fn two_runs_are_byte_identical() {
    let (_tmp, dir) = example();
    let generated = generated_org("determinism", false);
    for dir in [dir.as_path(), generated.path()] {
        for format in ["short", "json", "human"] {
            let args = ["check", "--color", "never", "--format", format];
            let a = orglint(dir, &args);
            let b = orglint(dir, &args);
            a.assert_no_panic();
            if format == "human" {
                // The human summary's time aside.
                assert_eq!(without_time(&a.stdout), without_time(&b.stdout), "{format}");
            } else {
                assert_eq!(a.raw_stdout, b.raw_stdout, "{format} in {}", dir.display());
                assert_eq!(a.stderr, b.stderr, "{format} in {}", dir.display());
            }
        }
    }
}

#[test]
fn output_does_not_depend_on_directory_order() {
    let forward = generated_org("order-fwd", false);
    let backward = generated_org("order-back", true);
    for format in ["short", "json", "human"] {
        let args = [
            "check", "--color", "never", "--format", format, "--select", "ALL",
        ];
        let a = orglint(forward.path(), &args);
        let b = orglint(backward.path(), &args);
        assert_eq!(without_time(&a.stdout), without_time(&b.stdout), "{format}");
    }
}

#[test]
fn output_order_is_path_line_column_code() {
    let tmp = generated_org("order", false);
    let run = orglint(tmp.path(), &["check", "--format", "json"]);
    run.assert_no_panic().assert_code(1);
    let doc = run.json();
    assert_report_order(&doc);
    let got = positions(&doc);
    // Component order, not string order.
    let first_of = |prefix: &str| got.iter().position(|p| p.starts_with(prefix)).unwrap();
    assert!(first_of("a/a/z.toml:") < first_of("a/b.toml:"));
    assert!(first_of("a/b.toml:") < first_of("a-b.toml:"));
    assert!(first_of("a-b.toml:") < first_of("a.toml:"));
    assert!(first_of("a.toml:") < first_of("many/f00.toml:"));
    assert!(first_of("many/f19.toml:") < first_of("people/x.toml:"));
    // Same place: by code.
    let i = got
        .iter()
        .position(|p| p == "a/b.toml:6:1 NEED001")
        .expect("NEED001");
    assert_eq!(got[i + 1], "a/b.toml:6:1 OWN001");

    // The short format lists the same findings in the same order.
    let short = orglint(tmp.path(), &["check", "--format", "short", "-q"]);
    let short_places: Vec<String> = short
        .stdout
        .lines()
        .map(|l| {
            let code = &l[l.find('[').unwrap() + 1..l.find(']').unwrap()];
            match l.split_once(": ") {
                Some((place, _)) if place.contains(".toml:") => format!("{place} {code}"),
                _ => format!("- {code}"),
            }
        })
        .collect();
    assert_eq!(short_places, got);

    let (_tmp, dir) = example();
    assert_report_order(&orglint(&dir, &["check", "--format", "json"]).json());
}

// ---------------------------------------------------------------------------
// Selection, severities, overrides

fn example_codes(dir: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let run = orglint(dir, &args);
    run.assert_no_panic();
    codes(&run.json())
}

#[test]
fn select_and_ignore_by_code_prefix_and_name() {
    let (_tmp, dir) = example();
    assert_eq!(
        example_codes(&dir, &["--select", "GOV"]),
        ["GOV005", "GOV001", "GOV002"]
    );
    assert_eq!(example_codes(&dir, &["--select", "GOV002"]), ["GOV002"]);
    assert_eq!(
        example_codes(&dir, &["--select", "stacked-consensus"]),
        ["GOV002"]
    );
    assert_eq!(
        example_codes(&dir, &["--select", "stacked-consensus,OWN001"]),
        ["GOV002", "OWN001"]
    );
    assert_eq!(
        example_codes(&dir, &["--select", "GOV", "--select", "OWN001"]),
        ["GOV005", "GOV001", "GOV002", "OWN001"]
    );
    assert_eq!(
        example_codes(
            &dir,
            &["--select", "GOV", "--ignore", "GOV002,governance-layers"]
        ),
        ["GOV005"]
    );
    assert_eq!(
        example_codes(&dir, &["--ignore", "TEAM,OWN,GOV"]),
        ["ORG007", "MODEL002", "NEED002", "NEED001"]
    );
    // The most specific selector wins; a tie goes to ignore.
    assert_eq!(
        example_codes(&dir, &["--select", "GOV002", "--ignore", "GOV"]),
        ["GOV002"]
    );
    assert_eq!(
        example_codes(&dir, &["--select", "GOV", "--ignore", "GOV002"]),
        ["GOV005", "GOV001"]
    );
    assert!(example_codes(&dir, &["--select", "GOV001", "--ignore", "GOV001"]).is_empty());
    // Disabling TEAM001 leaves its suppression unmatched without META001.
    let all_but_team001 = example_codes(&dir, &["--ignore", "TEAM001"]);
    assert_eq!(all_but_team001.len(), 12);
    assert!(!all_but_team001.iter().any(|c| c.starts_with("META")));
}

#[test]
fn cli_selectors_replace_the_config_lists() {
    let (tmp, dir) = example();
    tmp.write(
        "orglint.toml",
        "[lint]\nselect = [\"OWN\"]\nignore = [\"OWN004\"]\n",
    );
    assert_eq!(example_codes(&dir, &[]), ["OWN003", "OWN001"]);
    assert_eq!(
        example_codes(&dir, &["--select", "GOV"]),
        ["GOV005", "GOV001", "GOV002"]
    );
    assert_eq!(
        example_codes(&dir, &["--ignore", "OWN001"]),
        ["OWN003", "OWN004"],
        "--ignore replaces the config's ignore, select stays"
    );
}

#[test]
fn bad_selectors_exit_2() {
    let (_tmp, dir) = example();
    for args in [
        &["check", "--select", "NOPE"][..],
        &["check", "--ignore", "GOV999"],
        &["check", "--ignore", "ORG008"],
        &["check", "--ignore", "invalid-file"],
    ] {
        let run = orglint(&dir, args);
        run.assert_no_panic().assert_code(2);
        assert_eq!(run.stdout, "", "{args:?}");
    }
}

#[test]
fn lint_severity_in_config() {
    let (tmp, dir) = example();
    tmp.write(
        "orglint.toml",
        "[lint.severity]\nNEED002 = \"error\"\nuser-needs = \"info\"\nOWN004 = \"warning\"\nORG007 = \"error\"\n",
    );
    let run = orglint(&dir, &["check", "--format", "json"]);
    run.assert_no_panic().assert_code(1);
    let doc = run.json();
    let severity = |code: &str| -> String {
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == code)
            .map(|d| d["severity"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("{code} missing"))
    };
    assert_eq!(severity("NEED002"), "error");
    assert_eq!(severity("NEED001"), "info");
    assert_eq!(
        severity("OWN004"),
        "warning",
        "a configured severity replaces OWN004's levels"
    );
    assert_eq!(severity("ORG007"), "error");
    assert_eq!(severity("GOV005"), "warning", "untouched");
    assert_eq!(doc["summary"]["errors"], 5);
    assert_eq!(doc["summary"]["warnings"], 7);
    assert_eq!(doc["summary"]["infos"], 1);

    // Per rule only: a prefix is a config error.
    tmp.write("orglint.toml", "[lint.severity]\nOWN = \"info\"\n");
    let run = orglint(&dir, &["check", "--color", "never"]);
    run.assert_no_panic().assert_code(2);
    assert!(run.stderr.contains("orglint.toml:2:1]"), "{}", run.stderr);

    tmp.write("orglint.toml", "[lint.severity]\nORG008 = \"warning\"\n");
    orglint(&dir, &["check"]).assert_no_panic().assert_code(2);
    tmp.write("orglint.toml", "[lint.severity]\nNEED002 = \"fatal\"\n");
    orglint(&dir, &["check"]).assert_no_panic().assert_code(2);
}

#[test]
fn lint_overrides_in_config() {
    let (tmp, dir) = example();
    tmp.write(
        "orglint.toml",
        r#"[lint]
fail-on = "warning"

[[lint.overrides]]
files = ["example/teams/**"]
ignore = ["TEAM004"]
severity = { OWN004 = "warning", TEAM002 = "info" }

[[lint.overrides]]
files = ["example/teams/platforms.toml"]
severity = { department-ownership = "info" }

[[lint.overrides]]
files = ["example/services.toml"]
ignore = ["OWN"]
"#,
    );
    let run = orglint(&dir, &["check", "--format", "json"]);
    run.assert_no_panic().assert_code(1);
    let doc = run.json();
    let got: Vec<String> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {} {}",
                d["path"].as_str().unwrap_or("-"),
                d["code"].as_str().unwrap(),
                d["severity"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "governance.toml GOV005 warning",
            "governance.toml GOV001 warning",
            "governance.toml GOV002 error",
            "people/licensing.toml ORG007 info",
            "services.toml MODEL002 warning",
            "services.toml NEED002 warning",
            "services.toml NEED001 warning",
            "teams/licensing.toml TEAM001 warning",
            "teams/platforms.toml TEAM002 info",
            "teams/platforms.toml OWN004 info",
        ],
        "globs are relative to the config's directory; later entries win"
    );

    // An override that turns everything down lets the run pass.
    tmp.write(
        "orglint.toml",
        "[lint]\nfail-on = \"warning\"\n[[lint.overrides]]\nfiles = [\"**\"]\nignore = [\"ALL\"]\n",
    );
    let run = orglint(&dir, &["check", "--format", "short", "-q"]);
    run.assert_no_panic().assert_code(0);
}

// ---------------------------------------------------------------------------
// Quiet, colour, statistics

#[test]
fn quiet_drops_the_summary() {
    let (_tmp, dir) = example();
    let human = orglint(&dir, &["check", "-q", "--color", "never"]);
    human.assert_no_panic().assert_code(1);
    assert!(human.stdout.contains("GOV005"));
    assert!(!human.stdout.contains("Found "), "{}", human.stdout);
    assert!(!human.stdout.contains("suppressed"), "{}", human.stdout);

    let short = orglint(&dir, &["check", "--quiet", "--format", "short"]);
    short.assert_no_panic().assert_code(1);
    assert_eq!(short.stdout.lines().count(), 13, "{}", short.stdout);
    assert_eq!(short.stderr, "", "no summary on standard error either");

    let clean = one_warning_org("quiet-clean");
    std::fs::remove_file(clean.join("services.toml")).unwrap();
    let run = orglint(clean.path(), &["check", "-q"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "", "nothing at all for a clean quiet run");

    // json is not affected.
    let json = orglint(&dir, &["check", "-q", "--format", "json"]);
    assert_eq!(
        json.stdout,
        orglint(&dir, &["check", "--format", "json"]).stdout
    );
}

/// `--format short` writes the finding lines and nothing else to standard
/// output, the same bytes every run; the summary (without the time) and the
/// notes, the one about findings beyond `max-findings` first, go to standard
/// error, and `-q` drops them.
#[test]
fn short_stdout_is_only_the_findings() {
    let (tmp, dir) = example();
    tmp.write("orglint.toml", "[lint]\nmax-findings = 5\n");
    let a = orglint(&dir, &["check", "--format", "short"]);
    let b = orglint(&dir, &["check", "--format", "short"]);
    a.assert_no_panic().assert_code(1);
    assert_eq!(a.raw_stdout, b.raw_stdout);
    assert_eq!(a.stderr, b.stderr);
    let lines: Vec<&str> = a.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{}", a.stdout);
    for line in &lines {
        assert!(
            [": error[", ": warning[", ": info["]
                .iter()
                .any(|s| line.contains(s)),
            "not a finding: {line:?}"
        );
    }
    assert_eq!(
        a.stderr,
        "Found 4 errors, 8 warnings, 1 info in 10 files (79 entities); 1 suppressed\n\
         note: 8 more findings not shown (at most 5 are printed; see [lint] max-findings)\n"
    );
    let quiet = orglint(&dir, &["check", "-q", "--format", "short"]);
    assert_eq!(quiet.raw_stdout, a.raw_stdout);
    assert_eq!(quiet.stderr, "");

    // A human report on standard output carries the summary: not repeated.
    let both = orglint(
        &dir,
        &["check", "--color", "never", "--format", "short:short.txt"],
    );
    assert_eq!(both.stdout, "");
    assert_eq!(tmp.read("example/short.txt"), a.stdout);
    assert_eq!(both.stderr, a.stderr);
    let both = orglint(
        &dir,
        &[
            "check",
            "--color",
            "never",
            "--format",
            "human",
            "--format",
            "short:short.txt",
        ],
    );
    assert!(both.stdout.contains("\nFound 4 errors"), "{}", both.stdout);
    assert_eq!(both.stderr, "");
}

/// decisions.md 28: without a terminal the human report holds to 100
/// columns; only lines quoting the source (and the labels drawn under
/// them) may be longer.
#[test]
fn human_lines_fit_in_100_columns() {
    let (_tmp, dir) = example();
    let run = orglint(&dir, &["check", "--color", "never"]);
    run.assert_no_panic().assert_code(1);
    let is_snippet = |line: &str| {
        let t = line.trim_start();
        let after_number = t.trim_start_matches(|c: char| c.is_ascii_digit());
        t.starts_with('·') || (after_number.len() < t.len() && after_number.starts_with(" │"))
    };
    let long: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.chars().count() > 100 && !is_snippet(l))
        .collect();
    assert!(
        long.is_empty(),
        "lines over 100 columns:\n{}",
        long.join("\n")
    );
    // The rule URL of a long header is on a line of its own.
    assert!(
        run.stdout.contains(
            "warning[MODEL002] project-funding-in-product-model\n\
             (https://github.com/orglint/orglint/blob/main/docs/rules.md#model002)\n"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn colour_only_when_asked() {
    let (_tmp, dir) = example();
    // stdout is a pipe: no colour by default.
    let default = orglint(&dir, &["check"]);
    assert!(
        !has_ansi(&default.stdout),
        "no colour when stdout is not a terminal"
    );

    let always = orglint(&dir, &["check", "--color", "always"]);
    always.assert_no_panic().assert_code(1);
    assert!(has_ansi(&always.stdout), "--color always colours");

    let never = orglint(&dir, &["check", "--color", "never"]);
    assert!(!has_ansi(&never.stdout));

    // NO_COLOR is honoured, and --color beats it.
    let mut cmd = command(&dir, &["check"]);
    cmd.env("NO_COLOR", "1");
    let no_color = common::run(cmd);
    assert!(!has_ansi(&no_color.stdout));
    assert_eq!(without_time(&no_color.stdout), without_time(&never.stdout));
    let mut cmd = command(&dir, &["check", "--color", "always"]);
    cmd.env("NO_COLOR", "1");
    let forced = common::run(cmd);
    assert!(has_ansi(&forced.stdout), "--color always beats NO_COLOR");

    // Colour never changes the text.
    let stripped = strip_ansi(&always.stdout);
    assert_eq!(without_time(&stripped), without_time(&never.stdout));

    // Machine formats never carry escapes.
    for format in ["json", "short"] {
        let run = orglint(&dir, &["check", "--color", "always", "--format", format]);
        assert!(!has_ansi(&run.stdout), "{format}");
    }
}

/// Removes CSI sequences (`ESC [ ... letter`) and OSC 8 links.
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            Some(']') => {
                // OSC: up to BEL or ESC \.
                while let Some(c) = chars.next() {
                    if c == '\u{7}' {
                        break;
                    }
                    if c == '\u{1b}' {
                        chars.next();
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn statistics_count_per_rule() {
    let tmp = one_warning_org("statistics");
    tmp.write(
        "people.toml",
        format!("{}\n{}", unplaced_person("p1"), unplaced_person("p2")),
    );
    tmp.write(
        "more.toml",
        format!(
            "{}\n{}\n{}",
            ownerless_service("s1"),
            ownerless_service("s2"),
            ownerless_service("s3")
        ),
    );
    for format in ["short", "human"] {
        let run = orglint(
            tmp.path(),
            &[
                "check",
                "--statistics",
                "--color",
                "never",
                "--format",
                format,
            ],
        );
        run.assert_no_panic().assert_code(1);
        // short: after the findings and an empty line; human: after the
        // summary line.
        let tail: Vec<String> = run
            .stdout
            .lines()
            .skip_while(|l| match format {
                "short" => !l.is_empty(),
                _ => !l.starts_with("Found "),
            })
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(
            tail,
            [
                "3 OWN001 error service-owner",
                "2 ORG007 info unassigned-person",
                "1 NEED002 warning best-value-procurement",
            ],
            "{format}:\n{}",
            run.stdout
        );
    }
    // Without the flag, no table.
    let run = orglint(tmp.path(), &["check", "--format", "short"]);
    assert!(run.stdout.lines().last().unwrap().contains("[NEED002]"));
    assert!(run.stderr.starts_with("Found "), "{}", run.stderr);
}

#[test]
fn statistics_is_a_json_field() {
    let tmp = one_warning_org("statistics-json");
    tmp.write("more.toml", ownerless_service("s1"));
    let plain = orglint(tmp.path(), &["check", "--format", "json"]);
    let with = orglint(tmp.path(), &["check", "--statistics", "--format", "json"]);
    with.assert_no_panic().assert_code(1);
    let doc = with.json();
    assert_ne!(
        with.stdout, plain.stdout,
        "--statistics changes nothing in json"
    );
    let text = with.stdout;
    assert!(text.contains("statistics"), "no statistics field:\n{text}");
    assert!(doc.to_string().contains("OWN001"));
}

#[test]
fn statistics_columns_are_aligned() {
    let tmp = one_warning_org("statistics-align");
    tmp.write("more.toml", ownerless_service("s1"));
    let run = orglint(
        tmp.path(),
        &["check", "--statistics", "--format", "short", "-q"],
    );
    let rows: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("OWN001") || l.contains("NEED002"))
        .filter(|l| !l.contains(".toml:"))
        .collect();
    assert_eq!(rows.len(), 2, "{}", run.stdout);
    let name_column = |row: &str| {
        row.find("service-owner")
            .or_else(|| row.find("best-value-procurement"))
            .unwrap()
    };
    assert_eq!(name_column(rows[0]), name_column(rows[1]), "{rows:#?}");
}

// ---------------------------------------------------------------------------
// Inline suppressions

const SUPPRESSIONS: &str = r#"# orglint: allow(NEED002) -- bought under the 2021 framework
[services.apply]
name = "Apply"
owner = "amara-okafor"
decision-rights = ["product", "business", "technical"]
user-needs = ["apply online"]
procurement = "best-value"

[services.renew]
name = "Renew"
owner = "amara-okafor"
decision-rights = ["product", "business", "technical"]
user-needs = ["renew online"]
procurement = "best-value"  # orglint: allow(NEED002)

[services.pay]
name = "Pay"
owner = "ben-hughes"
decision-rights = ["product", "business", "technical"]
user-needs = ["pay online"]
# orglint: allow(best-value-procurement) until 2026-01-31 -- replaced at contract end
procurement = "best-value"

# orglint: allow(OWN001) -- nothing to hide here
[services.book]
name = "Book"
owner = "ben-hughes"
decision-rights = ["product", "business", "technical"]
user-needs = ["book online"]

[services.check]
name = "Check"
owner = "ben-hughes"
decision-rights = ["product", "business", "technical"]
user-needs = ["check online"]
procurement = "best-value"  # orglint: allow(NEED002) until 2026-12-31 -- contract ends in December
"#;

fn suppression_org() -> TempDir {
    let tmp = TempDir::with_config("suppress");
    tmp.write("org.toml", VALID_ORG);
    tmp.write("services.toml", SUPPRESSIONS);
    tmp
}

#[test]
fn inline_suppressions_end_to_end() {
    let tmp = suppression_org();
    let run = orglint(tmp.path(), &["check", "--format", "json"]);
    run.assert_no_panic().assert_code(1);
    let doc = run.json();
    assert_eq!(
        positions(&doc),
        [
            "services.toml:14:29 META002",
            "services.toml:21:1 META003",
            "services.toml:22:15 NEED002",
            "services.toml:24:18 META001",
        ]
    );
    assert_eq!(
        suppressed_positions(&doc),
        [
            "services.toml:7:15 NEED002",
            "services.toml:14:15 NEED002",
            "services.toml:36:15 NEED002",
        ]
    );
    let justifications: Vec<&str> = doc["suppressed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["justification"].as_str().expect("justification"))
        .collect();
    assert_eq!(
        justifications,
        [
            "bought under the 2021 framework",
            "",
            "contract ends in December"
        ]
    );
    assert_eq!(doc["summary"]["suppressed"], 3);
    let severity_of = |code: &str| {
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == code)
            .map(|d| d["severity"].clone())
            .unwrap()
    };
    assert_eq!(severity_of("META001"), "warning");
    assert_eq!(severity_of("META002"), "error");
    assert_eq!(severity_of("META003"), "warning");

    // Suppressed findings are not printed, but counted in the summary.
    let short = orglint(tmp.path(), &["check", "--format", "short"]);
    assert!(!short.stdout.contains(":7:15"), "{}", short.stdout);
    assert!(!short.stdout.contains(":14:15"), "{}", short.stdout);
    assert_eq!(
        short.stderr,
        "Found 1 error, 3 warnings in 2 files (9 entities); 3 suppressed\n"
    );
    let human = orglint(tmp.path(), &["check", "--color", "never"]);
    assert!(
        human.stdout.contains("; 3 suppressed; "),
        "{}",
        human.stdout
    );
    assert_eq!(
        human.stdout.matches("[NEED002]").count(),
        1,
        "{}",
        human.stdout
    );
}

#[test]
fn suppressions_expire_by_orglint_today() {
    let tmp = suppression_org();
    let mut cmd = command(tmp.path(), &["check", "--format", "json"]);
    cmd.env("ORGLINT_TODAY", "2026-01-31");
    let doc = common::run(cmd).json();
    // Not yet expired on the day itself.
    assert_eq!(
        positions(&doc),
        ["services.toml:14:29 META002", "services.toml:24:18 META001"]
    );
    assert_eq!(doc["summary"]["suppressed"], 4);

    let mut cmd = command(tmp.path(), &["check", "--format", "json"]);
    cmd.env("ORGLINT_TODAY", "2027-01-01");
    let doc = common::run(cmd).json();
    assert_eq!(
        positions(&doc),
        [
            "services.toml:14:29 META002",
            "services.toml:21:1 META003",
            "services.toml:22:15 NEED002",
            "services.toml:24:18 META001",
            "services.toml:36:15 NEED002",
            "services.toml:36:29 META003",
        ]
    );
}

/// `ORGLINT_TODAY` is a testing hook: a value that is not a date is an
/// error (exit 2), never a silent fall back to the clock.
#[test]
fn a_malformed_orglint_today_exits_2() {
    let tmp = suppression_org();
    for value in ["bogus", "2026-6-1", "2026-02-30", ""] {
        for sub in ["check", "graph"] {
            let mut cmd = command(tmp.path(), &[sub]);
            cmd.env("ORGLINT_TODAY", value);
            let run = common::run(cmd);
            run.assert_no_panic().assert_code(2);
            assert_eq!(run.stdout, "", "{sub} {value:?}");
            assert_eq!(
                run.stderr,
                format!(
                    "error: invalid `ORGLINT_TODAY={value}`: expected a date as YYYY-MM-DD (e.g. 2026-06-01)\n"
                ),
                "{sub}"
            );
        }
    }
}

#[test]
fn meta_rules_follow_select() {
    let tmp = suppression_org();
    let doc = orglint(
        tmp.path(),
        &["check", "--format", "json", "--ignore", "META"],
    )
    .json();
    assert_eq!(positions(&doc), ["services.toml:22:15 NEED002"]);
    // A suppression of a rule disabled in this run is not META001.
    let doc = orglint(
        tmp.path(),
        &["check", "--format", "json", "--ignore", "OWN001"],
    )
    .json();
    assert!(
        !codes(&doc).contains(&"META001".to_owned()),
        "{:?}",
        codes(&doc)
    );
}

#[test]
fn org008_cannot_be_suppressed() {
    let tmp = TempDir::with_config("suppress-org008");
    tmp.write("org.toml", VALID_ORG);
    tmp.write(
        "teams.toml",
        "[teams.t]\nname = \"T\"\n# orglint: allow(ORG008) -- legacy value\nmode = \"innovaton\"\nmembers = [\"amara-okafor\"]\nservices = []\n",
    );
    let run = orglint(tmp.path(), &["check", "--format", "json"]);
    run.assert_no_panic().assert_code(1);
    let doc = run.json();
    let got = positions(&doc);
    assert!(got.contains(&"teams.toml:4:8 ORG008".to_owned()), "{got:?}");
    assert!(
        got.contains(&"teams.toml:3:18 META001".to_owned()),
        "{got:?}"
    );
    assert_eq!(doc["summary"]["suppressed"], 0);
}

#[test]
fn example_suppression_in_json() {
    let (_tmp, dir) = example();
    let doc = orglint(&dir, &["check", "--format", "json"]).json();
    let suppressed = doc["suppressed"].as_array().unwrap();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["code"], "TEAM001");
    assert_eq!(
        suppressed[0]["justification"],
        "discovery only: a content designer joins if the service goes to alpha"
    );
    assert_eq!(suppressed[0]["entity"]["id"], "enforcement-discovery");
}

// ---------------------------------------------------------------------------
// Paths and discovery

#[test]
fn paths_are_relative_to_the_current_directory() {
    let (tmp, _dir) = example();
    // From the parent: `example/...`, with `/`.
    let run = orglint(tmp.path(), &["check", "--format", "json", "example"]);
    run.assert_no_panic().assert_code(1);
    let expected: Vec<String> = expected_example()
        .iter()
        .map(|p| format!("example/{p}"))
        .collect();
    assert_eq!(positions(&run.json()), expected);

    // A path outside the cwd (here, above it) is shown as given.
    let run = orglint(
        &tmp.join("example/teams"),
        &["check", "--format", "short", "-q", "../../example"],
    );
    assert!(
        run.stdout
            .starts_with("../../example/governance.toml:16:9: "),
        "{}",
        run.stdout
    );

    // An absolute path below the cwd is shown relative.
    let abs = tmp.join("example");
    let run = orglint(
        tmp.path(),
        &["check", "--format", "short", "-q", abs.to_str().unwrap()],
    );
    assert!(
        run.stdout.starts_with("example/governance.toml:16:9: "),
        "{}",
        run.stdout
    );

    // A path outside the cwd is shown as given.
    let other = tmp.mkdir("elsewhere");
    let run = orglint(
        &other,
        &[
            "check",
            "--format",
            "short",
            "-q",
            "../example/services.toml",
        ],
    );
    assert!(
        run.stdout
            .contains("../example/services.toml:60:1: warning[NEED001]"),
        "{}",
        run.stdout
    );
    let run = orglint(
        &other,
        &[
            "check",
            "--format",
            "json",
            abs.join("services.toml").to_str().unwrap(),
        ],
    );
    let doc = run.json();
    let shown = abs
        .join("services.toml")
        .to_str()
        .unwrap()
        .replace('\\', "/");
    assert!(
        positions(&doc)
            .iter()
            .any(|p| p == &format!("{shown}:60:1 NEED001")),
        "{:?}",
        positions(&doc)
    );
}

#[test]
fn an_explicit_file_outside_the_include_globs_is_linted() {
    let tmp = TempDir::new("explicit");
    tmp.write("orglint.toml", "[files]\ninclude = [\"org/**/*.toml\"]\n");
    tmp.write("org/org.toml", VALID_ORG);
    tmp.write("extra/services.toml", ONE_WARNING_SERVICE);
    tmp.write("extra/services.org", ONE_WARNING_SERVICE);

    let run = orglint(tmp.path(), &["check", "--format", "short"]);
    run.assert_no_panic().assert_code(0);
    assert!(
        run.stderr.starts_with("No findings in 1 file"),
        "{}",
        run.stderr
    );

    let run = orglint(
        tmp.path(),
        &["check", "--format", "short", ".", "extra/services.toml"],
    );
    assert!(
        run.stdout
            .contains("extra/services.toml:6:15: warning[NEED002]"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("in 2 files"), "{}", run.stderr);

    // Not even a .toml name.
    let run = orglint(
        tmp.path(),
        &["check", "--format", "short", "org", "extra/services.org"],
    );
    assert!(
        run.stdout
            .contains("extra/services.org:6:15: warning[NEED002]"),
        "{}",
        run.stdout
    );
}

#[test]
fn exclude_globs_are_honoured() {
    let tmp = TempDir::new("exclude");
    tmp.write("orglint.toml", "[files]\nexclude = [\"drafts/**\"]\n");
    tmp.write("org.toml", VALID_ORG);
    tmp.write("drafts/services.toml", ONE_WARNING_SERVICE);
    let run = orglint(tmp.path(), &["check", "--format", "short"]);
    run.assert_no_panic().assert_code(0);
    assert!(
        run.stderr.starts_with("No findings in 1 file"),
        "{}",
        run.stderr
    );
}

#[test]
fn orglint_toml_is_skipped_by_directory_walks() {
    let tmp = TempDir::new("skip-config");
    tmp.write("orglint.toml", "[lint]\nfail-on = \"error\"\n");
    tmp.write("org.toml", VALID_ORG);
    // Another project's config below: not an org file either.
    tmp.write("sub/orglint.toml", "[lint]\nselect = [\"ALL\"]\n");
    let run = orglint(tmp.path(), &["check", "--format", "short"]);
    run.assert_no_panic().assert_code(0);
    assert!(
        run.stderr.starts_with("No findings in 1 file"),
        "{}",
        run.stderr
    );
    let run = orglint(tmp.path(), &["check", "--format", "short", "sub"]);
    assert!(
        run.stdout.contains("no org files under `sub`"),
        "{}",
        run.stdout
    );

    // Named explicitly, it is linted (and is not an org file).
    let run = orglint(
        tmp.path(),
        &["check", "--format", "short", ".", "sub/orglint.toml"],
    );
    run.assert_no_panic().assert_code(1);
    assert!(run.stdout.contains("sub/orglint.toml:1:"), "{}", run.stdout);
    assert!(run.stdout.contains("error[ORG008]"), "{}", run.stdout);
}

#[test]
fn gitignored_and_hidden_files_are_skipped_without_git() {
    let tmp = TempDir::with_config("gitignore");
    assert!(!tmp.join(".git").exists());
    tmp.write("org.toml", VALID_ORG);
    tmp.write(".gitignore", "ignored.toml\n/build/\n");
    tmp.write("ignored.toml", "garbage = [\n");
    tmp.write("build/generated.toml", "garbage = [\n");
    tmp.write("teams/.gitignore", "*.local.toml\n");
    tmp.write("teams/mine.local.toml", "garbage = [\n");
    tmp.write(".hidden.toml", "garbage = [\n");
    tmp.write(".drafts/services.toml", "garbage = [\n");
    tmp.write("teams/services.toml", ONE_WARNING_SERVICE);
    let run = orglint(tmp.path(), &["check", "--format", "short"]);
    run.assert_no_panic().assert_code(0);
    assert_eq!(
        run.stdout,
        "teams/services.toml:6:15: warning[NEED002] service `apply` procures for best value: choose its technology by user needs (`procurement = \"user-needs\"`)\n"
    );
    assert_eq!(run.stderr, "Found 1 warning in 2 files (5 entities)\n");
    // Named explicitly, an ignored file is linted.
    let run = orglint(
        tmp.path(),
        &["check", "--format", "short", ".", "ignored.toml"],
    );
    run.assert_code(1);
    assert!(run.stdout.contains("ignored.toml:1:"), "{}", run.stdout);
}

#[test]
fn a_gitignore_above_the_project_does_not_apply() {
    let tmp = TempDir::new("gitignore-above");
    tmp.write(".gitignore", "*.toml\n");
    tmp.write("project/orglint.toml", "");
    tmp.write("project/org.toml", VALID_ORG);
    tmp.write("project/services.toml", ONE_WARNING_SERVICE);
    let run = orglint(&tmp.join("project"), &["check", "--format", "short"]);
    run.assert_no_panic().assert_code(0);
    assert!(
        run.stdout
            .starts_with("services.toml:6:15: warning[NEED002]"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_same_file_twice_is_loaded_once() {
    let tmp = one_warning_org("twice");
    let run = orglint(
        tmp.path(),
        &[
            "check",
            "--format",
            "short",
            "services.toml",
            "./services.toml",
            ".",
            "org.toml",
        ],
    );
    run.assert_no_panic().assert_code(0);
    assert_eq!(run.stdout.matches("NEED002").count(), 1, "{}", run.stdout);
    assert!(run.stderr.contains("in 2 files"), "{}", run.stderr);
    assert!(!run.stdout.contains("ORG002"), "{}", run.stdout);

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(tmp.join("services.toml"), tmp.join("alias.toml")).unwrap();
        let run = orglint(tmp.path(), &["check", "--format", "short"]);
        run.assert_no_panic().assert_code(0);
        assert_eq!(run.stdout.matches("NEED002").count(), 1, "{}", run.stdout);
        // Under its first display path.
        assert!(
            run.stdout.starts_with("alias.toml:6:15: "),
            "{}",
            run.stdout
        );
    }
}

#[cfg(unix)]
#[test]
fn only_the_named_paths_are_walked() {
    use std::os::unix::fs::symlink;
    let tmp = TempDir::with_config("siblings");
    tmp.write("good/org.toml", VALID_ORG);
    tmp.write("good/services.toml", ONE_WARNING_SERVICE);
    // Beside `good/`, below the config's directory: entries a walk cannot
    // follow (dangling links, links back up).
    tmp.mkdir("bad");
    symlink("nowhere.toml", tmp.join("bad/dangling.toml")).unwrap();
    symlink("..", tmp.join("bad/up")).unwrap();
    symlink("bad/nowhere.toml", tmp.join("bad-dangling.toml")).unwrap();
    symlink(".", tmp.join("bad-loop")).unwrap();

    // Walking everything warns about them...
    let run = orglint(tmp.path(), &["check", "--format", "short", "."]);
    run.assert_no_panic().assert_code(0);
    assert!(run.stderr.contains("warning:"), "{}", run.stderr);
    assert!(run.stderr.contains("bad-dangling.toml"), "{}", run.stderr);

    // ...walking `good/` never reads them.
    for args in [
        &["good"][..],
        &["good/"],
        &["./good"],
        &["good/services.toml", "good"],
    ] {
        let mut all = vec!["check", "--format", "short"];
        all.extend_from_slice(args);
        let run = orglint(tmp.path(), &all);
        run.assert_no_panic().assert_code(0);
        assert!(
            !run.stderr.contains("warning:") && !run.stderr.contains("bad"),
            "{args:?}: {}",
            run.stderr
        );
        // A file reached twice is linted once.
        assert_eq!(run.stdout.matches("NEED002").count(), 1, "{}", run.stdout);
        assert!(
            run.stdout
                .starts_with("good/services.toml:6:15: warning[NEED002]"),
            "{args:?}: {}",
            run.stdout
        );
        assert!(run.stderr.contains("in 2 files"), "{}", run.stderr);
    }
}

#[test]
fn config_is_found_by_walking_up_from_the_first_path() {
    let tmp = TempDir::new("walk-up");
    tmp.write("orglint.toml", "[lint]\nfail-on = \"warning\"\n");
    tmp.write("org/org.toml", VALID_ORG);
    tmp.write("org/deep/services.toml", ONE_WARNING_SERVICE);
    // From below: the config above the first path applies.
    orglint(&tmp.join("org/deep"), &["check", "-q", ".."]).assert_code(1);
    orglint(&tmp.join("org"), &["check", "-q"]).assert_code(1);
    // A config nearer the path wins.
    tmp.write("org/orglint.toml", "");
    orglint(&tmp.join("org/deep"), &["check", "-q", ".."]).assert_code(0);
    orglint(&tmp.join("org"), &["check", "-q"]).assert_code(0);
    orglint(tmp.path(), &["check", "-q", "org"]).assert_code(0);
    orglint(
        tmp.path(),
        &["check", "-q", "--config", "orglint.toml", "org"],
    )
    .assert_code(1);
}

// ---------------------------------------------------------------------------
// A reader that goes away: `orglint check | head -1`

#[test]
fn a_closed_pipe_is_not_a_panic() {
    let tmp = common::noisy_org("noisy", 5);
    for format in ["short", "human", "json"] {
        let (status, stderr) = common::one_line_then_close(tmp.path(), format);
        assert!(!stderr.contains("panicked"), "{format}: {stderr}");
        assert!(
            status.code().is_some(),
            "{format}: killed by a signal: {status:?}"
        );
        assert_eq!(
            status.code(),
            Some(1),
            "{format}: the findings still set the exit code; stderr: {stderr}"
        );
    }
    // The same output in full, for scale: well over a pipe's buffer.
    let run = orglint(tmp.path(), &["check", "--format", "short"]);
    run.assert_no_panic().assert_code(1);
    assert!(run.stdout.len() > 256 * 1024, "{} bytes", run.stdout.len());
}

// ---------------------------------------------------------------------------
// Hostile values in messages

#[test]
fn values_cannot_inject_terminal_escapes() {
    let tmp = TempDir::with_config("escapes");
    tmp.write("org.toml", VALID_ORG);
    tmp.write(
        "people.toml",
        "[people.x]\nname = \"X\"\nrole = \"evil\\u001b[2J\\u001b[31mred\\r\\nsecond line\"\nreports-to = \"amara-okafor\"\n",
    );
    for format in ["human", "short"] {
        let run = orglint(
            tmp.path(),
            &["check", "--color", "never", "--format", format],
        );
        run.assert_no_panic().assert_code(1);
        assert!(run.stdout.contains("ORG004"), "{}", run.stdout);
        assert!(
            !has_ansi(&run.stdout),
            "{format}: ESC in --color never output:\n{:?}",
            run.stdout
        );
        assert!(!run.stdout.contains('\r'), "{format}: raw CR in output");
    }
}
