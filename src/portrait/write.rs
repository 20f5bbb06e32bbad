//! Writing a portrait's files: the one producer behind `indicarto portrait`, the batch and the
//! window's export, which only report what it returns. Each illustration gives the files its
//! [`Formats`] ask for (`01-chiffres-cles.svg`, `.csv`, `.png`, `.pdf`); the whole portrait gives
//! one multi-page PDF when asked ([`PortraitPdf`]: `portrait-<template>.pdf`, titled « <template> —
//! <territory> »). Warnings of the SVG writer (paths past Illustrator's point limit) come back with
//! the file they concern, never dropped.
//!
//! Every byte goes through [`crate::export::files`] (atomic writes).

use std::fmt;
use std::path::{Path, PathBuf};

use super::Illustration;
use crate::export::csv::CsvStyle;
use crate::export::files::{ExportError, Formats, write_illustration, write_pdf_document};
use crate::pack::template::Template;

/// What to write besides each illustration's files.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteOptions {
    /// The files of each illustration.
    pub formats: Formats,
    /// The dialect of the CSV files.
    pub csv_style: CsvStyle,
    /// One PDF of every illustration, one page each, when asked.
    pub document: Option<PortraitPdf>,
}

/// The multi-page PDF of a whole portrait: its file name and the title its metadata declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortraitPdf {
    /// `portrait-<template id>.pdf`.
    pub file_name: String,
    /// « <template title> — <territory name> ».
    pub title: String,
}

impl PortraitPdf {
    /// The PDF of a template's portrait of a territory, named after the template so that a batch's
    /// folders all hold the same names.
    ///
    /// ```
    /// use indicarto::pack::template::Template;
    /// use indicarto::portrait::PortraitPdf;
    /// let template = Template {
    ///     id: "demographie".into(),
    ///     title: "Portrait démographique".into(),
    ///     description: String::new(),
    ///     items: Vec::new(),
    /// };
    /// let pdf = PortraitPdf::new(&template, "Amiens");
    /// assert_eq!(pdf.file_name, "portrait-demographie.pdf");
    /// assert_eq!(pdf.title, "Portrait démographique — Amiens");
    /// ```
    #[must_use]
    pub fn new(template: &Template, territory_name: &str) -> PortraitPdf {
        PortraitPdf {
            file_name: format!("portrait-{}.pdf", safe_stem(&template.id)),
            title: format!("{} — {territory_name}", template.title),
        }
    }
}

/// A partial problem with one file written (it was written all the same).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileWarning {
    /// The file concerned.
    pub file: PathBuf,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for FileWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} : {}", self.file.display(), self.message)
    }
}

/// What [`write_portrait`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Every file, in the order written (illustrations in portrait order, then the PDF).
    pub files: Vec<PathBuf>,
    /// Partial problems, by file.
    pub warnings: Vec<FileWarning>,
}

/// A file stem from a slug or an id that came from a pack: letters, digits, `-` and `_` are kept,
/// anything else (a `/`, a `..`) becomes `-`, so that no name from a pack can lead outside the
/// export folder.
fn safe_stem(text: &str) -> String {
    let stem: String =
        text.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    if stem.is_empty() { "figure".to_owned() } else { stem }
}

/// Writes the illustrations' files into `dir` (created if needed) and, when asked and there is at
/// least one illustration, the portrait's PDF. Stops at the first file that cannot be written;
/// those written before stay.
pub fn write_portrait(
    dir: &Path,
    illustrations: &[Illustration],
    options: &WriteOptions,
) -> Result<Written, ExportError> {
    let mut written = Written::default();
    for illustration in illustrations {
        let stem = safe_stem(&illustration.slug);
        let (files, warnings) = write_illustration(
            dir,
            &stem,
            &illustration.figure,
            &illustration.data,
            options.formats,
            options.csv_style,
        )?;
        // The warnings are about the drawing: they go with its SVG, or its first file without one.
        let concerned = files
            .iter()
            .find(|f| f.extension().is_some_and(|e| e == "svg"))
            .or(files.first())
            .cloned()
            .unwrap_or_else(|| dir.join(&stem));
        written.warnings.extend(warnings.into_iter().map(|message| FileWarning { file: concerned.clone(), message }));
        written.files.extend(files);
    }
    if let Some(document) = &options.document
        && !illustrations.is_empty()
    {
        // The last component only: the name is public, and nothing leaves `dir`.
        let name = Path::new(&document.file_name).file_name().map_or_else(|| "portrait.pdf".into(), ToOwned::to_owned);
        let path = dir.join(name);
        let figures: Vec<_> = illustrations.iter().map(|i| &i.figure).collect();
        write_pdf_document(&path, &figures, &document.title)?;
        written.files.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_from_a_pack_stay_in_the_folder() {
        assert_eq!(safe_stem("05-carte-part_femmes"), "05-carte-part_femmes");
        assert_eq!(safe_stem("05-carte-../../../etc/x"), "05-carte----------etc-x");
        assert_eq!(safe_stem("a\\b:c"), "a-b-c");
        assert_eq!(safe_stem(""), "figure");
    }
}
