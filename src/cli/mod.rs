//! Commands of the binary that draw and export: `map`, `classify`, `portrait`, `batch`. They parse
//! and validate arguments, call the library, print results and choose exit codes; nothing here is
//! needed by the library or the window.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use indicarto::batch::{BatchOptions, run_batch};
use indicarto::boundary::Crs;
use indicarto::classify::{self, Method};
use indicarto::code::TerritoryCode;
use indicarto::export::csv::CsvStyle;
use indicarto::export::files::{Formats, write_atomic, write_illustration, write_pdf_document};
use indicarto::export::{render, svg::to_svg};
use indicarto::pack::Pack;
use indicarto::palette;
use indicarto::portrait::{self, MapExtent, MapOptions, Selection, TerritoryRef};
use indicarto::quickmap::{QuickMapRequest, quick_map};
use indicarto::table::csv::{self as csvin, CsvOptions, NumberCell};
use indicarto::text::Lang;

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

pub fn map(args: &MapArgs) -> Result<(), String> {
    let method = Method::parse(&args.method, parse_breaks(args.breaks.as_deref())?).map_err(|e| e.to_string())?;
    let request = QuickMapRequest {
        boundaries: args.boundaries.clone(),
        level: args.level.clone(),
        data: args.data.clone(),
        join: args.join.clone(),
        value: args.value.clone(),
        method,
        classes: args.classes,
        palette: args.palette.clone(),
        circles: args.circles,
        title: args.title.clone(),
        source: args.source.clone(),
        lang: args.lang,
        assume_crs: args.assume_crs.clone(),
    };
    let map = quick_map(&request).map_err(|e| e.to_string())?;
    for warning in &map.warnings {
        eprintln!("avertissement : {warning}");
    }
    write_figure(&args.output, &map.figure, args.dpi)
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
        let input = pack.input_folder();
        if indicarto::batch::is_inside(&self.output, input) || self.output.starts_with(input) {
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
