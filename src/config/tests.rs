use std::borrow::Cow;
use std::path::{Path, PathBuf};

use super::resolve::resolve_in;
use super::*;
use crate::registry::{Bound, Implementation, OptionKind, OptionMeta, OptionRange, RuleMeta};
use crate::source::FileId;

fn option(name: &str, kind: OptionKind, default: OptionValue) -> OptionMeta {
    OptionMeta {
        name: name.to_owned(),
        kind,
        default,
        description: String::new(),
        range: OptionRange::default(),
    }
}

fn rule(code: &'static str, name: &'static str, options: Vec<OptionMeta>) -> RuleMeta {
    RuleMeta {
        code: Cow::Borrowed(code),
        name: Cow::Borrowed(name),
        severity: Severity::Warning,
        summary: String::new(),
        rationale: String::new(),
        source: String::new(),
        help: None,
        pack: "test".to_owned(),
        options,
        example_fail: None,
        example_pass: None,
        implementation: Implementation::Native(name.to_owned()),
    }
}

/// GOV001, GOV002, GOV010, ORG001, ORG008, TEAM001, TEAM004, NEED001.
fn rules() -> Vec<RuleMeta> {
    vec![
        rule(
            "GOV001",
            "governance-layers",
            vec![OptionMeta {
                description: "The deepest layer a body may sit at.".to_owned(),
                range: OptionRange {
                    min: Some(Bound::Integer(1)),
                    max: None,
                },
                ..option("max-layers", OptionKind::Integer, OptionValue::Integer(3))
            }],
        ),
        rule("GOV002", "stacked-consensus", Vec::new()),
        rule("GOV010", "spend-control", Vec::new()),
        rule("ORG001", "unknown-reference", Vec::new()),
        rule("ORG008", "invalid-file", Vec::new()),
        rule(
            "TEAM001",
            "core-roles",
            vec![option(
                "require",
                OptionKind::GroupMap,
                OptionValue::GroupMap(vec![(
                    "delivery".to_owned(),
                    vec!["delivery-manager".to_owned()],
                )]),
            )],
        ),
        rule(
            "TEAM004",
            "supplier-majority",
            vec![
                option("share", OptionKind::Float, OptionValue::Float(0.5)),
                option(
                    "exempt",
                    OptionKind::StringList,
                    OptionValue::StringList(Vec::new()),
                ),
            ],
        ),
        rule("NEED001", "user-needs", Vec::new()),
    ]
}

const GOV001: usize = 0;
const GOV002: usize = 1;
const GOV010: usize = 2;
const ORG001: usize = 3;
const ORG008: usize = 4;
const TEAM001: usize = 5;
const TEAM004: usize = 6;
const NEED001: usize = 7;

fn cwd() -> PathBuf {
    PathBuf::from("/work/repo")
}

fn settings_with(text: &str, cli: &CliOverrides) -> Result<Settings, Vec<Diagnostic>> {
    let raw = parse(FileId(0), text)?.with_path(Path::new("orglint.toml"));
    resolve_in(&raw, &rules(), cli, &cwd())
}

fn settings(text: &str) -> Settings {
    match settings_with(text, &CliOverrides::default()) {
        Ok(s) => s,
        Err(e) => panic!("{}", render(text, &e)),
    }
}

/// Every error as message, span (with the text under it) and help.
fn render(text: &str, errors: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in errors {
        match d.span() {
            Some(s) => {
                let under = text.get(s.range()).unwrap_or("?");
                out.push_str(&format!(
                    "{} [{}..{} {:?}]\n",
                    d.message, s.start, s.end, under
                ));
            }
            None => out.push_str(&format!("{} [no span]\n", d.message)),
        }
        if let Some(help) = &d.help {
            out.push_str(&format!("  help: {help}\n"));
        }
        assert_eq!(d.code, "config");
        assert_eq!(d.name, "config-error");
        assert_eq!(d.severity, Severity::Error);
    }
    out
}

fn errors_with(text: &str, cli: &CliOverrides) -> String {
    match settings_with(text, cli) {
        Ok(_) => panic!("expected errors for:\n{text}"),
        Err(e) => render(text, &e),
    }
}

