//! The CI formats (`sarif`, `github`, `junit`, `markdown`) and their
//! neighbours, through the built binary on `fixtures/formats`: snapshots,
//! SARIF against the OASIS schema, fingerprints that survive moved lines,
//! escaping of hostile messages and paths, determinism, the 1 MiB limit of
//! job summaries, and several reports from one run.
//!
//! Most tests copy the fixture into `<tmp>/formats/` beside a `.git` file,
//! and run from `<tmp>/formats`: SARIF and GitHub paths are then relative to
//! `<tmp>` (`formats/teams.toml`), the others to the current directory
//! (`teams.toml`), whatever checkout the tests run in.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{TempDir, output};

const FORMATS: [&str; 7] = [
    "human", "short", "json", "sarif", "github", "junit", "markdown",
];

/// GitHub's limit on a job summary.
const ONE_MIB: usize = 1024 * 1024;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn fixture() -> PathBuf {
    common::fixture("formats")
}

/// How the staged copy marks its work tree.
#[derive(Clone, Copy)]
enum Git {
    /// A `.git` file, as in a linked worktree or a submodule.
    File,
    /// A `.git` directory.
    Dir,
    /// None: outside any work tree.
    None,
}

/// The fixture copied to `<tmp>/formats/`; returns the temp dir and the
/// directory to run in.
fn stage(name: &str, git: Git) -> (TempDir, PathBuf) {
    let tmp = TempDir::new(name);
    match git {
        Git::File => std::fs::write(tmp.path().join(".git"), "gitdir: /nowhere\n").unwrap(),
        Git::Dir => std::fs::create_dir(tmp.path().join(".git")).unwrap(),
        Git::None => {}
    }
    let dir = tmp.path().join("formats");
    std::fs::create_dir(&dir).unwrap();
    for entry in std::fs::read_dir(fixture()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    (tmp, dir)
}

/// `orglint check . --format FORMAT` in `cwd`: standard output, after
/// checking that the run found something (exit 1) and said nothing on
/// standard error.
fn report(cwd: &Path, format: &str) -> String {
    let out = output(cwd, &["check", ".", "--format", format]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{format}: {stderr}");
    assert!(stderr.is_empty(), "{format}: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

/// The human and short summary line ends with the run's time.
fn without_time(text: &str) -> String {
    text.lines()
        .map(|line| match line.rfind("; ") {
            Some(i)
                if line.ends_with('s')
                    && line[i + 2..line.len() - 1]
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == '.') =>
            {
                format!("{}; <time>", &line[..i])
            }
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-schema-2.1.0.json"),
    )
    .unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

/// Parses a SARIF document and checks it against the OASIS schema.
fn valid_sarif(validator: &jsonschema::Validator, text: &str, what: &str) -> serde_json::Value {
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: SARIF invalid:\n{}",
        errors.join("\n")
    );
    value
}

fn results(sarif: &serde_json::Value) -> &Vec<serde_json::Value> {
    sarif["runs"][0]["results"].as_array().unwrap()
}

// ---------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------

#[test]
fn snapshot_sarif() {
    let (_tmp, dir) = stage("snap-sarif", Git::File);
    let out = report(&dir, "sarif");
    valid_sarif(&sarif_validator(), &out, "snapshot");
    insta::assert_snapshot!("formats_sarif", out);
}

#[test]
fn snapshot_github() {
    let (_tmp, dir) = stage("snap-github", Git::File);
    insta::assert_snapshot!("formats_github", report(&dir, "github"));
}

#[test]
fn snapshot_junit() {
    let (_tmp, dir) = stage("snap-junit", Git::File);
    let out = report(&dir, "junit");
    check_xml(&out);
    insta::assert_snapshot!("formats_junit", out);
}

#[test]
fn snapshot_markdown() {
    let (_tmp, dir) = stage("snap-markdown", Git::File);
    insta::assert_snapshot!("formats_markdown", report(&dir, "markdown"));
}

// ---------------------------------------------------------------------------
// SARIF
// ---------------------------------------------------------------------------

#[test]
fn sarif_of_every_fixture_is_valid() {
    let validator = sarif_validator();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut dirs = vec![
        root.join("formats"),
        root.join("example"),
        root.join("hostile"),
    ];
    let mut rules: Vec<PathBuf> = std::fs::read_dir(root.join("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    rules.sort();
    for rule in rules {
        dirs.push(rule.join("fail"));
        dirs.push(rule.join("pass"));
    }
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        let out = output(dir, &["check", ".", "--format", "sarif"]);
        let what = dir.display().to_string();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let sarif = valid_sarif(&validator, &text, &what);
        for result in results(&sarif) {
            // Code scanning needs a location for every result.
            assert!(
                result["locations"][0]["physicalLocation"]["region"]["startLine"].is_u64(),
                "{what}: {result}"
            );
            let rule = &sarif["runs"][0]["tool"]["driver"]["rules"]
                [result["ruleIndex"].as_u64().unwrap() as usize];
            assert_eq!(rule["id"], result["ruleId"], "{what}");
        }
    }
}

#[test]
fn the_schema_check_is_not_vacuous() {
    let validator = sarif_validator();
    let (_tmp, dir) = stage("vacuous", Git::File);
    let mut sarif: serde_json::Value = serde_json::from_str(&report(&dir, "sarif")).unwrap();
    assert!(validator.is_valid(&sarif));
    sarif["runs"][0]["results"][0]["level"] = "info".into();
    assert!(!validator.is_valid(&sarif), "a level SARIF does not have");
    sarif["runs"][0]["results"][0]["level"] = "note".into();
    sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!validator.is_valid(&sarif), "line 0");
}

#[test]
fn sarif_rules_results_and_suppressions() {
    let (_tmp, dir) = stage("sarif-shape", Git::Dir);
    let sarif = valid_sarif(&sarif_validator(), &report(&dir, "sarif"), "shape");
    let run = &sarif["runs"][0];
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "orglint");
    let rules = driver["rules"].as_array().unwrap();
    // Every enabled rule (all built-in rules under the default config).
    assert!(rules.len() >= 36, "{}", rules.len());
    for rule in rules {
        // Built-in rules only here: every one has its documentation page.
        for key in ["id", "name", "helpUri"] {
            assert!(rule[key].is_string(), "{rule}");
        }
        for key in ["shortDescription", "fullDescription"] {
            assert!(rule[key]["text"].is_string(), "{rule}");
        }
        assert!(rule["help"]["text"].is_string() && rule["help"]["markdown"].is_string());
        assert!(matches!(
            rule["defaultConfiguration"]["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
    }
    let team004 = rules.iter().find(|r| r["id"] == "TEAM004").unwrap();
    let md = team004["help"]["markdown"].as_str().unwrap();
    assert!(
        md.contains("*Source:*") && md.contains("[Documentation]("),
        "{md}"
    );

    let results = results(&sarif);
    let levels: Vec<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    for level in ["error", "warning", "note"] {
        assert!(levels.contains(&level), "{levels:?}");
    }
    // Paths are relative to the work tree (<tmp>), not to the current
    // directory (<tmp>/formats).
    let team004 = results.iter().find(|r| r["ruleId"] == "TEAM004").unwrap();
    let physical = &team004["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "formats/teams.toml");
    assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(
        physical["region"],
        serde_json::json!({"startLine": 7, "startColumn": 11, "endLine": 11, "endColumn": 2})
    );
    // Related locations carry their message.
    let own003 = results.iter().find(|r| r["ruleId"] == "OWN003").unwrap();
    let related = &own003["relatedLocations"][0];
    assert_eq!(
        related["physicalLocation"]["artifactLocation"]["uri"],
        "formats/people.toml"
    );
    assert_eq!(related["message"]["text"], "`dev-shah` is a contractor");
    // The span-less finding: line 1 of the first file read.
    let org005 = results.iter().find(|r| r["ruleId"] == "ORG005").unwrap();
    let physical = &org005["locations"][0]["physicalLocation"];
    assert_eq!(
        physical["artifactLocation"]["uri"],
        "formats/odd,name%3A1%25.toml"
    );
    assert_eq!(physical["region"]["startLine"], 1);
    // The suppressed finding is a result with its justification.
    let suppressed: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["ruleId"], "TEAM001");
    assert_eq!(
        suppressed[0]["suppressions"],
        serde_json::json!([{"kind": "inSource", "justification": "discovery only, a user researcher joins in alpha"}])
    );
    // Fingerprints are distinct.
    let mut fingerprints: Vec<&str> = results
        .iter()
        .map(|r| r["partialFingerprints"]["orglint/v1"].as_str().unwrap())
        .collect();
    let n = fingerprints.len();
    fingerprints.sort_unstable();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), n);
}

#[test]
fn sarif_paths_outside_a_work_tree_are_relative_to_the_current_directory() {
    let (tmp, dir) = stage("sarif-no-git", Git::None);
    if tmp.path().ancestors().any(|a| a.join(".git").exists()) {
        eprintln!("skipped: the temp dir lies inside a git work tree");
        return;
    }
    let sarif = valid_sarif(&sarif_validator(), &report(&dir, "sarif"), "no git");
    let uris: Vec<&str> = results(&sarif)
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(&"teams.toml"), "{uris:?}");
    let github = report(&dir, "github");
    assert!(github.contains("file=teams.toml,"), "{github}");
}

/// Fingerprint and start line of each result, by rule and message.
fn fingerprints(sarif: &serde_json::Value) -> BTreeMap<(String, String), (String, u64)> {
    results(sarif)
        .iter()
        .map(|r| {
            (
                (
                    r["ruleId"].as_str().unwrap().to_owned(),
                    r["message"]["text"].as_str().unwrap().to_owned(),
                ),
                (
                    r["partialFingerprints"]["orglint/v1"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                ),
            )
        })
        .collect()
}

#[test]
fn fingerprints_survive_moved_lines() {
    let validator = sarif_validator();
    let (_tmp, dir) = stage("moved", Git::File);
    let before = fingerprints(&valid_sarif(&validator, &report(&dir, "sarif"), "before"));
    for name in ["odd,name:1%.toml", "people.toml", "teams.toml"] {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("\n\n\n{text}")).unwrap();
    }
    let after = fingerprints(&valid_sarif(&validator, &report(&dir, "sarif"), "after"));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (key, (fingerprint, line)) in &before {
        let (moved_fingerprint, moved_line) = &after[key];
        assert_eq!(fingerprint, moved_fingerprint, "{key:?}");
        if key.0 != "ORG005" {
            assert_eq!(line + 3, *moved_line, "{key:?}");
        }
    }
}

// ---------------------------------------------------------------------------
// Escaping
// ---------------------------------------------------------------------------

/// Reads a workflow command back as the Actions runner does: the command,
/// its properties and its message, unescaped.
fn parse_command(line: &str) -> (String, BTreeMap<String, String>, String) {
    let rest = line.strip_prefix("::").unwrap();
    let (head, message) = rest.split_once("::").unwrap();
    let (command, props) = head.split_once(' ').unwrap_or((head, ""));
    let unescape = |s: &str| {
        s.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
    };
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            (k.to_owned(), unescape(v))
        })
        .collect();
    (command.to_owned(), props, unescape(message))
}

const HOSTILE_MESSAGE: &str =
    "unknown person `ghost,one:two%0A50% <b>&amp;</b> \"q\" 'a'|*x*\r\nsecond line`";

#[test]
fn github_escapes_hostile_messages_and_paths() {
    let (_tmp, dir) = stage("github-escape", Git::File);
    let out = report(&dir, "github");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.contains(
        &"::error file=formats/odd%2Cname%3A1%25.toml,line=13,endLine=13,col=9,endColumn=72,title=ORG001 unknown-reference::unknown person `ghost,one:two%250A50%25 <b>&amp;</b> \"q\" 'a'|*x*%0D%0Asecond line`"
    ), "{out}");
    // Read back, every command gives the json report's message and path.
    let json: serde_json::Value = serde_json::from_str(&report(&dir, "json")).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(lines.len(), diagnostics.len());
    for (line, d) in lines.iter().zip(diagnostics) {
        let (command, props, message) = parse_command(line);
        let expected = match d["severity"].as_str().unwrap() {
            "info" => "notice",
            other => other,
        };
        assert_eq!(command, expected, "{line}");
        assert_eq!(message, d["message"].as_str().unwrap(), "{line}");
        assert_eq!(
            props["title"],
            format!(
                "{} {}",
                d["code"].as_str().unwrap(),
                d["name"].as_str().unwrap()
            )
        );
        match d["path"].as_str() {
            // A finding without a span has no place.
            None => assert_eq!(props.keys().collect::<Vec<_>>(), ["title"], "{line}"),
            Some(path) => {
                assert_eq!(props["file"], format!("formats/{path}"), "{line}");
                assert_eq!(props["line"], d["start"]["line"].to_string());
                assert_eq!(props["endLine"], d["end"]["line"].to_string());
                let one_line = d["start"]["line"] == d["end"]["line"];
                assert_eq!(props.contains_key("col"), one_line, "{line}");
                assert_eq!(props.contains_key("endColumn"), one_line, "{line}");
                if one_line {
                    assert_eq!(props["col"], d["start"]["column"].to_string());
                    assert_eq!(props["endColumn"], d["end"]["column"].to_string());
                }
            }
        }
    }
    // The suppressed finding is not annotated.
    assert!(!out.contains("TEAM001"), "{out}");
}

