//! Writing exports to disk: every file is written to a temporary file with an unpredictable name in
//! the target folder and renamed into place, the folder flushed after, so an interrupted export (an
//! error, a panic, a power cut) never leaves a half-written file over a good one, nor a stray
//! temporary file. Also refuses outputs inside the folders data is read from.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

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
    /// The output would go into a folder data is read from.
    #[error(
        "{output} est dans le dossier des données ({input}) : Indicarto n'écrit jamais dans les dossiers qu'il lit ; choisissez un autre dossier d'export"
    )]
    IntoInputFolder {
        /// The output asked for.
        output: PathBuf,
        /// The input folder holding it.
        input: PathBuf,
    },
    /// Rendering to PNG or PDF failed.
    #[error("{path} : {source}")]
    Render {
        /// The file.
        path: PathBuf,
        /// What the renderer said.
        source: render::RenderError,
    },
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed, then renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    write_atomic_with(path, |file| file.write_all(bytes))
}

/// Writes `path` atomically from what `fill` writes: into a temporary file of the same folder with
/// an unpredictable name (`.carte.svg.a8Xk2Q.tmp`, created exclusively, so no other writer, in this
/// process or another, and no planted symbolic link can collide with it), flushed to disk, renamed
/// over `path`, then the folder itself flushed so that the rename survives a power cut. If `fill`
/// fails or panics, or the flush or the rename fails, the temporary file is removed (it is deleted
/// when dropped, which unwinding does too) and a previous `path` is left as it was.
#[allow(
    clippy::disallowed_methods,
    reason = "the one atomic writer: every other write of the crate goes through it (clippy.toml)"
)]
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), ExportError> {
    let io = |source| ExportError::Io { path: path.to_owned(), source };
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let name = path.file_name().map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // tempfile makes private files (0600); an export gets the mode any new file of the user gets
    // (0666 less the umask), as `File::create` would give it.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temporary = builder.tempfile_in(dir).map_err(io)?;
    fill(temporary.as_file_mut()).map_err(io)?;
    temporary.as_file().sync_all().map_err(io)?;
    temporary.persist(path).map_err(|e| io(e.error))?;
    sync_folder(dir).map_err(io)
}

