//! The application state and the actions that change it. No egui here: the window only reads the
//! state and emits [`Action`]s, so every user flow is testable without a window, and undo and redo
//! walk a [`History`] of drafts. The state owns the window's language too ([`AppState::lang`]):
//! the FR/EN switch is an action like any other, undone like any other.
//!
//! Depends on the library, `gui/draft` and `gui/project`; never on egui nor on the window's
//! modules.
//!
//! Long work (opening a pack, exporting, batches) runs on background threads; [`AppState::poll`]
//! collects their results once per frame.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

use crate::batch::{BatchOptions, BatchReport, run_batch};
use crate::classify::Method;
use crate::code::Level;
use crate::export::csv::CsvStyle;
use crate::export::files::{ExportError, Formats};
use crate::pack::{Pack, PackError};
use crate::portrait::{
    Illustration, IllustrationKind, MapExtent, MapOptions, PortraitError, PortraitPdf, Selection, TerritoryRef,
    WriteOptions, Written, build_portrait, default_comparisons, template, write_portrait,
};
use crate::quickmap::{QuickMap, QuickMapData, QuickMapError, QuickMapRequest, QuickMapStyle};

use crate::territory::Territory;
use crate::text::Lang;

use super::draft::{Draft, History, Step};
use super::project::Project;

/// Severity of a message in the messages panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Something failed; the state is unchanged.
    Error,
    /// Partial problem in the data (unmatched codes…).
    Warning,
    /// Done (export written…).
    Info,
}

/// One line of the messages panel, with the message the core produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// How the panel shows it (error, warning, done).
    pub severity: Severity,
    /// The message, as the core wrote it (French, naming the file and the place).
    pub text: String,
}

/// What to export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRequest {
    /// Target folder; created if needed.
    pub dir: PathBuf,
    /// Formats of every figure.
    pub formats: Formats,
    /// One multi-page PDF of the whole portrait.
    pub portrait_pdf: bool,
    /// CSV dialect.
    pub csv_style: CsvStyle,
    /// One figure (index in the portrait), or all of them.
    pub only: Option<usize>,
}

/// Everything the user can do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Makes a territory the analysis territory; comparison zones are proposed again.
    SelectTerritory(TerritoryRef),
    /// Adds a comparison zone.
    AddComparison(TerritoryRef),
    /// Removes a comparison zone.
    RemoveComparison(TerritoryRef),
    /// Picks a template by id.
    SetTemplate(String),
    /// Picks a year (`None`: latest of each indicator).
    SetYear(Option<i32>),
    /// Classification method.
    SetMethod(Method),
    /// Number of classes.
    SetClasses(usize),
    /// ColorBrewer palette.
    SetPalette(String),
    /// Units the maps show.
    SetExtent(MapExtent),
    /// Same breaks across years.
    SetSameBreaks(bool),
    /// The language of the window and of the figures (the FR/EN switch): one step, undone as one.
    SetLang(Lang),
    /// The language of the figures only (the window keeps its own).
    SetFigureLang(Lang),
    /// Back to the previous step.
    Undo,
    /// Forward again to the step undone last.
    Redo,
    /// Opens a pack (background thread).
    OpenPack(PathBuf),
    /// Back to the bundled sample and default settings (trainer mode).
    Reset,
    /// Exports the portrait or one figure (background thread).
    Export(ExportRequest),
    /// Exports a portrait for every territory of a level (background thread, cancellable).
    Batch {
        /// The level whose every territory gets a portrait.
        level: Level,
        /// Target folder.
        dir: PathBuf,
        /// The files of each figure.
        formats: Formats,
    },
    /// Asks the running batch to stop.
    CancelBatch,
    /// Removes one message.
    DismissMessage(usize),
    /// Saves a custom zone made of these units and makes it the analysis territory.
    SaveCustomZone {
        /// Its name.
        name: String,
        /// Its units (communes, EPCI…; upper levels count by their communes).
        members: Vec<TerritoryRef>,
    },
    /// Removes a custom zone (from the comparisons too; the territory falls back to the default).
    RemoveCustomZone(TerritoryRef),
    /// Saves the analysis as a project file (atomically).
    SaveProject(PathBuf),
    /// Reopens a project file (its pack first, when another one is open).
    OpenProject(PathBuf),
    /// A quick map from any boundary file and CSV (background thread); the portrait comes back
    /// with the next change of territory or template.
    QuickMap(Box<QuickMapRequest>),
}

