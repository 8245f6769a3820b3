//! The resolve stage: merge every file's definitions into one [`Model`],
//! index each id once, link every reference, and report what does not hold
//! together: ORG001 (unknown reference), ORG002 (duplicate definition) and
//! ORG004 (unknown role or level).

use foldhash::HashMap;

use super::{Assignment, Catalogue, Field, FileDefs, Holder, Model, Ref, RoleInfo, Text};
use crate::diagnostic::{Diagnostic, EntityKind, Severity};
use crate::load::schema;
use crate::source::{FileId, Span};
use crate::suggest;

/// Beyond this many unknown references, ORG001 stops computing
/// did-you-mean suggestions (each one scans the ids of a kind).
const MAX_SUGGESTIONS: usize = 1_000;

/// Resolves the definitions of every file (in path order) into one model.
pub fn resolve(files: Vec<(FileId, FileDefs)>) -> (Model, Vec<Diagnostic>) {
    let mut r = Resolver {
        model: Model {
            catalogue: Catalogue::builtin(),
            ..Model::default()
        },
        diagnostics: Vec::new(),
        pending: Vec::new(),
    };
    // Size every table and id map once, from the files' counts.
    {
        let m = &mut r.model;
        let total = |f: fn(&FileDefs) -> usize| files.iter().map(|(_, d)| f(d)).sum::<usize>();
        m.files.reserve_exact(files.len());
        reserve(&mut m.people, &mut m.ids.people, total(|d| d.people.len()));
        reserve(&mut m.teams, &mut m.ids.teams, total(|d| d.teams.len()));
        reserve(
            &mut m.services,
            &mut m.ids.services,
            total(|d| d.services.len()),
        );
        reserve(&mut m.bodies, &mut m.ids.bodies, total(|d| d.bodies.len()));
        reserve(
            &mut m.suppliers,
            &mut m.ids.suppliers,
            total(|d| d.suppliers.len()),
        );
        reserve(&mut m.posts, &mut m.ids.posts, total(|d| d.posts.len()));
        let accountabilities = total(|d| d.accountabilities.len());
        reserve(
            &mut m.accountabilities,
            &mut m.ids.accountabilities,
            accountabilities,
        );
    }
    let mut role_headers: HashMap<Text, Span> = HashMap::default();
    for (file, defs) in files {
        r.model.files.push(file);
        r.merge(defs, &mut role_headers);
    }
    r.link();
    (r.model, r.diagnostics)
}

struct Resolver {
    model: Model,
    diagnostics: Vec<Diagnostic>,
    /// Unknown references waiting for a did-you-mean: (index of their
    /// ORG001 in `diagnostics`, expected kind, id).
    pending: Vec<(usize, EntityKind, String)>,
}

fn duplicate(kind: EntityKind, id: &str, second: Span, first: Option<Span>) -> Diagnostic {
    let what = match kind {
        EntityKind::Organisation => "`[organisation]` is defined more than once".to_owned(),
        EntityKind::Post => format!("post `{id}` is assigned more than once"),
        EntityKind::Accountability => {
            format!("accountability area `{id}` is assigned more than once")
        }
        _ => format!("{} `{id}` is defined more than once", kind.as_str()),
    };
    let mut d = Diagnostic::new("ORG002", "duplicate-definition", Severity::Error, what)
        .at(second)
        .entity(kind, id)
        .help("keep one definition: the model uses the first one");
    if let Some(first) = first {
        d = d.related(first, "first defined here");
    }
    d
}

fn reserve<T>(into: &mut Vec<T>, ids: &mut HashMap<Text, usize>, n: usize) {
    into.reserve_exact(n);
    ids.reserve(n);
}

