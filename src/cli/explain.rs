//! `orglint explain CODE|NAME`: one rule's documentation, as plain text in
//! Markdown style (it reads well in a terminal and renders as Markdown),
//! prose wrapped at 100 columns.

use std::fmt::Write as _;
use std::io::{self, Write};

use orglint::engine::Setup;
use orglint::registry::{OptionValue, RuleMeta};
use orglint::toml_text;

use super::FAILURE;
use super::args::{Cli, ExplainArgs};
use super::rule_doc::{
    RuleDoc, check_location, check_sentence, options_snippet, sentence, toml_block,
};
use super::rules::{family, family_title, load};

/// Prose is wrapped to this many columns; TOML examples are never wrapped.
const WIDTH: usize = 100;

/// The fence of a TOML block.
const FENCE: &str = "```";

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
    super::print(text.as_bytes())
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
    let doc = RuleDoc::new(setup, rule);
    let settings = &setup.settings;

    let _ = writeln!(out, "# {} {}", rule.code, rule.name);
    out.push('\n');
    paragraph(&mut out, &doc.summary, "", "");
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
    let pack = if doc.builtin {
        format!("{} (built in)", rule.pack)
    } else {
        rule.pack.clone()
    };
    let family = family(&rule.code);
    let family = match family_title(family).filter(|_| doc.builtin) {
        Some(title) => format!("{family}, {title}"),
        None => family.to_owned(),
    };
    paragraph(&mut out, &format!("Severity: {severity}"), "- ", "  ");
    paragraph(&mut out, &format!("Enabled: {enabled}"), "- ", "  ");
    paragraph(&mut out, &format!("Pack: {pack}"), "- ", "  ");
    paragraph(&mut out, &format!("Family: {family}"), "- ", "  ");
    if doc.builtin {
        let url = orglint::report::rule_url(&rule.code);
        paragraph(&mut out, &format!("Documentation: {url}"), "- ", "  ");
    }

    if !doc.rationale.is_empty() || doc.source.is_some() {
        heading(&mut out, "Why");
        section(&mut out, &doc.rationale);
        if let Some(source) = doc.source {
            section(&mut out, &[format!("Source: {source}")]);
        }
    }

    if let Some(cel) = doc.check {
        heading(&mut out, "How it is checked");
        let check = check_sentence(cel, |code| format!("`{code}`"));
        let finding = format!(
            "The finding says \"{}\", {}.",
            cel.message.trim(),
            check_location(cel)
        );
        section(&mut out, &[format!("{check}."), finding]);
    }

    options(&mut out, setup, i, rule);

    if !doc.help.is_empty() {
        heading(&mut out, "How to fix");
        section(&mut out, &doc.help);
    }

    if doc.example_fail.is_some() || doc.example_pass.is_some() {
        heading(&mut out, "Example");
        if let Some(fail) = doc.example_fail {
            section(&mut out, &[format!("{} reports this:", rule.code)]);
            toml_block(&mut out, FENCE, fail);
        }
        if let Some(pass) = doc.example_pass {
            let text = if doc.example_fail.is_some() {
                "This passes:"
            } else {
                "This passes (no example that fails is given):"
            };
            section(&mut out, &[text.to_owned()]);
            toml_block(&mut out, FENCE, pass);
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The options section: each option with type, default, description and
/// the configured value when it differs; then how to set them.
fn options(out: &mut String, setup: &Setup, i: usize, rule: &RuleMeta) {
    heading(out, "Options");
    if rule.options.is_empty() {
        section(out, &["This rule has no options.".to_owned()]);
        return;
    }
    for o in &rule.options {
        let default = match &o.default {
            OptionValue::GroupMap(_) => "below".to_owned(),
            v => format!("`{}`", toml_text::value(v)),
        };
        let mut text = format!(
            "`{}` ({}, default {default}): {}",
            o.name,
            o.type_text(),
            sentence(&o.description)
        );
        if let Some(current) = setup.settings.try_option(i, &o.name)
            && *current != o.default
        {
            let current = match current {
                OptionValue::GroupMap(_) => "a map of its own".to_owned(),
                v => format!("`{}`", toml_text::value(v)),
            };
            let _ = write!(text, " The current config sets {current}.");
        }
        paragraph(out, &text, "- ", "  ");
    }
    out.push('\n');
    section(
        out,
        &["In `orglint.toml`, with the default values:".to_owned()],
    );
    toml_block(out, FENCE, &options_snippet(rule, WIDTH));
}

fn heading(out: &mut String, title: &str) {
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
    let _ = writeln!(out, "## {title}");
    out.push('\n');
}

/// Paragraphs, wrapped, each followed by a blank line.
fn section(out: &mut String, paragraphs: &[String]) {
    for p in paragraphs {
        paragraph(out, p, "", "");
        out.push('\n');
    }
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
}
