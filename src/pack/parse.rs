//! Reading one pack file: every key checked, with spans.

use std::borrow::Cow;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, EntityKind, Severity};
use crate::registry::{
    Bound, Implementation, OptionKind, OptionMeta, OptionRange, OptionValue, RuleMeta,
};
use crate::source::{FileId, Span};
use crate::suggest;

use super::*;

/// Parses a pack; the pack is complete only when no errors were returned.
pub(super) fn parse(
    file: FileId,
    text: &str,
    source_name: &str,
    trusted: bool,
) -> (Pack, Vec<Diagnostic>) {
    let mut cx = Cx {
        file,
        text,
        trusted,
        errors: Vec::new(),
    };
    let mut pack = Pack {
        name: String::new(),
        description: None,
        rules: Vec::new(),
        cel: Vec::new(),
        builtin: trusted,
        name_span: Span::new(file, 0, 0),
        rule_spans: Vec::new(),
    };
    let (root, parse_errors) = DeTable::parse_recoverable(text);
    if !parse_errors.is_empty() {
        for e in parse_errors {
            let mut d = config_error(format!("invalid TOML in rule pack: {}", e.message()));
            if let Some(r) = e.span() {
                d = d.at(cx.span(r));
            } else {
                d.message.push_str(&format!(" (in {source_name})"));
            }
            cx.errors.push(d);
        }
        return (pack, cx.errors);
    }
    let root = root.get_ref();
    cx.unknown_keys(root, TOP_KEYS, "rule pack", &[]);

    match root.get_key_value("pack") {
        None => cx.errors.push(
            config_error(format!("rule pack `{source_name}` has no `[pack]` table"))
                .help("add `[pack]` with a kebab-case `name`"),
        ),
        Some((_, value)) => {
            if let Some(table) = cx.table(value, "`pack`") {
                cx.unknown_keys(table, PACK_KEYS, "`[pack]`", &[]);
                let header = value.span();
                if let Some((name, span)) = cx.string(table, "name", Some(header.clone())) {
                    if is_kebab(&name) {
                        pack.name = name;
                    } else {
                        cx.error(
                            span.clone(),
                            format!("pack name `{name}` is not kebab-case"),
                            Some(kebab_help(&name)),
                        );
                    }
                    pack.name_span = cx.span(span);
                }
                pack.description = cx.string(table, "description", None).map(|(s, _)| s);
            }
        }
    }

    if let Some((key, value)) = root.get_key_value("rules") {
        match value.get_ref() {
            DeValue::Array(items) => {
                for item in items.iter() {
                    if let Some(table) = cx.table(item, "each rule") {
                        cx.rule(&mut pack, table, item.span());
                    }
                }
            }
            _ => cx.error(
                key.span(),
                "`rules` must be an array of tables".to_owned(),
                Some("write each rule under its own `[[rules]]` header".to_owned()),
            ),
        }
    }
    (pack, cx.errors)
}

fn kebab_help(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() || out == s {
        "use lowercase letters, digits and single hyphens, like `service-funding-declared`"
            .to_owned()
    } else {
        format!("use lowercase letters, digits and single hyphens: `{out}`")
    }
}

struct Cx<'a> {
    file: FileId,
    /// The pack's text, for spans inside string values.
    text: &'a str,
    trusted: bool,
    errors: Vec<Diagnostic>,
}

/// The rule being read: its values and spans, before it becomes a RuleMeta.
struct RuleDraft {
    code: Option<(String, Range<usize>)>,
    name: Option<(String, Range<usize>)>,
}