/// Inserts each entity whose id is new; reports the others as ORG002.
fn merge_kind<T>(
    kind: EntityKind,
    items: Vec<T>,
    into: &mut Vec<T>,
    ids: &mut HashMap<Text, usize>,
    diagnostics: &mut Vec<Diagnostic>,
    key: impl Fn(&T) -> (&str, Span),
) {
    for item in items {
        let (id, header) = key(&item);
        match ids.get(id) {
            Some(&first) => {
                let first_span = into.get(first).map(|e| key(e).1);
                diagnostics.push(duplicate(kind, id, header, first_span));
            }
            None => {
                ids.insert(Text::from(id), into.len());
                into.push(item);
            }
        }
    }
}

fn assignment_key(a: &Assignment) -> (&str, Span) {
    (a.name.as_str(), a.key)
}

impl Resolver {
    fn merge(&mut self, defs: FileDefs, role_headers: &mut HashMap<Text, Span>) {
        let m = &mut self.model;
        let out = &mut self.diagnostics;
        m.posts_header = m.posts_header.or(defs.posts_header);
        m.accountabilities_header = m.accountabilities_header.or(defs.accountabilities_header);
        if let Some(org) = defs.organisation {
            match &m.organisation {
                Some(first) => out.push(duplicate(
                    EntityKind::Organisation,
                    "organisation",
                    org.header,
                    Some(first.header),
                )),
                None => m.organisation = Some(org),
            }
        }
        merge_kind(
            EntityKind::Post,
            defs.posts,
            &mut m.posts,
            &mut m.ids.posts,
            out,
            assignment_key,
        );
        merge_kind(
            EntityKind::Accountability,
            defs.accountabilities,
            &mut m.accountabilities,
            &mut m.ids.accountabilities,
            out,
            assignment_key,
        );
        merge_kind(
            EntityKind::Person,
            defs.people,
            &mut m.people,
            &mut m.ids.people,
            out,
            |e| (e.id.as_str(), e.header),
        );
        merge_kind(
            EntityKind::Team,
            defs.teams,
            &mut m.teams,
            &mut m.ids.teams,
            out,
            |e| (e.id.as_str(), e.header),
        );
        merge_kind(
            EntityKind::Service,
            defs.services,
            &mut m.services,
            &mut m.ids.services,
            out,
            |e| (e.id.as_str(), e.header),
        );
        merge_kind(
            EntityKind::Body,
            defs.bodies,
            &mut m.bodies,
            &mut m.ids.bodies,
            out,
            |e| (e.id.as_str(), e.header),
        );
        merge_kind(
            EntityKind::Supplier,
            defs.suppliers,
            &mut m.suppliers,
            &mut m.ids.suppliers,
            out,
            |e| (e.id.as_str(), e.header),
        );
        for role in defs.roles {
            // Local roles share one namespace with built-in ids and aliases.
            if m.catalogue.contains(&role.id) {
                let first = role_headers.get(&role.id).copied();
                let mut d = duplicate(EntityKind::Role, &role.id, role.header, first);
                if first.is_none() {
                    let named = m
                        .catalogue
                        .lookup(&role.id)
                        .and_then(|i| m.catalogue.get(i));
                    d.message = match named {
                        Some(r) if r.id != role.id => format!(
                            "role `{}` is already an alias of the built-in role `{}`",
                            role.id, r.id
                        ),
                        _ => format!(
                            "role `{}` is already a built-in role of the DDaT catalogue",
                            role.id
                        ),
                    };
                    d.help = Some(
                        "use the built-in role, or give the local role an id of its own".to_owned(),
                    );
                }
                out.push(d);
                continue;
            }
            let mut aliases = Vec::new();
            for alias in role
                .aliases
                .iter()
                .filter_map(|l| l.value.as_ref())
                .flatten()
            {
                let Some(name) = &alias.value else { continue };
                if m.catalogue.contains(name) || *name == role.id {
                    let first = role_headers.get(name).copied();
                    let mut d = duplicate(EntityKind::Role, name, alias.span, first);
                    d.message = format!("alias `{name}` already names a role");
                    out.push(d);
                } else {
                    aliases.push(name.to_string());
                }
            }
            let levels = role
                .levels
                .iter()
                .filter_map(|l| l.value.as_ref())
                .flatten()
                .filter_map(|f| f.value.as_ref().map(Text::to_string))
                .collect();
            role_headers.insert(role.id.clone(), role.header);
            for alias in &aliases {
                role_headers.insert(Text::from(alias.as_str()), role.header);
            }
            m.catalogue.add(RoleInfo {
                id: role.id.to_string(),
                name: role
                    .name
                    .as_ref()
                    .and_then(|f| f.value.as_deref())
                    .unwrap_or_default()
                    .to_owned(),
                family: role
                    .family
                    .as_ref()
                    .and_then(|f| f.value.as_deref())
                    .unwrap_or_default()
                    .to_owned(),
                levels,
                aliases,
                builtin: false,
            });
            m.roles.push(role);
        }
    }

