//! Commands of the binary that draw and export: `map`, `classify`, `portrait`, `batch`. They parse
//! and validate arguments, call the library, print results and choose exit codes; nothing here is
//! needed by the library or the window.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use indicarto::batch::{BatchOptions, run_batch};
use indicarto::boundary::{self, Crs, LoadOptions};
use indicarto::classify::{self, Method};
use indicarto::code::{Level, TerritoryCode};
use indicarto::export::csv::CsvStyle;
use indicarto::export::files::{Formats, write_atomic, write_illustration, write_pdf_document};
use indicarto::export::{render, svg::to_svg};
use indicarto::map::{MapSpec, MapUnit, Symbolisation, map_figure};
use indicarto::pack::Pack;
use indicarto::palette;
use indicarto::portrait::{self, MapExtent, MapOptions, Selection, TerritoryRef};
use indicarto::table::csv::{self as csvin, CsvOptions, NumberCell};
use indicarto::territory::detect_level;
use indicarto::text::Lang;
use indicarto::value::Value;

/// Arguments of `indicarto map`.
pub struct MapArgs {
    pub boundaries: PathBuf,
    pub level: Option<String>,
    pub data: PathBuf,
    pub join: String,
    pub value: String,
    pub method: String,
    pub classes: usize,
    pub breaks: Option<String>,
    pub palette: Option<String>,
    pub circles: bool,
    pub title: Option<String>,
    pub source: Option<String>,
    pub dpi: u32,
    pub lang: Lang,
    pub assume_crs: Option<Crs>,
    pub output: PathBuf,
}

fn parse_breaks(text: Option<&str>) -> Result<Option<Vec<f64>>, String> {
    let Some(text) = text else { return Ok(None) };
    let parsed: Result<Vec<f64>, String> = text
        .split([',', ';', ' '])
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim().parse::<f64>().map_err(|_| {
                format!("--breaks : « {s} » n'est pas un nombre (écrire 10,20,50 avec des points décimaux)")
            })
        })
        .collect();
    parsed.map(Some)
}

/// Geographic layers are drawn in Lambert-93 when they lie in metropolitan France, in Web Mercator
/// otherwise: a map needs a planar projection and a scale in metres.
fn planar(layer: &mut boundary::Layer) -> Result<(), String> {
    if !layer.crs.is_geographic() {
        return Ok(());
    }
    let in_france =
        layer.extent().is_some_and(|r| r.min().x > -6.0 && r.max().x < 10.0 && r.min().y > 41.0 && r.max().y < 52.0);
    let target = if in_france { Crs::lambert93() } else { Crs::from_epsg(3857).map_err(|e| e.to_string())? };
    layer.reproject(&target).map_err(|e| e.to_string())
}

