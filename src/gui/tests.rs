//! The main flows clicked through with egui_kittest, without a window: find widgets by label,
//! click, type, and check the state and the files.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use crate::code::Level;
use crate::pack::Pack;
use crate::portrait::TerritoryRef;
use crate::text::Lang;

use super::app::{IndicartoApp, Settings};
use super::dialog::{OpenPackDialog, ProjectDialog};
use super::state::{Action, AppState, Severity};
use super::view::View;

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_data")
}

fn app() -> IndicartoApp {
    let mut state = AppState::new(sample(), Lang::Fr, Arc::new(|| {}));
    let pack = Pack::open(&sample()).expect("the bundled sample opens");
    state.install_pack(sample(), pack);
    IndicartoApp::with_state(state, Settings::default())
}

fn harness(app: IndicartoApp) -> Harness<'static, IndicartoApp> {
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(1400.0, 900.0))
        .build_ui_state(|ui: &mut egui::Ui, app: &mut IndicartoApp| app.ui(ui), app);
    harness.run();
    harness
}

fn territory(h: &Harness<'_, IndicartoApp>) -> TerritoryRef {
    h.state().state.draft().expect("a draft").territory.clone()
}

fn amiens_metropole() -> TerritoryRef {
    TerritoryRef::new(Level::Epci, "248000531")
}

/// The window showing CA Amiens Métropole's first map enlarged, and that map's index.
fn focused_map_of_amiens_metropole() -> (Harness<'static, IndicartoApp>, usize) {
    let mut a = app();
    a.apply(Action::SelectTerritory(amiens_metropole()));
    let index = a.state.portrait().iter().position(|i| i.slug.contains("carte-")).expect("a map");
    let mut h = harness(a);
    h.state_mut().figures.view = View::Focus(index);
    h.run();
    (h, index)
}

/// Hovers the focused map on a grid until a tooltip names `name`; the position found.
fn find_on_map(h: &mut Harness<'static, IndicartoApp>, name: &str) -> egui::Pos2 {
    for y in (60..880).step_by(6) {
        for x in (330..1390).step_by(6) {
            let p = egui::Pos2::new(x as f32, y as f32);
            h.hover_at(p);
            h.run();
            if h.query_by_label(name).is_some() {
                return p;
            }
        }
    }
    panic!("no tooltip names {name} anywhere over the map");
}

/// A click with modifiers at a position.
fn click_at(h: &mut Harness<'static, IndicartoApp>, at: egui::Pos2, modifiers: egui::Modifiers) {
    for pressed in [true, false] {
        h.event_modifiers(
            egui::Event::PointerButton { pos: at, button: egui::PointerButton::Primary, pressed, modifiers },
            modifiers,
        );
    }
    h.run();
}

#[test]
fn search_pick_an_epci_and_add_a_comparison_zone() {
    let mut h = harness(app());
    h.get_by_label("Rechercher (nom ou code)").click();
    h.run();
    h.get_by_label("Rechercher (nom ou code)").type_text("amien");
    h.run();
    // The level is shown with the name; accents and case do not matter.
    h.get_by_label("CA Amiens Métropole (EPCI)").click();
    h.run();
    assert_eq!(territory(&h), amiens_metropole());
    let zones = h.state().state.draft().unwrap().comparisons.clone();
    // Somme, Hauts-de-France, France proposed by default.
    assert_eq!(
        zones.iter().map(|z| z.code.as_str()).collect::<Vec<_>>(),
        ["80", "32", "FR"],
        "default comparison zones"
    );
    assert!(!h.state().state.portrait().is_empty());

    // Add the Oise département from the same search, then remove the Somme chip.
    h.get_by_label("Rechercher (nom ou code)").click();
    h.run();
    h.get_by_label("Rechercher (nom ou code)").type_text("oise");
    h.run();
    h.get_by_label("Ajouter Oise (département) aux zones de comparaison").click();
    h.run();
    assert!(h.state().state.draft().unwrap().comparisons.contains(&TerritoryRef::new(Level::Departement, "60")));
    h.get_by_label("Somme (département)  ×").click();
    h.run();
    let zones = &h.state().state.draft().unwrap().comparisons;
    assert!(!zones.iter().any(|z| z.code.as_str() == "80"), "{zones:?}");

    // Undo brings the Somme back.
    h.get_by_label("Annuler").click();
    h.run();
    assert!(h.state().state.draft().unwrap().comparisons.iter().any(|z| z.code.as_str() == "80"));
}

