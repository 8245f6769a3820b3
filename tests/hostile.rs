//! Hostile input: every file of `fixtures/hostile`, alone, beside a valid
//! organisation and all together, plus inputs generated at run time (deep
//! nesting, huge values, size limits, bad encodings, thousands of syntax
//! errors, odd directory entries, duplicate keys, BOM + CRLF).
//!
//! Whatever the input: no panic, no hang (every run is killed after 20 s,
//! failing the test), ORG008 at a sensible place, and every other file of
//! the run still checked.

mod common;

use std::path::Path;

use common::{ONE_WARNING_SERVICE, Run, TempDir, VALID_ORG, orglint};

/// What a hostile fixture must give when linted alone.
enum Expect {
    /// Valid: no finding at all, exit 0.
    Clean,
    /// Valid but empty: no finding with a span in the file.
    NoSpans,
    /// Schema errors in valid TOML: exactly these ORG008 positions.
    Exactly(&'static [&'static str]),
    /// Invalid TOML: ORG008 first at the parser's position (more may follow).
    StartsWith(&'static str),
}

const FIXTURES: &[(&str, Expect)] = &[
    (
        "bad-values.toml",
        Expect::Exactly(&[
            "6:14", "10:8", "11:9", "17:11", "21:31", "22:11", "23:15", "27:8", "28:12", "32:8",
        ]),
    ),
    ("bom-crlf.toml", Expect::Clean),
    ("control-chars.toml", Expect::Exactly(&["3:12", "4:18"])),
    ("duplicate-dotted.toml", Expect::StartsWith("4:1")),
    ("duplicate-keys.toml", Expect::Exactly(&["5:1"])),
    ("duplicate-tables.toml", Expect::StartsWith("11:9")),
    ("empty.toml", Expect::NoSpans),
    (
        "missing-required.toml",
        Expect::Exactly(&[
            "3:1", "3:1", "5:1", "10:1", "10:1", "13:1", "16:1", "16:1", "19:1", "22:1",
        ]),
    ),
    (
        "non-slug-ids.toml",
        Expect::Exactly(&[
            "3:9", "7:9", "11:9", "15:9", "19:8", "24:11", "27:13", "32:12", "37:1", "40:1",
            "45:11", "45:30", "46:12",
        ]),
    ),
    ("not-utf8.toml", Expect::Exactly(&["1:4"])),
    ("out-of-range.toml", Expect::Exactly(&["5:9", "6:10"])),
    ("syntax-errors.toml", Expect::StartsWith("3:21")),
    (
        "unknown-keys.toml",
        Expect::Exactly(&[
            "3:2", "7:2", "13:1", "14:1", "15:1", "17:1", "20:1", "21:1", "23:2", "29:1", "30:1",
            "31:1", "33:1", "36:1", "37:1", "42:1",
        ]),
    ),
    (
        "wrong-top-level.toml",
        Expect::Exactly(&["2:1", "3:9", "4:10", "6:1", "11:8", "18:19"]),
    ),
    (
        "wrong-types.toml",
        Expect::Exactly(&[
            "4:8", "5:14", "6:11", "6:14", "9:8", "10:8", "11:9", "12:14", "13:14", "18:1",
            "23:11", "24:13", "24:16", "24:19", "25:8", "26:14", "30:9", "31:19", "32:14", "33:20",
            "34:11", "35:14", "39:10", "42:12", "43:10", "47:8", "51:10", "52:10", "53:12",
        ]),
    ),
];

/// The NEED002 of the valid organisation placed beside hostile files.
const KNOWN_FINDING: &str = "aaa-valid/services.toml:6:15 NEED002";

fn hostile_fixture(name: &str) -> std::path::PathBuf {
    common::fixture("hostile").join(name)
}

/// A scratch directory holding a copy of the named hostile fixtures.
fn with_fixtures(tag: &str, names: &[&str]) -> TempDir {
    let tmp = TempDir::with_config(tag);
    for name in names {
        let bytes = std::fs::read(hostile_fixture(name)).expect("fixture");
        tmp.write(name, bytes);
    }
    tmp
}

/// The valid organisation with one known finding, in `aaa-valid/` (first in
/// path order, so its definitions win over the hostile files').
fn add_valid_org(tmp: &TempDir) {
    tmp.write("aaa-valid/org.toml", VALID_ORG);
    tmp.write("aaa-valid/services.toml", ONE_WARNING_SERVICE);
}

