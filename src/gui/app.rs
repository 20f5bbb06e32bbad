//! The window: lays out the toolbar, the messages, the side panel, the figure view and the dialogs,
//! and applies the [`Action`]s they emit to [`AppState`]. Nothing here changes the analysis
//! directly, so the flows tested in `tests.rs` are those a user clicks through.
//!
//! What the window keeps itself: the preferences between sessions ([`Settings`]), the histogram of
//! the current revision, the frame-time log (`INDICARTO_FRAME_LOG`). Its texts are in the language
//! the state owns. The top of `gui/`: it depends on every other window module, none depends on it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use eframe::egui;
use serde::{Deserialize, Serialize};

use crate::export::files::slug;
use crate::text::Lang;

use super::dialog::{ExportDialog, OpenPackDialog, ProjectDialog, QuickMapDialog, Reply};
use super::histogram::{Histogram, histogram};
use super::i18n::{SWITCH, tr_format};
use super::panel::SidePanel;
use super::state::{Action, AppState, Severity};
use super::view::{FigureClick, FigureView, View, ViewContext};

/// Preferences kept between sessions (in eframe's storage, in the platform's config folder).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Settings {
    /// Packs opened lately, newest first.
    pub recent: Vec<PathBuf>,
    /// Last export folder.
    pub export_dir: Option<PathBuf>,
    /// Language of the window (`fr`, `en`) at the end of the last session: read once at start
    /// into the state, which owns it, and written back when the window saves its settings.
    #[serde(default)]
    pub lang: Option<String>,
}

impl Settings {
    /// The language the window starts in.
    #[must_use]
    pub fn start_lang(&self) -> Lang {
        self.lang.as_deref().and_then(Lang::parse).unwrap_or_default()
    }
}

const SETTINGS_KEY: &str = "indicarto-settings";

const MAX_RECENT: usize = 8;

/// The window: the state, and what is typed, open or drawn.
pub struct IndicartoApp {
    /// The analysis, its jobs and the window's language.
    pub state: AppState,
    settings: Settings,
    /// The side panel (search, custom zone being made).
    pub panel: SidePanel,
    /// The centre: portrait grid or focused figure.
    pub figures: FigureView,
    /// The export dialog, when open.
    pub export: Option<ExportDialog>,
    /// The « Ouvrir un pack » dialog, when open.
    pub open_pack: Option<OpenPackDialog>,
    /// The quick-map dialog, when open.
    pub quick_map: Option<QuickMapDialog>,
    /// The project dialog, when open.
    pub project: Option<ProjectDialog>,
    /// What the quick-map dialog was last sent with, offered again.
    quick_last: QuickMapDialog,
    /// The distribution of the first map's values, for the current revision.
    histogram: Option<Histogram>,
    /// When the current revision arrived (frame log: time to the first frame that shows it).
    revision_at: Option<std::time::Instant>,
    frame_log: Option<FrameLog>,
}

/// Frame intervals logged on stderr every two seconds when `INDICARTO_FRAME_LOG` is set: the
/// whole frame as the user gets it (UI, egui tessellation, OpenGL, swap).
#[derive(Default)]
struct FrameLog {
    last: Option<std::time::Instant>,
    since: Option<std::time::Instant>,
    intervals_ms: Vec<f64>,
    ui_ms: Vec<f64>,
}

impl FrameLog {
    fn frame(&mut self, ui_ms: f64, context: &str) {
        let now = std::time::Instant::now();
        if let Some(last) = self.last {
            self.intervals_ms.push((now - last).as_secs_f64() * 1000.0);
            self.ui_ms.push(ui_ms);
        }
        self.last = Some(now);
        let since = *self.since.get_or_insert(now);
        if (now - since).as_secs_f64() >= 2.0 && !self.intervals_ms.is_empty() {
            let mut sorted = std::mem::take(&mut self.intervals_ms);
            sorted.sort_by(f64::total_cmp);
            let median = sorted[sorted.len() / 2];
            let worst = sorted[sorted.len() - 1];
            let ui_mean = self.ui_ms.iter().sum::<f64>() / self.ui_ms.len() as f64;
            self.ui_ms.clear();
            eprintln!(
                "images : {} en 2 s, intervalle médian {median:.1} ms, pire {worst:.1} ms, interface {ui_mean:.1} ms en moyenne ({context})",
                sorted.len()
            );
            self.since = Some(now);
        }
    }
}