#[test]
fn switching_template_and_classification_rebuilds_the_portrait() {
    let mut a = app();
    a.apply(Action::SelectTerritory(amiens_metropole()));
    let mut h = harness(a);
    let before: Vec<String> = h.state().state.portrait().iter().map(|i| i.slug.clone()).collect();
    h.get_by_label("Modèle de portrait").click();
    h.run();
    h.get_by_label("Conseils municipaux 2026").click();
    h.run();
    let after: Vec<String> = h.state().state.portrait().iter().map(|i| i.slug.clone()).collect();
    assert_eq!(h.state().state.draft().unwrap().template, "vie_locale");
    assert_ne!(before, after);

    let revision = h.state().state.revision;
    h.get_by_label("Méthode de classification").click();
    h.run();
    h.get_by_label("Seuils naturels (Fisher-Jenks)").click();
    h.run();
    assert_eq!(h.state().state.draft().unwrap().options.method, crate::classify::Method::NaturalBreaks);
    assert!(h.state().state.revision > revision, "the portrait was rebuilt");
    // The map legend says so.
    let map = h.state().state.portrait().iter().find(|i| i.slug.contains("carte-")).expect("a map");
    let svg = crate::export::svg::to_svg(&map.figure).text;
    assert!(svg.contains("Seuils naturels"), "legend names the method");
}

#[test]
fn hovering_a_map_unit_shows_its_value_and_clicking_makes_it_the_territory() {
    let (mut h, index) = focused_map_of_amiens_metropole();
    // Find a commune of the map and hover its interior: the figure's tags say where it is.
    let figure = h.state().state.portrait()[index].figure.clone();
    let (code, name) =
        figure.tags().find(|t| t.code == "80021").map(|t| (t.code.clone(), t.name.clone())).expect("Amiens on the map");
    // Probe the focused view for the pixel where Amiens lies.
    let at = find_on_map(&mut h, &name);
    assert!(h.query_by_label_contains("clic : en faire le territoire").is_some());
    h.hover_at(at);
    h.run();
    click_at(&mut h, at, egui::Modifiers::NONE);
    assert_eq!(territory(&h), TerritoryRef::new(Level::Commune, &code));
}

#[test]
fn export_the_portrait_to_a_folder_and_read_the_files_back() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("amiens");
    let mut a = app();
    a.apply(Action::SelectTerritory(amiens_metropole()));
    let mut h = harness(a);
    h.get_by_label("Exporter…").click();
    h.run();
    assert!(h.state().export.is_some(), "the export dialog is open");
    let field = h.get_by_label("Dossier d'export");
    field.click();
    h.run();
    // Replace the proposed folder.
    h.state_mut().export.as_mut().unwrap().dir = dir.display().to_string();
    h.run();
    h.get_by_label("Exporter le portrait").click();
    h.step();
    assert!(h.state_mut().state.wait(Duration::from_mins(2)), "export finished");
    h.run();
    let count = h.state().state.portrait().len();
    let svgs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    assert_eq!(svgs.len(), count, "one SVG per figure");
    for svg in &svgs {
        let text = std::fs::read_to_string(svg).unwrap();
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", svg.display()));
    }
    let csv = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "csv"))
        .expect("a CSV");
    let bytes = std::fs::read(csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "CSV with BOM for Excel");
    assert!(
        std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .any(|e| e.path().extension().is_some_and(|x| x == "pdf")),
        "portrait PDF"
    );
    assert!(
        h.state().state.messages.iter().any(|m| m.severity == Severity::Info && m.text.contains("fichier(s) écrit(s)"))
    );
}