fn errors(text: &str) -> String {
    errors_with(text, &CliOverrides::default())
}

fn enabled(s: &Settings) -> Vec<&'static str> {
    let codes = [
        "GOV001", "GOV002", "GOV010", "ORG001", "ORG008", "TEAM001", "TEAM004", "NEED001",
    ];
    codes
        .iter()
        .enumerate()
        .filter(|(i, _)| s.enabled(*i))
        .map(|(_, c)| *c)
        .collect()
}

// ---- error snapshots ----

#[test]
fn unknown_keys_with_typos() {
    insta::assert_snapshot!(errors(
        "[lnt]\nselect = []\n\n[files]\nexclud = [\"x/**\"]\n\n[lint]\nselct = [\"ALL\"]\nfail-on = \"warn\"\n\n[[lint.overrides]]\nfiles = [\"a/**\"]\nignores = [\"GOV\"]\n"
    ));
}

#[test]
fn unknown_rule_codes_and_names() {
    insta::assert_snapshot!(errors(
        "[lint.severity]\nGOV01 = \"error\"\ngovernance-layer = \"info\"\nGOV = \"info\"\nzzz = \"info\"\n\n[lint.options.GOV011]\nmax-layers = 2\n"
    ));
}

#[test]
fn unknown_options() {
    insta::assert_snapshot!(errors(
        "[lint.options.governance-layers]\nmax-layer = 3\n\n[lint.options.GOV002]\nstrict = true\n\n[lint.options.TEAM004]\nshares = 0.4\n"
    ));
}

#[test]
fn wrong_option_types() {
    insta::assert_snapshot!(errors(
        "[lint.options.GOV001]\nmax-layers = \"three\"\n\n[lint.options.TEAM004]\nshare = \"half\"\nexempt = [\"a\", 2]\n\n[lint.options.core-roles]\nrequire = { delivery = [], product = \"product-manager\" }\n"
    ));
}

#[test]
fn bad_globs() {
    insta::assert_snapshot!(errors(
        "[files]\ninclude = [\"org/[ab\", \"**/*.toml\"]\nexclude = [\"{a,b\"]\n\n[[lint.overrides]]\nfiles = [\"legacy/**\", \"x[\"]\nignore = [\"GOV\"]\n"
    ));
}

#[test]
fn org008_cannot_be_turned_down() {
    insta::assert_snapshot!(errors(
        "[lint]\nignore = [\"ORG008\"]\n\n[lint.severity]\ninvalid-file = \"warning\"\n\n[[lint.overrides]]\nfiles = [\"legacy/**\"]\nselect = [\"ORG008\"]\nseverity = { ORG008 = \"info\" }\n"
    ));
    insta::assert_snapshot!(
        "org008_cli",
        errors_with(
            "",
            &CliOverrides {
                ignore: Some(vec!["invalid-file".into()]),
                ..CliOverrides::default()
            }
        )
    );
}

#[test]
fn selectors_matching_nothing() {
    insta::assert_snapshot!(errors(
        "[lint]\nselect = [\"GOV9\", \"ALLL\", \"gov001\", \"\"]\nignore = [\"stacked-consensu\"]\n"
    ));
    insta::assert_snapshot!(
        "selectors_cli",
        errors_with(
            "[lint]\nselect = [\"NOPE\"]\n",
            &CliOverrides {
                select: Some(vec!["TEAM01".into()]),
                ignore: Some(vec!["ORG".into()]),
                fail_on: Some("warnings".into()),
            }
        )
    );
}

#[test]
fn shape_errors() {
    insta::assert_snapshot!(errors(
        "files = 3\n[lint]\nselect = \"ALL\"\nignore = [\"GOV001\", 7]\nmax-findings = -1\nseverity = { GOV001 = \"fatal\", GOV002 = 1 }\n\n[[lint.overrides]]\nselect = [\"GOV\"]\n"
    ));
}

