//! The export dialog: folder, formats, the portrait or the figure shown, and a batch of portraits
//! (one per territory of a level) with its progress.

use std::path::{Path, PathBuf};

use eframe::egui;

use crate::code::Level;
use crate::export::csv::CsvStyle;
use crate::export::files::Formats;
use crate::text::Lang;

use super::super::i18n::level_name;
use super::super::state::{Action, AppState, BatchProgress, ExportRequest};
use super::{Pick, Reply, path_field_ui, show};

/// The export dialog's fields: one checkbox per format.
#[derive(Debug, Clone)]
#[allow(clippy::struct_excessive_bools, reason = "each bool is one checkbox of the dialog")]
pub struct ExportDialog {
    /// Folder, as typed.
    pub dir: String,
    /// SVG.
    pub svg: bool,
    /// PNG.
    pub png: bool,
    /// PNG resolution.
    pub dpi: u32,
    /// PDF per figure.
    pub pdf: bool,
    /// One PDF for the portrait.
    pub portrait_pdf: bool,
    /// CSV.
    pub csv: bool,
    /// International CSV (`,` and `.`).
    pub international: bool,
    /// Level of a batch.
    pub batch_level: Option<Level>,
}

impl ExportDialog {
    /// The dialog proposing `dir`, with SVG, CSV and the portrait's PDF ticked.
    #[must_use]
    pub fn new(dir: &Path) -> ExportDialog {
        ExportDialog {
            dir: dir.display().to_string(),
            svg: true,
            png: false,
            dpi: 150,
            pdf: false,
            portrait_pdf: true,
            csv: true,
            international: false,
            batch_level: None,
        }
    }

    fn formats(&self) -> Formats {
        Formats { svg: self.svg, csv: self.csv, png_dpi: self.png.then_some(self.dpi), pdf: self.pdf }
    }

    /// The export of the portrait (`only` `None`) or of one figure.
    fn request(&self, only: Option<usize>) -> ExportRequest {
        ExportRequest {
            dir: PathBuf::from(self.dir.trim()),
            formats: self.formats(),
            portrait_pdf: self.portrait_pdf && only.is_none(),
            csv_style: if self.international { CsvStyle::International } else { CsvStyle::French },
            only,
        }
    }

    /// Draws the dialog; `focused` is the figure shown alone, if any.
    pub fn ui(&mut self, ui: &mut egui::Ui, state: &AppState, focused: Option<usize>, lang: Lang) -> Reply {
        show(ui, lang.pick("Exporter", "Export"), false, |ui| {
            path_field_ui(ui, lang.pick("Dossier d'export", "Export folder"), &mut self.dir, Pick::Folder, lang);
            self.formats_ui(ui, lang);
            ui.separator();
            let mut reply = Reply::default();
            ui.horizontal(|ui| {
                if ui.button(lang.pick("Exporter le portrait", "Export the portrait")).clicked() {
                    reply = Reply::done(Action::Export(self.request(None)));
                }
                if let Some(i) = focused
                    && ui.button(lang.pick("Exporter la figure affichée", "Export the figure shown")).clicked()
                {
                    reply = Reply::done(Action::Export(self.request(Some(i))));
                }
            });
            ui.separator();
            let levels: Vec<Level> =
                state.pack().map(|p| p.territories.levels().map(|l| l.level.clone()).collect()).unwrap_or_default();
            if let Some(action) = self.batch_ui(ui, &levels, state.batch.as_ref(), lang) {
                // The dialog stays open on the batch's progress.
                reply.action = Some(action);
            }
            reply
        })
    }

    fn formats_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.horizontal(|ui| {
            ui.checkbox(&mut self.svg, lang.pick("SVG (Inkscape, Illustrator)", "SVG (Inkscape, Illustrator)"));
            ui.checkbox(&mut self.csv, "CSV");
            ui.checkbox(&mut self.pdf, "PDF");
        });
        ui.horizontal(|ui| {
            ui.checkbox(&mut self.png, "PNG");
            ui.add_enabled(self.png, egui::DragValue::new(&mut self.dpi).range(72..=600).suffix(" dpi"));
        });
        ui.checkbox(&mut self.portrait_pdf, lang.pick("Un PDF de tout le portrait", "One PDF of the whole portrait"));
        ui.checkbox(
            &mut self.international,
            lang.pick("CSV international (« , » et « . »)", "International CSV (“,” and “.”)"),
        );
    }

    /// One portrait per territory of a level, with progress and cancel.
    fn batch_ui(
        &mut self,
        ui: &mut egui::Ui,
        levels: &[Level],
        running: Option<&BatchProgress>,
        lang: Lang,
    ) -> Option<Action> {
        let mut action = None;
        ui.label(lang.pick(
            "Un portrait par territoire d'un niveau, dans des sous-dossiers :",
            "One portrait per territory of a level, in subfolders:",
        ));
        ui.horizontal(|ui| {
            let label = ui.label(lang.pick("Niveau", "Level"));
            egui::ComboBox::from_id_salt("niveau-lot")
                .selected_text(
                    self.batch_level.as_ref().map_or(lang.pick("niveau…", "level…"), |l| level_name(l, lang)),
                )
                .show_ui(ui, |ui| {
                    for level in levels {
                        if ui
                            .selectable_label(self.batch_level.as_ref() == Some(level), level_name(level, lang))
                            .clicked()
                        {
                            self.batch_level = Some(level.clone());
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            let can = self.batch_level.is_some() && running.is_none();
            if ui.add_enabled(can, egui::Button::new(lang.pick("Exporter le lot", "Export the batch"))).clicked()
                && let Some(level) = self.batch_level.clone()
            {
                action = Some(Action::Batch { level, dir: PathBuf::from(self.dir.trim()), formats: self.formats() });
            }
        });
        if let Some(batch) = running {
            let done = batch.done.load(std::sync::atomic::Ordering::Relaxed);
            ui.horizontal(|ui| {
                ui.add(
                    egui::ProgressBar::new(done as f32 / batch.total.max(1) as f32)
                        .text(format!("{done} / {}", batch.total))
                        .desired_width(300.0),
                );
                if ui.button(lang.pick("Interrompre", "Stop")).clicked() {
                    action = Some(Action::CancelBatch);
                }
            });
        }
        action
    }
}
