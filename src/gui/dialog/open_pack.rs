//! The « Ouvrir un pack » dialog: a folder, a `pack.toml` or a zip, typed, browsed or picked among
//! the recent ones.

use std::path::PathBuf;

use eframe::egui;

use crate::text::Lang;

use super::super::state::Action;
use super::{Pick, Reply, path_field_ui, show};

/// The « Ouvrir un pack » dialog: the path as typed.
#[derive(Debug, Clone)]
pub struct OpenPackDialog {
    /// The pack's folder, `pack.toml` or zip.
    pub path: String,
}

impl OpenPackDialog {
    /// Draws the dialog, with the packs opened lately (newest first).
    pub fn ui(&mut self, ui: &mut egui::Ui, recent: &[PathBuf], lang: Lang) -> Reply {
        show(ui, lang.pick("Ouvrir un pack", "Open a pack"), true, |ui| {
            let mut reply = Reply::default();
            path_field_ui(
                ui,
                lang.pick(
                    "Dossier du pack (ou son pack.toml, ou le pack en .zip)",
                    "Pack folder (or its pack.toml, or the pack as a .zip)",
                ),
                &mut self.path,
                Pick::Folder,
                lang,
            );
            if ui.button(lang.pick("Ouvrir", "Open")).clicked() {
                reply = Reply::done(Action::OpenPack(PathBuf::from(self.path.trim())));
            }
            if !recent.is_empty() {
                ui.separator();
                ui.label(lang.pick("Récents", "Recent"));
                for path in recent {
                    if ui.button(path.display().to_string()).clicked() {
                        reply = Reply::done(Action::OpenPack(path.clone()));
                    }
                }
            }
            reply
        })
    }
}
