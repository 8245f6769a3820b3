//! Facts about the model that several rules need, computed once in linear
//! time: memberships, ownerships, reporting chains, governance layers.

use std::ops::ControlFlow;

use crate::model::{Model, Value, link, targets};
use crate::source::Span;

#[derive(Debug, Default)]
pub struct Index {
    /// Per person: the teams listing them in `members`, in path/line order,
    /// with the span of their id in that list.
    pub person_teams: Groups<(usize, Span)>,
    /// Per person: the governance bodies they are a member or owner of.
    pub person_bodies: Groups<usize>,
    /// Per person: the services they own, with the span of the `owner` value.
    pub person_services: Groups<(usize, Span)>,
    /// Per person: how many people report to them.
    pub direct_reports: Vec<u32>,
    /// Per person: holds a post or an accountability.
    pub holds_post: Vec<bool>,
    /// Per person: lies on a `reports-to` cycle.
    pub person_in_cycle: Vec<bool>,
    /// Every `reports-to` cycle, as people in chain order.
    pub person_cycles: Vec<Vec<usize>>,
    /// Every governance `parent` cycle, as bodies in chain order.
    pub body_cycles: Vec<Vec<usize>>,
    /// Per body: lies on a `parent` cycle.
    pub body_in_cycle: Vec<bool>,
    /// Per body: its layer (1 = no parent); `None` when a parent on the way
    /// up is unknown or cyclic.
    pub body_layer: Vec<Option<u32>>,
}

impl Index {
    pub fn build(model: &Model) -> Index {
        let people = model.people.len();
        let mut ix = Index {
            direct_reports: vec![0; people],
            holds_post: vec![false; people],
            ..Index::default()
        };
        ix.person_teams =
            Groups::build(people, || {
                model.teams.iter().enumerate().flat_map(|(t, team)| {
                    targets(&team.members).map(move |(p, span)| (p, (t, span)))
                })
            });
        // A person listed twice by one body (member and owner) counts once.
        ix.person_bodies = Groups::build(people, || {
            model.bodies.iter().enumerate().flat_map(|(b, body)| {
                let members = move || targets(&body.members).map(|(p, _)| p);
                let owner = link(&body.owner)
                    .known()
                    .filter(|&o| !members().any(|p| p == o));
                members().chain(owner).map(move |p| (p, b))
            })
        });
        ix.person_services = Groups::build(people, || {
            model
                .services
                .iter()
                .enumerate()
                .filter_map(
                    |(s, service)| match (link(&service.owner), &service.owner) {
                        (Value::Known(p), Some(f)) => Some((p, (s, f.span))),
                        _ => None,
                    },
                )
        });
        for person in &model.people {
            if let Value::Known(m) = link(&person.reports_to)
                && let Some(n) = ix.direct_reports.get_mut(m)
            {
                *n += 1;
            }
        }
        for a in model.posts.iter().chain(&model.accountabilities) {
            for p in a.holder.people() {
                if let Some(h) = ix.holds_post.get_mut(p) {
                    *h = true;
                }
            }
        }
        let manager: Vec<Value<usize>> = model.people.iter().map(|p| link(&p.reports_to)).collect();
        (ix.person_cycles, ix.person_in_cycle) = cycles(&manager);
        let parent: Vec<Value<usize>> = model.bodies.iter().map(|b| link(&b.parent)).collect();
        (ix.body_cycles, ix.body_in_cycle) = cycles(&parent);
        ix.body_layer = layers(&parent, &ix.body_in_cycle);
        ix
    }

    /// Whether `from` reaches `target` by following `reports-to` (a person
    /// reaches themself). `None` when the chain is unknown: it passes an
    /// unresolved reference or enters a cycle before reaching `target`.
    ///
    /// One walk up the chain; to ask about many people and one target, use
    /// [`Index::reaching`], which answers the same for everyone at once.
    pub fn reaches(&self, model: &Model, from: usize, target: usize) -> Option<bool> {
        let mut at = from;
        for _ in 0..=model.people.len() {
            match self.reach_step(model, at, target) {
                ControlFlow::Break(answer) => return answer,
                ControlFlow::Continue(next) => at = next,
            }
        }
        None
    }

