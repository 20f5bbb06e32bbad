//! The desktop window. For now a start screen: it loads the bundled sample pack on a background
//! thread and shows what was loaded, or the error the core produced. The full workflow (territory
//! picker, portrait grid, map, exports) comes with the desktop-application issue.

use std::path::PathBuf;

use eframe::egui;
use std::sync::mpsc;

use indicarto::pack::Pack;

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
        Some(path) if path.join(indicarto::pack::MANIFEST_FILE).is_file() => path,
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_data"),
    }
}

enum LoadState {
    Loading,
    Loaded(Box<Pack>),
    Failed(String),
}

struct StartApp {
    state: LoadState,
    receiver: mpsc::Receiver<Result<Pack, String>>,
}

impl StartApp {
    fn new(ctx: &egui::Context) -> Self {
        let (sender, receiver) = mpsc::channel();
        let ctx = ctx.clone();
        let path = bundled_sample();
        let spawned = std::thread::Builder::new().name("chargement du pack".into()).spawn(move || {
            let result = Pack::open(&path).map_err(|e| e.to_string());
            // The window may have closed meanwhile; nothing to do then.
            let _ = sender.send(result);
            ctx.request_repaint();
        });
        let state = match spawned {
            Ok(_) => LoadState::Loading,
            Err(e) => LoadState::Failed(format!("impossible de lancer le chargement : {e}")),
        };
        StartApp { state, receiver }
    }
}

impl eframe::App for StartApp {
    fn logic(&mut self, _ctx: &egui::Context, _frame: &mut eframe::Frame) {
        if let Ok(result) = self.receiver.try_recv() {
            self.state = match result {
                Ok(pack) => LoadState::Loaded(Box::new(pack)),
                Err(e) => LoadState::Failed(e),
            };
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Indicarto");
            ui.label("Observation territoriale : portraits, graphiques et cartes d'indicateurs");
            ui.separator();
            match &self.state {
                LoadState::Loading => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Chargement de l'exemple Hauts-de-France…");
                    });
                }
                LoadState::Failed(message) => {
                    ui.colored_label(ui.visuals().error_fg_color, message);
                }
                LoadState::Loaded(pack) => pack_summary_ui(ui, pack),
            }
        });
    }
}

fn pack_summary_ui(ui: &mut egui::Ui, pack: &Pack) {
    ui.strong(&pack.manifest.pack.title);
    for layer in pack.territories.levels() {
        let n = layer.territories.len();
        let noun = if n > 1 { "territoires" } else { "territoire" };
        ui.label(format!("{} : {n} {noun} ({})", layer.level.label_fr(), layer.origin));
    }
    ui.label(format!(
        "{} indicateurs, {} modèles de portrait",
        pack.store.indicators().count(),
        pack.manifest.templates.len()
    ));
    if !pack.warnings.is_empty() {
        ui.collapsing(format!("{} avertissement(s)", pack.warnings.len()), |ui| {
            egui::ScrollArea::vertical().max_height(300.0).show(ui, |ui| {
                for warning in &pack.warnings {
                    ui.label(warning.to_string());
                }
            });
        });
    }
}

/// Opens the window and runs until it is closed.
pub fn run() -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_title("Indicarto").with_inner_size([1100.0, 750.0]),
        ..Default::default()
    };
    eframe::run_native("Indicarto", options, Box::new(|cc| Ok(Box::new(StartApp::new(&cc.egui_ctx)))))
}
