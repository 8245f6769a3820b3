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

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, EntityKind, Severity};
use crate::registry::{Implementation, OptionKind, OptionMeta, OptionValue, RuleMeta};
use crate::source::{FileId, Span};
use crate::suggest;

/// The built-in rule pack, embedded at build time.
pub const BUILTIN_PACK: &str = include_str!("../rules/builtin.toml");

/// The DDaT role catalogue, embedded at build time.
pub const ROLE_CATALOGUE: &str = include_str!("../rules/ddat-roles.toml");

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

/// The keys of each entity kind an `at` may name (the org file format).
fn entity_keys(kind: EntityKind) -> &'static [&'static str] {
    match kind {
        EntityKind::Organisation => &["name", "operating-model"],
        EntityKind::Person => &[
            "name",
            "role",
            "level",
            "employment",
            "supplier",
            "reports-to",
        ],
        EntityKind::Team => &[
            "name",
            "mode",
            "phase",
            "services",
            "members",
            "lead",
            "managed-by",
        ],
        EntityKind::Service => &[
            "name",
            "owner",
            "decision-rights",
            "user-needs",
            "internal-systems",
            "funding",
            "procurement",
            "managed-by",
        ],
        EntityKind::Body => &[
            "name", "parent", "area", "decision", "owner", "members", "remit",
        ],
        EntityKind::Supplier => &["name", "kind"],
        EntityKind::Post | EntityKind::Accountability | EntityKind::Role => &[],
    }
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
const OPTION_KEYS: &[&str] = &["type", "default", "description"];
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

/// Maps a byte range of a decoded TOML string back into the file: `value`
/// is the span of the string value (quotes included) in `source`, and
/// `inner` a range in the decoded text `decoded`. Escapes and line-ending
/// backslashes are followed; when the source does not decode to `decoded`
/// (or the range is out of bounds), the whole value span is returned.
pub fn span_in_string(source: &str, value: Span, decoded: &str, inner: Range<usize>) -> Span {
    let fallback = value;
    let Some(raw) = source.get(value.range()) else {
        return fallback;
    };
    let Some(map) = decode_map(raw) else {
        return fallback;
    };
    if map.text != decoded || inner.start > inner.end {
        return fallback;
    }
    let at = |i: usize| map.offsets.get(i).copied();
    let (Some(start), Some(end)) = (at(inner.start), at(inner.end)) else {
        return fallback;
    };
    let base = value.start as usize;
    Span::new(value.file, base + start, base + end)
}

struct DecodeMap {
    text: String,
    /// For each byte of `text` (and one past the end): its offset in the raw
    /// value.
    offsets: Vec<usize>,
}

/// Decodes a raw TOML string value (with its quotes), recording where each
/// decoded byte came from.
fn decode_map(raw: &str) -> Option<DecodeMap> {
    let (open, literal) = if raw.starts_with("\"\"\"") {
        ("\"\"\"", false)
    } else if raw.starts_with("'''") {
        ("'''", true)
    } else if raw.starts_with('"') {
        ("\"", false)
    } else if raw.starts_with('\'') {
        ("'", true)
    } else {
        return None;
    };
    let multiline = open.len() == 3;
    let body_end = raw.len().checked_sub(open.len())?;
    let mut pos = open.len();
    if body_end < pos || !raw.get(body_end..)?.starts_with(open) {
        return None;
    }
    if multiline {
        // A newline right after the opening delimiter is trimmed.
        let rest = raw.get(pos..body_end)?;
        if rest.starts_with("\r\n") {
            pos += 2;
        } else if rest.starts_with('\n') {
            pos += 1;
        }
    }
    let body = raw.get(pos..body_end)?;
    let mut text = String::with_capacity(body.len());
    let mut offsets = Vec::with_capacity(body.len() + 1);
    let push = |text: &mut String, offsets: &mut Vec<usize>, c: char, from: usize| {
        for _ in 0..c.len_utf8() {
            offsets.push(from);
        }
        text.push(c);
    };
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let from = pos + i;
        if literal || c != '\\' {
            push(&mut text, &mut offsets, c, from);
            continue;
        }
        let (_, e) = chars.next()?;
        let simple = match e {
            'b' => Some('\u{8}'),
            't' => Some('\t'),
            'n' => Some('\n'),
            'f' => Some('\u{c}'),
            'r' => Some('\r'),
            'e' => Some('\u{1b}'),
            '"' => Some('"'),
            '\\' => Some('\\'),
            _ => None,
        };
        if let Some(s) = simple {
            push(&mut text, &mut offsets, s, from);
            continue;
        }
        let digits = match e {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            _ => 0,
        };
        if digits > 0 {
            let mut hex = String::new();
            for _ in 0..digits {
                hex.push(chars.next()?.1);
            }
            let c = char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?;
            push(&mut text, &mut offsets, c, from);
            continue;
        }
        if multiline && e.is_whitespace() {
            // A line-ending backslash: skip all whitespace and newlines.
            while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
            continue;
        }
        return None;
    }
    offsets.push(body_end);
    Some(DecodeMap { text, offsets })
}

