//! The desktop window: the whole workflow (territory, comparison zones, template, portrait grid,
//! map with hover and click, classification, exports, batches) over the library.
//!
//! Thin UI: [`app`] draws the state and emits [`state::Action`]s; [`state::AppState`] applies them
//! and owns the background jobs; [`paint`] draws figures from the same `Figure` the exporters read.

pub mod app;
pub mod basemap;
pub mod gpu;
pub mod paint;
pub mod project;
pub mod state;
#[cfg(test)]
mod tests;

use std::path::PathBuf;

use eframe::egui;

/// Where the bundled sample pack lies: `INDICARTO_SAMPLE` if set, else beside the executable
/// (installed layout), else in the source tree (`cargo run`).
#[must_use]
pub fn bundled_sample() -> PathBuf {
    if let Some(path) = std::env::var_os("INDICARTO_SAMPLE") {
        return PathBuf::from(path);
    }
    let installed =
        std::env::current_exe().ok().and_then(|exe| exe.parent().map(|dir| dir.join("../share/indicarto/sample_data")));
    match installed {
        Some(path) if path.join(crate::pack::MANIFEST_FILE).is_file() => path,
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_data"),
    }
}

/// Opens the window and runs until it is closed.
pub fn run() -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_title("Indicarto").with_inner_size([1100.0, 750.0]),
        ..Default::default()
    };
    eframe::run_native(
        "Indicarto",
        options,
        Box::new(|cc| Ok(Box::new(app::IndicartoApp::new(&cc.egui_ctx, cc.storage, bundled_sample())))),
    )
}
