//! The command line's commands, called by `main.rs` with arguments already turned into library
//! types: `inspect` reads (`check`, `info`, `values`), `render` draws and exports (`map`,
//! `classify`, `portrait`, `batch`). They call the library, print its results and warnings and
//! choose exit codes; nothing here is needed by the library or the window, and no file is written
//! here but through the library's writers.

pub mod inspect;
pub mod render;

use anyhow::{anyhow, bail};
use indicarto::code::TerritoryCode;
use indicarto::pack::Pack;
use indicarto::portrait::TerritoryRef;

/// Prints a line on stdout. A closed pipe (`indicarto portrait … | head`) must not stop an export
/// half way, as `println!` would by panicking: the line is dropped instead.
fn say(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// Says on stderr how many warnings loading the pack gave, and where to read them.
fn count_pack_warnings(pack: &Pack, hint: &str) {
    if !pack.warnings.is_empty() {
        eprintln!("{} avertissement(s) au chargement du pack{hint}", pack.warnings.len());
    }
}

/// The level a user names, among the pack's (custom zonings included).
fn level(pack: &Pack, name: &str) -> anyhow::Result<indicarto::code::Level> {
    pack.parse_level(name).ok_or_else(|| {
        let mut known = indicarto::code::Level::official_keys();
        for custom in pack.territories.custom_level_names() {
            known.push_str(", ");
            known.push_str(&custom);
        }
        anyhow!("niveau « {name} » inconnu ; acceptés : {known}")
    })
}

/// Finds a territory by code, optionally written `level:code`; an ambiguous code (`32` is a région and
/// a département) must name its level.
fn resolve(pack: &Pack, text: &str, level_name: Option<&str>) -> anyhow::Result<TerritoryRef> {
    let (level_name, code) = match (text.split_once(':'), level_name) {
        (Some((l, c)), _) => (Some(l), c),
        (None, l) => (l, text),
    };
    let code = TerritoryCode::new(code);
    if let Some(name) = level_name {
        let level = level(pack, name)?;
        return pack
            .territories
            .get(&level, &code)
            .map(|t| TerritoryRef { level: t.level.clone(), code: t.code.clone() })
            .ok_or_else(|| anyhow!("territoire {code} inconnu au niveau {level}"));
    }
    let found: Vec<&indicarto::territory::Territory> =
        pack.territories.levels().filter_map(|l| l.territories.get(&code)).collect();
    match found.as_slice() {
        [one] => Ok(TerritoryRef { level: one.level.clone(), code: one.code.clone() }),
        [] => bail!("aucun territoire de code {code}"),
        many => bail!(
            "le code {code} désigne plusieurs territoires ({}) : précisez le niveau, par exemple region:{code}",
            many.iter().map(|t| format!("{} {}", t.level.key(), t.name)).collect::<Vec<_>>().join(", ")
        ),
    }
}