/// A running batch, seen from the window.
#[derive(Debug)]
pub struct BatchProgress {
    /// Territories done.
    pub done: Arc<AtomicUsize>,
    /// Territories in all.
    pub total: usize,
    /// Set to stop.
    pub cancel: Arc<AtomicBool>,
}

/// What a background job sends back to [`AppState::poll`].
enum JobResult {
    /// A pack opened (or not) from this path.
    Pack(PathBuf, Result<Box<Pack>, PackError>),
    /// An export into this folder.
    Export(PathBuf, Result<Written, ExportError>),
    /// A batch into this folder.
    Batch(PathBuf, Result<BatchReport, PortraitError>),
    /// A quick map drawn; the data when it was loaded for it.
    Quick(Box<QuickOutcome>),
}

/// A quick map drawn, with the data when it was loaded for it (kept for the next drawings).
type QuickOutcome = Result<(QuickMap, Option<Arc<QuickMapData>>), QuickMapError>;

/// The application state.
pub struct AppState {
    pack: Option<Arc<Pack>>,
    /// Where the pack was opened from.
    pub pack_path: PathBuf,
    sample_path: PathBuf,
    draft: Option<Draft>,
    history: History,
    /// The window's language, and the one a newly opened pack's figures start in: its one owner.
    lang: Lang,
    portrait: Vec<Illustration>,
    /// Increased whenever the portrait changes, so the window knows when to re-tessellate.
    pub revision: u64,
    /// The messages panel.
    pub messages: Vec<Message>,
    /// A pack is being opened.
    pub loading: Option<PathBuf>,
    /// Exports under way.
    pub exporting: usize,
    /// The running batch.
    pub batch: Option<BatchProgress>,
    /// Folder of the last export.
    pub last_export: Option<PathBuf>,
    /// The quick map shown instead of the portrait.
    pub quick: Option<QuickMapRequest>,
    /// A quick map is being drawn.
    pub drawing: bool,
    /// The data of the last quick map, kept so that re-classifying does not read the files again.
    quick_data: Option<Arc<QuickMapData>>,
    /// A project waiting for its pack to load.
    pending_project: Option<Project>,
    sender: mpsc::Sender<JobResult>,
    receiver: mpsc::Receiver<JobResult>,
    /// Called when a background job ends (the window asks for a repaint).
    wake: Arc<dyn Fn() + Send + Sync>,
}

impl AppState {
    /// A state with no pack yet, its window in `lang`; call [`AppState::apply`] with
    /// [`Action::OpenPack`] or [`Action::Reset`] to load one.
    pub fn new(sample_path: PathBuf, lang: Lang, wake: Arc<dyn Fn() + Send + Sync>) -> Self {
        let (sender, receiver) = mpsc::channel();
        AppState {
            pack: None,
            pack_path: sample_path.clone(),
            sample_path,
            draft: None,
            history: History::default(),
            lang,
            portrait: Vec::new(),
            revision: 0,
            messages: Vec::new(),
            loading: None,
            exporting: 0,
            batch: None,
            last_export: None,
            quick: None,
            drawing: false,
            pending_project: None,
            quick_data: None,
            sender,
            receiver,
            wake,
        }
    }

    /// The open pack.
    #[must_use]
    pub fn pack(&self) -> Option<&Pack> {
        self.pack.as_deref()
    }

    /// The current choices.
    #[must_use]
    pub fn draft(&self) -> Option<&Draft> {
        self.draft.as_ref()
    }

