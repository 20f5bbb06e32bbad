//! The « Projet » dialog: saves the analysis as a project file or reopens one.

use std::path::PathBuf;

use eframe::egui;

use crate::text::Lang;

use super::super::state::Action;
use super::{Pick, Reply, browse_ui, show};

/// The « Projet » dialog: the project file's path as typed.
#[derive(Debug, Clone)]
pub struct ProjectDialog {
    /// The project file (`*.indicarto.json`).
    pub path: String,
}

impl ProjectDialog {
    /// Draws the dialog; saving needs an analysis (`can_save`).
    pub fn ui(&mut self, ui: &mut egui::Ui, can_save: bool, lang: Lang) -> Reply {
        show(ui, lang.pick("Projet", "Project"), true, |ui| {
            let mut reply = Reply::default();
            ui.label(lang.pick(
                "Le territoire, les zones de comparaison, le modèle, l'année et les réglages des cartes, avec le pack utilisé.",
                "The territory, comparison zones, template, year and map settings, with the pack used.",
            ));
            let label = ui.label(lang.pick("Fichier de projet", "Project file"));
            ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(520.0)).labelled_by(label.id);
            ui.horizontal(|ui| {
                browse_ui(ui, &mut self.path, Pick::SaveProject, lang);
                ui.weak(lang.pick("pour enregistrer", "to save"));
                browse_ui(ui, &mut self.path, Pick::OpenProject, lang);
                ui.weak(lang.pick("pour ouvrir", "to open"));
            });
            ui.horizontal(|ui| {
                let save = egui::Button::new(lang.pick("Enregistrer le projet", "Save the project"));
                if ui.add_enabled(can_save, save).clicked() {
                    reply = Reply::done(Action::SaveProject(PathBuf::from(self.path.trim())));
                }
                if ui.button(lang.pick("Ouvrir le projet", "Open the project")).clicked() {
                    reply = Reply::done(Action::OpenProject(PathBuf::from(self.path.trim())));
                }
            });
            reply
        })
    }
}