impl Cx<'_> {
    fn span(&self, r: Range<usize>) -> Span {
        Span::new(self.file, r.start, r.end)
    }

    fn error(&mut self, at: Range<usize>, message: String, help: Option<String>) {
        let mut d = config_error(message).at(self.span(at));
        d.help = help;
        self.errors.push(d);
    }

    /// Reports keys of `table` not in `allowed`. `reserved` are keys with a
    /// message of their own, handled by the caller.
    fn unknown_keys(
        &mut self,
        table: &DeTable<'_>,
        allowed: &[&str],
        what: &str,
        reserved: &[&str],
    ) {
        for (key, _) in sorted_entries(table) {
            let k = key.get_ref().as_ref();
            if allowed.contains(&k) || reserved.contains(&k) {
                continue;
            }
            let help = suggest::help(k, allowed.iter().copied()).or_else(|| {
                Some(format!(
                    "the keys of {what} are {}",
                    suggest::one_of(allowed)
                ))
            });
            self.error(key.span(), format!("unknown key `{k}` in {what}"), help);
        }
    }

    fn table<'t, 'i>(
        &mut self,
        value: &'t Spanned<DeValue<'i>>,
        what: &str,
    ) -> Option<&'t DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                self.error(
                    value.span(),
                    format!("{what} must be a table, found {}", describe(other)),
                    None,
                );
                None
            }
        }
    }

    /// A string value: `None` when absent (an error at `required`, the
    /// table's header, if given) or not a string (an error at the value).
    fn string(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
        required: Option<Range<usize>>,
    ) -> Option<(String, Range<usize>)> {
        match table.get(key) {
            None => {
                if let Some(header) = required {
                    self.error(header, format!("missing required key `{key}`"), None);
                }
                None
            }
            Some(value) => match value.get_ref() {
                DeValue::String(s) => Some((s.to_string(), value.span())),
                other => {
                    self.error(
                        value.span(),
                        format!("`{key}` must be a string, found {}", describe(other)),
                        None,
                    );
                    None
                }
            },
        }
    }

    /// A string that must not be blank.
    fn text(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
        required: Option<Range<usize>>,
    ) -> Option<(String, Range<usize>)> {
        let (s, span) = self.string(table, key, required)?;
        if s.trim().is_empty() {
            self.error(span, format!("`{key}` must not be empty"), None);
            return None;
        }
        Some((s, span))
    }

    fn rule(&mut self, pack: &mut Pack, table: &DeTable<'_>, header: Range<usize>) {
        let errors_before = self.errors.len();
        let mut allowed: Vec<&str> = COMMON_RULE_KEYS.to_vec();
        allowed.extend_from_slice(CEL_RULE_KEYS);
        if self.trusted {
            allowed.extend_from_slice(NATIVE_RULE_KEYS);
        } else {
            for key in NATIVE_RULE_KEYS {
                if let Some((k, _)) = table.get_key_value(*key) {
                    let message = match *key {
                        "check" => {
                            "`check` is only for built-in rules: a pack rule is written in CEL"
                        }
                        _ => "`options` are only for built-in rules: a pack rule takes no options",
                    };
                    self.error(
                        k.span(),
                        message.to_owned(),
                        Some(
                            "use `for-each`, `assert` and `message` (and optionally `when` and `at`)"
                                .to_owned(),
                        ),
                    );
                }
            }
        }
        self.unknown_keys(table, &allowed, "a rule", NATIVE_RULE_KEYS);

        let draft = RuleDraft {
            code: self.code(table, header.clone()),
            name: self.rule_name(table, header.clone()),
        };
        self.check_in_pack(pack, &draft);
        let severity = self.severity(table, header.clone());
        let summary = self.text(table, "summary", Some(header.clone()));
        let trusted = self.trusted;
        let builtin_required =
            |key: &str| (trusted && BUILTIN_REQUIRED.contains(&key)).then(|| header.clone());
        let rationale = self.text(table, "rationale", builtin_required("rationale"));
        let source = self.text(table, "source", builtin_required("source"));
        let help = self.text(table, "help", builtin_required("help"));
        let example_fail = self.text(table, "example-fail", builtin_required("example-fail"));
        let example_pass = self.text(table, "example-pass", builtin_required("example-pass"));

        let mut options = Vec::new();
        let mut cel = None;
        let implementation = if trusted && table.contains_key("check") {
            for key in CEL_RULE_KEYS {
                if let Some((k, _)) = table.get_key_value(*key) {
                    self.error(
                        k.span(),
                        format!("`{key}` does not go with `check`"),
                        Some(
                            "a rule is either a native check or a CEL rule with `for-each`"
                                .to_owned(),
                        ),
                    );
                }
            }
            options = self.options(table);
            self.string(table, "check", None).and_then(|(check, span)| {
                if is_kebab(&check) {
                    Some(Implementation::Native(check))
                } else {
                    self.error(
                        span,
                        format!("check name `{check}` is not kebab-case"),
                        None,
                    );
                    None
                }
            })
        } else {
            if trusted && let Some((k, _)) = table.get_key_value("options") {
                self.error(
                    k.span(),
                    "`options` are only for native checks".to_owned(),
                    None,
                );
            }
            if !trusted && table.contains_key("check") {
                // Already reported: a native check in a user pack. Asking
                // for the CEL keys as well would only add noise.
                None
            } else {
                cel = self.cel(table, header.clone());
                cel.as_ref().map(|_| Implementation::Cel(pack.cel.len()))
            }
        };

        if self.errors.len() != errors_before {
            return;
        }
        let (
            Some((code, code_span)),
            Some((name, name_span)),
            Some(severity),
            Some((summary, _)),
            Some(implementation),
        ) = (draft.code, draft.name, severity, summary, implementation)
        else {
            return;
        };
        if let Some(mut cel) = cel {
            cel.code = code.clone();
            cel.rule = pack.rules.len();
            pack.cel.push(cel);
        }
        pack.rule_spans.push(RuleSpans {
            header: self.span(header),
            code: self.span(code_span),
            name: self.span(name_span),
        });
        pack.rules.push(RuleMeta {
            code: Cow::Owned(code),
            name: Cow::Owned(name),
            severity,
            summary,
            rationale: rationale.map(|(s, _)| s).unwrap_or_default(),
            source: source.map(|(s, _)| s).unwrap_or_default(),
            help: help.map(|(s, _)| s),
            pack: pack.name.clone(),
            options,
            example_fail: example_fail.map(|(s, _)| s),
            example_pass: example_pass.map(|(s, _)| s),
            implementation,
        });
    }

    fn code(
        &mut self,
        table: &DeTable<'_>,
        header: Range<usize>,
    ) -> Option<(String, Range<usize>)> {
        let (code, span) = self.string(table, "code", Some(header))?;
        if is_rule_code(&code) {
            return Some((code, span));
        }
        let upper = code.trim().to_ascii_uppercase();
        let help = if upper != code && is_rule_code(&upper) {
            format!("codes are upper case: `{upper}`")
        } else {
            "a code is 2 to 6 capital letters and 3 digits, like `ACME001`".to_owned()
        };
        self.error(
            span,
            format!("`{code}` is not a valid rule code"),
            Some(help),
        );
        None
    }

    fn rule_name(
        &mut self,
        table: &DeTable<'_>,
        header: Range<usize>,
    ) -> Option<(String, Range<usize>)> {
        let (name, span) = self.string(table, "name", Some(header))?;
        if is_kebab(&name) {
            return Some((name, span));
        }
        self.error(
            span,
            format!("rule name `{name}` is not kebab-case"),
            Some(kebab_help(&name)),
        );
        None
    }

    /// Duplicate codes and names within one pack.
    fn check_in_pack(&mut self, pack: &Pack, draft: &RuleDraft) {
        let file = self.file;
        let mut dup = |what: &str, value: &str, span: &Range<usize>, first: Option<Span>| {
            let mut d = config_error(format!(
                "rule {what} `{value}` is defined twice in this pack"
            ))
            .at(Span::new(file, span.start, span.end))
            .help(format!("every rule needs its own {what}"));
            if let Some(first) = first {
                d = d.related(first, "first defined here");
            }
            self.errors.push(d);
        };
        if let Some((code, span)) = &draft.code
            && let Some(i) = pack.rules.iter().position(|r| r.code == code.as_str())
        {
            dup("code", code, span, pack.rule_spans.get(i).map(|s| s.code));
        }
        if let Some((name, span)) = &draft.name
            && let Some(i) = pack.rules.iter().position(|r| r.name == name.as_str())
        {
            dup("name", name, span, pack.rule_spans.get(i).map(|s| s.name));
        }
    }

    fn severity(&mut self, table: &DeTable<'_>, header: Range<usize>) -> Option<Severity> {
        let (s, span) = self.string(table, "severity", Some(header))?;
        if let Some(severity) = Severity::parse(&s) {
            return Some(severity);
        }
        let help = suggest::help(&s, SEVERITIES.iter().copied())
            .unwrap_or_else(|| format!("use {}", suggest::one_of(SEVERITIES)));
        self.error(
            span,
            format!(
                "unknown severity `{s}`: expected {}",
                suggest::one_of(SEVERITIES)
            ),
            Some(help),
        );
        None
    }

    /// `[rules.options.NAME]` tables of a native rule: `type`, `default`,
    /// `description`, and for numbers an optional `min` and `max`.
    fn options(&mut self, table: &DeTable<'_>) -> Vec<OptionMeta> {
        let mut out = Vec::new();
        let Some(value) = table.get("options") else {
            return out;
        };
        let Some(options) = self.table(value, "`options`") else {
            return out;
        };
        for (key, value) in sorted_entries(options) {
            let name = key.get_ref().to_string();
            if !is_kebab(&name) {
                self.error(
                    key.span(),
                    format!("option name `{name}` is not kebab-case"),
                    Some(kebab_help(&name)),
                );
            }
            let Some(option) = self.table(value, "an option") else {
                continue;
            };
            let header = value.span();
            self.unknown_keys(option, OPTION_KEYS, "an option", &[]);
            let kind = self
                .string(option, "type", Some(header.clone()))
                .and_then(|(ty, span)| match OptionKind::parse(&ty) {
                    Some(kind) => Some(kind),
                    None => {
                        let help = suggest::help(&ty, OptionKind::ALL.iter().copied())
                            .unwrap_or_else(|| {
                                format!("use {}", suggest::one_of(&OptionKind::ALL))
                            });
                        self.error(span, format!("unknown option type `{ty}`"), Some(help));
                        None
                    }
                });
            let description = self.text(option, "description", Some(header.clone()));
            let default = match option.get("default") {
                None => {
                    self.error(header, "missing required key `default`".to_owned(), None);
                    None
                }
                Some(value) => kind.and_then(|kind| match option_value(kind, value) {
                    Ok(v) => Some(v),
                    Err((span, message)) => {
                        self.error(
                            span,
                            format!("bad default for option `{name}`: {message}"),
                            None,
                        );
                        None
                    }
                }),
            };
            let range = kind.and_then(|kind| self.range(&name, kind, option));
            if let (Some(kind), Some(default), Some((description, _)), Some(range)) =
                (kind, default, description, range)
            {
                if !range.contains(&default) {
                    if let Some(value) = option.get("default") {
                        self.error(
                            value.span(),
                            format!(
                                "the default of option `{name}`, `{}`, is outside its range ({})",
                                crate::toml_text::value(&default),
                                range.text().unwrap_or_default()
                            ),
                            Some("the default must be a value the option accepts: change it, or `min`/`max`".to_owned()),
                        );
                    }
                    continue;
                }
                out.push(OptionMeta {
                    name,
                    kind,
                    default,
                    description,
                    range,
                });
            }
        }
        out
    }

    /// The `min` and `max` of an option, both included: numbers of the
    /// option's type, allowed on integer and float options only. `None`
    /// when there was an error.
    fn range(&mut self, name: &str, kind: OptionKind, option: &DeTable<'_>) -> Option<OptionRange> {
        let mut ok = true;
        let mut bound =
            |cx: &mut Self, key: &str| -> Option<(Bound, Range<usize>)> {
                let (k, value) = option.get_key_value(key)?;
                if !matches!(kind, OptionKind::Integer | OptionKind::Float) {
                    cx.error(
                    k.span(),
                    format!(
                        "`{key}` is only for integer and float options; option `{name}` is a {}",
                        kind.as_str()
                    ),
                    Some(format!("remove `{key}`: a {} option has no range", kind.as_str())),
                );
                    ok = false;
                    return None;
                }
                match option_value(kind, value) {
                    Ok(OptionValue::Integer(n)) => Some((Bound::Integer(n), value.span())),
                    Ok(OptionValue::Float(f)) => Some((Bound::Float(f), value.span())),
                    Ok(_) => None,
                    Err((span, message)) => {
                        cx.error(
                            span,
                            format!("bad `{key}` for option `{name}`: {message}"),
                            None,
                        );
                        ok = false;
                        None
                    }
                }
            };
        let min = bound(self, "min");
        let max = bound(self, "max");
        if !ok {
            return None;
        }
        if let (Some((min, min_span)), Some((max, _))) = (&min, &max)
            && max.compare(&min.value()) == Some(std::cmp::Ordering::Greater)
        {
            self.error(
                min_span.clone(),
                format!(
                    "option `{name}` has `min = {}` above its `max = {}`",
                    min.text(),
                    max.text()
                ),
                Some(
                    "`min` and `max` are the smallest and the largest value allowed, both included"
                        .to_owned(),
                ),
            );
            return None;
        }
        Some(OptionRange {
            min: min.map(|(b, _)| b),
            max: max.map(|(b, _)| b),
        })
    }

    /// The CEL part of a rule (`code` and `rule` are filled in by the caller).
    fn cel(&mut self, table: &DeTable<'_>, header: Range<usize>) -> Option<CelRuleSource> {
        let errors_before = self.errors.len();
        let for_each = self
            .string(table, "for-each", Some(header.clone()))
            .and_then(|(s, span)| {
                if let Some((_, kind)) = FOR_EACH.iter().find(|(k, _)| *k == s) {
                    return Some(*kind);
                }
                let words: Vec<&str> = FOR_EACH.iter().map(|(k, _)| *k).collect();
                let help = match s.as_str() {
                    "governance" | "bodies" | "board" => Some("did you mean `body`?".to_owned()),
                    "people" => Some("did you mean `person`?".to_owned()),
                    _ => suggest::help(&s, words.iter().copied()),
                };
                self.error(
                    span,
                    format!(
                        "`for-each` must be one of {}, not `{s}`",
                        suggest::one_of(&words)
                    ),
                    help,
                );
                None
            });
        let when = self.text(table, "when", None);
        let assert = self.text(table, "assert", Some(header.clone()));
        let message = self.text(table, "message", Some(header.clone()));
        if let Some((m, span)) = &message {
            self.placeholders(m, span.clone());
        }
        let at = self.string(table, "at", None);
        if let (Some((key, span)), Some(kind)) = (&at, for_each) {
            let keys: Vec<&str> = entity_keys(kind).collect();
            if !keys.contains(&key.as_str()) {
                let snake = key.replace('_', "-");
                let help = if keys.contains(&snake.as_str()) {
                    Some(format!("keys are kebab-case, as in the file: `{snake}`"))
                } else {
                    suggest::help(key, keys.iter().copied()).or_else(|| {
                        Some(format!(
                            "a {} has {}",
                            kind_word(kind),
                            suggest::one_of(&keys)
                        ))
                    })
                };
                self.error(
                    span.clone(),
                    format!(
                        "`at` names `{key}`, which is not a key of a {}",
                        kind_word(kind)
                    ),
                    help,
                );
            }
        }
        if self.errors.len() != errors_before {
            return None;
        }
        let (Some(for_each), Some((assert, assert_span)), Some((message, message_span))) =
            (for_each, assert, message)
        else {
            return None;
        };
        Some(CelRuleSource {
            code: String::new(),
            rule: 0,
            for_each,
            when: when.map(|(s, r)| (s, self.span(r))),
            assert: (assert, self.span(assert_span)),
            message,
            message_span: self.span(message_span),
            at_span: at.as_ref().map(|(_, r)| self.span(r.clone())),
            at: at.map(|(s, _)| s),
            header: self.span(header),
        })
    }

    /// `{word}` in a message must be a known placeholder.
    fn placeholders(&mut self, message: &str, value: Range<usize>) {
        let mut rest = message;
        let mut offset = 0;
        while let Some(open) = rest.find('{') {
            let after = rest.get(open + 1..).unwrap_or("");
            let len = after
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
                .count();
            let word = after.get(..len).unwrap_or("");
            if len > 0
                && after.get(len..).is_some_and(|s| s.starts_with('}'))
                && !MESSAGE_PLACEHOLDERS.contains(&word)
            {
                let help = suggest::help(word, MESSAGE_PLACEHOLDERS.iter().copied())
                    .unwrap_or_else(|| "a message may use `{id}` and `{name}`".to_owned());
                let start = offset + open;
                let at = span_in_string(
                    self.text,
                    self.span(value.clone()),
                    message,
                    start..start + len + 2,
                );
                self.errors.push(
                    config_error(format!("unknown placeholder `{{{word}}}` in `message`"))
                        .at(at)
                        .help(help),
                );
            }
            let step = open + 1;
            offset += step;
            rest = rest.get(step..).unwrap_or("");
        }
    }
}

fn kind_word(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Body => "body",
        other => other.as_str(),
    }
}