impl IndicartoApp {
    /// The application, loading the bundled sample in the background, its window in the language
    /// of the last session.
    #[must_use]
    pub fn new(ctx: &egui::Context, storage: Option<&dyn eframe::Storage>, sample: PathBuf) -> Self {
        let settings: Settings = storage.and_then(|s| eframe::get_value(s, SETTINGS_KEY)).unwrap_or_default();
        let repaint = ctx.clone();
        let mut state = AppState::new(sample, settings.start_lang(), Arc::new(move || repaint.request_repaint()));
        state.apply(Action::Reset);
        let mut app = Self::with_state(state, settings);
        app.figures.tile_cache = super::basemap::cache_dir();
        app
    }

    /// The application over a given state (tests); the window speaks the state's language.
    #[must_use]
    pub fn with_state(state: AppState, settings: Settings) -> Self {
        IndicartoApp {
            state,
            settings,
            panel: SidePanel::default(),
            figures: FigureView::default(),
            export: None,
            open_pack: None,
            quick_map: None,
            project: None,
            quick_last: QuickMapDialog::default(),
            histogram: None,
            revision_at: None,
            frame_log: std::env::var_os("INDICARTO_FRAME_LOG").map(|_| FrameLog::default()),
        }
    }

    /// Applies an action, remembering what the preferences need.
    pub fn apply(&mut self, action: Action) {
        if let Action::OpenPack(path) = &action {
            self.settings.recent.retain(|p| p != path);
            self.settings.recent.insert(0, path.clone());
            self.settings.recent.truncate(MAX_RECENT);
        }
        if matches!(action, Action::SelectTerritory(_) | Action::SetTemplate(_) | Action::Reset | Action::OpenPack(_)) {
            self.figures.show_portrait();
        }
        if let Action::Export(request) = &action {
            // Remember the folder that holds the per-territory folders, so that the next
            // territory's export is proposed beside this one.
            let base = request.dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(&request.dir);
            self.settings.export_dir = Some(base.to_path_buf());
        }
        self.state.apply(action);
    }

    /// Per-frame work outside drawing: background results, figure preparation, the histogram of a
    /// new revision.
    pub fn logic(&mut self) {
        self.state.poll();
        let figures = self.state.portrait().len();
        if self.figures.logic(self.state.revision, figures, self.state.quick.is_some()) {
            self.revision_at = Some(std::time::Instant::now());
            self.histogram = self.state.draft().and_then(|d| {
                let map = self.state.portrait().iter().find(|i| i.slug.contains("carte-"))?;
                histogram(&map.figure, &d.options)
            });
        }
    }

    /// Draws the whole window.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        self.logic();
        let mut actions = Vec::new();
        self.shortcuts(ui, &mut actions);
        dropped_files(ui, &mut actions);
        egui::Panel::top("barre").show(ui, |ui| self.toolbar_ui(ui, &mut actions));
        if !self.state.messages.is_empty() {
            egui::Panel::bottom("messages").resizable(true).show(ui, |ui| self.messages_ui(ui, &mut actions));
        }
        egui::Panel::left("choix").resizable(true).default_size(310.0).show(ui, |ui| {
            egui::ScrollArea::vertical()
                .show(ui, |ui| self.panel.ui(ui, &self.state, self.histogram.as_ref(), &mut actions));
        });
        egui::CentralPanel::default().show(ui, |ui| self.centre_ui(ui, &mut actions));
        self.dialogs_ui(ui, &mut actions);
        self.figures.end_frame();
        for action in actions {
            self.apply(action);
        }
        if self.state.busy() {
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    fn shortcuts(&mut self, ui: &egui::Ui, actions: &mut Vec<Action>) {
        use egui::{Key, Modifiers};
        // Ctrl+Maj+Z before Ctrl+Z: egui matches a shortcut whatever extra Shift is held.
        let (redo, open, export, search, undo, save) = ui.input_mut(|i| {
            let redo = i.consume_key(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z)
                || i.consume_key(Modifiers::COMMAND, Key::Y);
            (
                redo,
                i.consume_key(Modifiers::COMMAND, Key::O),
                i.consume_key(Modifiers::COMMAND, Key::E),
                i.consume_key(Modifiers::COMMAND, Key::F),
                i.consume_key(Modifiers::COMMAND, Key::Z),
                i.consume_key(Modifiers::COMMAND, Key::S),
            )
        });
        if save {
            self.open_project_dialog();
        }
        if open {
            self.open_pack_dialog();
        }
        if export {
            self.open_export();
        }
        if search {
            self.panel.focus_search = true;
        }
        if undo {
            actions.push(Action::Undo);
        }
        if redo {
            actions.push(Action::Redo);
        }
    }

    fn open_pack_dialog(&mut self) {
        self.open_pack = Some(OpenPackDialog { path: self.state.pack_path.display().to_string() });
    }

    /// The name of the analysis territory as a folder or file name (`80021-amiens`), if any.
    fn territory_slug(&self) -> Option<String> {
        let territory = self.state.draft().and_then(|d| self.state.territory(&d.territory))?;
        Some(slug(&format!("{}-{}", territory.code, territory.name)))
    }

    fn open_export(&mut self) {
        let base = self.settings.export_dir.clone().unwrap_or_else(default_export_dir);
        let dir = match self.territory_slug().filter(|s| !s.is_empty()) {
            Some(territory) => base.join(territory),
            None => base,
        };
        self.export = Some(ExportDialog::new(&dir));
    }

    fn open_project_dialog(&mut self) {
        let base = self.settings.export_dir.clone().unwrap_or_else(default_export_dir);
        let name = self.territory_slug().unwrap_or_else(|| "projet".to_owned());
        let path = base.join(format!("{name}.{}", super::project::EXTENSION));
        self.project = Some(ProjectDialog { path: path.display().to_string() });
    }

    fn toolbar_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let lang = self.state.lang();
        ui.horizontal(|ui| {
            ui.strong("Indicarto");
            ui.separator();
            self.buttons_ui(ui, lang, actions);
            ui.separator();
            for (switch, text, hint) in SWITCH {
                if ui.selectable_label(lang == switch, text).on_hover_text(hint).clicked() {
                    actions.push(Action::SetLang(switch));
                }
            }
            ui.separator();
            self.status_ui(ui, lang);
        });
    }

