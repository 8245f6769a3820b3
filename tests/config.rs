//! Configuration end to end: options change what rules report, and every
//! config or pack error is a diagnostic into the file, with exit 2.

mod common;

use common::TempDir;

/// A copy of the example department.
fn example(name: &str) -> TempDir {
    let d = TempDir::new(name);
    d.copy_dir(&common::fixture("example"), ".");
    d
}

fn run(d: &TempDir, args: &[&str]) -> (String, String, i32) {
    let run = common::orglint(d.path(), args);
    (run.stdout, run.stderr, run.code)
}

/// `CODE path:line:col` of each finding.
fn findings(d: &TempDir, args: &[&str]) -> Vec<String> {
    let mut all = vec!["check", "--format", "short", "-q"];
    all.extend_from_slice(args);
    let (out, err, code) = run(d, &all);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    out.lines().map(str::to_owned).collect()
}

fn codes(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| {
            l.split_once('[')
                .and_then(|(_, r)| r.split_once(']'))
                .map(|(c, _)| c.to_owned())
        })
        .collect()
}

#[test]
fn max_layers_option() {
    let d = example("layers");
    assert!(codes(&findings(&d, &[])).contains(&"GOV001".to_owned()));
    d.write(
        "orglint.toml",
        "[lint.options.governance-layers]\nmax-layers = 3\n",
    );
    assert!(!codes(&findings(&d, &[])).contains(&"GOV001".to_owned()));
    d.write("orglint.toml", "[lint.options.GOV001]\nmax-layers = 1\n");
    let gov001 = codes(&findings(&d, &[]))
        .iter()
        .filter(|c| *c == "GOV001")
        .count();
    assert!(gov001 > 1, "max-layers = 1 flags every layer-2 body too");
}

#[test]
fn max_supplier_share_option() {
    let d = example("share");
    assert!(codes(&findings(&d, &[])).contains(&"TEAM004".to_owned()));
    d.write(
        "orglint.toml",
        "[lint.options.supplier-majority]\nmax-supplier-share = 0.6\n",
    );
    assert!(
        !codes(&findings(&d, &[])).contains(&"TEAM004".to_owned()),
        "exactly the share does not fire"
    );
}

#[test]
fn max_services_option() {
    let d = example("services");
    assert!(!codes(&findings(&d, &[])).contains(&"OWN006".to_owned()));
    d.write("orglint.toml", "[lint.options.OWN006]\nmax-services = 1\n");
    assert!(codes(&findings(&d, &[])).contains(&"OWN006".to_owned()));
}

#[test]
fn require_option_replaces_the_default_groups() {
    let d = example("require");
    assert!(codes(&findings(&d, &[])).contains(&"TEAM001".to_owned()));
    d.write(
        "orglint.toml",
        "[lint.options.core-roles]\nrequire = { product = [\"product-manager\"], development = [\"software-developer\", \"devops\"] }\n",
    );
    assert!(!codes(&findings(&d, &[])).contains(&"TEAM001".to_owned()));
    d.write(
        "orglint.toml",
        "[lint.options.core-roles]\nrequire = { architects = [\"enterprise-architect@principal\"] }\n",
    );
    let team001 = codes(&findings(&d, &[]))
        .iter()
        .filter(|c| *c == "TEAM001")
        .count();
    assert!(team001 >= 2, "no team has a principal enterprise architect");
}

#[test]
fn severity_and_fail_on() {
    let d = example("severity");
    d.write(
        "orglint.toml",
        "[lint]\nfail-on = \"never\"\n\n[lint.severity]\nGOV001 = \"error\"\n",
    );
    let lines = findings(&d, &[]);
    assert!(
        lines.iter().any(|l| l.contains("error[GOV001]")),
        "{lines:?}"
    );
    let (_, _, code) = run(&d, &["check", "-q"]);
    assert_eq!(code, 0, "fail-on = never");
    let (_, _, code) = run(&d, &["check", "-q", "--fail-on", "error"]);
    assert_eq!(code, 1, "--fail-on beats the config");
}

#[test]
fn own004_configured_severity_replaces_both_levels() {
    let d = example("own004");
    d.write(
        "orglint.toml",
        "[lint.severity]\ndepartment-ownership = \"info\"\n",
    );
    let lines = findings(&d, &[]);
    assert!(
        lines.iter().any(|l| l.contains("info[OWN004]")),
        "{lines:?}"
    );
}

#[test]
fn a_suppression_of_a_rule_an_override_turns_off_is_not_unused() {
    // decisions.md 24: no META001 for a rule disabled in this run, which for
    // a file is what `[[lint.overrides]]` leaves enabled there.
    let d = TempDir::new("override-suppression");
    d.write(
        "orglint.toml",
        "[[lint.overrides]]\nfiles = [\"a.toml\"]\nignore = [\"NEED002\"]\n",
    );
    let service = "# orglint: allow(NEED002) -- reviewed\n[services.s]\nname = \"S\"\n";
    d.write("a.toml", service);
    d.write("b.toml", service.replace("services.s", "services.t"));
    let lines = findings(&d, &["--select", "META,NEED002"]);
    let metas: Vec<&String> = lines.iter().filter(|l| l.contains("[META001]")).collect();
    assert_eq!(metas.len(), 1, "{lines:?}");
    assert!(metas[0].starts_with("b.toml:1:"), "{lines:?}");
}

