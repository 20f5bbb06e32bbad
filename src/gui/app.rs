//! The window: reads [`AppState`] and emits [`Action`]s. Nothing here changes the analysis
//! directly, so the flows tested in `tests.rs` are those a user clicks through.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use eframe::egui::{self, Color32, Pos2, Rect, Sense, Vec2, emath::TSTransform};
use serde::{Deserialize, Serialize};

use crate::classify::classify;
use crate::code::Level;
use crate::export::csv::CsvStyle;
use crate::export::files::{Formats, slug};
use crate::figure::Figure;
use crate::portrait::{MapExtent, TerritoryRef};
use crate::text::Lang;

use super::basemap::{self, Basemap};
use super::paint::{self, Detail, PreparedFigure, TessellationCache};
use super::state::{Action, AppState, ExportRequest, Severity, methods};

/// Preferences kept between sessions (in eframe's storage, in the platform's config folder).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Settings {
    /// Packs opened lately, newest first.
    pub recent: Vec<PathBuf>,
    /// Last export folder.
    pub export_dir: Option<PathBuf>,
    /// Language of the window (`fr`, `en`).
    #[serde(default)]
    pub lang: Option<String>,
}

const SETTINGS_KEY: &str = "indicarto-settings";

thread_local! {
    /// Language of the window's own texts (figures have theirs in `MapOptions::lang`).
    static UI_LANG: std::cell::Cell<Lang> = const { std::cell::Cell::new(Lang::Fr) };
}

/// The window's dialogs: centred under the toolbar, wide enough for a path, closed by their cross.
fn dialog<'o>(title: &'static str, open: &'o mut bool) -> egui::Window<'o> {
    egui::Window::new(title)
        .open(open)
        .collapsible(false)
        .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
        .min_width(560.0)
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
fn browse_ui(ui: &mut egui::Ui, field: &mut String, pick: Pick) {
    if !ui.button(tr("Parcourir…", "Browse…")).clicked() {
        return;
    }
    let current = PathBuf::from(field.trim());
    let start =
        if current.is_dir() { Some(current.clone()) } else { current.parent().map(std::path::Path::to_path_buf) };
    let mut dialog = rfd::FileDialog::new();
    if let Some(dir) = start.filter(|d| d.is_dir()) {
        dialog = dialog.set_directory(dir);
    }
    let chosen = match pick {
        Pick::Folder => dialog.pick_folder(),
        Pick::Boundaries => dialog.add_filter(tr("Contours", "Boundaries"), &["shp", "geojson", "json"]).pick_file(),
        Pick::Csv => dialog.add_filter("CSV", &["csv", "txt"]).pick_file(),
        Pick::OpenProject => dialog.add_filter(tr("Projet Indicarto", "Indicarto project"), &["json"]).pick_file(),
        Pick::SaveProject => {
            let name = current.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            dialog.set_file_name(name).save_file()
        }
    };
    if let Some(path) = chosen {
        *field = path.display().to_string();
    }
}

/// A number in the window's language, one decimal.
fn ui_number(value: f64) -> String {
    crate::text::format_number(value, 1, UI_LANG.with(std::cell::Cell::get))
}

/// The window's text in its language.
pub(crate) fn tr(fr: &'static str, en: &'static str) -> &'static str {
    UI_LANG.with(|l| l.get().pick(fr, en))
}

/// `format!` in the window's language.
macro_rules! tr_format {
    ($fr:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        if UI_LANG.with(|l| l.get()) == Lang::En { format!($en $(, $arg)*) } else { format!($fr $(, $arg)*) }
    };
}
const MAX_RECENT: usize = 8;

/// Which view fills the centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Every figure of the portrait, in a grid.
    Portrait,
    /// One figure, large, with pan and zoom.
    Focus(usize),
}