    /// The toolbar's buttons: open, export, undo, redo, project, quick map, reset.
    fn buttons_ui(&mut self, ui: &mut egui::Ui, lang: Lang, actions: &mut Vec<Action>) {
        let hint = lang.pick(
            "Ctrl+O ; ou déposez un dossier de pack sur la fenêtre",
            "Ctrl+O; or drop a pack folder on the window",
        );
        if ui.button(lang.pick("Ouvrir un pack…", "Open a pack…")).on_hover_text(hint).clicked() {
            self.open_pack_dialog();
        }
        let can_export = !self.state.portrait().is_empty();
        let export = egui::Button::new(lang.pick("Exporter…", "Export…"));
        if ui.add_enabled(can_export, export).on_hover_text("Ctrl+E").clicked() {
            self.open_export();
        }
        let undo = egui::Button::new(lang.pick("Annuler", "Undo"));
        if ui.add_enabled(self.state.can_undo(), undo).on_hover_text("Ctrl+Z").clicked() {
            actions.push(Action::Undo);
        }
        let redo = egui::Button::new(lang.pick("Rétablir", "Redo"));
        if ui.add_enabled(self.state.can_redo(), redo).on_hover_text(lang.pick("Ctrl+Maj+Z", "Ctrl+Shift+Z")).clicked()
        {
            actions.push(Action::Redo);
        }
        let hint = lang.pick("Enregistrer ou rouvrir l'analyse (Ctrl+S)", "Save or reopen the analysis (Ctrl+S)");
        if ui.button(lang.pick("Projet…", "Project…")).on_hover_text(hint).clicked() {
            self.open_project_dialog();
        }
        let hint = lang.pick(
            "Une carte de n'importe quel fichier de contours et d'un CSV, sans pack",
            "A map of any boundary file and a CSV, without a pack",
        );
        if ui.button(lang.pick("Carte rapide…", "Quick map…")).on_hover_text(hint).clicked() {
            self.quick_map = Some(self.quick_last.clone());
        }
        let hint = lang.pick(
            "Revient à l'exemple Hauts-de-France et aux réglages par défaut",
            "Back to the Hauts-de-France sample and default settings",
        );
        if ui.button(lang.pick("Réinitialiser", "Reset")).on_hover_text(hint).clicked() {
            actions.push(Action::Reset);
        }
    }

    /// The pack's title, and what runs in the background.
    fn status_ui(&self, ui: &mut egui::Ui, lang: Lang) {
        if let Some(path) = &self.state.loading {
            ui.spinner();
            ui.label(tr_format!(lang, "Chargement de {}…", "Loading {}…", short_path(path)));
        } else if let Some(pack) = self.state.pack() {
            ui.label(&pack.manifest.pack.title).on_hover_text(self.state.pack_path.display().to_string());
        }
        if self.state.drawing {
            ui.spinner();
            ui.label(lang.pick("Carte en cours…", "Drawing the map…"));
        }
        if self.state.exporting > 0 {
            ui.spinner();
            ui.label(lang.pick("Export en cours…", "Exporting…"));
        }
    }

