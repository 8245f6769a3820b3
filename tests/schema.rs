//! `orglint schema`: the JSON Schemas of org files and of `orglint.toml`
//! accept what orglint accepts and reject what it rejects. The loader and
//! the config parser are the oracle: for every fixture, the schema's verdict
//! must be the loader's.

mod common;

use std::path::{Path, PathBuf};

use common::{manifest_dir, output};
use orglint::schema::{SLUG_PATTERN, Target, schema};
use orglint::source::FileId;
use serde_json::{Value, json};

fn validator(target: Target) -> jsonschema::Validator {
    let schema = schema(target);
    if let Err(e) = jsonschema::meta::validate(&schema) {
        panic!("the {target:?} schema is not a valid JSON Schema: {e}");
    }
    jsonschema::draft7::new(&schema)
        .unwrap_or_else(|e| panic!("the {target:?} schema does not compile: {e}"))
}

/// TOML text as JSON, as an editor sees it; `None` when it is not TOML.
fn to_json(text: &str) -> Option<Value> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: toml::Value = toml::from_str::<toml::Table>(text).ok()?.into();
    Some(serde_json::to_value(value).unwrap_or_else(|e| panic!("TOML to JSON: {e}")))
}

/// The schema's errors for `instance`, one a line (empty when valid).
fn errors(v: &jsonschema::Validator, instance: &Value) -> String {
    v.iter_errors(instance)
        .map(|e| format!("  at {}: {e}", e.instance_path()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether the loader reports ORG008 in this org file.
fn loader_rejects(text: &str) -> bool {
    let (_, diagnostics) = orglint::load::load_text(FileId(0), text);
    diagnostics.iter().any(|d| d.code == "ORG008")
}

/// Every `.toml` file below `dir`, sorted.
fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
        for entry in entries {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "toml") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn read(path: &Path) -> Option<String> {
    String::from_utf8(std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .ok()
}

#[test]
fn every_valid_fixture_validates() {
    let v = validator(Target::Org);
    let fixtures = manifest_dir().join("fixtures");
    let mut files = toml_files(&fixtures.join("example"));
    let rules = fixtures.join("rules");
    for entry in std::fs::read_dir(&rules).unwrap_or_else(|e| panic!("{e}")) {
        let pass = entry.unwrap_or_else(|e| panic!("{e}")).path().join("pass");
        if pass.is_dir() {
            files.extend(toml_files(&pass));
        }
    }
    assert!(files.len() > 40, "too few fixtures found: {}", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let text = read(path).unwrap_or_else(|| panic!("{} is not UTF-8", path.display()));
        assert!(!loader_rejects(&text), "{} has ORG008", path.display());
        let json = to_json(&text).unwrap_or_else(|| panic!("{} is not TOML", path.display()));
        let e = errors(&v, &json);
        if !e.is_empty() {
            failures.push(format!("{}:\n{e}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_schema_agrees_with_the_loader_on_every_fixture() {
    // Failing fixtures of other rules are valid org files; ORG008's, the
    // hostile ones that are TOML, rule packs and configs are not. The loader
    // decides which is which.
    let v = validator(Target::Org);
    let files = toml_files(&manifest_dir().join("fixtures"));
    let (mut valid, mut invalid) = (0, 0);
    let mut disagreements = Vec::new();
    for path in &files {
        let Some(text) = read(path) else { continue };
        let Some(json) = to_json(&text) else {
            assert!(loader_rejects(&text), "{} is not TOML", path.display());
            continue;
        };
        let rejected = loader_rejects(&text);
        let e = errors(&v, &json);
        if rejected == e.is_empty() {
            disagreements.push(format!(
                "{}: the loader {} it, the schema {}",
                path.display(),
                if rejected { "rejects" } else { "accepts" },
                if e.is_empty() {
                    "accepts it".to_owned()
                } else {
                    format!("rejects it:\n{e}")
                }
            ));
        }
        if rejected {
            invalid += 1;
        } else {
            valid += 1;
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    assert!(
        valid > 40 && invalid >= 7,
        "valid {valid}, invalid {invalid}"
    );
}

/// Each snippet is rejected by the schema, and by the loader (ORG008).
#[test]
fn hostile_snippets_are_rejected() {
    let v = validator(Target::Org);
    let cases = [
        ("wrong type", "[organisation]\nname = 1\n"),
        (
            "wrong type in a list",
            "[services.a]\nname = \"A\"\nuser-needs = [1]\n",
        ),
        (
            "list for a string",
            "[people.a]\nname = [\"A\"]\nrole = \"x\"\n",
        ),
        (
            "string for a list",
            "[governance.b]\nname = \"B\"\narea = \"executive\"\ndecision = \"consensus\"\nmembers = \"a\"\n",
        ),
        (
            "string for a bool",
            "[services.a]\nname = \"A\"\ninternal-systems = \"yes\"\n",
        ),
        (
            "enum",
            "[teams.t]\nname = \"T\"\nmode = \"agile\"\nmembers = [\"a\"]\n",
        ),
        (
            "enum in a list",
            "[services.a]\nname = \"A\"\ndecision-rights = [\"policy\"]\n",
        ),
        (
            "unknown key",
            "[people.a]\nname = \"A\"\nrole = \"x\"\nemail = \"a@b\"\n",
        ),
        (
            "near-miss key",
            "[people.a]\nname = \"A\"\nrole = \"x\"\nreprots-to = \"b\"\n",
        ),
        ("unknown top-level table", "[organisaton]\nname = \"X\"\n"),
        ("top-level key", "name = \"X\"\n"),
        (
            "non-slug id",
            "[people.Ben_Hughes]\nname = \"Ben\"\nrole = \"x\"\n",
        ),
        (
            "non-slug id with a space",
            "[people.\"bad id\"]\nname = \"Ben\"\nrole = \"x\"\n",
        ),
        (
            "non-slug id ending in a hyphen",
            "[teams.platform-]\nname = \"T\"\nmode = \"stability\"\nmembers = [\"a\"]\n",
        ),
        ("non-slug post", "[posts]\n\"Professional Lead\" = \"a\"\n"),
        ("non-slug area", "[accountabilities]\n-data = \"a\"\n"),
        (
            "non-slug level",
            "[roles.r]\nname = \"R\"\nfamily = \"F\"\nlevels = [\"Senior R\"]\n",
        ),
        (
            "missing key",
            "[teams.t]\nname = \"T\"\nmembers = [\"a\"]\n",
        ),
        ("missing name", "[suppliers.s]\nkind = \"commodity\"\n"),
        (
            "empty members",
            "[teams.t]\nname = \"T\"\nmode = \"stability\"\nmembers = []\n",
        ),
        (
            "a post held by a list",
            "[posts]\nprofessional-lead = [\"a\"]\n",
        ),
        ("an entity that is not a table", "[people]\na = \"A\"\n"),
        (
            "supplier staff without a supplier",
            "[people.a]\nname = \"A\"\nrole = \"x\"\nemployment = \"supplier\"\n",
        ),
        (
            "a supplier without supplier employment",
            "[people.a]\nname = \"A\"\nrole = \"x\"\nsupplier = \"s\"\n",
        ),
    ];
    for (what, text) in cases {
        assert!(loader_rejects(text), "{what}: the loader accepts\n{text}");
        let json = to_json(text).unwrap_or_else(|| panic!("{what}: not TOML"));
        assert!(!v.is_valid(&json), "{what}: the schema accepts\n{text}");
    }
}

/// Each snippet is accepted by the schema and the loader.
#[test]
fn edge_cases_that_are_valid() {
    let v = validator(Target::Org);
    let cases = [
        ("empty file", ""),
        (
            "shared accountability parses",
            "[accountabilities]\ndata = [\"a\", \"b\"]\n",
        ),
        (
            "empty shared accountability parses",
            "[accountabilities]\ndata = []\n",
        ),
        ("any post name", "[posts]\nhead-of-delivery = \"a\"\n"),
        (
            "a reference that is not a slug is ORG001, not ORG008",
            "[people.a]\nname = \"A\"\nrole = \"x\"\nreports-to = \"Not A Slug\"\n",
        ),
        (
            "supplier staff",
            "[people.a]\nname = \"A\"\nrole = \"x\"\nemployment = \"supplier\"\nsupplier = \"s\"\n",
        ),
        (
            "empty body members",
            "[governance.b]\nname = \"B\"\narea = \"executive\"\ndecision = \"advisory\"\nmembers = []\n",
        ),
        (
            "digits in ids",
            "[teams.t2-x9]\nname = \"T\"\nmode = \"innovation\"\nphase = \"alpha\"\nmembers = [\"a\"]\n",
        ),
    ];
    for (what, text) in cases {
        assert!(!loader_rejects(text), "{what}: the loader rejects\n{text}");
        let json = to_json(text).unwrap_or_else(|| panic!("{what}: not TOML"));
        let e = errors(&v, &json);
        assert!(e.is_empty(), "{what}: the schema rejects\n{text}\n{e}");
    }
}

#[test]
fn the_slug_pattern_is_the_loaders() {
    let v = jsonschema::draft7::new(&json!({ "type": "string", "pattern": SLUG_PATTERN }))
        .unwrap_or_else(|e| panic!("{e}"));
    for s in [
        "a",
        "a-b",
        "lead-developer",
        "x1-2y",
        "",
        "-a",
        "a-",
        "a--b",
        "A",
        "a_b",
        "a b",
        "é",
        "a\n",
        "9",
        "a-b-",
        "zoë-adams",
        "acme.digital",
    ] {
        assert_eq!(
            v.is_valid(&json!(s)),
            orglint::load::schema::is_slug(s),
            "{s:?}"
        );
    }
}

/// A config the project ships or documents: its name, its text, and its
/// path when it is a file whose packs can be loaded.
struct Shipped {
    name: String,
    text: String,
    path: Option<PathBuf>,
}

/// The configs the project ships or documents: the one `orglint init`
/// writes, the README's example, and every `orglint.toml` of the fixtures.
fn shipped_configs() -> Vec<Shipped> {
    let root = manifest_dir();
    let mut out = Vec::new();
    let init = root.join("src/cli/init/orglint.toml");
    out.push(Shipped {
        name: init.display().to_string(),
        text: read(&init).unwrap_or_default(),
        path: None,
    });
    let readme = read(&root.join("README.md")).unwrap_or_default();
    let section = readme
        .split("\n## Configuration\n")
        .nth(1)
        .unwrap_or_else(|| panic!("README.md has no `## Configuration` section"));
    let block = section
        .split("```toml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .unwrap_or_else(|| panic!("README.md's configuration has no TOML example"));
    out.push(Shipped {
        name: "README.md".to_owned(),
        text: block.to_owned(),
        path: None,
    });
    for path in toml_files(&root.join("fixtures")) {
        if path.file_name().is_some_and(|n| n == "orglint.toml")
            && let Some(text) = read(&path)
        {
            out.push(Shipped {
                name: path.display().to_string(),
                text,
                path: Some(path),
            });
        }
    }
    out
}

/// Whether orglint accepts a config text with the built-in rules alone.
fn config_accepted(text: &str) -> bool {
    let Ok(raw) = orglint::config::parse(FileId(0), text) else {
        return false;
    };
    orglint::config::resolve(
        &raw,
        &orglint::pack::load_builtin(),
        &orglint::config::CliOverrides::default(),
    )
    .is_ok()
}

/// Whether orglint accepts a shipped config: a file with its packs loaded,
/// else the text with the built-in rules.
fn shipped_accepted(config: &Shipped) -> bool {
    match &config.path {
        Some(path) => {
            orglint::engine::setup(Some(path), None, &orglint::config::CliOverrides::default())
                .is_ok()
        }
        None => config_accepted(&config.text),
    }
}

#[test]
fn the_config_schema_accepts_the_shipped_configs() {
    let v = validator(Target::Config);
    let mut checked = 0;
    for config in shipped_configs() {
        if !shipped_accepted(&config) {
            // A fixture made to fail.
            continue;
        }
        let name = &config.name;
        let json = to_json(&config.text).unwrap_or_else(|| panic!("{name} is not TOML"));
        let e = errors(&v, &json);
        assert!(e.is_empty(), "{name}: the config schema rejects it:\n{e}");
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} configs checked");
}

#[test]
fn the_config_schema_rejects_what_the_config_parser_rejects() {
    let v = validator(Target::Config);
    let cases = [
        ("unknown top-level key", "[lnt]\nselect = [\"ALL\"]\n"),
        (
            "unknown key in [files]",
            "[files]\nincludes = [\"**/*.toml\"]\n",
        ),
        ("unknown key in [lint]", "[lint]\nfail_on = \"error\"\n"),
        (
            "unknown key in an override",
            "[[lint.overrides]]\nfiles = [\"a/**\"]\nselected = [\"GOV\"]\n",
        ),
        (
            "an override without files",
            "[[lint.overrides]]\nignore = [\"GOV\"]\n",
        ),
        (
            "fail-on outside its values",
            "[lint]\nfail-on = \"warnings\"\n",
        ),
        (
            "a severity outside its values",
            "[lint.severity]\nGOV001 = \"fatal\"\n",
        ),
        ("a count of zero", "[files]\nmax-files = 0\n"),
        ("a negative count", "[lint]\nmax-findings = -1\n"),
        ("a string for a list", "[lint]\nselect = \"ALL\"\n"),
        (
            "an unknown option",
            "[lint.options.governance-layers]\nmax-layer = 3\n",
        ),
        (
            "an option of the wrong type",
            "[lint.options.GOV001]\nmax-layers = \"3\"\n",
        ),
        (
            "an option below its range",
            "[lint.options.GOV001]\nmax-layers = 0\n",
        ),
        (
            "an option above its range",
            "[lint.options.supplier-majority]\nmax-supplier-share = 1.5\n",
        ),
        (
            "an option for a rule without options",
            "[lint.options.stacked-consensus]\nx = 1\n",
        ),
        (
            "an empty role group",
            "[lint.options.core-roles.require]\nproduct = []\n",
        ),
        ("ORG008 ignored", "[lint]\nignore = [\"ORG008\"]\n"),
        (
            "ORG008's severity",
            "[lint.severity]\ninvalid-file = \"warning\"\n",
        ),
    ];
    for (what, text) in cases {
        assert!(!config_accepted(text), "{what}: orglint accepts\n{text}");
        let json = to_json(text).unwrap_or_else(|| panic!("{what}: not TOML"));
        assert!(
            !v.is_valid(&json),
            "{what}: the config schema accepts\n{text}"
        );
    }
}

fn orglint_stdout(args: &[&str]) -> String {
    let out = output(&std::env::temp_dir(), args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "orglint {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_command_prints_the_schemas() {
    let org: Value = serde_json::from_str(&orglint_stdout(&["schema"]))
        .unwrap_or_else(|e| panic!("not JSON: {e}"));
    assert_eq!(org, schema(Target::Org));
    assert_eq!(
        org["$schema"],
        json!("http://json-schema.org/draft-07/schema#")
    );
    let explicit: Value = serde_json::from_str(&orglint_stdout(&["schema", "--for", "org"]))
        .unwrap_or_else(|e| panic!("not JSON: {e}"));
    assert_eq!(explicit, org);
    let config: Value = serde_json::from_str(&orglint_stdout(&["schema", "--for", "config"]))
        .unwrap_or_else(|e| panic!("not JSON: {e}"));
    assert_eq!(config, schema(Target::Config));
    assert_eq!(config["title"], json!("orglint.toml"));
}