    /// Links every reference of the model to its target: each kind's
    /// entities in parallel chunks, whose findings are then taken in order,
    /// so the result is the same as one pass in model order.
    fn link(&mut self) {
        let mut model = std::mem::take(&mut self.model);
        let (ids, catalogue) = (&model.ids, &model.catalogue);
        let people = link_all(&mut model.people, |f, p| {
            let at = (EntityKind::Person, p.id.as_str());
            f.role(at, &mut p.role, &mut p.level, catalogue);
            f.one(at, "supplier", &mut p.supplier, EntityKind::Supplier, ids);
            f.one(at, "reports-to", &mut p.reports_to, EntityKind::Person, ids);
        });
        let teams = link_all(&mut model.teams, |f, t| {
            let at = (EntityKind::Team, t.id.as_str());
            f.many(at, "services", &mut t.services, EntityKind::Service, ids);
            f.many(at, "members", &mut t.members, EntityKind::Person, ids);
            f.one(at, "lead", &mut t.lead, EntityKind::Person, ids);
            let managed_by = &mut t.managed_by;
            f.one(at, "managed-by", managed_by, EntityKind::Supplier, ids);
        });
        let services = link_all(&mut model.services, |f, s| {
            let at = (EntityKind::Service, s.id.as_str());
            f.one(at, "owner", &mut s.owner, EntityKind::Person, ids);
            let managed_by = &mut s.managed_by;
            f.one(at, "managed-by", managed_by, EntityKind::Supplier, ids);
        });
        let bodies = link_all(&mut model.bodies, |f, b| {
            let at = (EntityKind::Body, b.id.as_str());
            f.one(at, "parent", &mut b.parent, EntityKind::Body, ids);
            f.one(at, "owner", &mut b.owner, EntityKind::Person, ids);
            f.many(at, "members", &mut b.members, EntityKind::Person, ids);
        });
        let mut assignments = Found::default();
        for (kind, list) in [
            (EntityKind::Post, &mut model.posts),
            (EntityKind::Accountability, &mut model.accountabilities),
        ] {
            for a in list.iter_mut() {
                let at = (kind, a.name.as_str());
                match &mut a.holder {
                    Holder::One(f) => assignments.link_ref(at, "", f, EntityKind::Person, ids),
                    Holder::Shared(l) => {
                        for f in l.value.iter_mut().flatten() {
                            assignments.link_ref(at, "", f, EntityKind::Person, ids);
                        }
                    }
                    Holder::Invalid(_) => {}
                }
            }
        }
        for found in [people, teams, services, bodies, vec![assignments]]
            .into_iter()
            .flatten()
        {
            self.absorb(found);
        }
        self.suggest_pending(&model.ids);
        // Linked: no rule looks an entity up by id, so the entity maps go
        // (`Model::lookup` builds them again if a library caller asks).
        let ids = &mut model.ids;
        for map in [
            &mut ids.people,
            &mut ids.teams,
            &mut ids.services,
            &mut ids.bodies,
            &mut ids.suppliers,
        ] {
            *map = HashMap::default();
        }
        self.model = model;
    }

