//! Names of the régions, départements and EPCI of the current COG (2026), bundled so that levels
//! dissolved from a commune layer are named (`Hauts-de-France`, not `32`) without any file of the
//! pack. From the npm package `@etalab/decoupage-administratif` 6.0.0 (Insee and DGCL data, Licence
//! Ouverte 2.0; see ATTRIBUTION.md), as `assets/cog/noms_cog2026.csv`.
//!
//! Depends on [`crate::code`] only.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::code::Level;

/// The bundled table: `niveau;code;nom`, `#` comment lines first.
const NAMES: &str = include_str!("../../assets/cog/noms_cog2026.csv");

/// The COG vintage of the bundled names, for messages.
pub(crate) const COG_VINTAGE: &str = "COG 2026";

fn table() -> &'static HashMap<(&'static str, &'static str), &'static str> {
    static TABLE: OnceLock<HashMap<(&'static str, &'static str), &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        NAMES
            .lines()
            .filter(|l| !l.starts_with('#'))
            .skip(1)
            .filter_map(|line| {
                let mut fields = line.splitn(3, ';');
                Some(((fields.next()?, fields.next()?), fields.next()?))
            })
            .collect()
    })
}

/// The official name of a région, département or EPCI of the bundled COG.
///
/// ```ignore
/// assert_eq!(official_name(&Level::Region, "32"), Some("Hauts-de-France"));
/// ```
pub(crate) fn official_name(level: &Level, code: &str) -> Option<&'static str> {
    let key = match level {
        Level::Region | Level::Departement | Level::Epci => level.key(),
        _ => return None,
    };
    table().get(&(key, code)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names as published in the Insee COG 2026 and the DGCL list of EPCI (banatic).
    #[test]
    fn regions_departements_and_epci_are_named() {
        assert_eq!(official_name(&Level::Region, "32"), Some("Hauts-de-France"));
        assert_eq!(official_name(&Level::Departement, "2A"), Some("Corse-du-Sud"));
        assert_eq!(official_name(&Level::Departement, "02"), Some("Aisne"));
        assert_eq!(official_name(&Level::Epci, "248000531"), Some("CA Amiens Métropole"));
        assert_eq!(official_name(&Level::Departement, "2"), None);
        assert_eq!(official_name(&Level::Commune, "02691"), None);
        let table = table();
        assert_eq!(table.keys().filter(|(level, _)| *level == "epci").count(), 1255);
        assert_eq!(table.keys().filter(|(level, _)| *level == "departement").count(), 109);
    }
}
