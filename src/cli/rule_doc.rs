//! What `orglint explain` ([`super::explain`]) and the Markdown rule
//! reference ([`super::rules_markdown`]) both say about a rule, before either
//! lays it out: the rule's text split into paragraphs, how a CEL rule is
//! checked, its examples, and its options as `orglint.toml`.

use std::fmt::Write as _;

use orglint::engine::Setup;
use orglint::pack::CelRuleSource;
use orglint::registry::{Implementation, OptionValue, RuleMeta};
use orglint::toml_text;

/// A rule's documentation, independent of the output format.
pub(super) struct RuleDoc<'a> {
    /// Whether the rule is orglint's own (from a built-in pack).
    pub builtin: bool,
    /// The summary as a sentence, on one line.
    pub summary: String,
    /// The rationale's paragraphs; none when there is no rationale.
    pub rationale: Vec<String>,
    /// The citation, trimmed; `None` when there is none.
    pub source: Option<&'a str>,
    /// A user rule's CEL, when the rule is one.
    pub check: Option<&'a CelRuleSource>,
    /// The help's paragraphs; none when there is no help.
    pub help: Vec<String>,
    pub example_fail: Option<&'a str>,
    pub example_pass: Option<&'a str>,
}

impl<'a> RuleDoc<'a> {
    pub fn new(setup: &'a Setup, rule: &'a RuleMeta) -> Self {
        let builtin = setup
            .packs
            .iter()
            .any(|p| p.builtin && p.name == rule.pack && p.rule(&rule.code).is_some());
        let check = match rule.implementation {
            Implementation::Cel(cel) => setup
                .packs
                .iter()
                .find(|p| p.name == rule.pack)
                .and_then(|p| p.cel.get(cel))
                .filter(|c| c.code == rule.code),
            Implementation::Native(_) => None,
        };
        let text = |t: &'a Option<String>| t.as_deref().filter(|t| !t.trim().is_empty());
        RuleDoc {
            builtin,
            summary: sentence(&rule.summary),
            rationale: paragraphs(&rule.rationale),
            source: Some(rule.source.trim()).filter(|s| !s.is_empty()),
            check,
            help: text(&rule.help).map(paragraphs).unwrap_or_default(),
            example_fail: text(&rule.example_fail),
            example_pass: text(&rule.example_pass),
        }
    }
}

/// What a CEL rule evaluates: "For each team where W, orglint evaluates A;
/// false is a finding", each expression as `code` renders it.
pub(super) fn check_sentence(cel: &CelRuleSource, code: impl Fn(&str) -> String) -> String {
    let kind = cel.for_each.as_str();
    let assert = code(cel.assert.0.trim());
    match &cel.when {
        Some((when, _)) => format!(
            "For each {kind} where {}, orglint evaluates {assert}; false is a finding",
            code(when.trim())
        ),
        None => format!("For each {kind}, orglint evaluates {assert}; false is a finding"),
    }
}

/// Where a CEL rule's finding points: "at its `owner` key" or "at its table
/// header".
pub(super) fn check_location(cel: &CelRuleSource) -> String {
    match &cel.at {
        Some(at) => format!("at its `{at}` key"),
        None => "at its table header".to_owned(),
    }
}

/// The `orglint.toml` that sets the rule's options to their defaults, a
/// string list on one line unless that line would be longer than `width`;
/// empty when the rule has no options.
pub(super) fn options_snippet(rule: &RuleMeta, width: usize) -> String {
    let name = toml_text::key(&rule.name);
    let mut scalars = String::new();
    let mut tables = String::new();
    for o in &rule.options {
        match &o.default {
            OptionValue::GroupMap(groups) => {
                let _ = writeln!(
                    tables,
                    "\n[lint.options.{name}.{}]",
                    toml_text::key(&o.name)
                );
                for (group, entries) in groups {
                    tables.push_str(&assignment(&toml_text::key(group), entries, width));
                }
            }
            OptionValue::StringList(items) => {
                scalars.push_str(&assignment(&toml_text::key(&o.name), items, width));
            }
            v => {
                let _ = writeln!(
                    scalars,
                    "{} = {}",
                    toml_text::key(&o.name),
                    toml_text::value(v)
                );
            }
        }
    }
    if scalars.is_empty() {
        // Only nested tables: the parent header is implied.
        return tables.trim_start().to_owned();
    }
    format!("[lint.options.{name}]\n{scalars}{tables}")
}

/// A fenced TOML block fenced with `fence`, and a blank line.
pub(super) fn toml_block(out: &mut String, fence: &str, toml: &str) {
    let _ = writeln!(out, "{fence}toml");
    for line in toml.trim_matches('\n').lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let _ = writeln!(out, "{fence}\n");
}