    /// Takes the findings of one chunk of linking, in order.
    fn absorb(&mut self, found: Found) {
        let offset = self.diagnostics.len();
        for (at, kind, id) in found.pending {
            if self.pending.len() < MAX_SUGGESTIONS {
                self.pending.push((offset + at, kind, id));
            }
        }
        self.diagnostics.extend(found.diagnostics);
    }

    /// Adds a did-you-mean to each unknown reference that has a close id of
    /// its kind, searching each kind's ids (sorted once) in parallel.
    fn suggest_pending(&mut self, ids: &super::Ids) {
        use rayon::prelude::*;
        let pending = std::mem::take(&mut self.pending);
        let mut kinds: Vec<EntityKind> = pending.iter().map(|p| p.1).collect();
        kinds.sort();
        kinds.dedup();
        for kind in kinds {
            let Some(map) = ids.of(kind) else { continue };
            let index = suggest::Ids::new(map.keys().map(Text::as_str));
            let found: Vec<(usize, String)> = pending
                .par_iter()
                .filter(|p| p.1 == kind)
                .filter_map(|(at, _, id)| {
                    Some((*at, format!("did you mean `{}`?", index.did_you_mean(id)?)))
                })
                .collect();
            for (at, help) in found {
                if let Some(d) = self.diagnostics.get_mut(at) {
                    d.help = Some(help);
                }
            }
        }
    }
}

/// The findings of linking one chunk of entities, with their own indices
/// for the did-you-mean that `Resolver::absorb` shifts.
#[derive(Default)]
struct Found {
    diagnostics: Vec<Diagnostic>,
    pending: Vec<(usize, EntityKind, String)>,
}

/// Links `items` in parallel chunks; the chunks' findings, in order.
fn link_all<T: Send>(items: &mut [T], link: impl Fn(&mut Found, &mut T) + Sync) -> Vec<Found> {
    use rayon::prelude::*;
    items
        .par_chunks_mut(1024)
        .map(|chunk| {
            let mut found = Found::default();
            for item in chunk {
                link(&mut found, item);
            }
            found
        })
        .collect()
}

impl Found {
    fn one(
        &mut self,
        at: (EntityKind, &str),
        key: &'static str,
        field: &mut Option<Field<Ref>>,
        kind: EntityKind,
        ids: &super::Ids,
    ) {
        if let Some(f) = field {
            self.link_ref(at, key, f, kind, ids);
        }
    }

    fn many(
        &mut self,
        at: (EntityKind, &str),
        key: &'static str,
        list: &mut Option<super::List<Ref>>,
        kind: EntityKind,
        ids: &super::Ids,
    ) {
        for f in list.iter_mut().filter_map(|l| l.value.as_mut()).flatten() {
            self.link_ref(at, key, f, kind, ids);
        }
    }

    fn link_ref(
        &mut self,
        (at_kind, at_id): (EntityKind, &str),
        key: &'static str,
        field: &mut Field<Ref>,
        kind: EntityKind,
        ids: &super::Ids,
    ) {
        let Some(r) = field.value.as_mut() else {
            return;
        };
        let Some(id) = r.unresolved() else {
            return;
        };
        let map = ids.of(kind);
        if let Some(&ix) = map.and_then(|m| m.get(id)) {
            r.link(ix);
            return;
        }
        let what = kind.as_str();
        let mut d = Diagnostic::new(
            "ORG001",
            "unknown-reference",
            Severity::Error,
            format!("unknown {what} `{}`", id),
        )
        .at(field.span)
        .entity(at_kind, at_id);
        if !key.is_empty() {
            d = d.key(key);
        }
        let other = [
            EntityKind::Person,
            EntityKind::Team,
            EntityKind::Service,
            EntityKind::Body,
            EntityKind::Supplier,
        ]
        .into_iter()
        .find(|&k| k != kind && ids.of(k).is_some_and(|m| m.contains_key(id)));
        // Written as a name rather than an id (`Amara Okafor`): its slug.
        let slug = (!schema::is_slug(id))
            .then(|| schema::slugify(id))
            .filter(|slug| map.is_some_and(|m| m.contains_key(slug.as_str())));
        let help = if let Some(other) = other {
            Some(format!("`{}` is a {}, not a {what}", id, other.as_str()))
        } else if let Some(slug) = slug {
            Some(format!(
                "did you mean `{slug}`? refer to a {what} by its id, a kebab-case slug"
            ))
        } else {
            if self.pending.len() < MAX_SUGGESTIONS {
                // Did-you-mean is computed for all of them at once, after
                // linking (see `suggest_pending`).
                self.pending
                    .push((self.diagnostics.len(), kind, id.to_string()));
            }
            None
        };
        d = d.help(help.unwrap_or_else(|| {
            if schema::is_slug(id) {
                format!(
                    "define `[{}.{}]`, or refer to an existing {what}",
                    kind.table(),
                    id
                )
            } else {
                // No table can define it: ids are slugs (decisions.md 4).
                format!(
                    "`{}` cannot be an id (ids are kebab-case slugs): refer to an existing {what} by its id",
                    id
                )
            }
        }));
        self.diagnostics.push(d);
    }

