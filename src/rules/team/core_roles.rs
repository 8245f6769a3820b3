//! TEAM001 core-roles: an innovation team has no member for one or more of
//! the role groups of option `require`; one finding per team, at its
//! `members`, listing every missing group.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::{Catalogue, Mode, Rank, RoleInfo, Value, link, targets, value};
use crate::registry::OptionValue;
use crate::rules::Context;
use crate::suggest::{did_you_mean, one_of};

/// The default `require` table (rules.md), in its order.
const DEFAULT: &[(&str, &[&str])] = &[
    ("product", &["product-manager"]),
    ("delivery", &["delivery-manager"]),
    ("user-research", &["user-researcher"]),
    (
        "design",
        &[
            "interaction-designer",
            "service-designer",
            "graphic-designer",
        ],
    ),
    ("content", &["content-designer"]),
    (
        "development",
        &[
            "software-developer",
            "devops-engineer",
            "frontend-developer",
        ],
    ),
    (
        "technical-lead",
        &[
            "technical-architect",
            "solution-architect",
            "software-developer@lead",
            "devops-engineer@lead",
            "frontend-developer@lead",
        ],
    ),
];

/// The default value of option `require`.
pub fn default_require() -> OptionValue {
    OptionValue::GroupMap(
        DEFAULT
            .iter()
            .map(|(group, roles)| {
                (
                    (*group).to_owned(),
                    roles.iter().map(|r| (*r).to_owned()).collect(),
                )
            })
            .collect(),
    )
}

/// Why an entry of `require` cannot be used.
enum EntryError<'a> {
    UnknownRole(&'a str),
    UnknownLevel(&'a RoleInfo, &'a str),
    Unreachable(&'a RoleInfo, &'a str),
}

/// Resolves one entry (`role`, `role@word`, `role@level-id`) to a catalogue
/// index and an optional seniority floor.
fn parse_entry<'a>(
    entry: &'a str,
    catalogue: &'a Catalogue,
) -> Result<(usize, Option<Rank>), EntryError<'a>> {
    let (role_id, level) = match entry.split_once('@') {
        Some((r, l)) => (r, Some(l)),
        None => (entry, None),
    };
    let Some((ix, role)) = catalogue
        .lookup(role_id)
        .and_then(|ix| Some((ix, catalogue.get(ix)?)))
    else {
        return Err(EntryError::UnknownRole(role_id));
    };
    let Some(level) = level else {
        return Ok((ix, None));
    };
    let floor = match role.levels.iter().position(|l| l == level) {
        Some(l) => role.rank(l),
        None => Rank::from_word(level).ok_or(EntryError::UnknownLevel(role, level))?,
    };
    // A floor above every level of the role could never be met.
    if !(0..role.levels.len()).any(|l| role.rank(l) >= floor) {
        return Err(EntryError::Unreachable(role, level));
    }
    Ok((ix, Some(floor)))
}

/// Problems with a `require` value, for the config layer (exit 2): unknown
/// roles, levels that are neither a level id of the role nor a seniority
/// word, floors no level of the role reaches, and empty groups.
pub fn validate_require(value: &OptionValue, catalogue: &Catalogue) -> Vec<String> {
    let OptionValue::GroupMap(groups) = value else {
        return vec![
            "expected a table of role groups, e.g. `{ product = [\"product-manager\"] }`".into(),
        ];
    };
    let mut problems = Vec::new();
    for (group, entries) in groups {
        if entries.is_empty() {
            problems.push(format!("group `{group}` is empty: list at least one role"));
        }
        for entry in entries {
            match parse_entry(entry, catalogue) {
                Ok(_) => {}
                Err(EntryError::UnknownRole(role)) => {
                    let mut p = format!("group `{group}`: unknown role `{role}`");
                    if let Some(s) = did_you_mean(role, catalogue.names()) {
                        p.push_str(&format!("; did you mean `{s}`?"));
                    }
                    problems.push(p);
                }
                Err(EntryError::UnknownLevel(role, level)) => {
                    let mut p = format!(
                        "group `{group}`: `{entry}`: `{level}` is neither a level of role `{}` nor a seniority word",
                        role.id
                    );
                    let candidates = role
                        .levels
                        .iter()
                        .map(String::as_str)
                        .chain(crate::model::catalogue::RANK_WORDS.iter().copied());
                    if let Some(s) = did_you_mean(level, candidates) {
                        p.push_str(&format!("; did you mean `{s}`?"));
                    }
                    problems.push(p);
                }
                Err(EntryError::Unreachable(role, level)) => {
                    problems.push(format!(
                        "group `{group}`: `{entry}`: role `{}` has no level at `{level}` or above",
                        role.id
                    ));
                }
            }
        }
    }
    problems
}