/// Exports never go into a folder the pack reads: its own (existing sub-folder or one the export
/// would create: the check once let a new folder through), nor the boundaries' folder beside it.
#[test]
fn exporting_into_the_data_folder_is_refused() {
    let mut a = app();
    let new_folder = sample().join("exports-nouveau");
    for dir in [sample().join("data"), new_folder.clone(), sample().join("../geodata/sorties")] {
        let errors = a.state.messages.iter().filter(|m| m.severity == Severity::Error).count();
        a.apply(Action::Export(super::state::ExportRequest {
            dir: dir.clone(),
            formats: crate::export::files::Formats { svg: true, csv: false, png_dpi: None, pdf: false },
            portrait_pdf: false,
            csv_style: crate::export::csv::CsvStyle::French,
            only: None,
        }));
        let refused: Vec<&str> = a
            .state
            .messages
            .iter()
            .filter(|m| m.severity == Severity::Error && m.text.contains("dossier des données"))
            .map(|m| m.text.as_str())
            .collect();
        assert_eq!(refused.len(), errors + 1, "{dir:?}: {refused:?}");
        assert_eq!(a.state.exporting, 0);
    }
    assert!(!new_folder.exists());
    assert!(!sample().join("../geodata/sorties").exists());
}

#[test]
fn a_bad_pack_shows_the_error_and_keeps_the_current_analysis() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pack.toml"), "[pack]\nid = \"x\"\ntitel = \"faute\"\n").unwrap();
    let mut a = app();
    a.apply(Action::SelectTerritory(amiens_metropole()));
    let mut h = harness(a);
    h.get_by_label("Ouvrir un pack…").click();
    h.run();
    h.state_mut().open_pack = Some(OpenPackDialog { path: dir.path().display().to_string() });
    h.run();
    h.get_by_label("Ouvrir").click();
    h.step();
    assert!(h.state_mut().state.wait(Duration::from_secs(30)));
    h.run();
    let errors: Vec<_> = h.state().state.messages.iter().filter(|m| m.severity == Severity::Error).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    // The core's message names the file and the unknown key.
    assert!(errors[0].text.contains("pack.toml") && errors[0].text.contains("titel"), "{}", errors[0].text);
    assert!(h.query_by_label_contains("titel").is_some(), "the message is on screen");
    assert_eq!(territory(&h), amiens_metropole(), "the analysis is intact");
    assert!(!h.state().state.portrait().is_empty());
}

#[test]
fn a_refused_setting_is_reported_and_the_previous_portrait_stays() {
    // An unknown palette (as a stale project file could ask) is refused by the core and reported,
    // the portrait unchanged.
    let mut a = app();
    a.apply(Action::SelectTerritory(amiens_metropole()));
    a.apply(Action::SetPalette("Pas une palette".into()));
    assert!(a.state.messages.iter().any(|m| m.severity == Severity::Error && m.text.contains("Pas une palette")));
    assert_ne!(a.state.draft().unwrap().options.palette, "Pas une palette");
    assert!(!a.state.portrait().is_empty());
}

#[test]
fn reset_returns_to_the_sample_and_default_settings() {
    let mut a = app();
    a.apply(Action::SelectTerritory(amiens_metropole()));
    a.apply(Action::SetClasses(7));
    let mut h = harness(a);
    h.get_by_label("Réinitialiser").click();
    // A spinner turns while the sample reloads: step frames instead of waiting for a still UI.
    h.step();
    assert!(h.state().state.loading.is_some());
    assert!(h.state_mut().state.wait(Duration::from_mins(1)), "the sample reloads");
    h.run();
    let draft = h.state().state.draft().unwrap().clone();
    assert_eq!(draft.options, crate::portrait::MapOptions::default());
    assert_ne!(draft.territory, amiens_metropole());
    assert!(!h.state().state.can_undo());
}

#[test]
fn the_window_opens_on_the_sample_loaded_in_the_background() {
    let ctx = egui::Context::default();
    let mut app = IndicartoApp::new(&ctx, None, sample());
    // The first frame comes before the data.
    assert!(app.state.draft().is_none());
    assert!(app.state.wait(Duration::from_mins(1)));
    app.logic();
    assert!(app.state.draft().is_some());
    assert!(!app.state.portrait().is_empty());
}