    fn role(
        &mut self,
        (at_kind, at_id): (EntityKind, &str),
        role: &mut Option<Field<Ref>>,
        level: &mut Option<Field<Ref>>,
        catalogue: &Catalogue,
    ) {
        let Some(Field {
            span,
            value: Some(r),
        }) = role
        else {
            return;
        };
        let Some(id) = r.unresolved() else {
            return;
        };
        let Some(ix) = catalogue.lookup(id) else {
            let mut d = Diagnostic::new(
                "ORG004",
                "unknown-role",
                Severity::Error,
                format!("unknown role `{id}`"),
            )
            .at(*span)
            .entity(at_kind, at_id)
            .key("role");
            d = d.help(suggest::help(id, catalogue.names()).unwrap_or_else(|| {
                "use a role id of the DDaT capability framework (`orglint explain ORG004`), or define it under `[roles]`".to_owned()
            }));
            self.diagnostics.push(d);
            return;
        };
        r.link(ix);
        let Some(info) = catalogue.get(ix) else {
            return;
        };
        let Some(Field {
            span,
            value: Some(l),
        }) = level
        else {
            return;
        };
        let Some(level_id) = l.unresolved() else {
            return;
        };
        if let Some(lx) = info.resolve_level(level_id) {
            l.link(lx);
            return;
        }
        let message = if info.levels.is_empty() {
            format!(
                "role `{}` has no levels, so `{}` is not one of them",
                info.id, level_id
            )
        } else {
            format!("`{}` is not a level of role `{}`", level_id, info.id)
        };
        let mut d = Diagnostic::new("ORG004", "unknown-role", Severity::Error, message)
            .at(*span)
            .entity(at_kind, at_id)
            .key("level");
        let levels: Vec<&str> = info.levels.iter().map(String::as_str).collect();
        d = d.help(
            match suggest::did_you_mean(level_id, levels.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None if levels.is_empty() => "remove `level`".to_owned(),
                None => format!("`{}` has the levels {}", info.id, suggest::one_of(&levels)),
            },
        );
        self.diagnostics.push(d);
    }
}