pub fn map(args: &MapArgs) -> Result<(), String> {
    let mut layer = boundary::load_layer(&args.boundaries, &LoadOptions { assume_crs: args.assume_crs.clone() })
        .map_err(|e| e.to_string())?;
    planar(&mut layer)?;
    let (field, column) = match args.join.split_once('=') {
        Some((f, c)) => (f.trim(), c.trim()),
        None => (args.join.trim(), args.join.trim()),
    };
    let field_index = layer.field_index(field).ok_or_else(|| {
        format!("{} : champ « {field} » introuvable ; champs : {}", args.boundaries.display(), layer.fields.join(", "))
    })?;
    let name_index = ["NOM", "nom", "LIBGEO", "libelle", "name", "NAME"].iter().find_map(|n| layer.field_index(n));
    let table = csvin::read_csv(&args.data, &CsvOptions::default()).map_err(|e| e.to_string())?;
    let values = read_values(&table, &args.data, column, &args.value)?;
    let mut matched = std::collections::HashSet::with_capacity(values.len());
    let mut without_value = 0usize;
    let codes: Vec<String> =
        layer.features.iter().map(|f| f.attributes[field_index].clone().unwrap_or_default()).collect();
    let names: Vec<String> = layer
        .features
        .iter()
        .zip(&codes)
        .map(|(f, code)| name_index.and_then(|i| f.attributes[i].clone()).unwrap_or_else(|| code.clone()))
        .collect();
    let units: Vec<MapUnit<'_>> = layer
        .features
        .iter()
        .zip(codes.iter().zip(&names))
        .map(|(f, (code, name))| {
            let value = if let Some(v) = values.get(code.as_str()) {
                matched.insert(code.as_str());
                *v
            } else {
                without_value += 1;
                Value::Missing
            };
            MapUnit { code: code.as_str(), name: name.as_str(), geometry: &f.geometry, value }
        })
        .collect();
    let mut unmatched: Vec<&str> = values.keys().copied().filter(|c| !matched.contains(c)).collect();
    if !unmatched.is_empty() {
        unmatched.sort_unstable();
        let shown = unmatched.iter().take(20).copied().collect::<Vec<_>>().join(", ");
        eprintln!(
            "avertissement : {} code(s) du CSV sans contour : {shown}{}",
            unmatched.len(),
            if unmatched.len() > 20 { ", …" } else { "" }
        );
    }
    if without_value > 0 {
        eprintln!("avertissement : {without_value} entité(s) sans valeur dans le CSV (« donnée manquante »)");
    }
    let symbolisation = if args.circles {
        Symbolisation::Circles
    } else {
        let method = Method::parse(&args.method, parse_breaks(args.breaks.as_deref())?).map_err(|e| e.to_string())?;
        let numbers: Vec<f64> = units.iter().filter_map(|u| u.value.number()).collect();
        let classification = classify::classify(&numbers, &method, args.classes).map_err(|e| e.to_string())?;
        let name = args.palette.clone().unwrap_or_else(|| palette::DEFAULT_SEQUENTIAL.to_owned());
        let colors = palette::palette(&name)
            .and_then(|p| p.colors(classification.n_classes()))
            .ok_or_else(|| format!("palette « {name} » inconnue ou sans {} classes", classification.n_classes()))?;
        Symbolisation::Choropleth { classification, colors }
    };
    let level = match &args.level {
        Some(name) => {
            Level::parse(name, std::slice::from_ref(name)).ok_or_else(|| format!("niveau « {name} » inconnu"))?
        }
        None => detect_level(&layer.fields).unwrap_or(Level::Custom("unites".into())),
    };
    let spec = MapSpec {
        title: args.title.clone().unwrap_or_else(|| args.value.clone()),
        subtitle: String::new(),
        source: args.source.clone().unwrap_or_default(),
        unit: String::new(),
        decimals: decimals_of(units.iter().filter_map(|u| u.value.number())),
        units,
        borders: Vec::new(),
        outline: None,
        symbolisation,
        units_layer: portrait::layer_id(&level),
        units_label: portrait::layer_label(&level, args.lang),
        width_mm: 180.0,
        height_mm: 170.0,
        lang: args.lang,
    };
    let figure = map_figure(&spec);
    write_figure(&args.output, &figure, args.dpi)
}

/// Reads a CSV's values by code; a cell that is not a number is an error naming its line.
fn read_values<'t>(
    table: &'t csvin::TextTable,
    path: &Path,
    column: &str,
    value: &str,
) -> Result<std::collections::HashMap<&'t str, Value>, String> {
    let find = |name: &str| {
        table.column_index(name).ok_or_else(|| {
            format!("{} : colonne « {name} » introuvable ; colonnes : {}", path.display(), table.columns.join(", "))
        })
    };
    let (code_col, value_col) = (find(column)?, find(value)?);
    let mut values = std::collections::HashMap::with_capacity(table.n_rows());
    let mut errors = Vec::new();
    let mut duplicates = 0usize;
    for row in 0..table.n_rows() {
        let Some(code) = table.cell(row, code_col) else { continue };
        let value = match csvin::parse_number(table.cell(row, value_col).unwrap_or("")) {
            Ok(NumberCell::Number(v)) => Value::Available(v),
            Ok(NumberCell::Missing) => Value::Missing,
            Ok(NumberCell::Secret) => Value::Secret,
            Err(e) => {
                errors.push(format!("{}, ligne {} : {e}", path.display(), table.line_of_row(row)));
                continue;
            }
        };
        if values.insert(code, value).is_some() {
            duplicates += 1;
        }
    }
    if !errors.is_empty() {
        let shown = errors.iter().take(10).cloned().collect::<Vec<_>>().join("\n  ");
        return Err(format!("{} valeur(s) illisible(s) :\n  {shown}", errors.len()));
    }
    if duplicates > 0 {
        eprintln!(
            "avertissement : {duplicates} code(s) répété(s) dans {} ; la dernière ligne est gardée",
            path.display()
        );
    }
    Ok(values)
}

