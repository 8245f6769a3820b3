//! The role catalogue: the built-in Government Digital and Data Profession
//! Capability Framework (embedded from `rules/ddat-roles.toml`), extended by
//! local `[roles.<id>]` tables.

use foldhash::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// The embedded role catalogue.
pub const ROLE_CATALOGUE: &str = include_str!("../../rules/ddat-roles.toml");

/// Seniority of a level, read from its leading word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rank {
    Trainee,
    Apprentice,
    Associate,
    Junior,
    /// The role's base level (`developer`).
    Base,
    Senior,
    Lead,
    Principal,
    /// `head` and `chief`.
    Head,
}

impl Rank {
    /// The rank a ranking word names; `None` for any other word.
    pub fn from_word(word: &str) -> Option<Rank> {
        Some(match word {
            "trainee" => Rank::Trainee,
            "apprentice" => Rank::Apprentice,
            "associate" => Rank::Associate,
            "junior" => Rank::Junior,
            "senior" => Rank::Senior,
            "lead" => Rank::Lead,
            "principal" => Rank::Principal,
            "head" | "chief" => Rank::Head,
            _ => return None,
        })
    }
}

/// The nine ranking words, which are also the accepted short level forms.
pub const RANK_WORDS: &[&str] = &[
    "trainee",
    "apprentice",
    "associate",
    "junior",
    "senior",
    "lead",
    "principal",
    "head",
    "chief",
];

#[derive(Clone, Debug)]
pub struct RoleInfo {
    pub id: String,
    pub name: String,
    pub family: String,
    /// Level ids, ascending.
    pub levels: Vec<String>,
    pub aliases: Vec<String>,
    /// From the built-in catalogue (else a local `[roles]` table).
    pub builtin: bool,
}

impl RoleInfo {
    /// Whether the level at `ix` is a `-management` variant of another level.
    pub fn is_management_variant(&self, ix: usize) -> bool {
        self.levels
            .get(ix)
            .and_then(|l| l.strip_suffix("-management"))
            .is_some_and(|base| self.levels.iter().any(|l| l == base))
    }

    /// The index of a level id, or of its short form (a ranking word that
    /// begins exactly one non-`-management` level).
    pub fn resolve_level(&self, level: &str) -> Option<usize> {
        if let Some(ix) = self.levels.iter().position(|l| l == level) {
            return Some(ix);
        }
        if !RANK_WORDS.contains(&level) {
            return None;
        }
        let mut found = None;
        for (ix, l) in self.levels.iter().enumerate() {
            if first_segment(l) == level && !self.is_management_variant(ix) {
                if found.is_some() {
                    return None;
                }
                found = Some(ix);
            }
        }
        found
    }

    /// The seniority of the level at `ix`.
    pub fn rank(&self, ix: usize) -> Rank {
        let Some(level) = self.levels.get(ix) else {
            return Rank::Base;
        };
        let level = if self.is_management_variant(ix) {
            level.strip_suffix("-management").unwrap_or(level)
        } else {
            level
        };
        Rank::from_word(first_segment(level)).unwrap_or(Rank::Base)
    }
}

fn first_segment(level: &str) -> &str {
    level.split('-').next().unwrap_or(level)
}

/// All roles known in a run, with ids and aliases indexed.
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    pub roles: Vec<RoleInfo>,
    by_id: HashMap<String, usize>,
}

#[derive(Deserialize)]
struct CatalogueFile {
    roles: std::collections::BTreeMap<String, RoleEntry>,
}

#[derive(Deserialize)]
struct RoleEntry {
    name: String,
    family: String,
    #[serde(default)]
    levels: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

impl Catalogue {
    /// The built-in catalogue (parsed once per process).
    pub fn builtin() -> Catalogue {
        static BUILTIN: OnceLock<Catalogue> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let mut catalogue = Catalogue::default();
                // The embedded file is tested to parse; an empty catalogue
                // would make every role unknown, never a crash.
                if let Ok(file) = toml::from_str::<CatalogueFile>(ROLE_CATALOGUE) {
                    for (id, e) in file.roles {
                        catalogue.add(RoleInfo {
                            id,
                            name: e.name,
                            family: e.family,
                            levels: e.levels,
                            aliases: e.aliases,
                            builtin: true,
                        });
                    }
                }
                catalogue
            })
            .clone()
    }

    /// Adds a role; its id and aliases must not be taken (checked by the
    /// caller, which reports ORG002).
    pub fn add(&mut self, role: RoleInfo) -> usize {
        let ix = self.roles.len();
        self.by_id.entry(role.id.clone()).or_insert(ix);
        for alias in &role.aliases {
            self.by_id.entry(alias.clone()).or_insert(ix);
        }
        self.roles.push(role);
        ix
    }

    /// The role an id or alias names.
    pub fn lookup(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn get(&self, ix: usize) -> Option<&RoleInfo> {
        self.roles.get(ix)
    }

    /// Every id and alias, for did-you-mean.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_id.keys().map(String::as_str)
    }

    /// Whether the id or alias is taken.
    pub fn contains(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogue_has_every_role_and_level() {
        let c = Catalogue::builtin();
        let builtin: Vec<_> = c.roles.iter().filter(|r| r.builtin).collect();
        // 52 roles of the framework plus the two 2017 roles that no longer exist.
        assert_eq!(builtin.len(), 54);
        let levels: usize = builtin
            .iter()
            .filter(|r| r.family != "Technical (2017)")
            .map(|r| r.levels.len())
            .sum();
        assert_eq!(levels, 201);
    }

    #[test]
    fn aliases_resolve_to_their_role() {
        let c = Catalogue::builtin();
        let devops = c
            .lookup("devops")
            .and_then(|i| c.get(i))
            .map(|r| r.id.as_str());
        assert_eq!(devops, Some("devops-engineer"));
        let qat = c
            .lookup("qat-analyst")
            .and_then(|i| c.get(i))
            .map(|r| r.id.as_str());
        assert_eq!(qat, Some("quality-assurance-test-analyst"));
    }

    #[test]
    fn short_level_forms() {
        let c = Catalogue::builtin();
        let dev = c
            .lookup("software-developer")
            .and_then(|i| c.get(i))
            .unwrap();
        let lead = dev.resolve_level("lead").unwrap();
        assert_eq!(dev.levels[lead], "lead-developer");
        assert_eq!(dev.rank(lead), Rank::Lead);
        let m = dev.resolve_level("lead-developer-management").unwrap();
        assert!(dev.is_management_variant(m));
        assert_eq!(dev.rank(m), Rank::Lead);
        assert_eq!(
            dev.rank(dev.resolve_level("developer").unwrap()),
            Rank::Base
        );
        assert_eq!(dev.resolve_level("developer-lead"), None);
        assert_eq!(dev.resolve_level("manager"), None);
        let itsm = c
            .lookup("it-service-manager")
            .and_then(|i| c.get(i))
            .unwrap();
        let head = itsm.resolve_level("head").unwrap();
        assert!(!itsm.is_management_variant(head));
        assert_eq!(itsm.rank(head), Rank::Head);
    }
}