    /// [`Index::reaches`] for every person and one `target`, memoised:
    /// linear time over the `reports-to` forest, however many people share
    /// one long chain.
    pub fn reaching(&self, model: &Model, target: usize) -> Reaching {
        let people = model.people.len();
        let mut memo: Vec<Option<Option<bool>>> = vec![None; people];
        let mut path = Vec::new();
        for start in 0..people {
            path.clear();
            let mut at = start;
            // Everyone on the path shares the answer found at its top. Each
            // person joins one path only: after it, they are memoised.
            let answer = loop {
                if let Some(known) = memo.get(at).copied().flatten() {
                    break known;
                }
                path.push(at);
                match self.reach_step(model, at, target) {
                    ControlFlow::Break(answer) => break answer,
                    // The bound of `reaches`, never met: cycles stop first.
                    ControlFlow::Continue(next) if path.len() <= people => at = next,
                    ControlFlow::Continue(_) => break None,
                }
            };
            for &p in &path {
                if let Some(slot) = memo.get_mut(p) {
                    *slot = Some(answer);
                }
            }
        }
        Reaching { target, memo }
    }

    /// One step of a `reports-to` walk towards `target`: the answer at `at`
    /// (`reaches` for the chain from `at`), or the manager to go on with.
    fn reach_step(
        &self,
        model: &Model,
        at: usize,
        target: usize,
    ) -> ControlFlow<Option<bool>, usize> {
        if at == target {
            return ControlFlow::Break(Some(true));
        }
        if self.person_in_cycle.get(at).copied().unwrap_or(true) {
            return ControlFlow::Break(None);
        }
        match model.people.get(at).map(|p| link(&p.reports_to)) {
            Some(Value::Absent) => ControlFlow::Break(Some(false)),
            Some(Value::Known(next)) => ControlFlow::Continue(next),
            Some(Value::Unknown) | None => ControlFlow::Break(None),
        }
    }
}

/// Who reaches one target person through `reports-to`: the answers of
/// [`Index::reaches`] for that target, computed for everyone at once by
/// [`Index::reaching`].
#[derive(Debug)]
pub struct Reaching {
    target: usize,
    /// Per person: `Some(answer)` (every person is filled in).
    memo: Vec<Option<Option<bool>>>,
}

impl Reaching {
    /// `Index::reaches(model, from, target)`.
    pub fn get(&self, from: usize) -> Option<bool> {
        if from == self.target {
            return Some(true);
        }
        self.memo.get(from).copied().flatten().flatten()
    }
}

/// Values grouped by a key `0..n`, in one flat vector (compressed rows):
/// two allocations in all, where a vector per person took one each.
#[derive(Debug)]
pub struct Groups<T> {
    /// `starts[k]..starts[k + 1]` is the range of key `k` in `items`.
    starts: Vec<u32>,
    items: Vec<T>,
}

impl<T> Default for Groups<T> {
    fn default() -> Self {
        Groups {
            starts: vec![0],
            items: Vec::new(),
        }
    }
}

impl<T: Copy> Groups<T> {
    /// Groups the `(key, value)` pairs that `pairs` yields (called twice:
    /// once to count, once to place), keeping their order within a key.
    /// Keys not below `n` are ignored.
    pub fn build<I: Iterator<Item = (usize, T)>>(n: usize, pairs: impl Fn() -> I) -> Self {
        let mut starts = vec![0u32; n + 1];
        let mut first = None;
        for (k, v) in pairs() {
            if k < n
                && let Some(c) = starts.get_mut(k + 1)
            {
                *c += 1;
                first.get_or_insert(v);
            }
        }
        for k in 1..starts.len() {
            let before = starts.get(k - 1).copied().unwrap_or(0);
            if let Some(c) = starts.get_mut(k) {
                *c += before;
            }
        }
        let Some(fill) = first else {
            return Groups {
                starts,
                items: Vec::new(),
            };
        };
        let total = starts.last().copied().unwrap_or(0) as usize;
        let mut items = vec![fill; total];
        let mut next: Vec<u32> = starts.clone();
        for (k, v) in pairs() {
            if k < n
                && let Some(at) = next.get_mut(k)
            {
                if let Some(slot) = items.get_mut(*at as usize) {
                    *slot = v;
                }
                *at += 1;
            }
        }
        Groups { starts, items }
    }
}