/// Runs `check ARGS` in every format: no panic, the same exit code each
/// time. Returns the short run and the json document.
fn check_every_format(dir: &Path, args: &[&str]) -> (Run, serde_json::Value) {
    let with = |format: &str| {
        let mut all = vec!["check", "--color", "never", "--format", format];
        all.extend_from_slice(args);
        let run = orglint(dir, &all);
        run.assert_no_panic();
        run
    };
    let short = with("short");
    let human = with("human");
    let json = with("json");
    assert_eq!(short.code, human.code, "human exit code; {}", human.stderr);
    assert_eq!(short.code, json.code, "json exit code; {}", json.stderr);
    assert!(
        short.code == 0 || short.code == 1,
        "exit {} for {args:?}: {}",
        short.code,
        short.stderr
    );
    let doc = json.json();
    (short, doc)
}

/// `line:col` of every ORG008 in `path`, in report order.
fn org008_in(doc: &serde_json::Value, path: &str) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "ORG008" && d["path"] == path)
        .map(|d| format!("{}:{}", d["start"]["line"], d["start"]["column"]))
        .collect()
}

/// Every diagnostic as `path:line:col CODE`, `- CODE` without a span.
fn all_positions(doc: &serde_json::Value) -> Vec<String> {
    common::positions(doc)
}

/// Control characters made visible, for snapshots.
fn visible(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                format!("<U+{:04X}>", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn snapshot_name(file: &str) -> String {
    file.trim_end_matches(".toml").to_owned()
}

// ---------------------------------------------------------------------------
// The fixtures

#[test]
fn each_fixture_alone() {
    for (name, expect) in FIXTURES {
        let tmp = with_fixtures(&snapshot_name(name), &[name]);
        let (short, doc) = check_every_format(tmp.path(), &[name]);
        let org008 = org008_in(&doc, name);
        match expect {
            Expect::Clean => {
                short.assert_code(0);
                assert!(
                    all_positions(&doc).is_empty(),
                    "{name}: {:?}",
                    all_positions(&doc)
                );
            }
            Expect::NoSpans => {
                short.assert_code(1);
                let spanned: Vec<String> = all_positions(&doc)
                    .into_iter()
                    .filter(|p| !p.starts_with("- "))
                    .collect();
                assert!(spanned.is_empty(), "{name}: {spanned:?}");
            }
            Expect::Exactly(want) => {
                short.assert_code(1);
                assert_eq!(&org008, want, "{name}");
            }
            Expect::StartsWith(first) => {
                short.assert_code(1);
                assert_eq!(
                    org008.first().map(String::as_str),
                    Some(*first),
                    "{name}: {org008:?}"
                );
            }
        }
        // Every ORG008 is an error, and never suppressed or dropped.
        for d in doc["diagnostics"].as_array().unwrap() {
            if d["code"] == "ORG008" {
                assert_eq!(d["severity"], "error", "{name}: {d}");
            }
        }
        // Not ORG002 for anything defined twice within one file.
        if name.starts_with("duplicate-") {
            assert!(
                !all_positions(&doc).iter().any(|p| p.ends_with(" ORG002")),
                "{name}: {:?}",
                all_positions(&doc)
            );
        }
        // The findings (standard output), then the summary (standard error).
        let text = format!("{}{}", short.stdout, short.stderr);
        insta::assert_snapshot!(snapshot_name(name), visible(&text));
    }
}

#[test]
fn every_fixture_is_listed() {
    let mut on_disk: Vec<String> = std::fs::read_dir(common::fixture("hostile"))
        .expect("fixtures/hostile")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = FIXTURES.iter().map(|(n, _)| *n).collect();
    assert_eq!(on_disk, listed);
}

#[test]
fn near_miss_keys_and_values_get_did_you_mean() {
    let tmp = with_fixtures("did-you-mean", &["unknown-keys.toml", "bad-values.toml"]);
    let (_, doc) = check_every_format(tmp.path(), &["."]);
    let help_at = |path: &str, at: &str| -> String {
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| {
                d["code"] == "ORG008"
                    && d["path"] == path
                    && format!("{}:{}", d["start"]["line"], d["start"]["column"]) == at
            })
            .map(|d| d["help"].as_str().unwrap_or("").to_owned())
            .unwrap_or_else(|| panic!("no ORG008 at {path}:{at}"))
    };
    for (at, suggestion) in [
        ("3:2", "organisation"),
        ("7:2", "posts"),
        ("13:1", "reports-to"),
        ("14:1", "level"),
        ("20:1", "members"),
        ("23:2", "services"),
        ("29:1", "user-needs"),
        ("30:1", "decision-rights"),
        ("31:1", "internal-systems"),
        ("36:1", "decision"),
        ("37:1", "remit"),
    ] {
        let help = help_at("unknown-keys.toml", at);
        assert!(help.contains(&format!("`{suggestion}`")), "{at}: {help}");
    }
    for (at, suggestion) in [
        ("6:14", "contractor"),
        ("10:8", "innovation"),
        ("28:12", "consensus"),
    ] {
        let help = help_at("bad-values.toml", at);
        assert!(help.contains(&format!("`{suggestion}`")), "{at}: {help}");
    }
    // The accepted values are listed in the message.
    let messages: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "ORG008" && d["path"] == "bad-values.toml")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`innovation` or `stability`")),
        "{messages:?}"
    );
}

