//! `docs/rules.md` is the output of `orglint rules --format markdown` with
//! the built-in rules alone: regenerated here and compared, so that the
//! committed reference (the page every rule's URL points at) never goes
//! stale.

use std::path::PathBuf;
use std::process::{Command, Stdio};

const STALE: &str =
    "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md`";

/// The output of `orglint rules --format markdown` with no config: run in a
/// fresh directory holding an empty `orglint.toml`, so that no config of the
/// machine (in a parent directory) is picked up.
fn generate() -> String {
    let dir = std::env::temp_dir().join(format!("orglint-docs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    std::fs::write(dir.join("orglint.toml"), "").unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(env!("CARGO_BIN_EXE_orglint"))
        .args(["rules", "--format", "markdown"])
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    let out = out.unwrap_or_else(|e| panic!("running orglint: {e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "orglint rules --format markdown failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("not UTF-8: {e}"))
}

#[test]
fn docs_rules_md_is_up_to_date() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let committed = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{STALE} (cannot read {}: {e})", path.display()));
    let generated = generate();
    if committed == generated {
        return;
    }
    let line = committed
        .lines()
        .zip(generated.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
    let show = |text: &str| text.lines().nth(line).unwrap_or("(end of file)").to_owned();
    panic!(
        "{STALE}\nfirst difference at line {}:\n  committed: {}\n  generated: {}",
        line + 1,
        show(&committed),
        show(&generated)
    );
}

#[test]
fn every_rule_url_has_its_anchor() {
    let committed =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md"))
            .unwrap_or_else(|e| panic!("{STALE} ({e})"));
    for rule in orglint::pack::load_builtin() {
        let url = orglint::report::rule_url(&rule.code);
        assert!(
            url.starts_with(orglint::report::RULES_DOC_URL) && url.contains("docs/rules.md#"),
            "{url}"
        );
        let fragment = url.rsplit('#').next().unwrap_or_default();
        let anchor = format!(
            "<a id=\"{fragment}\"></a>\n\n### {} {}\n",
            rule.code, rule.name
        );
        assert!(committed.contains(&anchor), "no anchor for {url}: {STALE}");
    }
}