impl<T> Groups<T> {
    /// The values of key `k` (`None` past the last key).
    pub fn get(&self, k: usize) -> Option<&[T]> {
        let from = *self.starts.get(k)? as usize;
        let to = *self.starts.get(k + 1)? as usize;
        self.items.get(from..to)
    }

    /// The values of every key, in key order.
    pub fn iter(&self) -> impl Iterator<Item = &[T]> {
        self.starts.windows(2).map(|w| match w {
            [a, b] => self.items.get(*a as usize..*b as usize).unwrap_or(&[]),
            _ => &[],
        })
    }
}

/// Cycles of a functional graph (each node has at most one successor):
/// returns every cycle (as its nodes in successor order, starting anywhere)
/// and a per-node "on a cycle" flag. Linear time.
pub fn cycles(next: &[Value<usize>]) -> (Vec<Vec<usize>>, Vec<bool>) {
    const NEW: u8 = 0;
    const ACTIVE: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; next.len()];
    let mut on_cycle = vec![false; next.len()];
    let mut found = Vec::new();
    let mut path = Vec::new();
    for start in 0..next.len() {
        path.clear();
        let mut at = start;
        loop {
            match state.get(at) {
                Some(&NEW) => {
                    state[at] = ACTIVE;
                    path.push(at);
                    match next.get(at) {
                        Some(Value::Known(n)) if *n < next.len() => at = *n,
                        _ => break,
                    }
                }
                Some(&ACTIVE) => {
                    if let Some(pos) = path.iter().position(|&p| p == at) {
                        let cycle: Vec<usize> = path.get(pos..).unwrap_or(&[]).to_vec();
                        for &c in &cycle {
                            on_cycle[c] = true;
                        }
                        found.push(cycle);
                    }
                    break;
                }
                _ => break,
            }
        }
        for &p in &path {
            state[p] = DONE;
        }
    }
    (found, on_cycle)
}

