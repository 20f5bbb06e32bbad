//! The window's dialogs, one type each ([`ExportDialog`], [`OpenPackDialog`], [`QuickMapDialog`],
//! [`ProjectDialog`]): each holds its fields as typed, draws itself in `ui` and answers a [`Reply`]
//! (the [`Action`] it asks for, and whether it closes). The window applies the action; no dialog
//! changes the state.
//!
//! Depends on `gui/state` (the `Action`s, and what a dialog shows of the state), `gui/i18n`, egui and
//! rfd; never on the window (`gui/app`) nor on the figure view.

mod export;
mod open_pack;
mod project;
mod quick_map;

use std::path::{Path, PathBuf};

use eframe::egui;

use crate::text::Lang;

use super::state::Action;

pub use export::ExportDialog;
pub use open_pack::OpenPackDialog;
pub use project::ProjectDialog;
pub use quick_map::QuickMapDialog;

/// What a dialog answers after a frame.
#[derive(Debug, Default)]
pub struct Reply {
    /// The action the user asked for.
    pub action: Option<Action>,
    /// The dialog closes (done, or closed by its cross).
    pub close: bool,
}

impl Reply {
    /// An action that ends the dialog.
    fn done(action: Action) -> Reply {
        Reply { action: Some(action), close: true }
    }
}

/// The window's dialogs: centred under the toolbar, wide enough for a path, closed by their cross.
fn dialog<'o>(title: &'static str, open: &'o mut bool) -> egui::Window<'o> {
    egui::Window::new(title)
        .open(open)
        .collapsible(false)
        .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
        .min_width(560.0)
}

/// Shows a dialog's frame with `contents`; the reply is closed too when its cross was clicked.
fn show(ui: &egui::Ui, title: &'static str, resizable: bool, contents: impl FnOnce(&mut egui::Ui) -> Reply) -> Reply {
    let mut open = true;
    let reply = dialog(title, &mut open).resizable(resizable).show(ui.ctx(), contents).and_then(|r| r.inner);
    let mut reply = reply.unwrap_or_default();
    reply.close |= !open;
    reply
}

/// What a « Parcourir… » button asks the platform's file dialog for.
#[derive(Clone, Copy)]
enum Pick {
    Folder,
    Boundaries,
    Csv,
    OpenProject,
    SaveProject,
}

/// A « Parcourir… » button beside a path field: the platform's dialog (XDG portal on Linux)
/// fills the field. Without a portal the dialog does not open and the field stays as typed.
fn browse_ui(ui: &mut egui::Ui, field: &mut String, pick: Pick, lang: Lang) {
    if !ui.button(lang.pick("Parcourir…", "Browse…")).clicked() {
        return;
    }
    let current = PathBuf::from(field.trim());
    let start = if current.is_dir() { Some(current.clone()) } else { current.parent().map(Path::to_path_buf) };
    let mut dialog = rfd::FileDialog::new();
    if let Some(dir) = start.filter(|d| d.is_dir()) {
        dialog = dialog.set_directory(dir);
    }
    let chosen = match pick {
        Pick::Folder => dialog.pick_folder(),
        Pick::Boundaries => {
            dialog.add_filter(lang.pick("Contours", "Boundaries"), &["shp", "geojson", "json"]).pick_file()
        }
        Pick::Csv => dialog.add_filter("CSV", &["csv", "txt"]).pick_file(),
        Pick::OpenProject => {
            dialog.add_filter(lang.pick("Projet Indicarto", "Indicarto project"), &["json"]).pick_file()
        }
        Pick::SaveProject => {
            let name = current.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            dialog.set_file_name(name).save_file()
        }
    };
    if let Some(path) = chosen {
        *field = path.display().to_string();
    }
}

/// A path field with its label (which names it for screen readers and tests) and « Parcourir… ».
fn path_field_ui(ui: &mut egui::Ui, label: &str, field: &mut String, pick: Pick, lang: Lang) {
    let label = ui.label(label);
    ui.horizontal(|ui| {
        ui.add(egui::TextEdit::singleline(field).desired_width(420.0)).labelled_by(label.id);
        browse_ui(ui, field, pick, lang);
    });
}
