//! The small tables of a pack, read whole as text: custom zonings (`[[zonings]]`) and the COG
//! history (`cog_history`), and the reading options a `[[data]]` entry may force (separator,
//! encoding).
//!
//! Depends on [`crate::table`] and [`crate::territory`].

use std::collections::BTreeMap;
use std::path::Path;

use super::manifest;
use crate::code::{Level, TerritoryCode};
use crate::table::csv::{self, CsvOptions, TextEncoding, TextTable};
use crate::territory::{TerritorySet, normalise_code};

/// The CSV options a `[[data]]` entry forces: `separator` (one character, `\t` or `tab` for a
/// tab) and `encoding`.
pub(super) fn csv_options(separator: Option<&str>, encoding: Option<&str>) -> Result<CsvOptions, String> {
    let mut options = CsvOptions::default();
    if let Some(sep) = separator {
        let sep = if sep == "\\t" || sep == "tab" { "\t" } else { sep };
        match sep.as_bytes() {
            [b] => options.separator = Some(*b),
            _ => return Err(format!("séparateur « {sep} » : un seul caractère attendu")),
        }
    }
    if let Some(enc) = encoding {
        options.encoding = Some(match crate::text::search_key(enc).replace(' ', "").as_str() {
            "utf8" => TextEncoding::Utf8,
            "utf8bom" | "utf8sig" => TextEncoding::Utf8Bom,
            "windows1252" | "cp1252" | "1252" | "latin1" | "iso88591" | "ansi" => TextEncoding::Windows1252,
            _ => return Err(format!("encodage « {enc} » inconnu ; acceptés : utf-8, windows-1252")),
        });
    }
    Ok(options)
}

fn read_table(path: &Path) -> Result<TextTable, String> {
    let is_parquet = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
    if is_parquet {
        return csv::read_parquet(path).map_err(|e| e.to_string());
    }
    csv::read_csv(path, &CsvOptions::default()).map_err(|e| e.to_string())
}

pub(super) fn load_zoning(def: &manifest::ZoningDef, dir: &Path, territories: &mut TerritorySet) -> Result<(), String> {
    let path = dir.join(&def.file);
    let table = read_table(&path)?;
    let column = |given: &Option<String>, default: &str| -> Result<usize, String> {
        let name = given.as_deref().unwrap_or(default);
        table.column_index(name).ok_or_else(|| {
            format!("colonne « {name} » introuvable ; colonnes présentes : {}", table.columns.join(", "))
        })
    };
    let member_col = column(&def.member_column, "code")?;
    let zone_col = column(&def.zone_column, "zone")?;
    let name_col = column(&def.zone_name_column, "nom_zone").ok();
    let member_level = match &def.member_level {
        Some(name) => Level::parse(name, &[]).ok_or_else(|| format!("niveau « {name} » inconnu"))?,
        None => Level::Commune,
    };
    let mut zones: BTreeMap<TerritoryCode, (String, Vec<TerritoryCode>)> = BTreeMap::new();
    for row in 0..table.n_rows() {
        let (Some(member), Some(zone)) = (table.cell(row, member_col), table.cell(row, zone_col)) else {
            return Err(format!("ligne {} : code de membre ou de zone vide", table.line_of_row(row)));
        };
        let name = name_col.and_then(|c| table.cell(row, c)).unwrap_or(zone).to_owned();
        let entry = zones.entry(TerritoryCode::new(zone)).or_insert_with(|| (name, Vec::new()));
        entry.1.push(normalise_code(&member_level, member).0);
    }
    territories.add_zoning(&def.name, &member_level, &zones).map_err(|e| e.to_string())
}

pub(super) fn read_history(path: &Path) -> Result<BTreeMap<TerritoryCode, TerritoryCode>, String> {
    let table = read_table(path)?;
    let old = table.column_index("ancien_code").ok_or("colonne « ancien_code » attendue")?;
    let new = table.column_index("nouveau_code").ok_or("colonne « nouveau_code » attendue")?;
    Ok((0..table.n_rows())
        .filter_map(|r| Some((TerritoryCode::new(table.cell(r, old)?), TerritoryCode::new(table.cell(r, new)?))))
        .collect())
}
