//! User rules written in CEL (the Common Expression Language), from the rule
//! packs named in `[lint] packs`.
//!
//! # Compiling
//!
//! [`compile`] runs once, while the configuration is loaded: every rule's
//! `when` and `assert` is parsed with the `cel` crate. Whatever is wrong is a
//! `config` error (the CLI exits 2) with a span inside the TOML string of the
//! pack: a syntax error, a variable other than the entity's kind and `org`,
//! a key the entity or `org` does not have (`has(service.fundng)` would
//! otherwise be false forever), or an expression over a limit.
//!
//! # Limits
//!
//! An expression is refused, before the parser sees it, when it is
//!
//! - longer than [`MAX_BYTES`] (4,096 bytes);
//! - nested deeper than [`MAX_NESTING`] (32 levels): each `(`, `[` and `{`,
//!   and each conditional `a ? b : c`, opens a level;
//! - made of more than [`MAX_OPERATORS`] (512) operators: member accesses,
//!   indexes, calls, arithmetic, comparisons, `in`, `!` and `?` count;
//!   `&&` and `||` do not.
//!
//! The parser and the interpreter recurse once per level of the syntax tree,
//! and these limits bound its depth, so a pack cannot exhaust the stack;
//! compiling and evaluating also run on threads with a large stack
//! ([`STACK_SIZE`]), as a debug build needs far more stack per level. Strings
//! and `//` comments do not count towards the nesting and the operators.
//! Expressions have no I/O. The limits bound the size of an expression, not
//! the work it asks for: a comprehension over `org.people` inside a rule for
//! each person is quadratic, and it is the pack author's to avoid.
//!
//! # What an expression sees
//!
//! The entity under its kind's name (`service`, `team`, `person`, `body`,
//! `supplier`, `organisation`) and the whole model as `org`; see
//! [`bind`](self::bind) for the keys. Functions: the CEL standard library,
//! with `matches` (RE2 syntax) compiling each pattern once per thread.
//!
//! Nothing is serialised: values are built straight into the interpreter's
//! value types, borrowing every string from the model, and only what the
//! enabled rules read. Each entity's map is built once per run: in `org`
//! when a rule reads that key of `org` (the binding of the entity then
//! shares it), else just before the rules of its kind run on it. No CEL
//! rule, no cost: [`run`] returns at once.
//!
//! # Evaluating
//!
//! [`run`] evaluates every enabled rule on every entity of its kind, in
//! parallel over the entities. `when` false skips the entity; `assert` false
//! is a finding. A result that is not a bool, or an error, is a finding of
//! the rule at the entity ("could not evaluate `assert`: ..."), never a
//! silent pass.

mod analyse;
pub mod bind;
mod eval;
mod functions;
pub mod limits;

use std::ops::Range;
use std::sync::Arc;

use cel::{Env, Program};

use crate::diagnostic::{Diagnostic, EntityKind, Severity};
use crate::engine::Setup;
use crate::model::Model;
use crate::pack::{self, CelRuleSource, Pack};
use crate::source::{SourceMap, Span};

pub use limits::{MAX_BYTES, MAX_NESTING, MAX_OPERATORS};

/// The stack of the threads that compile and evaluate expressions. Only what
/// is used is committed; a release build needs well under a tenth of it for
/// the largest expression the limits let through.
pub const STACK_SIZE: usize = 64 << 20;

/// The compiled CEL rules of a run.
#[derive(Default)]
pub struct Programs {
    rules: Vec<CompiledRule>,
    /// The CEL environment ([`functions::env`]), built once when there are rules.
    env: Option<Arc<Env>>,
}

impl std::fmt::Debug for Programs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Programs")
            .field("rules", &self.rules)
            .finish_non_exhaustive()
    }
}

