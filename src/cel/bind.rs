//! What CEL expressions see: each entity as a map with snake_case keys, and
//! the whole model as `org`.
//!
//! Values are built straight into the interpreter's own value types
//! ([`CelMap`], [`CelList`], [`CelString`]), with every string borrowed from
//! the model: nothing is serialised, and nothing is built per rule.
//!
//! A key is absent from an entity's map when the file does not set it, and
//! also when its value is unknown (invalid, or a reference that did not
//! resolve: ORG008, ORG001 and ORG004 report those). Defaults are filled in
//! (`employment`, `internal_systems`); `role` and `level` are the resolved
//! ids, never an alias or a short level form.

use std::collections::HashMap;

use cel::common::types::{CelBool, CelList, CelMap, CelMapKey, CelString};
use cel::common::value::Val;
use rayon::prelude::*;

use crate::diagnostic::EntityKind;
use crate::model::{
    Body, Field, Holder, List, Model, Organisation, Person, Ref, Service, Supplier, Team,
};
use crate::source::Span;

/// A value of the interpreter, borrowing from the model.
pub type Boxed<'m> = Box<dyn Val + 'm>;

/// The keys of each kind's map, as CEL sees them.
pub fn keys(kind: EntityKind) -> &'static [&'static str] {
    match kind {
        EntityKind::Organisation => Organisation::CEL_KEYS,
        EntityKind::Person => Person::CEL_KEYS,
        EntityKind::Team => Team::CEL_KEYS,
        EntityKind::Service => Service::CEL_KEYS,
        EntityKind::Body => Body::CEL_KEYS,
        EntityKind::Supplier => Supplier::CEL_KEYS,
        EntityKind::Post | EntityKind::Accountability | EntityKind::Role => &[],
    }
}

/// The keys of `org`.
pub const ORG_KEYS: &[&str] = &[
    "organisation",
    "posts",
    "accountabilities",
    "people",
    "teams",
    "services",
    "governance",
    "suppliers",
];

/// Which keys of `org` to build, a bit per entry of [`ORG_KEYS`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OrgParts(u8);

impl OrgParts {
    pub const ALL: OrgParts = OrgParts(u8::MAX);

    pub fn with(self, key: &str) -> OrgParts {
        match ORG_KEYS.iter().position(|k| *k == key) {
            Some(i) => OrgParts(self.0 | 1 << i),
            None => self,
        }
    }

