//! [`RawConfig`] + the rules -> [`Settings`]: selectors, severities, options
//! and overrides checked against the rules that exist.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use globset::GlobSet;

use super::{
    CliOverrides, DEFAULT_MAX_FINDINGS, FailOn, FileSettings, Located, OptionSpans, Override,
    RawConfig, RawRuleOptions, RawValue, RuleSettings, Settings, config_error,
};
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{self, DEFAULT_INCLUDE, DEFAULT_MAX_FILES};
use crate::registry::{OptionKind, OptionMeta, OptionValue, RuleMeta};
use crate::source::Span;
use crate::suggest;

/// The code of the rule that is always on at error (decision 16).
const ALWAYS_ON: &str = "ORG008";
const ALWAYS_ON_NAME: &str = "invalid-file";

const SELECTOR_HELP: &str = "a selector is a rule code (`GOV001`), a code prefix (`GOV`), a rule name or `ALL`; `orglint rules` lists the rules";

/// Resolves the config against the rules (built-in and from packs, in
/// registry order: rule `i` of `rules` is rule index `i` of the settings)
/// and the command-line flags.
pub fn resolve(
    raw: &RawConfig,
    rules: &[RuleMeta],
    cli: &CliOverrides,
) -> Result<Settings, Vec<Diagnostic>> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    resolve_in(raw, rules, cli, &cwd)
}

/// [`resolve`] with the current directory given.
pub(crate) fn resolve_in(
    raw: &RawConfig,
    rules: &[RuleMeta],
    cli: &CliOverrides,
    cwd: &Path,
) -> Result<Settings, Vec<Diagnostic>> {
    let mut r = Resolver::new(rules);

    // select / ignore: the command line replaces the config's lists.
    let (select, select_where) = match &cli.select {
        Some(list) => (bare(list), "--select"),
        None => match &raw.lint.select {
            Some(list) => (list.clone(), "[lint] select"),
            None => (vec![Located::bare("ALL".to_owned())], "[lint] select"),
        },
    };
    let (ignore, ignore_where) = match &cli.ignore {
        Some(list) => (bare(list), "--ignore"),
        None => (raw.lint.ignore.clone(), "[lint] ignore"),
    };
    for item in &ignore {
        if r.is_always_on(&item.value) {
            r.error(
                item.span,
                format!("{ALWAYS_ON} ({ALWAYS_ON_NAME}) cannot be ignored (in `{ignore_where}`)"),
                Some("an invalid org file is always an error: fix the file instead".to_owned()),
            );
        }
    }
    let decisions = r.decide(&select, select_where, &ignore, ignore_where);
    let enabled: Vec<bool> = decisions.iter().map(|(s, i)| s > i).collect();

    // Severities.
    let severity = r.severities(&raw.lint.severity, "[lint.severity]");

    // Options.
    let mut rule_settings: Vec<RuleSettings> = rules
        .iter()
        .zip(enabled)
        .zip(severity)
        .map(|((meta, enabled), configured)| RuleSettings {
            enabled,
            severity: configured.unwrap_or(meta.severity),
            configured: configured.is_some(),
            options: meta
                .options
                .iter()
                .map(|o| (o.name.clone(), o.default.clone()))
                .collect(),
            spans: Vec::new(),
        })
        .collect();
    let mut options_seen = vec![false; rules.len()];
    for entry in &raw.lint.options {
        r.options(entry, &mut rule_settings, &mut options_seen);
    }

    // Overrides.
    let mut overrides = Vec::with_capacity(raw.lint.overrides.len());
    for o in &raw.lint.overrides {
        for item in o.select.iter().chain(&o.ignore) {
            if r.is_always_on(&item.value) {
                r.error(
                    item.span,
                    format!("{ALWAYS_ON} ({ALWAYS_ON_NAME}) cannot be changed by an override"),
                    Some("an invalid org file is always an error: fix the file instead".to_owned()),
                );
            }
        }
        let decisions = r.decide(
            &o.select,
            "[[lint.overrides]] select",
            &o.ignore,
            "[[lint.overrides]] ignore",
        );
        let enable = decisions
            .iter()
            .map(|(s, i)| (s.is_some() || i.is_some()).then_some(s > i))
            .collect();
        let severity = r.severities(&o.severity, "[[lint.overrides]] severity");
        let globs = match discover::compile_globs(&values(&o.files)) {
            Ok(g) => g,
            Err(e) => {
                // parse() already checked every glob; kept for safety.
                r.error(o.span, e.to_string(), None);
                GlobSet::empty()
            }
        };
        overrides.push(Override {
            globs,
            enable,
            severity,
        });
    }

    // fail-on.
    let fail_on = match &cli.fail_on {
        Some(s) => match FailOn::parse(s) {
            Some(f) => f,
            None => {
                r.error(
                    None,
                    format!("invalid `--fail-on` value `{s}`"),
                    Some(value_help(s, &FailOn::ALL)),
                );
                FailOn::At(Severity::Error)
            }
        },
        None => raw
            .lint
            .fail_on
            .as_ref()
            .map_or(FailOn::At(Severity::Error), |f| f.value),
    };

    // Files, limits and packs.
    let base_dir = raw.base_dir();
    let files = FileSettings {
        base_dir: base_dir.clone(),
        include: raw
            .files
            .include
            .as_ref()
            .map_or_else(|| vec![DEFAULT_INCLUDE.to_owned()], |l| values(l)),
        exclude: values(&raw.files.exclude),
        max_file_size: raw
            .files
            .max_file_size
            .unwrap_or(super::DEFAULT_MAX_FILE_SIZE),
        max_files: raw.files.max_files.unwrap_or(DEFAULT_MAX_FILES),
    };
    let packs = raw
        .packs()
        .into_iter()
        .filter_map(|(path, span)| Some((path, span?)))
        .collect();

    if !r.errors.is_empty() {
        return Err(r.errors);
    }
    let cwd = discover::normalize(cwd);
    let config_dir_abs = raw
        .dir
        .as_ref()
        .map(|d| discover::absolute(d, &cwd))
        .filter(|d| *d != cwd);
    Ok(Settings {
        files,
        fail_on: fail_on.threshold(),
        max_findings: raw.lint.max_findings.unwrap_or(DEFAULT_MAX_FINDINGS),
        packs,
        config_file: raw.file,
        rules: rule_settings,
        overrides,
        org008: r.org008,
        config_dir_abs,
        cwd,
    })
}