#[test]
fn invalid_toml_and_duplicate_rules() {
    insta::assert_snapshot!(errors("[lint\nselect = [\"ALL\"]\n"));
    insta::assert_snapshot!(
        "duplicate_rules",
        errors(
            "[lint.severity]\nGOV001 = \"error\"\ngovernance-layers = \"info\"\n\n[lint.options.GOV001]\nmax-layers = 2\n[lint.options.governance-layers]\nmax-layers = 4\n"
        )
    );
}

// ---- resolution ----

#[test]
fn defaults_without_a_config() {
    let s = resolve_in(
        &RawConfig::default(),
        &rules(),
        &CliOverrides::default(),
        &cwd(),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(enabled(&s).len(), 8);
    assert_eq!(s.fail_on, Some(Severity::Error));
    assert_eq!(s.max_findings, 1000);
    assert_eq!(s.files, FileSettings::default());
    assert_eq!(s.files.max_file_size, 10 * 1024 * 1024);
    assert_eq!(s.files.max_files, 100_000);
    assert_eq!(s.option(GOV001, "max-layers"), &OptionValue::Integer(3));
    assert_eq!(s.try_option(GOV001, "nope"), None);
    assert_eq!(s.severity(GOV001), Some(Severity::Warning));
    assert_eq!(s.severity(ORG008), Some(Severity::Error));
    assert!(!s.severity_configured(GOV001));
    assert!(s.packs.is_empty());
    assert_eq!(s.rule_for_file(99, "a.toml"), None);
}

#[test]
fn most_specific_selector_wins_and_ties_go_to_ignore() {
    let s = settings("[lint]\nignore = [\"GOV\"]\n");
    assert_eq!(
        enabled(&s),
        ["ORG001", "ORG008", "TEAM001", "TEAM004", "NEED001"]
    );

    let s = settings("[lint]\nselect = [\"ALL\", \"GOV001\"]\nignore = [\"GOV\"]\n");
    assert_eq!(
        enabled(&s),
        [
            "GOV001", "ORG001", "ORG008", "TEAM001", "TEAM004", "NEED001"
        ]
    );

    // A name is as specific as a code.
    let s = settings("[lint]\nselect = [\"stacked-consensus\"]\nignore = [\"GOV\"]\n");
    assert_eq!(enabled(&s), ["GOV002", "ORG008"]);

    // Tie: ignore wins.
    let s = settings("[lint]\nselect = [\"GOV\"]\nignore = [\"GOV\"]\n");
    assert_eq!(enabled(&s), ["ORG008"]);
    let s = settings("[lint]\nselect = [\"GOV001\"]\nignore = [\"governance-layers\"]\n");
    assert_eq!(enabled(&s), ["ORG008"]);

    // A prefix beats ALL; a longer prefix beats a shorter one.
    let s = settings("[lint]\nselect = [\"GOV\"]\nignore = [\"ALL\"]\n");
    assert_eq!(enabled(&s), ["GOV001", "GOV002", "GOV010", "ORG008"]);
    let s = settings("[lint]\nselect = [\"GOV00\"]\nignore = [\"GOV\"]\n");
    assert_eq!(enabled(&s), ["GOV001", "GOV002", "ORG008"]);

    // ORG008 is always on, even under `ignore = ["ALL"]` or `["ORG"]`.
    let s = settings("[lint]\nignore = [\"ALL\"]\n");
    assert_eq!(enabled(&s), ["ORG008"]);
    let s = settings("[lint]\nselect = []\n");
    assert_eq!(enabled(&s), ["ORG008"]);
    assert_eq!(s.rule_for_file(ORG008, "a.toml"), Some(Severity::Error));
}

#[test]
fn command_line_lists_replace_the_config() {
    let text = "[lint]\nselect = [\"GOV\"]\nignore = [\"GOV001\"]\nfail-on = \"info\"\n";
    let s = settings_with(
        text,
        &CliOverrides {
            select: Some(vec!["TEAM".into()]),
            ..CliOverrides::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(enabled(&s), ["ORG008", "TEAM001", "TEAM004"]);
    assert_eq!(s.fail_on, Some(Severity::Info));

    let s = settings_with(
        text,
        &CliOverrides {
            ignore: Some(Vec::new()),
            fail_on: Some("never".into()),
            ..CliOverrides::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(enabled(&s), ["GOV001", "GOV002", "GOV010", "ORG008"]);
    assert_eq!(s.fail_on, None);
}

#[test]
fn overrides_apply_in_order_later_entries_win() {
    let text = r#"
[lint]
ignore = ["NEED001"]

[lint.severity]
GOV001 = "error"

[[lint.overrides]]
files = ["legacy/**"]
ignore = ["TEAM"]
severity = { GOV001 = "info", ORG001 = "info" }

[[lint.overrides]]
files = ["legacy/keep/**"]
select = ["TEAM001", "NEED001"]
severity = { GOV001 = "warning" }
"#;
    let s = settings(text);
    // Outside every override.
    assert_eq!(
        s.rule_for_file(TEAM001, "org/a.toml"),
        Some(Severity::Warning)
    );
    assert_eq!(s.rule_for_file(NEED001, "org/a.toml"), None);
    assert_eq!(s.rule_for_file(GOV001, "org/a.toml"), Some(Severity::Error));
    assert!(s.severity_configured(GOV001));
    assert!(!s.severity_configured(ORG001));
    assert_eq!(
        s.rule_state(ORG001, "org/a.toml"),
        Some(RuleState {
            severity: Severity::Warning,
            configured: false
        })
    );
    // The first override only.
    assert_eq!(s.rule_for_file(TEAM001, "legacy/a.toml"), None);
    assert_eq!(s.rule_for_file(TEAM004, "legacy/a.toml"), None);
    assert_eq!(
        s.rule_for_file(GOV001, "legacy/a.toml"),
        Some(Severity::Info)
    );
    assert_eq!(
        s.rule_state(ORG001, "legacy/a.toml"),
        Some(RuleState {
            severity: Severity::Info,
            configured: true
        })
    );
    // Both: the second wins where they disagree.
    assert_eq!(
        s.rule_for_file(TEAM001, "legacy/keep/a.toml"),
        Some(Severity::Warning)
    );
    assert_eq!(s.rule_for_file(TEAM004, "legacy/keep/a.toml"), None);
    assert_eq!(
        s.rule_for_file(NEED001, "legacy/keep/a.toml"),
        Some(Severity::Warning)
    );
    assert_eq!(
        s.rule_for_file(GOV001, "legacy/keep/a.toml"),
        Some(Severity::Warning)
    );
    assert_eq!(
        s.rule_for_file(ORG001, "legacy/keep/a.toml"),
        Some(Severity::Info)
    );

    // Reversed, the broader override wins.
    let reversed = r#"
[[lint.overrides]]
files = ["legacy/keep/**"]
select = ["TEAM001"]

[[lint.overrides]]
files = ["legacy/**"]
ignore = ["TEAM"]
"#;
    let s = settings(reversed);
    assert_eq!(s.rule_for_file(TEAM001, "legacy/keep/a.toml"), None);
}

#[test]
fn override_globs_are_relative_to_the_config_dir() {
    let text = "[[lint.overrides]]\nfiles = [\"legacy/*.toml\"]\nignore = [\"GOV001\"]\n";
    let raw = parse(FileId(0), text)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .with_path(Path::new("org/orglint.toml"));
    let s = resolve_in(&raw, &rules(), &CliOverrides::default(), &cwd())
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(s.rule_for_file(GOV001, "org/legacy/a.toml"), None);
    assert_eq!(
        s.rule_for_file(GOV001, "legacy/a.toml"),
        Some(Severity::Warning)
    );
    // `*` does not cross `/`.
    assert!(s.rule_for_file(GOV001, "org/legacy/deep/a.toml").is_some());
    // A display path outside the current directory.
    assert_eq!(s.rule_for_file(GOV001, "../repo/org/legacy/b.toml"), None);
    assert_eq!(s.files.base_dir, PathBuf::from("org"));

    // A config above the current directory.
    let raw = raw.with_path(Path::new("../orglint.toml"));
    let s = resolve_in(&raw, &rules(), &CliOverrides::default(), &cwd())
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(s.rule_for_file(GOV001, "../legacy/a.toml"), None);
    assert!(s.rule_for_file(GOV001, "legacy/a.toml").is_some());
}

#[test]
fn options_limits_and_packs() {
    let text = r#"
[files]
include = ["org/**/*.toml"]
exclude = ["org/drafts/**"]
max-file-size = 0x100
max-files = 5

[lint]
packs = ["rules/local.toml"]
max-findings = 0
fail-on = "warning"

[lint.options.GOV001]
max-layers = 4

[lint.options.supplier-majority]
share = 1
exempt = ["a", "b"]

[lint.options.TEAM001]
require = { product = ["product-manager"], delivery = ["delivery-manager", "scrum-master@lead"] }
"#;
    let s = settings(text);
    assert_eq!(s.files.include, ["org/**/*.toml"]);
    assert_eq!(s.files.exclude, ["org/drafts/**"]);
    assert_eq!(s.files.max_file_size, 256);
    assert_eq!(s.files.max_files, 5);
    assert_eq!(s.max_findings, 0);
    assert_eq!(s.fail_on, Some(Severity::Warning));
    assert_eq!(s.packs.len(), 1);
    assert_eq!(s.packs[0].0, PathBuf::from("rules/local.toml"));
    assert_eq!(text.get(s.packs[0].1.range()), Some("\"rules/local.toml\""));
    assert_eq!(s.option(GOV001, "max-layers"), &OptionValue::Integer(4));
    assert_eq!(s.option(TEAM004, "share"), &OptionValue::Float(1.0));
    assert_eq!(
        s.option(TEAM004, "exempt"),
        &OptionValue::StringList(vec!["a".into(), "b".into()])
    );
    // Groups keep the order written.
    assert_eq!(
        s.option(TEAM001, "require"),
        &OptionValue::GroupMap(vec![
            ("product".into(), vec!["product-manager".into()]),
            (
                "delivery".into(),
                vec!["delivery-manager".into(), "scrum-master@lead".into()]
            ),
        ])
    );
    let spans = s
        .option_spans(TEAM001, "require")
        .unwrap_or_else(|| panic!("no spans"));
    assert_eq!(text.get(spans.key.range()), Some("require"));
    let (group, items) = &spans.groups[1];
    assert_eq!(text.get(group.range()), Some("delivery"));
    assert_eq!(text.get(items[1].range()), Some("\"scrum-master@lead\""));
    assert_eq!(s.option_spans(GOV002, "x"), None);
    assert_eq!(
        s.option_spans(TEAM004, "exempt").map(|o| o.items.len()),
        Some(2)
    );
    let _ = GOV010;
}

#[test]
fn spans_skip_a_byte_order_mark() {
    let text = "\u{feff}[lint]\nselct = []\n";
    let e = errors(text);
    assert!(e.contains("\"selct\""), "{e}");
}

// ---- finding the config ----

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("orglint-config-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("a/b/c")).unwrap();
        TempDir(std::fs::canonicalize(&dir).unwrap())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn find_config_walks_up_from_the_first_path() {
    let t = TempDir::new("find");
    let root = &t.0;
    std::fs::write(root.join("a/orglint.toml"), "").unwrap();
    std::fs::write(root.join("a/b/c/org.toml"), "").unwrap();
    let cwd = root.join("a/b");

    // An explicit file wins, as given.
    assert_eq!(
        find_config_in(Some(Path::new("x.toml")), None, &cwd),
        Some(PathBuf::from("x.toml"))
    );
    // From the current directory.
    assert_eq!(
        find_config_in(None, None, &cwd),
        Some(PathBuf::from("../orglint.toml"))
    );
    // From a directory given.
    assert_eq!(
        find_config_in(None, Some(Path::new("c")), &cwd),
        Some(PathBuf::from("../orglint.toml"))
    );
    // From a file's directory.
    assert_eq!(
        find_config_in(None, Some(Path::new("c/org.toml")), &cwd),
        Some(PathBuf::from("../orglint.toml"))
    );
    // An absolute start gives an absolute result.
    assert_eq!(
        find_config_in(None, Some(&root.join("a/b/c")), &cwd),
        Some(root.join("a/orglint.toml"))
    );
    // In the starting directory itself.
    assert_eq!(
        find_config_in(None, Some(Path::new("..")), &cwd),
        Some(PathBuf::from("../orglint.toml"))
    );
    assert_eq!(
        find_config_in(None, None, &root.join("a")),
        Some(PathBuf::from("orglint.toml"))
    );
}

#[test]
fn out_of_range_option_values() {
    let text = "[lint.options.GOV001]\nmax-layers = 0\n";
    let out = errors(text);
    assert!(
        out.starts_with(
            "option `max-layers` of GOV001 (governance-layers) must be a positive integer, found `0` [35..36 \"0\"]\n"
        ),
        "{out}"
    );
    assert!(out.contains("the default is `max-layers = 3`"), "{out}");
    // The help says what the option means (its description), its range
    // and its default.
    assert!(
        out.ends_with(
            "  help: `max-layers` (from 1 up) is the deepest layer a body may sit at; the default is `max-layers = 3`\n"
        ),
        "{out}"
    );
    let s = settings("[lint.options.GOV001]\nmax-layers = 1\n");
    assert_eq!(s.option(GOV001, "max-layers"), &OptionValue::Integer(1));
}

/// The ranges of the built-in options come from the pack (`min`, `max`); the
/// help says what the option means (its description), its range and its
/// default.
#[test]
fn builtin_option_ranges() {
    let rules = crate::pack::load_builtin();
    let errors = |text: &str| {
        let raw = match parse(FileId(0), text) {
            Ok(raw) => raw.with_path(Path::new("orglint.toml")),
            Err(e) => panic!("{}", render(text, &e)),
        };
        match resolve_in(&raw, &rules, &CliOverrides::default(), &cwd()) {
            Ok(_) => String::new(),
            Err(e) => render(text, &e),
        }
    };
    for (text, expected) in [
        (
            "[lint.options.GOV001]\nmax-layers = 0\n",
            "option `max-layers` of GOV001 (governance-layers) must be a positive integer, found `0` [35..36 \"0\"]\n  help: `max-layers` (from 1 up) is the deepest layer a governance body may sit at; a body without a parent is at layer 1; the default is `max-layers = 2`\n",
        ),
        (
            "[lint.options.OWN006]\nmax-services = -1\n",
            "option `max-services` of OWN006 (owner-overloaded) must be a positive integer, found `-1` [37..39 \"-1\"]\n  help: `max-services` (from 1 up) is the most services one person may own before the rule reports them; the default is `max-services = 3`\n",
        ),
        (
            "[lint.options.TEAM004]\nmax-supplier-share = 2\n",
            "option `max-supplier-share` of TEAM004 (supplier-majority) must be a number from 0 to 1, found `2` [44..45 \"2\"]\n  help: `max-supplier-share` (from 0 to 1) is the largest share of a team's distinct members who may be supplier staff; exactly this share is allowed; the default is `max-supplier-share = 0.5`\n",
        ),
        (
            "[lint.options.TEAM004]\nmax-supplier-share = nan\n",
            "option `max-supplier-share` of TEAM004 (supplier-majority) must be a number from 0 to 1, found `nan` [44..47 \"nan\"]\n  help: `max-supplier-share` (from 0 to 1) is the largest share of a team's distinct members who may be supplier staff; exactly this share is allowed; the default is `max-supplier-share = 0.5`\n",
        ),
        // The edges are allowed.
        ("[lint.options.GOV001]\nmax-layers = 1\n", ""),
        ("[lint.options.OWN006]\nmax-services = 1\n", ""),
        ("[lint.options.TEAM004]\nmax-supplier-share = 0\n", ""),
        ("[lint.options.TEAM004]\nmax-supplier-share = 1.0\n", ""),
    ] {
        assert_eq!(errors(text), expected, "{text}");
    }
}