#[test]
fn sarif_and_json_keep_hostile_text_exact() {
    let (_tmp, dir) = stage("sarif-escape", Git::File);
    let sarif = valid_sarif(&sarif_validator(), &report(&dir, "sarif"), "escape");
    let org001 = results(&sarif)
        .iter()
        .find(|r| r["ruleId"] == "ORG001")
        .unwrap();
    assert_eq!(org001["message"]["text"], HOSTILE_MESSAGE);
    assert_eq!(
        org001["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "formats/odd,name%3A1%25.toml"
    );
}

/// A small well-formedness check: tags balance, attribute values are
/// quoted and hold no `<`, and every `&` starts a known reference.
fn check_xml(xml: &str) {
    let body = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .expect("XML declaration");
    let check_refs = |s: &str| {
        for (i, _) in s.match_indices('&') {
            let rest = &s[i..];
            let ok = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|e| rest.starts_with(e))
                || (rest.starts_with("&#")
                    && rest[2..]
                        .find(';')
                        .is_some_and(|end| rest[2..2 + end].chars().all(|c| c.is_ascii_digit())));
            assert!(ok, "bare & in {s:?}");
        }
        for c in s.chars() {
            let code = c as u32;
            assert!(
                code >= 0x20 || matches!(c, '\t' | '\n' | '\r'),
                "control character {code:#x} in {s:?}"
            );
        }
    };
    let mut stack: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        check_refs(&rest[..open]);
        assert!(!rest[..open].contains('>'), "bare > in text");
        let after = &rest[open + 1..];
        // Find the end of the tag, skipping quoted attribute values.
        let mut in_quote = false;
        let mut end = None;
        for (i, c) in after.char_indices() {
            match c {
                '"' => in_quote = !in_quote,
                '<' => panic!("`<` inside a tag: {}", &after[..i]),
                '>' if !in_quote => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let end = end.expect("unterminated tag");
        let tag = &after[..end];
        for (i, value) in tag.split('"').enumerate() {
            if i % 2 == 1 {
                check_refs(value);
                assert!(!value.contains('\n'), "raw line break in an attribute");
            }
        }
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "unbalanced </{name}>");
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().unwrap_or("");
            stack.push(name.to_owned());
        }
        rest = &after[end + 1..];
    }
    assert!(rest.trim().is_empty());
    assert!(stack.is_empty(), "unclosed {stack:?}");
}