#[test]
fn each_fixture_beside_a_valid_org() {
    for (name, _) in FIXTURES {
        let alone = {
            let tmp = with_fixtures(&format!("alone-{}", snapshot_name(name)), &[name]);
            let (_, doc) = check_every_format(tmp.path(), &[name]);
            org008_in(&doc, name)
        };
        let tmp = with_fixtures(&format!("beside-{}", snapshot_name(name)), &[name]);
        add_valid_org(&tmp);
        let (short, doc) = check_every_format(tmp.path(), &[]);
        let got = all_positions(&doc);
        assert!(
            got.iter().any(|p| p == KNOWN_FINDING),
            "{name}: the valid org's finding is lost: {got:?}"
        );
        assert_eq!(
            org008_in(&doc, name),
            alone,
            "{name}: its ORG008 changed beside other files"
        );
        assert!(
            org008_in(&doc, "aaa-valid/org.toml").is_empty()
                && org008_in(&doc, "aaa-valid/services.toml").is_empty(),
            "{name}: {got:?}"
        );
        if !alone.is_empty() {
            short.assert_code(1);
        }
    }
}

#[test]
fn all_fixtures_together() {
    let names: Vec<&str> = FIXTURES.iter().map(|(n, _)| *n).collect();
    let tmp = with_fixtures("together", &names);
    add_valid_org(&tmp);
    let (short, doc) = check_every_format(tmp.path(), &["."]);
    short.assert_code(1);
    let got = all_positions(&doc);
    assert!(got.iter().any(|p| p == KNOWN_FINDING), "{got:?}");
    assert_eq!(doc["summary"]["files"], FIXTURES.len() + 2);
    for (name, expect) in FIXTURES {
        let org008 = org008_in(&doc, name);
        match expect {
            Expect::Clean | Expect::NoSpans => assert!(org008.is_empty(), "{name}: {org008:?}"),
            Expect::Exactly(want) => assert_eq!(&org008, want, "{name}"),
            Expect::StartsWith(first) => {
                assert_eq!(org008.first().map(String::as_str), Some(*first), "{name}")
            }
        }
    }
    // Given as separate paths on the command line: the same.
    let mut args: Vec<&str> = names.clone();
    args.push("aaa-valid");
    let (_, doc2) = check_every_format(tmp.path(), &args);
    assert_eq!(all_positions(&doc2), got);
}

// ---------------------------------------------------------------------------
// Generated at run time

