//! `orglint explain CODE|NAME`: one rule's documentation, as plain text in
//! Markdown style (it reads well in a terminal and renders as Markdown),
//! prose wrapped at 100 columns.

use std::fmt::Write as _;
use std::io::{self, Write};

use orglint::engine::Setup;
use orglint::registry::{Implementation, OptionValue, RuleMeta};

use super::args::{Cli, ExplainArgs};
use super::rules::{emit, family, family_title, load};
use super::{FAILURE, OK};

/// Prose is wrapped to this many columns; TOML examples are never wrapped.
const WIDTH: usize = 100;

pub fn run(cli: &Cli, args: &ExplainArgs) -> i32 {
    let setup = match load(cli) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let word = args.rule.trim();
    let Some(index) = find(&setup.rules, word) else {
        return unknown(&setup.rules, word);
    };
    let text = render(&setup, index);
    match emit(text.as_bytes()) {
        Ok(()) => OK,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => OK,
        Err(e) => {
            let _ = writeln!(io::stderr(), "error: cannot write to standard output: {e}");
            FAILURE
        }
    }
}

/// A rule by code (any case) or name (any case).
fn find(rules: &[RuleMeta], word: &str) -> Option<usize> {
    rules
        .iter()
        .position(|r| r.code.eq_ignore_ascii_case(word) || r.name.eq_ignore_ascii_case(word))
}

/// Reports an unknown rule, with did-you-mean; exit 2.
fn unknown(rules: &[RuleMeta], word: &str) -> i32 {
    let upper = word.to_ascii_uppercase();
    let lower = word.to_ascii_lowercase();
    let codes = || rules.iter().map(|r| r.code.as_ref());
    let names = || rules.iter().map(|r| r.name.as_ref());
    let looks_like_code = word.chars().any(|c| c.is_ascii_digit());
    let suggestion = if looks_like_code {
        orglint::suggest::help(&upper, codes()).or_else(|| orglint::suggest::help(&lower, names()))
    } else {
        orglint::suggest::help(&lower, names()).or_else(|| orglint::suggest::help(&upper, codes()))
    };
    let in_family: Vec<&str> = codes().filter(|c| family(c) == upper).collect();
    let help = match suggestion {
        _ if !in_family.is_empty() => format!(
            "`{upper}` is a family of rules, explain one of them: {}",
            in_family.join(", ")
        ),
        Some(s) => s,
        None => "`orglint rules` lists every rule".to_owned(),
    };
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "error: unknown rule `{word}`");
    let _ = writeln!(stderr, "  help: {help}");
    FAILURE
}