    pub fn union(self, other: OrgParts) -> OrgParts {
        OrgParts(self.0 | other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    fn has(self, key: &str) -> bool {
        ORG_KEYS
            .iter()
            .position(|k| *k == key)
            .is_some_and(|i| self.0 & (1 << i) != 0)
    }
}

/// An entity a CEL rule can run on.
pub trait Entity: Sync {
    const KIND: EntityKind;
    /// The key of `org` that maps ids to entities of this kind.
    const ORG_KEY: Option<&'static str>;
    fn id(&self) -> &str;
    /// The `name` when known.
    fn name(&self) -> Option<&str>;
    fn header(&self) -> Span;
    /// The span of a key's value (kebab-case key, as in the file).
    fn key_span(&self, key: &str) -> Option<Span>;
    /// The entity as CEL sees it.
    fn value<'m>(&'m self, model: &'m Model) -> CelMap<'m>;
    /// The keys whose value is unknown (see [`Resolved`]).
    fn unknown(&self) -> KeySet;
}

/// The model keeps its entities boxed (see `model::FileDefs`).
impl<T: Entity> Entity for Box<T> {
    const KIND: EntityKind = T::KIND;
    const ORG_KEY: Option<&'static str> = T::ORG_KEY;
    fn id(&self) -> &str {
        T::id(self)
    }
    fn name(&self) -> Option<&str> {
        T::name(self)
    }
    fn header(&self) -> Span {
        T::header(self)
    }
    fn key_span(&self, key: &str) -> Option<Span> {
        T::key_span(self, key)
    }
    fn value<'m>(&'m self, model: &'m Model) -> CelMap<'m> {
        T::value(self, model)
    }
    fn unknown(&self) -> KeySet {
        T::unknown(self)
    }
}

/// A set of keys of one kind's map: bit `i` is `keys(kind)[i]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeySet(u32);

impl KeySet {
    /// Every key (an expression that uses its entity as a whole).
    pub const ALL: KeySet = KeySet(u32::MAX);

    pub fn with(self, kind: EntityKind, key: &str) -> KeySet {
        match keys(kind).iter().position(|k| *k == key) {
            Some(i) => KeySet(self.0 | 1 << i),
            None => self,
        }
    }

    pub fn union(self, other: KeySet) -> KeySet {
        KeySet(self.0 | other.0)
    }

    pub fn intersects(self, other: KeySet) -> bool {
        self.0 & other.0 != 0
    }
}

/// Whether a value is known: for a reference, that it resolved (ORG001,
/// ORG004 otherwise); for a list, that every element is.
trait Resolved {
    fn resolved(&self) -> bool;
}

impl Resolved for Ref {
    fn resolved(&self) -> bool {
        self.target().is_some()
    }
}

impl<T: Resolved> Resolved for Vec<Field<T>> {
    fn resolved(&self) -> bool {
        self.iter()
            .all(|e| e.value.as_ref().is_some_and(Resolved::resolved))
    }
}

macro_rules! always_resolved {
    ($($ty:ty),*) => {
        $(impl Resolved for $ty {
            fn resolved(&self) -> bool {
                true
            }
        })*
    };
}

always_resolved!(
    crate::model::Text,
    bool,
    crate::model::OperatingModel,
    crate::model::Employment,
    crate::model::Mode,
    crate::model::Phase,
    crate::model::DecisionRight,
    crate::model::Funding,
    crate::model::Procurement,
    crate::model::Area,
    crate::model::Decision,
    crate::model::SupplierKind
);

/// Whether a field is unknown (decisions.md 3): written, but invalid
/// (ORG008) or unresolved, or a list with such an element. Absent is not
/// unknown.
fn unknown<T: Resolved>(field: &Option<Field<T>>) -> bool {
    field
        .as_ref()
        .is_some_and(|f| !f.value.as_ref().is_some_and(Resolved::resolved))
}

/// Builds one map.
struct Map<'m>(HashMap<CelMapKey<'m>, Boxed<'m>>);

impl<'m> Map<'m> {
    fn new(id: &'m str, name: Option<&'m str>, keys: usize) -> Self {
        let mut map = Map(HashMap::with_capacity(keys));
        map.str("id", Some(id));
        map.str("name", name);
        map
    }

    fn put(&mut self, key: &'static str, value: Boxed<'m>) {
        self.0.insert(CelMapKey::from(key), value);
    }

    fn str(&mut self, key: &'static str, value: Option<&'m str>) {
        if let Some(v) = value {
            self.put(key, Box::new(CelString::from(v)));
        }
    }

    fn bool(&mut self, key: &'static str, value: Option<bool>) {
        if let Some(v) = value {
            self.put(key, Box::new(CelBool::from(v)));
        }
    }

    fn list(&mut self, key: &'static str, value: Option<Vec<&'m str>>) {
        if let Some(items) = value {
            self.put(key, strings(items));
        }
    }

    fn finish(self) -> CelMap<'m> {
        CelMap::from(self.0)
    }
}

fn strings<'m>(items: Vec<&'m str>) -> Boxed<'m> {
    let items: Vec<Boxed<'m>> = items
        .into_iter()
        .map(|s| Box::new(CelString::from(s)) as Boxed<'m>)
        .collect();
    Box::new(CelList::from(items))
}

/// A known string value.
fn text(field: &Option<Field<crate::model::Text>>) -> Option<&str> {
    field.as_ref()?.value.as_deref()
}

/// A known enumeration value.
fn word<T: Copy>(field: &Option<Field<T>>, as_str: fn(T) -> &'static str) -> Option<&'static str> {
    field.as_ref()?.value.map(as_str)
}

/// The id of a resolved reference to an entity of `kind`.
fn link<'m>(field: &Option<Field<Ref>>, model: &'m Model, kind: EntityKind) -> Option<&'m str> {
    resolved(field.as_ref()?, model, kind)
}

fn resolved<'m>(field: &Field<Ref>, model: &'m Model, kind: EntityKind) -> Option<&'m str> {
    model.id_of(kind, field.value.as_ref()?.target()?)
}

/// The resolved ids of a reference list (unresolved elements left out).
fn links<'m>(list: &Option<List<Ref>>, model: &'m Model, kind: EntityKind) -> Option<Vec<&'m str>> {
    let items = list.as_ref()?.value.as_ref()?;
    Some(
        items
            .iter()
            .filter_map(|e| resolved(e, model, kind))
            .collect(),
    )
}

/// The known elements of a list of strings.
fn texts(list: &Option<List<crate::model::Text>>) -> Option<Vec<&str>> {
    let items = list.as_ref()?.value.as_ref()?;
    Some(items.iter().filter_map(|e| e.value.as_deref()).collect())
}