#[test]
fn deeply_nested_array() {
    let tmp = TempDir::with_config("deep-array");
    let depth = 20_000;
    tmp.write(
        "deep.toml",
        format!("a = {}{}\n", "[".repeat(depth), "]".repeat(depth)),
    );
    tmp.write(
        "deep-in-table.toml",
        format!(
            "[people.deep]\nname = \"Deep\"\nrole = {}\"x\"{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    );
    add_valid_org(&tmp);
    let (short, doc) = check_every_format(tmp.path(), &[]);
    short.assert_code(1);
    let first = org008_in(&doc, "deep.toml");
    assert!(!first.is_empty(), "{}", short.stdout);
    assert!(first.iter().all(|p| p.starts_with("1:")), "{first:?}");
    let second = org008_in(&doc, "deep-in-table.toml");
    assert!(!second.is_empty(), "{}", short.stdout);
    assert!(second.iter().all(|p| p.starts_with("3:")), "{second:?}");
    assert!(all_positions(&doc).iter().any(|p| p == KNOWN_FINDING));
}

#[test]
fn deeply_nested_inline_tables() {
    let tmp = TempDir::with_config("deep-tables");
    let depth = 20_000;
    tmp.write(
        "deep.toml",
        format!("a = {}1{}\n", "{b = ".repeat(depth), "}".repeat(depth)),
    );
    tmp.write(
        "dotted.toml",
        format!("{} = 1\n", vec!["k"; depth].join(".")),
    );
    add_valid_org(&tmp);
    let (short, doc) = check_every_format(tmp.path(), &[]);
    short.assert_code(1);
    assert!(!org008_in(&doc, "deep.toml").is_empty(), "{}", short.stdout);
    assert!(
        !org008_in(&doc, "dotted.toml").is_empty(),
        "{}",
        short.stdout
    );
    assert!(all_positions(&doc).iter().any(|p| p == KNOWN_FINDING));
}

#[test]
fn deeply_nested_config_is_a_config_error() {
    let tmp = TempDir::new("deep-config");
    add_valid_org(&tmp);
    tmp.write(
        "orglint.toml",
        format!(
            "[lint]\nselect = {}{}\n",
            "[".repeat(20_000),
            "]".repeat(20_000)
        ),
    );
    let run = orglint(tmp.path(), &["check", "--color", "never"]);
    run.assert_no_panic().assert_code(2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("orglint.toml:2:"),
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
}

#[test]
fn five_megabyte_string() {
    let tmp = TempDir::with_config("big-string");
    let big = "x".repeat(5 * 1024 * 1024);
    // A valid value: read like any other.
    tmp.write(
        "people.toml",
        format!(
            "[people.big]\nname = \"{big}\"\nrole = \"software-developer\"\nreports-to = \"amara-okafor\"\n"
        ),
    );
    // An invalid one: ORG008 at the value.
    tmp.write(
        "teams.toml",
        format!("[teams.big]\nname = \"Big\"\nmembers = [\"big\"]\nmode = \"{big}\"\n"),
    );
    add_valid_org(&tmp);
    let (short, doc) = check_every_format(tmp.path(), &[]);
    short.assert_code(1);
    let got = all_positions(&doc);
    assert!(org008_in(&doc, "people.toml").is_empty(), "{got:?}");
    assert_eq!(org008_in(&doc, "teams.toml"), ["4:8"]);
    assert!(got.iter().any(|p| p == KNOWN_FINDING), "{got:?}");
    // The person was read: nothing reports an unknown `big`.
    assert!(!got.iter().any(|p| p.ends_with(" ORG001")), "{got:?}");
}

#[test]
fn file_over_the_size_limit() {
    let tmp = TempDir::new("size-limit");
    tmp.write("orglint.toml", "[files]\nmax-file-size = 1000\n");
    add_valid_org(&tmp);
    // Over the limit, and with an error that must not be reported.
    tmp.write(
        "big.toml",
        format!("{}garbage = [\n", "# padding\n".repeat(150)),
    );
    // Exactly at the limit: read.
    let mut at_limit = String::from(
        "[people.edge]\nname = \"Edge\"\nrole = \"software-developer\"\nreports-to = \"amara-okafor\"\n",
    );
    while at_limit.len() < 1000 {
        at_limit.push_str("#\n");
    }
    at_limit.truncate(1000);
    assert_eq!(at_limit.len(), 1000);
    tmp.write("edge.toml", &at_limit);
    let (short, doc) = check_every_format(tmp.path(), &[]);
    short.assert_code(1);
    let big: Vec<&serde_json::Value> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == "big.toml")
        .collect();
    assert_eq!(
        big.len(),
        1,
        "one ORG008 for the file, nothing from its content: {big:?}"
    );
    assert_eq!(big[0]["code"], "ORG008");
    assert_eq!(big[0]["start"]["line"], 1);
    assert_eq!(big[0]["start"]["column"], 1);
    assert!(
        big[0]["message"].as_str().unwrap().contains("1000"),
        "{}",
        big[0]
    );
    let got = all_positions(&doc);
    assert!(org008_in(&doc, "edge.toml").is_empty(), "{got:?}");
    assert!(got.iter().any(|p| p == "edge.toml:1:1 ORG007"), "{got:?}");
    assert!(got.iter().any(|p| p == KNOWN_FINDING), "{got:?}");
}

#[test]
fn not_utf8_bytes() {
    let tmp = TempDir::with_config("not-utf8");
    // (file, bytes, ORG008 position): the first invalid byte, columns in
    // characters.
    let mut after_multibyte = "[people.y]\nname = \"Zoë".as_bytes().to_vec();
    after_multibyte.extend_from_slice(b"\xff\"\n");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "latin1.toml",
            b"[people.x]\nname = \"Zo\xeb\"\nrole = \"user-researcher\"\n".to_vec(),
            "2:11",
        ),
        // After a multi-byte character on the same line.
        ("after-multibyte.toml", after_multibyte, "2:12"),
        // A lone continuation byte, an overlong encoding, a surrogate.
        ("continuation.toml", b"# \x80\n".to_vec(), "1:3"),
        ("overlong.toml", b"[people.z]\n# \xc0\xaf\n".to_vec(), "2:3"),
        ("surrogate.toml", b"a = \"\xed\xa0\x80\"\n".to_vec(), "1:6"),
        // A multi-byte sequence cut at the end of the file.
        (
            "truncated.toml",
            b"[people.w]\nname = \"Zo\xc3".to_vec(),
            "2:11",
        ),
        // UTF-16 with its byte order mark.
        (
            "utf16.toml",
            b"\xff\xfe[\x00p\x00]\x00\n\x00".to_vec(),
            "1:1",
        ),
    ];
    for (name, bytes, _) in &cases {
        tmp.write(name, bytes);
    }
    add_valid_org(&tmp);
    let (short, doc) = check_every_format(tmp.path(), &[]);
    short.assert_code(1);
    for (name, _, at) in &cases {
        assert_eq!(org008_in(&doc, name), [*at], "{name}");
    }
    assert!(all_positions(&doc).iter().any(|p| p == KNOWN_FINDING));
    // Each alone too (a file whose only content is undecodable).
    for (name, _, _) in &cases {
        let (run, _) = check_every_format(tmp.path(), &[*name]);
        run.assert_code(1);
    }
}

