//! The resolved organisation: every entity of every file in one model, each
//! id indexed once and every reference linked.
//!
//! A value has three states that rules must keep apart (decisions.md 3):
//! absent (`None`), unknown (present, but invalid or unresolved: reported by
//! ORG001/ORG004/ORG008, and skipped by every other rule), and known.

pub mod catalogue;
pub mod resolve;

use foldhash::HashMap;

use crate::diagnostic::EntityKind;
use crate::source::{FileId, Span};

pub use catalogue::{Catalogue, Rank, RoleInfo};

/// A string of the model: ids, names and list items. Most are short, and
/// `CompactString` keeps up to 24 bytes inline, so reading 17,000 people
/// makes no allocation per value (and the model is a third smaller).
pub type Text = compact_str::CompactString;

/// A value as written, with its span. `value` is `None` when the value was
/// invalid (and reported as ORG008).
#[derive(Clone, Debug)]
pub struct Field<T> {
    pub span: Span,
    pub value: Option<T>,
}

impl<T> Field<T> {
    pub fn known(span: Span, value: T) -> Self {
        Field {
            span,
            value: Some(value),
        }
    }

    pub fn invalid(span: Span) -> Self {
        Field { span, value: None }
    }
}

/// A reference to another entity: the id as written until resolution links
/// it to the index of its target. A reference that did not resolve (ORG001
/// or ORG004) keeps its id, for the messages that name it; a linked one
/// names its target, whose id is the same string.
///
/// One word smaller than an id and an index side by side: a linked
/// reference needs no id (its target has it), and `CompactString`'s niche
/// holds the tag, so a `Field<Ref>` is 40 bytes, not 48, and a `Person`
/// fits mimalloc's 256-byte size class instead of the 320-byte one (11 MB
/// less for 170,000 people).
#[derive(Clone, Debug)]
pub enum Ref {
    /// Not linked (yet, or ever: an unknown reference).
    Id(Text),
    /// Linked to the entity (or role, or level) at this index.
    Target(u32),
}

impl Ref {
    /// A reference not yet linked.
    pub fn new(id: impl Into<Text>) -> Self {
        Ref::Id(id.into())
    }

    /// The index of its target, once linked.
    pub fn target(&self) -> Option<usize> {
        match self {
            Ref::Target(t) => Some(*t as usize),
            Ref::Id(_) => None,
        }
    }

    /// The id as written, while it is not linked.
    pub fn unresolved(&self) -> Option<&str> {
        match self {
            Ref::Id(id) => Some(id),
            Ref::Target(_) => None,
        }
    }

    /// Links it to the entity at `ix` (an index past `u32` leaves it
    /// unlinked; no model is that large).
    pub fn link(&mut self, ix: usize) {
        if let Ok(ix) = u32::try_from(ix) {
            *self = Ref::Target(ix);
        }
    }
}

/// The three states of a value (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value<T> {
    Absent,
    Unknown,
    Known(T),
}

impl<T> Value<T> {
    pub fn known(self) -> Option<T> {
        match self {
            Value::Known(t) => Some(t),
            _ => None,
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Value::Absent)
    }
}

/// The state of an optional reference field.
pub fn link(field: &Option<Field<Ref>>) -> Value<usize> {
    match field {
        None => Value::Absent,
        Some(f) => match f.value.as_ref().and_then(Ref::target) {
            Some(ix) => Value::Known(ix),
            None => Value::Unknown,
        },
    }
}

/// The state of an optional plain field.
pub fn value<T: Copy>(field: &Option<Field<T>>) -> Value<T> {
    match field {
        None => Value::Absent,
        Some(Field { value: Some(v), .. }) => Value::Known(*v),
        Some(_) => Value::Unknown,
    }
}

/// A list value: the list's span and its elements (duplicates dropped).
pub type List<T> = Field<Vec<Field<T>>>;

