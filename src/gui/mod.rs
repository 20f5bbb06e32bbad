//! The desktop window: the whole workflow (territory, comparison zones, template, portrait grid,
//! map with hover and click, classification, exports, batches) over the library.
//!
//! Thin UI: [`app`] lays out the window, whose parts ([`panel`], [`view`], [`dialog`]) draw the
//! state and emit [`state::Action`]s; [`state::AppState`] applies them, owns the background jobs and
//! the window's language; [`paint`] draws figures from the same `Figure` the exporters read.
//! Dependencies go one way, from `app` down to the leaves (`draft`, `i18n`, `paint`, `gpu`); the
//! module table of `ARCHITECTURE.md` lists them.

pub mod app;
pub mod basemap;
pub mod dialog;
pub mod draft;
pub mod gpu;
pub mod histogram;
pub mod i18n;
pub mod paint;
pub mod panel;
pub mod project;
pub mod state;
#[cfg(test)]
mod tests;
pub mod view;

use std::path::{Path, PathBuf};

use eframe::egui;
use resvg::{tiny_skia, usvg};

/// The application's id: the Wayland app id and X11 class of the window, the name of the desktop
/// entry (`packaging/indicarto.desktop`, `StartupWMClass`) and of the icon, so that desktops match
/// the window with its entry and icon.
pub const APP_ID: &str = "indicarto";

/// The application icon, drawn once as SVG; the PNG sizes installed for desktops come from it
/// (`packaging/make-icons.sh`).
const ICON_SVG: &[u8] = include_bytes!("../../assets/icon/indicarto.svg");

/// Where the bundled sample pack lies: `INDICARTO_SAMPLE` if set, else where an installer put it
/// beside the executable ([`installed_sample_candidates`]), else in the source tree (`cargo run`).
#[must_use]
pub fn bundled_sample() -> PathBuf {
    if let Some(path) = std::env::var_os("INDICARTO_SAMPLE") {
        return PathBuf::from(path);
    }
    let exe_dir = std::env::current_exe().ok().and_then(|exe| exe.parent().map(Path::to_path_buf));
    exe_dir
        .iter()
        .flat_map(|dir| installed_sample_candidates(dir))
        .find(|path| path.join(crate::pack::MANIFEST_FILE).is_file())
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_data"))
}

/// The places, relative to the executable's folder, where the packages of `packaging/` install the
/// sample (`sample_data/` beside `geodata/`, which its manifest names as `../geodata`), in the order
/// they are tried: the Debian package and the portable archive (`bin/../share/indicarto/`), the
/// Windows installers (beside the `.exe`), the macOS bundle (`Contents/MacOS/../Resources/`).
#[must_use]
pub fn installed_sample_candidates(exe_dir: &Path) -> [PathBuf; 3] {
    [
        exe_dir.join("../share/indicarto/sample_data"),
        exe_dir.join("sample_data"),
        exe_dir.join("../Resources/sample_data"),
    ]
}

/// The window icon, `size` pixels square, rasterised from the SVG icon; `None` only if that
/// compiled-in SVG were invalid (the test below proves it is not).
fn window_icon(size: u32) -> Option<egui::IconData> {
    let tree = usvg::Tree::from_data(ICON_SVG, &usvg::Options::default()).ok()?;
    let mut pixmap = tiny_skia::Pixmap::new(size, size)?;
    let scale = size as f32 / tree.size().width().max(tree.size().height());
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    let rgba = pixmap
        .pixels()
        .iter()
        .flat_map(|pixel| {
            let color = pixel.demultiply();
            [color.red(), color.green(), color.blue(), color.alpha()]
        })
        .collect();
    Some(egui::IconData { rgba, width: size, height: size })
}

/// Opens the window and runs until it is closed.
pub fn run() -> eframe::Result {
    let mut viewport =
        egui::ViewportBuilder::default().with_title("Indicarto").with_app_id(APP_ID).with_inner_size([1100.0, 750.0]);
    if let Some(icon) = window_icon(64) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions { viewport, ..Default::default() };
    eframe::run_native(
        "Indicarto",
        options,
        Box::new(|cc| Ok(Box::new(app::IndicartoApp::new(&cc.egui_ctx, cc.storage, bundled_sample())))),
    )
}

#[cfg(test)]
mod packaging_tests {
    use super::*;

    #[test]
    fn window_icon_is_drawn_opaque_inside_and_transparent_in_the_corners() {
        let icon = window_icon(64).expect("the compiled-in SVG icon renders");
        assert_eq!((icon.width, icon.height, icon.rgba.len()), (64, 64, 64 * 64 * 4));
        let alpha = |x: usize, y: usize| icon.rgba[(y * 64 + x) * 4 + 3];
        assert_eq!(alpha(0, 0), 0, "the rounded tile leaves the corners transparent");
        assert_eq!(alpha(32, 32), 255, "the map tile is opaque");
    }

    #[test]
    fn the_sample_is_found_in_each_installed_layout() {
        let root = tempfile::tempdir().unwrap();
        // Each layout as the package of `packaging/` writes it: (executable folder, sample folder).
        let layouts = [
            ("usr/bin", "usr/share/indicarto/sample_data"),
            ("windows", "windows/sample_data"),
            ("Indicarto.app/Contents/MacOS", "Indicarto.app/Contents/Resources/sample_data"),
        ];
        for (exe_dir, sample) in layouts {
            let sample = root.path().join(sample);
            std::fs::create_dir_all(&sample).unwrap();
            // The executable's folder exists too: `..` is resolved by the file system.
            std::fs::create_dir_all(root.path().join(exe_dir)).unwrap();
            std::fs::write(sample.join(crate::pack::MANIFEST_FILE), "").unwrap();
            let found: Vec<_> = installed_sample_candidates(&root.path().join(exe_dir))
                .into_iter()
                .filter(|path| path.join(crate::pack::MANIFEST_FILE).is_file())
                .collect();
            assert_eq!(found.len(), 1, "{exe_dir}: {found:?}");
            assert_eq!(found[0].canonicalize().unwrap(), sample.canonicalize().unwrap());
        }
    }
}
