//! `docs/rules.md` is the output of `orglint rules --format markdown` with
//! the built-in rules alone: regenerated here and compared, so that the
//! committed reference (the page every rule's URL points at) never goes
//! stale.

mod common;

use common::TempDir;

const STALE: &str =
    "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md`";

/// The output of `orglint rules --format markdown` with no config: run in a
/// fresh directory holding an empty `orglint.toml`, so that no config of the
/// machine (in a parent directory) is picked up.
fn generate() -> String {
    let dir = TempDir::with_config("docs");
    let out = common::output(dir.path(), &["rules", "--format", "markdown"]);
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
    let path = common::manifest_dir().join("docs/rules.md");
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
    let committed = std::fs::read_to_string(common::manifest_dir().join("docs/rules.md"))
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
