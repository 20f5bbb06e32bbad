//! Writing exports to disk: every file is written to a temporary name in the target folder and
//! renamed into place, so an interrupted export never leaves a half-written file over a good one.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::csv::{CsvStyle, CsvTable, to_csv};
use super::render;
use super::svg::to_svg;
use crate::figure::Figure;
use crate::text::Lang;
/// Slugs moved to [`crate::text`]; kept here for the paths that name them in this module.
pub use crate::text::slug;

/// Which files to write for each illustration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// Editable SVG.
    pub svg: bool,
    /// CSV of the data behind it.
    pub csv: bool,
    /// PNG at this resolution.
    pub png_dpi: Option<u32>,
    /// One PDF per illustration.
    pub pdf: bool,
}

impl Default for Formats {
    fn default() -> Self {
        Formats { svg: true, csv: true, png_dpi: None, pdf: false }
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Writing failed.
    #[error("{path} : écriture impossible ({source})")]
    Io {
        /// The file.
        path: PathBuf,
        /// The system error.
        source: std::io::Error,
    },
    /// Rendering to PNG or PDF failed.
    #[error("{path} : {source}")]
    Render {
        /// The file.
        path: PathBuf,
        /// Why.
        source: render::RenderError,
    },
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed, then renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    let io = |source| ExportError::Io { path: path.to_owned(), source };
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let name = path.file_name().map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result.map_err(io)
}

/// Writes one illustration under `dir` as `stem.svg`, `stem.csv`, `stem.png`, `stem.pdf` as asked;
/// returns the files written and the SVG writer's warnings.
pub fn write_illustration(
    dir: &Path,
    stem: &str,
    figure: &Figure,
    data: &CsvTable,
    formats: Formats,
    csv_style: CsvStyle,
) -> Result<(Vec<PathBuf>, Vec<String>), ExportError> {
    let mut written = Vec::new();
    let svg = to_svg(figure);
    let target = |ext: &str| dir.join(format!("{stem}.{ext}"));
    if formats.svg {
        let path = target("svg");
        write_atomic(&path, svg.text.as_bytes())?;
        written.push(path);
    }
    if formats.csv && !data.header.is_empty() {
        let path = target("csv");
        write_atomic(&path, to_csv(data, csv_style).as_bytes())?;
        written.push(path);
    }
    if let Some(dpi) = formats.png_dpi {
        let path = target("png");
        let png = render::png_from_svg(&svg.text, dpi as f32)
            .map_err(|source| ExportError::Render { path: path.clone(), source })?;
        write_atomic(&path, &png)?;
        written.push(path);
    }
    if formats.pdf {
        let path = target("pdf");
        let pdf = render::pdf_from_svgs(&[svg.text.as_str()], &figure.title, figure.lang)
            .map_err(|source| ExportError::Render { path: path.clone(), source })?;
        write_atomic(&path, &pdf)?;
        written.push(path);
    }
    Ok((written, svg.warnings))
}

/// Writes several figures as one multi-page PDF, in the language of the first figure.
pub fn write_pdf_document(path: &Path, figures: &[&Figure], title: &str) -> Result<(), ExportError> {
    let pages: Vec<String> = figures.iter().map(|f| to_svg(f).text).collect();
    let refs: Vec<&str> = pages.iter().map(String::as_str).collect();
    let lang = figures.first().map_or_else(Lang::default, |f| f.lang);
    let pdf = render::pdf_from_svgs(&refs, title, lang)
        .map_err(|source| ExportError::Render { path: path.to_owned(), source })?;
    write_atomic(path, &pdf)
}