    /// The figures of the current portrait.
    #[must_use]
    pub fn portrait(&self) -> &[Illustration] {
        &self.portrait
    }

    /// The window's language (the figures have theirs in the draft's options).
    #[must_use]
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Whether an undo step exists.
    #[must_use]
    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    /// Whether a redo step exists.
    #[must_use]
    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// A territory by reference.
    #[must_use]
    pub fn territory(&self, r: &TerritoryRef) -> Option<&Territory> {
        self.pack()?.territories.get(&r.level, &r.code)
    }

    /// "Amiens (commune)", the level named in the figures' language.
    #[must_use]
    pub fn display_name(&self, r: &TerritoryRef) -> String {
        let lang = self.draft.as_ref().map_or(self.lang, |d| d.options.lang);
        match self.territory(r) {
            Some(t) if t.level == Level::France => t.name.clone(),
            Some(t) => format!("{} ({})", t.name, t.level.label(lang)),
            None => format!("{} ({})", r.code, r.level.label(lang)),
        }
    }

    /// Whether background work is under way.
    #[must_use]
    pub fn busy(&self) -> bool {
        self.loading.is_some() || self.exporting > 0 || self.batch.is_some() || self.drawing
    }

    fn error(&mut self, text: String) {
        self.messages.push(Message { severity: Severity::Error, text });
    }

    fn info(&mut self, text: String) {
        self.messages.push(Message { severity: Severity::Info, text });
    }

    fn file_warnings(&mut self, warnings: &[crate::portrait::FileWarning]) {
        for warning in warnings {
            self.messages.push(Message { severity: Severity::Warning, text: warning.to_string() });
        }
    }

    /// The PDF of the whole portrait on screen: none for a quick map, which has no template.
    fn portrait_pdf(&self) -> Option<PortraitPdf> {
        if self.quick.is_some() {
            return None;
        }
        let (pack, draft) = (self.pack()?, self.draft()?);
        let template = template(pack, Some(&draft.template)).ok()?;
        Some(PortraitPdf::new(template, self.territory(&draft.territory).map_or("", |t| t.name.as_str())))
    }