/// Resolved targets of a reference list, skipping unknown elements.
pub fn targets(list: &Option<List<Ref>>) -> impl Iterator<Item = (usize, Span)> + '_ {
    list.iter()
        .filter_map(|l| l.value.as_ref())
        .flatten()
        .filter_map(|e| Some((e.value.as_ref()?.target()?, e.span)))
}

/// Whether a reference list has an unknown element (invalid, or a reference
/// that did not resolve): then what the list holds is not known in full.
pub fn has_unknown(list: &Option<List<Ref>>) -> bool {
    list.iter()
        .filter_map(|l| l.value.as_ref())
        .flatten()
        .any(|e| e.value.as_ref().and_then(Ref::target).is_none())
}

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),* }

        impl $name {
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)* _ => None }
            }

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }
        }
    };
}

string_enum!(
    /// The DDaT operating model.
    OperatingModel { Process = "process", Enabling = "enabling", Product = "product" }
);
string_enum!(Employment {
    CivilServant = "civil-servant",
    Contractor = "contractor",
    Supplier = "supplier",
});
string_enum!(Mode {
    Innovation = "innovation",
    Stability = "stability"
});
string_enum!(Phase {
    Discovery = "discovery",
    Alpha = "alpha",
    Beta = "beta",
    Live = "live"
});
string_enum!(DecisionRight {
    Product = "product",
    Business = "business",
    Technical = "technical"
});
string_enum!(Funding {
    Continuous = "continuous",
    Project = "project"
});
string_enum!(Procurement {
    UserNeeds = "user-needs",
    BestValue = "best-value"
});
string_enum!(Area {
    Executive = "executive",
    MissionIt = "mission-it",
    DigitalPublicServices = "digital-public-services",
    Infrastructure = "infrastructure",
    SharedServices = "shared-services",
});
string_enum!(Decision {
    AccountableOwner = "accountable-owner",
    Consensus = "consensus",
    Majority = "majority",
    Advisory = "advisory",
});
string_enum!(SupplierKind {
    DeliveryPartner = "delivery-partner",
    ItProjectManagement = "it-project-management",
    Commodity = "commodity",
    Specialist = "specialist",
});

/// `[organisation]`.
#[derive(Clone, Debug)]
pub struct Organisation {
    pub header: Span,
    pub name: Option<Field<Text>>,
    pub operating_model: Option<Field<OperatingModel>>,
}

/// The value of a post or an accountability area.
#[derive(Clone, Debug)]
pub enum Holder {
    /// One person (as it should be).
    One(Field<Ref>),
    /// A list of people (LEAD004: shared accountability is never valid).
    Shared(List<Ref>),
    /// Neither a string nor a list (ORG008).
    Invalid(Span),
}

impl Holder {
    /// The person holding it, when it is one known person.
    pub fn person(&self) -> Value<usize> {
        match self {
            Holder::One(f) => match f.value.as_ref().and_then(Ref::target) {
                Some(ix) => Value::Known(ix),
                None => Value::Unknown,
            },
            Holder::Shared(_) | Holder::Invalid(_) => Value::Unknown,
        }
    }

    /// Every known person holding it: the one person, or the known people
    /// of a shared list.
    pub fn people(&self) -> impl Iterator<Item = usize> + '_ {
        let (one, shared) = match self {
            Holder::One(f) => (f.value.as_ref().and_then(Ref::target), None),
            Holder::Shared(l) => (None, l.value.as_ref()),
            Holder::Invalid(_) => (None, None),
        };
        one.into_iter().chain(
            shared
                .into_iter()
                .flatten()
                .filter_map(|e| e.value.as_ref()?.target()),
        )
    }

    /// The span of the value.
    pub fn span(&self) -> Span {
        match self {
            Holder::One(f) => f.span,
            Holder::Shared(l) => l.span,
            Holder::Invalid(s) => *s,
        }
    }
}