impl super::Ids {
    pub(crate) fn of(&self, kind: EntityKind) -> Option<&HashMap<Text, usize>> {
        Some(match kind {
            EntityKind::Person => &self.people,
            EntityKind::Team => &self.teams,
            EntityKind::Service => &self.services,
            EntityKind::Body => &self.bodies,
            EntityKind::Supplier => &self.suppliers,
            EntityKind::Post => &self.posts,
            EntityKind::Accountability => &self.accountabilities,
            EntityKind::Organisation | EntityKind::Role => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// People `p0000..`, each reporting to a misspelt id of the next one.
    fn misspelt_managers(n: usize) -> String {
        let mut text = String::new();
        for i in 0..n {
            text.push_str(&format!(
                "[people.p{i:04}]\nname = \"P\"\nrole = \"service-owner\"\nreports-to = \"p{:04}x\"\n",
                (i + 1) % n
            ));
        }
        text
    }

    #[test]
    fn a_reference_that_is_not_a_slug_is_not_told_to_define_it_but_gets_its_slug() {
        let text = "[people.a]\nname = \"A\"\nrole = \"service-owner\"\nreports-to = \"Not A Slug\"\n[people.b]\nname = \"B\"\nrole = \"service-owner\"\nreports-to = \"zzzz\"\n[people.c]\nname = \"C\"\nrole = \"service-owner\"\nreports-to = \"A\"\n";
        let (defs, load) = crate::load::load_text(FileId(0), text);
        assert!(load.is_empty(), "{load:?}");
        let (_, diagnostics) = resolve(vec![(FileId(0), defs)]);
        let helps: Vec<&str> = diagnostics
            .iter()
            .filter_map(|d| d.help.as_deref())
            .collect();
        assert_eq!(
            helps,
            [
                "`Not A Slug` cannot be an id (ids are kebab-case slugs): refer to an existing person by its id",
                "define `[people.zzzz]`, or refer to an existing person",
                "did you mean `a`? refer to a person by its id, a kebab-case slug"
            ]
        );
    }

    #[test]
    fn entity_id_maps_are_dropped_after_linking_and_lookup_still_finds_ids() {
        let text = "[people.a]\nname = \"A\"\nrole = \"service-owner\"\n[teams.t]\nname = \"T\"\nmode = \"stability\"\nmembers = [\"a\"]\n[posts]\nprofessional-lead = \"a\"\n";
        let (defs, load) = crate::load::load_text(FileId(0), text);
        assert!(load.is_empty(), "{load:?}");
        let (model, _) = resolve(vec![(FileId(0), defs)]);
        assert!(model.ids.people.is_empty() && model.ids.teams.is_empty());
        assert_eq!(model.ids.posts.len(), 1);
        assert_eq!(model.lookup(EntityKind::Person, "a"), Some(0));
        assert_eq!(model.lookup(EntityKind::Team, "t"), Some(0));
        assert_eq!(model.lookup(EntityKind::Person, "t"), None);
        assert_eq!(model.lookup(EntityKind::Post, "professional-lead"), Some(0));
        assert!(model.post_holder("professional-lead").is_some());
    }

    #[test]
    fn linking_in_chunks_keeps_order_and_the_suggestion_cap() {
        // More people than one chunk (1,024) and more unknown references
        // than MAX_SUGGESTIONS: the first 1,000 in model order, and only
        // they, get a did-you-mean.
        // A duplicate in a second file puts an ORG002 first, so the chunks'
        // own indices must be shifted to land on their findings.
        let n = 2_500;
        let (defs, load) = crate::load::load_text(FileId(0), &misspelt_managers(n));
        assert!(load.is_empty());
        let dup = "[people.p0000]\nname = \"Dup\"\nrole = \"service-owner\"\n";
        let (dup, load) = crate::load::load_text(FileId(1), dup);
        assert!(load.is_empty());
        let (model, diagnostics) = resolve(vec![(FileId(0), defs), (FileId(1), dup)]);
        assert_eq!(model.people.len(), n);
        let Some((first, diagnostics)) = diagnostics.split_first() else {
            panic!("no findings");
        };
        assert_eq!(first.code, "ORG002");
        assert_eq!(diagnostics.len(), n);
        for (i, d) in diagnostics.iter().enumerate() {
            assert_eq!(d.code, "ORG001");
            assert_eq!(d.message, format!("unknown person `p{:04}x`", (i + 1) % n));
            let help = d.help.as_deref().unwrap_or("");
            let suggested = help.starts_with("did you mean");
            assert_eq!(suggested, i < MAX_SUGGESTIONS, "{i}: {help}");
        }
    }
}
