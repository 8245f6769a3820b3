//! Rule packs: the built-in rules (`rules/builtin.toml`, embedded) and users'
//! CEL rules (`[lint] packs`), read from TOML with spans.
//!
//! Both kinds go through the same loader. The built-in pack is *trusted*: its
//! rules name a native check (`check = "NAME"`) and declare their options. A
//! user pack may only define CEL rules (`for-each`, `when`, `assert`,
//! `message`, `at`); the expressions are kept as text with the span of their
//! TOML string so that the CEL compiler can point inside them
//! ([`span_in_string`]).
//!
//! Every problem in a user pack is a `config` diagnostic with a span in the
//! pack file; the CLI prints them and exits 2.

mod parse;
mod strings;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, EntityKind, Severity};
use crate::load::schema;
use crate::registry::{OptionKind, OptionValue, RuleMeta};
use crate::source::{FileId, Span};

use parse::parse;
pub use strings::span_in_string;

/// The built-in rule pack, embedded at build time.
pub const BUILTIN_PACK: &str = include_str!("../../rules/builtin.toml");

/// The embedded role catalogue (the model reads it; re-exported here with
/// the other embedded rule data).
pub use crate::model::catalogue::ROLE_CATALOGUE;

/// The name under which the built-in pack is known in messages.
pub const BUILTIN_SOURCE_NAME: &str = "<built-in>/rules/builtin.toml";

/// The file id given to spans of the built-in pack. The built-in pack is not
/// in the [`crate::source::SourceMap`], so these spans are never rendered.
pub const BUILTIN_FILE: FileId = FileId(u32::MAX);

/// The `for-each` values of a CEL rule, and the entity kind each names.
pub const FOR_EACH: &[(&str, EntityKind)] = &[
    ("organisation", EntityKind::Organisation),
    ("person", EntityKind::Person),
    ("team", EntityKind::Team),
    ("service", EntityKind::Service),
    ("body", EntityKind::Body),
    ("supplier", EntityKind::Supplier),
];

/// The placeholders a CEL rule's `message` may use.
pub const MESSAGE_PLACEHOLDERS: &[&str] = &["id", "name"];

/// The keys of each entity kind an `at` may name: those of its table in the
/// org file format ([`schema`]), in the format's order.
fn entity_keys(kind: EntityKind) -> impl Iterator<Item = &'static str> {
    schema::fields(kind)
        .unwrap_or_default()
        .iter()
        .map(|f| f.key)
}

const TOP_KEYS: &[&str] = &["pack", "rules"];
const PACK_KEYS: &[&str] = &["name", "description"];
const COMMON_RULE_KEYS: &[&str] = &[
    "code",
    "name",
    "severity",
    "summary",
    "rationale",
    "source",
    "help",
    "example-fail",
    "example-pass",
];
const CEL_RULE_KEYS: &[&str] = &["for-each", "when", "assert", "message", "at"];
const NATIVE_RULE_KEYS: &[&str] = &["check", "options"];
const OPTION_KEYS: &[&str] = &["type", "default", "description", "min", "max"];
/// Keys a built-in rule must have, beyond those every rule needs.
const BUILTIN_REQUIRED: &[&str] = &[
    "rationale",
    "source",
    "help",
    "example-fail",
    "example-pass",
];
const SEVERITIES: &[&str] = &["error", "warning", "info"];

/// A user rule written in CEL, as read from its pack. The expressions are not
/// compiled here.
#[derive(Clone, Debug)]
pub struct CelRuleSource {
    /// The rule's code (the rule is `pack.rules[rule]`).
    pub code: String,
    /// Index of the rule in [`Pack::rules`].
    pub rule: usize,
    /// The entity kind the rule is evaluated for.
    pub for_each: EntityKind,
    /// The optional guard: the expression, and the span of its TOML string
    /// (quotes included; see [`span_in_string`]).
    pub when: Option<(String, Span)>,
    /// The assertion: false is a finding.
    pub assert: (String, Span),
    /// The finding's message; `{id}` and `{name}` are replaced.
    pub message: String,
    pub message_span: Span,
    /// The kebab-case key to point at; the entity's header when absent.
    pub at: Option<String>,
    pub at_span: Option<Span>,
    /// The `[[rules]]` header of the rule.
    pub header: Span,
}