#[test]
fn a_quick_map_of_ones_own_csv_shows_in_the_window_and_follows_the_classification() {
    // A user's own file: French CSV (`;`, decimal comma, BOM) for the départements layer.
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("taux.csv");
    std::fs::write(&csv, "\u{feff}code;taux\n02;12,5\n59;14,1\n60;9,8\n62;13,0\n80;11,2\n99;3,0\n").unwrap();
    let mut h = harness(app());
    h.get_by_label("Carte rapide…").click();
    h.run();
    {
        let draft = h.state_mut().quick_map.as_mut().expect("the dialog is open");
        draft.boundaries = sample().join("../geodata/hdf_departements.shp").display().to_string();
        draft.data = csv.display().to_string();
        draft.join = "INSEE_DEP=code".into();
        draft.value = "taux".into();
    }
    h.run();
    h.get_by_label("Dessiner la carte").click();
    h.step();
    assert!(h.state_mut().state.wait(Duration::from_mins(1)));
    h.run();
    let portrait = h.state().state.portrait();
    assert_eq!(portrait.len(), 1, "the quick map replaces the portrait");
    let values: Vec<_> = portrait[0].figure.tags().filter_map(|t| t.value.clone()).collect();
    assert_eq!(values.len(), 5, "the five départements have a value: {values:?}");
    assert!(values.contains(&"12.5".to_owned()), "decimal comma read: {values:?}");
    assert_eq!(h.state().figures.view, View::Focus(0));
    // The code 99 has no boundary: reported, not silently dropped.
    assert!(h.state().state.messages.iter().any(|m| m.severity == Severity::Warning && m.text.contains("99")));
    // Changing the number of classes redraws the quick map, not the portrait.
    h.state_mut().apply(Action::SetClasses(3));
    assert!(h.state_mut().state.wait(Duration::from_mins(1)));
    h.run();
    let portrait = h.state().state.portrait();
    assert_eq!(portrait.len(), 1);
    let classes: std::collections::BTreeSet<_> = portrait[0].figure.tags().filter_map(|t| t.class).collect();
    assert_eq!(classes.len(), 3, "three classes: {classes:?}");
    // Its export never goes beside the CSV it reads (nor into the boundaries' folder).
    for target in [dir.path().join("cartes"), sample().join("../geodata")] {
        h.state_mut().apply(Action::Export(super::state::ExportRequest {
            dir: target.clone(),
            formats: crate::export::files::Formats { svg: true, csv: false, png_dpi: None, pdf: false },
            portrait_pdf: false,
            csv_style: crate::export::csv::CsvStyle::French,
            only: None,
        }));
        let last = h.state().state.messages.last().unwrap();
        assert!(last.severity == Severity::Error && last.text.contains("dossier des données"), "{}", last.text);
        assert_eq!(h.state().state.exporting, 0);
        assert!(!dir.path().join("cartes").exists());
    }
}

#[test]
fn a_project_saved_then_reopened_gives_back_the_same_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("amiens.indicarto.json");
    let mut a = app();
    a.apply(Action::SelectTerritory(amiens_metropole()));
    a.apply(Action::AddComparison(TerritoryRef::new(Level::Departement, "60")));
    a.apply(Action::SetTemplate("vie_locale".into()));
    a.apply(Action::SetMethod(crate::classify::Method::NaturalBreaks));
    a.apply(Action::SetClasses(7));
    a.apply(Action::SetFigureLang(Lang::En));
    let saved = a.state.draft().unwrap().clone();
    let mut h = harness(a);
    h.get_by_label("Projet…").click();
    h.run();
    h.state_mut().project = Some(ProjectDialog { path: file.display().to_string() });
    h.run();
    h.get_by_label("Enregistrer le projet").click();
    h.run();
    assert!(file.is_file(), "written");
    // Another analysis, then the project again.
    h.state_mut().apply(Action::SelectTerritory(TerritoryRef::new(Level::Departement, "59")));
    h.state_mut().apply(Action::SetClasses(4));
    h.run();
    assert_ne!(h.state().state.draft().unwrap(), &saved);
    h.get_by_label("Projet…").click();
    h.run();
    h.state_mut().project = Some(ProjectDialog { path: file.display().to_string() });
    h.run();
    h.get_by_label("Ouvrir le projet").click();
    h.run();
    assert_eq!(h.state().state.draft().unwrap(), &saved);
    assert!(h.state().state.portrait().iter().any(|i| i.title.contains("Key figures")), "English figures back");
}