#[test]
fn ten_thousand_syntax_errors() {
    let tmp = TempDir::with_config("many-errors");
    let mut text = String::new();
    for i in 0..10_000 {
        text.push_str(&format!("= \"value {i}\"\n"));
    }
    tmp.write("errors.toml", &text);
    add_valid_org(&tmp);
    let started = std::time::Instant::now();
    let (short, doc) = check_every_format(tmp.path(), &[]);
    let elapsed = started.elapsed();
    short.assert_code(1);
    assert!(
        elapsed < std::time::Duration::from_secs(15),
        "three runs took {elapsed:?}"
    );
    let org008 = org008_in(&doc, "errors.toml");
    assert!(org008.len() >= 10_000, "{} ORG008", org008.len());
    assert_eq!(org008.first().map(String::as_str), Some("1:1"));
    assert!(
        org008.iter().any(|p| p.starts_with("10000:")),
        "the last line is reported"
    );
    assert!(all_positions(&doc).iter().any(|p| p == KNOWN_FINDING));
    // human and short print at most [lint] max-findings (1000), and say so
    // (short on standard error, its standard output being the findings).
    assert!(
        short
            .stderr
            .contains("more findings not shown (at most 1000 are printed"),
        "{}",
        short.stderr
    );
    assert_eq!(short.stdout.lines().count(), 1000);
    assert!(short.stdout.lines().all(|l| l.contains(".toml:")));
    // The exit code uses all of them.
    assert_eq!(
        doc["summary"]["errors"].as_u64().unwrap() as usize,
        org008.len()
    );
}