impl Programs {
    /// The number of compiled rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

/// One rule, compiled.
#[derive(Debug)]
struct CompiledRule {
    code: String,
    kind: EntityKind,
    /// The name the entity is bound under.
    var: &'static str,
    when: Option<Program>,
    assert: Program,
    message: String,
    /// The kebab-case key to point at.
    at: Option<String>,
    /// The parts of `org` the rule reads.
    org: bind::OrgParts,
    /// Whether it needs `org` as one map.
    org_whole: bool,
    /// The keys `when` and `assert` read on the entity.
    keys: bind::KeySet,
}

/// Compiles the CEL rules of `packs`. Spans inside a TOML string are exact
/// when the string has no escapes; see [`compile_with_sources`].
pub fn compile(packs: &[Pack]) -> Result<Programs, Vec<Diagnostic>> {
    compile_in(packs, None)
}

/// Like [`compile`], with the pack files (as loaded into `sources`) to map
/// positions exactly inside strings that have escapes too.
pub fn compile_with_sources(
    packs: &[Pack],
    sources: &SourceMap,
) -> Result<Programs, Vec<Diagnostic>> {
    compile_in(packs, Some(sources))
}

/// Evaluates the enabled CEL rules on the model. The findings are in no
/// particular order.
pub fn run(setup: &Setup, model: &Model, _sources: &SourceMap) -> Vec<Diagnostic> {
    let programs = &setup.cel;
    let Some(env) = &programs.env else {
        return Vec::new();
    };
    let settings = &setup.settings;
    let active: Vec<eval::Active<'_>> = programs
        .rules
        .iter()
        .filter_map(|rule| {
            let i = setup.rule_index(&rule.code)?;
            if !(settings.has_overrides() || settings.enabled(i)) {
                return None;
            }
            Some(eval::Active {
                rule,
                meta: setup.rules.get(i)?,
            })
        })
        .collect();
    if active.is_empty() {
        return Vec::new();
    }
    eval::run(&active, model, env)
}

fn compile_in(packs: &[Pack], sources: Option<&SourceMap>) -> Result<Programs, Vec<Diagnostic>> {
    if packs.iter().all(|p| p.cel.is_empty()) {
        return Ok(Programs::default());
    }
    let locator = Locator { sources };
    let work = move || compile_all(packs, locator, Arc::new(functions::env()));
    // The parser recurses deeply in a debug build: give it room.
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("orglint-cel".to_owned())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, work)
        {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(vec![config_error(
                    "the CEL compiler failed on a rule pack".to_owned(),
                )])
            }),
            Err(_) => work(),
        }
    })
}

fn compile_all(
    packs: &[Pack],
    locator: Locator<'_>,
    env: Arc<Env>,
) -> Result<Programs, Vec<Diagnostic>> {
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for source in packs.iter().flat_map(|p| &p.cel) {
        if let Some(rule) = compile_rule(source, locator, &env, &mut errors) {
            rules.push(rule);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Programs {
        rules,
        env: Some(env),
    })
}

fn compile_rule(
    source: &CelRuleSource,
    locator: Locator<'_>,
    env: &Env,
    errors: &mut Vec<Diagnostic>,
) -> Option<CompiledRule> {
    let var = pack::FOR_EACH
        .iter()
        .find(|(_, kind)| *kind == source.for_each)
        .map(|(name, _)| *name)?;
    let expr = Expr {
        code: &source.code,
        kind: source.for_each,
        var,
        locator,
        env,
    };
    let when = source
        .when
        .as_ref()
        .map(|(text, span)| expr.compile("when", text, *span, errors));
    let (text, span) = &source.assert;
    let assert = expr.compile("assert", text, *span, errors);
    let (when, when_uses) = match when {
        None => (None, None),
        Some(Some((program, uses))) => (Some(program), Some(uses)),
        Some(None) => return None,
    };
    let (assert, uses) = assert?;
    let (when_org, when_whole, when_keys) = when_uses.map_or(
        (bind::OrgParts::default(), false, bind::KeySet::default()),
        |u| (u.org, u.org_whole, u.keys),
    );
    Some(CompiledRule {
        code: source.code.clone(),
        kind: source.for_each,
        var,
        when,
        assert,
        message: source.message.clone(),
        at: source.at.clone(),
        org: uses.org.union(when_org),
        org_whole: uses.org_whole || when_whole,
        keys: uses.keys.union(when_keys),
    })
}

/// What is needed to compile one expression of a rule.
struct Expr<'a> {
    code: &'a str,
    kind: EntityKind,
    var: &'static str,
    locator: Locator<'a>,
    env: &'a Env,
}