#[test]
fn a_damaged_project_file_is_reported_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("abime.indicarto.json");
    std::fs::write(&file, "{\"version\": 1, \"pack\": ").unwrap();
    let mut a = app();
    a.apply(Action::SelectTerritory(amiens_metropole()));
    let before = a.state.draft().unwrap().clone();
    a.apply(Action::OpenProject(file.clone()));
    assert_eq!(a.state.draft().unwrap(), &before);
    let error = a.state.messages.iter().find(|m| m.severity == Severity::Error).expect("an error");
    assert!(error.text.contains("abime.indicarto.json") && error.text.contains("ligne"), "{}", error.text);
}

#[test]
fn the_english_switch_changes_the_window_and_the_figures() {
    let mut h = harness(app());
    h.get_by_label("EN").click();
    h.run();
    assert!(h.query_by_label("Search (name or code)").is_some(), "the window is in English");
    assert!(h.query_by_label("Rechercher (nom ou code)").is_none());
    assert_eq!(h.state().state.draft().unwrap().options.lang, Lang::En);
    let table = h.state().state.portrait().first().expect("a figure").title.clone();
    assert!(table.starts_with("Key figures"), "{table}");
    h.get_by_label("FR").click();
    h.run();
    assert!(h.query_by_label("Rechercher (nom ou code)").is_some());
    assert!(h.state().state.portrait()[0].title.starts_with("Chiffres clés"));
}

/// Every text of the portrait's figures (SVG text elements), to tell their language.
fn figure_texts(h: &Harness<'_, IndicartoApp>) -> String {
    h.state().state.portrait().iter().map(|i| crate::export::svg::to_svg(&i.figure).text).collect()
}

/// The window and the figures speak `lang`, and only it: a label of the window, the histogram's
/// caption, a figure's title and the map legend's secrecy swatch.
fn assert_language(h: &Harness<'_, IndicartoApp>, lang: Lang, when: &str) {
    let (ours, theirs) = if lang == Lang::Fr { (0, 1) } else { (1, 0) };
    let search = ["Rechercher (nom ou code)", "Search (name or code)"];
    let histogram = ["Distribution des", "Distribution of the map"];
    assert_eq!(h.state().state.lang(), lang, "{when}");
    assert!(h.query_by_label(search[ours]).is_some(), "{when}: the window speaks {lang}");
    assert!(h.query_by_label(search[theirs]).is_none(), "{when}: and only {lang}");
    assert!(h.query_by_label_contains(histogram[ours]).is_some(), "{when}: the histogram speaks {lang}");
    let texts = figure_texts(h);
    for pair in [["Chiffres clés", "Key figures"], ["Secret statistique", "Statistical secrecy"]] {
        assert!(texts.contains(pair[ours]) && !texts.contains(pair[theirs]), "{when}: the figures say {}", pair[ours]);
    }
}

/// eframe's storage in memory, as the platform's config file would keep it.
#[derive(Default)]
struct MemoryStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

/// The FR/EN switch is one action applied by the state, which owns the language: the window's
/// labels and the figures' texts follow it, undo and redo take both back and forth as one step,
/// a reset keeps the user's language (the sample's figures reopen in it), and the next session
/// starts in it.
#[test]
fn the_language_switch_is_one_action_undone_redone_kept_by_reset_and_remembered() {
    let mut h = harness(app());
    assert_language(&h, Lang::Fr, "at start");
    assert!(!h.state().state.can_undo());
    h.get_by_label("EN").click();
    h.run();
    assert_language(&h, Lang::En, "after the switch");
    assert_eq!(h.state().state.draft().unwrap().options.lang, Lang::En);

    h.get_by_label("Undo").click();
    h.run();
    assert_language(&h, Lang::Fr, "after undo");
    assert!(h.state().state.can_redo() && !h.state().state.can_undo());
    h.get_by_label("Rétablir").click();
    h.run();
    assert_language(&h, Lang::En, "after redo");
    assert!(!h.state().state.can_redo());

    // The figures alone can go back to French; the window stays English.
    h.get_by_label("Français").click();
    h.run();
    assert_eq!(h.state().state.lang(), Lang::En);
    assert!(h.query_by_label("Search (name or code)").is_some());
    assert!(figure_texts(&h).contains("Chiffres clés"));
    h.get_by_label("Undo").click();
    h.run();
    assert_language(&h, Lang::En, "after undoing the figures' language");

    // Ctrl+Z undoes the switch too, Ctrl+Shift+Z redoes it.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_language(&h, Lang::Fr, "after Ctrl+Z");
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::Z);
    h.run();
    assert_language(&h, Lang::En, "after Ctrl+Shift+Z");

    h.get_by_label("Reset").click();
    h.step();
    assert!(h.state_mut().state.wait(Duration::from_mins(1)), "the sample reloads");
    h.run();
    assert_language(&h, Lang::En, "after reset");
    assert!(!h.state().state.can_undo() && !h.state().state.can_redo(), "reset starts a new history");

    // The next session opens in English: the settings are written from the state's language.
    let mut storage = MemoryStorage::default();
    eframe::App::save(h.state_mut(), &mut storage);
    let next = IndicartoApp::new(&egui::Context::default(), Some(&storage), sample());
    assert_eq!(next.state.lang(), Lang::En);
}