#[test]
fn a_directory_named_like_an_org_file() {
    let tmp = TempDir::with_config("dir-toml");
    add_valid_org(&tmp);
    tmp.mkdir("empty.toml");
    tmp.write("teams.toml/inside.toml", common::unplaced_person("inside"));
    let (short, doc) = check_every_format(tmp.path(), &[]);
    short.assert_code(0);
    let got = all_positions(&doc);
    assert_eq!(
        got,
        [KNOWN_FINDING, "teams.toml/inside.toml:1:1 ORG007"],
        "a directory is walked, not read as a file"
    );
    // Given explicitly, a directory is still a directory.
    let (short, doc) = check_every_format(tmp.path(), &["empty.toml", "aaa-valid"]);
    short.assert_code(0);
    assert_eq!(all_positions(&doc), [KNOWN_FINDING]);
    let (short, _) = check_every_format(tmp.path(), &["empty.toml"]);
    short.assert_code(1);
    assert!(
        short.stdout.contains("no org files under `empty.toml`"),
        "{}",
        short.stdout
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops() {
    use std::os::unix::fs::symlink;
    let tmp = TempDir::with_config("symlinks");
    add_valid_org(&tmp);
    // A link to itself, a pair of links to each other, a link to an
    // ancestor directory, a dangling link.
    symlink("self.toml", tmp.join("self.toml")).unwrap();
    symlink("pong.toml", tmp.join("ping.toml")).unwrap();
    symlink("ping.toml", tmp.join("pong.toml")).unwrap();
    tmp.mkdir("nested/deeper");
    symlink("../..", tmp.join("nested/deeper/up")).unwrap();
    symlink(tmp.path(), tmp.join("nested/root")).unwrap();
    symlink("nowhere.toml", tmp.join("dangling.toml")).unwrap();
    let (short, doc) = check_every_format(tmp.path(), &[]);
    short.assert_code(0);
    // The walk skips what it cannot follow, says so on stderr, and lints the
    // rest once.
    assert_eq!(all_positions(&doc), [KNOWN_FINDING]);
    assert_eq!(doc["summary"]["files"], 2);
    assert!(short.stderr.contains("self.toml"), "{}", short.stderr);

    // Named explicitly: an error about that path, never a hang or panic.
    for name in ["self.toml", "ping.toml", "dangling.toml"] {
        let run = orglint(tmp.path(), &["check", name, "aaa-valid"]);
        run.assert_no_panic();
        assert!(run.code == 1 || run.code == 2, "{name}: exit {}", run.code);
        assert!(
            run.stderr.contains(name) || run.stdout.contains(name),
            "{name}: not mentioned\n{}\n{}",
            run.stdout,
            run.stderr
        );
    }
}

#[test]
fn duplicate_keys_are_org008_not_org002() {
    let tmp = TempDir::with_config("duplicates");
    add_valid_org(&tmp);
    tmp.write(
        "keys.toml",
        "[people.p1]\nname = \"One\"\nrole = \"software-developer\"\nname = \"Again\"\n",
    );
    tmp.write(
        "tables.toml",
        "[people.p2]\nname = \"Two\"\nrole = \"software-developer\"\n\n[people.p2]\nname = \"Two\"\nrole = \"software-developer\"\n",
    );
    tmp.write(
        "inline.toml",
        "[people]\np3 = { name = \"Three\", role = \"software-developer\" }\n\n[people.p3]\nlevel = \"senior\"\n",
    );
    tmp.write(
        "quoted.toml",
        "[people.p4]\nname = \"Four\"\nrole = \"software-developer\"\n\"name\" = \"Quoted\"\n",
    );
    tmp.write(
        "array-then-table.toml",
        "[teams.t]\nname = \"T\"\nmode = \"stability\"\nmembers = [\"amara-okafor\"]\nservices = []\n\n[teams.t.members]\nx = 1\n",
    );
    let (short, doc) = check_every_format(tmp.path(), &[]);
    short.assert_code(1);
    let got = all_positions(&doc);
    assert_eq!(org008_in(&doc, "keys.toml"), ["4:1"], "{got:?}");
    assert_eq!(
        org008_in(&doc, "tables.toml").first().map(String::as_str),
        Some("5:9"),
        "{got:?}"
    );
    assert!(!org008_in(&doc, "inline.toml").is_empty(), "{got:?}");
    assert_eq!(org008_in(&doc, "quoted.toml"), ["4:1"], "{got:?}");
    assert!(
        !org008_in(&doc, "array-then-table.toml").is_empty(),
        "{got:?}"
    );
    assert!(!got.iter().any(|p| p.ends_with(" ORG002")), "{got:?}");
    assert!(got.iter().any(|p| p == KNOWN_FINDING), "{got:?}");
}

#[test]
fn bom_and_crlf_positions() {
    let tmp = TempDir::with_config("bom-crlf");
    tmp.write("org.toml", VALID_ORG);
    let text = "\u{feff}# Services, saved on Windows\r\n\
                [services.apply]\r\n\
                name = \"Apply for a licence — online\"\r\n\
                owner = \"amara-okafor\"\r\n\
                decision-rights = [\"product\", \"business\", \"technical\"]\r\n\
                user-needs = [\"apply online\"]\r\n\
                procurement = \"best-value\"\r\n\
                \r\n\
                [services.renew]\r\n\
                name = \"Renew\"\r\n\
                owner = \"amara-okafor\"\r\n\
                decision-rights = [\r\n\
                \x20 \"product\",\r\n\
                \x20 \"teknical\",\r\n\
                ]\r\n";
    tmp.write("services.toml", text);
    let (short, doc) = check_every_format(tmp.path(), &[]);
    short.assert_code(1);
    let list = doc["diagnostics"].as_array().unwrap();
    let find = |code: &str| {
        list.iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("{code} missing: {:?}", all_positions(&doc)))
    };
    let offset_of = |needle: &str| text.find(needle).unwrap() as u64;

    // One line: the value, quotes included; ends exclusive; no `\r` counted.
    let need002 = find("NEED002");
    assert_eq!(need002["path"], "services.toml");
    assert_eq!(
        need002["start"],
        serde_json::json!({"line": 7, "column": 15})
    );
    assert_eq!(need002["end"], serde_json::json!({"line": 7, "column": 27}));
    // Byte offsets count from the raw file, BOM included.
    assert_eq!(
        need002["offset"].as_u64().unwrap(),
        offset_of("\"best-value\"")
    );
    assert_eq!(need002["length"], 12);

    // A header after a CRLF line.
    let need001 = find("NEED001");
    assert_eq!(
        need001["start"],
        serde_json::json!({"line": 9, "column": 1})
    );
    assert_eq!(need001["end"], serde_json::json!({"line": 9, "column": 17}));
    assert_eq!(
        need001["offset"].as_u64().unwrap(),
        offset_of("[services.renew]")
    );

    // An element of a multi-line array.
    let org008 = find("ORG008");
    assert_eq!(
        org008["start"],
        serde_json::json!({"line": 14, "column": 3})
    );
    assert_eq!(org008["end"], serde_json::json!({"line": 14, "column": 13}));
    assert_eq!(
        org008["offset"].as_u64().unwrap(),
        offset_of("\"teknical\"")
    );

    // The short format agrees.
    assert!(
        short
            .stdout
            .contains("services.toml:7:15: warning[NEED002]"),
        "{}",
        short.stdout
    );
    assert!(
        short.stdout.contains("services.toml:14:3: error[ORG008]"),
        "{}",
        short.stdout
    );
    // No `\r` leaks into any output.
    assert!(!short.stdout.contains('\r'));
    let human = orglint(tmp.path(), &["check", "--color", "never"]);
    assert!(!human.stdout.contains('\r'), "raw CR in human output");
    assert!(
        human.stdout.contains("[services.toml:7:15]"),
        "{}",
        human.stdout
    );

    // A header on the BOM's line starts at column 1.
    tmp.write(
        "services.toml",
        "\u{feff}[services.first]\r\nname = \"First\"\r\nowner = \"amara-okafor\"\r\ndecision-rights = [\"product\", \"business\", \"technical\"]\r\n",
    );
    let (_, doc) = check_every_format(tmp.path(), &[]);
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "NEED001");
    assert_eq!(d["start"], serde_json::json!({"line": 1, "column": 1}));
    assert_eq!(d["offset"], 3);
}