/// The export dialog's draft: one checkbox per format.
#[derive(Debug, Clone)]
#[allow(clippy::struct_excessive_bools, reason = "each bool is one checkbox of the dialog")]
pub struct ExportDraft {
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

impl ExportDraft {
    fn formats(&self) -> Formats {
        Formats { svg: self.svg, csv: self.csv, png_dpi: self.png.then_some(self.dpi), pdf: self.pdf }
    }
}

/// The quick-map dialog's fields, as typed.
#[derive(Debug, Clone, Default)]
pub struct QuickDraft {
    /// Shapefile or GeoJSON.
    pub boundaries: String,
    /// CSV.
    pub data: String,
    /// `CODE` or `FIELD=COLUMN`.
    pub join: String,
    /// Value column.
    pub value: String,
    /// Proportional circles (counts).
    pub circles: bool,
}

/// UI-only state: what is typed, what is open, how the map is zoomed.
pub struct IndicartoApp {
    /// The analysis and its jobs.
    pub state: AppState,
    settings: Settings,
    /// The search field.
    pub search: String,
    /// The last search and its results, with the revision they were made at.
    search_hits: Option<((String, u64), Vec<TerritoryRef>)>,
    /// The centre view.
    pub view: View,
    /// The export dialog, when open.
    pub export: Option<ExportDraft>,
    /// The "open" dialog's path, when open.
    pub open_dialog: Option<String>,
    /// The quick-map dialog, when open.
    pub quick_dialog: Option<QuickDraft>,
    /// The project dialog's path, when open.
    pub project_dialog: Option<String>,
    /// Units of the custom zone being made.
    pub zone_members: Vec<TerritoryRef>,
    /// Its name, as typed.
    pub zone_name: String,
    /// What the quick-map dialog was last sent with, offered again.
    quick_last: QuickDraft,
    /// Figures ready to paint, by index in the portrait and level of detail, for `prepared_revision`.
    prepared: HashMap<(usize, Detail), PreparedFigure>,
    prepared_revision: u64,
    /// Geometry not used since the last revision is forgotten after the next frame.
    prune_pending: bool,
    /// When the current revision arrived (frame log: time to the first frame that shows it).
    revision_at: Option<std::time::Instant>,
    /// The distribution of the first map's values, for the current revision.
    histogram: Option<Histogram>,
    /// Level of detail of the focused figure as drawn (frame log).
    focus_detail: Detail,
    /// A level of detail of the focused figure being prepared off the UI thread.
    preparing: Option<Preparing>,
    cache: TessellationCache,
    /// Zoom and pan of the focused figure, relative to fitting the view.
    pub focus_view: TSTransform,
    focus_search: bool,
    frame_log: Option<FrameLog>,
    /// Meshes drawn from GPU buffers (glow renderer), else through egui.
    pub gpu: bool,
    /// The tile background of the map view, while it is switched on (off at every start).
    basemap: Option<Basemap>,
    /// Opacity of the map's units over the background (0.2–1).
    pub ground_opacity: f32,
    /// Its tile server (`INDICARTO_TILES`, else OpenStreetMap's), a URL template with `{z}/{x}/{y}`.
    pub tile_server: String,
    /// Downloaded tiles kept in the platform's cache folder (not in tests).
    pub tile_cache: Option<PathBuf>,
}

/// A figure prepared at a level of detail on a worker thread, with its own tessellation cache.
struct Preparing {
    /// Figure index and level.
    key: (usize, Detail),
    /// The revision the figure belongs to: a result for an older one is dropped.
    revision: u64,
    result: std::sync::mpsc::Receiver<PreparedFigure>,
}

impl Preparing {
    fn start(ctx: &egui::Context, figure: &Figure, key: (usize, Detail), revision: u64) -> Preparing {
        let (sender, result) = std::sync::mpsc::channel();
        let figure = figure.clone();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let prepared = paint::prepare(&figure, &mut TessellationCache::default(), key.1);
            // The window may have moved on (closed, another revision): nobody listening is fine.
            let _ = sender.send(prepared);
            ctx.request_repaint();
        });
        Preparing { key, revision, result }
    }
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
    /// The application, loading the bundled sample in the background.
    #[must_use]
    pub fn new(ctx: &egui::Context, storage: Option<&dyn eframe::Storage>, sample: PathBuf) -> Self {
        let repaint = ctx.clone();
        let mut state = AppState::new(sample, Arc::new(move || repaint.request_repaint()));
        state.apply(Action::Reset);
        let settings = storage.and_then(|s| eframe::get_value(s, SETTINGS_KEY)).unwrap_or_default();
        let mut app = Self::with_state(state, settings);
        app.tile_cache = basemap::cache_dir();
        app
    }

    /// The application over a given state (tests).
    #[must_use]
    pub fn with_state(state: AppState, settings: Settings) -> Self {
        let lang = settings.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
        UI_LANG.with(|l| l.set(lang));
        // Figures start in the window's language.
        let mut state = state;
        state.default_lang = lang;
        IndicartoApp {
            state,
            settings,
            search: String::new(),
            search_hits: None,
            view: View::Portrait,
            export: None,
            open_dialog: None,
            quick_dialog: None,
            project_dialog: None,
            zone_members: Vec::new(),
            zone_name: String::new(),
            quick_last: QuickDraft::default(),
            prepared: HashMap::new(),
            prepared_revision: 0,
            prune_pending: false,
            focus_detail: Detail::for_scale(1.0),
            preparing: None,
            histogram: None,
            revision_at: None,
            cache: TessellationCache::default(),
            focus_view: TSTransform::IDENTITY,
            focus_search: false,
            frame_log: std::env::var_os("INDICARTO_FRAME_LOG").map(|_| FrameLog::default()),
            gpu: false,
            basemap: None,
            ground_opacity: 0.75,
            tile_server: std::env::var("INDICARTO_TILES").unwrap_or_else(|_| basemap::OSM_TILES.to_owned()),
            tile_cache: None,
        }
    }

    /// The level of detail the focused figure was drawn at in the last frame.
    #[must_use]
    pub fn shown_detail(&self) -> Detail {
        self.focus_detail
    }

    /// Whether the map view's tile background is on, and what it showed at the last frame.
    #[must_use]
    pub fn basemap_status(&self) -> Option<basemap::Status> {
        self.basemap.as_ref().map(Basemap::status)
    }

    /// Applies an action, remembering what the preferences need.
    pub fn apply(&mut self, action: Action) {
        if let Action::OpenPack(path) = &action {
            self.settings.recent.retain(|p| p != path);
            self.settings.recent.insert(0, path.clone());
            self.settings.recent.truncate(MAX_RECENT);
        }
        if matches!(action, Action::SelectTerritory(_) | Action::SetTemplate(_) | Action::Reset | Action::OpenPack(_)) {
            self.view = View::Portrait;
            self.focus_view = TSTransform::IDENTITY;
        }
        if let Action::Export(request) = &action {
            // Remember the folder that holds the per-territory folders, so that the next
            // territory's export is proposed beside this one.
            let base = request.dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(&request.dir);
            self.settings.export_dir = Some(base.to_path_buf());
        }
        self.state.apply(action);
    }

    /// Per-frame work outside drawing: background results, figure preparation.
    pub fn logic(&mut self) {
        self.state.poll();
        if let Some(preparing) = &self.preparing {
            match preparing.result.try_recv() {
                Ok(prepared) => {
                    if preparing.revision == self.state.revision {
                        self.prepared.insert(preparing.key, prepared);
                    }
                    self.preparing = None;
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => self.preparing = None,
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
            }
        }
        if self.prepared_revision != self.state.revision {
            // Figures are prepared as they are drawn, at the detail their view needs; the cache
            // keeps the triangles of unchanged geometry, so re-classifying only re-colours.
            self.prepared.clear();
            self.prune_pending = true;
            self.revision_at = Some(std::time::Instant::now());
            self.histogram = self.state.draft().and_then(|d| {
                let map = self.state.portrait().iter().find(|i| i.slug.contains("carte-"))?;
                histogram(&map.figure, &d.options)
            });
            self.prepared_revision = self.state.revision;
            if self.state.quick.is_some() {
                self.view = View::Focus(0);
            }
            if let View::Focus(i) = self.view
                && i >= self.state.portrait().len()
            {
                self.view = View::Portrait;
            }
        }
    }

    /// Draws the whole window.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        self.logic();
        let mut actions = Vec::new();
        self.shortcuts(ui, &mut actions);
        Self::dropped_files(ui, &mut actions);
        egui::Panel::top("barre").show(ui, |ui| self.toolbar_ui(ui, &mut actions));
        if !self.state.messages.is_empty() {
            egui::Panel::bottom("messages").resizable(true).show(ui, |ui| self.messages_ui(ui, &mut actions));
        }
        egui::Panel::left("choix").resizable(true).default_size(310.0).show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| self.controls_ui(ui, &mut actions));
        });
        egui::CentralPanel::default().show(ui, |ui| self.centre_ui(ui, &mut actions));
        self.export_window(ui.ctx(), &mut actions);
        self.open_window(ui.ctx(), &mut actions);
        self.quick_window(ui.ctx(), &mut actions);
        self.project_window(ui.ctx(), &mut actions);
        if self.prune_pending {
            self.cache.prune();
            self.prune_pending = false;
        }
        for action in actions {
            self.apply(action);
        }
        if self.state.busy() {
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    fn shortcuts(&mut self, ui: &egui::Ui, actions: &mut Vec<Action>) {
        let (open, export, search, undo, save) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::O),
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::E),
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::F),
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::Z),
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::S),
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
            self.focus_search = true;
        }
        if undo {
            actions.push(Action::Undo);
        }
    }

    fn dropped_files(ui: &egui::Ui, actions: &mut Vec<Action>) {
        let dropped: Vec<PathBuf> = ui.input(|i| {
            i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).filter(|p| !p.as_os_str().is_empty()).collect()
        });
        if let Some(path) = dropped.into_iter().next() {
            actions.push(Action::OpenPack(path));
        }
    }

    fn open_pack_dialog(&mut self) {
        self.open_dialog = Some(self.state.pack_path.display().to_string());
    }

    fn open_export(&mut self) {
        let default_dir = self.settings.export_dir.clone().unwrap_or_else(default_export_dir);
        let territory = self
            .state
            .draft()
            .and_then(|d| self.state.territory(&d.territory))
            .map(|t| slug(&format!("{}-{}", t.code, t.name)))
            .unwrap_or_default();
        let dir = if territory.is_empty() { default_dir } else { default_dir.join(territory) };
        self.export = Some(ExportDraft {
            dir: dir.display().to_string(),
            svg: true,
            png: false,
            dpi: 150,
            pdf: false,
            portrait_pdf: true,
            csv: true,
            international: false,
            batch_level: None,
        });
    }

    fn toolbar_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            ui.strong("Indicarto");
            ui.separator();
            if ui
                .button(tr("Ouvrir un pack…", "Open a pack…"))
                .on_hover_text(tr(
                    "Ctrl+O ; ou déposez un dossier de pack sur la fenêtre",
                    "Ctrl+O; or drop a pack folder on the window",
                ))
                .clicked()
            {
                self.open_pack_dialog();
            }
            let can_export = !self.state.portrait().is_empty();
            if ui
                .add_enabled(can_export, egui::Button::new(tr("Exporter…", "Export…")))
                .on_hover_text("Ctrl+E")
                .clicked()
            {
                self.open_export();
            }
            if ui
                .add_enabled(self.state.can_undo(), egui::Button::new(tr("Annuler", "Undo")))
                .on_hover_text("Ctrl+Z")
                .clicked()
            {
                actions.push(Action::Undo);
            }
            if ui
                .button(tr("Projet…", "Project…"))
                .on_hover_text(tr("Enregistrer ou rouvrir l'analyse (Ctrl+S)", "Save or reopen the analysis (Ctrl+S)"))
                .clicked()
            {
                self.open_project_dialog();
            }
            if ui
                .button(tr("Carte rapide…", "Quick map…"))
                .on_hover_text(tr(
                    "Une carte de n'importe quel fichier de contours et d'un CSV, sans pack",
                    "A map of any boundary file and a CSV, without a pack",
                ))
                .clicked()
            {
                self.quick_dialog = Some(self.quick_last.clone());
            }
            if ui
                .button(tr("Réinitialiser", "Reset"))
                .on_hover_text(tr(
                    "Revient à l'exemple Hauts-de-France et aux réglages par défaut",
                    "Back to the Hauts-de-France sample and default settings",
                ))
                .clicked()
            {
                actions.push(Action::Reset);
            }
            ui.separator();
            let current = UI_LANG.with(std::cell::Cell::get);
            for (lang, text, hint) in
                [(Lang::Fr, "FR", "Fenêtre et figures en français"), (Lang::En, "EN", "Window and figures in English")]
            {
                if ui.selectable_label(current == lang, text).on_hover_text(hint).clicked() && current != lang {
                    UI_LANG.with(|l| l.set(lang));
                    self.settings.lang = Some(lang.key().to_owned());
                    self.state.default_lang = lang;
                    actions.push(Action::SetLang(lang));
                }
            }
            ui.separator();
            if let Some(path) = &self.state.loading {
                ui.spinner();
                ui.label(tr_format!("Chargement de {}…", "Loading {}…", short_path(path)));
            } else if let Some(pack) = self.state.pack() {
                ui.label(&pack.manifest.pack.title).on_hover_text(self.state.pack_path.display().to_string());
            }
            if self.state.drawing {
                ui.spinner();
                ui.label(tr("Carte en cours…", "Drawing the map…"));
            }
            if self.state.exporting > 0 {
                ui.spinner();
                ui.label(tr("Export en cours…", "Exporting…"));
            }
        });
    }

    fn messages_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            ui.strong(tr("Messages", "Messages"));
            if ui.small_button(tr("Tout effacer", "Clear all")).clicked() {
                for i in (0..self.state.messages.len()).rev() {
                    actions.push(Action::DismissMessage(i));
                }
            }
        });
        egui::ScrollArea::vertical().max_height(140.0).show(ui, |ui| {
            for (i, message) in self.state.messages.iter().enumerate() {
                ui.horizontal(|ui| {
                    if ui.small_button("×").on_hover_text(tr("Effacer ce message", "Dismiss this message")).clicked() {
                        actions.push(Action::DismissMessage(i));
                    }
                    let (label, color) = match message.severity {
                        Severity::Error => (tr("Erreur", "Error"), ui.visuals().error_fg_color),
                        Severity::Warning => (tr("Attention", "Warning"), ui.visuals().warn_fg_color),
                        Severity::Info => (tr("Fait", "Done"), ui.visuals().text_color()),
                    };
                    ui.colored_label(color, format!("{label} : {}", message.text));
                });
            }
        });
    }

    #[allow(clippy::too_many_lines, reason = "the side panel reads top to bottom as it is shown")]
    fn controls_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let Some(draft) = self.state.draft().cloned() else {
            if self.state.loading.is_some() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(tr("Chargement des données…", "Loading the data…"));
                });
            }
            return;
        };
        ui.heading(tr("Territoire", "Territory"));
        let label = ui.label(tr("Rechercher (nom ou code)", "Search (name or code)"));
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut self.search)
                    .hint_text(tr("ex. amiens, 80021, somme", "e.g. amiens, 80021, somme")),
            )
            .labelled_by(label.id);
        if self.focus_search {
            field.request_focus();
            self.focus_search = false;
        }
        let mut zone_clicks = Vec::new();
        if !self.search.trim().is_empty() {
            // Searched when the text or the pack changes, not at every frame.
            let key = (self.search.clone(), self.state.revision);
            if self.search_hits.as_ref().is_none_or(|(k, _)| *k != key) {
                self.search_hits = Some((key, self.state.search(&self.search, 12)));
            }
            let hits = self.search_hits.as_ref().map(|(_, h)| h.clone()).unwrap_or_default();
            if hits.is_empty() {
                ui.weak(tr("Aucun territoire ne correspond.", "No territory matches."));
            }
            let names: Vec<String> = hits.iter().map(|h| self.state.display_name(h)).collect();
            for (hit, plain) in hits.iter().cloned().zip(&names) {
                // Homonyms (three communes are called Dury) get their code.
                let name = if names.iter().filter(|n| *n == plain).count() > 1 {
                    format!(
                        "{} ({} {})",
                        self.state.territory(&hit).map_or("", |t| t.name.as_str()),
                        hit.level.label_fr(),
                        hit.code
                    )
                } else {
                    plain.clone()
                };
                ui.horizontal(|ui| {
                    if ui
                        .button(&name)
                        .on_hover_text(tr("Choisir comme territoire d'analyse", "Make it the analysis territory"))
                        .clicked()
                    {
                        actions.push(Action::SelectTerritory(hit.clone()));
                        self.search.clear();
                    }
                    if hit != draft.territory {
                        let describe =
                            tr_format!("Ajouter {name} aux zones de comparaison", "Add {name} to the comparison zones");
                        let add = ui.small_button(tr("+ comparer", "+ compare")).on_hover_text(&describe);
                        // Screen readers and tests need to know which "+ comparer" this is.
                        add.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &describe));
                        if add.clicked() {
                            actions.push(Action::AddComparison(hit.clone()));
                        }
                    }
                    let describe =
                        tr_format!("Ajouter {name} à la zone personnalisée", "Add {name} to the custom zone");
                    let add = ui.small_button(tr("+ zone", "+ zone")).on_hover_text(&describe);
                    add.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &describe));
                    if add.clicked() {
                        zone_clicks.push(hit.clone());
                    }
                });
            }
        }
        for unit in zone_clicks {
            if !self.zone_members.contains(&unit) {
                self.zone_members.push(unit);
            }
        }
        ui.add_space(4.0);
        ui.label(egui::RichText::new(self.state.display_name(&draft.territory)).strong().size(16.0));

        ui.add_space(6.0);
        ui.label(tr("Zones de comparaison", "Comparison zones"));
        ui.horizontal_wrapped(|ui| {
            for zone in &draft.comparisons {
                let name = self.state.display_name(zone);
                if ui
                    .button(format!("{name}  ×"))
                    .on_hover_text(tr_format!("Retirer {name}", "Remove {name}"))
                    .clicked()
                {
                    actions.push(Action::RemoveComparison(zone.clone()));
                }
            }
            if draft.comparisons.is_empty() {
                ui.weak(tr("aucune : ajoutez-en par la recherche", "none: add some with the search"));
            }
        });

        self.zone_ui(ui, actions);

        ui.separator();
        ui.heading(tr("Projet", "Project"));
        if let Some(pack) = self.state.pack() {
            let current = pack.manifest.templates.iter().find(|t| t.id == draft.template);
            let label = ui.label(tr("Modèle de portrait", "Portrait template"));
            egui::ComboBox::from_id_salt("modele")
                .selected_text(current.map_or(draft.template.clone(), |t| t.title.clone()))
                .width(270.0)
                .show_ui(ui, |ui| {
                    for t in &pack.manifest.templates {
                        if ui.selectable_label(t.id == draft.template, &t.title).on_hover_text(&t.description).clicked()
                        {
                            actions.push(Action::SetTemplate(t.id.clone()));
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            let mut years: Vec<i32> = pack.store.indicators().flat_map(|i| i.years.iter().copied()).collect();
            years.sort_unstable();
            years.dedup();
            let label = ui.label(tr("Année", "Year"));
            egui::ComboBox::from_id_salt("annee")
                .selected_text(draft.year.map_or(tr("la plus récente", "latest").to_owned(), |y| y.to_string()))
                .show_ui(ui, |ui| {
                    if ui.selectable_label(draft.year.is_none(), tr("la plus récente", "latest")).clicked() {
                        actions.push(Action::SetYear(None));
                    }
                    for y in years.iter().rev() {
                        if ui.selectable_label(draft.year == Some(*y), y.to_string()).clicked() {
                            actions.push(Action::SetYear(Some(*y)));
                        }
                    }
                })
                .response
                .labelled_by(label.id);
        }

        ui.separator();
        ui.heading(tr("Cartes", "Maps"));
        self.classification_ui(ui, &draft, actions);

        ui.separator();
        self.indicators_ui(ui);
    }

    fn classification_ui(&self, ui: &mut egui::Ui, draft: &super::state::Draft, actions: &mut Vec<Action>) {
        let options = &draft.options;
        let label = ui.label(tr("Méthode de classification", "Classification method"));
        egui::ComboBox::from_id_salt("methode")
            .selected_text(options.method.label(UI_LANG.with(std::cell::Cell::get)))
            .width(220.0)
            .show_ui(ui, |ui| {
                for method in methods() {
                    let text = method.label(UI_LANG.with(std::cell::Cell::get));
                    if ui.selectable_label(options.method == method, text).clicked() {
                        actions.push(Action::SetMethod(method));
                    }
                }
            })
            .response
            .labelled_by(label.id);
        if options.method.uses_class_count() {
            let mut classes = options.classes;
            let label = ui.label(tr("Nombre de classes", "Number of classes"));
            let slider = ui.add(egui::Slider::new(&mut classes, 3..=9)).labelled_by(label.id);
            if slider.changed() {
                actions.push(Action::SetClasses(classes));
            }
        }
        let label = ui.label("Palette");
        egui::ComboBox::from_id_salt("palette")
            .selected_text(&options.palette)
            .show_ui(ui, |ui| {
                for p in crate::palette::all() {
                    let text = if p.colorblind_safe {
                        tr_format!("{} (daltonisme)", "{} (colour-blind safe)", p.name)
                    } else {
                        p.name.to_owned()
                    };
                    if ui.selectable_label(options.palette == p.name, text).clicked() {
                        actions.push(Action::SetPalette(p.name.to_owned()));
                    }
                }
            })
            .response
            .labelled_by(label.id);
        ui.horizontal(|ui| {
            for (extent, text) in [
                (MapExtent::Auto, tr("Automatique", "Automatic")),
                (MapExtent::Territory, tr("Territoire", "Territory")),
                (MapExtent::Region, tr("Région", "Region")),
            ] {
                if ui
                    .selectable_label(options.extent == extent, text)
                    .on_hover_text(tr("Unités montrées par les cartes", "Units the maps show"))
                    .clicked()
                {
                    actions.push(Action::SetExtent(extent));
                }
            }
        });
        ui.horizontal(|ui| {
            ui.label(tr("Langue des figures", "Language of figures"));
            for (lang, text) in [(Lang::Fr, "Français"), (Lang::En, "English")] {
                if ui.selectable_label(options.lang == lang, text).clicked() {
                    actions.push(Action::SetLang(lang));
                }
            }
        });
        let mut same = options.same_breaks_across_years;
        if ui.checkbox(&mut same, tr("Mêmes classes pour toutes les années", "Same classes for every year")).changed()
        {
            actions.push(Action::SetSameBreaks(same));
        }
        if let Some(h) = &self.histogram {
            histogram_ui(ui, h);
        }
    }

    fn indicators_ui(&self, ui: &mut egui::Ui) {
        let Some(pack) = self.state.pack() else { return };
        egui::CollapsingHeader::new(tr("Indicateurs du pack", "Indicators of the pack")).default_open(false).show(
            ui,
            |ui| {
                let mut themes: std::collections::BTreeMap<&str, Vec<&crate::indicator::Indicator>> =
                    std::collections::BTreeMap::new();
                for indicator in pack.store.indicators() {
                    let theme = if indicator.theme.is_empty() {
                        tr("Sans thème", "No theme")
                    } else {
                        indicator.theme.as_str()
                    };
                    themes.entry(theme).or_default().push(indicator);
                }
                for (theme, indicators) in themes {
                    egui::CollapsingHeader::new(theme).show(ui, |ui| {
                        for i in indicators {
                            let years = match (i.years.first(), i.years.last()) {
                                (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
                                (Some(a), _) => a.to_string(),
                                _ => "—".to_owned(),
                            };
                            ui.label(&i.label).on_hover_ui(|ui| {
                                ui.strong(&i.label);
                                if !i.definition.is_empty() {
                                    ui.label(&i.definition);
                                }
                                ui.label(tr_format!(
                                    "Unité : {}",
                                    "Unit: {}",
                                    if i.unit.is_empty() { "—" } else { &i.unit }
                                ));
                                ui.label(tr_format!("Années : {years}", "Years: {years}"));
                                if !i.source.is_empty() {
                                    ui.label(tr_format!("Source : {}", "Source: {}", i.source));
                                }
                            });
                        }
                    });
                }
            },
        );
        if !pack.warnings.is_empty() {
            egui::CollapsingHeader::new(tr_format!(
                "Données : {} avertissement(s)",
                "Data: {} warning(s)",
                pack.warnings.len()
            ))
            .show(ui, |ui| {
                for w in &pack.warnings {
                    ui.label(w.to_string());
                }
            });
        }
    }

    fn centre_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        if self.state.draft().is_none() {
            ui.centered_and_justified(|ui| {
                if self.state.loading.is_some() {
                    ui.spinner();
                } else {
                    ui.label(tr(
                        "Aucun pack ouvert : « Ouvrir un pack… » ou « Réinitialiser ».",
                        "No pack open: “Open a pack…” or “Reset”.",
                    ));
                }
            });
            return;
        }
        match self.view {
            View::Portrait => self.grid_ui(ui, actions),
            View::Focus(index) => self.focus_ui(ui, index, actions),
        }
    }

    fn grid_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let columns = if ui.available_width() > 1100.0 { 2 } else { 1 };
        let card_width = (ui.available_width() - 24.0) / columns as f32 - 8.0;
        let mut focus = None;
        let mut clicks = Vec::new();
        let gpu = self.gpu;
        // A new territory or template starts at the top; a new classification keeps the place.
        let place = self.state.draft().map(|d| (d.territory.clone(), d.template.clone()));
        egui::ScrollArea::vertical().id_salt(("portrait", place)).show(ui, |ui| {
            egui::Grid::new("portrait").num_columns(columns).spacing([12.0, 16.0]).show(ui, |ui| {
                let portrait = self.state.portrait();
                for (index, illustration) in portrait.iter().enumerate() {
                    let size_mm = Vec2::new(illustration.figure.width_mm as f32, illustration.figure.height_mm as f32);
                    let scale = card_width / size_mm.x;
                    let detail = Detail::for_scale(scale * ui.ctx().pixels_per_point());
                    let prepared = self
                        .prepared
                        .entry((index, detail))
                        .or_insert_with(|| paint::prepare(&illustration.figure, &mut self.cache, detail));
                    ui.vertical(|ui| {
                        ui.horizontal(|ui| {
                            if ui
                                .small_button(tr("Agrandir", "Enlarge"))
                                .on_hover_text(tr_format!("Agrandir « {} »", "Enlarge “{}”", illustration.title))
                                .clicked()
                            {
                                focus = Some(index);
                            }
                            ui.add(egui::Label::new(egui::RichText::new(&illustration.title).strong()).truncate());
                        });
                        if let Some(click) = figure_ui(
                            ui,
                            &illustration.figure,
                            prepared,
                            Vec2::new(card_width, size_mm.y * scale),
                            None,
                            Look { gpu, selected: &self.zone_members, background: None },
                        ) {
                            clicks.push(click);
                        }
                    });
                    if (index + 1) % columns == 0 {
                        ui.end_row();
                    }
                }
            });
        });
        if let Some(index) = focus {
            self.view = View::Focus(index);
            self.focus_view = TSTransform::IDENTITY;
        }
        for click in clicks {
            self.click(click, actions);
        }
    }

    fn focus_ui(&mut self, ui: &mut egui::Ui, index: usize, actions: &mut Vec<Action>) {
        let Some(illustration) = self.state.portrait().get(index) else {
            self.view = View::Portrait;
            return;
        };
        let size_mm = Vec2::new(illustration.figure.width_mm as f32, illustration.figure.height_mm as f32);
        let available = ui.available_size();
        let scale = (available.x / size_mm.x).min(available.y / size_mm.y) * self.focus_view.scaling;
        let wanted = Detail::for_scale(scale * ui.ctx().pixels_per_point());
        // Another level of this figure is drawn while the wanted one is prepared on a thread (at
        // France scale, the finest takes over half a second): zooming never freezes the window.
        let nearest = self
            .prepared
            .keys()
            .filter(|(i, _)| *i == index)
            .map(|(_, d)| *d)
            .min_by_key(|d| (d.level().abs_diff(wanted.level()), std::cmp::Reverse(*d)));
        let detail = match nearest {
            Some(d) if d != wanted => {
                let key = (index, wanted);
                if self.preparing.as_ref().is_none_or(|p| p.key != key || p.revision != self.prepared_revision) {
                    self.preparing =
                        Some(Preparing::start(ui.ctx(), &illustration.figure, key, self.prepared_revision));
                }
                d
            }
            _ => wanted,
        };
        self.focus_detail = detail;
        let prepared = self
            .prepared
            .entry((index, detail))
            .or_insert_with(|| paint::prepare(&illustration.figure, &mut self.cache, detail));
        let mut back = false;
        let mut switch_basemap = None;
        let basemap_status = self.basemap.as_ref().map(Basemap::status);
        ui.horizontal_wrapped(|ui| {
            back = ui.button(tr("Retour au portrait", "Back to the portrait")).clicked();
            ui.strong(&illustration.title);
            if ui
                .button(tr("Recadrer", "Fit"))
                .on_hover_text(tr("Revient à la figure entière", "Back to the whole figure"))
                .clicked()
            {
                self.focus_view = TSTransform::IDENTITY;
            }
            if illustration.figure.georeference.is_some() {
                switch_basemap = basemap_ui(ui, basemap_status, &mut self.ground_opacity);
            }
            ui.weak(tr(
                "molette : zoom ; glisser : déplacer ; clic sur une unité : en faire le territoire",
                "wheel: zoom; drag: pan; click a unit: make it the territory",
            ));
        });
        if let Some(on) = switch_basemap {
            self.basemap = on.then(|| Basemap::new(ui.ctx(), &self.tile_server, self.tile_cache.clone()));
        }
        let mut view = self.focus_view;
        let click = figure_ui(
            ui,
            &illustration.figure,
            prepared,
            ui.available_size(),
            Some(&mut view),
            Look {
                gpu: self.gpu,
                selected: &self.zone_members,
                background: self.basemap.as_mut().map(|b| {
                    // Faded units only over a background actually shown.
                    let opacity = if b.status() == basemap::Status::Shown { self.ground_opacity } else { 1.0 };
                    (b, opacity)
                }),
            },
        );
        self.focus_view = view;
        if let Some(click) = click {
            self.click(click, actions);
        }
        if back {
            self.view = View::Portrait;
        }
    }

    /// One portrait per territory of a level, with progress and cancel.
    fn batch_ui(&self, ui: &mut egui::Ui, draft: &mut ExportDraft, levels: &[Level], actions: &mut Vec<Action>) {
        ui.label(tr(
            "Un portrait par territoire d'un niveau, dans des sous-dossiers :",
            "One portrait per territory of a level, in subfolders:",
        ));
        ui.horizontal(|ui| {
            let label = ui.label(tr("Niveau", "Level"));
            egui::ComboBox::from_id_salt("niveau-lot")
                .selected_text(
                    draft
                        .batch_level
                        .as_ref()
                        .map_or(tr("niveau…", "level…").to_owned(), |l| l.label_fr().to_owned()),
                )
                .show_ui(ui, |ui| {
                    for level in levels {
                        if ui.selectable_label(draft.batch_level.as_ref() == Some(level), level.label_fr()).clicked() {
                            draft.batch_level = Some(level.clone());
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            let can = draft.batch_level.is_some() && self.state.batch.is_none();
            if ui.add_enabled(can, egui::Button::new(tr("Exporter le lot", "Export the batch"))).clicked()
                && let Some(level) = draft.batch_level.clone()
            {
                actions.push(Action::Batch { level, dir: PathBuf::from(draft.dir.trim()), formats: draft.formats() });
            }
        });
        if let Some(batch) = &self.state.batch {
            let done = batch.done.load(std::sync::atomic::Ordering::Relaxed);
            ui.horizontal(|ui| {
                ui.add(
                    egui::ProgressBar::new(done as f32 / batch.total.max(1) as f32)
                        .text(format!("{done} / {}", batch.total))
                        .desired_width(300.0),
                );
                if ui.button(tr("Interrompre", "Stop")).clicked() {
                    actions.push(Action::CancelBatch);
                }
            });
        }
    }

    fn export_window(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let Some(mut draft) = self.export.take() else { return };
        let mut open = true;
        let mut close = false;
        let levels: Vec<Level> =
            self.state.pack().map(|p| p.territories.levels().map(|l| l.level.clone()).collect()).unwrap_or_default();
        let focused = match self.view {
            View::Focus(i) => Some(i),
            View::Portrait => None,
        };
        dialog(tr("Exporter", "Export"), &mut open).resizable(false).show(ctx, |ui| {
            let label = ui.label(tr("Dossier d'export", "Export folder"));
            ui.horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(&mut draft.dir).desired_width(420.0)).labelled_by(label.id);
                browse_ui(ui, &mut draft.dir, Pick::Folder);
            });
            ui.horizontal(|ui| {
                ui.checkbox(&mut draft.svg, tr("SVG (Inkscape, Illustrator)", "SVG (Inkscape, Illustrator)"));
                ui.checkbox(&mut draft.csv, "CSV");
                ui.checkbox(&mut draft.pdf, "PDF");
            });
            ui.horizontal(|ui| {
                ui.checkbox(&mut draft.png, "PNG");
                ui.add_enabled(draft.png, egui::DragValue::new(&mut draft.dpi).range(72..=600).suffix(" dpi"));
            });
            ui.checkbox(&mut draft.portrait_pdf, tr("Un PDF de tout le portrait", "One PDF of the whole portrait"));
            ui.checkbox(
                &mut draft.international,
                tr("CSV international (« , » et « . »)", "International CSV (“,” and “.”)"),
            );
            ui.separator();
            let request = |only: Option<usize>| ExportRequest {
                dir: PathBuf::from(draft.dir.trim()),
                formats: draft.formats(),
                portrait_pdf: draft.portrait_pdf && only.is_none(),
                csv_style: if draft.international { CsvStyle::International } else { CsvStyle::French },
                only,
            };
            ui.horizontal(|ui| {
                if ui.button(tr("Exporter le portrait", "Export the portrait")).clicked() {
                    actions.push(Action::Export(request(None)));
                    close = true;
                }
                if let Some(i) = focused
                    && ui.button(tr("Exporter la figure affichée", "Export the figure shown")).clicked()
                {
                    actions.push(Action::Export(request(Some(i))));
                    close = true;
                }
            });
            ui.separator();
            self.batch_ui(ui, &mut draft, &levels, actions);
        });
        if open && !close {
            self.export = Some(draft);
        }
    }

    fn open_window(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let Some(mut path) = self.open_dialog.take() else { return };
        let mut open = true;
        let mut done = false;
        dialog(tr("Ouvrir un pack", "Open a pack"), &mut open).show(ctx, |ui| {
            let label = ui.label(tr(
                "Dossier du pack (ou son pack.toml, ou le pack en .zip)",
                "Pack folder (or its pack.toml, or the pack as a .zip)",
            ));
            ui.horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(&mut path).desired_width(420.0)).labelled_by(label.id);
                browse_ui(ui, &mut path, Pick::Folder);
            });
            if ui.button(tr("Ouvrir", "Open")).clicked() {
                actions.push(Action::OpenPack(PathBuf::from(path.trim())));
                done = true;
            }
            if !self.settings.recent.is_empty() {
                ui.separator();
                ui.label(tr("Récents", "Recent"));
                for recent in &self.settings.recent {
                    if ui.button(recent.display().to_string()).clicked() {
                        actions.push(Action::OpenPack(recent.clone()));
                        done = true;
                    }
                }
            }
        });
        if open && !done {
            self.open_dialog = Some(path);
        }
    }
}

