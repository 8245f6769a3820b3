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
    /// The values a numeric option may take (`min` and `max` in the pack);
    /// unbounded for the others.
    pub range: OptionRange,
}

impl OptionMeta {
    /// The type with the range, for documentation: "integer from 1 up",
    /// "float from 0 to 1", "string-list".
    pub fn type_text(&self) -> String {
        match self.range.text() {
            Some(range) => format!("{} {range}", self.kind.as_str()),
            None => self.kind.as_str().to_owned(),
        }
    }
}

/// A bound of a numeric option's range: an integer for an integer option,
/// a number for a float option.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bound {
    Integer(i64),
    Float(f64),
}

impl Bound {
    /// As a number in prose: `1`, `0.5` (never `1.0`).
    pub fn text(self) -> String {
        match self {
            Bound::Integer(n) => n.to_string(),
            Bound::Float(f) => f.to_string(),
        }
    }

    /// How `value` compares with the bound (`Less`: below it); `None` when
    /// they do not compare (NaN, or a value that is not a number).
    pub fn compare(self, value: &OptionValue) -> Option<std::cmp::Ordering> {
        match (value, self) {
            (OptionValue::Integer(n), Bound::Integer(b)) => Some(n.cmp(&b)),
            (OptionValue::Integer(n), Bound::Float(b)) => (*n as f64).partial_cmp(&b),
            (OptionValue::Float(f), Bound::Integer(b)) => f.partial_cmp(&(b as f64)),
            (OptionValue::Float(f), Bound::Float(b)) => f.partial_cmp(&b),
            _ => None,
        }
    }

    /// The bound as an option value of the same type.
    pub fn value(self) -> OptionValue {
        match self {
            Bound::Integer(n) => OptionValue::Integer(n),
            Bound::Float(f) => OptionValue::Float(f),
        }
    }
}

/// The inclusive range of a numeric option. The default (no bounds) takes
/// any value of the option's type.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct OptionRange {
    pub min: Option<Bound>,
    pub max: Option<Bound>,
}

impl OptionRange {
    /// Whether `value` is within the range, both ends included. A number
    /// that does not compare (NaN) is outside any bounded range; a value
    /// that is not a number is within (its type is checked elsewhere).
    pub fn contains(&self, value: &OptionValue) -> bool {
        if !matches!(value, OptionValue::Integer(_) | OptionValue::Float(_)) {
            return true;
        }
        let above_min = self.min.is_none_or(|min| {
            matches!(
                min.compare(value),
                Some(std::cmp::Ordering::Greater | std::cmp::Ordering::Equal)
            )
        });
        let below_max = self.max.is_none_or(|max| {
            matches!(
                max.compare(value),
                Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)
            )
        });
        above_min && below_max
    }

    /// The range in prose: "from 1 up", "from 0 to 1", "up to 10"; `None`
    /// when unbounded.
    pub fn text(&self) -> Option<String> {
        match (self.min, self.max) {
            (Some(min), Some(max)) => Some(format!("from {} to {}", min.text(), max.text())),
            (Some(min), None) => Some(format!("from {} up", min.text())),
            (None, Some(max)) => Some(format!("up to {}", max.text())),
            (None, None) => None,
        }
    }

    /// What a value must be, for messages: "a positive integer", "a number
    /// from 0 to 1", "an integer of at least 2"...; `None` when unbounded.
    pub fn expected(&self, kind: OptionKind) -> Option<String> {
        let noun = match kind {
            OptionKind::Integer => "integer",
            _ => "number",
        };
        let article = if noun == "integer" { "an" } else { "a" };
        Some(match (self.min, self.max) {
            (Some(Bound::Integer(1)), None) if kind == OptionKind::Integer => {
                "a positive integer".to_owned()
            }
            (Some(Bound::Integer(0)), None) if kind == OptionKind::Integer => {
                "a non-negative integer".to_owned()
            }
            (Some(min), Some(max)) => {
                format!("{article} {noun} from {} to {}", min.text(), max.text())
            }
            (Some(min), None) => format!("{article} {noun} of at least {}", min.text()),
            (None, Some(max)) => format!("{article} {noun} of at most {}", max.text()),
            (None, None) => return None,
        })
    }
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