/// Parses a pack; the pack is complete only when no errors were returned.
fn parse(file: FileId, text: &str, source_name: &str, trusted: bool) -> (Pack, Vec<Diagnostic>) {
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

    /// `[rules.options.NAME]` tables of a native rule.
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
            if let (Some(kind), Some(default), Some((description, _))) =
                (kind, default, description)
            {
                out.push(OptionMeta {
                    name,
                    kind,
                    default,
                    description,
                });
            }
        }
        out
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
            let keys = entity_keys(kind);
            if !keys.contains(&key.as_str()) {
                let snake = key.replace('_', "-");
                let help = if keys.contains(&snake.as_str()) {
                    Some(format!("keys are kebab-case, as in the file: `{snake}`"))
                } else {
                    suggest::help(key, keys.iter().copied()).or_else(|| {
                        Some(format!(
                            "a {} has {}",
                            kind_word(kind),
                            suggest::one_of(keys)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules of `rules.md`, in its order, with their default severity.
    const RULES_MD: &[(&str, &str, Severity)] = &[
        ("ORG001", "unknown-reference", Severity::Error),
        ("ORG002", "duplicate-definition", Severity::Error),
        ("ORG003", "reporting-cycle", Severity::Error),
        ("ORG004", "unknown-role", Severity::Error),
        ("ORG005", "missing-organisation", Severity::Error),
        ("ORG006", "lead-not-member", Severity::Error),
        ("ORG007", "unassigned-person", Severity::Info),
        ("ORG008", "invalid-file", Severity::Error),
        ("LEAD001", "single-professional-lead", Severity::Error),
        ("LEAD002", "digital-services-director", Severity::Warning),
        ("LEAD003", "chief-technology-officer", Severity::Warning),
        ("LEAD004", "shared-accountability", Severity::Error),
        (
            "LEAD005",
            "leads-report-to-professional-lead",
            Severity::Warning,
        ),
        ("GOV001", "governance-layers", Severity::Warning),
        ("GOV002", "stacked-consensus", Severity::Error),
        ("GOV003", "accountable-owner", Severity::Error),
        ("GOV004", "overlapping-bodies", Severity::Warning),
        (
            "GOV005",
            "spend-control-outside-director",
            Severity::Warning,
        ),
        ("OWN001", "service-owner", Severity::Error),
        ("OWN002", "owner-decision-rights", Severity::Warning),
        ("OWN003", "owner-in-government", Severity::Error),
        ("OWN004", "department-ownership", Severity::Error),
        ("OWN005", "owner-reports-to-director", Severity::Warning),
        ("OWN006", "owner-overloaded", Severity::Info),
        ("TEAM001", "core-roles", Severity::Warning),
        ("TEAM002", "stability-innovation-split", Severity::Warning),
        ("TEAM003", "government-in-control", Severity::Error),
        ("TEAM004", "supplier-majority", Severity::Warning),
        ("TEAM005", "team-without-service", Severity::Warning),
        ("MODEL001", "operating-model-declared", Severity::Warning),
        (
            "MODEL002",
            "project-funding-in-product-model",
            Severity::Warning,
        ),
        ("NEED001", "user-needs", Severity::Warning),
        ("NEED002", "best-value-procurement", Severity::Warning),
        ("META001", "unused-suppression", Severity::Warning),
        ("META002", "suppression-without-reason", Severity::Error),
        ("META003", "expired-suppression", Severity::Warning),
    ];

    const FILE: FileId = FileId(7);

    fn load(text: &str) -> Result<Pack, Vec<Diagnostic>> {
        load_pack(FILE, text, "rules/local.toml")
    }

    fn load_err(text: &str) -> Vec<Diagnostic> {
        match load(text) {
            Ok(pack) => panic!("expected errors, loaded {pack:#?}"),
            Err(e) => e,
        }
    }

    /// The text under a diagnostic's primary span.
    fn at<'a>(text: &'a str, d: &Diagnostic) -> &'a str {
        let span = d.span().expect("a span");
        assert_eq!(span.file, FILE);
        &text[span.range()]
    }

    const GOOD: &str = r#"
[pack]
name = "acme-local"
description = "House rules"

[[rules]]
code = "ACME001"
name = "service-funding-declared"
severity = "warning"
summary = "Every service declares how it is funded"
source = "Acme service standard, point 4"
for-each = "service"
when = "service.internal_systems"
assert = "has(service.funding)"
message = "service `{id}` ({name}) does not say how it is funded"
at = "funding"
help = "Add funding."
"#;

    #[test]
    fn builtin_loads_without_errors() {
        let (pack, errors) = parse(BUILTIN_FILE, BUILTIN_PACK, BUILTIN_SOURCE_NAME, true);
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(pack.name, "orglint");
        assert!(pack.builtin);
        assert!(pack.cel.is_empty());
        assert_eq!(pack.rules.len(), 36);
        assert_eq!(pack.rule_spans.len(), 36);
    }

    #[test]
    fn builtin_has_every_rule_of_rules_md_in_order() {
        let rules = load_builtin();
        let got: Vec<(&str, &str, Severity)> = rules
            .iter()
            .map(|r| (r.code.as_ref(), r.name.as_ref(), r.severity))
            .collect();
        assert_eq!(got, RULES_MD);
        for rule in &rules {
            match &rule.implementation {
                Implementation::Native(check) => assert_eq!(check, &rule.name),
                Implementation::Cel(_) => panic!("{} is not native", rule.code),
            }
            assert_eq!(rule.pack, "orglint");
            for (what, text) in [
                ("summary", &rule.summary),
                ("rationale", &rule.rationale),
                ("source", &rule.source),
            ] {
                assert!(!text.trim().is_empty(), "{} has no {what}", rule.code);
            }
            assert!(rule.help.is_some(), "{} has no help", rule.code);
            assert!(
                rule.rationale.split(". ").count() >= 2,
                "{}: a short rationale",
                rule.code
            );
            assert!(
                !rule.summary.ends_with('.'),
                "{}: summary is one line",
                rule.code
            );
        }
    }

    #[test]
    fn builtin_checks_are_known_natives() {
        for rule in load_builtin() {
            if let Implementation::Native(check) = &rule.implementation {
                assert!(
                    crate::rules::native(check).is_some(),
                    "no native check `{check}`"
                );
            }
        }
    }

    #[test]
    fn builtin_citations_name_the_guidance() {
        for rule in load_builtin() {
            let family = rule.code.trim_end_matches(|c: char| c.is_ascii_digit());
            let expect: &[&str] = match family {
                "LEAD" => &["operating models", "playbook §1"],
                "GOV" => &["playbook §4"],
                "OWN" => &["playbook §"],
                "TEAM" => &["playbook §3", "operating models"],
                "MODEL" => &["operating models"],
                "NEED" => &["playbook §5"],
                _ => &["orglint"],
            };
            assert!(
                expect.iter().any(|e| rule.source.contains(e)),
                "{}: {}",
                rule.code,
                rule.source
            );
        }
    }

    #[test]
    fn builtin_options() {
        let rules = load_builtin();
        let option = |code: &str, name: &str| {
            let rule = rules.iter().find(|r| r.code == code).expect("rule");
            let option = rule
                .options
                .iter()
                .find(|o| o.name == name)
                .expect("option");
            assert!(!option.description.is_empty());
            (option.kind, option.default.clone())
        };
        assert_eq!(
            option("GOV001", "max-layers"),
            (OptionKind::Integer, OptionValue::Integer(2))
        );
        assert_eq!(
            option("OWN006", "max-services"),
            (OptionKind::Integer, OptionValue::Integer(3))
        );
        assert_eq!(
            option("TEAM004", "max-supplier-share"),
            (OptionKind::Float, OptionValue::Float(0.5))
        );
        let (kind, require) = option("TEAM001", "require");
        assert_eq!(kind, OptionKind::GroupMap);
        let group = |name: &str, roles: &[&str]| {
            (
                name.to_owned(),
                roles.iter().map(|r| (*r).to_owned()).collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            require,
            OptionValue::GroupMap(vec![
                group("product", &["product-manager"]),
                group("delivery", &["delivery-manager"]),
                group("user-research", &["user-researcher"]),
                group(
                    "design",
                    &[
                        "interaction-designer",
                        "service-designer",
                        "graphic-designer"
                    ]
                ),
                group("content", &["content-designer"]),
                group(
                    "development",
                    &[
                        "software-developer",
                        "devops-engineer",
                        "frontend-developer"
                    ]
                ),
                group(
                    "technical-lead",
                    &[
                        "technical-architect",
                        "solution-architect",
                        "software-developer@lead",
                        "devops-engineer@lead",
                        "frontend-developer@lead",
                    ]
                ),
            ])
        );
        let with_options: Vec<&str> = rules
            .iter()
            .filter(|r| !r.options.is_empty())
            .map(|r| r.code.as_ref())
            .collect();
        assert_eq!(with_options, ["GOV001", "OWN006", "TEAM001", "TEAM004"]);
    }

    #[test]
    fn builtin_examples_are_valid_toml_of_the_org_format() {
        let tables = [
            "organisation",
            "posts",
            "accountabilities",
            "people",
            "teams",
            "services",
            "governance",
            "suppliers",
            "roles",
        ];
        for rule in load_builtin() {
            for example in [&rule.example_fail, &rule.example_pass] {
                let example = example.as_deref().expect("an example");
                let lines = example.lines().count();
                assert!((1..=40).contains(&lines), "{}: {lines} lines", rule.code);
                let root = DeTable::parse(example)
                    .unwrap_or_else(|e| panic!("{}: {e}\n{example}", rule.code));
                for (key, _) in root.get_ref().iter() {
                    assert!(
                        tables.contains(&key.get_ref().as_ref()),
                        "{}: {key:?}",
                        rule.code
                    );
                }
            }
            assert_ne!(rule.example_fail, rule.example_pass, "{}", rule.code);
        }
    }

    #[test]
    fn role_catalogue_is_embedded() {
        let root = DeTable::parse(ROLE_CATALOGUE).expect("valid TOML");
        let roles = root.get_ref().get("roles").expect("[roles]");
        let DeValue::Table(roles) = roles.get_ref() else {
            panic!("roles is a table")
        };
        assert_eq!(roles.len(), 54, "52 roles and two 2017 roles");
    }

    #[test]
    fn user_pack_loads_a_cel_rule_with_spans() {
        let pack = load(GOOD).expect("loads");
        assert_eq!(pack.name, "acme-local");
        assert_eq!(pack.description.as_deref(), Some("House rules"));
        assert!(!pack.builtin);
        assert_eq!(&GOOD[pack.name_span.range()], "\"acme-local\"");
        let rule = pack.rules.first().expect("one rule");
        assert_eq!(rule.code, "ACME001");
        assert_eq!(rule.severity, Severity::Warning);
        assert_eq!(rule.pack, "acme-local");
        assert_eq!(rule.source, "Acme service standard, point 4");
        assert!(rule.rationale.is_empty());
        assert!(matches!(rule.implementation, Implementation::Cel(0)));
        let cel = pack.cel.first().expect("cel");
        assert_eq!(cel.code, "ACME001");
        assert_eq!(cel.rule, 0);
        assert_eq!(cel.for_each, EntityKind::Service);
        assert_eq!(cel.assert.0, "has(service.funding)");
        assert_eq!(&GOOD[cel.assert.1.range()], "\"has(service.funding)\"");
        let (when, when_span) = cel.when.as_ref().expect("when");
        assert_eq!(when, "service.internal_systems");
        assert_eq!(&GOOD[when_span.range()], "\"service.internal_systems\"");
        assert_eq!(cel.at.as_deref(), Some("funding"));
        assert_eq!(&GOOD[cel.header.range()], "[[rules]]");
        let spans = pack.rule_spans.first().expect("spans");
        assert_eq!(&GOOD[spans.code.range()], "\"ACME001\"");
        assert_eq!(&GOOD[spans.name.range()], "\"service-funding-declared\"");
    }

    #[test]
    fn unknown_key_gets_did_you_mean() {
        let text = GOOD.replace("assert =", "asert =");
        let errors = load_err(&text);
        let unknown = errors
            .iter()
            .find(|d| d.message.contains("unknown key"))
            .expect("unknown key");
        assert_eq!(unknown.code, "config");
        assert_eq!(unknown.name, "config-error");
        assert_eq!(unknown.severity, Severity::Error);
        assert_eq!(at(&text, unknown), "asert");
        assert_eq!(unknown.help.as_deref(), Some("did you mean `assert`?"));
        // ... and `assert` is then missing, at the [[rules]] header.
        let missing = errors
            .iter()
            .find(|d| d.message == "missing required key `assert`")
            .expect("missing assert");
        assert_eq!(at(&text, missing), "[[rules]]");
        assert_eq!(errors.len(), 2, "{errors:#?}");

        let text = GOOD.replace("description =", "descripton =");
        let errors = load_err(&text);
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(at(&text, &errors[0]), "descripton");
        assert_eq!(
            errors[0].help.as_deref(),
            Some("did you mean `description`?")
        );

        let text = format!("{GOOD}\n[rule]\nx = 1\n");
        let errors = load_err(&text);
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(at(&text, &errors[0]), "rule");
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `rules`?"));
    }

    #[test]
    fn bad_code() {
        for (code, help) in [
            ("acme001", "codes are upper case: `ACME001`"),
            (
                "A001",
                "a code is 2 to 6 capital letters and 3 digits, like `ACME001`",
            ),
            (
                "ACMEACME001",
                "a code is 2 to 6 capital letters and 3 digits, like `ACME001`",
            ),
            (
                "ACME01",
                "a code is 2 to 6 capital letters and 3 digits, like `ACME001`",
            ),
            (
                "ACME0001",
                "a code is 2 to 6 capital letters and 3 digits, like `ACME001`",
            ),
        ] {
            let text = GOOD.replace("\"ACME001\"", &format!("\"{code}\""));
            let errors = load_err(&text);
            assert_eq!(errors.len(), 1, "{errors:#?}");
            assert_eq!(
                errors[0].message,
                format!("`{code}` is not a valid rule code")
            );
            assert_eq!(at(&text, &errors[0]), format!("\"{code}\""));
            assert_eq!(errors[0].help.as_deref(), Some(help));
        }
        for ok in ["AB123", "ABCDEF123", "ACME001"] {
            assert!(is_rule_code(ok), "{ok}");
        }
    }

    #[test]
    fn missing_assert_points_at_the_header() {
        let text = GOOD.replace("assert = \"has(service.funding)\"\n", "");
        let errors = load_err(&text);
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(errors[0].message, "missing required key `assert`");
        assert_eq!(at(&text, &errors[0]), "[[rules]]");
    }

    #[test]
    fn duplicate_name_and_code_in_one_pack() {
        let second = r#"
[[rules]]
code = "ACME002"
name = "service-funding-declared"
severity = "info"
summary = "Again"
for-each = "service"
assert = "true"
message = "x"
"#;
        let text = format!("{GOOD}{second}");
        let errors = load_err(&text);
        assert_eq!(errors.len(), 1, "{errors:#?}");
        let d = &errors[0];
        assert_eq!(
            d.message,
            "rule name `service-funding-declared` is defined twice in this pack"
        );
        let span = d.span().expect("span");
        assert!(span.start as usize > GOOD.len(), "at the second definition");
        assert_eq!(at(&text, d), "\"service-funding-declared\"");
        let related = d.related.first().expect("related");
        assert!(
            (related.span.start as usize) < GOOD.len(),
            "related to the first"
        );

        let text = format!("{GOOD}{}", second.replace("ACME002", "ACME001"));
        let errors = load_err(&text);
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(
            errors[0]
                .message
                .starts_with("rule code `ACME001` is defined twice")
        );
    }

    #[test]
    fn check_and_options_are_only_for_builtin_rules() {
        let text = GOOD.replace("for-each = \"service\"", "check = \"user-needs\"");
        let errors = load_err(&text);
        let d = errors
            .iter()
            .find(|d| d.message.starts_with("`check` is only for built-in rules"))
            .expect("check error");
        assert_eq!(at(&text, d), "check");
        assert_eq!(errors.len(), 1, "one mistake, one error: {errors:#?}");

        let text = format!(
            "{GOOD}\n[rules.options.x]\ntype = \"integer\"\ndefault = 1\ndescription = \"x\"\n"
        );
        let errors = load_err(&text);
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(
            errors[0]
                .message
                .starts_with("`options` are only for built-in rules")
        );
    }

    #[test]
    fn bad_values() {
        let cases: &[(&str, &str, &str, Option<&str>)] = &[
            (
                "severity = \"warning\"",
                "severity = \"warn\"",
                "\"warn\"",
                Some("did you mean `warning`?"),
            ),
            (
                "for-each = \"service\"",
                "for-each = \"services\"",
                "\"services\"",
                Some("did you mean `service`?"),
            ),
            (
                "for-each = \"service\"",
                "for-each = \"governance\"",
                "\"governance\"",
                Some("did you mean `body`?"),
            ),
            (
                "name = \"acme-local\"",
                "name = \"Acme Local\"",
                "\"Acme Local\"",
                Some("use lowercase letters, digits and single hyphens: `acme-local`"),
            ),
            (
                "name = \"service-funding-declared\"",
                "name = \"service_funding\"",
                "\"service_funding\"",
                Some("use lowercase letters, digits and single hyphens: `service-funding`"),
            ),
            (
                "at = \"funding\"",
                "at = \"fundng\"",
                "\"fundng\"",
                Some("did you mean `funding`?"),
            ),
            (
                "at = \"funding\"",
                "at = \"user_needs\"",
                "\"user_needs\"",
                Some("keys are kebab-case, as in the file: `user-needs`"),
            ),
            ("severity = \"warning\"", "severity = 2", "2", None),
            (
                "summary = \"Every service declares how it is funded\"",
                "summary = \" \"",
                "\" \"",
                None,
            ),
            (
                "message = \"service `{id}` ({name}) does not say how it is funded\"",
                "message = \"service {ident} has no funding\"",
                "{ident}",
                Some("did you mean `id`?"),
            ),
        ];
        for (from, to, span, help) in cases {
            let text = GOOD.replacen(from, to, 1);
            assert_ne!(text, GOOD, "{from}");
            let errors = load_err(&text);
            assert_eq!(errors.len(), 1, "{to}: {errors:#?}");
            assert_eq!(at(&text, &errors[0]), *span, "{to}");
            assert_eq!(errors[0].help.as_deref(), *help, "{to}");
        }
    }

    #[test]
    fn structural_errors() {
        let errors = load_err("[[rules]]\ncode = \"A001\"\n");
        let no_pack = errors
            .iter()
            .find(|d| d.message.contains("no `[pack]` table"))
            .expect("no pack");
        assert!(no_pack.span().is_none());
        assert!(no_pack.message.contains("rules/local.toml"));

        let text = "[pack]\nname = \"x\"\n[rules]\ncode = \"A001\"\n";
        let errors = load_err(text);
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(at(text, &errors[0]), "rules");

        let text = "[pack]\nname = \"x\"\nname = \"y\"\n";
        let errors = load_err(text);
        assert!(errors[0].message.starts_with("invalid TOML in rule pack"));
        assert_eq!(at(text, &errors[0]), "name");

        let pack = load("[pack]\nname = \"empty\"\n").expect("a pack without rules");
        assert!(pack.rules.is_empty());
    }

    #[test]
    fn unique_across_packs() {
        let builtin = builtin_pack();
        let clash = GOOD
            .replace("ACME001", "GOV001")
            .replace("service-funding-declared", "user-needs");
        let user = load(&clash).expect("loads alone");
        let again = load(GOOD).expect("loads");
        let other = load(&GOOD.replace("acme-local", "orglint")).expect("loads");
        assert!(check_unique(&[builtin.clone(), again.clone()]).is_empty());

        let found = check_unique(&[builtin.clone(), user]);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(
            found[0].message,
            "rule code `GOV001` is already used by pack `orglint`"
        );
        assert_eq!(at(&clash, &found[0]), "\"GOV001\"");
        assert!(found[0].related.is_empty(), "the built-in pack has no file");
        assert_eq!(
            found[1].message,
            "rule name `user-needs` is already used by pack `orglint`"
        );

        let found = check_unique(&[builtin, again.clone(), again]);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found[0].message.contains("a rule pack named `acme-local`"));
        assert_eq!(found[1].related.len(), 1);

        let found = check_unique(&[builtin_pack(), other]);
        assert!(found[0].message.contains("a rule pack named `orglint`"));
    }

    #[test]
    fn option_values() {
        fn value(text: &str) -> Spanned<DeValue<'_>> {
            let root = DeTable::parse(text).expect("toml");
            root.get_ref().get("v").expect("v").clone()
        }
        assert_eq!(
            option_value(OptionKind::Float, &value("v = 1")),
            Ok(OptionValue::Float(1.0))
        );
        assert_eq!(
            option_value(OptionKind::Integer, &value("v = 0x10")),
            Ok(OptionValue::Integer(16))
        );
        assert_eq!(
            option_value(OptionKind::StringList, &value("v = [\"a\", \"b\"]")),
            Ok(OptionValue::StringList(vec!["a".into(), "b".into()]))
        );
        assert!(option_value(OptionKind::Integer, &value("v = 1.5")).is_err());
        assert!(option_value(OptionKind::Float, &value("v = nan")).is_err());
        let text = "v = { b = [\"x\"], a = [] }";
        let (range, message) =
            option_value(OptionKind::GroupMap, &value(text)).expect_err("empty group");
        assert_eq!(&text[range], "[]");
        assert_eq!(message, "group `a` is empty; list at least one role");
        assert_eq!(
            option_value(
                OptionKind::GroupMap,
                &value("v = { b = [\"x\"], a = [\"y\"] }")
            ),
            Ok(OptionValue::GroupMap(vec![
                ("b".into(), vec!["x".into()]),
                ("a".into(), vec!["y".into()]),
            ])),
            "in the order written"
        );
    }

    #[test]
    fn spans_inside_strings() {
        let file = FileId(1);
        let check = |source: &str, decoded: &str, inner: &str, expect: &str| {
            let start = source.find(['"', '\'']).expect("a string");
            let value = Span::new(file, start, source.len());
            let from = decoded.find(inner).expect("inner");
            let span = span_in_string(source, value, decoded, from..from + inner.len());
            assert_eq!(&source[span.range()], expect, "{source}");
        };
        check(
            r#"a = "has(service.funding)""#,
            "has(service.funding)",
            "funding",
            "funding",
        );
        check(r#"a = 'x.y && z'"#, "x.y && z", "z", "z");
        check(r#"a = "\"q\" == x""#, "\"q\" == x", "x", "x");
        check(r#"a = "\"q\" == x""#, "\"q\" == x", "\"q\"", "\\\"q\\\"");
        check(r#"a = "é\u00e9 + y""#, "éé + y", "y", "y");
        check(
            "a = \"\"\"\nfoo &&\n  bar\"\"\"",
            "foo &&\n  bar",
            "bar",
            "bar",
        );
        check(
            "a = \"\"\"\nfoo && \\\n   bar\"\"\"",
            "foo && bar",
            "bar",
            "bar",
        );
        check("a = '''\r\nfoo'''", "foo", "foo", "foo");
        // A decoded text that does not match: the whole value.
        check(r#"a = "abc""#, "xyz", "y", "\"abc\"");
    }

    /// Every built-in example, linted alone by the whole pipeline: the
    /// failing one has a finding of its rule, the passing one has none.
    #[test]
    fn builtin_examples_fire_and_pass() {
        let dir =
            std::env::temp_dir().join(format!("orglint-pack-examples-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let setup = crate::engine::setup(None, Some(&dir), &Default::default()).expect("setup");
        let today = crate::suppress::Date::parse("2026-01-15").expect("date");
        let mut wrong = Vec::new();
        for rule in load_builtin() {
            for (fails, text) in [(true, &rule.example_fail), (false, &rule.example_pass)] {
                let path = dir.join(format!("{}-{fails}.toml", rule.code));
                std::fs::write(&path, text.as_deref().unwrap_or("")).expect("write");
                let out = crate::engine::check(&setup, std::slice::from_ref(&path), today)
                    .expect("check");
                let fired = out
                    .diagnostics
                    .iter()
                    .any(|d| d.code == rule.code && d.suppressed.is_none());
                if fired != fails {
                    let found: Vec<String> = out
                        .diagnostics
                        .iter()
                        .map(|d| format!("{} {}", d.code, d.message))
                        .collect();
                    wrong.push(format!(
                        "{} example-{}: {found:#?}",
                        rule.code,
                        if fails { "fail" } else { "pass" }
                    ));
                }
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
        assert!(wrong.is_empty(), "{wrong:#?}");
    }
}