#[test]
fn bare_carriage_returns_and_odd_endings() {
    let tmp = TempDir::with_config("odd-endings");
    add_valid_org(&tmp);
    tmp.write(
        "cr.toml",
        "[people.cr]\rname = \"CR\"\rrole = \"software-developer\"\r",
    );
    tmp.write("eof.toml", "[people.eof]\nname = \"EOF\"\nrole = [");
    tmp.write("bom-only.toml", "\u{feff}");
    tmp.write("nul.toml", "[people.nul]\n\0name = \"NUL\"\n");
    tmp.write("no-newline.toml", "# only a comment, no newline");
    let (short, doc) = check_every_format(tmp.path(), &[]);
    short.assert_code(1);
    let got = all_positions(&doc);
    assert!(!org008_in(&doc, "cr.toml").is_empty(), "{got:?}");
    assert_eq!(
        org008_in(&doc, "eof.toml"),
        ["3:9"],
        "at the end of the file"
    );
    assert!(org008_in(&doc, "bom-only.toml").is_empty(), "{got:?}");
    assert!(
        org008_in(&doc, "nul.toml").contains(&"2:1".to_owned()),
        "{got:?}"
    );
    assert!(org008_in(&doc, "no-newline.toml").is_empty(), "{got:?}");
    assert!(got.iter().any(|p| p == KNOWN_FINDING), "{got:?}");
}

