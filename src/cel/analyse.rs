//! Static checks of a compiled expression: the variables it names (only the
//! entity's kind and `org` exist), the keys it selects on them, and which
//! parts of `org` it reads (so that only those are built).

use std::ops::Range;

use cel::IdedExpr;
use cel::Program;
use cel::common::ast::{EntryExpr, Expr};

use super::bind::{self, OrgParts};
use crate::diagnostic::EntityKind;
use crate::suggest;

/// A problem found in an expression: a byte range in its text, a message,
/// and a help.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub at: Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

/// What an expression uses.
#[derive(Debug, Default)]
pub struct Uses {
    /// The keys of `org` it reads.
    pub org: OrgParts,
    /// Whether it uses `org` other than as `org.<key>`, and so needs it as
    /// one map (see [`bind::Org`]).
    pub org_whole: bool,
    /// The keys it reads on its entity (every key when it uses the entity
    /// as a whole): an entity with an unknown value among them is skipped.
    pub keys: bind::KeySet,
    pub problems: Vec<Problem>,
}

/// The names the standard environment resolves as types (`type(x) == int`).
const TYPE_NAMES: &[&str] = &[
    "bool",
    "bytes",
    "double",
    "dyn",
    "int",
    "list",
    "map",
    "null_type",
    "string",
    "type",
    "uint",
];

/// Analyses `program` (compiled from `text`) as an expression of a rule for
/// `kind`, whose entity is named `var`.
pub fn analyse(program: &Program, text: &str, kind: EntityKind, var: &str) -> Uses {
    let mut walk = Walk {
        program,
        text,
        kind,
        var,
        bound: Vec::new(),
        uses: Uses::default(),
    };
    walk.expr(program.expression());
    walk.uses
}

struct Walk<'a> {
    program: &'a Program,
    text: &'a str,
    kind: EntityKind,
    var: &'a str,
    /// Comprehension variables in scope.
    bound: Vec<&'a str>,
    uses: Uses,
}

impl<'a> Walk<'a> {
    /// The byte range of an identifier node, in the text.
    fn ident_range(&self, expr: &IdedExpr, name: &str) -> Range<usize> {
        match self.program.source_info().offset_for(expr.id) {
            Some((start, _)) => {
                let start = start as usize;
                start..start + name.len()
            }
            None => 0..self.text.len(),
        }
    }

    /// The range of `field` selected on the identifier at `ident`: after
    /// the identifier, a `.` and the field, spaces allowed.
    fn field_range(&self, ident: Range<usize>, field: &str) -> Range<usize> {
        let rest = self.text.get(ident.end..).unwrap_or_default();
        let after_dot = rest.trim_start().strip_prefix('.').map(str::trim_start);
        match after_dot {
            Some(tail) if tail.starts_with(field) => {
                let start = ident.end + (rest.len() - tail.len());
                start..start + field.len()
            }
            _ => ident,
        }
    }

    fn is_bound(&self, name: &str) -> bool {
        name.starts_with('@') || self.bound.contains(&name)
    }

    fn expr(&mut self, expr: &'a IdedExpr) {
        match &expr.expr {
            Expr::Unspecified | Expr::Literal(_) => {}
            Expr::Ident(name) => self.ident(expr, name),
            Expr::Select(select) => {
                if let Expr::Ident(name) = &select.operand.expr
                    && !self.is_bound(name)
                {
                    if name == self.var {
                        self.entity_key(&select.operand, name, &select.field);
                        return;
                    }
                    if name == "org" {
                        // `has(org.x)` tests `x` on the map `org`.
                        self.uses.org_whole |= select.test;
                        self.org_key(&select.operand, &select.field);
                        return;
                    }
                }
                self.expr(&select.operand);
            }
            Expr::Call(call) => {
                if let Some(target) = &call.target {
                    // `optional.of(x)`: a namespace, not a variable.
                    let namespace = matches!(&target.expr, Expr::Ident(n)
                        if n == "optional" && !self.is_bound(n));
                    if !namespace {
                        self.expr(target);
                    }
                }
                for arg in &call.args {
                    self.expr(arg);
                }
            }
            Expr::List(list) => {
                for e in &list.elements {
                    self.expr(e);
                }
            }
            Expr::Map(map) => {
                for entry in &map.entries {
                    self.entry(&entry.expr);
                }
            }
            Expr::Struct(s) => {
                for entry in &s.entries {
                    self.entry(&entry.expr);
                }
            }
            Expr::Comprehension(c) => {
                self.expr(&c.iter_range);
                self.expr(&c.accu_init);
                let outer = self.bound.len();
                self.bound.push(&c.accu_var);
                self.bound.push(&c.iter_var);
                if let Some(v) = &c.iter_var2 {
                    self.bound.push(v);
                }
                self.expr(&c.loop_cond);
                self.expr(&c.loop_step);
                self.bound.truncate(outer + 1);
                self.expr(&c.result);
                self.bound.truncate(outer);
            }
        }
    }

    fn entry(&mut self, entry: &'a EntryExpr) {
        match entry {
            EntryExpr::StructField(f) => self.expr(&f.value),
            EntryExpr::MapEntry(e) => {
                self.expr(&e.key);
                self.expr(&e.value);
            }
        }
    }

