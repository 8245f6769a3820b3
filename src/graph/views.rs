//! The three views: the model turned into a [`Graph`].

use std::collections::{BTreeSet, HashMap};

use super::{
    Built, Cluster, DEFAULT_DEPTH, Direction, Edge, Graph, Ids, MAX_NODES, Marks, Node, NodeKind,
    Options, clean,
};
use crate::diagnostic::EntityKind;
use crate::model::{
    Area, Decision, Employment, Field, Mode, Model, Person, Ref, Value, link, targets, value,
};
use crate::rules::Index;

/// Adds nodes, edges and clusters with unique ids.
struct Builder {
    graph: Graph,
    ids: Ids,
}

impl Builder {
    fn new(model: &Model, what: &str) -> Builder {
        let org = model
            .organisation
            .as_ref()
            .and_then(|o| o.name.as_ref())
            .and_then(|f| f.value.as_deref())
            .map_or_else(|| "The organisation".to_owned(), clean);
        Builder {
            graph: Graph {
                title: format!("{org}: {what}"),
                ..Graph::default()
            },
            ids: Ids::default(),
        }
    }

    fn cluster(&mut self, raw_id: &str, label: &str) -> usize {
        let id = self.ids.make("c", raw_id);
        self.graph.clusters.push(Cluster {
            id,
            label: label.to_owned(),
        });
        self.graph.clusters.len() - 1
    }

    fn node(
        &mut self,
        (prefix, raw_id): (&str, &str),
        kind: NodeKind,
        lines: Vec<String>,
        findings: Vec<String>,
        cluster: Option<usize>,
    ) -> usize {
        let id = self.ids.make(prefix, raw_id);
        self.graph.nodes.push(Node {
            id,
            kind,
            lines,
            findings,
            cluster,
        });
        self.graph.nodes.len() - 1
    }

    fn edge(&mut self, from: usize, to: usize) {
        self.graph.edges.push(Edge { from, to });
    }

    fn note(&mut self, raw_id: &str, lines: Vec<String>) -> usize {
        self.node(("n", raw_id), NodeKind::Note, lines, Vec::new(), None)
    }
}

/// `1234567` as `1,234,567`.
fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `"head-of-product"` as `"Head of product"`.
fn sentence(slug: &str) -> String {
    let text = clean(&slug.replace('-', " "));
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// A name, else the id.
fn name_or_id(name: &Option<Field<crate::model::Text>>, id: &str) -> String {
    match name.as_ref().and_then(|f| f.value.as_deref()) {
        Some(n) if !n.trim().is_empty() => clean(n),
        _ => clean(id),
    }
}

/// Who a reference to a person names: `None` when the key is absent.
fn person_ref(model: &Model, field: &Option<Field<Ref>>) -> Option<String> {
    let f = field.as_ref()?;
    Some(match &f.value {
        Some(r) => match r.target().and_then(|t| model.people.get(t)) {
            Some(p) => name_or_id(&p.name, &p.id),
            None => format!("{} (not found)", clean(r.unresolved().unwrap_or(""))),
        },
        None => "not valid".to_owned(),
    })
}

/// The supplier a reference names: `None` when the key is absent.
fn supplier_ref(model: &Model, field: &Option<Field<Ref>>) -> Option<String> {
    let f = field.as_ref()?;
    Some(match &f.value {
        Some(r) => match r.target().and_then(|t| model.suppliers.get(t)) {
            Some(s) => name_or_id(&s.name, &s.id),
            None => format!("{} (not found)", clean(r.unresolved().unwrap_or(""))),
        },
        None => "not valid".to_owned(),
    })
}

// ---------------------------------------------------------------- governance

fn area_text(area: Area) -> &'static str {
    match area {
        Area::Executive => "executive",
        Area::MissionIt => "mission IT",
        Area::DigitalPublicServices => "digital public services",
        Area::Infrastructure => "infrastructure",
        Area::SharedServices => "shared services",
    }
}

fn decision_text(decision: Value<Decision>) -> &'static str {
    match decision {
        Value::Known(Decision::AccountableOwner) => "accountable owner decides",
        Value::Known(Decision::Consensus) => "decides by consensus",
        Value::Known(Decision::Majority) => "decides by majority",
        Value::Known(Decision::Advisory) => "advisory",
        Value::Absent => "no decision mode",
        Value::Unknown => "decision mode not valid",
    }
}

