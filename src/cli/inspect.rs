//! The commands that read and print: `check` (a pack's problems, every one), `info` (boundary
//! files), `values` (an indicator's values as CSV on stdout, through the library's CSV writer).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail};
use indicarto::boundary::{self, Crs, LoadOptions};
use indicarto::code::{IndicatorId, TerritoryCode};
use indicarto::export::csv::{CsvCell, CsvStyle, CsvTable, to_csv_lines};
use indicarto::pack::{Pack, PackError};
use indicarto::territory::detect_level;
use indicarto::value::Value;

use super::{count_pack_warnings, level};

/// `indicarto check`: exit 0 when the pack opens (its warnings on stderr), 1 with every problem.
pub fn check(path: &Path) -> ExitCode {
    match Pack::open(path) {
        Ok(pack) => {
            for warning in &pack.warnings {
                eprintln!("avertissement : {warning}");
            }
            let indicators = pack.store.indicators().count();
            let territories: usize = pack.territories.levels().map(|l| l.territories.len()).sum();
            println!(
                "{} : pack valide — {indicators} indicateurs, {} modèles, {territories} territoires, {} avertissement(s)",
                path.display(),
                pack.templates.len(),
                pack.warnings.len()
            );
            ExitCode::SUCCESS
        }
        Err(PackError::Invalid(issues)) => {
            eprintln!("{} : pack invalide, {} problème(s) :", path.display(), issues.len());
            for issue in issues {
                eprintln!("  - {issue}");
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// `indicarto info`: one block per file; exit 1 when any could not be read.
pub fn info(paths: &[PathBuf], assume_crs: Option<Crs>, layer: Option<String>) -> anyhow::Result<ExitCode> {
    let options = LoadOptions { assume_crs, layer };
    let mut failed = false;
    let mut out = std::io::stdout().lock();
    for path in paths {
        // A file of several layers, none chosen: list them rather than fail.
        if options.layer.is_none()
            && let Ok(names) = boundary::list_layers(path)
            && names.len() > 1
        {
            writeln!(
                out,
                "{}\n  couches : {}\n  (--layer NOM décrit l'une d'elles)",
                path.display(),
                names.join(", ")
            )?;
            continue;
        }
        match boundary::load_layer(path, &options) {
            Ok(layer) => {
                let level =
                    detect_level(&layer.fields).map_or_else(|| "inconnu".to_owned(), |l| l.label_fr().to_owned());
                let extent = layer.extent().map_or_else(
                    || "vide".to_owned(),
                    |r| format!("{:.6} {:.6} — {:.6} {:.6}", r.min().x, r.min().y, r.max().x, r.max().y),
                );
                let lines = [
                    format!("{}", path.display()),
                    format!("  niveau : {level}"),
                    format!("  entités : {}", layer.features.len()),
                    format!("  sommets : {}", layer.vertex_count()),
                    format!("  système de coordonnées : {}", layer.crs),
                    format!("  encodage : {}", layer.encoding),
                    format!("  emprise : {extent}"),
                    format!("  emprise en longitude/latitude : {}", wgs84_extent(&layer)),
                    format!("  champs : {}", layer.fields.join(", ")),
                ];
                for line in lines.iter().chain(layer.warnings.iter()) {
                    writeln!(out, "{line}")?;
                }
            }
            Err(e) => {
                eprintln!("erreur : {e}");
                failed = true;
            }
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// The layer's extent in WGS84 degrees, for a quick sanity check of where the data lies.
fn wgs84_extent(layer: &boundary::Layer) -> String {
    let Some(rect) = layer.extent() else { return "vide".into() };
    let Ok(transformer) = boundary::crs::Transformer::new(&layer.crs, &Crs::wgs84()) else {
        return "non calculable".into();
    };
    let (min, max) = (rect.min(), rect.max());
    match (transformer.transform(min.x, min.y), transformer.transform(max.x, max.y)) {
        (Ok(a), Ok(b)) => format!("{:.4}° {:.4}° — {:.4}° {:.4}°", a.0, a.1, b.0, b.1),
        _ => "non calculable".into(),
    }
}

/// The arguments of `indicarto values`.
pub struct ValuesArgs {
    /// The pack folder or its manifest.
    pub pack: PathBuf,
    /// The indicator's id.
    pub indicator: String,
    /// The level's name (the pack's custom zonings included).
    pub level: String,
    /// One year, else every year of the indicator.
    pub year: Option<i32>,
    /// One territory's code, else every territory of the level.
    pub territory: Option<String>,
    /// The CSV dialect.
    pub csv_style: CsvStyle,
}

/// `indicarto values`: one CSV row per territory and year, with the value's status.
pub fn values(args: &ValuesArgs) -> anyhow::Result<ExitCode> {
    let pack = Pack::open(&args.pack)?;
    count_pack_warnings(&pack, &format!(" ; `indicarto check {}` les détaille", args.pack.display()));
    let id = IndicatorId::new(&args.indicator);
    let meta = pack.store.indicator(&id).ok_or_else(|| {
        let known: Vec<&str> = pack.store.indicators().map(|i| i.id.as_str()).collect();
        anyhow!("indicateur « {} » inconnu ; indicateurs du pack : {}", args.indicator, known.join(", "))
    })?;
    let level = level(&pack, &args.level)?;
    let layer =
        pack.territories.level(&level).ok_or_else(|| anyhow!("aucun territoire de niveau {level} dans ce pack"))?;
    let years: Vec<i32> = match args.year {
        Some(y) if meta.years.contains(&y) || meta.timeless => vec![y],
        Some(y) => bail!(
            "année {y} non disponible pour {} ; années : {}",
            args.indicator,
            meta.years.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
        ),
        None => meta.years.clone(),
    };
    let codes: Vec<&TerritoryCode> = match &args.territory {
        Some(code) => {
            let code = layer
                .territories
                .get_key_value(&TerritoryCode::new(code))
                .map(|(c, _)| c)
                .ok_or_else(|| anyhow!("territoire « {code} » inconnu au niveau {level}"))?;
            vec![code]
        }
        None => layer.territories.keys().collect(),
    };
    let header = ["code", "nom", "niveau", "indicateur", "annee", "valeur", "numerateur", "denominateur", "statut"];
    let mut table = CsvTable { header: header.map(String::from).to_vec(), rows: Vec::new() };
    let decimals = usize::from(meta.decimals);
    for code in codes {
        let name = &layer.territories[code].name;
        for &y in &years {
            let obs = pack.store.observation(&id, &level, code, y);
            let status = match (obs.value, obs.computed) {
                (Value::Secret, _) => "secret",
                (Value::Missing, _) => "manquant",
                (Value::Available(_), true) if obs.partial => "calculé (partiel)",
                (Value::Available(_), true) => "calculé",
                (Value::Available(_), false) => "fourni",
            };
            let number = |v: Option<f64>| v.map_or_else(|| CsvCell::Text(String::new()), CsvCell::Number);
            table.rows.push(vec![
                CsvCell::Text(code.to_string()),
                CsvCell::Text(name.clone()),
                CsvCell::Text(level.key().to_owned()),
                CsvCell::Text(id.to_string()),
                CsvCell::Integer(i64::from(y)),
                CsvCell::Value { value: obs.value, decimals },
                number(obs.numerator),
                number(obs.denominator),
                CsvCell::Text(status.to_owned()),
            ]);
        }
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    out.write_all(to_csv_lines(&table, args.csv_style).as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