/// Where a rule is defined in its pack file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleSpans {
    /// The `[[rules]]` header (or the inline table).
    pub header: Span,
    /// The `code` value.
    pub code: Span,
    /// The `name` value.
    pub name: Span,
}

/// A loaded rule pack.
#[derive(Clone, Debug)]
pub struct Pack {
    pub name: String,
    pub description: Option<String>,
    /// The rules, in the order written. A CEL rule has
    /// `Implementation::Cel(i)`, an index into [`Pack::cel`].
    pub rules: Vec<RuleMeta>,
    pub cel: Vec<CelRuleSource>,
    /// Whether this is the built-in pack, whose spans point into
    /// [`BUILTIN_PACK`] under [`BUILTIN_FILE`] rather than into a loaded file.
    pub builtin: bool,
    /// The span of `[pack] name`.
    pub name_span: Span,
    /// Parallel to `rules`.
    pub rule_spans: Vec<RuleSpans>,
}

impl Pack {
    /// The rule with this code or name.
    pub fn rule(&self, code_or_name: &str) -> Option<&RuleMeta> {
        self.rules
            .iter()
            .find(|r| r.code == code_or_name || r.name == code_or_name)
    }
}

/// The built-in rules, in the order of the pack (the order of `rules.md`).
pub fn load_builtin() -> Vec<RuleMeta> {
    builtin_pack().rules
}

/// The built-in pack. It is trusted but read by the same code as user packs;
/// a unit test keeps it free of errors.
pub fn builtin_pack() -> Pack {
    let (pack, errors) = parse(BUILTIN_FILE, BUILTIN_PACK, BUILTIN_SOURCE_NAME, true);
    debug_assert!(errors.is_empty(), "built-in pack: {errors:#?}");
    pack
}

/// Loads a user rule pack. `source_name` is the path printed in messages
/// that have no span (a pack without `[pack]`).
pub fn load_pack(file: FileId, text: &str, source_name: &str) -> Result<Pack, Vec<Diagnostic>> {
    let (pack, errors) = parse(file, text, source_name, false);
    if errors.is_empty() {
        Ok(pack)
    } else {
        Err(errors)
    }
}

/// Checks that pack names, rule codes and rule names are unique across all
/// packs (the built-in pack included, normally first). Each duplicate is
/// reported at the later definition, related to the first.
pub fn check_unique(packs: &[Pack]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut pack_names: HashMap<&str, &Pack> = HashMap::new();
    let mut codes: HashMap<&str, (&Pack, Span)> = HashMap::new();
    let mut names: HashMap<&str, (&Pack, Span)> = HashMap::new();
    for pack in packs {
        if let Some(first) = pack_names.get(pack.name.as_str()) {
            out.push(duplicate(
                format!("a rule pack named `{}` is already loaded", pack.name),
                pack,
                pack.name_span,
                first,
                first.name_span,
                "pack names must be unique; rename this pack",
            ));
        } else {
            pack_names.insert(&pack.name, pack);
        }
        for (rule, spans) in pack.rules.iter().zip(&pack.rule_spans) {
            if let Some((first, first_span)) = codes.get(rule.code.as_ref()) {
                out.push(duplicate(
                    format!(
                        "rule code `{}` is already used by pack `{}`",
                        rule.code, first.name
                    ),
                    pack,
                    spans.code,
                    first,
                    *first_span,
                    "rule codes must be unique across all packs; pick another code",
                ));
            } else {
                codes.insert(&rule.code, (pack, spans.code));
            }
            if let Some((first, first_span)) = names.get(rule.name.as_ref()) {
                out.push(duplicate(
                    format!(
                        "rule name `{}` is already used by pack `{}`",
                        rule.name, first.name
                    ),
                    pack,
                    spans.name,
                    first,
                    *first_span,
                    "rule names must be unique across all packs; pick another name",
                ));
            } else {
                names.insert(&rule.name, (pack, spans.name));
            }
        }
    }
    out
}