/// Governance bodies in one cluster per layer, each below its parent.
pub(super) fn governance(model: &Model, marks: &Marks) -> Graph {
    let mut b = Builder::new(model, "governance bodies by layer");
    if model.bodies.is_empty() {
        b.note(
            "empty",
            vec!["No governance bodies in the model".to_owned()],
        );
        return b.graph;
    }
    let layers = Index::build(model).body_layer;
    let layer = |i: usize| layers.get(i).copied().flatten();
    let present: BTreeSet<u32> = (0..model.bodies.len()).filter_map(layer).collect();
    let mut cluster_of: HashMap<Option<u32>, usize> = HashMap::new();
    for l in present {
        let c = b.cluster(&format!("layer_{l}"), &format!("Layer {l}"));
        cluster_of.insert(Some(l), c);
    }
    if (0..model.bodies.len()).any(|i| layer(i).is_none()) {
        let c = b.cluster(
            "layer_unknown",
            "Layer unknown: parent not found or circular",
        );
        cluster_of.insert(None, c);
    }
    let mut node_of = Vec::with_capacity(model.bodies.len());
    for (i, body) in model.bodies.iter().enumerate() {
        let mut second: Vec<&str> = Vec::new();
        match value(&body.area) {
            Value::Known(a) => second.push(area_text(a)),
            Value::Unknown => second.push("area not valid"),
            Value::Absent => {}
        }
        second.push(decision_text(value(&body.decision)));
        let owner = match person_ref(model, &body.owner) {
            Some(o) => format!("owner: {o}"),
            None => "no owner".to_owned(),
        };
        let lines = vec![name_or_id(&body.name, &body.id), second.join(" · "), owner];
        let findings = marks.codes(EntityKind::Body, &body.id);
        let cluster = cluster_of.get(&layer(i)).copied();
        node_of.push(b.node(("b", &body.id), NodeKind::Body, lines, findings, cluster));
    }
    for (i, body) in model.bodies.iter().enumerate() {
        if let Value::Known(p) = link(&body.parent)
            && let (Some(&from), Some(&to)) = (node_of.get(p), node_of.get(i))
        {
            b.edge(from, to);
        }
    }
    b.graph
}

// --------------------------------------------------------------------- teams

/// Teams in one cluster per mode, each with the services it lists.
pub(super) fn teams(model: &Model, marks: &Marks) -> Graph {
    let mut b = Builder::new(model, "teams and services");
    b.graph.direction = Direction::Across;
    if model.teams.is_empty() && model.services.is_empty() {
        b.note(
            "empty",
            vec!["No teams or services in the model".to_owned()],
        );
        return b.graph;
    }
    // A service is drawn in the cluster of the first team listing it.
    let mut first_team: Vec<Option<usize>> = vec![None; model.services.len()];
    for (t, team) in model.teams.iter().enumerate() {
        for (s, _) in targets(&team.services) {
            if let Some(slot @ None) = first_team.get_mut(s) {
                *slot = Some(t);
            }
        }
    }
    let mode_of = |t: usize| model.teams.get(t).map_or(Value::Absent, |t| value(&t.mode));
    type Test = fn(Value<Mode>) -> bool;
    let groups: [(&str, &str, Test); 3] = [
        ("innovation", "Innovation teams", |m| {
            m == Value::Known(Mode::Innovation)
        }),
        ("stability", "Stability teams", |m| {
            m == Value::Known(Mode::Stability)
        }),
        ("no_mode", "Teams without a valid mode", |m| {
            m.known().is_none()
        }),
    ];
    let mut cluster_of_team: Vec<Option<usize>> = vec![None; model.teams.len()];
    for (raw, label, test) in groups {
        if (0..model.teams.len()).any(|t| test(mode_of(t))) {
            let c = b.cluster(raw, label);
            for (t, slot) in cluster_of_team.iter_mut().enumerate() {
                if test(mode_of(t)) {
                    *slot = Some(c);
                }
            }
        }
    }
    let mut service_node: Vec<Option<usize>> = vec![None; model.services.len()];
    let mut team_node = Vec::with_capacity(model.teams.len());
    for (t, team) in model.teams.iter().enumerate() {
        let cluster = cluster_of_team.get(t).copied().flatten();
        let mut second = match value(&team.mode) {
            Value::Known(m) => m.as_str().to_owned(),
            Value::Absent => "no mode".to_owned(),
            Value::Unknown => "mode not valid".to_owned(),
        };
        if let Value::Known(p) = value(&team.phase) {
            second.push_str(" · ");
            second.push_str(p.as_str());
        }
        let mut lines = vec![name_or_id(&team.name, &team.id), second];
        lines.push(match person_ref(model, &team.lead) {
            Some(l) => format!("lead: {l}"),
            None => "no lead".to_owned(),
        });
        let members = team
            .members
            .as_ref()
            .and_then(|l| l.value.as_ref())
            .map_or(0, Vec::len);
        lines.push(match members {
            1 => "1 member".to_owned(),
            n => format!("{} members", count(n)),
        });
        if let Some(by) = supplier_ref(model, &team.managed_by) {
            lines.push(format!("managed by: {by}"));
        }
        let findings = marks.codes(EntityKind::Team, &team.id);
        team_node.push(b.node(("t", &team.id), NodeKind::Team, lines, findings, cluster));
        for (s, _) in targets(&team.services) {
            if first_team.get(s).copied().flatten() == Some(t)
                && let Some(slot @ None) = service_node.get_mut(s)
            {
                *slot = Some(service_box(&mut b, model, marks, s, cluster));
            }
        }
    }
    if first_team.iter().any(Option::is_none) {
        let c = b.cluster("no_team", "Services no team lists");
        for s in 0..model.services.len() {
            if let Some(slot @ None) = service_node.get_mut(s) {
                *slot = Some(service_box(&mut b, model, marks, s, Some(c)));
            }
        }
    }
    for (t, team) in model.teams.iter().enumerate() {
        for (s, _) in targets(&team.services) {
            if let (Some(&from), Some(Some(to))) = (team_node.get(t), service_node.get(s)) {
                b.edge(from, *to);
            }
        }
    }
    b.graph
}

