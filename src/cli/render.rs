//! The commands that draw and export: `map` (a quick map into one file), `classify` (breaks as
//! JSON), `portrait` and `batch` (a template's files, written by
//! [`indicarto::portrait::write_portrait`]; these commands only print what it returns).

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anyhow::bail;
use indicarto::batch::{BatchOptions, run_batch};
use indicarto::classify::{self, Method};
use indicarto::export::csv::CsvStyle;
use indicarto::export::files::{Formats, check_output_outside, write_atomic};
use indicarto::export::{render, svg::to_svg};
use indicarto::figure::Figure;
use indicarto::pack::Pack;
use indicarto::portrait::{self, MapOptions, PortraitPdf, Selection, WriteOptions, write_portrait};
use indicarto::quickmap::{QuickMapRequest, quick_map};
use indicarto::table::csv::{self as csvin, CsvOptions, NumberCell};

use super::{count_pack_warnings, level, resolve, say};

/// `indicarto map`: draws the quick map into `output` (.svg, .png or .pdf).
pub fn map(request: &QuickMapRequest, dpi: u32, output: &Path) -> anyhow::Result<ExitCode> {
    let map = quick_map(request)?;
    for warning in &map.warnings {
        eprintln!("avertissement : {warning}");
    }
    write_figure(output, &map.figure, dpi)?;
    Ok(ExitCode::SUCCESS)
}

/// One figure into one file, its format chosen by the extension.
fn write_figure(output: &Path, figure: &Figure, dpi: u32) -> anyhow::Result<()> {
    let ext = output.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let svg = to_svg(figure);
    for warning in &svg.warnings {
        eprintln!("avertissement : {warning}");
    }
    let bytes = match ext.as_deref() {
        Some("svg") => svg.text.into_bytes(),
        Some("png") => render::png_from_svg(&svg.text, dpi as f32)?,
        Some("pdf") => render::pdf_from_svgs(&[svg.text.as_str()], &figure.title, figure.lang)?,
        _ => bail!("{} : extension attendue .svg, .png ou .pdf", output.display()),
    };
    write_atomic(output, &bytes)?;
    Ok(())
}

/// `indicarto classify`: the breaks of a CSV column, as JSON on stdout.
pub fn classify(data: &Path, value: &str, method: &Method, classes: usize) -> anyhow::Result<ExitCode> {
    let table = csvin::read_csv(data, &CsvOptions::default())?;
    let Some(col) = table.column_index(value) else {
        bail!("{} : colonne « {value} » introuvable ; colonnes : {}", data.display(), table.columns.join(", "))
    };
    let mut numbers = Vec::with_capacity(table.n_rows());
    for row in 0..table.n_rows() {
        match csvin::parse_number(table.cell(row, col).unwrap_or("")) {
            Ok(NumberCell::Number(v)) => numbers.push(v),
            Ok(_) => {}
            Err(e) => bail!("{}, ligne {} : {e}", data.display(), table.line_of_row(row)),
        }
    }
    let classification = classify::classify(&numbers, method, classes)?;
    println!("{}", serde_json::to_string_pretty(&classification)?);
    Ok(ExitCode::SUCCESS)
}

/// What `portrait` and `batch` share, converted from the arguments.
pub struct RenderArgs {
    /// The pack folder, its manifest or its zip.
    pub pack: PathBuf,
    /// The template's id; the pack's first when absent.
    pub template: Option<String>,
    /// The year of the figures; each indicator's latest when absent.
    pub year: Option<i32>,
    /// Classification, palette, extent, language.
    pub map: MapOptions,
    /// The files of each figure.
    pub formats: Formats,
    /// Also the whole portrait as one PDF.
    pub portrait_pdf: bool,
    /// The CSV dialect.
    pub csv_style: CsvStyle,
    /// The output folder.
    pub output: PathBuf,
}

impl RenderArgs {
    /// Opens the pack, refusing an output folder inside any folder it reads.
    fn open(&self) -> anyhow::Result<Pack> {
        let pack = Pack::open(&self.pack)?;
        check_output_outside(&self.output, &pack.input_folders())?;
        count_pack_warnings(&pack, " (indicarto check pour le détail)");
        Ok(pack)
    }
}

/// `indicarto portrait`: one territory's portrait into the output folder, each file's path printed.
pub fn portrait(
    args: &RenderArgs,
    territory: &str,
    level: Option<&str>,
    compare: &[String],
) -> anyhow::Result<ExitCode> {
    let pack = args.open()?;
    let here = resolve(&pack, territory, level)?;
    let comparisons = if compare.is_empty() {
        portrait::default_comparisons(&pack, &here)
    } else {
        compare.iter().map(|c| resolve(&pack, c, None)).collect::<anyhow::Result<_>>()?
    };
    let template = portrait::template(&pack, args.template.as_deref())?;
    let selection = Selection { territory: here, comparisons, year: args.year };
    let illustrations = portrait::build_portrait(&pack, &selection, template, &args.map)?;
    let territory_name =
        pack.territories.get(&selection.territory.level, &selection.territory.code).map_or("", |t| t.name.as_str());
    let options = WriteOptions {
        formats: args.formats,
        csv_style: args.csv_style,
        document: args.portrait_pdf.then(|| PortraitPdf::new(template, territory_name)),
    };
    let written = write_portrait(&args.output, &illustrations, &options)?;
    for warning in &written.warnings {
        eprintln!("avertissement : {warning}");
    }
    for path in &written.files {
        say(&path.display().to_string());
    }
    Ok(ExitCode::SUCCESS)
}

/// `indicarto batch`: one portrait per territory of a level, a progress bar on a terminal; exit 1
/// when any territory failed.
pub fn batch(args: &RenderArgs, level_name: &str, within: Option<&str>, threads: usize) -> anyhow::Result<ExitCode> {
    let pack = args.open()?;
    let level = level(&pack, level_name)?;
    let within = match within {
        Some(text) if text.contains(':') => Some(resolve(&pack, text, None)?),
        Some(code) => Some(resolve(&pack, code, Some("region"))?),
        None => None,
    };
    let options = BatchOptions {
        level,
        within,
        template: args.template.clone(),
        map: args.map.clone(),
        formats: args.formats,
        portrait_pdf: args.portrait_pdf,
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
    let report = run_batch(&pack, &options, &progress, &cancel)?;
    say(&format!("{} portrait(s), {} fichier(s) écrits dans {}", report.done, report.files, args.output.display()));
    for warning in &report.warnings {
        eprintln!("avertissement : {warning}");
    }
    for (code, message) in &report.failures {
        eprintln!("erreur : {code} : {message}");
    }
    Ok(if report.failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