#[test]
fn junit_escapes_hostile_messages_and_paths() {
    let (_tmp, dir) = stage("junit-escape", Git::File);
    let out = report(&dir, "junit");
    check_xml(&out);
    assert!(
        out.contains("<testsuite name=\"odd,name:1%.toml\""),
        "{out}"
    );
    assert!(
        out.contains("message=\"ORG001 unknown person `ghost,one:two%0A50% &lt;b&gt;&amp;amp;&lt;/b&gt; &quot;q&quot; &apos;a&apos;|*x* second line`\""),
        "{out}"
    );
    assert!(
        out.contains(">odd,name:1%.toml:13:9 ORG001 unknown person `ghost,one:two%0A50% &lt;b&gt;&amp;amp;&lt;/b&gt; \"q\" 'a'|*x* second line`</failure>"),
        "{out}"
    );
}

#[test]
fn junit_has_a_testcase_per_entity() {
    let (_tmp, dir) = stage("junit-entities", Git::File);
    let out = report(&dir, "junit");
    let cases: Vec<&str> = out
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<testcase name=\""))
        .map(|l| &l[..l.find('"').unwrap()])
        .collect();
    // The people, teams, services, bodies, suppliers, posts and areas of
    // the model, each once; a `(file)` case per file; `(organisation)`.
    for name in [
        "(organisation)",
        "(file)",
        "person wendy-hale",
        "team hosting",
        "team discovery",
        "service apply-for-a-licence",
        "service renew-a-licence",
        "body executive-board",
        "supplier hollis-digital",
        "post professional-lead",
        "accountability data",
    ] {
        assert!(cases.contains(&name), "{name} missing from {cases:?}");
    }
    assert_eq!(cases.iter().filter(|c| **c == "(file)").count(), 3);
    assert!(out.contains("<testsuites name=\"orglint\" tests=\"26\" failures=\"6\""));
    // The suppressed TEAM001 does not fail `team discovery`.
    assert!(out.contains("<testcase name=\"team discovery\" classname=\"teams.toml\"/>"));
}