fn service_box(
    b: &mut Builder,
    model: &Model,
    marks: &Marks,
    s: usize,
    cluster: Option<usize>,
) -> usize {
    let Some(service) = model.services.get(s) else {
        return b.note("missing", Vec::new());
    };
    let owner = match person_ref(model, &service.owner) {
        Some(o) => format!("owner: {o}"),
        None => "no owner".to_owned(),
    };
    let mut lines = vec![name_or_id(&service.name, &service.id), owner];
    if let Some(by) = supplier_ref(model, &service.managed_by) {
        lines.push(format!("managed by: {by}"));
    }
    let findings = marks.codes(EntityKind::Service, &service.id);
    b.node(
        ("s", &service.id),
        NodeKind::Service,
        lines,
        findings,
        cluster,
    )
}

// ----------------------------------------------------------------- reporting

/// The reporting lines as a tree: each person reached once, from the tops.
struct Tree {
    /// The people drawn at the top: the professional lead, else the people
    /// who report to nobody.
    tops: Vec<usize>,
    /// Whether the top is the professional lead.
    lead: bool,
    /// Per person: their reports in the tree, in model order.
    kids: Vec<Vec<usize>>,
    /// Per person: how many people are below them in the tree.
    below: Vec<usize>,
    /// People the tree does not reach, in model order.
    outside: Vec<usize>,
}

impl Tree {
    fn new(model: &Model) -> Tree {
        let n = model.people.len();
        let mut reports: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, p) in model.people.iter().enumerate() {
            if let Value::Known(m) = link(&p.reports_to)
                && m != i
                && let Some(r) = reports.get_mut(m)
            {
                r.push(i);
            }
        }
        let lead = model
            .post("professional-lead")
            .and_then(|a| a.holder.person().known())
            .filter(|&p| p < n);
        let tops: Vec<usize> = match lead {
            Some(l) => vec![l],
            None => (0..n)
                .filter(|&i| {
                    model
                        .people
                        .get(i)
                        .is_some_and(|p| link(&p.reports_to).is_absent())
                })
                .collect(),
        };
        let mut reached = vec![false; n];
        let mut kids: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut order = Vec::with_capacity(n);
        let mut stack = Vec::new();
        for &top in &tops {
            if reached.get(top).copied().unwrap_or(true) {
                continue;
            }
            reached[top] = true;
            stack.push(top);
            while let Some(p) = stack.pop() {
                order.push(p);
                for &c in reports.get(p).map_or(&[][..], Vec::as_slice) {
                    if !reached[c] {
                        reached[c] = true;
                        kids[p].push(c);
                        stack.push(c);
                    }
                }
            }
        }
        // A person comes after their manager in `order`.
        let mut below = vec![0usize; n];
        for &p in order.iter().rev() {
            let sum: usize = kids[p].iter().map(|&k| 1 + below[k]).sum();
            below[p] = sum;
        }
        let outside = (0..n).filter(|&i| !reached[i]).collect();
        Tree {
            tops,
            lead: lead.is_some(),
            kids,
            below,
            outside,
        }
    }

    /// Everyone below `p`, in no particular order.
    fn everyone_below(&self, p: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = self.kids.get(p).cloned().unwrap_or_default();
        while let Some(q) = stack.pop() {
            out.push(q);
            if let Some(k) = self.kids.get(q) {
                stack.extend(k);
            }
        }
        out
    }

    fn manages(&self, p: usize) -> bool {
        self.kids.get(p).is_some_and(|k| !k.is_empty())
    }
}