// ---------------------------------------------------------------------------
// Bugs found (ignored until fixed)

/// Lines on which an "invalid TOML" ORG008 starts.
fn syntax_error_lines(doc: &serde_json::Value, path: &str) -> Vec<u64> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["code"] == "ORG008"
                && d["path"] == path
                && d["message"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("invalid TOML")
        })
        .map(|d| d["start"]["line"].as_u64().unwrap())
        .collect()
}

#[test]
fn no_other_findings_on_lines_that_do_not_parse() {
    let mut problems = Vec::new();
    for name in ["control-chars.toml", "syntax-errors.toml"] {
        let tmp = with_fixtures(&format!("root-cause-{}", snapshot_name(name)), &[name]);
        let (_, doc) = check_every_format(tmp.path(), &[name]);
        let bad = syntax_error_lines(&doc, name);
        let extra: Vec<String> = doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] != "ORG008" && d["path"] == *name)
            .filter(|d| bad.contains(&d["start"]["line"].as_u64().unwrap()))
            .map(|d| {
                format!(
                    "{}:{} {} {}",
                    d["start"]["line"], d["start"]["column"], d["code"], d["message"]
                )
            })
            .collect();
        problems.extend(extra.into_iter().map(|e| format!("{name}:{e}")));
    }
    assert!(
        problems.is_empty(),
        "findings on lines that do not parse: {problems:#?}"
    );
}

#[test]
fn wrong_typed_members_are_unknown_not_empty() {
    let tmp = TempDir::with_config("unknown-members");
    tmp.write("org.toml", VALID_ORG);
    tmp.write(
        "team.toml",
        "[people.ben]\nname = \"Ben\"\nrole = \"software-developer\"\nreports-to = \"amara-okafor\"\n\n[teams.t]\nname = \"T\"\nmode = \"stability\"\nmembers = \"ben\"\n",
    );
    let (_, doc) = check_every_format(tmp.path(), &[]);
    assert_eq!(all_positions(&doc), ["team.toml:9:11 ORG008"]);
}

#[test]
fn out_of_range_integer_is_invalid_toml() {
    let tmp = with_fixtures("out-of-range", &["out-of-range.toml"]);
    let (_, doc) = check_every_format(tmp.path(), &["out-of-range.toml"]);
    let d = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "ORG008" && d["start"]["line"] == 5)
        .expect("ORG008 on line 5");
    let message = d["message"].as_str().unwrap();
    assert!(message.starts_with("invalid TOML"), "{message}");
}

#[test]
fn nearest_enumeration_value_is_suggested() {
    let tmp = with_fixtures("nearest", &["bad-values.toml"]);
    let (_, doc) = check_every_format(tmp.path(), &["bad-values.toml"]);
    for (line, nearest) in [(27, "executive"), (11, "beta")] {
        let d = doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "ORG008" && d["start"]["line"] == line)
            .expect("ORG008");
        let help = d["help"].as_str().unwrap_or("");
        assert!(
            help.contains(&format!("`{nearest}`")),
            "line {line}: help {help:?}"
        );
    }
}
