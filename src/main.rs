//! The `indicarto` binary: the desktop window when run without a subcommand (with the `gui`
//! feature), else the command line's seven commands: `check`, `info`, `values` (reading packs and
//! boundary files, [`cli::inspect`]) and `map`, `classify`, `portrait`, `batch` (drawing and
//! exporting, [`cli::render`]).
//!
//! This file declares the arguments and turns them into the library's types once, as clap parses
//! them (an extent, a CSV style, a language, a symbol, a CRS, a join); the commands never see raw
//! text except where only the opened pack can read it (its levels and custom zonings). Only this
//! file, `cli/` and the window print or exit; `anyhow` carries the commands' errors up to here.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand};
use indicarto::boundary::Crs;
use indicarto::code::Level;
use indicarto::export::csv::CsvStyle;
use indicarto::portrait::MapExtent;
use indicarto::quickmap::{Join, Symbol};
use indicarto::text::Lang;

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
        #[arg(long, value_parser = parse_crs)]
        assume_crs: Option<Crs>,
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
        #[arg(long, value_parser = csv_style(), default_value = "french")]
        csv_style: CsvStyle,
    },
    /// Draws a quick map from any boundary file and any CSV.
    Map {
        /// Boundary file (.shp or .geojson).
        #[arg(long)]
        boundaries: PathBuf,
        /// Level of the units, for layer names (commune, epci…); detected when absent.
        #[arg(long, value_parser = level_or_custom)]
        level: Option<Level>,
        /// The CSV (any French or international dialect).
        #[arg(long)]
        data: PathBuf,
        /// Join key: one name shared by the boundary field and the CSV column, or FIELD=COLUMN.
        #[arg(long, value_parser = join)]
        join: Join,
        #[command(flatten)]
        classes: ClassArgs,
        /// ColorBrewer palette.
        #[arg(long)]
        palette: Option<String>,
        /// choropleth (rates, shares) or circles (counts).
        #[arg(long, value_parser = symbol(), default_value = "choropleth")]
        symbol: Symbol,
        /// Title of the map (the column's name when absent).
        #[arg(long)]
        title: Option<String>,
        /// Source line.
        #[arg(long)]
        source: Option<String>,
        /// Resolution of a PNG output.
        #[arg(long, default_value_t = 150)]
        dpi: u32,
        /// Language of the map's legend, scale bar, layer labels and numbers.
        #[arg(long, value_parser = lang(), ignore_case = true, default_value = "fr")]
        lang: Lang,
        /// CRS to assume for a file that declares none: a Shapefile without .prj, a GeoJSON without crs member (EPSG:2154…).
        #[arg(long, value_parser = parse_crs)]
        assume_crs: Option<Crs>,
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

/// The options `portrait` and `batch` share.
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
    #[arg(long, value_parser = extent(), default_value = "auto")]
    extent: MapExtent,
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
    #[arg(long, value_parser = csv_style(), default_value = "french")]
    csv_style: CsvStyle,
    /// Language of the figures' texts, numbers and CSV headers: `fr` or `en`. The pack's own labels,
    /// units and sources are kept as written; file names do not change.
    #[arg(long, value_parser = lang(), ignore_case = true, default_value = "fr")]
    lang: Lang,
    /// Output folder.
    #[arg(short, long)]
    output: PathBuf,
}

impl RenderOptions {
    fn into_args(self) -> anyhow::Result<cli::render::RenderArgs> {
        let map = indicarto::portrait::MapOptions {
            method: indicarto::classify::Method::parse(&self.method, None)?,
            classes: self.classes,
            palette: self.palette.unwrap_or_else(|| indicarto::palette::DEFAULT_SEQUENTIAL.to_owned()),
            extent: self.extent,
            same_breaks_across_years: self.same_breaks,
            lang: self.lang,
        };
        Ok(cli::render::RenderArgs {
            pack: self.pack,
            template: self.template,
            year: self.year,
            map,
            formats: indicarto::export::files::Formats { svg: true, csv: true, png_dpi: self.png, pdf: false },
            portrait_pdf: self.pdf,
            csv_style: self.csv_style,
            output: self.output,
        })
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

impl ClassArgs {
    /// The method, with its breaks when manual.
    fn method(&self) -> anyhow::Result<indicarto::classify::Method> {
        let breaks = match &self.breaks {
            None => None,
            Some(text) => Some(
                text.split([',', ';', ' '])
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| {
                        s.trim().parse::<f64>().map_err(|_| {
                            anyhow::anyhow!(
                                "--breaks : « {s} » n'est pas un nombre (écrire 10,20,50 avec des points décimaux)"
                            )
                        })
                    })
                    .collect::<anyhow::Result<Vec<f64>>>()?,
            ),
        };
        Ok(indicarto::classify::Method::parse(&self.method, breaks)?)
    }
}

/// A value parser for a library enum named by keys: clap lists the keys in `--help` and in its
/// error, and hands the command the library's value.
fn keyed<T: Clone + Send + Sync + 'static>(
    keys: impl IntoIterator<Item = &'static str>,
    parse: fn(&str) -> Option<T>,
) -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(keys).try_map(move |key| parse(&key).ok_or_else(|| format!("« {key} » inconnu")))
}