/// Paragraphs of free text: separated by blank lines, whitespace within a
/// paragraph collapsed.
pub(super) fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.extend(line.split_whitespace());
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

/// Whitespace (newlines too) collapsed to single spaces.
pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text as a sentence on one line, with a full stop unless it has one.
pub(super) fn sentence(text: &str) -> String {
    let t = one_line(text);
    if t.is_empty() || t.ends_with(['.', '!', '?', ':']) {
        t
    } else {
        format!("{t}.")
    }
}

/// `key = [..]` and a newline; one element a line when the line would be
/// longer than `width`.
fn assignment(key: &str, items: &[String], width: usize) -> String {
    let line = format!("{key} = {}", toml_text::string_list(items));
    if line.chars().count() <= width {
        return line + "\n";
    }
    let mut out = format!("{key} = [\n");
    for item in items {
        let _ = writeln!(out, "    {},", toml_text::string(item));
    }
    out.push_str("]\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_values() {
        assert_eq!(toml_text::value(&OptionValue::Float(0.5)), "0.5");
        assert_eq!(toml_text::value(&OptionValue::Float(1.0)), "1.0");
        assert_eq!(toml_text::value(&OptionValue::Integer(2)), "2");
        assert_eq!(
            toml_text::value(&OptionValue::StringList(vec!["a\"b".into()])),
            r#"["a\"b"]"#
        );
        for tricky in ["a\"b", "it's", "a\\b", "line\nbreak", "\u{1}"] {
            let text = format!(
                "x = {}",
                toml_text::value(&OptionValue::StringList(vec![tricky.into()]))
            );
            let parsed: toml::Table =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(parsed["x"][0].as_str(), Some(tricky), "{text}");
        }
        assert_eq!(toml_text::key("a.b"), "\"a.b\"");
        assert_eq!(toml_text::key("max-layers"), "max-layers");
    }

    #[test]
    fn long_lists_take_a_line_an_element() {
        let long: Vec<String> = (0..20).map(|n| format!("item-{n}")).collect();
        let text = assignment("k", &long, 100);
        assert!(text.starts_with("k = [\n    \"item-0\",\n"));
        assert!(text.ends_with("    \"item-19\",\n]\n"));
        assert_eq!(assignment("k", &long[..1], 100), "k = [\"item-0\"]\n");
        assert_eq!(assignment("k", &long[..1], 14), "k = [\"item-0\"]\n");
        assert_eq!(
            assignment("k", &long[..1], 13),
            "k = [\n    \"item-0\",\n]\n"
        );
    }

    fn rule_with(options: Vec<(&str, OptionValue)>) -> RuleMeta {
        use orglint::registry::{OptionKind, OptionMeta};
        let options = options
            .into_iter()
            .map(|(name, default)| OptionMeta {
                name: name.to_owned(),
                kind: OptionKind::Integer,
                default,
                description: String::new(),
                range: Default::default(),
            })
            .collect();
        RuleMeta {
            code: "TST001".into(),
            name: "a-rule".into(),
            severity: orglint::diagnostic::Severity::Info,
            summary: String::new(),
            rationale: String::new(),
            source: String::new(),
            help: None,
            pack: "test".to_owned(),
            options,
            example_fail: None,
            example_pass: None,
            implementation: Implementation::Native("a-rule".to_owned()),
        }
    }

    #[test]
    fn option_snippets() {
        let groups = || OptionValue::GroupMap(vec![("g".to_owned(), vec!["r".to_owned()])]);
        assert_eq!(options_snippet(&rule_with(vec![]), 100), "");
        assert_eq!(
            options_snippet(&rule_with(vec![("max", OptionValue::Integer(2))]), 100),
            "[lint.options.a-rule]\nmax = 2\n"
        );
        assert_eq!(
            options_snippet(&rule_with(vec![("require", groups())]), 100),
            "[lint.options.a-rule.require]\ng = [\"r\"]\n"
        );
        assert_eq!(
            options_snippet(
                &rule_with(vec![
                    ("require", groups()),
                    ("max", OptionValue::Float(0.5))
                ]),
                100
            ),
            "[lint.options.a-rule]\nmax = 0.5\n\n[lint.options.a-rule.require]\ng = [\"r\"]\n"
        );
    }

    #[test]
    fn sentences_and_paragraphs() {
        assert_eq!(sentence(" A thing "), "A thing.");
        assert_eq!(sentence("A\n  thing"), "A thing.");
        assert_eq!(sentence("Done."), "Done.");
        assert_eq!(
            paragraphs("one\ntwo\n\n  three  \n"),
            vec!["one two".to_owned(), "three".to_owned()]
        );
        assert!(paragraphs(" \n\t\n").is_empty());
    }
}