/// Layer of each node of a parent forest: 1 at a root, parent + 1 below;
/// `None` when the way up meets an unknown parent or a cycle.
fn layers(parent: &[Value<usize>], in_cycle: &[bool]) -> Vec<Option<u32>> {
    let mut layer: Vec<Option<Option<u32>>> = vec![None; parent.len()];
    let mut stack = Vec::new();
    for start in 0..parent.len() {
        let mut at = start;
        // Walk up until a node whose layer is known (or a root).
        let base = loop {
            if let Some(known) = layer.get(at).copied().flatten() {
                break known;
            }
            if in_cycle.get(at).copied().unwrap_or(true) {
                break None;
            }
            match parent.get(at) {
                Some(Value::Absent) => {
                    layer[at] = Some(Some(1));
                    break Some(1);
                }
                Some(Value::Known(p)) => {
                    stack.push(at);
                    at = *p;
                }
                _ => break None,
            }
        };
        let mut current = base;
        while let Some(node) = stack.pop() {
            current = current.map(|l| l + 1);
            layer[node] = Some(current);
        }
        if layer.get(start).copied().flatten().is_none()
            && let Some(slot) = layer.get_mut(start)
        {
            *slot = Some(base);
        }
    }
    layer.into_iter().map(Option::flatten).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_keep_order_within_a_key() {
        let pairs = [(2, 'a'), (0, 'b'), (2, 'c'), (9, 'x'), (0, 'd')];
        let g = Groups::build(4, || pairs.iter().copied());
        let got: Vec<&[char]> = g.iter().collect();
        assert_eq!(got, [&['b', 'd'][..], &[], &['a', 'c'], &[]]);
        assert_eq!(g.get(2), Some(&['a', 'c'][..]));
        assert_eq!(g.get(4), None);
        let empty: Groups<u8> = Groups::build(3, std::iter::empty);
        assert_eq!(empty.iter().map(<[u8]>::len).collect::<Vec<_>>(), [0, 0, 0]);
    }

    #[test]
    fn a_body_counts_each_person_once() {
        // `a` owns and is a member of `board`; `b` is a member; `c` owns
        // `panel` alone.
        let text = r#"
[people.a]
name = "A"
role = "service-owner"
[people.b]
name = "B"
role = "service-owner"
[people.c]
name = "C"
role = "service-owner"
[governance.board]
name = "Board"
area = "executive"
decision = "accountable-owner"
owner = "a"
members = ["b", "a"]
[governance.panel]
name = "Panel"
area = "executive"
decision = "accountable-owner"
owner = "c"
"#;
        let (defs, load) = crate::load::load_text(crate::source::FileId(0), text);
        assert!(load.is_empty(), "{load:?}");
        let (model, _) = crate::model::resolve::resolve(vec![(crate::source::FileId(0), defs)]);
        let ix = Index::build(&model);
        let bodies = |id: &str| {
            let p = model.lookup(crate::diagnostic::EntityKind::Person, id);
            p.and_then(|p| ix.person_bodies.get(p))
                .map(<[usize]>::to_vec)
        };
        let board = model.lookup(crate::diagnostic::EntityKind::Body, "board");
        let panel = model.lookup(crate::diagnostic::EntityKind::Body, "panel");
        assert_eq!(bodies("a"), board.map(|b| vec![b]));
        assert_eq!(bodies("b"), board.map(|b| vec![b]));
        assert_eq!(bodies("c"), panel.map(|b| vec![b]));
    }

    #[test]
    fn finds_cycles_in_a_functional_graph() {
        use Value::*;
        // 0 -> 1 -> 2 -> 0, 3 -> 1, 4 -> 4, 5 root
        let next = [Known(1), Known(2), Known(0), Known(1), Known(4), Absent];
        let (found, on) = cycles(&next);
        assert_eq!(found, vec![vec![0, 1, 2], vec![4]]);
        assert_eq!(on, vec![true, true, true, false, true, false]);
    }

    #[test]
    fn reaching_answers_as_reaches_does() {
        use crate::diagnostic::EntityKind;
        use crate::source::FileId;
        // a root, b -> a, c -> b, d -> ghost, e -> d, x <-> y, z -> y, w -> z,
        // s -> s.
        let text = r#"
[people.a]
name = "A"
[people.b]
name = "B"
reports-to = "a"
[people.c]
name = "C"
reports-to = "b"
[people.d]
name = "D"
reports-to = "ghost"
[people.e]
name = "E"
reports-to = "d"
[people.x]
name = "X"
reports-to = "y"
[people.y]
name = "Y"
reports-to = "x"
[people.z]
name = "Z"
reports-to = "y"
[people.w]
name = "W"
reports-to = "z"
[people.s]
name = "S"
reports-to = "s"
"#;
        let (defs, _) = crate::load::load_text(FileId(0), text);
        let (model, _) = crate::model::resolve::resolve(vec![(FileId(0), defs)]);
        let ix = Index::build(&model);
        let n = model.people.len();
        assert_eq!(n, 10);
        let p = |id: &str| model.lookup(EntityKind::Person, id).unwrap_or(usize::MAX);
        // Past the last person too: out of range answers as `reaches` does.
        for target in 0..=n {
            let reaching = ix.reaching(&model, target);
            for from in 0..=n {
                assert_eq!(
                    reaching.get(from),
                    ix.reaches(&model, from, target),
                    "{from} -> {target}"
                );
            }
        }
        let y = ix.reaching(&model, p("y"));
        let got: Vec<Option<bool>> = ["a", "x", "y", "z", "w", "e", "s"]
            .iter()
            .map(|id| y.get(p(id)))
            .collect();
        assert_eq!(
            got,
            [
                Some(false),
                None,
                Some(true),
                Some(true),
                Some(true),
                None,
                None
            ]
        );
        let a = ix.reaching(&model, p("a"));
        let got: Vec<Option<bool>> = ["a", "b", "c", "d", "e", "w", "s"]
            .iter()
            .map(|id| a.get(p(id)))
            .collect();
        assert_eq!(
            got,
            [Some(true), Some(true), Some(true), None, None, None, None]
        );
    }

    #[test]
    fn layers_skip_unknown_and_cyclic_parents() {
        use Value::*;
        // 0 root, 1 -> 0, 2 -> 1, 3 unknown parent, 4 -> 3, 5 <-> 6, 7 -> 5
        let parent = [
            Absent,
            Known(0),
            Known(2 - 1),
            Unknown,
            Known(3),
            Known(6),
            Known(5),
            Known(5),
        ];
        let in_cycle = cycles(&parent).1;
        let l = layers(&parent, &in_cycle);
        assert_eq!(
            l,
            vec![Some(1), Some(2), Some(3), None, None, None, None, None]
        );
    }
}