impl IndicartoApp {
    fn quick_window(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let Some(mut draft) = self.quick_dialog.take() else { return };
        let mut open = true;
        let mut done = false;
        let options = self.state.draft().map(|d| d.options.clone()).unwrap_or_default();
        dialog(tr("Carte rapide", "Quick map"), &mut open).show(ctx, |ui| {
            egui::Grid::new("carte-rapide").num_columns(2).show(ui, |ui| {
                for (label, field, hint) in [
                    (
                        tr("Contours (.shp, .geojson)", "Boundaries (.shp, .geojson)"),
                        &mut draft.boundaries,
                        "communes.shp",
                    ),
                    (tr("Données (.csv)", "Data (.csv)"), &mut draft.data, "mes_donnees.csv"),
                    (
                        tr("Jointure (CODE ou CHAMP=COLONNE)", "Join (CODE or FIELD=COLUMN)"),
                        &mut draft.join,
                        "INSEE_COM=codgeo",
                    ),
                    (tr("Colonne des valeurs", "Value column"), &mut draft.value, "taux"),
                ] {
                    let label = ui.label(label);
                    ui.horizontal(|ui| {
                        ui.add(egui::TextEdit::singleline(&mut *field).hint_text(hint).desired_width(360.0))
                            .labelled_by(label.id);
                        let pick = match hint {
                            "communes.shp" => Some(Pick::Boundaries),
                            "mes_donnees.csv" => Some(Pick::Csv),
                            _ => None,
                        };
                        if let Some(pick) = pick {
                            browse_ui(ui, field, pick);
                        }
                    });
                    ui.end_row();
                }
            });
            ui.checkbox(&mut draft.circles, tr("Cercles proportionnels (effectifs)", "Proportional circles (counts)"));
            ui.weak(tr(
                "Classification, palette et langue : celles du panneau « Cartes ».",
                "Classification, palette and language: those of the “Maps” panel.",
            ));
            let ready =
                [&draft.boundaries, &draft.data, &draft.join, &draft.value].iter().all(|f| !f.trim().is_empty());
            if ui.add_enabled(ready, egui::Button::new(tr("Dessiner la carte", "Draw the map"))).clicked() {
                actions.push(Action::QuickMap(Box::new(crate::quickmap::QuickMapRequest {
                    source: crate::quickmap::QuickMapSource {
                        boundaries: PathBuf::from(draft.boundaries.trim()),
                        level: None,
                        data: PathBuf::from(draft.data.trim()),
                        join: crate::quickmap::Join::parse(&draft.join),
                        value: draft.value.trim().to_owned(),
                        assume_crs: None,
                    },
                    style: crate::quickmap::QuickMapStyle {
                        symbol: if draft.circles {
                            crate::quickmap::Symbol::Circles
                        } else {
                            crate::quickmap::Symbol::Choropleth
                        },
                        method: options.method.clone(),
                        classes: options.classes,
                        palette: Some(options.palette.clone()),
                        title: None,
                        source_line: None,
                        lang: options.lang,
                    },
                })));
                self.quick_last = draft.clone();
                done = true;
            }
        });
        if open && !done {
            self.quick_dialog = Some(draft);
        }
    }
}

