//! The tables of an org file: the organisation, posts and
//! accountabilities, and each kind of entity. Every table's keys are sorted
//! into the slots of its schema spec, then read with the typed readers of
//! [`super::values`].

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::schema::{self, FieldSpec, Ty};
use super::values::ref_list;
use super::{Entry, Name, Walker, invalid};
use crate::model::{
    Assignment, Body, Field, Holder, LocalRole, Organisation, Person, Ref, Service, Supplier, Team,
    Text,
};
use crate::source::Span;
use crate::suggest;

/// The slots of a table's known keys, in spec order.
struct Slots<'a, 'i> {
    header: Span,
    values: Vec<Option<Entry<'a, 'i>>>,
}

impl<'a, 'i> Slots<'a, 'i> {
    fn get(&self, spec: &[FieldSpec], key: &str) -> Option<Entry<'a, 'i>> {
        let ix = spec.iter().position(|f| f.key == key)?;
        self.values.get(ix).copied().flatten()
    }
}

impl Walker<'_> {
    pub(super) fn organisation(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        value: &Spanned<DeValue<'_>>,
    ) {
        let Some(table) = self.expect_table(Name("organisation", None), value) else {
            return;
        };
        let header = self.header_span(key.span(), value.span());
        let slots = self.slots(
            table,
            schema::ORGANISATION,
            header,
            Name("organisation", None),
        );
        let spec = schema::ORGANISATION;
        let org = Organisation {
            header,
            name: self.string(slots.get(spec, "name")),
            operating_model: self.enumerated(
                slots.get(spec, "operating-model"),
                schema::OPERATING_MODELS,
                crate::model::OperatingModel::parse,
            ),
        };
        self.defs.organisation = Some(org);
    }

    pub(super) fn assignments(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        value: &Spanned<DeValue<'_>>,
        accountabilities: bool,
    ) {
        let what = if accountabilities {
            "accountabilities"
        } else {
            "posts"
        };
        let Some(table) = self.expect_table(Name(what, None), value) else {
            return;
        };
        let header = self.header_span(key.span(), value.span());
        let slot = if accountabilities {
            &mut self.defs.accountabilities_header
        } else {
            &mut self.defs.posts_header
        };
        if slot.is_none() {
            *slot = Some(header);
        }
        for (name, v) in table.iter() {
            if self.dropped(name) {
                continue;
            }
            let name_str = name.get_ref().as_ref();
            let key_span = self.span(name.span());
            if !schema::is_slug(name_str) {
                let kind = if accountabilities { "area" } else { "post" };
                self.report(
                    invalid(
                        key_span,
                        format!("`{name_str}` is not a valid {kind} name: names are kebab-case slugs"),
                    )
                    .help("use lowercase letters, digits and single hyphens, like `chief-technology-officer`"),
                );
                continue;
            }
            let span = self.span(v.span());
            let holder = match v.get_ref() {
                DeValue::String(s) => Holder::One(Field::known(span, Ref::new(s.as_ref()))),
                DeValue::Array(_) if accountabilities => {
                    match self.list(Some((name, v)), Ty::RefList { non_empty: false }) {
                        Some(list) => Holder::Shared(ref_list(list)),
                        None => Holder::Invalid(span),
                    }
                }
                _ => {
                    let expected = if accountabilities {
                        "a person id"
                    } else {
                        "a person id (a post is held by one person)"
                    };
                    self.type_error(v, expected, name_str);
                    Holder::Invalid(span)
                }
            };
            let a = Assignment {
                name: Text::from(name_str),
                key: key_span,
                header,
                holder,
            };
            if accountabilities {
                self.defs.accountabilities.push(a);
            } else {
                self.defs.posts.push(a);
            }
        }
    }

    pub(super) fn entities(&mut self, kind: &str, value: &Spanned<DeValue<'_>>) {
        let Some(table) = self.expect_table(Name(kind, None), value) else {
            return;
        };
        // Exact sizes: a vector grown by doubling holds up to twice its
        // entities, and every file's entities are alive until resolve.
        let defs = &mut self.defs;
        match kind {
            "people" => defs.people.reserve_exact(table.len()),
            "teams" => defs.teams.reserve_exact(table.len()),
            "services" => defs.services.reserve_exact(table.len()),
            "governance" => defs.bodies.reserve_exact(table.len()),
            "suppliers" => defs.suppliers.reserve_exact(table.len()),
            _ => defs.roles.reserve_exact(table.len()),
        }
        for (id_key, v) in table.iter() {
            if self.dropped(id_key) || self.only_redefined(v) {
                continue;
            }
            let id = id_key.get_ref().as_ref();
            // `[people.]`: the parser's error already says the key is bad.
            if !schema::is_slug(id) && self.is_broken(id_key.span()) {
                continue;
            }
            if !schema::is_slug(id) {
                let slug = schema::slugify(id);
                let mut d = invalid(
                    self.span(id_key.span()),
                    format!("`{id}` is not a valid id: ids are kebab-case slugs"),
                );
                d = d.help(if schema::is_slug(&slug) {
                    format!("use lowercase letters, digits and single hyphens, like `{slug}`")
                } else {
                    "use lowercase letters, digits and single hyphens".to_owned()
                });
                self.report(d);
                continue;
            }
            let Some(entity) = self.expect_table(Name(kind, Some(id)), v) else {
                continue;
            };
            let header = self.header_span(id_key.span(), v.span());
            let id = Text::from(id);
            match kind {
                "people" => self.person(id, header, entity),
                "teams" => self.team(id, header, entity),
                "services" => self.service(id, header, entity),
                "governance" => self.body(id, header, entity),
                "suppliers" => self.supplier(id, header, entity),
                _ => self.role(id, header, entity),
            }
        }
    }

    /// Sorts a table's keys into the slots of `spec`; reports unknown keys
    /// and missing required ones.
    fn slots<'a, 'i>(
        &mut self,
        table: &'a DeTable<'i>,
        spec: &[FieldSpec],
        header: Span,
        what: Name<'_>,
    ) -> Slots<'a, 'i> {
        let mut values: Vec<Option<Entry<'a, 'i>>> = vec![None; spec.len()];
        for (k, v) in table.iter() {
            if self.dropped(k) {
                continue;
            }
            let name = k.get_ref().as_ref();
            match spec.iter().position(|f| f.key == name) {
                Some(ix) => {
                    if let Some(slot) = values.get_mut(ix) {
                        *slot = Some((k, v));
                    }
                }
                None if self.broken_entry((k, v)) => {}
                None => {
                    let keys = spec.iter().map(|f| f.key);
                    let help = suggest::help(name, keys).unwrap_or_else(|| {
                        let all: Vec<&str> = spec.iter().map(|f| f.key).collect();
                        format!("`{what}` takes {}", suggest::one_of(&all))
                    });
                    self.report(
                        invalid(
                            self.span(k.span()),
                            format!("unknown key `{name}` in `{what}`"),
                        )
                        .help(help)
                        .key(name.to_owned()),
                    );
                }
            }
        }
        // A required key may be missing because its line does not parse.
        let last = table
            .iter()
            .filter(|(k, _)| !self.dropped(k))
            .map(|(_, v)| v.span().end + self.base)
            .max()
            .unwrap_or(header.end as usize)
            .max(header.end as usize);
        let region_broken = !self.broken.lines.is_empty() && {
            let next_line = self
                .text
                .get(last..)
                .and_then(|rest| rest.find('\n'))
                .map_or(last, |n| last + n + 1);
            self.broken.touches(header.start as usize, next_line)
        };
        for (f, v) in spec.iter().zip(&values) {
            if f.required && v.is_none() && !region_broken {
                self.report(
                    invalid(
                        header,
                        format!("`{what}` is missing the required key `{}`", f.key),
                    )
                    .help(format!("add `{}`: {}", f.key, f.doc))
                    .key(f.key),
                );
            }
        }
        Slots { header, values }
    }

    fn person(&mut self, id: Text, header: Span, t: &DeTable<'_>) {
        let spec = schema::PERSON;
        let s = self.slots(t, spec, header, Name("people", Some(&id)));
        let employment = self.enumerated(
            s.get(spec, "employment"),
            schema::EMPLOYMENTS,
            crate::model::Employment::parse,
        );
        let supplier = self.reference(s.get(spec, "supplier"));
        let employed_by_supplier = match &employment {
            None => Some(false),
            Some(f) => f.value.map(|e| e == crate::model::Employment::Supplier),
        };
        match (employed_by_supplier, &supplier) {
            (Some(true), None) => self.report(
                invalid(
                    s.header,
                    format!("`people.{id}` has employment = \"supplier\" but no `supplier`"),
                )
                .help("add `supplier = \"<supplier id>\"` naming the supplier who employs them")
                .key("supplier"),
            ),
            (Some(false), Some(f)) => self.report(
                invalid(
                    f.span,
                    format!("`people.{id}` names a `supplier` but is not employed by one"),
                )
                .help("set `employment = \"supplier\"`, or remove `supplier`")
                .key("supplier"),
            ),
            _ => {}
        }
        let person = Person {
            name: self.string(s.get(spec, "name")),
            role: self.reference(s.get(spec, "role")),
            level: self.reference(s.get(spec, "level")),
            employment,
            supplier,
            reports_to: self.reference(s.get(spec, "reports-to")),
            id,
            header,
        };
        self.defs.people.push(Box::new(person));
    }

    fn team(&mut self, id: Text, header: Span, t: &DeTable<'_>) {
        let spec = schema::TEAM;
        let s = self.slots(t, spec, header, Name("teams", Some(&id)));
        let team = Team {
            name: self.string(s.get(spec, "name")),
            mode: self.enumerated(
                s.get(spec, "mode"),
                schema::MODES,
                crate::model::Mode::parse,
            ),
            phase: self.enumerated(
                s.get(spec, "phase"),
                schema::PHASES,
                crate::model::Phase::parse,
            ),
            services: self.refs(s.get(spec, "services"), false),
            members: self.refs(s.get(spec, "members"), true),
            lead: self.reference(s.get(spec, "lead")),
            managed_by: self.reference(s.get(spec, "managed-by")),
            id,
            header,
        };
        self.defs.teams.push(Box::new(team));
    }

    fn service(&mut self, id: Text, header: Span, t: &DeTable<'_>) {
        let spec = schema::SERVICE;
        let s = self.slots(t, spec, header, Name("services", Some(&id)));
        let service = Service {
            name: self.string(s.get(spec, "name")),
            owner: self.reference(s.get(spec, "owner")),
            decision_rights: self.enum_list(
                s.get(spec, "decision-rights"),
                schema::DECISION_RIGHTS,
                crate::model::DecisionRight::parse,
            ),
            user_needs: self.list(s.get(spec, "user-needs"), Ty::StrList),
            internal_systems: self.boolean(s.get(spec, "internal-systems")),
            funding: self.enumerated(
                s.get(spec, "funding"),
                schema::FUNDINGS,
                crate::model::Funding::parse,
            ),
            procurement: self.enumerated(
                s.get(spec, "procurement"),
                schema::PROCUREMENTS,
                crate::model::Procurement::parse,
            ),
            managed_by: self.reference(s.get(spec, "managed-by")),
            id,
            header,
        };
        self.defs.services.push(Box::new(service));
    }

    fn body(&mut self, id: Text, header: Span, t: &DeTable<'_>) {
        let spec = schema::BODY;
        let s = self.slots(t, spec, header, Name("governance", Some(&id)));
        let body = Body {
            name: self.string(s.get(spec, "name")),
            parent: self.reference(s.get(spec, "parent")),
            area: self.enumerated(
                s.get(spec, "area"),
                schema::AREAS,
                crate::model::Area::parse,
            ),
            decision: self.enumerated(
                s.get(spec, "decision"),
                schema::DECISIONS,
                crate::model::Decision::parse,
            ),
            owner: self.reference(s.get(spec, "owner")),
            members: self.refs(s.get(spec, "members"), false),
            remit: self.list(s.get(spec, "remit"), Ty::StrList),
            id,
            header,
        };
        self.defs.bodies.push(Box::new(body));
    }

    fn supplier(&mut self, id: Text, header: Span, t: &DeTable<'_>) {
        let spec = schema::SUPPLIER;
        let s = self.slots(t, spec, header, Name("suppliers", Some(&id)));
        let supplier = Supplier {
            name: self.string(s.get(spec, "name")),
            kind: self.enumerated(
                s.get(spec, "kind"),
                schema::SUPPLIER_KINDS,
                crate::model::SupplierKind::parse,
            ),
            id,
            header,
        };
        self.defs.suppliers.push(Box::new(supplier));
    }

    fn role(&mut self, id: Text, header: Span, t: &DeTable<'_>) {
        let spec = schema::ROLE;
        let s = self.slots(t, spec, header, Name("roles", Some(&id)));
        let role = LocalRole {
            name: self.string(s.get(spec, "name")),
            family: self.string(s.get(spec, "family")),
            levels: self.list(s.get(spec, "levels"), Ty::SlugList),
            aliases: self.list(s.get(spec, "aliases"), Ty::SlugList),
            id,
            header,
        };
        self.defs.roles.push(role);
    }
}
