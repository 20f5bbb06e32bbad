//! Batch export: one portrait per territory of a level (optionally within a region or département),
//! written in parallel on every core, with stable folder names from codes and names, progress
//! reported and cancellation honoured between territories. Each territory's files are written by
//! [`write_portrait`], as for one portrait; the batch only gathers what it returns.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::code::{Level, TerritoryCode};
use crate::export::csv::CsvStyle;
use crate::export::files::{ExportError, Formats, slug};
use crate::pack::Pack;
use crate::pack::template::Template;
use crate::portrait::{
    FileWarning, MapOptions, PortraitError, PortraitPdf, Selection, TerritoryRef, WriteOptions, Written,
    build_portrait, default_comparisons, template, units_within, write_portrait,
};
use crate::territory::Territory;

/// What to export.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Level of the territories.
    pub level: Level,
    /// Only those inside this territory (a region, a département).
    pub within: Option<TerritoryRef>,
    /// Template id; the pack's first when absent.
    pub template: Option<String>,
    /// Classification, palette, extent and language of every portrait.
    pub map: MapOptions,
    /// Files per illustration.
    pub formats: Formats,
    /// Also one multi-page PDF per territory ([`PortraitPdf`]).
    pub portrait_pdf: bool,
    /// The dialect of the CSV files.
    pub csv_style: CsvStyle,
    /// Output folder; one sub-folder per territory.
    pub out_dir: PathBuf,
    /// Worker threads; 0 = every core.
    pub threads: usize,
}

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchReport {
    /// Territories exported.
    pub done: usize,
    /// Files written.
    pub files: usize,
    /// Territories that failed, with the reason, by code.
    pub failures: Vec<(TerritoryCode, String)>,
    /// Partial problems with files written (SVG paths past Illustrator's limit…), by file.
    pub warnings: Vec<FileWarning>,
    /// Whether it was cancelled before the end.
    pub cancelled: bool,
}

/// Why one territory of a batch failed (the others go on).
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// Its portrait could not be built.
    #[error(transparent)]
    Portrait(#[from] PortraitError),
    /// A file could not be written.
    #[error(transparent)]
    Export(#[from] ExportError),
}

/// The folder name of a territory's portrait: code and slugged name (`80021-amiens`).
#[must_use]
pub fn folder_name(code: &TerritoryCode, name: &str) -> String {
    let s = slug(name);
    if s.is_empty() { code.to_string() } else { format!("{}-{s}", slug(code.as_str())) }
}

/// The territories a batch covers, sorted by code.
#[must_use]
pub fn batch_territories<'a>(pack: &'a Pack, level: &Level, within: Option<&TerritoryRef>) -> Vec<&'a Territory> {
    match within {
        Some(w) => units_within(pack, level, w),
        None => pack.territories.level(level).map(|l| l.territories.values().collect()).unwrap_or_default(),
    }
}

/// Runs the batch; `progress(done, total, name)` is called after each territory.
pub fn run_batch(
    pack: &Pack,
    options: &BatchOptions,
    progress: &(dyn Fn(usize, usize, &str) + Sync),
    cancel: &AtomicBool,
) -> Result<BatchReport, PortraitError> {
    let template = template(pack, options.template.as_deref())?;
    let territories = batch_territories(pack, &options.level, options.within.as_ref());
    let total = territories.len();
    let next = AtomicUsize::new(0);
    let finished = AtomicUsize::new(0);
    let report = Mutex::new(BatchReport::default());
    let threads = if options.threads == 0 {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    } else {
        options.threads
    }
    .min(total.max(1));
    std::thread::scope(|scope| {
        for n in 0..threads {
            let worker = || {
                loop {
                    if cancel.load(Ordering::Relaxed) {
                        break;
                    }
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(territory) = territories.get(index) else { break };
                    let outcome = export_one(pack, territory, template, options);
                    let done = finished.fetch_add(1, Ordering::Relaxed) + 1;
                    if let Ok(mut r) = report.lock() {
                        match outcome {
                            Ok(written) => {
                                r.done += 1;
                                r.files += written.files.len();
                                r.warnings.extend(written.warnings);
                            }
                            Err(error) => r.failures.push((territory.code.clone(), error.to_string())),
                        }
                    }
                    progress(done, total, &territory.name);
                }
            };
            let spawned = std::thread::Builder::new().name(format!("lot-{n}")).spawn_scoped(scope, worker);
            if spawned.is_err() {
                break;
            }
        }
    });
    let mut report = report.into_inner().unwrap_or_default();
    report.cancelled = cancel.load(Ordering::Relaxed) && report.done + report.failures.len() < total;
    report.failures.sort();
    // Workers finish in any order; the report must not.
    report.warnings.sort();
    Ok(report)
}

/// Builds and writes one territory's portrait into its own folder.
fn export_one(
    pack: &Pack,
    territory: &Territory,
    template: &Template,
    options: &BatchOptions,
) -> Result<Written, BatchError> {
    let here = TerritoryRef { level: territory.level.clone(), code: territory.code.clone() };
    let selection = Selection { comparisons: default_comparisons(pack, &here), territory: here, year: None };
    let illustrations = build_portrait(pack, &selection, template, &options.map)?;
    let write = WriteOptions {
        formats: options.formats,
        csv_style: options.csv_style,
        document: options.portrait_pdf.then(|| PortraitPdf::new(template, &territory.name)),
    };
    Ok(write_portrait(&options.out_dir.join(folder_name(&territory.code, &territory.name)), &illustrations, &write)?)
}