impl IndicartoApp {
    fn click(&mut self, click: FigureClick, actions: &mut Vec<Action>) {
        match click {
            FigureClick::Select(unit) => actions.push(Action::SelectTerritory(unit)),
            FigureClick::Toggle(unit) => self.toggle_zone_member(unit),
        }
    }

    fn toggle_zone_member(&mut self, unit: TerritoryRef) {
        if let Some(i) = self.zone_members.iter().position(|m| *m == unit) {
            self.zone_members.remove(i);
        } else {
            self.zone_members.push(unit);
        }
    }

    /// The custom zone being made (units from the search or Shift+click on a map), and the zones
    /// already made.
    fn zone_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let zones = self.state.custom_zones();
        let header = if self.zone_members.is_empty() && zones.is_empty() {
            tr("Zone personnalisée", "Custom zone").to_owned()
        } else {
            tr_format!("Zone personnalisée ({})", "Custom zone ({})", self.zone_members.len())
        };
        egui::CollapsingHeader::new(header)
            .id_salt("zone-perso")
            // Open while a zone is being made, so its units and its name field show.
            .open(if self.zone_members.is_empty() { None } else { Some(true) })
            .show(ui, |ui| {
                ui.weak(tr(
                    "Choisissez des unités : « + zone » dans la recherche, ou Maj+clic sur une carte.",
                    "Pick units: “+ zone” in the search, or Shift+click on a map.",
                ));
                let mut remove = None;
                ui.horizontal_wrapped(|ui| {
                    for (i, member) in self.zone_members.iter().enumerate() {
                        let name = self.state.display_name(member);
                        if ui
                            .small_button(format!("{name}  ×"))
                            .on_hover_text(tr("Retirer de la zone", "Remove from the zone"))
                            .clicked()
                        {
                            remove = Some(i);
                        }
                    }
                });
                if let Some(i) = remove {
                    self.zone_members.remove(i);
                }
                let label = ui.label(tr("Nom de la zone", "Zone name"));
                ui.add(
                    egui::TextEdit::singleline(&mut self.zone_name)
                        .hint_text(tr("ex. Amiens et voisines", "e.g. Amiens and neighbours")),
                )
                .labelled_by(label.id);
                let ready = !self.zone_members.is_empty() && !self.zone_name.trim().is_empty();
                if ui.add_enabled(ready, egui::Button::new(tr("Enregistrer la zone", "Save the zone"))).clicked() {
                    actions.push(Action::SaveCustomZone {
                        name: self.zone_name.trim().to_owned(),
                        members: std::mem::take(&mut self.zone_members),
                    });
                    self.zone_name.clear();
                }
                if !zones.is_empty() {
                    ui.label(tr("Zones enregistrées", "Saved zones"));
                    for zone in zones {
                        ui.horizontal(|ui| {
                            if ui
                                .button(&zone.name)
                                .on_hover_text(tr("En faire le territoire d'analyse", "Make it the analysis territory"))
                                .clicked()
                            {
                                actions.push(Action::SelectTerritory(zone.zone.clone()));
                            }
                            let describe = tr_format!("Supprimer la zone {}", "Delete the zone {}", zone.name);
                            let delete = ui.small_button("×").on_hover_text(&describe);
                            delete.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &describe));
                            if delete.clicked() {
                                actions.push(Action::RemoveCustomZone(zone.zone.clone()));
                            }
                        });
                    }
                }
            });
    }

    fn open_project_dialog(&mut self) {
        let base = self.settings.export_dir.clone().unwrap_or_else(default_export_dir);
        let name = self
            .state
            .draft()
            .and_then(|d| self.state.territory(&d.territory))
            .map_or_else(|| "projet".to_owned(), |t| slug(&format!("{}-{}", t.code, t.name)));
        let path = base.join(format!("{name}.{}", super::project::EXTENSION));
        self.project_dialog = Some(path.display().to_string());
    }

    fn project_window(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let Some(mut path) = self.project_dialog.take() else { return };
        let mut open = true;
        let mut done = false;
        dialog(tr("Projet", "Project"), &mut open)
            .show(ctx, |ui| {
                ui.label(tr("Le territoire, les zones de comparaison, le modèle, l'année et les réglages des cartes, avec le pack utilisé.", "The territory, comparison zones, template, year and map settings, with the pack used."));
                let label = ui.label(tr("Fichier de projet", "Project file"));
                ui.add(egui::TextEdit::singleline(&mut path).desired_width(520.0)).labelled_by(label.id);
                ui.horizontal(|ui| {
                    browse_ui(ui, &mut path, Pick::SaveProject);
                    ui.weak(tr("pour enregistrer", "to save"));
                    browse_ui(ui, &mut path, Pick::OpenProject);
                    ui.weak(tr("pour ouvrir", "to open"));
                });
                ui.horizontal(|ui| {
                    let can_save = self.state.draft().is_some();
                    if ui.add_enabled(can_save, egui::Button::new(tr("Enregistrer le projet", "Save the project"))).clicked() {
                        actions.push(Action::SaveProject(PathBuf::from(path.trim())));
                        done = true;
                    }
                    if ui.button(tr("Ouvrir le projet", "Open the project")).clicked() {
                        actions.push(Action::OpenProject(PathBuf::from(path.trim())));
                        done = true;
                    }
                });
            });
        if open && !done {
            self.project_dialog = Some(path);
        }
    }
}