#[test]
fn markdown_escapes_hostile_messages_and_paths() {
    let (_tmp, dir) = stage("markdown-escape", Git::File);
    let out = report(&dir, "markdown");
    // The path: a code span as text, percent-encoded as a link.
    assert!(
        out.contains("### [`odd,name:1%.toml`](odd,name%3A1%25.toml)"),
        "{out}"
    );
    assert!(out.contains("](odd,name%3A1%25.toml#L13): unknown person `ghost,one:two%0A50% <b>&amp;</b> \"q\" 'a'|*x* second line`\n"), "{out}");
    // Markup outside code spans is escaped; a message is one line.
    assert!(out.contains("members of team `hosting` (66.7%) are supplier staff"));
    assert!(!out.contains('\r'));
}

// ---------------------------------------------------------------------------
// Determinism, limits, several reports
// ---------------------------------------------------------------------------

#[test]
fn every_format_is_deterministic() {
    let (_tmp, dir) = stage("determinism", Git::File);
    for format in FORMATS {
        let a = output(&dir, &["check", ".", "--format", format]);
        let b = output(&dir, &["check", ".", "--format", format]);
        assert_eq!(a.status.code(), Some(1), "{format}");
        match format {
            // The summary line's time aside.
            "human" | "short" => assert_eq!(
                without_time(&String::from_utf8_lossy(&a.stdout)),
                without_time(&String::from_utf8_lossy(&b.stdout)),
                "{format}"
            ),
            _ => assert!(a.stdout == b.stdout, "{format} differs between runs"),
        }
    }
    // The same bytes from the fixture in place, too (relative paths).
    let a = output(&fixture(), &["check", ".", "--format", "junit"]);
    let b = output(&dir, &["check", ".", "--format", "junit"]);
    assert!(a.stdout == b.stdout, "junit depends on where it runs");
}