fn bare(list: &[String]) -> Vec<Located<String>> {
    list.iter().map(|s| Located::bare(s.clone())).collect()
}

fn values(list: &[Located<String>]) -> Vec<String> {
    list.iter().map(|l| l.value.clone()).collect()
}

/// Help for a value not among `allowed`: did-you-mean, else the list.
fn value_help(word: &str, allowed: &[&str]) -> String {
    suggest::help(word, allowed.iter().copied())
        .unwrap_or_else(|| format!("expected {}", suggest::one_of(allowed)))
}

/// Specificity of an exact code or name: beats every prefix and `ALL`.
const EXACT: usize = usize::MAX;

struct Resolver<'r> {
    rules: &'r [RuleMeta],
    /// Codes and names -> rule index.
    by_key: HashMap<&'r str, usize>,
    /// Distinct alphabetic code prefixes (`GOV`), for suggestions.
    families: Vec<String>,
    org008: Option<usize>,
    errors: Vec<Diagnostic>,
}

impl<'r> Resolver<'r> {
    fn new(rules: &'r [RuleMeta]) -> Self {
        let mut by_key = HashMap::with_capacity(rules.len() * 2);
        let mut families: Vec<String> = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            by_key.entry(rule.code.as_ref()).or_insert(i);
            by_key.entry(rule.name.as_ref()).or_insert(i);
            let family: String = rule
                .code
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            if !family.is_empty() && !families.contains(&family) {
                families.push(family);
            }
        }
        let org008 = rules.iter().position(|r| r.code == ALWAYS_ON);
        Resolver {
            rules,
            by_key,
            families,
            org008,
            errors: Vec::new(),
        }
    }

    fn error(&mut self, span: Option<Span>, message: String, help: Option<String>) {
        let mut d = config_error(message);
        if let Some(span) = span {
            d = d.at(span);
        }
        if let Some(help) = help {
            d = d.help(help);
        }
        self.errors.push(d);
    }

    /// "GOV001 (governance-layers)".
    fn label(&self, rule: usize) -> String {
        self.rules
            .get(rule)
            .map_or_else(String::new, |r| format!("{} ({})", r.code, r.name))
    }

    fn is_always_on(&self, word: &str) -> bool {
        word == ALWAYS_ON
            || word == ALWAYS_ON_NAME
            || self
                .org008
                .and_then(|i| self.rules.get(i))
                .is_some_and(|r| r.name == word)
    }

    /// A rule by exact code or name.
    fn lookup(&self, word: &str) -> Option<usize> {
        self.by_key.get(word).copied()
    }

    /// The rules a selector matches and its specificity.
    fn selector(&self, word: &str) -> Option<(usize, Vec<usize>)> {
        if word == "ALL" {
            return Some((0, (0..self.rules.len()).collect()));
        }
        if let Some(i) = self.lookup(word) {
            return Some((EXACT, vec![i]));
        }
        if word.is_empty() {
            return None;
        }
        let matched: Vec<usize> = self
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.code.len() > word.len() && r.code.starts_with(word))
            .map(|(i, _)| i)
            .collect();
        (!matched.is_empty()).then_some((word.len(), matched))
    }

    /// Did-you-mean for a word that names no rule; with `selectors`, `ALL`
    /// and code prefixes are candidates too.
    fn suggest(&self, word: &str, selectors: bool) -> Option<String> {
        // A case slip first: `gov001`, `Governance-Layers`.
        let upper = word.to_ascii_uppercase();
        let lower = word.to_ascii_lowercase();
        for candidate in [upper, lower] {
            if candidate != word {
                let known = self.lookup(&candidate).is_some()
                    || (selectors && self.selector(&candidate).is_some());
                if known {
                    return Some(format!("did you mean `{candidate}`?"));
                }
            }
        }
        let codes = self.rules.iter().map(|r| r.code.as_ref());
        let names = self.rules.iter().map(|r| r.name.as_ref());
        let extra: Vec<&str> = if selectors {
            std::iter::once("ALL")
                .chain(self.families.iter().map(String::as_str))
                .collect()
        } else {
            Vec::new()
        };
        suggest::help(word, codes.chain(names).chain(extra))
    }

    /// For each rule, the specificity of the most specific selector in
    /// `select` and in `ignore` that matches it.
    fn decide(
        &mut self,
        select: &[Located<String>],
        select_where: &str,
        ignore: &[Located<String>],
        ignore_where: &str,
    ) -> Vec<(Option<usize>, Option<usize>)> {
        let mut best = vec![(None, None); self.rules.len()];
        for (list, place, is_select) in
            [(select, select_where, true), (ignore, ignore_where, false)]
        {
            for item in list {
                let Some((specificity, matched)) = self.selector(&item.value) else {
                    let help = self
                        .suggest(&item.value, true)
                        .unwrap_or_else(|| SELECTOR_HELP.to_owned());
                    self.error(
                        item.span,
                        format!("`{}` in `{place}` matches no rule", item.value),
                        Some(help),
                    );
                    continue;
                };
                for i in matched {
                    if let Some(slot) = best.get_mut(i) {
                        let slot = if is_select { &mut slot.0 } else { &mut slot.1 };
                        *slot = (*slot).max(Some(specificity));
                    }
                }
            }
        }
        best
    }

    /// A rule named by code or name in a severity table or `[lint.options]`.
    fn rule_key(&mut self, key: &Located<String>, place: &str) -> Option<usize> {
        if let Some(i) = self.lookup(&key.value) {
            return Some(i);
        }
        if self.selector(&key.value).is_some() {
            let family = key.value == "ALL" || self.families.contains(&key.value);
            let suggestion = if family {
                None
            } else {
                self.suggest(&key.value, false)
            };
            let help = suggestion.unwrap_or_else(|| {
                "name each rule by its code or its name (`orglint rules` lists them)".to_owned()
            });
            self.error(
                key.span,
                format!(
                    "`{}` in `{place}` is a selector, not a rule: this is set per rule, by code or name",
                    key.value
                ),
                Some(help),
            );
        } else {
            let help = self
                .suggest(&key.value, false)
                .unwrap_or_else(|| "`orglint rules` lists every rule's code and name".to_owned());
            self.error(
                key.span,
                format!("unknown rule `{}` in `{place}`", key.value),
                Some(help),
            );
        }
        None
    }

    /// A severity table: per rule, the severity it sets.
    fn severities(
        &mut self,
        entries: &[(Located<String>, Located<Severity>)],
        place: &str,
    ) -> Vec<Option<Severity>> {
        let mut out = vec![None; self.rules.len()];
        let mut seen: Vec<bool> = vec![false; self.rules.len()];
        for (key, severity) in entries {
            if self.is_always_on(&key.value) {
                self.error(
                    key.span,
                    format!(
                        "the severity of {ALWAYS_ON} ({ALWAYS_ON_NAME}) cannot be changed (in `{place}`)"
                    ),
                    Some("an invalid org file is always an error".to_owned()),
                );
                continue;
            }
            let Some(rule) = self.rule_key(key, place) else {
                continue;
            };
            if seen.get(rule).copied().unwrap_or(false) {
                let label = self.label(rule);
                self.error(
                    key.span,
                    format!("the severity of {label} is set twice in `{place}`"),
                    Some("a rule may be named by code or by name, not both".to_owned()),
                );
                continue;
            }
            if let Some(s) = seen.get_mut(rule) {
                *s = true;
            }
            if let Some(slot) = out.get_mut(rule) {
                *slot = Some(severity.value);
            }
        }
        out
    }

    /// One `[lint.options.<rule>]` table.
    fn options(
        &mut self,
        entry: &RawRuleOptions,
        settings: &mut [RuleSettings],
        seen: &mut [bool],
    ) {
        let Some(rule) = self.rule_key(&entry.rule, "[lint.options]") else {
            return;
        };
        let label = self.label(rule);
        match seen.get_mut(rule) {
            Some(true) => {
                self.error(
                    entry.rule.span,
                    format!("options of {label} are given twice in `[lint.options]`"),
                    Some("a rule may be named by code or by name, not both".to_owned()),
                );
                return;
            }
            Some(slot) => *slot = true,
            None => return,
        }
        let Some(meta) = self.rules.get(rule) else {
            return;
        };
        for (key, value) in &entry.values {
            let Some(option) = meta.options.iter().find(|o| o.name == key.value) else {
                let names: Vec<&str> = meta.options.iter().map(|o| o.name.as_str()).collect();
                let (message, help) = if names.is_empty() {
                    (format!("{label} takes no options"), None)
                } else {
                    (
                        format!("unknown option `{}` for {label}", key.value),
                        Some(
                            suggest::help(&key.value, names.iter().copied()).unwrap_or_else(|| {
                                format!("its options are {}", suggest::one_of(&names))
                            }),
                        ),
                    )
                };
                self.error(key.span, message, help);
                continue;
            };
            let raw = value;
            let Some((value, spans)) = self.convert(&label, option, key, raw) else {
                continue;
            };
            if let Some(expected) = option.range.expected(option.kind)
                && !option.range.contains(&value)
            {
                // As written: `2`, not the `2.0` it became.
                let found = match &raw.value {
                    RawValue::Integer(n) => n.to_string(),
                    _ => crate::toml_text::value(&value),
                };
                self.error(
                    spans.as_ref().map(|s| s.value),
                    format!(
                        "option `{}` of {label} must be {expected}, found `{found}`",
                        option.name,
                    ),
                    Some(range_help(option)),
                );
                continue;
            }
            if let Some(rs) = settings.get_mut(rule) {
                if let Some(slot) = rs.options.iter_mut().find(|(n, _)| *n == option.name) {
                    slot.1 = value;
                }
                if let Some(spans) = spans {
                    rs.spans.push((option.name.clone(), spans));
                }
            }
        }
    }

    /// Checks a value against the option's type.
    fn convert(
        &mut self,
        label: &str,
        option: &OptionMeta,
        key: &Located<String>,
        value: &Located<RawValue>,
    ) -> Option<(OptionValue, Option<OptionSpans>)> {
        let name = option.name.as_str();
        let mut items = Vec::new();
        let mut groups = Vec::new();
        let converted = match (option.kind, &value.value) {
            (OptionKind::Integer, RawValue::Integer(n)) => Some(OptionValue::Integer(*n)),
            (OptionKind::Float, RawValue::Integer(n)) => Some(OptionValue::Float(*n as f64)),
            (OptionKind::Float, RawValue::Float(f)) => Some(OptionValue::Float(*f)),
            (OptionKind::Integer | OptionKind::Float, RawValue::BadInteger(n)) => {
                self.error(
                    value.span,
                    format!("option `{name}` of {label}: `{n}` is out of range"),
                    None,
                );
                None
            }
            (OptionKind::Bool, RawValue::Bool(b)) => Some(OptionValue::Bool(*b)),
            (OptionKind::String, RawValue::String(s)) => Some(OptionValue::String(s.clone())),
            (OptionKind::StringList, RawValue::Array(list)) => {
                let strings = self.strings(list, &format!("option `{name}` of {label}"));
                items = list.iter().filter_map(|l| l.span).collect();
                strings.map(OptionValue::StringList)
            }
            (OptionKind::GroupMap, RawValue::Table(entries)) => {
                let mut map = Vec::with_capacity(entries.len());
                let mut ok = true;
                for (group, list) in entries {
                    let place = format!("group `{}` of option `{name}` of {label}", group.value);
                    let RawValue::Array(elements) = &list.value else {
                        self.error(
                            list.span,
                            format!(
                                "{place} must be an array of strings, found {}",
                                list.value.article()
                            ),
                            None,
                        );
                        ok = false;
                        continue;
                    };
                    if elements.is_empty() {
                        self.error(
                            list.span,
                            format!("{place} is empty"),
                            Some("a group lists the roles that can fill it (`role`, `role@word` or `role@level-id`): name at least one, or remove the group".to_owned()),
                        );
                        ok = false;
                        continue;
                    }
                    let Some(strings) = self.strings(elements, &place) else {
                        ok = false;
                        continue;
                    };
                    if let Some(span) = group.span {
                        groups.push((span, elements.iter().filter_map(|e| e.span).collect()));
                    }
                    map.push((group.value.clone(), strings));
                }
                ok.then_some(OptionValue::GroupMap(map))
            }
            (kind, found) => {
                self.error(
                    value.span,
                    format!(
                        "option `{name}` of {label} must be {}, found {}",
                        expected(kind),
                        found.article()
                    ),
                    Some(format!(
                        "for example `{name} = {}` (the default)",
                        crate::toml_text::value(&option.default)
                    )),
                );
                None
            }
        };
        let converted = converted?;
        let spans = match (key.span, value.span) {
            (Some(k), Some(v)) => Some(OptionSpans {
                key: k,
                value: v,
                items,
                groups,
            }),
            _ => None,
        };
        Some((converted, spans))
    }

    /// The strings of an array; `None` (errors reported) when an element is
    /// not a string.
    fn strings(&mut self, list: &[Located<RawValue>], place: &str) -> Option<Vec<String>> {
        let mut out = Vec::with_capacity(list.len());
        let mut ok = true;
        for item in list {
            match &item.value {
                RawValue::String(s) => out.push(s.clone()),
                other => {
                    self.error(
                        item.span,
                        format!("{place} must hold strings only, found {}", other.article()),
                        None,
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }
}

/// The help for a value outside an option's range: what the option means
/// (its description), its range and its default.
fn range_help(option: &OptionMeta) -> String {
    let description = option.description.trim().trim_end_matches('.');
    let mut chars = description.chars();
    // "The deepest layer" -> "the deepest layer"; "CEL ..." stays.
    let description = match (chars.next(), chars.next()) {
        (Some(first), second) if !second.is_some_and(char::is_uppercase) => {
            format!(
                "{}{}",
                first.to_lowercase(),
                description.get(first.len_utf8()..).unwrap_or("")
            )
        }
        _ => description.to_owned(),
    };
    let name = &option.name;
    let range = option
        .range
        .text()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    let meaning = if description.is_empty() {
        String::new()
    } else {
        format!(" is {description}")
    };
    format!(
        "`{name}`{range}{meaning}; the default is `{name} = {}`",
        crate::toml_text::value(&option.default)
    )
}

fn expected(kind: OptionKind) -> &'static str {
    match kind {
        OptionKind::Integer => "an integer",
        OptionKind::Float => "a number",
        OptionKind::Bool => "a boolean",
        OptionKind::String => "a string",
        OptionKind::StringList => "an array of strings",
        OptionKind::GroupMap => "a table of string arrays",
    }
}