/// Flushes a folder's entries (the rename just made) to disk. Only Unix can open a folder for that;
/// on Windows the rename is already durable once `MoveFileEx` returns with write-through.
fn sync_folder(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Refuses an output folder (or file) inside one of the folders data is read from (`inputs`, e.g.
/// [`crate::pack::Pack::input_folders`]). The output need not exist yet: it is resolved through
/// its nearest existing folder, so a new sub-folder of the pack is refused too.
pub fn check_output_outside(output: &Path, inputs: &[PathBuf]) -> Result<(), ExportError> {
    let Some(resolved) = resolve(output) else { return Ok(()) };
    for input in inputs {
        if let Some(folder) = resolve(input)
            && resolved.starts_with(&folder)
        {
            return Err(ExportError::IntoInputFolder { output: output.to_owned(), input: input.clone() });
        }
    }
    Ok(())
}

/// An absolute path without `.` or `..`, symbolic links resolved in the part that exists.
fn resolve(path: &Path) -> Option<PathBuf> {
    let absolute = if path.is_absolute() { path.to_owned() } else { std::env::current_dir().ok()?.join(path) };
    let mut lexical = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                lexical.pop();
            }
            other => lexical.push(other),
        }
    }
    let mut missing = Vec::new();
    let mut existing = lexical.as_path();
    loop {
        if let Ok(mut found) = existing.canonicalize() {
            found.extend(missing.iter().rev());
            return Some(found);
        }
        missing.push(existing.file_name()?.to_owned());
        existing = existing.parent()?;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    /// A write that fails half way (the disk filling up, say) leaves the previous file as it was
    /// and no temporary file behind.
    #[test]
    fn an_interrupted_write_keeps_the_previous_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("carte.svg");
        write_atomic(&path, b"<svg>ancienne</svg>").unwrap();
        let error = write_atomic_with(&path, |file| {
            file.write_all(b"<svg>nouv")?;
            Err(std::io::Error::other("disque plein"))
        })
        .unwrap_err();
        assert!(error.to_string().contains("carte.svg : écriture impossible (disque plein)"), "{error}");
        assert_eq!(std::fs::read(&path).unwrap(), b"<svg>ancienne</svg>");
        assert_eq!(names(dir.path()), ["carte.svg"]);
        // And a write that completes replaces it.
        write_atomic(&path, b"<svg>nouvelle</svg>").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"<svg>nouvelle</svg>");
        assert_eq!(names(dir.path()), ["carte.svg"]);
    }

    /// A rename that fails (the target is a folder) removes the temporary file too.
    #[test]
    fn a_failed_rename_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("portrait.pdf");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("garde.txt"), "gardé").unwrap();
        assert!(write_atomic(&target, b"%PDF").is_err());
        assert_eq!(names(dir.path()), ["portrait.pdf"]);
        assert_eq!(std::fs::read_to_string(target.join("garde.txt")).unwrap(), "gardé");
    }

    /// A fill that panics leaves neither the target nor a temporary file; the temporary file had an
    /// unpredictable name while it existed.
    #[test]
    fn a_panicking_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("carte.svg");
        let seen = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = write_atomic_with(&path, |file| {
                file.write_all(b"<svg>")?;
                let during = names(dir.path());
                assert_eq!(during.len(), 1);
                panic!("{}", during[0]);
            });
        }))
        .unwrap_err();
        let temporary = seen.downcast_ref::<String>().unwrap();
        assert!(
            temporary.starts_with(".carte.svg.") && Path::new(temporary).extension().is_some_and(|e| e == "tmp"),
            "{temporary}"
        );
        let random = &temporary[".carte.svg.".len()..temporary.len() - ".tmp".len()];
        assert!(random.len() >= 6 && !random.contains(&std::process::id().to_string()), "{temporary}");
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
        // Two writes never share a temporary name.
        let mut seen_names = Vec::new();
        for _ in 0..2 {
            write_atomic_with(&path, |file| {
                seen_names.extend(
                    names(dir.path()).into_iter().filter(|n| Path::new(n).extension().is_some_and(|e| e == "tmp")),
                );
                file.write_all(b"x")
            })
            .unwrap();
        }
        assert_eq!(seen_names.len(), 2);
        assert_ne!(seen_names[0], seen_names[1]);
    }

    /// An export is readable as any file the user creates, not private like a temporary file.
    #[cfg(unix)]
    #[test]
    fn an_export_gets_the_mode_of_a_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let probe = dir.path().join("probe");
        std::fs::File::create(&probe).unwrap();
        let path = dir.path().join("carte.svg");
        write_atomic(&path, b"<svg/>").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), mode(&probe));
    }

    /// Outputs inside an input folder are refused, existing or not, however the path is spelled;
    /// a sibling folder is not.
    #[test]
    fn outputs_inside_input_folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let pack = dir.path().join("pack");
        let geodata = dir.path().join("geodata");
        for folder in [&pack, &geodata] {
            std::fs::create_dir(folder).unwrap();
        }
        let inputs = [pack.clone(), geodata.clone()];
        for output in [
            pack.clone(),
            pack.join("exports/nouveau"),
            geodata.join("sorties"),
            dir.path().join("ailleurs/../pack/./x"),
        ] {
            let error = check_output_outside(&output, &inputs).unwrap_err();
            assert!(matches!(error, ExportError::IntoInputFolder { .. }), "{output:?}");
            assert!(error.to_string().contains("dans le dossier des données"), "{error}");
        }
        for output in [dir.path().join("sorties"), dir.path().join("pack-exports"), dir.path().to_owned()] {
            check_output_outside(&output, &inputs).unwrap();
        }
    }
}