fn search_and_click(h: &mut Harness<'static, IndicartoApp>, text: &str, label: &str) {
    h.get_by_label("Rechercher (nom ou code)").click();
    h.run();
    h.state_mut().panel.search.clear();
    h.run();
    h.get_by_label("Rechercher (nom ou code)").type_text(text);
    h.run();
    h.get_by_label(label).click();
    h.run();
}

#[test]
fn a_custom_zone_is_made_from_the_search_used_saved_in_a_project_and_removed() {
    let mut h = harness(app());
    search_and_click(&mut h, "amiens", "Ajouter Amiens (commune) à la zone personnalisée");
    search_and_click(&mut h, "dury", "Ajouter Dury (commune 80261) à la zone personnalisée");
    assert_eq!(h.state().panel.zone_members.len(), 2);
    h.get_by_label("Nom de la zone").click();
    h.run();
    h.get_by_label("Nom de la zone").type_text("Amiens et Dury");
    h.run();
    h.get_by_label("Enregistrer la zone").click();
    h.run();
    let zone = territory(&h);
    assert_eq!(zone.level, crate::pack::custom_zones_level(), "the zone is the analysis territory");
    assert!(h.state().panel.zone_members.is_empty());
    let key = &h.state().state.portrait()[0];
    assert!(key.title.contains("Amiens et Dury"), "{}", key.title);
    // Default comparisons: Somme, Hauts-de-France, France.
    let zones: Vec<_> = h.state().state.draft().unwrap().comparisons.iter().map(|z| z.code.to_string()).collect();
    assert_eq!(zones, ["80", "32", "FR"]);

    // Saved with a project, the zone comes back in a fresh window.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("zone.indicarto.json");
    h.state_mut().apply(Action::SaveProject(file.clone()));
    let mut fresh = app();
    fresh.apply(Action::OpenProject(file));
    assert_eq!(fresh.state.draft().unwrap().territory, zone, "{:?}", fresh.state.messages);
    assert_eq!(fresh.state.custom_zones().len(), 1);

    // Removing it falls back to the default territory.
    h.get_by_label("Supprimer la zone Amiens et Dury").click();
    h.run();
    assert_ne!(territory(&h), zone);
    assert!(h.state().state.custom_zones().is_empty());
}

#[test]
fn shift_click_on_a_map_unit_adds_it_to_the_zone_being_made() {
    let (mut h, _) = focused_map_of_amiens_metropole();
    let at = find_on_map(&mut h, "Amiens");
    click_at(&mut h, at, egui::Modifiers::SHIFT);
    assert_eq!(h.state().panel.zone_members, [TerritoryRef::new(Level::Commune, "80021")]);
    assert_eq!(territory(&h), amiens_metropole(), "Shift+click does not change the territory");
}

/// Runs frames until `done`, for at most 30 s (the tile thread answers in its own time).
fn run_until(h: &mut Harness<'static, IndicartoApp>, done: impl Fn(&Harness<'static, IndicartoApp>) -> bool) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        // One frame at a time: while tiles arrive the window keeps asking for frames, so it never
        // "settles" the way `Harness::run` expects.
        h.step();
        if done(h) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// A tile server on this machine that answers every request with one plain PNG tile and notes the