/// Decimals worth showing for these values: none for counts, else up to two.
fn decimals_of(values: impl Iterator<Item = f64>) -> usize {
    values
        .map(|v| {
            (0..2).find(|d| ((v * 10f64.powi(*d)).round() - v * 10f64.powi(*d)).abs() < 1e-9).unwrap_or(2) as usize
        })
        .max()
        .unwrap_or(0)
}

fn write_figure(output: &Path, figure: &indicarto::figure::Figure, dpi: u32) -> Result<(), String> {
    let ext = output.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let svg = to_svg(figure);
    for warning in &svg.warnings {
        eprintln!("avertissement : {warning}");
    }
    let bytes = match ext.as_deref() {
        Some("svg") => svg.text.into_bytes(),
        Some("png") => render::png_from_svg(&svg.text, dpi as f32).map_err(|e| e.to_string())?,
        Some("pdf") => {
            render::pdf_from_svgs(&[svg.text.as_str()], &figure.title, figure.lang).map_err(|e| e.to_string())?
        }
        _ => return Err(format!("{} : extension attendue .svg, .png ou .pdf", output.display())),
    };
    write_atomic(output, &bytes).map_err(|e| e.to_string())
}

pub fn classify_command(
    data: &Path,
    value: &str,
    method: &str,
    classes: usize,
    breaks: Option<&str>,
) -> Result<(), String> {
    let table = csvin::read_csv(data, &CsvOptions::default()).map_err(|e| e.to_string())?;
    let col = table.column_index(value).ok_or_else(|| {
        format!("{} : colonne « {value} » introuvable ; colonnes : {}", data.display(), table.columns.join(", "))
    })?;
    let mut numbers = Vec::with_capacity(table.n_rows());
    for row in 0..table.n_rows() {
        match csvin::parse_number(table.cell(row, col).unwrap_or("")) {
            Ok(NumberCell::Number(v)) => numbers.push(v),
            Ok(_) => {}
            Err(e) => return Err(format!("{}, ligne {} : {e}", data.display(), table.line_of_row(row))),
        }
    }
    let method = Method::parse(method, parse_breaks(breaks)?).map_err(|e| e.to_string())?;
    let classification = classify::classify(&numbers, &method, classes).map_err(|e| e.to_string())?;
    println!("{}", serde_json::to_string_pretty(&classification).map_err(|e| e.to_string())?);
    Ok(())
}

