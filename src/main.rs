//! The `indicarto` binary: the desktop application when run without a subcommand (with the `gui`
//! feature), and the headless command line (`check`, `info`, `values`). Only this file and
//! the window may print or exit; the library returns errors and warnings.

mod cli;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use indicarto::boundary::{self, Crs, LoadOptions};
use indicarto::code::{IndicatorId, TerritoryCode};
use indicarto::pack::{Pack, PackError};
use indicarto::territory::detect_level;
use indicarto::text::Lang;
use indicarto::value::Value;

#[derive(Parser)]
#[command(
    name = "indicarto",
    version,
    about = "Observation territoriale : portraits, graphiques et cartes d'indicateurs, hors ligne"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Validates an indicator pack: exit 0 when valid (warnings printed), 1 with every error listed.
    Check {
        /// The pack folder or its pack.toml.
        pack: PathBuf,
    },
    /// Describes boundary files: level, count, CRS, encoding, extent, fields; the layers of a
    /// GeoPackage or a zip that holds several.
    Info {
        /// Shapefiles (.shp, or zipped), GeoJSON or GeoPackage (.gpkg) files.
        #[arg(required = true)]
        boundaries: Vec<PathBuf>,
        /// CRS to assume for a file that declares none: a Shapefile without .prj, a GeoJSON without crs member, a GeoPackage layer of undefined SRS (EPSG:2154, 4326…).
        #[arg(long)]
        assume_crs: Option<String>,
        /// The layer to describe in a GeoPackage or a zip holding several (its name).
        #[arg(long)]
        layer: Option<String>,
    },
    /// Prints the values of an indicator at a level as CSV, aggregates included, secret values masked.
    Values {
        /// The pack folder or its pack.toml.
        #[arg(long)]
        pack: PathBuf,
        /// Indicator id.
        #[arg(long)]
        indicator: String,
        /// commune, epci, departement, region, france, or a custom zoning.
        #[arg(long)]
        level: String,
        /// One year (default: every year of the indicator).
        #[arg(long)]
        year: Option<i32>,
        /// Only this territory.
        #[arg(long)]
        territory: Option<String>,
        /// `french`: `;` and decimal comma; `international`: `,` and decimal point.
        #[arg(long, value_enum, default_value_t = CsvStyle::French)]
        csv_style: CsvStyle,
    },
    /// Draws a quick map from any boundary file and any CSV.
    Map {
        /// Boundary file (.shp or .geojson).
        #[arg(long)]
        boundaries: PathBuf,
        /// Level of the units, for layer names (commune, epci…); detected when absent.
        #[arg(long)]
        level: Option<String>,
        /// The CSV (any French or international dialect).
        #[arg(long)]
        data: PathBuf,
        /// Join key: one name shared by the boundary field and the CSV column, or FIELD=COLUMN.
        #[arg(long)]
        join: String,
        #[command(flatten)]
        classes: ClassArgs,
        /// ColorBrewer palette.
        #[arg(long)]
        palette: Option<String>,
        /// choropleth (rates, shares) or circles (counts).
        #[arg(long, value_enum, default_value_t = Symbol::Choropleth)]
        symbol: Symbol,
        /// Title.
        #[arg(long)]
        title: Option<String>,
        /// Source line.
        #[arg(long)]
        source: Option<String>,
        /// Resolution of a PNG output.
        #[arg(long, default_value_t = 150)]
        dpi: u32,
        /// Language of the map's legend, scale bar, layer labels and numbers.
        #[arg(long, value_enum, ignore_case = true, default_value_t = LangArg::Fr)]
        lang: LangArg,
        /// CRS to assume for a file that declares none: a Shapefile without .prj, a GeoJSON without crs member (EPSG:2154…).
        #[arg(long)]
        assume_crs: Option<String>,
        /// Output: .svg, .png or .pdf.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Prints the class breaks of a CSV column as JSON.
    Classify {
        /// The CSV.
        #[arg(long)]
        data: PathBuf,
        #[command(flatten)]
        classes: ClassArgs,
    },
    /// Writes every representation of a template for one territory (SVG + CSV, PDF/PNG on demand).
    Portrait {
        #[command(flatten)]
        render: RenderOptions,
        /// The territory's code (or level:code when ambiguous, e.g. region:32).
        #[arg(long)]
        territory: String,
        /// Its level, when the code is ambiguous.
        #[arg(long)]
        level: Option<String>,
        /// Comparison zones (default: its département, région and France).
        #[arg(long)]
        compare: Vec<String>,
    },
    /// One portrait per territory of a level, in parallel.
    Batch {
        #[command(flatten)]
        render: RenderOptions,
        /// Level of the territories (epci, commune, departement…).
        #[arg(long)]
        level: String,
        /// Only those inside this région (code) or `departement:59`.
        #[arg(long)]
        within: Option<String>,
        /// Worker threads (0 = every core).
        #[arg(long, default_value_t = 0)]
        threads: usize,
    },
}