/// What a reporting node stands for.
enum Item {
    Person(usize),
    /// Reports who manage nobody, of a manager (`None`: at the top).
    Group(Option<usize>, Vec<usize>),
    /// Everyone below this person.
    More(usize),
}

/// Reporting lines from the professional lead (else every person who
/// reports to nobody) down.
pub(super) fn reporting(model: &Model, marks: &Marks, options: &Options) -> Built {
    let tree = Tree::new(model);
    let posts = posts_held(model);
    let draw = |depth: u32| draw_reporting(model, marks, &tree, &posts, depth, options.collapse);
    let mut notes = Vec::new();
    let graph = match options.depth {
        Some(depth) => draw(depth.max(1)),
        None => {
            let mut depth = DEFAULT_DEPTH;
            loop {
                let graph = draw(depth);
                if graph.nodes.len() <= MAX_NODES || depth <= 1 {
                    if depth < DEFAULT_DEPTH {
                        notes.push(format!(
                            "reporting lines drawn {depth} levels deep, not {DEFAULT_DEPTH}, to keep \
                             the picture under {MAX_NODES} nodes; `--depth N` draws N levels"
                        ));
                    }
                    break graph;
                }
                depth -= 1;
            }
        }
    };
    if graph.nodes.len() > MAX_NODES {
        notes.push(format!(
            "the reporting view has {} nodes, too many to read (and perhaps for GitHub to \
             render); a smaller `--depth` draws fewer",
            graph.nodes.len()
        ));
    }
    Built { graph, notes }
}

/// Per person: the posts they hold, as words.
fn posts_held(model: &Model) -> HashMap<usize, Vec<String>> {
    let mut held: HashMap<usize, Vec<String>> = HashMap::new();
    for post in &model.posts {
        for p in post.holder.people() {
            held.entry(p)
                .or_default()
                .push(clean(&post.name.replace('-', " ")));
        }
    }
    held
}

fn draw_reporting(
    model: &Model,
    marks: &Marks,
    tree: &Tree,
    posts: &HashMap<usize, Vec<String>>,
    depth: u32,
    collapse: usize,
) -> Graph {
    let mut b = Builder::new(model, "reporting lines");
    b.graph.direction = Direction::Across;
    if model.people.is_empty() {
        b.note("empty", vec!["No people in the model".to_owned()]);
        return b.graph;
    }
    // (what, the node of its manager, its level: 1 at the top)
    let mut stack: Vec<(Item, Option<usize>, u32)> = Vec::new();
    for item in split(tree, None, &tree.tops, collapse).into_iter().rev() {
        stack.push((item, None, 1));
    }
    while let Some((item, parent, level)) = stack.pop() {
        let node = match item {
            Item::Person(p) => {
                let node = person_box(&mut b, model, marks, posts, p);
                if tree.manages(p) {
                    if level >= depth {
                        stack.push((Item::More(p), Some(node), level + 1));
                    } else {
                        let kids = tree.kids.get(p).map_or(&[][..], Vec::as_slice);
                        for item in split(tree, Some(p), kids, collapse).into_iter().rev() {
                            stack.push((item, Some(node), level + 1));
                        }
                    }
                }
                node
            }
            Item::Group(manager, people) => {
                let head = match manager {
                    Some(_) => format!("{} reports", count(people.len())),
                    None => format!("{} people with no manager", count(people.len())),
                };
                let raw = match manager.and_then(|m| model.people.get(m)) {
                    Some(m) => format!("{}_reports", m.id),
                    None => "top".to_owned(),
                };
                let mut lines = vec![head];
                lines.extend(role_mix(model, &people));
                let findings = people_codes(model, marks, &people);
                b.node(("r", &raw), NodeKind::Group, lines, findings, None)
            }
            Item::More(p) => {
                let people = tree.everyone_below(p);
                let n = tree.below.get(p).copied().unwrap_or(people.len());
                let lines = vec![format!("+{} more", count(n))];
                let findings = people_codes(model, marks, &people);
                let raw = model.people.get(p).map_or("", |q| q.id.as_str());
                b.node(("m", raw), NodeKind::More, lines, findings, None)
            }
        };
        if let Some(parent) = parent {
            b.edge(parent, node);
        }
    }
    if !tree.outside.is_empty() {
        let n = count(tree.outside.len());
        let head = if tree.lead {
            format!("{n} people not under the professional lead")
        } else {
            format!("{n} people in a reporting cycle or under a manager not found")
        };
        let mut lines = vec![head];
        lines.extend(role_mix(model, &tree.outside));
        let findings = people_codes(model, marks, &tree.outside);
        b.node(("n", "outside"), NodeKind::Note, lines, findings, None);
    }
    b.graph
}