impl Expr<'_> {
    /// Compiles and checks `text` (the string at `value` in the pack); on
    /// failure, the errors are pushed and `None` returned.
    fn compile(
        &self,
        what: &str,
        text: &str,
        value: Span,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<(Program, analyse::Uses)> {
        let error = |message: String, at: Option<Range<usize>>, help: Option<String>| {
            let mut message = format!("rule {}, `{what}`: {message}", self.code);
            let span = match at {
                None => value,
                Some(range) => {
                    let (span, exact) = self.locator.locate(value, text, range.clone());
                    if !exact {
                        let (line, column) = line_column(text, range.start);
                        message.push_str(&format!(
                            " (at line {line}, column {column} of the expression)"
                        ));
                    }
                    span
                }
            };
            let mut d = config_error(message).at(span);
            d.help = help;
            d
        };
        if let Err(e) = limits::check(text) {
            errors.push(error(
                e.message,
                e.at,
                Some("limits keep a pack from stalling a run: split the rule, or simplify the expression".to_owned()),
            ));
            return None;
        }
        let program = match self.env.compile(text) {
            Ok(program) => program,
            Err(e) => {
                let first = e.errors.iter().min_by_key(|e| e.pos);
                let (message, at) = match first {
                    Some(p) => (syntax_message(&p.msg), position(text, p.pos.0, p.pos.1)),
                    None => ("syntax error".to_owned(), None),
                };
                errors.push(error(message, at, None));
                return None;
            }
        };
        let uses = analyse::analyse(&program, text, self.kind, self.var);
        if !uses.problems.is_empty() {
            for p in uses.problems {
                errors.push(error(p.message, Some(p.at), p.help));
            }
            return None;
        }
        Some((program, uses))
    }
}

fn config_error(message: String) -> Diagnostic {
    Diagnostic::new("config", "config-error", Severity::Error, message)
}

/// "syntax error: ..." from a parser message.
fn syntax_message(msg: &str) -> String {
    let msg = msg.strip_prefix("Syntax error: ").unwrap_or(msg);
    format!("syntax error: {msg}")
}

/// The byte range of the character at a parser position (1-based line, and
/// 1-based column counted in characters); empty at the end of the text.
fn position(text: &str, line: isize, column: isize) -> Option<Range<usize>> {
    let line = usize::try_from(line).ok()?.checked_sub(1)?;
    let column = usize::try_from(column).ok()?.checked_sub(1)?;
    let mut start = 0;
    for (i, l) in text.split('\n').enumerate() {
        if i == line {
            let mut chars = l.char_indices().skip(column);
            return Some(match chars.next() {
                Some((at, c)) => start + at..start + at + c.len_utf8(),
                None => start + l.len()..start + l.len(),
            });
        }
        start += l.len() + 1;
    }
    None
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// Maps a range of an expression to its place in the pack file.
#[derive(Clone, Copy)]
struct Locator<'a> {
    sources: Option<&'a SourceMap>,
}

impl Locator<'_> {
    /// The span of `inner`, a range of `text` (the decoded TOML string at
    /// `value`), and whether it is exact (else it is the whole string).
    fn locate(&self, value: Span, text: &str, inner: Range<usize>) -> (Span, bool) {
        if let Some(file) = self.sources.and_then(|s| s.get(value.file)) {
            let span = pack::span_in_string(&file.text, value, text, inner);
            return (span, span != value);
        }
        // Without the file: a string whose raw form is its text in quotes
        // has no escapes (every escape is longer than what it stands for).
        let plain = value.len() as usize == text.len() + 2;
        if plain && inner.start <= inner.end && inner.end <= text.len() {
            let base = value.start as usize + 1;
            (
                Span::new(value.file, base + inner.start, base + inner.end),
                true,
            )
        } else {
            (value, false)
        }
    }
}

#[cfg(test)]
mod tests;