/// Finds a territory by code, optionally written `level:code`; an ambiguous code (`32` is a région and
/// a département) must name its level.
pub fn resolve(pack: &Pack, text: &str, level: Option<&str>) -> Result<TerritoryRef, String> {
    let (level, code) = match (text.split_once(':'), level) {
        (Some((l, c)), _) => (Some(l), c),
        (None, l) => (l, text),
    };
    let code = TerritoryCode::new(code);
    if let Some(name) = level {
        let level = pack.parse_level(name).ok_or_else(|| format!("niveau « {name} » inconnu"))?;
        return pack
            .territories
            .get(&level, &code)
            .map(|t| TerritoryRef { level: t.level.clone(), code: t.code.clone() })
            .ok_or_else(|| format!("territoire {code} inconnu au niveau {level}"));
    }
    let found: Vec<&indicarto::territory::Territory> =
        pack.territories.levels().filter_map(|l| l.territories.get(&code)).collect();
    match found.as_slice() {
        [one] => Ok(TerritoryRef { level: one.level.clone(), code: one.code.clone() }),
        [] => Err(format!("aucun territoire de code {code}")),
        many => Err(format!(
            "le code {code} désigne plusieurs territoires ({}) : précisez le niveau, par exemple region:{code}",
            many.iter().map(|t| format!("{} {}", t.level.key(), t.name)).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// Prints a line of progress on stdout. A closed pipe (`indicarto portrait … | head`) must not stop
/// an export half way, as `println!` would by panicking: the line is dropped instead.
fn say(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// Arguments shared by `portrait` and `batch`.
pub struct RenderArgs {
    pub pack: PathBuf,
    pub template: Option<String>,
    pub year: Option<i32>,
    pub method: String,
    pub classes: usize,
    pub palette: Option<String>,
    pub extent: MapExtent,
    pub same_breaks: bool,
    pub pdf: bool,
    pub png_dpi: Option<u32>,
    pub csv_style: CsvStyle,
    pub lang: Lang,
    pub output: PathBuf,
}

impl RenderArgs {
    fn map_options(&self) -> Result<MapOptions, String> {
        Ok(MapOptions {
            method: Method::parse(&self.method, None).map_err(|e| e.to_string())?,
            classes: self.classes,
            palette: self.palette.clone().unwrap_or_else(|| palette::DEFAULT_SEQUENTIAL.to_owned()),
            extent: self.extent,
            same_breaks_across_years: self.same_breaks,
            lang: self.lang,
        })
    }

    fn formats(&self) -> Formats {
        Formats { svg: true, csv: true, png_dpi: self.png_dpi, pdf: false }
    }

    fn open(&self) -> Result<Pack, String> {
        let pack = Pack::open(&self.pack).map_err(|e| e.to_string())?;
        if indicarto::batch::is_inside(&self.output, &pack.dir) || self.output.starts_with(&pack.dir) {
            return Err(format!(
                "{} : le dossier de sortie est dans le dossier du pack ; choisissez un autre dossier (Indicarto n'écrit jamais dans les données d'entrée)",
                self.output.display()
            ));
        }
        if !pack.warnings.is_empty() {
            eprintln!(
                "{} avertissement(s) au chargement du pack (indicarto check pour le détail)",
                pack.warnings.len()
            );
        }
        Ok(pack)
    }
}

pub fn portrait_command(
    args: &RenderArgs,
    territory: &str,
    level: Option<&str>,
    compare: &[String],
) -> Result<(), String> {
    let pack = args.open()?;
    let here = resolve(&pack, territory, level)?;
    let comparisons = if compare.is_empty() {
        portrait::default_comparisons(&pack, &here)
    } else {
        compare.iter().map(|c| resolve(&pack, c, None)).collect::<Result<_, _>>()?
    };
    let template = portrait::template(&pack, args.template.as_deref()).map_err(|e| e.to_string())?;
    let selection = Selection { territory: here, comparisons, year: args.year };
    let illustrations =
        portrait::build_portrait(&pack, &selection, template, &args.map_options()?).map_err(|e| e.to_string())?;
    for illustration in &illustrations {
        let (written, warnings) = write_illustration(
            &args.output,
            &illustration.slug,
            &illustration.figure,
            &illustration.data,
            args.formats(),
            args.csv_style,
        )
        .map_err(|e| e.to_string())?;
        for w in warnings {
            eprintln!("avertissement : {w}");
        }
        for path in written {
            say(&path.display().to_string());
        }
    }
    if args.pdf {
        let path = args.output.join(format!("portrait-{}.pdf", template.id));
        let figures: Vec<_> = illustrations.iter().map(|i| &i.figure).collect();
        let territory_name =
            pack.territories.get(&selection.territory.level, &selection.territory.code).map_or("", |t| t.name.as_str());
        write_pdf_document(&path, &figures, &format!("{} — {territory_name}", template.title))
            .map_err(|e| e.to_string())?;
        say(&path.display().to_string());
    }
    Ok(())
}

pub fn batch_command(args: &RenderArgs, level: &str, within: Option<&str>, threads: usize) -> Result<bool, String> {
    let pack = args.open()?;
    let level = pack.parse_level(level).ok_or_else(|| format!("niveau « {level} » inconnu"))?;
    let within = match within {
        Some(text) if text.contains(':') => Some(resolve(&pack, text, None)?),
        Some(code) => Some(resolve(&pack, code, Some("region"))?),
        None => None,
    };
    let options = BatchOptions {
        level,
        within,
        template: args.template.clone(),
        map: args.map_options()?,
        formats: args.formats(),
        portrait_pdf: args.pdf,
        csv_style: args.csv_style,
        out_dir: args.output.clone(),
        threads,
    };
    let terminal = std::io::stderr().is_terminal();
    let progress = |done: usize, total: usize, name: &str| {
        if terminal {
            let width = 30;
            let filled = (done * width).checked_div(total).unwrap_or(width);
            eprint!("\r[{}{}] {done}/{total} {name:<40.40}", "#".repeat(filled), "-".repeat(width - filled));
            if done == total {
                eprintln!();
            }
        }
    };
    let cancel = AtomicBool::new(false);
    let report = run_batch(&pack, &options, &progress, &cancel).map_err(|e| e.to_string())?;
    say(&format!("{} portrait(s), {} fichier(s) écrits dans {}", report.done, report.files, args.output.display()));
    for (code, message) in &report.failures {
        eprintln!("erreur : {code} : {message}");
    }
    Ok(report.failures.is_empty())
}
