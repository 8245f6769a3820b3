//! From a spanned TOML tree to one file's definitions, checking every key,
//! type, enumeration and id against [`super::schema`]. Each problem is an
//! ORG008 at the exact span; the walk always goes on.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::schema::{self, FieldSpec, Ty};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{
    Assignment, Body, Field, FileDefs, Holder, List, LocalRole, Organisation, Person, Ref, Service,
    Supplier, Team, Text,
};
use crate::source::{FileId, Span};
use crate::suggest;

/// An ORG008 diagnostic.
pub fn invalid(span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new("ORG008", "invalid-file", Severity::Error, message).at(span)
}

type Entry<'a, 'i> = (
    &'a Spanned<std::borrow::Cow<'i, str>>,
    &'a Spanned<DeValue<'i>>,
);

/// The lines of a file that do not parse. The parser recovers from syntax
/// errors and what it recovered is still read, but a value on such a line
/// is unknown: it was already reported as invalid TOML, so it is neither
/// checked again nor used (decisions.md 3, one root cause, one diagnostic).
#[derive(Debug, Default)]
pub(crate) struct Broken {
    /// Offsets of the file's newlines (only when some line is broken).
    newlines: Vec<usize>,
    /// Merged, sorted ranges of broken lines (0-based, inclusive).
    lines: Vec<(usize, usize)>,
}

impl Broken {
    pub fn new(text: &str, errors: &[Span]) -> Broken {
        if errors.is_empty() {
            return Broken::default();
        }
        let newlines: Vec<usize> = text
            .bytes()
            .enumerate()
            .filter_map(|(i, b)| (b == b'\n').then_some(i))
            .collect();
        let mut b = Broken {
            newlines,
            lines: Vec::new(),
        };
        let mut lines: Vec<(usize, usize)> = errors
            .iter()
            .map(|s| (b.line(s.start as usize), b.line(s.end as usize)))
            .collect();
        lines.sort_unstable();
        for (first, last) in lines {
            match b.lines.last_mut() {
                Some(prev) if first <= prev.1 + 1 => prev.1 = prev.1.max(last),
                _ => b.lines.push((first, last)),
            }
        }
        b
    }

    fn line(&self, offset: usize) -> usize {
        self.newlines.partition_point(|&n| n < offset)
    }

    /// Whether the byte range (in file offsets) touches a broken line.
    pub fn touches(&self, start: usize, end: usize) -> bool {
        if self.lines.is_empty() {
            return false;
        }
        let (first, last) = (self.line(start), self.line(end));
        let i = self.lines.partition_point(|&(_, b)| b < first);
        self.lines.get(i).is_some_and(|&(a, _)| a <= last)
    }
}

pub(crate) struct Walker<'t> {
    file: FileId,
    broken: Broken,
    /// The whole file text (BOM included).
    text: &'t str,
    /// Offset of the parsed text in the file (the BOM's length).
    base: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub defs: FileDefs,
}

/// The dotted name of a table in messages (`people.bob`), formatted only
/// when a message needs it.
#[derive(Clone, Copy)]
struct Name<'a>(&'a str, Option<&'a str>);

impl std::fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.1 {
            Some(id) => write!(f, "{}.{id}", self.0),
            None => f.write_str(self.0),
        }
    }
}

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

fn article(type_str: &str) -> &'static str {
    match type_str {
        "string" => "a string",
        "integer" => "an integer",
        "float" => "a float",
        "boolean" => "a boolean",
        "datetime" => "a datetime",
        "array" => "an array",
        "table" => "a table",
        _ => "a value",
    }
}

impl<'t> Walker<'t> {
    pub fn new(file: FileId, text: &'t str, base: usize, broken: Broken) -> Self {
        Walker {
            file,
            broken,
            text,
            base,
            diagnostics: Vec::new(),
            defs: FileDefs::default(),
        }
    }

    fn span(&self, r: std::ops::Range<usize>) -> Span {
        Span::new(self.file, r.start + self.base, r.end + self.base)
    }