/// The nodes for a manager's reports (or the tops): one each, except that
/// more than `collapse` who manage nobody make one group, after the others.
fn split(tree: &Tree, manager: Option<usize>, people: &[usize], collapse: usize) -> Vec<Item> {
    let leaves = people.iter().filter(|&&p| !tree.manages(p)).count();
    if leaves <= collapse {
        return people.iter().map(|&p| Item::Person(p)).collect();
    }
    let (managers, leaves): (Vec<usize>, Vec<usize>) =
        people.iter().partition(|&&p| tree.manages(p));
    let mut items: Vec<Item> = managers.into_iter().map(Item::Person).collect();
    items.push(Item::Group(manager, leaves));
    items
}

fn person_box(
    b: &mut Builder,
    model: &Model,
    marks: &Marks,
    posts: &HashMap<usize, Vec<String>>,
    p: usize,
) -> usize {
    let Some(person) = model.people.get(p) else {
        return b.note("missing", Vec::new());
    };
    let mut role = role_text(model, person, true);
    match person.employment() {
        Value::Known(Employment::Contractor) => role.push_str(" · contractor"),
        Value::Known(Employment::Supplier) => role.push_str(" · supplier"),
        _ => {}
    }
    // Posts the role line does not already say ("Chief data officer").
    let held: Vec<&str> = posts
        .get(&p)
        .into_iter()
        .flatten()
        .map(String::as_str)
        .filter(|post| !role.to_lowercase().starts_with(&post.to_lowercase()))
        .collect();
    let mut lines = vec![name_or_id(&person.name, &person.id), role];
    if !held.is_empty() {
        lines.push(held.join(", "));
    }
    let findings = marks.codes(EntityKind::Person, &person.id);
    b.node(("p", &person.id), NodeKind::Person, lines, findings, None)
}

/// A person's role (with `level`, their level when known).
fn role_text(model: &Model, person: &Person, level: bool) -> String {
    let Some(field) = &person.role else {
        return "no role given".to_owned();
    };
    let Some(r) = &field.value else {
        return "role not valid".to_owned();
    };
    let Some(info) = r.target().and_then(|t| model.catalogue.get(t)) else {
        return "role not found".to_owned();
    };
    if level
        && let Some(l) = person
            .level
            .as_ref()
            .and_then(|f| f.value.as_ref())
            .and_then(|r| r.target())
            .and_then(|t| info.levels.get(t))
    {
        return sentence(l);
    }
    clean(&info.name)
}

/// The roles of some people, most common first: up to four lines.
fn role_mix(model: &Model, people: &[usize]) -> Vec<String> {
    let mut by_role: HashMap<String, usize> = HashMap::new();
    for p in people.iter().filter_map(|&p| model.people.get(p)) {
        *by_role.entry(role_text(model, p, false)).or_default() += 1;
    }
    let mut roles: Vec<(String, usize)> = by_role.into_iter().collect();
    roles.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let shown = if roles.len() <= 4 { roles.len() } else { 3 };
    let mut lines: Vec<String> = roles
        .iter()
        .take(shown)
        .map(|(role, n)| format!("{} {role}", count(*n)))
        .collect();
    let rest = roles.get(shown..).unwrap_or(&[]);
    if !rest.is_empty() {
        let people: usize = rest.iter().map(|(_, n)| n).sum();
        lines.push(format!(
            "{} in {} other roles",
            count(people),
            count(rest.len())
        ));
    }
    lines
}

/// The codes of the findings about any of these people, sorted.
fn people_codes(model: &Model, marks: &Marks, people: &[usize]) -> Vec<String> {
    let mut codes = BTreeSet::new();
    for p in people.iter().filter_map(|&p| model.people.get(p)) {
        if let Some(c) = marks.get(EntityKind::Person, &p.id) {
            codes.extend(c.iter().cloned());
        }
    }
    codes.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(count(7), "7");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(16820), "16,820");
        assert_eq!(count(1234567), "1,234,567");
    }

    #[test]
    fn sentences_from_slugs() {
        assert_eq!(sentence("head-of-product"), "Head of product");
        assert_eq!(sentence(""), "");
    }
}