/// One entry of `[posts]` or `[accountabilities]`.
#[derive(Clone, Debug)]
pub struct Assignment {
    pub name: Text,
    /// The span of the key.
    pub key: Span,
    /// The span of the `[posts]`/`[accountabilities]` header (or key path).
    pub header: Span,
    pub holder: Holder,
}

#[derive(Clone, Debug)]
pub struct Person {
    pub id: Text,
    pub header: Span,
    pub name: Option<Field<Text>>,
    /// Target: a role index in the catalogue.
    pub role: Option<Field<Ref>>,
    /// Target: an index into the role's `levels`.
    pub level: Option<Field<Ref>>,
    pub employment: Option<Field<Employment>>,
    pub supplier: Option<Field<Ref>>,
    pub reports_to: Option<Field<Ref>>,
}

impl Person {
    /// Employment with its default filled in; unknown when invalid.
    pub fn employment(&self) -> Value<Employment> {
        match value(&self.employment) {
            Value::Absent => Value::Known(Employment::CivilServant),
            v => v,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Team {
    pub id: Text,
    pub header: Span,
    pub name: Option<Field<Text>>,
    pub mode: Option<Field<Mode>>,
    pub phase: Option<Field<Phase>>,
    pub services: Option<List<Ref>>,
    pub members: Option<List<Ref>>,
    pub lead: Option<Field<Ref>>,
    pub managed_by: Option<Field<Ref>>,
}

#[derive(Clone, Debug)]
pub struct Service {
    pub id: Text,
    pub header: Span,
    pub name: Option<Field<Text>>,
    pub owner: Option<Field<Ref>>,
    pub decision_rights: Option<List<DecisionRight>>,
    pub user_needs: Option<List<Text>>,
    pub internal_systems: Option<Field<bool>>,
    pub funding: Option<Field<Funding>>,
    pub procurement: Option<Field<Procurement>>,
    pub managed_by: Option<Field<Ref>>,
}

impl Service {
    /// `internal-systems` with its default (false) filled in.
    pub fn internal_systems(&self) -> Value<bool> {
        match value(&self.internal_systems) {
            Value::Absent => Value::Known(false),
            v => v,
        }
    }
}

/// A governance body.
#[derive(Clone, Debug)]
pub struct Body {
    pub id: Text,
    pub header: Span,
    pub name: Option<Field<Text>>,
    pub parent: Option<Field<Ref>>,
    pub area: Option<Field<Area>>,
    pub decision: Option<Field<Decision>>,
    pub owner: Option<Field<Ref>>,
    pub members: Option<List<Ref>>,
    pub remit: Option<List<Text>>,
}

#[derive(Clone, Debug)]
pub struct Supplier {
    pub id: Text,
    pub header: Span,
    pub name: Option<Field<Text>>,
    pub kind: Option<Field<SupplierKind>>,
}

/// A local `[roles.<id>]` table, as written.
#[derive(Clone, Debug)]
pub struct LocalRole {
    pub id: Text,
    pub header: Span,
    pub name: Option<Field<Text>>,
    pub family: Option<Field<Text>>,
    pub levels: Option<List<Text>>,
    pub aliases: Option<List<Text>>,
}

/// Everything one file defines, before resolution.
///
/// Entities are boxed: resolve moves each file's entities into the model,
/// and moving pointers instead of ~300-byte structs means the model never
/// holds a second copy of the organisation in memory (70 MB less at the
/// peak for 170,000 people).
#[derive(Clone, Debug, Default)]
pub struct FileDefs {
    pub organisation: Option<Organisation>,
    /// The span naming `[posts]` in this file, if it has one.
    pub posts_header: Option<Span>,
    /// The span naming `[accountabilities]` in this file, if it has one.
    pub accountabilities_header: Option<Span>,
    pub posts: Vec<Assignment>,
    pub accountabilities: Vec<Assignment>,
    pub people: Vec<Box<Person>>,
    pub teams: Vec<Box<Team>>,
    pub services: Vec<Box<Service>>,
    pub bodies: Vec<Box<Body>>,
    pub suppliers: Vec<Box<Supplier>>,
    pub roles: Vec<LocalRole>,
}

/// The whole organisation, resolved.
#[derive(Debug, Default)]
pub struct Model {
    /// The first `[organisation]` (path/line order).
    pub organisation: Option<Organisation>,
    /// The first `[posts]` header (path/line order): where LEAD findings
    /// about an unassigned post point.
    pub posts_header: Option<Span>,
    /// The first `[accountabilities]` header (path/line order).
    pub accountabilities_header: Option<Span>,
    pub posts: Vec<Assignment>,
    pub accountabilities: Vec<Assignment>,
    pub people: Vec<Box<Person>>,
    pub teams: Vec<Box<Team>>,
    pub services: Vec<Box<Service>>,
    pub bodies: Vec<Box<Body>>,
    pub suppliers: Vec<Box<Supplier>>,
    pub roles: Vec<LocalRole>,
    /// Built-in and local roles; person `role` targets index into it.
    pub catalogue: Catalogue,
    /// The files the model was read from, in path order.
    pub files: Vec<FileId>,
    /// Id -> index maps. Resolution needs every kind's; afterwards only the
    /// posts' and accountabilities' stay (rules look posts up by name), and
    /// the others are dropped: 10 MB for 170,000 people that no rule reads.
    pub(crate) ids: Ids,
    /// The entity id maps again, built at the first [`Model::lookup`] of
    /// an entity kind (library callers; orglint itself never looks up).
    entity_ids: std::sync::OnceLock<Ids>,
}

/// Id -> index maps, one per kind.
#[derive(Debug, Default)]
pub(crate) struct Ids {
    pub people: HashMap<Text, usize>,
    pub teams: HashMap<Text, usize>,
    pub services: HashMap<Text, usize>,
    pub bodies: HashMap<Text, usize>,
    pub suppliers: HashMap<Text, usize>,
    pub posts: HashMap<Text, usize>,
    pub accountabilities: HashMap<Text, usize>,
}

impl Model {
    /// The holder of a post, by name.
    pub fn post(&self, name: &str) -> Option<&Assignment> {
        self.ids.posts.get(name).and_then(|&i| self.posts.get(i))
    }

    /// The one known person holding post `name`, with the post (for the
    /// span of its value); `None` when the post is unassigned or its holder
    /// unknown (a list: LEAD004; an unresolved id: ORG001; invalid: ORG008).
    pub fn post_holder(&self, name: &str) -> Option<(usize, &Assignment)> {
        let post = self.post(name)?;
        post.holder.person().known().map(|p| (p, post))
    }

    /// The id of a person by index (empty if out of range, which resolution
    /// never produces).
    pub fn person_id(&self, ix: usize) -> &str {
        self.people.get(ix).map_or("", |p| p.id.as_str())
    }

    /// The id of the entity of `kind` at `ix`: what a reference linked to it
    /// was written as. `None` for a kind without ids here (organisation,
    /// role) or an index out of range.
    pub fn id_of(&self, kind: EntityKind, ix: usize) -> Option<&str> {
        Some(match kind {
            EntityKind::Person => self.people.get(ix)?.id.as_str(),
            EntityKind::Team => self.teams.get(ix)?.id.as_str(),
            EntityKind::Service => self.services.get(ix)?.id.as_str(),
            EntityKind::Body => self.bodies.get(ix)?.id.as_str(),
            EntityKind::Supplier => self.suppliers.get(ix)?.id.as_str(),
            EntityKind::Post => self.posts.get(ix)?.name.as_str(),
            EntityKind::Accountability => self.accountabilities.get(ix)?.name.as_str(),
            EntityKind::Role | EntityKind::Organisation => return None,
        })
    }

    /// The id a reference names: its target's id once linked, else the id
    /// as written.
    pub fn ref_id<'a>(&'a self, kind: EntityKind, r: &'a Ref) -> &'a str {
        match r {
            Ref::Id(id) => id,
            Ref::Target(ix) => self.id_of(kind, *ix as usize).unwrap_or(""),
        }
    }

    /// The holder of an accountability area, by name.
    pub fn accountability(&self, area: &str) -> Option<&Assignment> {
        self.ids
            .accountabilities
            .get(area)
            .and_then(|&i| self.accountabilities.get(i))
    }

    /// The index of an entity by kind and id. The first lookup of an
    /// entity kind indexes every kind's ids, once.
    pub fn lookup(&self, kind: EntityKind, id: &str) -> Option<usize> {
        let ids = match kind {
            EntityKind::Post | EntityKind::Accountability => &self.ids,
            EntityKind::Role => return self.catalogue.lookup(id),
            EntityKind::Organisation => return self.organisation.as_ref().map(|_| 0),
            _ => self.entity_ids.get_or_init(|| self.index_entity_ids()),
        };
        ids.of(kind)?.get(id).copied()
    }

    /// Every entity kind's id map (the model holds each id once: the first
    /// definition's).
    fn index_entity_ids(&self) -> Ids {
        fn map<T>(items: &[Box<T>], id: impl Fn(&T) -> &Text) -> HashMap<Text, usize> {
            items
                .iter()
                .enumerate()
                .map(|(i, e)| (id(e).clone(), i))
                .collect()
        }
        Ids {
            people: map(&self.people, |e| &e.id),
            teams: map(&self.teams, |e| &e.id),
            services: map(&self.services, |e| &e.id),
            bodies: map(&self.bodies, |e| &e.id),
            suppliers: map(&self.suppliers, |e| &e.id),
            ..Ids::default()
        }
    }

    /// Number of entities (for the summary line).
    pub fn entity_count(&self) -> usize {
        usize::from(self.organisation.is_some())
            + self.people.len()
            + self.teams.len()
            + self.services.len()
            + self.bodies.len()
            + self.suppliers.len()
            + self.roles.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The model's size at scale rests on these: a linked reference carries
    /// no id, and a person fits mimalloc's 256-byte size class (a 257-byte
    /// one takes 320). Grow them only with a measurement.
    #[test]
    fn references_and_people_stay_small() {
        assert_eq!(std::mem::size_of::<Ref>(), 24);
        assert_eq!(std::mem::size_of::<Option<Field<Ref>>>(), 40);
        assert!(
            std::mem::size_of::<Person>() <= 256,
            "{}",
            std::mem::size_of::<Person>()
        );
    }

    /// A linked reference is named by its target's id, an unknown one by
    /// the id as written.
    #[test]
    fn a_reference_is_named_by_its_target_or_as_written() {
        let text = "[people.a]\nname = \"A\"\nrole = \"service-owner\"\n\
                    [accountabilities]\ndata = [\"a\", \"nobody\"]\n";
        let (defs, load) = crate::load::load_text(crate::source::FileId(0), text);
        assert!(load.is_empty(), "{load:?}");
        let (model, _) = resolve::resolve(vec![(crate::source::FileId(0), defs)]);
        let Some(Holder::Shared(list)) = model.accountability("data").map(|a| &a.holder) else {
            panic!("a shared accountability");
        };
        let refs: Vec<&Ref> = list
            .value
            .iter()
            .flatten()
            .filter_map(|f| f.value.as_ref())
            .collect();
        assert_eq!(refs.len(), 2);
        assert_eq!(refs.first().and_then(|r| r.target()), Some(0));
        assert_eq!(refs.get(1).and_then(|r| r.unresolved()), Some("nobody"));
        let names: Vec<&str> = refs
            .iter()
            .map(|r| model.ref_id(EntityKind::Person, r))
            .collect();
        assert_eq!(names, ["a", "nobody"]);
        assert_eq!(model.id_of(EntityKind::Person, 0), Some("a"));
        assert_eq!(model.id_of(EntityKind::Person, 1), None);
        assert_eq!(model.id_of(EntityKind::Role, 0), None);
    }
}