    /// Applies one action.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::OpenPack(path) => self.open_pack(path),
            Action::Reset => {
                // The window's language is the user's, not a setting of the analysis: it stays, and
                // the sample's figures open in it.
                self.history.clear();
                self.messages.clear();
                self.open_pack(self.sample_path.clone());
            }
            Action::Undo => {
                if let Some(previous) = self.current_step().and_then(|current| self.history.undo(current)) {
                    self.restore(previous);
                }
            }
            Action::Redo => {
                if let Some(next) = self.current_step().and_then(|current| self.history.redo(current)) {
                    self.restore(next);
                }
            }
            // No analysis yet (a pack is loading): only the window changes, and the figures start
            // in its language.
            Action::SetLang(lang) if self.draft.is_none() => self.lang = lang,
            Action::DismissMessage(index) => {
                if index < self.messages.len() {
                    self.messages.remove(index);
                }
            }
            Action::Export(request) => self.export(request),
            Action::Batch { level, dir, formats } => self.start_batch(level, dir, formats),
            Action::QuickMap(request) => self.draw_quick_map(*request),
            Action::SaveProject(path) => self.save_project(&path),
            Action::SaveCustomZone { name, members } => self.save_custom_zone(&name, &members),
            Action::RemoveCustomZone(zone) => self.remove_custom_zone(&zone),
            Action::OpenProject(path) => self.open_project(&path),
            Action::CancelBatch => {
                if let Some(batch) = &self.batch {
                    batch.cancel.store(true, Ordering::Relaxed);
                }
            }
            edit => self.edit(edit),
        }
    }

    /// The step on screen: the draft and the window's language.
    fn current_step(&self) -> Option<Step> {
        self.draft.clone().map(|draft| Step { draft, lang: self.lang })
    }

    /// Shows a step of the history again, on the quick map when one is shown.
    fn restore(&mut self, step: Step) {
        self.lang = step.lang;
        let quick = self.quick.clone().map(|request| restyled(request, &step.draft.options));
        self.draft = Some(step.draft);
        match quick {
            Some(request) => self.draw_quick_map(request),
            None => {
                self.rebuild();
            }
        }
    }

    /// The actions that change the draft or the language: one undo step each.
    fn edit(&mut self, action: Action) {
        let (Some(pack), Some(before)) = (self.pack.clone(), self.current_step()) else {
            return;
        };
        let mut next = before.clone();
        let draft = &mut next.draft;
        match action {
            Action::SelectTerritory(territory) => {
                if pack.territories.get(&territory.level, &territory.code).is_none() {
                    self.error(format!("territoire {} inconnu au niveau {}", territory.code, territory.level));
                    return;
                }
                draft.comparisons = default_comparisons(&pack, &territory);
                draft.territory = territory;
            }
            Action::AddComparison(zone) => {
                if zone != draft.territory && !draft.comparisons.contains(&zone) {
                    draft.comparisons.push(zone);
                }
            }
            Action::RemoveComparison(zone) => draft.comparisons.retain(|z| *z != zone),
            Action::SetTemplate(id) => draft.template = id,
            Action::SetYear(year) => draft.year = year,
            Action::SetMethod(method) => draft.options.method = method,
            Action::SetClasses(n) => draft.options.classes = n,
            Action::SetPalette(name) => draft.options.palette = name,
            Action::SetExtent(extent) => draft.options.extent = extent,
            Action::SetSameBreaks(same) => draft.options.same_breaks_across_years = same,
            Action::SetLang(lang) => {
                draft.options.lang = lang;
                next.lang = lang;
            }
            Action::SetFigureLang(lang) => draft.options.lang = lang,
            _ => return,
        }
        if next == before {
            return;
        }
        if let Some(request) = self.quick.clone() {
            let (a, b) = (&before.draft, &next.draft);
            if a.territory == b.territory && a.comparisons == b.comparisons && a.template == b.template {
                // The quick map is on screen: the classification and the language apply to it.
                let request = restyled(request, &b.options);
                self.history.record(before);
                self.lang = next.lang;
                self.draft = Some(next.draft);
                self.draw_quick_map(request);
                return;
            }
            self.quick = None;
        }
        self.lang = next.lang;
        self.draft = Some(next.draft);
        if self.rebuild() {
            self.history.record(before);
        } else {
            // The core refused the change (a count as a choropleth, too many classes…): keep the
            // previous portrait, with the message in the panel.
            self.lang = before.lang;
            self.draft = Some(before.draft);
            self.rebuild();
        }
    }

    /// Rebuilds the portrait from the draft; false with a message when the core refuses it.
    fn rebuild(&mut self) -> bool {
        let (Some(pack), Some(draft)) = (&self.pack, &self.draft) else {
            return false;
        };
        let selection =
            Selection { territory: draft.territory.clone(), comparisons: draft.comparisons.clone(), year: draft.year };
        let built = template(pack, Some(&draft.template))
            .and_then(|t| build_portrait(pack, &selection, t, &draft.options))
            .map_err(|e| e.to_string());
        match built {
            Ok(portrait) => {
                self.portrait = portrait;
                self.revision += 1;
                true
            }
            Err(message) => {
                self.error(message);
                false
            }
        }
    }

    /// The pack, to change: a copy if a background job still reads the shared one.
    fn pack_mut(&mut self) -> Option<&mut Pack> {
        self.pack.as_mut().map(Arc::make_mut)
    }

    fn save_custom_zone(&mut self, name: &str, members: &[TerritoryRef]) {
        let Some(pack) = self.pack_mut() else { return };
        match pack.add_custom_zone(name, members) {
            Ok(zone) => {
                self.info(format!("zone « {} » enregistrée ({} unité(s))", name.trim(), members.len()));
                self.edit(Action::SelectTerritory(zone));
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    fn remove_custom_zone(&mut self, zone: &TerritoryRef) {
        let Some(pack) = self.pack_mut() else { return };
        if let Err(e) = pack.remove_custom_zone(zone) {
            self.error(e.to_string());
            return;
        }
        // Steps of the undo stack that name the zone cannot be rebuilt any more.
        self.history.retain(|d| d.territory != *zone && !d.comparisons.contains(zone));
        let Some(mut draft) = self.draft.clone() else { return };
        draft.comparisons.retain(|z| z != zone);
        if draft.territory == *zone
            && let Some(pack) = self.pack.as_deref()
            && let Some(fallback) = default_territory(pack)
        {
            draft.comparisons = default_comparisons(pack, &fallback);
            draft.territory = fallback;
        }
        self.draft = Some(draft);
        self.rebuild();
    }

    /// The custom zones of the open pack.
    #[must_use]
    pub fn custom_zones(&self) -> Vec<crate::pack::CustomZone> {
        self.pack().map(Pack::custom_zones).unwrap_or_default()
    }

    fn save_project(&mut self, path: &Path) {
        let Some(draft) = &self.draft else {
            self.error("rien à enregistrer : aucun pack ouvert".to_owned());
            return;
        };
        let zones = self.custom_zones();
        match Project::new(&self.pack_path, draft, &zones).write(path) {
            Ok(()) => self.info(format!("projet enregistré : {}", path.display())),
            Err(message) => self.error(message),
        }
    }

    fn open_project(&mut self, path: &Path) {
        let project = match Project::read(path) {
            Ok(p) => p,
            Err(message) => {
                self.error(message);
                return;
            }
        };
        let same_pack = match (project.pack.canonicalize(), self.pack_path.canonicalize()) {
            (Ok(a), Ok(b)) => a == b && self.pack.is_some(),
            _ => false,
        };
        if !same_pack {
            let pack = project.pack.clone();
            self.pending_project = Some(project);
            self.open_pack(pack);
            return;
        }
        if let Some(pack) = self.pack_mut()
            && let Err(message) = project.restore_zones(pack)
        {
            self.error(format!("{} : {message}", path.display()));
            return;
        }
        let Some(pack) = self.pack.clone() else { return };
        match project.draft(&pack) {
            Ok(draft) => {
                if let Some(previous) = self.current_step() {
                    self.history.record(previous);
                }
                self.draft = Some(draft);
                self.quick = None;
                self.rebuild();
            }
            Err(message) => self.error(format!("{} : {message}", path.display())),
        }
    }

    fn draw_quick_map(&mut self, request: QuickMapRequest) {
        let sender = self.sender.clone();
        let wake = Arc::clone(&self.wake);
        let asked = request.clone();
        let loaded = self.quick_data.clone().filter(|d| d.source == request.source);
        // Only the classification or the palette changed: the map on screen is re-coloured in place
        // (25 ms for France's communes instead of drawing it again).
        if let Some(data) = &loaded
            && let Some(shown) = self.portrait.first_mut().filter(|i| i.slug == QUICK_SLUG)
        {
            let start = std::time::Instant::now();
            match data.restyle(&mut shown.figure, &request.style) {
                Ok(Some(info)) => {
                    shown.kind = IllustrationKind::Map(Box::new(info));
                    if std::env::var_os("INDICARTO_FRAME_LOG").is_some() {
                        eprintln!("carte rapide recolorée en {:.0} ms", start.elapsed().as_secs_f64() * 1000.0);
                    }
                    self.quick = Some(request);
                    self.revision += 1;
                    return;
                }
                Ok(None) => {}
                Err(e) => {
                    self.error(e.to_string());
                    return;
                }
            }
        }
        let spawned = std::thread::Builder::new().name("carte rapide".into()).spawn(move || {
            let start = std::time::Instant::now();
            let result = match loaded {
                // Same files: only the drawing changes.
                Some(data) => data.draw(&asked.style).map(|map| (map, None)),
                None => QuickMapData::load(&asked.source).and_then(|data| {
                    let data = Arc::new(data);
                    data.draw(&asked.style).map(|map| (map, Some(data)))
                }),
            };
            if std::env::var_os("INDICARTO_FRAME_LOG").is_some() {
                eprintln!("carte rapide dessinée en {:.0} ms", start.elapsed().as_secs_f64() * 1000.0);
            }
            let _ = sender.send(JobResult::Quick(Box::new(result)));
            wake();
        });
        match spawned {
            Ok(_) => {
                self.drawing = true;
                self.quick = Some(request);
            }
            Err(e) => self.error(format!("impossible de lancer la carte : {e}")),
        }
    }

    fn open_pack(&mut self, path: PathBuf) {
        let sender = self.sender.clone();
        let wake = Arc::clone(&self.wake);
        let target = path.clone();
        let spawned = std::thread::Builder::new().name("chargement du pack".into()).spawn(move || {
            let result = Pack::open(&target).map(Box::new);
            // The window may have closed meanwhile; nothing to do then.
            let _ = sender.send(JobResult::Pack(target, result));
            wake();
        });
        match spawned {
            Ok(_) => self.loading = Some(path),
            Err(e) => self.error(format!("impossible de lancer le chargement : {e}")),
        }
    }

    /// Installs an opened pack: first template, a default territory, its comparison zones.
    pub fn install_pack(&mut self, path: PathBuf, mut pack: Pack) {
        let Some(first_template) = pack.templates.first().map(|t| t.id.clone()) else {
            self.error(format!("{} : le pack ne propose aucun modèle de portrait", path.display()));
            return;
        };
        let Some(territory) = default_territory(&pack) else {
            self.error(format!("{} : aucun territoire dans les contours du pack", path.display()));
            return;
        };
        let warnings = pack.warnings.len();
        let draft = Draft {
            comparisons: default_comparisons(&pack, &territory),
            territory,
            template: first_template,
            year: None,
            options: MapOptions { lang: self.lang, ..MapOptions::default() },
        };
        if let Some(old) = self.draft.take() {
            // A new pack: the old choices mean nothing there.
            drop(old);
            self.history.clear();
        }
        let draft = match self.pending_project.take().map(|p| p.restore_zones(&mut pack).and_then(|()| p.draft(&pack)))
        {
            Some(Ok(from_project)) => from_project,
            Some(Err(message)) => {
                self.error(format!("projet : {message} ; portrait par défaut affiché"));
                draft
            }
            None => draft,
        };
        self.pack = Some(Arc::new(pack));
        self.pack_path = path;
        self.quick = None;
        self.draft = Some(draft);
        if warnings > 0 {
            self.messages.push(Message {
                severity: Severity::Warning,
                text: format!("{warnings} avertissement(s) au chargement du pack (voir « Données »)"),
            });
        }
        self.rebuild();
    }

    /// Collects the results of background jobs; call once per frame.
    pub fn poll(&mut self) {
        while let Ok(result) = self.receiver.try_recv() {
            match result {
                JobResult::Pack(path, Ok(pack)) => {
                    self.loading = None;
                    self.install_pack(path, *pack);
                }
                JobResult::Pack(path, Err(error)) => {
                    self.loading = None;
                    self.pending_project = None;
                    self.error(format!("{} : {error}", path.display()));
                }
                JobResult::Export(dir, outcome) => {
                    self.exporting = self.exporting.saturating_sub(1);
                    match outcome {
                        Ok(written) => {
                            self.info(format!("{} fichier(s) écrit(s) dans {}", written.files.len(), dir.display()));
                            self.file_warnings(&written.warnings);
                            self.last_export = Some(dir);
                        }
                        Err(error) => self.error(error.to_string()),
                    }
                }
                JobResult::Quick(outcome) => {
                    self.drawing = false;
                    match *outcome {
                        Ok((map, loaded)) => {
                            // Warnings once, when the files were read.
                            if let Some(data) = loaded {
                                for warning in &map.warnings {
                                    self.messages.push(Message { severity: Severity::Warning, text: warning.clone() });
                                }
                                self.quick_data = Some(data);
                            }
                            self.portrait = vec![Illustration {
                                slug: QUICK_SLUG.into(),
                                title: map.figure.title.clone(),
                                kind: IllustrationKind::Map(Box::new(map.info)),
                                figure: map.figure,
                                data: map.data,
                            }];
                            self.revision += 1;
                        }
                        Err(error) => {
                            self.quick = None;
                            self.error(error.to_string());
                        }
                    }
                }
                JobResult::Batch(dir, outcome) => {
                    self.batch = None;
                    match outcome {
                        Ok(report) => {
                            self.info(batch_summary(&report, &dir));
                            self.file_warnings(&report.warnings);
                        }
                        Err(error) => self.error(error.to_string()),
                    }
                }
            }
        }
    }

    /// Waits for background jobs (tests and headless use).
    pub fn wait(&mut self, timeout: std::time::Duration) -> bool {
        let start = std::time::Instant::now();
        loop {
            self.poll();
            if !self.busy() {
                return true;
            }
            if start.elapsed() > timeout {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    /// Refuses to write into the folders data is read from: the pack's, its boundaries' and data
    /// files' folders, and those of the quick map's files while one is shown, existing or not yet.
    fn check_output(&self, dir: &Path) -> Result<(), ExportError> {
        let mut inputs = if let Some(pack) = &self.pack {
            pack.input_folders()
        } else {
            let path = &self.pack_path;
            vec![if path.is_dir() { path.clone() } else { path.parent().unwrap_or(path).to_owned() }]
        };
        if let Some(quick) = &self.quick {
            let parent = |file: &Path| file.parent().map_or_else(|| PathBuf::from("."), Path::to_owned);
            inputs.extend([parent(&quick.source.boundaries), parent(&quick.source.data)]);
        }
        crate::export::files::check_output_outside(dir, &inputs)
    }

    fn export(&mut self, request: ExportRequest) {
        if let Err(error) = self.check_output(&request.dir) {
            self.error(error.to_string());
            return;
        }
        let chosen: Vec<Illustration> = match request.only {
            Some(i) => self.portrait.get(i).cloned().into_iter().collect(),
            None => self.portrait.clone(),
        };
        if chosen.is_empty() {
            self.error("rien à exporter : aucune figure".to_owned());
            return;
        }
        let options = WriteOptions {
            formats: request.formats,
            csv_style: request.csv_style,
            document: if request.portrait_pdf { self.portrait_pdf() } else { None },
        };
        let sender = self.sender.clone();
        let wake = Arc::clone(&self.wake);
        let spawned = std::thread::Builder::new().name("export".into()).spawn(move || {
            let outcome = write_portrait(&request.dir, &chosen, &options);
            let _ = sender.send(JobResult::Export(request.dir, outcome));
            wake();
        });
        match spawned {
            Ok(_) => self.exporting += 1,
            Err(e) => self.error(format!("impossible de lancer l'export : {e}")),
        }
    }

    fn start_batch(&mut self, level: Level, dir: PathBuf, formats: Formats) {
        if self.batch.is_some() {
            self.error("un export par lot est déjà en cours".to_owned());
            return;
        }
        if let Err(error) = self.check_output(&dir) {
            self.error(error.to_string());
            return;
        }
        let (Some(pack), Some(draft)) = (self.pack.clone(), self.draft.clone()) else {
            return;
        };
        let total = crate::batch::batch_territories(&pack, &level, None).len();
        let done = Arc::new(AtomicUsize::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        let options = BatchOptions {
            level,
            within: None,
            template: Some(draft.template.clone()),
            map: draft.options.clone(),
            formats,
            portrait_pdf: false,
            csv_style: CsvStyle::French,
            out_dir: dir,
            threads: 0,
        };
        let sender = self.sender.clone();
        let wake = Arc::clone(&self.wake);
        let (done_in, cancel_in) = (Arc::clone(&done), Arc::clone(&cancel));
        let spawned = std::thread::Builder::new().name("export par lot".into()).spawn(move || {
            let progress = |n: usize, _total: usize, _name: &str| {
                done_in.store(n, Ordering::Relaxed);
                wake();
            };
            let outcome = run_batch(&pack, &options, &progress, &cancel_in);
            let _ = sender.send(JobResult::Batch(options.out_dir, outcome));
            wake();
        });
        match spawned {
            Ok(_) => self.batch = Some(BatchProgress { done, total, cancel }),
            Err(e) => self.error(format!("impossible de lancer le lot : {e}")),
        }
    }

    /// Territories matching a search, best first, at most `limit`.
    #[must_use]
    pub fn search(&self, query: &str, limit: usize) -> Vec<TerritoryRef> {
        let Some(pack) = self.pack() else { return Vec::new() };
        pack.territories
            .search(query)
            .into_iter()
            .take(limit)
            .map(|t| TerritoryRef { level: t.level.clone(), code: t.code.clone() })
            .collect()
    }
}

/// A quick-map request drawn with a draft's classification, palette and language.
fn restyled(mut request: QuickMapRequest, options: &MapOptions) -> QuickMapRequest {
    restyle_quick(&mut request.style, options);
    request
}

/// File stem of a quick map.
const QUICK_SLUG: &str = "carte-rapide";

/// The territory a pack opens on: the région most of its communes belong to (a pack of one
/// region's communes often ships the layer of every région), else the first unit of the highest
/// level below France.
fn default_territory(pack: &Pack) -> Option<TerritoryRef> {
    let mut regions: std::collections::BTreeMap<&crate::code::TerritoryCode, usize> = std::collections::BTreeMap::new();
    if let Some(communes) = pack.territories.level(&Level::Commune) {
        for commune in communes.territories.values() {
            if let Some(region) = commune.parents.get(&Level::Region) {
                *regions.entry(region).or_default() += 1;
            }
        }
    }
    let main_region =
        regions.into_iter().max_by_key(|(code, n)| (*n, std::cmp::Reverse(*code))).map(|(c, _)| c.clone());
    if let Some(code) = main_region
        && pack.territories.get(&Level::Region, &code).is_some()
    {
        return Some(TerritoryRef { level: Level::Region, code });
    }
    let mut levels: Vec<_> = pack.territories.levels().filter(|l| l.level != Level::France).collect();
    levels.sort_by_key(|l| std::cmp::Reverse(l.level.rank()));
    let layer = levels.into_iter().find(|l| !l.territories.is_empty())?;
    let territory = layer.territories.values().next()?;
    Some(TerritoryRef { level: territory.level.clone(), code: territory.code.clone() })
}

/// The line of the messages panel that sums a batch up, its failures below it.
fn batch_summary(report: &BatchReport, dir: &Path) -> String {
    let mut summary = format!("lot : {} portrait(s), {} fichier(s) dans {}", report.done, report.files, dir.display());
    if report.cancelled {
        summary.push_str(" (interrompu)");
    }
    for (code, why) in &report.failures {
        let _ = write!(summary, "\n{code} : {why}");
    }
    summary
}

/// A quick map on screen follows the classification, palette and language of the maps panel.
fn restyle_quick(style: &mut QuickMapStyle, options: &MapOptions) {
    style.method = options.method.clone();
    style.classes = options.classes;
    style.palette = Some(options.palette.clone());
    style.lang = options.lang;
}

/// The method choices offered in the window, with their labels.
#[must_use]
pub fn methods() -> [Method; 6] {
    [Method::Quantile, Method::EqualInterval, Method::NaturalBreaks, Method::MeanStdDev, Method::Q6, Method::Geometric]
}