/// The known elements of a list of enumeration values.
fn words<T: Copy>(
    list: &Option<List<T>>,
    as_str: fn(T) -> &'static str,
) -> Option<Vec<&'static str>> {
    let items = list.as_ref()?.value.as_ref()?;
    Some(items.iter().filter_map(|e| e.value.map(as_str)).collect())
}

fn span<T>(field: &Option<Field<T>>) -> Option<Span> {
    field.as_ref().map(|f| f.span)
}

/// Implements [`Entity`] for one kind from one list of its keys: the
/// snake_case key CEL sees, the kebab-case key of the file (for `at`), the
/// field, and how its value is put in the map. `keys`, `key_span` and `value`
/// come from the same list, so they cannot disagree. `id`, `name` and
/// `header` are the same for every kind.
macro_rules! entity {
    (
        $ty:ident: $kind:ident, org key $org:expr, id |$id_this:ident| $id:expr;
        |$this:ident, $model:ident| {
            $( $cel:literal / $kebab:literal / $field:ident => $put:ident($value:expr) ),* $(,)?
        }
    ) => {
        impl $ty {
            /// The keys of its map, as CEL sees them.
            const CEL_KEYS: &'static [&'static str] = &["id", "name", $($cel),*];
        }

        impl Entity for $ty {
            const KIND: EntityKind = EntityKind::$kind;
            const ORG_KEY: Option<&'static str> = $org;
            fn id(&self) -> &str {
                let $id_this = self;
                $id
            }
            fn name(&self) -> Option<&str> {
                text(&self.name)
            }
            fn header(&self) -> Span {
                self.header
            }
            fn key_span(&self, key: &str) -> Option<Span> {
                match key {
                    "name" => span(&self.name),
                    $($kebab => span(&self.$field),)*
                    _ => None,
                }
            }
            fn value<'m>(&'m self, $model: &'m Model) -> CelMap<'m> {
                let _ = $model;
                let $this = self;
                let mut m = Map::new($this.id(), $this.name(), Self::CEL_KEYS.len());
                $( m.$put($cel, $value); )*
                m.finish()
            }
            fn unknown(&self) -> KeySet {
                // Bits in the order of CEL_KEYS: `id` is never unknown.
                let mut bits = u32::from(unknown(&self.name)) << 1;
                let mut _bit = 2;
                $(
                    bits |= u32::from(unknown(&self.$field)) << _bit;
                    _bit += 1;
                )*
                KeySet(bits)
            }
        }
    };
}

entity! {
    Organisation: Organisation, org key None, id |_o| "organisation";
    |o, model| {
        "operating_model" / "operating-model" / operating_model
            => str(word(&o.operating_model, |v| v.as_str())),
    }
}

entity! {
    Person: Person, org key Some("people"), id |p| &p.id;
    |p, model| {
        "role" / "role" / role => str(role(p, model).map(|r| r.id.as_str())),
        "level" / "level" / level => str(level(p, model)),
        "employment" / "employment" / employment
            => str(p.employment().known().map(|e| e.as_str())),
        "supplier" / "supplier" / supplier => str(link(&p.supplier, model, EntityKind::Supplier)),
        "reports_to" / "reports-to" / reports_to => str(link(&p.reports_to, model, EntityKind::Person)),
    }
}

entity! {
    Team: Team, org key Some("teams"), id |t| &t.id;
    |t, model| {
        "mode" / "mode" / mode => str(word(&t.mode, |v| v.as_str())),
        "phase" / "phase" / phase => str(word(&t.phase, |v| v.as_str())),
        "services" / "services" / services => list(links(&t.services, model, EntityKind::Service)),
        "members" / "members" / members => list(links(&t.members, model, EntityKind::Person)),
        "lead" / "lead" / lead => str(link(&t.lead, model, EntityKind::Person)),
        "managed_by" / "managed-by" / managed_by => str(link(&t.managed_by, model, EntityKind::Supplier)),
    }
}

entity! {
    Service: Service, org key Some("services"), id |s| &s.id;
    |s, model| {
        "owner" / "owner" / owner => str(link(&s.owner, model, EntityKind::Person)),
        "decision_rights" / "decision-rights" / decision_rights
            => list(words(&s.decision_rights, |v| v.as_str())),
        "user_needs" / "user-needs" / user_needs => list(texts(&s.user_needs)),
        "internal_systems" / "internal-systems" / internal_systems
            => bool(s.internal_systems().known()),
        "funding" / "funding" / funding => str(word(&s.funding, |v| v.as_str())),
        "procurement" / "procurement" / procurement
            => str(word(&s.procurement, |v| v.as_str())),
        "managed_by" / "managed-by" / managed_by => str(link(&s.managed_by, model, EntityKind::Supplier)),
    }
}