/// paths asked for.
fn local_tile_server() -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{Read, Write};
    let mut png_bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png_bytes, 256, 256);
        encoder.set_color(png::ColorType::Rgb);
        let mut writer = encoder.write_header().expect("png header");
        writer.write_image_data(&[200u8, 220, 240].repeat(256 * 256)).expect("png data");
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
    let address = listener.local_addr().expect("its address");
    let paths = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = paths.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut buffer = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buffer[..n]),
                }
            }
            let line = String::from_utf8_lossy(&request).lines().next().unwrap_or_default().to_owned();
            if let Some(path) = line.split_whitespace().nth(1) {
                seen.lock().expect("paths").push(path.to_owned());
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                png_bytes.len()
            );
            let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&png_bytes));
        }
    });
    (format!("http://{address}/{{z}}/{{x}}/{{y}}.png"), paths)
}

#[test]
fn the_osm_background_is_off_by_default_and_says_so_when_offline() {
    let (mut h, _) = focused_map_of_amiens_metropole();
    assert_eq!(h.state().figures.basemap_status(), None, "off by default: no request at start");
    // A port nobody listens on: what an offline machine gets.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a port").local_addr().expect("address");
    h.state_mut().figures.tile_server = format!("http://{closed}/{{z}}/{{x}}/{{y}}.png");
    let messages = h.state().state.messages.len();
    h.get_by_label("Fond OpenStreetMap").click();
    assert!(
        run_until(&mut h, |h| h.query_by_label("Fond de carte indisponible (hors ligne ?)").is_some()),
        "the window says the background is unavailable"
    );
    assert_eq!(h.state().figures.basemap_status(), Some(super::basemap::Status::Unavailable));
    // Quietly: no error in the messages panel, the map is still there and still answers.
    assert_eq!(h.state().state.messages.len(), messages);
    find_on_map(&mut h, "Amiens");
    h.get_by_label("Fond OpenStreetMap").click();
    h.run();
    assert_eq!(h.state().figures.basemap_status(), None);
}

#[test]
fn the_background_shows_the_tiles_of_the_mapped_area() {
    let (mut h, _) = focused_map_of_amiens_metropole();
    let (server, paths) = local_tile_server();
    h.state_mut().figures.tile_server = server;
    h.get_by_label("Fond OpenStreetMap").click();
    assert!(
        run_until(&mut h, |h| h.state().figures.basemap_status() == Some(super::basemap::Status::Shown)),
        "tiles from the local server are drawn"
    );
    assert!(h.query_by_label("Fond de carte indisponible (hors ligne ?)").is_none());
    // The tiles asked for cover the map, around Amiens (2.30° E, 49.89° N), and lie in northern France:
    // the page → Lambert-93 → longitude/latitude → tile chain is right end to end.
    let asked: Vec<(u8, u32, u32)> = paths
        .lock()
        .expect("paths")
        .iter()
        .filter_map(|p| {
            let mut parts = p.trim_start_matches('/').trim_end_matches(".png").split('/');
            Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
        })
        .collect();
    assert!(!asked.is_empty());
    for &(z, x, y) in &asked {
        let (west, north) = super::basemap::lonlat_of(f64::from(x), f64::from(y), z);
        let (east, south) = super::basemap::lonlat_of(f64::from(x + 1), f64::from(y + 1), z);
        assert!(east > -1.0 && west < 6.0 && north > 48.0 && south < 52.0, "tile {z}/{x}/{y} is far from Picardy");
    }
    let (z, _, _) = asked[0];
    let (x, y) = super::basemap::tile_of(2.30, 49.89, z);
    assert!(asked.contains(&(z, x as u32, y as u32)), "Amiens's tile at zoom {z} was not asked for: {asked:?}");
}

#[test]
fn zooming_in_draws_the_coarse_level_until_the_fine_one_is_ready() {
    let (mut h, _) = focused_map_of_amiens_metropole();
    let before = h.state().figures.shown_detail();
    let centre = egui::Pos2::new(860.0, 480.0);
    h.hover_at(centre);
    h.step();
    h.event(egui::Event::Zoom(8.0));
    // One frame: the zoom is applied and the finer level asked for, but this frame is drawn at the
    // level already prepared; the window does not wait for the tessellation.
    h.step();
    assert_eq!(h.state().figures.shown_detail(), before, "the zoomed frame is drawn at once, at the old level");
    assert!(
        run_until(&mut h, |h| h.state().figures.shown_detail() > before),
        "the finer level arrives from the worker thread"
    );
}