fn extent() -> impl TypedValueParser<Value = MapExtent> {
    keyed(MapExtent::ALL.map(MapExtent::key), MapExtent::parse)
}

fn csv_style() -> impl TypedValueParser<Value = CsvStyle> {
    keyed(CsvStyle::ALL.map(CsvStyle::key), CsvStyle::parse)
}

fn lang() -> impl TypedValueParser<Value = Lang> {
    keyed(Lang::ALL.map(Lang::key), Lang::parse)
}

fn symbol() -> impl TypedValueParser<Value = Symbol> {
    keyed(Symbol::ALL.map(Symbol::key), Symbol::parse)
}

/// `EPSG:2154` or `2154`.
fn parse_crs(text: &str) -> Result<Crs, String> {
    let digits = text.trim().trim_start_matches("EPSG:").trim_start_matches("epsg:");
    let code: u32 = digits.parse().map_err(|_| format!("« {text} » : code EPSG attendu (par exemple EPSG:2154)"))?;
    Crs::from_epsg(code).map_err(|e| e.to_string())
}

/// An official level, or any other name as a custom level (a quick map names its layer after it).
#[allow(clippy::unnecessary_wraps, reason = "clap's value parsers return a Result")]
fn level_or_custom(name: &str) -> Result<Level, String> {
    Ok(Level::parse(name, &[]).unwrap_or_else(|| Level::Custom(name.to_owned())))
}

#[allow(clippy::unnecessary_wraps, reason = "clap's value parsers return a Result")]
fn join(text: &str) -> Result<Join, String> {
    Ok(Join::parse(text))
}

fn main() -> ExitCode {
    let Some(command) = Cli::parse().command else { return run_gui() };
    match run(command) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("erreur : {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> anyhow::Result<ExitCode> {
    use cli::{inspect, render};
    Ok(match command {
        Command::Check { pack } => inspect::check(&pack),
        Command::Info { boundaries, assume_crs, layer } => inspect::info(&boundaries, assume_crs, layer)?,
        Command::Values { pack, indicator, level, year, territory, csv_style } => {
            inspect::values(&inspect::ValuesArgs { pack, indicator, level, year, territory, csv_style })?
        }
        Command::Map {
            boundaries,
            level,
            data,
            join,
            classes,
            palette,
            symbol,
            title,
            source,
            dpi,
            lang,
            assume_crs,
            output,
        } => {
            let request = indicarto::quickmap::QuickMapRequest {
                source: indicarto::quickmap::QuickMapSource {
                    boundaries,
                    level,
                    data,
                    join,
                    value: classes.value.clone(),
                    assume_crs,
                },
                style: indicarto::quickmap::QuickMapStyle {
                    symbol,
                    method: classes.method()?,
                    classes: classes.classes,
                    palette,
                    title,
                    source_line: source,
                    lang,
                },
            };
            render::map(&request, dpi, &output)?
        }
        Command::Classify { data, classes } => {
            render::classify(&data, &classes.value, &classes.method()?, classes.classes)?
        }
        Command::Portrait { render, territory, level, compare } => {
            render::portrait(&render.into_args()?, &territory, level.as_deref(), &compare)?
        }
        Command::Batch { render, level, within, threads } => {
            render::batch(&render.into_args()?, &level, within.as_deref(), threads)?
        }
    })
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