/// A `require` group, compiled.
struct Group<'a> {
    name: &'a str,
    entries: &'a [String],
}

/// The `require` table compiled once per run: the groups in the option's
/// order, and per catalogue role the (group, floor) pairs it can fill.
struct Require<'a> {
    groups: Vec<Group<'a>>,
    fills: HashMap<usize, Vec<(usize, Option<Rank>)>>,
}

fn compile<'a>(value: &'a OptionValue, catalogue: &Catalogue) -> Require<'a> {
    let mut require = Require {
        groups: Vec::new(),
        fills: HashMap::new(),
    };
    let OptionValue::GroupMap(groups) = value else {
        return require;
    };
    for (name, entries) in groups {
        let g = require.groups.len();
        let mut usable = false;
        for entry in entries {
            // Invalid entries are config errors (validate_require); a group
            // with none usable cannot be judged, so it is left out.
            if let Ok((role, floor)) = parse_entry(entry, catalogue) {
                require.fills.entry(role).or_default().push((g, floor));
                usable = true;
            }
        }
        if usable {
            require.groups.push(Group { name, entries });
        }
    }
    require
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    let fallback;
    let option = match cx.option("require") {
        Some(v @ OptionValue::GroupMap(_)) => v,
        _ => {
            fallback = default_require();
            &fallback
        }
    };
    let require = compile(option, &model.catalogue);
    if require.groups.is_empty() {
        return;
    }
    let mut filled = vec![false; require.groups.len()];
    for team in &model.teams {
        if value(&team.mode) != Value::Known(Mode::Innovation) {
            continue;
        }
        let Some(list) = team.members.as_ref().filter(|l| l.value.is_some()) else {
            continue;
        };
        filled.iter_mut().for_each(|f| *f = false);
        for (p, _) in targets(&team.members) {
            let Some(person) = model.people.get(p) else {
                continue;
            };
            let Value::Known(role_ix) = link(&person.role) else {
                continue;
            };
            let Some(fills) = require.fills.get(&role_ix) else {
                continue;
            };
            let rank = match (link(&person.level), model.catalogue.get(role_ix)) {
                (Value::Known(level), Some(role)) => Some(role.rank(level)),
                _ => None,
            };
            for &(g, floor) in fills {
                let meets = match floor {
                    None => true,
                    Some(floor) => rank.is_some_and(|r| r >= floor),
                };
                if meets && let Some(f) = filled.get_mut(g) {
                    *f = true;
                }
            }
        }
        let missing: Vec<String> = require
            .groups
            .iter()
            .zip(&filled)
            .filter(|(_, f)| !**f)
            .map(|(g, _)| {
                let roles: Vec<&str> = g.entries.iter().map(String::as_str).collect();
                format!("`{}` ({})", g.name, one_of(&roles))
            })
            .collect();
        if missing.is_empty() {
            continue;
        }
        let message = if missing.len() == 1 {
            format!(
                "innovation team `{}` has no member in role group {}; add a member with one of its roles",
                team.id,
                missing.join(", ")
            )
        } else {
            format!(
                "innovation team `{}` has no member in role groups {}; add a member with one of the roles of each",
                team.id,
                missing.join(", ")
            )
        };
        out.push(
            cx.diagnostic(message)
                .at(list.span)
                .entity(EntityKind::Team, &team.id)
                .key("members")
                .help(
                    "a team that changes a service needs each core discipline inside it, \
                     or it has to queue for it elsewhere (playbook §3); one person may fill several groups",
                ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{assert_clean, run};

    fn group_map(groups: &[(&str, &[&str])]) -> OptionValue {
        OptionValue::GroupMap(
            groups
                .iter()
                .map(|(g, e)| ((*g).to_owned(), e.iter().map(|s| (*s).to_owned()).collect()))
                .collect(),
        )
    }

    fn lint(options: &[(&str, OptionValue)], org: &str) -> Vec<String> {
        let (found, integrity) = run(
            super::check,
            "TEAM001",
            "core-roles",
            options,
            &[("org.toml", org)],
        );
        assert_clean(&integrity);
        found
    }

    const PEOPLE: &str = r#"
[people]
pm = { name = "P", role = "product-manager" }
dm = { name = "D", role = "delivery-manager" }
ur = { name = "U", role = "user-researcher" }
sd = { name = "S", role = "service-designer" }
cd = { name = "C", role = "content-designer" }
dev = { name = "V", role = "software-developer", level = "senior" }
ops = { name = "O", role = "devops", level = "lead-devops-engineer-management" }
arch = { name = "A", role = "technical-architect" }
fe = { name = "F", role = "frontend-developer" }
"#;

    #[test]
    fn lists_every_missing_group_at_members() {
        let org = format!(
            "{PEOPLE}
[teams.licensing]
name = \"Licensing\"
mode = \"innovation\"
members = [\"pm\", \"dev\"]
lead = \"pm\"
"
        );
        assert_eq!(
            lint(&[("require", default_require())], &org),
            [
                "org.toml:16:11 TEAM001 innovation team `licensing` has no member in role groups \
              `delivery` (`delivery-manager`), `user-research` (`user-researcher`), \
              `design` (`interaction-designer`, `service-designer` or `graphic-designer`), \
              `content` (`content-designer`), `technical-lead` (`technical-architect`, \
              `solution-architect`, `software-developer@lead`, `devops-engineer@lead` or \
              `frontend-developer@lead`); add a member with one of the roles of each"
            ]
        );
    }

    #[test]
    fn complete_team_passes_and_stability_teams_are_not_checked() {
        // `ops` (an alias, at a `-management` variant of lead) is the
        // technical lead and also fills development.
        let org = format!(
            "{PEOPLE}
[teams.licensing]
name = \"Licensing\"
mode = \"innovation\"
members = [\"pm\", \"dm\", \"ur\", \"sd\", \"cd\", \"ops\"]

[teams.hosting]
name = \"Hosting\"
mode = \"stability\"
members = [\"dev\"]
"
        );
        assert!(lint(&[("require", default_require())], &org).is_empty());
        // Without the option (no pack default here) the default table applies.
        assert!(lint(&[], &org).is_empty());
    }

    #[test]
    fn level_floors() {
        let org = format!(
            "{PEOPLE}
[teams.a]
name = \"A\"
mode = \"innovation\"
members = [\"dev\", \"fe\"]

[teams.b]
name = \"B\"
mode = \"innovation\"
members = [\"arch\"]

[teams.c]
name = \"C\"
mode = \"innovation\"
members = [\"ops\"]
"
        );
        let require = group_map(&[
            ("senior-dev", &["software-developer@senior-developer"]),
            (
                "lead",
                &[
                    "software-developer@lead",
                    "devops-engineer@senior",
                    "technical-architect@lead",
                ],
            ),
        ]);
        // `dev` is senior: meets `senior-developer`, not `lead`; `fe` has no
        // level and never meets a floor; `arch` has no level either.
        assert_eq!(
            lint(&[("require", require)], &org),
            [
                "org.toml:16:11 TEAM001 innovation team `a` has no member in role group `lead` \
                 (`software-developer@lead`, `devops-engineer@senior` or `technical-architect@lead`); \
                 add a member with one of its roles",
                "org.toml:21:11 TEAM001 innovation team `b` has no member in role groups \
                 `senior-dev` (`software-developer@senior-developer`), `lead` (`software-developer@lead`, \
                 `devops-engineer@senior` or `technical-architect@lead`); add a member with one of the roles of each",
                "org.toml:26:11 TEAM001 innovation team `c` has no member in role group `senior-dev` \
                 (`software-developer@senior-developer`); add a member with one of its roles",
            ]
        );
    }

    #[test]
    fn lead_outside_members_does_not_count_and_aliases_resolve() {
        let org = format!(
            "{PEOPLE}
[teams.a]
name = \"A\"
mode = \"innovation\"
members = [\"ops\"]
lead = \"pm\"
"
        );
        let require = group_map(&[
            ("product", &["product-manager"]),
            ("ops", &["development-operations"]),
        ]);
        assert_eq!(
            lint(&[("require", require)], &org),
            [
                "org.toml:16:11 TEAM001 innovation team `a` has no member in role group `product` \
              (`product-manager`); add a member with one of its roles"
            ]
        );
    }

    #[test]
    fn unknown_inputs() {
        let require = group_map(&[("product", &["product-manager"])]);
        // Unknown mode: skipped. Invalid members list: skipped.
        let org = r#"
[teams.a]
name = "A"
mode = "innovaton"
members = ["ghost"]

[teams.b]
name = "B"
mode = "innovation"
members = "pm"
"#;
        let (found, integrity) = run(
            super::check,
            "TEAM001",
            "core-roles",
            &[("require", require.clone())],
            &[("org.toml", org)],
        );
        assert!(found.is_empty(), "{found:?}");
        assert!(!integrity.is_empty());
        // An unresolved member, or one whose role is unknown, fills nothing.
        let org = r#"
[people.x]
name = "X"
role = "product-manger"

[teams.c]
name = "C"
mode = "innovation"
members = ["ghost", "x"]
"#;
        let (found, integrity) = run(
            super::check,
            "TEAM001",
            "core-roles",
            &[("require", require)],
            &[("org.toml", org)],
        );
        assert_eq!(integrity.len(), 2, "ORG001 and ORG004");
        assert_eq!(
            found,
            [
                "org.toml:9:11 TEAM001 innovation team `c` has no member in role group `product` \
              (`product-manager`); add a member with one of its roles"
            ]
        );
    }

    #[test]
    fn default_require_is_valid_and_in_order() {
        let catalogue = Catalogue::builtin();
        assert!(validate_require(&default_require(), &catalogue).is_empty());
        let OptionValue::GroupMap(groups) = default_require() else {
            panic!("not a group map");
        };
        let names: Vec<&str> = groups.iter().map(|(g, _)| g.as_str()).collect();
        assert_eq!(
            names,
            [
                "product",
                "delivery",
                "user-research",
                "design",
                "content",
                "development",
                "technical-lead"
            ]
        );
    }

    #[test]
    fn validate_require_reports_problems() {
        let catalogue = Catalogue::builtin();
        let value = group_map(&[
            (
                "a",
                &[
                    "product-manger",
                    "devops@lead",
                    "software-developer@lead-developer",
                ],
            ),
            ("b", &[]),
            (
                "c",
                &[
                    "software-developer@leed",
                    "software-developer@head",
                    "software-developer@",
                ],
            ),
        ]);
        assert_eq!(
            validate_require(&value, &catalogue),
            [
                "group `a`: unknown role `product-manger`; did you mean `product-manager`?",
                "group `b` is empty: list at least one role",
                "group `c`: `software-developer@leed`: `leed` is neither a level of role \
                 `software-developer` nor a seniority word; did you mean `lead`?",
                "group `c`: `software-developer@head`: role `software-developer` has no level at `head` or above",
                "group `c`: `software-developer@`: `` is neither a level of role `software-developer` nor a seniority word",
            ]
        );
        assert_eq!(
            validate_require(&OptionValue::Integer(1), &catalogue).len(),
            1
        );
    }
}