#[test]
fn overrides_by_glob() {
    let d = example("overrides");
    d.write(
        "orglint.toml",
        "[[lint.overrides]]\nfiles = [\"teams/**\"]\nignore = [\"TEAM\"]\nseverity = { OWN004 = \"info\" }\n",
    );
    let lines = findings(&d, &[]);
    let c = codes(&lines);
    assert!(!c.iter().any(|c| c.starts_with("TEAM")), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.contains("info[OWN004]")),
        "{lines:?}"
    );
    assert!(
        c.contains(&"NEED001".to_owned()),
        "other files keep their rules"
    );
}

fn errors(d: &TempDir, args: &[&str]) -> String {
    let mut all = vec!["check", "--color", "never"];
    all.extend_from_slice(args);
    let (out, err, code) = run(d, &all);
    assert_eq!(
        code, 2,
        "config errors exit 2\nstdout: {out}\nstderr: {err}"
    );
    assert!(out.is_empty(), "nothing is linted: {out}");
    err
}

#[test]
fn config_errors_point_into_orglint_toml() {
    let d = example("config-errors");
    d.write(
        "orglint.toml",
        "[lint]\nselct = [\"ALL\"]\nignore = [\"GOV01\", \"ORG008\"]\n\n[lint.options.governance-layers]\nmax-layer = 3\n\n[files]\ninclude = [\"[\"]\n",
    );
    insta::assert_snapshot!(errors(&d, &[]));
}

/// Numeric options are range-checked like `[files]` and `[lint]` limits:
/// counts from 1, shares from 0 to 1; an error at the value, with a help
/// giving the range.
#[test]
fn out_of_range_options_are_config_errors() {
    let d = example("option-ranges");
    for (config, needle, value) in [
        (
            "[lint.options.GOV001]\nmax-layers = -1\n",
            "option `max-layers` of GOV001 (governance-layers) must be a positive integer, found `-1`",
            "-1",
        ),
        (
            "[lint.options.governance-layers]\nmax-layers = 0\n",
            "option `max-layers` of GOV001 (governance-layers) must be a positive integer, found `0`",
            "0",
        ),
        (
            "[lint.options.owner-overloaded]\nmax-services = -1\n",
            "option `max-services` of OWN006 (owner-overloaded) must be a positive integer, found `-1`",
            "-1",
        ),
        (
            "[lint.options.TEAM004]\nmax-supplier-share = -0.5\n",
            "option `max-supplier-share` of TEAM004 (supplier-majority) must be a number from 0 to 1, found `-0.5`",
            "-0.5",
        ),
        (
            "[lint.options.TEAM004]\nmax-supplier-share = 1.5\n",
            "must be a number from 0 to 1, found `1.5`",
            "1.5",
        ),
        (
            "[lint.options.TEAM004]\nmax-supplier-share = nan\n",
            "must be a number from 0 to 1, found `nan`",
            "nan",
        ),
        (
            "[lint.options.TEAM004]\nmax-supplier-share = 2\n",
            "must be a number from 0 to 1, found `2`",
            "2",
        ),
    ] {
        d.write("orglint.toml", config);
        let err = errors(&d, &[]);
        // Message and help as one line each (miette wraps them).
        let flat = err.replace("\n  │ ", " ").replace("\n        ", " ");
        assert!(flat.contains(needle), "{config}: {err}");
        assert!(err.contains("[orglint.toml:2:"), "{config}: {err}");
        assert!(flat.contains("help: `max-"), "{config}: {err}");
        assert!(flat.contains("the default is `max-"), "{config}: {err}");
        // The label is under the value.
        let line = err
            .lines()
            .find(|l| l.starts_with(" 2 │ "))
            .unwrap_or_else(|| panic!("{config}: no snippet in {err}"));
        let under = err
            .lines()
            .skip_while(|l| !l.starts_with(" 2 │ "))
            .nth(1)
            .unwrap_or_default();
        let col = line.rfind(value).unwrap_or_else(|| panic!("{line}"));
        assert_eq!(
            under.chars().position(|c| c == '─'),
            Some(line[..col].chars().count()),
            "{config}: {err}"
        );
        assert!(
            err.contains("orglint cannot run: 1 configuration error"),
            "{err}"
        );
    }
    // The edges are allowed.
    for config in [
        "[lint.options.GOV001]\nmax-layers = 1\n",
        "[lint.options.OWN006]\nmax-services = 1\n",
        "[lint.options.TEAM004]\nmax-supplier-share = 0\n",
        "[lint.options.TEAM004]\nmax-supplier-share = 1.0\n",
    ] {
        d.write("orglint.toml", config);
        findings(&d, &[]);
    }
}

#[test]
fn pack_errors_point_into_the_pack() {
    let d = example("pack-errors");
    d.write(
        "orglint.toml",
        "[lint]\npacks = [\"rules/local.toml\", \"rules/missing.toml\"]\n",
    );
    d.write(
        "rules/local.toml",
        "[pack]\nname = \"Local\"\n\n[[rules]]\ncode = \"LOCAL1\"\nname = \"funding\"\nseverity = \"warn\"\nsummary = \"x\"\nfor-each = \"services\"\nasert = \"true\"\nmessage = \"m\"\n",
    );
    insta::assert_snapshot!(errors(&d, &[]));
}

#[test]
fn unknown_selector_on_the_command_line() {
    let d = example("cli-select");
    let err = errors(&d, &["--select", "GOV999"]);
    assert!(err.contains("GOV999"), "{err}");
}