#[test]
fn markdown_stays_under_one_mib() {
    let tmp = TempDir::new("big");
    // 50,000 people in no team: 50,000 ORG007 findings, and a few more.
    let mut text = String::with_capacity(50_000 * 64);
    for i in 0..50_000 {
        text.push_str(&format!(
            "[people.p{i:05}]\nname = \"Person {i}\"\nrole = \"business-analyst\"\n\n"
        ));
    }
    std::fs::write(tmp.path().join("people.toml"), text).unwrap();
    let out = output(tmp.path(), &["check", ".", "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(1));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.len() < ONE_MIB, "{} bytes", md.len());
    assert!(md.len() > ONE_MIB / 2, "{} bytes", md.len());
    assert!(md.contains("| [`ORG007`][ORG007] | unassigned-person | 0 | 0 | 50000 |"));
    let tail: Vec<&str> = md.lines().rev().take(3).collect();
    assert!(
        tail.iter()
            .any(|l| l.contains("truncated to stay under GitHub's 1 MiB")),
        "{tail:?}"
    );
    let listed = md.lines().filter(|l| l.starts_with("- :")).count();
    let json_count: usize = {
        let out = output(tmp.path(), &["check", ".", "--format", "json"]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["diagnostics"].as_array().unwrap().len()
    };
    assert!(json_count >= 50_000, "{json_count}");
    assert!(
        md.contains(&format!(
            "{} findings of {json_count} are not listed",
            json_count - listed
        )),
        "{tail:?}"
    );
}

#[test]
fn one_run_writes_every_report() {
    let (_tmp, dir) = stage("several", Git::File);
    let out = output(
        &dir,
        &[
            "check",
            ".",
            "--format",
            "github",
            "--format",
            "sarif:../out.sarif",
            "--format",
            "markdown:../summary.md",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        report(&dir, "github")
    );
    let sarif = std::fs::read_to_string(dir.join("../out.sarif")).unwrap();
    assert_eq!(sarif, report(&dir, "sarif"));
    valid_sarif(&sarif_validator(), &sarif, "from a file");
    let md = std::fs::read_to_string(dir.join("../summary.md")).unwrap();
    assert_eq!(md, report(&dir, "markdown"));
}

#[test]
fn statistics_never_break_a_document() {
    let (_tmp, dir) = stage("statistics", Git::File);
    for format in ["sarif", "junit", "markdown", "github"] {
        let with = output(&dir, &["check", ".", "--statistics", "--format", format]);
        assert_eq!(with.stdout, report(&dir, format).into_bytes(), "{format}");
    }
}

#[test]
fn pack_rules_link_no_documentation_page() {
    // orglint documents its built-in rules only: a user's pack rule gets no
    // documentation link, in SARIF or Markdown; its SARIF helpUri (cli.md
    // asks for one on every rule) is how rule packs work.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/packs/acme");
    let out = output(&dir, &["check", "--format", "sarif"]);
    let sarif = valid_sarif(
        &sarif_validator(),
        &String::from_utf8(out.stdout).unwrap(),
        "acme",
    );
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let (acme, builtin): (Vec<_>, Vec<_>) = rules
        .iter()
        .partition(|r| r["id"].as_str().unwrap().starts_with("ACME"));
    assert!(!acme.is_empty() && !builtin.is_empty());
    for rule in acme {
        assert_eq!(rule["helpUri"], orglint::report::PACKS_DOC_URL, "{rule}");
        assert!(
            !rule["help"]["text"]
                .as_str()
                .unwrap()
                .contains("Documentation")
        );
        assert!(
            !rule["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("Documentation")
        );
    }
    for rule in builtin {
        assert!(rule["helpUri"].as_str().unwrap().contains("docs/rules.md#"));
    }
    let out = output(&dir, &["check", "--format", "markdown"]);
    let markdown = String::from_utf8(out.stdout).unwrap();
    assert!(markdown.contains("`ACME"), "{markdown}");
    assert!(!markdown.contains("[`ACME"), "{markdown}");
    assert!(!markdown.contains("rules.md#acme"), "{markdown}");
    // No link definitions, so no blank line left for them.
    assert!(
        markdown.contains("| **Total** | | **0** | **2** | **1** |\n\n### "),
        "{markdown}"
    );
}

#[test]
fn sarif_paths_are_relative_to_each_files_work_tree() {
    // decisions.md 21: relative to the work tree that holds the file, found
    // from the file, wherever orglint runs from.
    let (tmp, dir) = stage("sarif-per-file", Git::Dir);
    let outside = TempDir::new("sarif-elsewhere");
    if outside.path().ancestors().any(|a| a.join(".git").exists()) {
        eprintln!("skipped: the temp dir lies inside a git work tree");
        return;
    }
    let target = dir.to_string_lossy().into_owned();
    let out = output(outside.path(), &["check", &target, "--format", "github"]);
    let github = String::from_utf8(out.stdout).unwrap();
    assert!(github.contains("file=formats/teams.toml,"), "{github}");
    let out = output(outside.path(), &["check", &target, "--format", "sarif"]);
    let sarif = valid_sarif(
        &sarif_validator(),
        &String::from_utf8(out.stdout).unwrap(),
        "per file",
    );
    let uris: Vec<&str> = results(&sarif)
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(uris.contains(&"formats/teams.toml"), "{uris:?}");
    drop(tmp);
}

#[test]
fn sarif_paths_in_a_submodule_are_relative_to_the_current_work_tree() {
    // Run from the superproject: a file in a submodule (its own `.git`
    // file) is relative to the superproject, as its code scanning needs.
    let (tmp, dir) = stage("sarif-submodule", Git::Dir);
    std::fs::write(dir.join(".git"), "gitdir: ../.git/modules/formats\n").unwrap();
    let out = output(tmp.path(), &["check", "formats", "--format", "github"]);
    let github = String::from_utf8(out.stdout).unwrap();
    assert!(github.contains("file=formats/teams.toml,"), "{github}");
    // From inside the submodule, its own root.
    let out = output(&dir, &["check", ".", "--format", "github"]);
    let github = String::from_utf8(out.stdout).unwrap();
    assert!(github.contains("file=teams.toml,"), "{github}");
}