impl eframe::App for IndicartoApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.gpu = frame.gl().is_some() && std::env::var_os("INDICARTO_NO_GPU_MESHES").is_none();
        let start = std::time::Instant::now();
        IndicartoApp::ui(self, ui);
        if self.frame_log.is_some() {
            let context = match self.view {
                View::Portrait => format!("portrait, {} figures", self.state.portrait().len()),
                View::Focus(i) => format!(
                    "figure {i} agrandie, {:?}, {} triangles",
                    self.focus_detail,
                    self.prepared.get(&(i, self.focus_detail)).map_or(0, |p| p.triangles)
                ),
            };
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
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}

fn short_path(path: &std::path::Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn default_export_dir() -> PathBuf {
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")).map(PathBuf::from);
    home.unwrap_or_else(|| PathBuf::from(".")).join("Indicarto")
}

/// The level of the units a map layer shows, from its id.
fn level_of_layer(id: &str) -> Option<Level> {
    match id {
        "communes" => Some(Level::Commune),
        "epci" => Some(Level::Epci),
        "departements" => Some(Level::Departement),
        "regions" => Some(Level::Region),
        _ => None,
    }
}

/// Paints a figure in `size`, with hover tooltip and outline; with `view`, pan and zoom. Returns
/// the action of a click on a map unit.
fn figure_ui(
    ui: &mut egui::Ui,
    figure: &Figure,
    prepared: &PreparedFigure,
    size: Vec2,
    view: Option<&mut TSTransform>,
    look: Look<'_>,
) -> Option<FigureClick> {
    let Look { gpu, selected, background } = look;
    let sense = if view.is_some() { Sense::click_and_drag() } else { Sense::click() };
    let (rect, response) = ui.allocate_exact_size(size, sense);
    if !ui.is_rect_visible(rect) {
        return None;
    }
    let fit = (rect.width() / prepared.size_mm.x).min(rect.height() / prepared.size_mm.y);
    let offset = rect.center() - prepared.size_mm * fit / 2.0;
    let base = TSTransform::new(offset.to_vec2(), fit);
    let mut transform = base;
    if let Some(view) = view {
        if response.dragged() {
            *view = TSTransform::from_translation(response.drag_delta()) * *view;
        }
        if response.hovered() {
            let (scroll, zoom) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
            let factor = zoom * (scroll / 400.0).exp();
            if (factor - 1.0).abs() > 1e-4
                && let Some(pointer) = response.hover_pos()
            {
                let zoomed = (view.scaling * factor).clamp(0.5, 40.0) / view.scaling;
                *view = TSTransform::from_translation(pointer.to_vec2())
                    * TSTransform::from_scaling(zoomed)
                    * TSTransform::from_translation(-pointer.to_vec2())
                    * *view;
            }
        }
        transform = *view * base;
    }
    let painter = ui.painter_at(rect);
    match (background, &figure.georeference) {
        (Some((basemap, opacity)), Some(georeference)) => {
            paint::paint_page(&painter, prepared, transform);
            basemap.paint(&painter, georeference, transform, ui.ctx().pixels_per_point());
            paint::paint_marks(&painter, prepared, transform, gpu, opacity);
        }
        _ => paint::paint(&painter, prepared, transform, gpu),
    }
    if !selected.is_empty() {
        selection_ui(&painter, figure, transform, selected);
    }
    let hovered = response.hover_pos()?;
    let at = transform.inverse() * hovered;
    let (layer, tag, outline) = paint::hit(figure, prepared, at)?;
    for ring in outline {
        let points: Vec<Pos2> = ring.into_iter().map(|p| transform * p).collect();
        painter.add(egui::Shape::closed_line(points, egui::Stroke::new(2.0, Color32::from_rgb(20, 20, 20))));
    }
    let level = level_of_layer(layer);
    let mut tooltip = response.clone().on_hover_ui_at_pointer(|ui| {
        ui.strong(&tag.name);
        if !tag.code.is_empty() && level.is_some() {
            ui.label(tr_format!("code {}", "code {}", tag.code));
        }
        if !tag.label.is_empty() {
            ui.label(&tag.label);
        } else if let Some(status) = tag.status {
            ui.label(if status == "secret" {
                tr("secret statistique", "statistical secrecy")
            } else {
                tr("donnée non disponible", "no data")
            });
        }
        if level.is_some() {
            ui.weak(tr("clic : en faire le territoire d'analyse", "click: make it the analysis territory"));
            ui.weak(tr("Maj+clic : l'ajouter à la zone en cours", "Shift+click: add it to the zone being made"));
        }
    });
    tooltip = tooltip.on_hover_cursor(if level.is_some() {
        egui::CursorIcon::PointingHand
    } else {
        egui::CursorIcon::Default
    });
    if tooltip.clicked()
        && let Some(level) = level
    {
        let unit = TerritoryRef::new(level, &tag.code);
        return Some(if ui.input(|i| i.modifiers.shift) {
            FigureClick::Toggle(unit)
        } else {
            FigureClick::Select(unit)
        });
    }
    None
}

/// The tile background's switch, its status, and the opacity of the units over it; `Some(on)` when
/// the switch was clicked.
fn basemap_ui(ui: &mut egui::Ui, status: Option<basemap::Status>, opacity: &mut f32) -> Option<bool> {
    let mut switch = None;
    let mut on = status.is_some();
    if ui
        .checkbox(&mut on, tr("Fond OpenStreetMap", "OpenStreetMap background"))
        .on_hover_text(tr(
            "Tuiles téléchargées d'OpenStreetMap sous la carte, pour se repérer ; jamais exportées",
            "Tiles downloaded from OpenStreetMap under the map, to find one's way; never exported",
        ))
        .changed()
    {
        switch = Some(on);
    }
    match status {
        Some(basemap::Status::Loading) => {
            ui.weak(tr("chargement des tuiles…", "loading tiles…"));
        }
        Some(basemap::Status::Unavailable) => {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                tr("Fond de carte indisponible (hors ligne ?)", "Background unavailable (offline?)"),
            )
            .on_hover_text(tr(
                "Le serveur de tuiles ne répond pas : la carte reste utilisable sans fond.",
                "The tile server does not answer: the map works without a background.",
            ));
        }
        Some(basemap::Status::Shown) | None => {}
    }
    if status == Some(basemap::Status::Shown) {
        ui.add(
            egui::Slider::new(opacity, 0.2..=1.0)
                .text(tr("opacité des aplats", "fill opacity"))
                .custom_formatter(|v, _| format!("{:.0} %", v * 100.0)),
        );
    }
    switch
}