#[derive(clap::Args)]
struct RenderOptions {
    /// The pack folder or its pack.toml.
    #[arg(long)]
    pack: PathBuf,
    /// Template ("projet") id; the pack's first when absent.
    #[arg(long)]
    template: Option<String>,
    /// Year of the figures; each indicator's latest when absent.
    #[arg(long)]
    year: Option<i32>,
    /// Map classification: quantile, equal, jenks, stddev, q6, geometric.
    #[arg(long, default_value = "quantile")]
    method: String,
    /// Number of classes (3 to 9).
    #[arg(long, default_value_t = 5)]
    classes: usize,
    /// ColorBrewer palette (YlGnBu, Blues, RdBu…).
    #[arg(long)]
    palette: Option<String>,
    /// Units shown on maps: `auto` (inside the territory when it has several, else its region),
    /// `territory`, `region`.
    #[arg(long, value_enum, default_value_t = Extent::Auto)]
    extent: Extent,
    /// Classify every year of an indicator together, so maps of different years compare.
    #[arg(long)]
    same_breaks: bool,
    /// Also write the whole portrait as one multi-page PDF.
    #[arg(long)]
    pdf: bool,
    /// Also write a PNG of each figure at this resolution (dpi).
    #[arg(long)]
    png: Option<u32>,
    /// `french`: `;` and decimal comma; `international`: `,` and decimal point.
    #[arg(long, value_enum, default_value_t = CsvStyle::French)]
    csv_style: CsvStyle,
    /// Language of the figures' texts, numbers and CSV headers: `fr` or `en`. The pack's own labels,
    /// units and sources are kept as written; file names do not change.
    #[arg(long, value_enum, ignore_case = true, default_value_t = LangArg::Fr)]
    lang: LangArg,
    /// Output folder.
    #[arg(short, long)]
    output: PathBuf,
}

impl RenderOptions {
    fn into_args(self) -> cli::RenderArgs {
        cli::RenderArgs {
            pack: self.pack,
            template: self.template,
            year: self.year,
            method: self.method,
            classes: self.classes,
            palette: self.palette,
            extent: match self.extent {
                Extent::Auto => indicarto::portrait::MapExtent::Auto,
                Extent::Territory => indicarto::portrait::MapExtent::Territory,
                Extent::Region => indicarto::portrait::MapExtent::Region,
            },
            same_breaks: self.same_breaks,
            pdf: self.pdf,
            png_dpi: self.png,
            csv_style: match self.csv_style {
                CsvStyle::French => indicarto::export::csv::CsvStyle::French,
                CsvStyle::International => indicarto::export::csv::CsvStyle::International,
            },
            lang: self.lang.into(),
            output: self.output,
        }
    }
}

/// The column to classify and how.
#[derive(clap::Args)]
struct ClassArgs {
    /// The CSV column.
    #[arg(long)]
    value: String,
    /// quantile, equal, jenks, stddev, q6, geometric, manual.
    #[arg(long, default_value = "quantile")]
    method: String,
    /// Number of classes (3 to 9).
    #[arg(long, default_value_t = 5)]
    classes: usize,
    /// Manual breaks, e.g. 10,50,100.
    #[arg(long)]
    breaks: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Extent {
    Auto,
    Territory,
    Region,
}

#[derive(Clone, Copy, ValueEnum)]
enum Symbol {
    Choropleth,
    Circles,
}

#[derive(Clone, Copy, ValueEnum)]
enum CsvStyle {
    French,
    International,
}

/// `--lang`: the language of figure texts.
#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Fr,
    En,
}

