//! Rule metadata: what `rules`, `explain`, SARIF and the docs say about each
//! rule. Filled from the rule packs in `rules/` (built in) and from user packs.

use std::borrow::Cow;

use crate::diagnostic::Severity;

/// The type of a rule option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    Integer,
    Float,
    Bool,
    String,
    StringList,
    /// A table of string lists, e.g. TEAM001's `require`.
    GroupMap,
}

impl OptionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OptionKind::Integer => "integer",
            OptionKind::Float => "float",
            OptionKind::Bool => "bool",
            OptionKind::String => "string",
            OptionKind::StringList => "string-list",
            OptionKind::GroupMap => "group-map",
        }
    }

    pub fn parse(s: &str) -> Option<OptionKind> {
        Some(match s {
            "integer" => OptionKind::Integer,
            "float" => OptionKind::Float,
            "bool" => OptionKind::Bool,
            "string" => OptionKind::String,
            "string-list" => OptionKind::StringList,
            "group-map" => OptionKind::GroupMap,
            _ => return None,
        })
    }

    pub const ALL: [&'static str; 6] = [
        "integer",
        "float",
        "bool",
        "string",
        "string-list",
        "group-map",
    ];
}

/// A value of a rule option (a default, or what the config sets).
#[derive(Clone, Debug, PartialEq)]
pub enum OptionValue {
    Integer(i64),
    Float(f64),
    Bool(bool),
    String(String),
    StringList(Vec<String>),
    /// Group name -> entries, in the order written.
    GroupMap(Vec<(String, Vec<String>)>),
}

#[derive(Clone, Debug)]
pub struct OptionMeta {
    pub name: String,
    pub kind: OptionKind,
    pub default: OptionValue,
    pub description: String,
}

/// How a rule is implemented.
#[derive(Clone, Debug)]
pub enum Implementation {
    /// A native check in `src/rules`, by its check name.
    Native(String),
    /// A user rule in CEL (compiled by the pack loader).
    Cel(usize),
}

/// Everything known about one rule.
#[derive(Clone, Debug)]
pub struct RuleMeta {
    pub code: Cow<'static, str>,
    pub name: Cow<'static, str>,
    pub severity: Severity,
    pub summary: String,
    pub rationale: String,
    /// The citation: document and section of the guidance.
    pub source: String,
    pub help: Option<String>,
    /// The pack the rule comes from.
    pub pack: String,
    pub options: Vec<OptionMeta>,
    /// A small org file (TOML) on which the rule fires.
    pub example_fail: Option<String>,
    /// The same example, fixed.
    pub example_pass: Option<String>,
    pub implementation: Implementation,
}