/// How a figure is painted beyond its own marks.
struct Look<'a> {
    /// Meshes from GPU buffers (glow renderer).
    gpu: bool,
    /// Units of the custom zone being made, outlined.
    selected: &'a [TerritoryRef],
    /// The tile background and the opacity of the units over it.
    background: Option<(&'a mut Basemap, f32)>,
}

/// A click on a map unit.
enum FigureClick {
    /// Make it the analysis territory.
    Select(TerritoryRef),
    /// Add it to (or remove it from) the custom zone being made.
    Toggle(TerritoryRef),
}

/// Outlines the units of the custom zone being made, on top of the figure.
fn selection_ui(painter: &egui::Painter, figure: &Figure, transform: TSTransform, selected: &[TerritoryRef]) {
    let stroke = egui::Stroke::new(2.5, Color32::from_rgb(230, 90, 0));
    for layer in &figure.layers {
        let Some(level) = level_of_layer(&layer.id) else { continue };
        for mark in &layer.marks {
            let crate::figure::Mark::Path { rings, tag: Some(tag), .. } = mark else { continue };
            if !selected.iter().any(|s| s.level == level && s.code.as_str() == tag.code) {
                continue;
            }
            for ring in rings {
                let points: Vec<Pos2> = ring.iter().map(|p| transform * Pos2::new(p[0] as f32, p[1] as f32)).collect();
                painter.add(egui::Shape::closed_line(points, stroke));
            }
        }
    }
}