    fn messages_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let lang = self.state.lang();
        ui.horizontal(|ui| {
            ui.strong(lang.pick("Messages", "Messages"));
            if ui.small_button(lang.pick("Tout effacer", "Clear all")).clicked() {
                for i in (0..self.state.messages.len()).rev() {
                    actions.push(Action::DismissMessage(i));
                }
            }
        });
        egui::ScrollArea::vertical().max_height(140.0).show(ui, |ui| {
            for (i, message) in self.state.messages.iter().enumerate() {
                ui.horizontal(|ui| {
                    let dismiss = lang.pick("Effacer ce message", "Dismiss this message");
                    if ui.small_button("×").on_hover_text(dismiss).clicked() {
                        actions.push(Action::DismissMessage(i));
                    }
                    let (label, color) = match message.severity {
                        Severity::Error => (lang.pick("Erreur", "Error"), ui.visuals().error_fg_color),
                        Severity::Warning => (lang.pick("Attention", "Warning"), ui.visuals().warn_fg_color),
                        Severity::Info => (lang.pick("Fait", "Done"), ui.visuals().text_color()),
                    };
                    ui.colored_label(color, format!("{label} : {}", message.text));
                });
            }
        });
    }

    fn centre_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let lang = self.state.lang();
        let Some(draft) = self.state.draft() else {
            ui.centered_and_justified(|ui| {
                if self.state.loading.is_some() {
                    ui.spinner();
                } else {
                    ui.label(lang.pick(
                        "Aucun pack ouvert : « Ouvrir un pack… » ou « Réinitialiser ».",
                        "No pack open: “Open a pack…” or “Reset”.",
                    ));
                }
            });
            return;
        };
        // A new territory or template starts at the top; a new classification keeps the place.
        let place = egui::IdSalt::new(("portrait", &draft.territory, &draft.template));
        let context = ViewContext { lang, selected: &self.panel.zone_members };
        match self.figures.ui(ui, self.state.portrait(), place, &context) {
            Some(FigureClick::Select(unit)) => actions.push(Action::SelectTerritory(unit)),
            Some(FigureClick::Toggle(unit)) => self.panel.toggle_zone_member(unit),
            None => {}
        }
    }

    /// The open dialogs, each answering the action it asks for and whether it closes.
    fn dialogs_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let lang = self.state.lang();
        let focused = match self.figures.view {
            View::Focus(i) => Some(i),
            View::Portrait => None,
        };
        let state = &self.state;
        answer(&mut self.export, actions, |d| d.ui(ui, state, focused, lang));
        answer(&mut self.open_pack, actions, |d| d.ui(ui, &self.settings.recent, lang));
        let options = state.draft().map(|d| d.options.clone()).unwrap_or_default();
        if let Some(dialog) = &mut self.quick_map {
            let reply = dialog.ui(ui, &options, lang);
            if reply.action.is_some() {
                // Offered again the next time, as it was sent.
                self.quick_last = dialog.clone();
            }
            if reply.close {
                self.quick_map = None;
            }
            actions.extend(reply.action);
        }
        let can_save = state.draft().is_some();
        answer(&mut self.project, actions, |d| d.ui(ui, can_save, lang));
    }
}

/// Shows the dialog in `slot` if it is open, queues its action and closes it when it says so.
fn answer<D>(slot: &mut Option<D>, actions: &mut Vec<Action>, show: impl FnOnce(&mut D) -> Reply) {
    let Some(dialog) = slot else { return };
    let reply = show(dialog);
    if reply.close {
        *slot = None;
    }
    actions.extend(reply.action);
}

/// A folder dropped on the window opens as a pack.
fn dropped_files(ui: &egui::Ui, actions: &mut Vec<Action>) {
    let dropped: Vec<PathBuf> = ui.input(|i| {
        i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).filter(|p| !p.as_os_str().is_empty()).collect()
    });
    if let Some(path) = dropped.into_iter().next() {
        actions.push(Action::OpenPack(path));
    }
}

impl eframe::App for IndicartoApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.figures.gpu = frame.gl().is_some() && std::env::var_os("INDICARTO_NO_GPU_MESHES").is_none();
        let start = std::time::Instant::now();
        IndicartoApp::ui(self, ui);
        if self.frame_log.is_some() {
            let context = self.figures.describe(self.state.portrait().len());
            if let Some(log) = &mut self.frame_log {
                log.frame(start.elapsed().as_secs_f64() * 1000.0, &context);
            }
            if let Some(at) = self.revision_at.take() {
                eprintln!(
                    "nouvelle version affichée en {:.0} ms (préparation comprise)",
                    at.elapsed().as_secs_f64() * 1000.0
                );
            }
            // Keep frames coming so that the log measures the renderer, not the idle loop.
            ui.ctx().request_repaint();
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.settings.lang = Some(self.state.lang().key().to_owned());
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}

fn short_path(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn default_export_dir() -> PathBuf {
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")).map(PathBuf::from);
    home.unwrap_or_else(|| PathBuf::from(".")).join("Indicarto")
}