    fn ident(&mut self, expr: &IdedExpr, name: &str) {
        if self.is_bound(name) || TYPE_NAMES.contains(&name) {
            return;
        }
        if name == self.var {
            // Used as a whole (`size(service)`, `service["owner"]`).
            self.uses.keys = bind::KeySet::ALL;
            return;
        }
        if name == "org" {
            self.uses.org = OrgParts::ALL;
            self.uses.org_whole = true;
            return;
        }
        let candidates = [self.var, "org"];
        let help = suggest::help(name, candidates).unwrap_or_else(|| {
            format!(
                "a `{}` rule sees its entity as `{}` and the whole model as `org`",
                self.var, self.var
            )
        });
        let at = self.ident_range(expr, name);
        self.uses.problems.push(Problem {
            at,
            message: format!("unknown variable `{name}`"),
            help: Some(help),
        });
    }

    fn entity_key(&mut self, operand: &IdedExpr, var: &str, field: &str) {
        let keys = bind::keys(self.kind);
        if keys.contains(&field) {
            self.uses.keys = self.uses.keys.with(self.kind, field);
            return;
        }
        let at = self.field_range(self.ident_range(operand, var), field);
        let help = suggest::help(field, keys.iter().copied())
            .unwrap_or_else(|| format!("the keys of a {}: {}", self.var, keys.join(", ")));
        self.uses.problems.push(Problem {
            at,
            message: format!("`{var}` has no key `{field}`"),
            help: Some(help),
        });
    }

    fn org_key(&mut self, operand: &IdedExpr, field: &str) {
        if bind::ORG_KEYS.contains(&field) {
            self.uses.org = self.uses.org.with(field);
            return;
        }
        let at = self.field_range(self.ident_range(operand, "org"), field);
        let help = suggest::help(field, bind::ORG_KEYS.iter().copied())
            .unwrap_or_else(|| format!("the keys of `org`: {}", bind::ORG_KEYS.join(", ")));
        self.uses.problems.push(Problem {
            at,
            message: format!("`org` has no key `{field}`"),
            help: Some(help),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, kind: EntityKind, var: &str) -> Uses {
        let program = Program::compile(text).expect("compiles");
        analyse(&program, text, kind, var)
    }

    fn problems(text: &str) -> Vec<(String, String, Option<String>)> {
        run(text, EntityKind::Service, "service")
            .problems
            .into_iter()
            .map(|p| (text[p.at].to_owned(), p.message, p.help))
            .collect()
    }

    #[test]
    fn known_names_pass() {
        for ok in [
            "has(service.funding)",
            "service.internal_systems && service.id != ''",
            "org.people.all(p, org.people[p].role != '')",
            "[1, 2].exists(x, x == 1) && {'a': service.name}.size() == 1",
            "type(service.name) == string",
            "service.user_needs.map(n, n.size()).all(s, s > 0)",
            "org.services.exists(k, org.services[k].id == k)",
            "optional.of(1).hasValue()",
            "service.name.matches('^[A-Z]')",
        ] {
            assert_eq!(problems(ok), vec![], "{ok}");
        }
    }

    #[test]
    fn unknown_variables() {
        assert_eq!(
            problems("has(servce.funding)"),
            vec![(
                "servce".into(),
                "unknown variable `servce`".into(),
                Some("did you mean `service`?".into())
            )]
        );
        assert_eq!(
            problems("team.members.size() > 0"),
            vec![(
                "team".into(),
                "unknown variable `team`".into(),
                Some(
                    "a `service` rule sees its entity as `service` and the whole model as `org`"
                        .into()
                )
            )]
        );
        // A comprehension variable is in scope inside the comprehension only.
        assert_eq!(
            problems("service.user_needs.all(n, n != '') && n == ''")
                .into_iter()
                .map(|p| p.1)
                .collect::<Vec<_>>(),
            vec!["unknown variable `n`".to_owned()]
        );
        // After a non-ASCII string, positions are still bytes.
        assert_eq!(problems("'é' == x")[0].0, "x");
    }

    #[test]
    fn unknown_keys() {
        assert_eq!(
            problems("has(service.fundng)"),
            vec![(
                "fundng".into(),
                "`service` has no key `fundng`".into(),
                Some("did you mean `funding`?".into())
            )]
        );
        assert_eq!(problems("service . zzz == 1")[0].0, "zzz");
        assert_eq!(
            problems("org.peple.size() > 0"),
            vec![(
                "peple".into(),
                "`org` has no key `peple`".into(),
                Some("did you mean `people`?".into())
            )]
        );
        // A shadowing comprehension variable is not the entity.
        assert_eq!(problems("[{'x': 1}].all(service, service.x == 1)"), vec![]);
    }

    #[test]
    fn org_parts_read() {
        let uses = run(
            "has(person.level) || person.reports_to in org.people",
            EntityKind::Person,
            "person",
        );
        assert_eq!(uses.org, OrgParts::default().with("people"));
        assert!(!uses.org_whole);
        let uses = run("has(person.level)", EntityKind::Person, "person");
        assert!(uses.org.is_empty());
        let uses = run("size(org) > 0", EntityKind::Person, "person");
        assert_eq!(uses.org, OrgParts::ALL);
        assert!(uses.org_whole);
        let uses = run("has(org.organisation)", EntityKind::Person, "person");
        assert_eq!(uses.org, OrgParts::default().with("organisation"));
        assert!(uses.org_whole);
        // A comprehension variable named `org` is not `org`.
        let uses = run("[1].all(org, org > 0)", EntityKind::Person, "person");
        assert!(uses.org.is_empty() && !uses.org_whole);
    }
}
