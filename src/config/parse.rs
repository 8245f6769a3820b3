//! `orglint.toml` text to [`RawConfig`]: every key, type and glob is checked
//! here; rule codes, names and options are checked by [`super::resolve`].

use std::borrow::Cow;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{
    FailOn, Located, RawConfig, RawFiles, RawLint, RawOverride, RawRuleOptions, RawValue,
    config_error,
};
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::compile_glob;
use crate::source::{FileId, Span};
use crate::suggest;

type Entry<'a, 'i> = (&'a Spanned<Cow<'i, str>>, &'a Spanned<DeValue<'i>>);

const TOP_KEYS: [&str; 2] = ["files", "lint"];
const FILES_KEYS: [&str; 4] = ["include", "exclude", "max-file-size", "max-files"];
const LINT_KEYS: [&str; 8] = [
    "select",
    "ignore",
    "fail-on",
    "packs",
    "max-findings",
    "severity",
    "options",
    "overrides",
];
const OVERRIDE_KEYS: [&str; 4] = ["files", "select", "ignore", "severity"];
const SEVERITIES: [&str; 3] = ["error", "warning", "info"];

/// Parses the text of `orglint.toml` (BOM allowed). Spans are into `text`.
pub fn parse(file: FileId, text: &str) -> Result<RawConfig, Vec<Diagnostic>> {
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = text.get(base..).unwrap_or("");
    let (root, errors) = DeTable::parse_recoverable(body);
    let mut parser = Parser {
        file,
        base,
        errors: Vec::new(),
    };
    if !errors.is_empty() {
        // What the parser recovered is not read: a config that is not valid
        // TOML is fixed first, and guessing at it would only add noise.
        for e in &errors {
            let range = e.span().unwrap_or(0..0);
            let span = parser.span(range);
            parser.errors.push(
                config_error(format!("invalid TOML: {}", e.message()))
                    .at(span)
                    .help("orglint.toml must be valid TOML"),
            );
        }
        return Err(parser.errors);
    }
    let mut raw = RawConfig {
        file: Some(file),
        ..RawConfig::default()
    };
    parser.document(root.get_ref(), &mut raw);
    if parser.errors.is_empty() {
        Ok(raw)
    } else {
        Err(parser.errors)
    }
}

/// The entries of a table in the order written (the parser's map is sorted).
fn entries<'a, 'i>(table: &'a DeTable<'i>) -> Vec<Entry<'a, 'i>> {
    let mut out: Vec<Entry<'a, 'i>> = table.iter().collect();
    out.sort_by_key(|(k, _)| k.span().start);
    out
}