/// The whole explanation of rule `i`.
fn render(setup: &Setup, i: usize) -> String {
    let mut out = String::new();
    let Some(rule) = setup.rules.get(i) else {
        return out;
    };
    let settings = &setup.settings;
    let builtin = setup
        .packs
        .iter()
        .any(|p| p.builtin && p.name == rule.pack && p.rule(&rule.code).is_some());

    let _ = writeln!(out, "# {} {}", rule.code, rule.name);
    out.push('\n');
    paragraph(&mut out, &sentence(&rule.summary), "", "");
    out.push('\n');

    let effective = settings.severity(i).unwrap_or(rule.severity);
    let severity = if settings.severity_configured(i) && effective != rule.severity {
        format!(
            "{effective} (set in the config; the default is {})",
            rule.severity
        )
    } else if settings.severity_configured(i) {
        format!("{effective} (set in the config, as the default)")
    } else {
        format!("{effective} (the default)")
    };
    let enabled = if settings.enabled(i) {
        "yes, under the current config"
    } else {
        "no, the current config's `select`/`ignore` turn it off"
    };
    let pack = if builtin {
        format!("{} (built in)", rule.pack)
    } else {
        rule.pack.clone()
    };
    let family = family(&rule.code);
    let family = match family_title(family).filter(|_| builtin) {
        Some(title) => format!("{family}, {title}"),
        None => family.to_owned(),
    };
    paragraph(&mut out, &format!("Severity: {severity}"), "- ", "  ");
    paragraph(&mut out, &format!("Enabled: {enabled}"), "- ", "  ");
    paragraph(&mut out, &format!("Pack: {pack}"), "- ", "  ");
    paragraph(&mut out, &format!("Family: {family}"), "- ", "  ");
    if builtin {
        let url = orglint::report::rule_url(&rule.code);
        paragraph(&mut out, &format!("Documentation: {url}"), "- ", "  ");
    }

    if !rule.rationale.trim().is_empty() || !rule.source.trim().is_empty() {
        heading(&mut out, "Why");
        for p in paragraphs(&rule.rationale) {
            paragraph(&mut out, &p, "", "");
            out.push('\n');
        }
        if !rule.source.trim().is_empty() {
            paragraph(&mut out, &format!("Source: {}", rule.source.trim()), "", "");
            out.push('\n');
        }
    }

    if let Implementation::Cel(cel) = rule.implementation {
        how_checked(&mut out, setup, rule, cel);
    }

    options(&mut out, setup, i, rule);

    if let Some(help) = rule.help.as_deref().filter(|h| !h.trim().is_empty()) {
        heading(&mut out, "How to fix");
        for p in paragraphs(help) {
            paragraph(&mut out, &p, "", "");
            out.push('\n');
        }
    }

    let fail = rule
        .example_fail
        .as_deref()
        .filter(|e| !e.trim().is_empty());
    let pass = rule
        .example_pass
        .as_deref()
        .filter(|e| !e.trim().is_empty());
    if fail.is_some() || pass.is_some() {
        heading(&mut out, "Example");
        if let Some(fail) = fail {
            paragraph(&mut out, &format!("{} reports this:", rule.code), "", "");
            out.push('\n');
            toml_block(&mut out, fail);
        }
        if let Some(pass) = pass {
            let text = if fail.is_some() {
                "This passes:"
            } else {
                "This passes (no example that fails is given):"
            };
            paragraph(&mut out, text, "", "");
            out.push('\n');
            toml_block(&mut out, pass);
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// How a user rule (CEL) is checked.
fn how_checked(out: &mut String, setup: &Setup, rule: &RuleMeta, cel: usize) {
    let Some(cel) = setup
        .packs
        .iter()
        .find(|p| p.name == rule.pack)
        .and_then(|p| p.cel.get(cel))
        .filter(|c| c.code == rule.code)
    else {
        return;
    };
    heading(out, "How it is checked");
    let kind = cel.for_each.as_str();
    let text = match &cel.when {
        Some((when, _)) => format!(
            "For each {kind} where `{}`, orglint evaluates `{}`; false is a finding.",
            when.trim(),
            cel.assert.0.trim()
        ),
        None => format!(
            "For each {kind}, orglint evaluates `{}`; false is a finding.",
            cel.assert.0.trim()
        ),
    };
    paragraph(out, &text, "", "");
    out.push('\n');
    let at = match &cel.at {
        Some(at) => format!("at its `{at}` key"),
        None => "at its table header".to_owned(),
    };
    paragraph(
        out,
        &format!("The finding says \"{}\", {at}.", cel.message.trim()),
        "",
        "",
    );
    out.push('\n');
}

/// The options section: each option with type, default, description and
/// the configured value when it differs; then how to set them.
fn options(out: &mut String, setup: &Setup, i: usize, rule: &RuleMeta) {
    heading(out, "Options");
    if rule.options.is_empty() {
        paragraph(out, "This rule has no options.", "", "");
        out.push('\n');
        return;
    }
    for o in &rule.options {
        let default = match &o.default {
            OptionValue::GroupMap(_) => "below".to_owned(),
            v => format!("`{}`", toml_value(v)),
        };
        let mut text = format!(
            "`{}` ({}, default {default}): {}",
            o.name,
            o.kind.as_str(),
            sentence(&o.description)
        );
        if let Some(current) = setup.settings.try_option(i, &o.name)
            && *current != o.default
        {
            let current = match current {
                OptionValue::GroupMap(_) => "a map of its own".to_owned(),
                v => format!("`{}`", toml_value(v)),
            };
            let _ = write!(text, " The current config sets {current}.");
        }
        paragraph(out, &text, "- ", "  ");
    }
    out.push('\n');
    paragraph(out, "In `orglint.toml`, with the default values:", "", "");
    out.push('\n');
    let mut snippet = String::new();
    let mut tables = String::new();
    let _ = writeln!(snippet, "[lint.options.{}]", rule.name);
    for o in &rule.options {
        match &o.default {
            OptionValue::GroupMap(groups) => {
                let _ = writeln!(
                    tables,
                    "\n[lint.options.{}.{}]",
                    rule.name,
                    toml_key(&o.name)
                );
                for (group, roles) in groups {
                    tables.push_str(&assignment(&toml_key(group), roles));
                }
            }
            OptionValue::StringList(items) => {
                snippet.push_str(&assignment(&toml_key(&o.name), items));
            }
            v => {
                let _ = writeln!(snippet, "{} = {}", toml_key(&o.name), toml_value(v));
            }
        }
    }
    if rule
        .options
        .iter()
        .all(|o| matches!(o.default, OptionValue::GroupMap(_)))
    {
        // Only nested tables: the parent header is implied.
        snippet.clear();
        tables = tables.trim_start().to_owned();
    }
    snippet.push_str(&tables);
    toml_block(out, &snippet);
}

fn heading(out: &mut String, title: &str) {
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
    let _ = writeln!(out, "## {title}");
    out.push('\n');
}

/// A fenced TOML block.
fn toml_block(out: &mut String, toml: &str) {
    out.push_str("```toml\n");
    for line in toml.trim_matches('\n').lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str("```\n\n");
}

/// Text as a sentence: trimmed, with a full stop unless it has one.
fn sentence(text: &str) -> String {
    let t = text.trim();
    if t.is_empty() || t.ends_with(['.', '!', '?', ':']) {
        t.to_owned()
    } else {
        format!("{t}.")
    }
}

/// Paragraphs of free text: separated by blank lines, whitespace within a
/// paragraph collapsed (also used by the markdown rule reference).
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

/// Appends `text` wrapped at [`WIDTH`] columns: the first line starts with
/// `first`, the others with `rest`. A word longer than a line is not broken.
fn paragraph(out: &mut String, text: &str, first: &str, rest: &str) {
    let mut line = String::from(first);
    let mut len = first.chars().count();
    let mut empty = true;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if !empty && len + 1 + n > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(rest);
            len = rest.chars().count();
            empty = true;
        }
        if !empty {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += n;
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

/// A TOML key: bare when it can be, else quoted.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        key.to_owned()
    } else {
        toml_string(key)
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `key = [..]` and a newline; one element a line when it would not fit.
fn assignment(key: &str, items: &[String]) -> String {
    let one_line = format!("{key} = {}\n", string_list(items));
    if one_line.chars().count() <= WIDTH + 1 {
        return one_line;
    }
    let mut out = format!("{key} = [\n");
    for item in items {
        let _ = writeln!(out, "    {},", toml_string(item));
    }
    out.push_str("]\n");
    out
}

fn string_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| toml_string(s)).collect();
    format!("[{}]", items.join(", "))
}

/// An option value as TOML.
fn toml_value(value: &OptionValue) -> String {
    match value {
        OptionValue::Integer(n) => n.to_string(),
        OptionValue::Float(f) if f.is_nan() => "nan".to_owned(),
        OptionValue::Float(f) if f.is_infinite() => {
            if *f > 0.0 { "inf" } else { "-inf" }.to_owned()
        }
        OptionValue::Float(f) => format!("{f:?}"),
        OptionValue::Bool(b) => b.to_string(),
        OptionValue::String(s) => toml_string(s),
        OptionValue::StringList(items) => string_list(items),
        OptionValue::GroupMap(groups) => {
            let entries: Vec<String> = groups
                .iter()
                .map(|(g, roles)| format!("{} = {}", toml_key(g), string_list(roles)))
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_the_width_with_a_hanging_indent() {
        let text = "word ".repeat(60);
        let mut out = String::new();
        paragraph(&mut out, &text, "- ", "  ");
        for line in out.lines() {
            assert!(line.chars().count() <= WIDTH, "{line:?}");
        }
        assert!(out.starts_with("- word"));
        assert!(out.lines().skip(1).all(|l| l.starts_with("  word")));
    }

    #[test]
    fn a_long_word_stays_whole() {
        let long = "x".repeat(150);
        let mut out = String::new();
        paragraph(&mut out, &format!("a {long} b"), "", "");
        assert_eq!(out, format!("a\n{long}\nb\n"));
    }

    #[test]
    fn toml_values() {
        assert_eq!(toml_value(&OptionValue::Float(0.5)), "0.5");
        assert_eq!(toml_value(&OptionValue::Float(1.0)), "1.0");
        assert_eq!(toml_value(&OptionValue::Integer(2)), "2");
        assert_eq!(
            toml_value(&OptionValue::StringList(vec!["a\"b".into()])),
            r#"["a\"b"]"#
        );
        assert_eq!(toml_key("a.b"), "\"a.b\"");
        let long: Vec<String> = (0..20).map(|n| format!("item-{n}")).collect();
        let text = assignment("k", &long);
        assert!(text.starts_with("k = [\n    \"item-0\",\n"));
        assert!(text.ends_with("    \"item-19\",\n]\n"));
        assert_eq!(assignment("k", &long[..1]), "k = [\"item-0\"]\n");
        assert_eq!(sentence("A thing"), "A thing.");
        assert_eq!(sentence("A thing."), "A thing.");
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        assert_eq!(
            paragraphs("one\ntwo\n\n  three  \n"),
            vec!["one two".to_owned(), "three".to_owned()]
        );
    }
}