const BINS: usize = 40;

/// The distribution of a map's values and its class bounds, computed once per portrait revision
/// (parsing and sorting France's 34,738 values at every frame cost 6 ms).
pub struct Histogram {
    count: usize,
    min: f64,
    max: f64,
    log: bool,
    counts: [usize; BINS],
    /// Colour of each bar: the class of its middle value.
    fills: [Color32; BINS],
    breaks: Vec<f64>,
    classed: bool,
}

/// The histogram of the first map of a portrait. Skewed positive values (densities, populations)
/// go on a logarithmic axis, else every unit would fall in the first bar.
fn histogram(figure: &Figure, options: &crate::portrait::MapOptions) -> Option<Histogram> {
    let units = figure.layers.iter().find(|l| level_of_layer(&l.id).is_some())?;
    let tags = || {
        units.marks.iter().filter_map(|m| match m {
            crate::figure::Mark::Path { tag: Some(t), .. } | crate::figure::Mark::Circle { tag: Some(t), .. } => {
                Some(t)
            }
            _ => None,
        })
    };
    let mut values: Vec<f64> = tags()
        .filter_map(|t| t.value.as_deref().and_then(|v| v.parse::<f64>().ok()))
        .filter(|v| v.is_finite())
        .collect();
    if values.len() < 2 {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let (min, max) = (values[0], values[values.len() - 1]);
    if max <= min {
        return None;
    }
    let log = min > 0.0 && max / min > 50.0;
    let axis = |v: f64| if log { v.log10() } else { v };
    let (lo, hi) = (axis(min), axis(max));
    // Proportional circles have no classes: the distribution alone, without bounds.
    let classed = tags().any(|t| t.class.is_some());
    let classification = if classed { classify(&values, &options.method, options.classes).ok() } else { None };
    let colors = classification
        .as_ref()
        .and_then(|c| crate::palette::palette(&options.palette)?.colors_for_classes(c.n_classes()))
        .unwrap_or_default();
    let mut counts = [0usize; BINS];
    for v in &values {
        let b = (((axis(*v) - lo) / (hi - lo)) * BINS as f64) as usize;
        counts[b.min(BINS - 1)] += 1;
    }
    let mut fills = [Color32::from_rgb(150, 150, 150); BINS];
    for (i, fill) in fills.iter_mut().enumerate() {
        let centre = lo + (i as f64 + 0.5) / BINS as f64 * (hi - lo);
        let value = if log { 10f64.powf(centre) } else { centre };
        if let Some(c) = classification.as_ref().and_then(|c| c.class_of(value)).and_then(|c| colors.get(c)) {
            *fill = Color32::from_rgb(c.0, c.1, c.2);
        }
    }
    let breaks = classification.map(|c| c.breaks).unwrap_or_default();
    Some(Histogram { count: values.len(), min, max, log, counts, fills, breaks, classed })
}

/// Draws the histogram: bars in the class colours, bounds as lines.
fn histogram_ui(ui: &mut egui::Ui, h: &Histogram) {
    let axis = |v: f64| if h.log { v.log10() } else { v };
    let (lo, hi) = (axis(h.min), axis(h.max));
    ui.label(tr_format!(
        "Distribution des {} valeurs de la carte{}",
        "Distribution of the map's {} values{}",
        h.count,
        if h.log { tr(" (échelle logarithmique)", " (logarithmic scale)") } else { "" }
    ));
    let (rect, response) = ui.allocate_exact_size(Vec2::new(ui.available_width().min(280.0), 90.0), Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 2.0, Color32::WHITE);
    let tallest = h.counts.iter().copied().max().unwrap_or(1).max(1) as f32;
    let x_of = |v: f64| rect.left() + ((axis(v) - lo) / (hi - lo)) as f32 * rect.width();
    let bar = rect.width() / BINS as f32;
    for (i, n) in h.counts.iter().enumerate() {
        let height = (*n as f32 / tallest) * (rect.height() - 6.0);
        let left = rect.left() + i as f32 * bar;
        let bar_rect = Rect::from_min_max(
            Pos2::new(left, rect.bottom() - height.max(1.0)),
            Pos2::new(left + bar - 1.0, rect.bottom()),
        );
        painter.rect_filled(bar_rect, 0.0, h.fills[i]);
        painter.rect_stroke(bar_rect, 0.0, egui::Stroke::new(0.5, Color32::from_gray(90)), egui::StrokeKind::Inside);
    }
    for b in &h.breaks {
        let x = x_of(*b);
        painter.line_segment(
            [Pos2::new(x, rect.top()), Pos2::new(x, rect.bottom())],
            egui::Stroke::new(1.0, Color32::from_rgb(30, 30, 30)),
        );
    }
    let bounds: Vec<String> = h.breaks.iter().map(|b| ui_number(*b)).collect();
    response.on_hover_text(tr_format!("Bornes : {}", "Bounds: {}", bounds.join(" ; ")));
    ui.weak(if h.classed {
        tr_format!(
            "min {} — max {} ; traits : bornes des classes",
            "min {} — max {}; lines: class bounds",
            ui_number(h.min),
            ui_number(h.max)
        )
    } else {
        tr_format!(
            "min {} — max {} ; cercles proportionnels, sans classes",
            "min {} — max {}; proportional circles, no classes",
            ui_number(h.min),
            ui_number(h.max)
        )
    });
}