fn article(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a datetime",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

struct Parser {
    file: FileId,
    base: usize,
    errors: Vec<Diagnostic>,
}

impl Parser {
    fn span(&self, r: Range<usize>) -> Span {
        Span::new(self.file, r.start + self.base, r.end + self.base)
    }

    fn error(&mut self, span: Span, message: String, help: Option<String>) {
        let mut d = config_error(message).at(span);
        if let Some(help) = help {
            d = d.help(help);
        }
        self.errors.push(d);
    }

    fn located<T>(&self, value: T, r: Range<usize>) -> Located<T> {
        Located {
            value,
            span: Some(self.span(r)),
        }
    }

    fn unknown_key(&mut self, key: &Spanned<Cow<'_, str>>, table: &str, known: &[&str]) {
        let name = key.get_ref().as_ref();
        let help = suggest::help(name, known.iter().copied())
            .unwrap_or_else(|| format!("expected {}", suggest::one_of(known)));
        let place = if table.is_empty() {
            "orglint.toml".to_owned()
        } else {
            format!("`{table}`")
        };
        self.error(
            self.span(key.span()),
            format!("unknown key `{name}` in {place}"),
            Some(help),
        );
    }

    fn type_error(&mut self, key: &str, value: &Spanned<DeValue<'_>>, expected: &str) {
        let found = article(value.get_ref());
        self.error(
            self.span(value.span()),
            format!("`{key}` must be {expected}, found {found}"),
            None,
        );
    }

    fn table<'a, 'i>(
        &mut self,
        key: &str,
        value: &'a Spanned<DeValue<'i>>,
    ) -> Option<&'a DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.type_error(key, value, "a table");
                None
            }
        }
    }

    fn document(&mut self, root: &DeTable<'_>, raw: &mut RawConfig) {
        for (key, value) in entries(root) {
            match key.get_ref().as_ref() {
                "files" => {
                    if let Some(t) = self.table("files", value) {
                        raw.files = self.files(t);
                    }
                }
                "lint" => {
                    if let Some(t) = self.table("lint", value) {
                        raw.lint = self.lint(t);
                    }
                }
                _ => self.unknown_key(key, "", &TOP_KEYS),
            }
        }
    }

    fn files(&mut self, table: &DeTable<'_>) -> RawFiles {
        let mut files = RawFiles::default();
        for (key, value) in entries(table) {
            match key.get_ref().as_ref() {
                "include" => files.include = self.globs("include", value),
                "exclude" => files.exclude = self.globs("exclude", value).unwrap_or_default(),
                "max-file-size" => files.max_file_size = self.count("max-file-size", value, 1),
                "max-files" => {
                    files.max_files = self
                        .count("max-files", value, 1)
                        .map(|n| usize::try_from(n).unwrap_or(usize::MAX));
                }
                _ => self.unknown_key(key, "[files]", &FILES_KEYS),
            }
        }
        files
    }

    fn lint(&mut self, table: &DeTable<'_>) -> RawLint {
        let mut lint = RawLint::default();
        for (key, value) in entries(table) {
            match key.get_ref().as_ref() {
                "select" => lint.select = self.strings("select", value),
                "ignore" => lint.ignore = self.strings("ignore", value).unwrap_or_default(),
                "fail-on" => lint.fail_on = self.fail_on(value),
                "packs" => lint.packs = self.strings("packs", value).unwrap_or_default(),
                "max-findings" => {
                    lint.max_findings = self
                        .count("max-findings", value, 0)
                        .map(|n| usize::try_from(n).unwrap_or(usize::MAX));
                }
                "severity" => lint.severity = self.severity_table("severity", value),
                "options" => lint.options = self.options(value),
                "overrides" => lint.overrides = self.overrides(value),
                _ => self.unknown_key(key, "[lint]", &LINT_KEYS),
            }
        }
        lint
    }

    fn string(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<Located<String>> {
        match value.get_ref() {
            DeValue::String(s) => Some(self.located(s.to_string(), value.span())),
            _ => {
                self.type_error(key, value, "a string");
                None
            }
        }
    }

    /// An array of strings; a wrong element is reported and left out.
    fn strings(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<Vec<Located<String>>> {
        let DeValue::Array(items) = value.get_ref() else {
            self.type_error(key, value, "an array of strings");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(self.located(s.to_string(), item.span())),
                other => {
                    let found = article(other);
                    self.error(
                        self.span(item.span()),
                        format!("`{key}` must hold strings only, found {found}"),
                        None,
                    );
                }
            }
        }
        Some(out)
    }

    /// An array of globs, each of which must compile.
    fn globs(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<Vec<Located<String>>> {
        let globs = self.strings(key, value)?;
        for glob in &globs {
            if let Err(e) = compile_glob(&glob.value) {
                let span = glob.span.unwrap_or(self.span(value.span()));
                self.error(
                    span,
                    format!("invalid glob `{}`: {}", glob.value, e.kind()),
                    Some("globs use globset syntax: `*`, `?`, `[abc]`, `{a,b}` and `**` for any number of directories".to_owned()),
                );
            }
        }
        Some(globs)
    }

    /// A non-negative integer of at least `min`.
    fn count(&mut self, key: &str, value: &Spanned<DeValue<'_>>, min: u64) -> Option<u64> {
        let DeValue::Integer(i) = value.get_ref() else {
            self.type_error(key, value, "an integer");
            return None;
        };
        match u64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) if n >= min => Some(n),
            _ => {
                let span = self.span(value.span());
                let what = if min == 0 {
                    "a non-negative integer".to_owned()
                } else if min == 1 {
                    "a positive integer".to_owned()
                } else {
                    format!("an integer of at least {min}")
                };
                self.error(span, format!("`{key}` must be {what}"), None);
                None
            }
        }
    }

    fn fail_on(&mut self, value: &Spanned<DeValue<'_>>) -> Option<Located<FailOn>> {
        let s = self.string("fail-on", value)?;
        match FailOn::parse(&s.value) {
            Some(f) => Some(Located {
                value: f,
                span: s.span,
            }),
            None => {
                let span = self.span(value.span());
                self.error(
                    span,
                    format!("invalid `fail-on` value `{}`", s.value),
                    Some(value_help(&s.value, &FailOn::ALL)),
                );
                None
            }
        }
    }

    fn severity(&mut self, value: &Spanned<DeValue<'_>>) -> Option<Located<Severity>> {
        let DeValue::String(s) = value.get_ref() else {
            let found = article(value.get_ref());
            self.error(
                self.span(value.span()),
                format!("a severity must be a string, found {found}"),
                Some(format!("expected {}", suggest::one_of(&SEVERITIES))),
            );
            return None;
        };
        match Severity::parse(s) {
            Some(sev) => Some(self.located(sev, value.span())),
            None => {
                self.error(
                    self.span(value.span()),
                    format!("invalid severity `{s}`"),
                    Some(value_help(s, &SEVERITIES)),
                );
                None
            }
        }
    }

    /// `[lint.severity]` or an override's `severity`: rule -> severity.
    fn severity_table(
        &mut self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
    ) -> Vec<(Located<String>, Located<Severity>)> {
        let Some(table) = self.table(key, value) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (rule, sev) in entries(table) {
            if let Some(sev) = self.severity(sev) {
                out.push((self.located(rule.get_ref().to_string(), rule.span()), sev));
            }
        }
        out
    }

    fn options(&mut self, value: &Spanned<DeValue<'_>>) -> Vec<RawRuleOptions> {
        let Some(table) = self.table("options", value) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (rule, options) in entries(table) {
            let rule_name = rule.get_ref().as_ref();
            let DeValue::Table(options) = options.get_ref() else {
                self.type_error(&format!("options.{rule_name}"), options, "a table");
                continue;
            };
            let values = entries(options)
                .into_iter()
                .map(|(name, v)| {
                    (
                        self.located(name.get_ref().to_string(), name.span()),
                        self.located(self.raw_value(v.get_ref()), v.span()),
                    )
                })
                .collect();
            out.push(RawRuleOptions {
                rule: self.located(rule_name.to_owned(), rule.span()),
                values,
            });
        }
        out
    }

    fn raw_value(&self, value: &DeValue<'_>) -> RawValue {
        match value {
            DeValue::String(s) => RawValue::String(s.to_string()),
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => RawValue::Integer(n),
                Err(_) => RawValue::BadInteger(i.to_string()),
            },
            DeValue::Float(f) => RawValue::Float(f.as_str().parse().unwrap_or(f64::NAN)),
            DeValue::Boolean(b) => RawValue::Bool(*b),
            DeValue::Datetime(d) => RawValue::Datetime(d.to_string()),
            DeValue::Array(items) => RawValue::Array(
                items
                    .iter()
                    .map(|item| self.located(self.raw_value(item.get_ref()), item.span()))
                    .collect(),
            ),
            DeValue::Table(t) => RawValue::Table(
                entries(t)
                    .into_iter()
                    .map(|(k, v)| {
                        (
                            self.located(k.get_ref().to_string(), k.span()),
                            self.located(self.raw_value(v.get_ref()), v.span()),
                        )
                    })
                    .collect(),
            ),
        }
    }

    fn overrides(&mut self, value: &Spanned<DeValue<'_>>) -> Vec<RawOverride> {
        let DeValue::Array(items) = value.get_ref() else {
            self.type_error(
                "overrides",
                value,
                "an array of tables (`[[lint.overrides]]`)",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            let DeValue::Table(table) = item.get_ref() else {
                self.type_error(
                    "overrides",
                    item,
                    "an array of tables (`[[lint.overrides]]`)",
                );
                continue;
            };
            let mut o = RawOverride {
                span: Some(self.span(item.span())),
                ..RawOverride::default()
            };
            let mut has_files = false;
            for (key, value) in entries(table) {
                match key.get_ref().as_ref() {
                    "files" => {
                        has_files = true;
                        o.files = self.globs("files", value).unwrap_or_default();
                    }
                    "select" => o.select = self.strings("select", value).unwrap_or_default(),
                    "ignore" => o.ignore = self.strings("ignore", value).unwrap_or_default(),
                    "severity" => o.severity = self.severity_table("severity", value),
                    _ => self.unknown_key(key, "[[lint.overrides]]", &OVERRIDE_KEYS),
                }
            }
            if !has_files {
                self.error(
                    self.span(item.span()),
                    "an override needs `files`, the globs of the files it applies to".to_owned(),
                    Some("add files = [\"some/dir/**\"]".to_owned()),
                );
            }
            out.push(o);
        }
        out
    }
}

/// Help for a value not among `allowed`: did-you-mean, else the list.
fn value_help(word: &str, allowed: &[&str]) -> String {
    suggest::help(word, allowed.iter().copied())
        .unwrap_or_else(|| format!("expected {}", suggest::one_of(allowed)))
}