    fn report(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// Whether a parsed range lies on a line that does not parse.
    fn is_broken(&self, r: std::ops::Range<usize>) -> bool {
        self.broken.touches(r.start + self.base, r.end + self.base)
    }

    /// An entry on a broken line: its value is unknown, and not reported
    /// again.
    fn broken_entry(&self, entry: Entry<'_, '_>) -> bool {
        let (k, v) = entry;
        self.is_broken(k.span()) || self.is_broken(v.span())
    }

    /// The span that names a table: the whole `[kind.id]` header when it is
    /// one, else the key path (`people.bob` or `bob`).
    fn header_span(
        &self,
        parent_key: Option<std::ops::Range<usize>>,
        key: std::ops::Range<usize>,
        value: std::ops::Range<usize>,
    ) -> Span {
        let at = value.start + self.base;
        if self.text.as_bytes().get(at) == Some(&b'[') {
            return self.span(value);
        }
        if let Some(parent) = parent_key {
            let between = self
                .text
                .get(parent.end + self.base..key.start + self.base)
                .unwrap_or("\n");
            if parent.end <= key.start && !between.contains('\n') {
                return self.span(parent.start..key.end);
            }
        }
        self.span(key)
    }

    fn type_error(&mut self, value: &Spanned<DeValue<'_>>, expected: &str, key: &str) {
        if let DeValue::Integer(i) = value.get_ref()
            && !fits_i64(i.as_str(), i.radix())
        {
            self.report(
                invalid(
                    self.span(value.span()),
                    format!(
                        "invalid TOML: integer `{}` does not fit in 64 bits",
                        i.as_str()
                    ),
                )
                .key(key.to_owned()),
            );
            return;
        }
        let found = article(value.get_ref().type_str());
        self.report(
            invalid(
                self.span(value.span()),
                format!("`{key}` must be {expected}, found {found}"),
            )
            .key(key.to_owned()),
        );
    }

    /// Walks the document root.
    pub fn document(&mut self, root: &DeTable<'_>) {
        for (key, value) in root.iter() {
            let name = key.get_ref().as_ref();
            match name {
                "organisation" => self.organisation(key, value),
                "posts" => self.assignments(key, value, false),
                "accountabilities" => self.assignments(key, value, true),
                "people" | "teams" | "services" | "governance" | "suppliers" | "roles" => {
                    self.entities(name, key, value)
                }
                _ => {
                    let mut d = invalid(
                        self.span(key.span()),
                        format!("unknown top-level table `{name}`"),
                    );
                    d = d.help(
                        suggest::help(name, schema::TOP_LEVEL.iter().copied()).unwrap_or_else(
                            || {
                                format!(
                                    "an org file holds only {}",
                                    suggest::one_of(schema::TOP_LEVEL)
                                )
                            },
                        ),
                    );
                    self.report(d);
                }
            }
        }
        // Tables come out of the parser in key order; the model wants file
        // order. `sort_by_cached_key` sorts (key, index) pairs and then moves
        // each entity once, where a plain sort moved these large structs
        // log(n) times (5% of all instructions at 17k people).
        let defs = &mut self.defs;
        defs.people.sort_by_cached_key(|e| e.header.start);
        defs.teams.sort_by_cached_key(|e| e.header.start);
        defs.services.sort_by_cached_key(|e| e.header.start);
        defs.bodies.sort_by_cached_key(|e| e.header.start);
        defs.suppliers.sort_by_cached_key(|e| e.header.start);
        defs.roles.sort_by_cached_key(|e| e.header.start);
        defs.posts.sort_by_cached_key(|e| e.key.start);
        defs.accountabilities.sort_by_cached_key(|e| e.key.start);
    }

    fn expect_table<'a, 'i>(
        &mut self,
        what: Name<'_>,
        value: &'a Spanned<DeValue<'i>>,
    ) -> Option<&'a DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                let found = article(other.type_str());
                self.report(invalid(
                    self.span(value.span()),
                    format!("`{what}` must be a table, found {found}"),
                ));
                None
            }
        }
    }

    fn organisation(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        value: &Spanned<DeValue<'_>>,
    ) {
        let Some(table) = self.expect_table(Name("organisation", None), value) else {
            return;
        };
        let header = self.header_span(None, key.span(), value.span());
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

    fn assignments(
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
        let header = self.header_span(None, key.span(), value.span());
        let slot = if accountabilities {
            &mut self.defs.accountabilities_header
        } else {
            &mut self.defs.posts_header
        };
        if slot.is_none() {
            *slot = Some(header);
        }
        for (name, v) in table.iter() {
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

    fn entities(
        &mut self,
        kind: &str,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        value: &Spanned<DeValue<'_>>,
    ) {
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
            let id = id_key.get_ref().as_ref();
            if !schema::is_slug(id) {
                let slug = slugify(id);
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
            let header = self.header_span(Some(key.span()), id_key.span(), v.span());
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

    fn string(&mut self, entry: Option<Entry<'_, '_>>) -> Option<Field<crate::model::Text>> {
        let (k, v) = entry?;
        let span = self.span(v.span());
        if self.broken_entry((k, v)) {
            return Some(Field::invalid(span));
        }
        match v.get_ref() {
            DeValue::String(s) => Some(Field::known(span, Text::from(s.as_ref()))),
            _ => {
                self.type_error(v, "a string", k.get_ref());
                Some(Field::invalid(span))
            }
        }
    }

    fn boolean(&mut self, entry: Option<Entry<'_, '_>>) -> Option<Field<bool>> {
        let (k, v) = entry?;
        let span = self.span(v.span());
        if self.broken_entry((k, v)) {
            return Some(Field::invalid(span));
        }
        match v.get_ref() {
            DeValue::Boolean(b) => Some(Field::known(span, *b)),
            _ => {
                self.type_error(v, "a boolean (`true` or `false`)", k.get_ref());
                Some(Field::invalid(span))
            }
        }
    }

    fn reference(&mut self, entry: Option<Entry<'_, '_>>) -> Option<Field<Ref>> {
        let (k, v) = entry?;
        let span = self.span(v.span());
        if self.broken_entry((k, v)) {
            return Some(Field::invalid(span));
        }
        match v.get_ref() {
            DeValue::String(s) => Some(Field::known(span, Ref::new(s.as_ref()))),
            _ => {
                self.type_error(v, "an id (a string)", k.get_ref());
                Some(Field::invalid(span))
            }
        }
    }

    fn enum_value<T>(
        &mut self,
        key: &str,
        span: Span,
        s: &str,
        values: &[&str],
        parse: fn(&str) -> Option<T>,
    ) -> Option<T> {
        let parsed = parse(s);
        if parsed.is_none() {
            let mut d = invalid(
                span,
                format!(
                    "`{s}` is not a valid `{key}`: expected {}",
                    suggest::one_of(values)
                ),
            )
            .key(key.to_owned());
            if let Some(near) = suggest::nearest(s, values) {
                d = d.help(format!("did you mean `{near}`?"));
            }
            self.report(d);
        }
        parsed
    }

    fn enumerated<T>(
        &mut self,
        entry: Option<Entry<'_, '_>>,
        values: &[&str],
        parse: fn(&str) -> Option<T>,
    ) -> Option<Field<T>> {
        let (k, v) = entry?;
        let span = self.span(v.span());
        if self.broken_entry((k, v)) {
            return Some(Field::invalid(span));
        }
        match v.get_ref() {
            DeValue::String(s) => Some(Field {
                span,
                value: self.enum_value(k.get_ref(), span, s, values, parse),
            }),
            _ => {
                let expected = format!("one of {}", suggest::one_of(values));
                self.type_error(v, &expected, k.get_ref());
                Some(Field::invalid(span))
            }
        }
    }

    /// A list of strings; elements that are not strings are reported and
    /// kept as invalid; duplicates are dropped (lists are sets).
    fn list(&mut self, entry: Option<Entry<'_, '_>>, ty: Ty) -> Option<List<crate::model::Text>> {
        let (k, v) = entry?;
        let key = k.get_ref().as_ref();
        let span = self.span(v.span());
        if self.is_broken(k.span()) {
            return Some(Field::invalid(span));
        }
        let DeValue::Array(items) = v.get_ref() else {
            if self.is_broken(v.span()) {
                return Some(Field::invalid(span));
            }
            self.type_error(v, ty.describe(), key);
            return Some(Field::invalid(span));
        };
        let mut seen = Seen::default();
        let mut out = Vec::with_capacity(items.len());
        for item in items.iter() {
            let item_span = self.span(item.span());
            if self.is_broken(item.span()) {
                out.push(Field::invalid(item_span));
                continue;
            }
            match item.get_ref() {
                DeValue::String(s) => {
                    if !seen.insert(s.as_ref()) {
                        continue;
                    }
                    if ty == Ty::SlugList && !schema::is_slug(s) {
                        self.report(
                            invalid(
                                item_span,
                                format!("`{s}` is not a valid id: ids are kebab-case slugs"),
                            )
                            .key(key.to_owned()),
                        );
                        out.push(Field::invalid(item_span));
                        continue;
                    }
                    out.push(Field::known(item_span, Text::from(s.as_ref())));
                }
                other => {
                    let found = article(other.type_str());
                    self.report(
                        invalid(
                            item_span,
                            format!("elements of `{key}` must be strings, found {found}"),
                        )
                        .key(key.to_owned()),
                    );
                    out.push(Field::invalid(item_span));
                }
            }
        }
        if out.is_empty() && matches!(ty, Ty::RefList { non_empty: true }) {
            self.report(
                invalid(span, format!("`{key}` must not be empty"))
                    .help(format!("list at least one id in `{key}`"))
                    .key(key.to_owned()),
            );
            return Some(Field::invalid(span));
        }
        Some(Field::known(span, out))
    }

    fn refs(&mut self, entry: Option<Entry<'_, '_>>, non_empty: bool) -> Option<List<Ref>> {
        self.list(entry, Ty::RefList { non_empty }).map(ref_list)
    }

    fn enum_list<T>(
        &mut self,
        entry: Option<Entry<'_, '_>>,
        values: &[&str],
        parse: fn(&str) -> Option<T>,
    ) -> Option<List<T>> {
        let key = entry
            .map(|(k, _)| k.get_ref().to_string())
            .unwrap_or_default();
        let list = self.list(entry, Ty::EnumList(&[]))?;
        let Some(items) = list.value else {
            return Some(Field::invalid(list.span));
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let value = match &item.value {
                Some(s) => self.enum_value(&key, item.span, s, values, parse),
                None => None,
            };
            out.push(Field {
                span: item.span,
                value,
            });
        }
        Some(Field::known(list.span, out))
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

/// The strings of a list seen so far: a linear scan for the short lists
/// org files hold, a hash set beyond that.
#[derive(Default)]
struct Seen<'s> {
    few: Vec<&'s str>,
    many: foldhash::HashSet<&'s str>,
}

impl<'s> Seen<'s> {
    const FEW: usize = 16;

    /// Adds `s`; false when it was already there.
    fn insert(&mut self, s: &'s str) -> bool {
        if self.many.is_empty() {
            if self.few.contains(&s) {
                return false;
            }
            if self.few.len() < Self::FEW {
                self.few.push(s);
                return true;
            }
            self.many.extend(self.few.drain(..));
        }
        self.many.insert(s)
    }
}

fn ref_list(list: List<crate::model::Text>) -> List<Ref> {
    Field {
        span: list.span,
        value: list.value.map(|items| {
            items
                .into_iter()
                .map(|f| Field {
                    span: f.span,
                    value: f.value.map(Ref::new),
                })
                .collect()
        }),
    }
}

/// Whether a TOML integer literal fits a signed 64-bit integer (TOML
/// requires it to).
fn fits_i64(literal: &str, radix: u32) -> bool {
    let digits: String = literal.chars().filter(|&c| c != '_').collect();
    let (negative, digits) = match digits.strip_prefix('-') {
        Some(d) => (true, d.to_owned()),
        None => (false, digits.trim_start_matches('+').to_owned()),
    };
    let digits = if radix == 10 {
        digits.as_str()
    } else {
        digits.get(2..).unwrap_or("")
    };
    let value = if negative {
        format!("-{digits}")
    } else {
        digits.to_owned()
    };
    i64::from_str_radix(&value, radix).is_ok()
}

/// A best-effort slug for a help message: `Bad Id` -> `bad-id`.
fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}
