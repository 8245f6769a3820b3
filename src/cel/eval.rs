//! Evaluation: every active rule on every entity of its kind, in parallel
//! over the entities, each entity's value built once for all its rules.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use cel::common::types::{CelMap, CelMapKey, CelString};
use cel::common::value::{CowVal, Val};
use cel::context::VariableResolver;
use cel::{Context, Env, ExecutionError, Program, Value};
use rayon::prelude::*;

use super::bind::{Entity, Org, OrgParts};
use super::{CompiledRule, STACK_SIZE};
use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::registry::RuleMeta;

/// A rule to evaluate, with its metadata.
pub struct Active<'s> {
    pub rule: &'s CompiledRule,
    pub meta: &'s RuleMeta,
}

/// Evaluates `active` on the model, on a pool of threads with a large stack
/// (the current pool's size).
pub fn run(active: &[Active<'_>], model: &Model, env: &Arc<Env>) -> Vec<Diagnostic> {
    let work = || evaluate(active, model, env);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(rayon::current_num_threads())
        .stack_size(STACK_SIZE)
        .thread_name(|i| format!("orglint-cel-{i}"))
        .build();
    match pool {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

fn evaluate(active: &[Active<'_>], model: &Model, env: &Arc<Env>) -> Vec<Diagnostic> {
    let parts = active
        .iter()
        .fold(OrgParts::default(), |p, a| p.union(a.rule.org));
    let whole = active.iter().any(|a| a.rule.org_whole);
    let org = (!parts.is_empty() || whole).then(|| Org::build(model, parts, whole));
    let cx = Cx {
        model,
        active,
        org: org.as_ref(),
        env,
    };
    let mut out = cx.kind(model.organisation.as_slice());
    out.extend(cx.kind(&model.people));
    out.extend(cx.kind(&model.teams));
    out.extend(cx.kind(&model.services));
    out.extend(cx.kind(&model.bodies));
    out.extend(cx.kind(&model.suppliers));
    if let Some(org) = org {
        org.drop_in_parallel();
    }
    out
}

struct Cx<'a, 'm> {
    model: &'m Model,
    active: &'a [Active<'a>],
    org: Option<&'a Org<'m>>,
    env: &'a Arc<Env>,
}

impl<'m> Cx<'_, 'm> {
    /// The findings of the rules for `E` on `entities`.
    fn kind<E: Entity>(&self, entities: &'m [E]) -> Vec<Diagnostic> {
        let rules: Vec<&Active<'_>> = self
            .active
            .iter()
            .filter(|a| a.rule.kind == E::KIND)
            .collect();
        let Some(first) = rules.first() else {
            return Vec::new();
        };
        let var = first.rule.var;
        // The entities' values, when `org` already holds them.
        let table: Option<&CelMap<'m>> = E::ORG_KEY
            .zip(self.org)
            .and_then(|(key, org)| org.part(key));
        entities
            .par_iter()
            .fold(Vec::new, |mut out, entity| {
                self.entity(entity, table, var, &rules, &mut out);
                out
            })
            .reduce(Vec::new, |mut a, mut b| {
                a.append(&mut b);
                a
            })
    }

    fn entity<E: Entity>(
        &self,
        entity: &'m E,
        table: Option<&CelMap<'m>>,
        var: &str,
        rules: &[&Active<'_>],
        out: &mut Vec<Diagnostic>,
    ) {
        // One root cause, one diagnostic (decisions.md 3): a rule that reads
        // a value already reported as invalid or unresolved skips the entity.
        let unknown = entity.unknown();
        if rules.iter().all(|a| a.rule.keys.intersects(unknown)) {
            return;
        }
        let shared = table
            .and_then(|t| t.inner().get(&CelMapKey::from(entity.id())))
            .map(|v| &**v);
        let owned: CelMap<'m>;
        let value: &(dyn Val + 'm) = match shared {
            Some(v) => v,
            None => {
                owned = entity.value(self.model);
                &owned
            }
        };
        let bindings = Bindings {
            var,
            entity: value,
            org: self.org,
        };
        let mut ctx = Context::with_env(Arc::clone(self.env));
        ctx.set_variable_resolver(&bindings);
        for a in rules {
            if a.rule.keys.intersects(unknown) {
                continue;
            }
            if let Some(when) = &a.rule.when {
                match outcome(when, &ctx) {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(failure) => {
                        out.push(failed(a, entity, "when", failure));
                        continue;
                    }
                }
            }
            match outcome(&a.rule.assert, &ctx) {
                Ok(true) => {}
                Ok(false) => out.push(finding(a, entity)),
                Err(failure) => out.push(failed(a, entity, "assert", failure)),
            }
        }
    }
}

/// The variables of one evaluation: the entity, and `org` with its keys
/// (`org.people`, ...).
struct Bindings<'a, 'm> {
    var: &'a str,
    entity: &'a (dyn Val + 'm),
    org: Option<&'a Org<'m>>,
}

impl VariableResolver for Bindings<'_, '_> {
    fn resolve<'b>(&'b self, variable: &str) -> Option<CowVal<'b, 'b>> {
        match variable.strip_prefix(self.var) {
            Some("") => Some(CowVal::Borrowed(self.entity)),
            // The interpreter asks for the qualified name `service.funding`
            // before `service`: answering it saves a lookup of a type of
            // that name. An absent key is left to the interpreter, which
            // then selects it on `service` and reports it.
            Some(rest) if rest.starts_with('.') => {
                let key = rest.get(1..)?;
                if key.contains('.') {
                    return None;
                }
                match self.entity.as_indexer()?.get(&CelString::from(key)) {
                    Ok(CowVal::Borrowed(v)) => Some(CowVal::Borrowed(v)),
                    _ => None,
                }
            }
            _ => self.org?.resolve(variable).map(CowVal::Borrowed),
        }
    }
}

/// Why an expression gave no bool.
struct Failure {
    message: String,
    help: Option<String>,
}

fn outcome(program: &Program, ctx: &Context<'_, '_>) -> Result<bool, Failure> {
    match catch_unwind(AssertUnwindSafe(|| program.execute(ctx))) {
        Ok(Ok(Value::Bool(b))) => Ok(b),
        Ok(Ok(other)) => Err(Failure {
            message: format!("the result is of type {}, not bool", other.type_of()),
            help: Some("`when` and `assert` must give true or false".to_owned()),
        }),
        Ok(Err(e)) => {
            let help = match &e {
                ExecutionError::NoSuchKey(key) => Some(format!(
                    "`{key}` is absent here: test it with `has()` first"
                )),
                _ => None,
            };
            Err(Failure {
                message: e.to_string(),
                help,
            })
        }
        Err(_) => Err(Failure {
            message: "the CEL interpreter failed".to_owned(),
            help: None,
        }),
    }
}

/// `assert` was false.
fn finding<E: Entity>(a: &Active<'_>, entity: &E) -> Diagnostic {
    let message = fill(
        &a.rule.message,
        entity.id(),
        entity.name().unwrap_or(entity.id()),
    );
    let span = a
        .rule
        .at
        .as_deref()
        .and_then(|key| entity.key_span(key))
        .unwrap_or_else(|| entity.header());
    let mut d = Diagnostic::new(
        a.meta.code.clone(),
        a.meta.name.clone(),
        a.meta.severity,
        message,
    )
    .at(span)
    .entity(E::KIND, entity.id());
    d.help = a.meta.help.clone();
    if let Some(key) = &a.rule.at {
        d = d.key(key.clone());
    }
    d
}

/// `what` could not be evaluated: a finding of the rule at the entity.
fn failed<E: Entity>(a: &Active<'_>, entity: &E, what: &str, failure: Failure) -> Diagnostic {
    let mut d = Diagnostic::new(
        a.meta.code.clone(),
        a.meta.name.clone(),
        a.meta.severity,
        format!("could not evaluate `{what}`: {}", failure.message),
    )
    .at(entity.header())
    .entity(E::KIND, entity.id());
    d.help = failure.help;
    d
}

/// The message with `{id}` and `{name}` replaced, in one pass (a name that
/// contains `{id}` stays as it is).
fn fill(template: &str, id: &str, name: &str) -> String {
    let mut out = String::with_capacity(template.len() + id.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let (before, after) = rest.split_at(open);
        out.push_str(before);
        if let Some(tail) = after.strip_prefix("{id}") {
            out.push_str(id);
            rest = tail;
        } else if let Some(tail) = after.strip_prefix("{name}") {
            out.push_str(name);
            rest = tail;
        } else {
            out.push('{');
            rest = after.get(1..).unwrap_or_default();
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn fills_placeholders_once() {
        assert_eq!(fill("`{id}` ({name})", "a", "A"), "`a` (A)");
        assert_eq!(fill("{name}", "a", "{id}"), "{id}");
        assert_eq!(fill("{ {x} {id", "a", "A"), "{ {x} {id");
        assert_eq!(fill("", "a", "A"), "");
    }
}