entity! {
    Body: Body, org key Some("governance"), id |b| &b.id;
    |b, model| {
        "parent" / "parent" / parent => str(link(&b.parent, model, EntityKind::Body)),
        "area" / "area" / area => str(word(&b.area, |v| v.as_str())),
        "decision" / "decision" / decision => str(word(&b.decision, |v| v.as_str())),
        "owner" / "owner" / owner => str(link(&b.owner, model, EntityKind::Person)),
        "members" / "members" / members => list(links(&b.members, model, EntityKind::Person)),
        "remit" / "remit" / remit => list(texts(&b.remit)),
    }
}

entity! {
    Supplier: Supplier, org key Some("suppliers"), id |s| &s.id;
    |s, model| {
        "kind" / "kind" / kind => str(word(&s.kind, |v| v.as_str())),
    }
}

/// A person's resolved role.
fn role<'m>(p: &'m Person, model: &'m Model) -> Option<&'m crate::model::RoleInfo> {
    let ix = p.role.as_ref()?.value.as_ref()?.target()?;
    model.catalogue.roles.get(ix)
}

/// A person's resolved level: the role's own level id, never a short form.
fn level<'m>(p: &'m Person, model: &'m Model) -> Option<&'m str> {
    let ix = p.level.as_ref()?.value.as_ref()?.target()?;
    role(p, model)?.levels.get(ix).map(String::as_str)
}

/// `org`: each of its keys built as a map of its own, so that an entity's
/// value is shared by `org` and the binding of the entity, and so that the
/// maps can be dropped in parallel.
///
/// Expressions reach a key as the qualified name `org.people`, which CEL
/// resolves as a variable of that name before it tries `org` (the
/// interpreter looks the longest prefix of a qualified name up first).
/// Only an expression that uses `org` otherwise (`has(org.organisation)`,
/// `size(org)`) needs `org` as one map: [`Org::whole`].
pub struct Org<'m> {
    parts: Vec<(&'static str, CelMap<'m>)>,
    /// `org` as one map, when an expression needs it; else an empty map, so
    /// that an absent key (`org.organisation` without `[organisation]`) is
    /// "No such key".
    whole: CelMap<'m>,
}