fn duplicate(
    message: String,
    pack: &Pack,
    span: Span,
    first: &Pack,
    first_span: Span,
    help: &str,
) -> Diagnostic {
    let mut d = config_error(message).help(help);
    if !pack.builtin {
        d = d.at(span);
    }
    if !first.builtin {
        d = d.related(first_span, "first defined here");
    }
    d
}

fn config_error(message: impl Into<String>) -> Diagnostic {
    Diagnostic::new("config", "config-error", Severity::Error, message)
}

/// Reads a rule option value of the given kind from TOML: a default in a
/// pack, or a value set in `[lint.options]`. On error, the range (in the
/// TOML text) of the offending value and a message.
pub fn option_value(
    kind: OptionKind,
    value: &Spanned<DeValue<'_>>,
) -> Result<OptionValue, (Range<usize>, String)> {
    let wrong = |what: &str| {
        Err((
            value.span(),
            format!("expected {what}, found {}", describe(value.get_ref())),
        ))
    };
    match (kind, value.get_ref()) {
        (OptionKind::Integer, DeValue::Integer(i)) => i64::from_str_radix(i.as_str(), i.radix())
            .map(OptionValue::Integer)
            .map_err(|_| (value.span(), "integer out of range".to_owned())),
        (OptionKind::Integer, _) => wrong("an integer"),
        (OptionKind::Float, DeValue::Float(f)) => match f.as_str().parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(OptionValue::Float(x)),
            _ => Err((value.span(), "expected a finite number".to_owned())),
        },
        (OptionKind::Float, DeValue::Integer(i)) => i64::from_str_radix(i.as_str(), i.radix())
            .map(|x| OptionValue::Float(x as f64))
            .map_err(|_| (value.span(), "number out of range".to_owned())),
        (OptionKind::Float, _) => wrong("a number"),
        (OptionKind::Bool, DeValue::Boolean(b)) => Ok(OptionValue::Bool(*b)),
        (OptionKind::Bool, _) => wrong("a boolean"),
        (OptionKind::String, DeValue::String(s)) => Ok(OptionValue::String(s.to_string())),
        (OptionKind::String, _) => wrong("a string"),
        (OptionKind::StringList, _) => string_list(value).map(OptionValue::StringList),
        (OptionKind::GroupMap, DeValue::Table(t)) => {
            let mut groups = Vec::new();
            for (key, list) in sorted_entries(t) {
                let entries = string_list(list)?;
                if entries.is_empty() {
                    return Err((
                        list.span(),
                        format!("group `{}` is empty; list at least one role", key.get_ref()),
                    ));
                }
                groups.push((key.get_ref().to_string(), entries));
            }
            Ok(OptionValue::GroupMap(groups))
        }
        (OptionKind::GroupMap, _) => wrong("a table of string arrays"),
    }
}

fn string_list(value: &Spanned<DeValue<'_>>) -> Result<Vec<String>, (Range<usize>, String)> {
    let DeValue::Array(items) = value.get_ref() else {
        return Err((
            value.span(),
            format!(
                "expected an array of strings, found {}",
                describe(value.get_ref())
            ),
        ));
    };
    items
        .iter()
        .map(|item| match item.get_ref() {
            DeValue::String(s) => Ok(s.to_string()),
            other => Err((
                item.span(),
                format!("expected a string, found {}", describe(other)),
            )),
        })
        .collect()
}

/// "a string", "an integer", ...: a TOML value's type for messages.
fn describe(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The entries of a table in the order written (the map itself is sorted by
/// key).
fn sorted_entries<'t, 'i>(
    table: &'t DeTable<'i>,
) -> Vec<(&'t Spanned<Cow<'i, str>>, &'t Spanned<DeValue<'i>>)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

/// Whether `s` is a kebab-case slug: `^[a-z0-9]+(-[a-z0-9]+)*$`.
pub fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Whether `s` is a rule code: `^[A-Z]{2,6}[0-9]{3}$`.
pub fn is_rule_code(s: &str) -> bool {
    let letters = s.bytes().take_while(u8::is_ascii_uppercase).count();
    let rest = s.get(letters..).unwrap_or("");
    (2..=6).contains(&letters) && rest.len() == 3 && rest.bytes().all(|b| b.is_ascii_digit())
}
