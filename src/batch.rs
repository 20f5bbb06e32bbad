//! Batch export: one portrait per territory of a level (optionally within a region or département),
//! written in parallel on every core, with stable folder names from codes and names, progress
//! reported and cancellation honoured between territories.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::code::{Level, TerritoryCode};
use crate::export::csv::CsvStyle;
use crate::export::files::{Formats, slug, write_illustration, write_pdf_document};
use crate::pack::Pack;
use crate::portrait::{
    MapOptions, Selection, TerritoryRef, build_portrait, default_comparisons, template, units_within,
};

/// What to export.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Level of the territories.
    pub level: Level,
    /// Only those inside this territory (a region, a département).
    pub within: Option<TerritoryRef>,
    /// Template id; the pack's first when absent.
    pub template: Option<String>,
    /// Map settings.
    pub map: MapOptions,
    /// Files per illustration.
    pub formats: Formats,
    /// Also one multi-page PDF per territory.
    pub portrait_pdf: bool,
    /// CSV dialect.
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
    /// Territories that failed, with the reason.
    pub failures: Vec<(TerritoryCode, String)>,
    /// Whether it was cancelled before the end.
    pub cancelled: bool,
}

/// The folder name of a territory's portrait: code and slugged name (`80021-amiens`).
#[must_use]
pub fn folder_name(code: &TerritoryCode, name: &str) -> String {
    let s = slug(name);
    if s.is_empty() { code.to_string() } else { format!("{}-{s}", slug(code.as_str())) }
}

/// The territories a batch covers, sorted by code.
#[must_use]
pub fn batch_territories<'a>(
    pack: &'a Pack,
    level: &Level,
    within: Option<&TerritoryRef>,
) -> Vec<&'a crate::territory::Territory> {
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
) -> Result<BatchReport, crate::portrait::PortraitError> {
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
                            Ok(files) => {
                                r.done += 1;
                                r.files += files;
                            }
                            Err(message) => r.failures.push((territory.code.clone(), message)),
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
    Ok(report)
}

fn export_one(
    pack: &Pack,
    territory: &crate::territory::Territory,
    template: &crate::pack::manifest::TemplateDef,
    options: &BatchOptions,
) -> Result<usize, String> {
    let here = TerritoryRef { level: territory.level.clone(), code: territory.code.clone() };
    let selection = Selection { comparisons: default_comparisons(pack, &here), territory: here, year: None };
    let illustrations = build_portrait(pack, &selection, template, &options.map).map_err(|e| e.to_string())?;
    let dir = options.out_dir.join(folder_name(&territory.code, &territory.name));
    let mut files = 0;
    for illustration in &illustrations {
        let (written, _) = write_illustration(
            &dir,
            &illustration.slug,
            &illustration.figure,
            &illustration.data,
            options.formats,
            options.csv_style,
        )
        .map_err(|e| e.to_string())?;
        files += written.len();
    }
    if options.portrait_pdf {
        let figures: Vec<_> = illustrations.iter().map(|i| &i.figure).collect();
        write_pdf_document(&dir.join(format!("portrait-{}.pdf", template.id)), &figures, &territory.name)
            .map_err(|e| e.to_string())?;
        files += 1;
    }
    Ok(files)
}
