//! Territories interned to small integer ids, and the plan of aggregation built on them: for each
//! upper level, in the order levels are computed, each unit with the ids of the members it is
//! summed from. Ids follow [`TerritorySet::levels`] (finest level first) and codes in order, so
//! iterating ids is iterating territories the way every output expects; a zone composed at run
//! time gets the next free id.
//!
//! Depends on [`crate::territory`] and [`crate::code`] only.

use std::collections::{BTreeMap, HashMap};

use crate::code::{Level, TerritoryCode};
use crate::territory::TerritorySet;

/// The id of a territory inside the store.
pub(crate) type UnitId = u32;

/// Every territory the store knows, by level and code, and back.
#[derive(Debug, Clone, Default)]
pub(crate) struct Units {
    by_level: BTreeMap<Level, HashMap<TerritoryCode, UnitId>>,
    refs: Vec<(Level, TerritoryCode)>,
}

impl Units {
    /// Gives an id to every territory of the set that has none yet.
    pub(crate) fn sync(&mut self, territories: &TerritorySet) {
        for layer in territories.levels() {
            for code in layer.territories.keys() {
                self.add(&layer.level, code);
            }
        }
    }

    /// The id of a territory, added if new.
    pub(crate) fn add(&mut self, level: &Level, code: &TerritoryCode) -> UnitId {
        if let Some(id) = self.id(level, code) {
            return id;
        }
        let id = UnitId::try_from(self.refs.len()).unwrap_or(UnitId::MAX);
        self.by_level.entry(level.clone()).or_default().insert(code.clone(), id);
        self.refs.push((level.clone(), code.clone()));
        id
    }

    /// The id of a territory.
    pub(crate) fn id(&self, level: &Level, code: &TerritoryCode) -> Option<UnitId> {
        self.by_level.get(level)?.get(code).copied()
    }

    /// How many ids were given.
    pub(crate) fn len(&self) -> usize {
        self.refs.len()
    }

    /// The level and code of an id.
    pub(crate) fn get(&self, id: UnitId) -> Option<&(Level, TerritoryCode)> {
        self.refs.get(id as usize)
    }
}

/// One upper unit and the members it is computed from, in code order.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub(crate) target: UnitId,
    pub(crate) members: Vec<UnitId>,
}

/// The groups of one target level.
#[derive(Debug, Clone)]
pub(crate) struct LevelPlan {
    pub(crate) groups: Vec<Group>,
}

/// For each upper level, in the order they are computed (by rank), its units with their members
/// from the finest level that has some: EPCI, départements and zones from communes; custom zonings
/// of EPCI from EPCI; régions from départements (else communes); France from régions (else
/// départements, else communes).
pub(crate) fn plan(territories: &TerritorySet, units: &Units) -> Vec<LevelPlan> {
    let mut levels: Vec<(&Level, Vec<Group>)> = Vec::new();
    for layer in territories.levels() {
        let mut found: BTreeMap<&TerritoryCode, Vec<UnitId>> = BTreeMap::new();
        if layer.listed_members.is_empty() {
            let sources: &[Level] = match &layer.level {
                Level::Commune => continue,
                Level::Epci | Level::Departement => &[Level::Commune],
                Level::Custom(_) => &[Level::Commune, Level::Epci],
                Level::Region => &[Level::Departement, Level::Commune],
                Level::France => &[Level::Region, Level::Departement, Level::Commune],
            };
            // Sources are visited from the least to the most preferred, so the first one listed wins.
            for source in sources.iter().rev() {
                let Some(source_layer) = territories.level(source) else { continue };
                let mut groups: BTreeMap<&TerritoryCode, Vec<UnitId>> = BTreeMap::new();
                for member in source_layer.territories.values() {
                    if let (Some(parent), Some(id)) = (member.parents.get(&layer.level), units.id(source, &member.code))
                    {
                        groups.entry(parent).or_default().push(id);
                    }
                }
                found.extend(groups);
            }
        } else {
            for (code, communes) in &layer.listed_members {
                let ids = communes.iter().filter_map(|c| units.id(&Level::Commune, c)).collect();
                found.insert(code, ids);
            }
        }
        let groups = layer
            .territories
            .keys()
            .filter_map(|code| {
                let members = found.remove(code)?;
                Some(Group { target: units.id(&layer.level, code)?, members })
            })
            .collect();
        levels.push((&layer.level, groups));
    }
    levels.sort_by_key(|(level, _)| (level.rank(), (*level).clone()));
    levels.into_iter().map(|(_, groups)| LevelPlan { groups }).collect()
}