impl<'m> Org<'m> {
    /// Builds the keys in `parts` (the others absent), and `org` as one map
    /// when `whole`.
    pub fn build(model: &'m Model, parts: OrgParts, whole: bool) -> Org<'m> {
        let mut out: Vec<(&'static str, CelMap<'m>)> = Vec::with_capacity(ORG_KEYS.len());
        if parts.has("organisation")
            && let Some(o) = &model.organisation
        {
            out.push(("organisation", o.value(model)));
        }
        if parts.has("posts") {
            out.push(("posts", assignments(&model.posts, model)));
        }
        if parts.has("accountabilities") {
            out.push((
                "accountabilities",
                assignments(&model.accountabilities, model),
            ));
        }
        if parts.has("people") {
            out.push(("people", by_id(&model.people, model)));
        }
        if parts.has("teams") {
            out.push(("teams", by_id(&model.teams, model)));
        }
        if parts.has("services") {
            out.push(("services", by_id(&model.services, model)));
        }
        if parts.has("governance") {
            out.push(("governance", by_id(&model.bodies, model)));
        }
        if parts.has("suppliers") {
            out.push(("suppliers", by_id(&model.suppliers, model)));
        }
        let whole = if whole {
            // Rare: a copy of every part.
            out.iter()
                .map(|(k, v)| (CelMapKey::from(*k), Box::new(v.clone()) as Boxed<'m>))
                .collect()
        } else {
            HashMap::new()
        };
        Org {
            parts: out,
            whole: CelMap::from(whole),
        }
    }

    /// The map under `key`.
    pub fn part(&self, key: &str) -> Option<&CelMap<'m>> {
        self.parts.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// The value of the variable `name`: `org`, or `org.<key>`.
    pub fn resolve(&self, name: &str) -> Option<&(dyn Val + 'm)> {
        match name.strip_prefix("org") {
            Some("") => Some(&self.whole),
            Some(rest) => {
                let part = self.part(rest.strip_prefix('.')?)?;
                Some(part)
            }
            None => None,
        }
    }

    /// Drops the maps, their entries in parallel.
    pub fn drop_in_parallel(self) {
        drop(self.whole);
        self.parts.into_par_iter().for_each(|(_, map)| {
            map.into_inner().into_par_iter().for_each(drop);
        });
    }
}

/// A map id -> entity, built in parallel. The first definition of an id
/// wins, as in the model.
fn by_id<'m, E: Entity>(entities: &'m [E], model: &'m Model) -> CelMap<'m> {
    let values: Vec<(CelMapKey<'m>, Boxed<'m>)> = entities
        .par_iter()
        .map(|e| {
            (
                CelMapKey::from(e.id()),
                Box::new(e.value(model)) as Boxed<'m>,
            )
        })
        .collect();
    let mut map: HashMap<CelMapKey<'m>, Boxed<'m>> = HashMap::with_capacity(values.len());
    for (k, v) in values {
        map.entry(k).or_insert(v);
    }
    CelMap::from(map)
}

/// Posts or accountability areas: name -> person id, or a list of ids for a
/// shared one. Unknown holders are left out.
fn assignments<'m>(list: &'m [crate::model::Assignment], model: &'m Model) -> CelMap<'m> {
    let mut map: HashMap<CelMapKey<'m>, Boxed<'m>> = HashMap::with_capacity(list.len());
    for a in list {
        let value: Boxed<'m> = match &a.holder {
            Holder::One(f) => match resolved(f, model, EntityKind::Person) {
                Some(id) => Box::new(CelString::from(id)),
                None => continue,
            },
            Holder::Shared(l) => match l.value.as_ref() {
                Some(items) => strings(
                    items
                        .iter()
                        .filter_map(|e| resolved(e, model, EntityKind::Person))
                        .collect(),
                ),
                None => continue,
            },
            Holder::Invalid(_) => continue,
        };
        map.entry(CelMapKey::from(a.name.as_str())).or_insert(value);
    }
    CelMap::from(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_the_file_format() {
        // Every key of the file format (`load::schema`, kebab-case) is a key
        // of the map (snake_case), and every entity has an `id`.
        for &(_, kind) in crate::pack::FOR_EACH {
            let file_keys = crate::load::schema::fields(kind).expect("a table of keys");
            let mut expected: Vec<String> =
                file_keys.iter().map(|f| f.key.replace('-', "_")).collect();
            expected.insert(0, "id".to_owned());
            assert_eq!(keys(kind), expected.as_slice(), "{kind:?}");
        }
    }

    /// A table of `E` setting every key of its kind in `load::schema`.
    fn full_table<E: Entity>() -> String {
        use crate::load::schema::Ty;
        let mut out = match E::ORG_KEY {
            None => "[organisation]\n".to_owned(),
            Some(key) => format!("[{key}.x]\n"),
        };
        for f in crate::load::schema::fields(E::KIND).expect("a table of keys") {
            let value = match f.ty {
                Ty::Bool => "true".to_owned(),
                Ty::Enum(values) => format!("{:?}", values.first().expect("a value")),
                Ty::EnumList(values) => format!("[{:?}]", values.first().expect("a value")),
                Ty::Str | Ty::Ref => "\"x\"".to_owned(),
                Ty::RefList { .. } | Ty::StrList | Ty::SlugList => "[\"x\"]".to_owned(),
            };
            out.push_str(&format!("{} = {value}\n", f.key));
        }
        out
    }

    fn spans_every_key<E: Entity>(entity: Option<&E>) {
        let entity = entity.unwrap_or_else(|| panic!("a {:?}", E::KIND));
        for f in crate::load::schema::fields(E::KIND).expect("a table of keys") {
            assert!(entity.key_span(f.key).is_some(), "{:?}: {}", E::KIND, f.key);
        }
    }

    #[test]
    fn key_span_knows_every_key_of_the_file_format() {
        let text = [
            full_table::<Organisation>(),
            full_table::<Person>(),
            full_table::<Team>(),
            full_table::<Service>(),
            full_table::<Body>(),
            full_table::<Supplier>(),
        ]
        .join("\n");
        let (defs, _) = crate::load::load_text(crate::source::FileId(0), &text);
        spans_every_key(defs.organisation.as_ref());
        spans_every_key(defs.people.first());
        spans_every_key(defs.teams.first());
        spans_every_key(defs.services.first());
        spans_every_key(defs.bodies.first());
        spans_every_key(defs.suppliers.first());
        // The kinds above are those a rule can run on.
        assert_eq!(crate::pack::FOR_EACH.len(), 6);
    }

    #[test]
    fn org_parts() {
        let parts = OrgParts::default().with("people").with("posts");
        assert!(parts.has("people") && parts.has("posts"));
        assert!(!parts.has("teams"));
        assert!(OrgParts::default().is_empty());
        assert!(OrgParts::ALL.has("suppliers"));
        assert_eq!(OrgParts::default().with("nope"), OrgParts::default());
    }
}