impl From<LangArg> for Lang {
    fn from(lang: LangArg) -> Lang {
        match lang {
            LangArg::Fr => Lang::Fr,
            LangArg::En => Lang::En,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => return run_gui(),
        Some(Command::Check { pack }) => Ok(check(&pack)),
        Some(Command::Info { boundaries, assume_crs, layer }) => info(&boundaries, assume_crs.as_deref(), layer),
        Some(Command::Values { pack, indicator, level, year, territory, csv_style }) => {
            values(&pack, &indicator, &level, year, territory.as_deref(), csv_style)
        }
        Some(Command::Map {
            boundaries,
            level,
            data,
            join,
            classes: ClassArgs { value, method, classes, breaks },
            palette,
            symbol,
            title,
            source,
            dpi,
            lang,
            assume_crs,
            output,
        }) => assume_crs.as_deref().map(parse_crs).transpose().and_then(|assume_crs| {
            cli::map(&cli::MapArgs {
                boundaries,
                level,
                data,
                join,
                value,
                method,
                classes,
                breaks,
                palette,
                circles: matches!(symbol, Symbol::Circles),
                title,
                source,
                dpi,
                lang: lang.into(),
                assume_crs,
                output,
            })
            .map(|()| ExitCode::SUCCESS)
        }),
        Some(Command::Classify { data, classes: ClassArgs { value, method, classes, breaks } }) => {
            cli::classify_command(&data, &value, &method, classes, breaks.as_deref()).map(|()| ExitCode::SUCCESS)
        }
        Some(Command::Portrait { render, territory, level, compare }) => {
            cli::portrait_command(&render.into_args(), &territory, level.as_deref(), &compare)
                .map(|()| ExitCode::SUCCESS)
        }
        Some(Command::Batch { render, level, within, threads }) => {
            cli::batch_command(&render.into_args(), &level, within.as_deref(), threads)
                .map(|ok| if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("erreur : {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(feature = "gui")]
fn run_gui() -> ExitCode {
    match indicarto::gui::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("erreur : impossible d'ouvrir la fenêtre ({e})");
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "gui"))]
fn run_gui() -> ExitCode {
    eprintln!("cette version est construite sans interface graphique ; voir `indicarto --help`");
    ExitCode::from(2)
}

fn open_pack(path: &Path) -> Result<Pack, String> {
    Pack::open(path).map_err(|e| e.to_string())
}

fn check(path: &Path) -> ExitCode {
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
                pack.manifest.templates.len(),
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

fn parse_crs(text: &str) -> Result<Crs, String> {
    let digits = text.trim().trim_start_matches("EPSG:").trim_start_matches("epsg:");
    let code: u32 = digits.parse().map_err(|_| format!("« {text} » : code EPSG attendu (par exemple EPSG:2154)"))?;
    Crs::from_epsg(code).map_err(|e| e.to_string())
}

fn info(paths: &[PathBuf], assume_crs: Option<&str>, layer: Option<String>) -> Result<ExitCode, String> {
    let options = LoadOptions { assume_crs: assume_crs.map(parse_crs).transpose()?, layer };
    let mut failed = false;
    let mut out = std::io::stdout().lock();
    for path in paths {
        // A file of several layers, none chosen: list them rather than fail.
        if options.layer.is_none()
            && let Ok(names) = boundary::list_layers(path)
            && names.len() > 1
        {
            writeln!(out, "{}\n  couches : {}\n  (--layer NOM décrit l'une d'elles)", path.display(), names.join(", "))
                .map_err(|e| e.to_string())?;
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
                    writeln!(out, "{line}").map_err(|e| e.to_string())?;
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

fn values(
    pack_path: &Path,
    indicator: &str,
    level: &str,
    year: Option<i32>,
    territory: Option<&str>,
    style: CsvStyle,
) -> Result<ExitCode, String> {
    let pack = open_pack(pack_path)?;
    if !pack.warnings.is_empty() {
        eprintln!(
            "{} avertissement(s) au chargement du pack ; `indicarto check {}` les détaille",
            pack.warnings.len(),
            pack_path.display()
        );
    }
    let id = IndicatorId::new(indicator);
    let meta = pack.store.indicator(&id).ok_or_else(|| {
        let known: Vec<&str> = pack.store.indicators().map(|i| i.id.as_str()).collect();
        format!("indicateur « {indicator} » inconnu ; indicateurs du pack : {}", known.join(", "))
    })?;
    let level = pack
        .parse_level(level)
        .ok_or_else(|| format!("niveau « {level} » inconnu ; acceptés : commune, epci, departement, region, france"))?;
    let layer =
        pack.territories.level(&level).ok_or_else(|| format!("aucun territoire de niveau {level} dans ce pack"))?;
    let years: Vec<i32> = match year {
        Some(y) if meta.years.contains(&y) || meta.timeless => vec![y],
        Some(y) => {
            return Err(format!(
                "année {y} non disponible pour {indicator} ; années : {}",
                meta.years.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
            ));
        }
        None => meta.years.clone(),
    };
    let codes: Vec<&TerritoryCode> = match territory {
        Some(code) => {
            let code = layer
                .territories
                .get_key_value(&TerritoryCode::new(code))
                .map(|(c, _)| c)
                .ok_or_else(|| format!("territoire « {code} » inconnu au niveau {level}"))?;
            vec![code]
        }
        None => layer.territories.keys().collect(),
    };
    let (sep, mark) = match style {
        CsvStyle::French => (';', ','),
        CsvStyle::International => (',', '.'),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let header = ["code", "nom", "niveau", "indicateur", "annee", "valeur", "numerateur", "denominateur", "statut"];
    writeln!(out, "{}", header.join(&sep.to_string())).map_err(|e| e.to_string())?;
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
            let number = |v: Option<f64>| v.map_or_else(String::new, |v| plain_number(v, mark));
            let fields = [
                code.as_str().to_owned(),
                quote(name, sep),
                level.key().to_owned(),
                id.as_str().to_owned(),
                y.to_string(),
                obs.value.to_csv_cell(usize::from(meta.decimals), mark),
                number(obs.numerator),
                number(obs.denominator),
                status.to_owned(),
            ];
            writeln!(out, "{}", fields.join(&sep.to_string())).map_err(|e| e.to_string())?;
        }
    }
    out.flush().map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}

/// A numerator or denominator as written in data: the shortest text that reads back the same number.
fn plain_number(v: f64, mark: char) -> String {
    let text = format!("{v}");
    if mark == '.' { text } else { text.replace('.', &mark.to_string()) }
}

fn quote(text: &str, sep: char) -> String {
    if text.contains(sep) || text.contains('"') || text.contains('\n') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
