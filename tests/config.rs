//! Configuration end to end: options change what rules report, and every
//! config or pack error is a diagnostic into the file, with exit 2.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir =
            std::env::temp_dir().join(format!("orglint-config-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Dir(dir)
    }

    /// A copy of the example department.
    fn example(name: &str) -> Dir {
        let d = Dir::new(name);
        copy(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/example"),
            &d.0,
        );
        d
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.0.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("dir");
        }
        std::fs::write(path, text).expect("write");
    }

    fn run(&self, args: &[&str]) -> (String, String, i32) {
        let out = Command::new(env!("CARGO_BIN_EXE_orglint"))
            .args(args)
            .current_dir(&self.0)
            .env("ORGLINT_TODAY", "2026-06-01")
            .env_remove("NO_COLOR")
            .output()
            .expect("run orglint");
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code().unwrap_or(-1),
        )
    }

    /// `CODE path:line:col` of each finding.
    fn findings(&self, args: &[&str]) -> Vec<String> {
        let mut all = vec!["check", "--format", "short", "-q"];
        all.extend_from_slice(args);
        let (out, err, code) = self.run(&all);
        assert!(code == 0 || code == 1, "exit {code}: {err}");
        out.lines().map(str::to_owned).collect()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn copy(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
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
    let d = Dir::example("layers");
    assert!(codes(&d.findings(&[])).contains(&"GOV001".to_owned()));
    d.write(
        "orglint.toml",
        "[lint.options.governance-layers]\nmax-layers = 3\n",
    );
    assert!(!codes(&d.findings(&[])).contains(&"GOV001".to_owned()));
    d.write("orglint.toml", "[lint.options.GOV001]\nmax-layers = 1\n");
    let gov001 = codes(&d.findings(&[]))
        .iter()
        .filter(|c| *c == "GOV001")
        .count();
    assert!(gov001 > 1, "max-layers = 1 flags every layer-2 body too");
}

#[test]
fn max_supplier_share_option() {
    let d = Dir::example("share");
    assert!(codes(&d.findings(&[])).contains(&"TEAM004".to_owned()));
    d.write(
        "orglint.toml",
        "[lint.options.supplier-majority]\nmax-supplier-share = 0.6\n",
    );
    assert!(
        !codes(&d.findings(&[])).contains(&"TEAM004".to_owned()),
        "exactly the share does not fire"
    );
}

#[test]
fn max_services_option() {
    let d = Dir::example("services");
    assert!(!codes(&d.findings(&[])).contains(&"OWN006".to_owned()));
    d.write("orglint.toml", "[lint.options.OWN006]\nmax-services = 1\n");
    assert!(codes(&d.findings(&[])).contains(&"OWN006".to_owned()));
}

#[test]
fn require_option_replaces_the_default_groups() {
    let d = Dir::example("require");
    assert!(codes(&d.findings(&[])).contains(&"TEAM001".to_owned()));
    d.write(
        "orglint.toml",
        "[lint.options.core-roles]\nrequire = { product = [\"product-manager\"], development = [\"software-developer\", \"devops\"] }\n",
    );
    assert!(!codes(&d.findings(&[])).contains(&"TEAM001".to_owned()));
    d.write(
        "orglint.toml",
        "[lint.options.core-roles]\nrequire = { architects = [\"enterprise-architect@principal\"] }\n",
    );
    let team001 = codes(&d.findings(&[]))
        .iter()
        .filter(|c| *c == "TEAM001")
        .count();
    assert!(team001 >= 2, "no team has a principal enterprise architect");
}

#[test]
fn severity_and_fail_on() {
    let d = Dir::example("severity");
    d.write(
        "orglint.toml",
        "[lint]\nfail-on = \"never\"\n\n[lint.severity]\nGOV001 = \"error\"\n",
    );
    let lines = d.findings(&[]);
    assert!(
        lines.iter().any(|l| l.contains("error[GOV001]")),
        "{lines:?}"
    );
    let (_, _, code) = d.run(&["check", "-q"]);
    assert_eq!(code, 0, "fail-on = never");
    let (_, _, code) = d.run(&["check", "-q", "--fail-on", "error"]);
    assert_eq!(code, 1, "--fail-on beats the config");
}

#[test]
fn own004_configured_severity_replaces_both_levels() {
    let d = Dir::example("own004");
    d.write(
        "orglint.toml",
        "[lint.severity]\ndepartment-ownership = \"info\"\n",
    );
    let lines = d.findings(&[]);
    assert!(
        lines.iter().any(|l| l.contains("info[OWN004]")),
        "{lines:?}"
    );
}

#[test]
fn overrides_by_glob() {
    let d = Dir::example("overrides");
    d.write(
        "orglint.toml",
        "[[lint.overrides]]\nfiles = [\"teams/**\"]\nignore = [\"TEAM\"]\nseverity = { OWN004 = \"info\" }\n",
    );
    let lines = d.findings(&[]);
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

fn errors(d: &Dir, args: &[&str]) -> String {
    let mut all = vec!["check", "--color", "never"];
    all.extend_from_slice(args);
    let (out, err, code) = d.run(&all);
    assert_eq!(
        code, 2,
        "config errors exit 2\nstdout: {out}\nstderr: {err}"
    );
    assert!(out.is_empty(), "nothing is linted: {out}");
    err
}

#[test]
fn config_errors_point_into_orglint_toml() {
    let d = Dir::example("config-errors");
    d.write(
        "orglint.toml",
        "[lint]\nselct = [\"ALL\"]\nignore = [\"GOV01\", \"ORG008\"]\n\n[lint.options.governance-layers]\nmax-layer = 3\n\n[files]\ninclude = [\"[\"]\n",
    );
    insta::assert_snapshot!(errors(&d, &[]));
}

#[test]
fn pack_errors_point_into_the_pack() {
    let d = Dir::example("pack-errors");
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
    let d = Dir::example("cli-select");
    let err = errors(&d, &["--select", "GOV999"]);
    assert!(err.contains("GOV999"), "{err}");
}
