//! The one diagnostic type every stage produces and every reporter reads.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::source::{SourceMap, Span};

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// The kinds of things an org file defines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    Organisation,
    Post,
    Accountability,
    Person,
    Team,
    Service,
    Body,
    Supplier,
    Role,
}

impl EntityKind {
    /// The word used in messages and in json output.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Organisation => "organisation",
            EntityKind::Post => "post",
            EntityKind::Accountability => "accountability",
            EntityKind::Person => "person",
            EntityKind::Team => "team",
            EntityKind::Service => "service",
            EntityKind::Body => "governance body",
            EntityKind::Supplier => "supplier",
            EntityKind::Role => "role",
        }
    }

    /// The kind's name in machine-readable output (json, SARIF, CEL):
    /// `for-each` names, plus `post`, `accountability` and `role`.
    pub fn key(self) -> &'static str {
        match self {
            EntityKind::Body => "body",
            other => other.as_str(),
        }
    }

    /// The top-level table that defines entities of this kind.
    pub fn table(self) -> &'static str {
        match self {
            EntityKind::Organisation => "organisation",
            EntityKind::Post => "posts",
            EntityKind::Accountability => "accountabilities",
            EntityKind::Person => "people",
            EntityKind::Team => "teams",
            EntityKind::Service => "services",
            EntityKind::Body => "governance",
            EntityKind::Supplier => "suppliers",
            EntityKind::Role => "roles",
        }
    }
}

/// The entity a finding is about: `[teams.alpha]` is `(Team, "alpha")`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityRef {
    pub kind: EntityKind,
    pub id: String,
}

/// A labelled span. The primary label of a diagnostic says what is wrong at
/// that place; related labels point at the other places involved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub text: Option<String>,
}

/// How a finding was suppressed, when it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppressed {
    /// The reason given after `--` (empty when none was given).
    pub justification: String,
}

/// One finding.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub code: Cow<'static, str>,
    pub name: Cow<'static, str>,
    pub severity: Severity,
    pub message: String,
    /// The place the finding is about; `None` for findings about the whole
    /// organisation (ORG005).
    pub primary: Option<Label>,
    pub related: Vec<Label>,
    pub help: Option<String>,
    pub entity: Option<EntityRef>,
    /// The key inside the entity the finding points at (`owner`,
    /// `members`), for fingerprints that survive moved lines.
    pub key: Option<Cow<'static, str>>,
    pub suppressed: Option<Suppressed>,
}

impl Diagnostic {
    pub fn new(
        code: impl Into<Cow<'static, str>>,
        name: impl Into<Cow<'static, str>>,
        severity: Severity,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code: code.into(),
            name: name.into(),
            severity,
            message: message.into(),
            primary: None,
            related: Vec::new(),
            help: None,
            entity: None,
            key: None,
            suppressed: None,
        }
    }

    pub fn at(mut self, span: Span) -> Self {
        self.primary = Some(Label { span, text: None });
        self
    }

    pub fn at_labelled(mut self, span: Span, text: impl Into<String>) -> Self {
        self.primary = Some(Label {
            span,
            text: Some(text.into()),
        });
        self
    }

    pub fn related(mut self, span: Span, text: impl Into<String>) -> Self {
        self.related.push(Label {
            span,
            text: Some(text.into()),
        });
        self
    }

    pub fn help(mut self, text: impl Into<String>) -> Self {
        self.help = Some(text.into());
        self
    }

    pub fn entity(mut self, kind: EntityKind, id: impl AsRef<str>) -> Self {
        self.entity = Some(EntityRef {
            kind,
            id: id.as_ref().to_owned(),
        });
        self
    }

    pub fn key(mut self, key: impl Into<Cow<'static, str>>) -> Self {
        self.key = Some(key.into());
        self
    }

    pub fn span(&self) -> Option<Span> {
        self.primary.as_ref().map(|l| l.span)
    }

    /// Whether any text of the diagnostic has a control character.
    pub fn has_controls(&self) -> bool {
        let texts = std::iter::once(&self.message).chain(&self.help).chain(
            self.primary
                .iter()
                .chain(&self.related)
                .filter_map(|l| l.text.as_ref()),
        );
        texts.into_iter().any(|t| t.chars().any(char::is_control))
    }

    /// Escapes control characters in every text of the diagnostic, so that a
    /// value quoted from an org file cannot move the cursor, clear the
    /// screen or split a line of a report.
    pub fn escape_controls(&mut self) {
        fn fix(s: &mut String) {
            if s.chars().any(char::is_control) {
                *s = escape_controls(s);
            }
        }
        fix(&mut self.message);
        if let Some(h) = &mut self.help {
            fix(h);
        }
        for label in self.primary.iter_mut().chain(self.related.iter_mut()) {
            if let Some(t) = &mut label.text {
                fix(t);
            }
        }
    }
}

/// `s` with each control character written as `\u{..}`.
pub fn escape_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Compares two `/`-separated paths component by component, so that
/// `a/b.toml` sorts before `a-c.toml` and `a.toml`.
pub fn compare_paths(a: &str, b: &str) -> Ordering {
    a.split('/').cmp(b.split('/'))
}

/// Sorts diagnostics into report order. Span positions are computed once per
/// diagnostic, not once per comparison.
pub fn sort(sources: &SourceMap, diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_cached_key(|d| SortKey::of(sources, d));
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct SortKey {
    spanned: bool,
    path: Vec<String>,
    line: u32,
    column: u32,
    code: String,
    end: u32,
    message: String,
}

impl SortKey {
    fn of(sources: &SourceMap, d: &Diagnostic) -> SortKey {
        let (path, line, column, end) = match d.span().and_then(|s| Some((s, sources.get(s.file)?)))
        {
            Some((span, file)) => {
                let lc = file.line_col(span.start);
                (
                    file.display.split('/').map(str::to_owned).collect(),
                    lc.line,
                    lc.column,
                    span.end,
                )
            }
            None => (Vec::new(), 0, 0, 0),
        };
        SortKey {
            spanned: d.span().is_some(),
            path,
            line,
            column,
            code: d.code.to_string(),
            end,
            message: d.message.clone(),
        }
    }
}
