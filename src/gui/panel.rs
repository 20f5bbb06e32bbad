//! The side panel, top to bottom as it is shown: the territory (search, comparison zones, the custom
//! zone being made), the project (template, year), the maps (classification, palette, extent, the
//! figures' language, the live histogram) and the pack's indicators.
//!
//! It reads [`AppState`] and pushes [`Action`]s; what it keeps itself is only what is being typed or
//! picked (the search, the custom zone's units and name). Depends on `gui/state`, `gui/histogram`
//! and `gui/i18n`; never on the window (`gui/app`), the dialogs or the figure view.

use std::collections::BTreeMap;

use eframe::egui;

use crate::indicator::Indicator;
use crate::portrait::{MapExtent, TerritoryRef};
use crate::text::Lang;

use super::draft::Draft;
use super::histogram::{Histogram, histogram_ui};
use super::i18n::{FIGURE_LANGS, level_name, tr_format};
use super::state::{Action, AppState, methods};

/// Results of the territory search shown at most.
const SEARCH_HITS: usize = 12;

/// What the side panel keeps between frames: what is typed and picked, never the analysis.
#[derive(Debug, Default)]
pub struct SidePanel {
    /// The search field.
    pub search: String,
    /// The last search and its results, with the revision they were made at.
    search_hits: Option<((String, u64), Vec<TerritoryRef>)>,
    /// Give the search field the keyboard at the next frame (Ctrl+F).
    pub focus_search: bool,
    /// Units of the custom zone being made.
    pub zone_members: Vec<TerritoryRef>,
    /// Its name, as typed.
    pub zone_name: String,
}

impl SidePanel {
    /// Adds a unit to the custom zone being made, or removes it when it is there.
    pub fn toggle_zone_member(&mut self, unit: TerritoryRef) {
        if let Some(i) = self.zone_members.iter().position(|m| *m == unit) {
            self.zone_members.remove(i);
        } else {
            self.zone_members.push(unit);
        }
    }

    /// Draws the panel.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        state: &AppState,
        histogram: Option<&Histogram>,
        actions: &mut Vec<Action>,
    ) {
        let lang = state.lang();
        let Some(draft) = state.draft() else {
            if state.loading.is_some() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(lang.pick("Chargement des données…", "Loading the data…"));
                });
            }
            return;
        };
        ui.heading(lang.pick("Territoire", "Territory"));
        self.search_ui(ui, state, draft, actions);
        ui.add_space(4.0);
        ui.label(egui::RichText::new(state.display_name(&draft.territory)).strong().size(16.0));
        ui.add_space(6.0);
        comparisons_ui(ui, state, draft, actions);
        self.zone_ui(ui, state, actions);

        ui.separator();
        ui.heading(lang.pick("Projet", "Project"));
        template_and_year_ui(ui, state, draft, actions);

        ui.separator();
        ui.heading(lang.pick("Cartes", "Maps"));
        classification_ui(ui, draft, lang, actions);
        if let Some(h) = histogram {
            histogram_ui(ui, h, lang);
        }

        ui.separator();
        indicators_ui(ui, state, lang);
    }

    /// The search field and its results, each with « + comparer » and « + zone ».
    fn search_ui(&mut self, ui: &mut egui::Ui, state: &AppState, draft: &Draft, actions: &mut Vec<Action>) {
        let lang = state.lang();
        let label = ui.label(lang.pick("Rechercher (nom ou code)", "Search (name or code)"));
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut self.search)
                    .hint_text(lang.pick("ex. amiens, 80021, somme", "e.g. amiens, 80021, somme")),
            )
            .labelled_by(label.id);
        if self.focus_search {
            field.request_focus();
            self.focus_search = false;
        }
        if self.search.trim().is_empty() {
            return;
        }
        // Searched when the text or the pack changes, not at every frame.
        let key = (self.search.clone(), state.revision);
        if self.search_hits.as_ref().is_none_or(|(k, _)| *k != key) {
            self.search_hits = Some((key, state.search(&self.search, SEARCH_HITS)));
        }
        let hits = self.search_hits.as_ref().map(|(_, h)| h.clone()).unwrap_or_default();
        if hits.is_empty() {
            ui.weak(lang.pick("Aucun territoire ne correspond.", "No territory matches."));
        }
        let names: Vec<String> = hits.iter().map(|h| state.display_name(h)).collect();
        for (hit, plain) in hits.into_iter().zip(&names) {
            // Homonyms (three communes are called Dury) get their code.
            let name = if names.iter().filter(|n| *n == plain).count() > 1 {
                let own = state.territory(&hit).map_or("", |t| t.name.as_str());
                format!("{own} ({} {})", level_name(&hit.level, lang), hit.code)
            } else {
                plain.clone()
            };
            match hit_ui(ui, &name, hit != draft.territory, lang) {
                Some(HitChoice::Select) => {
                    actions.push(Action::SelectTerritory(hit));
                    self.search.clear();
                }
                Some(HitChoice::Compare) => actions.push(Action::AddComparison(hit)),
                Some(HitChoice::Zone) if !self.zone_members.contains(&hit) => self.zone_members.push(hit),
                Some(HitChoice::Zone) | None => {}
            }
        }
    }

    /// The custom zone being made (units from the search or Shift+click on a map), and the zones
    /// already made.
    fn zone_ui(&mut self, ui: &mut egui::Ui, state: &AppState, actions: &mut Vec<Action>) {
        let lang = state.lang();
        let zones = state.custom_zones();
        let header = if self.zone_members.is_empty() && zones.is_empty() {
            lang.pick("Zone personnalisée", "Custom zone").to_owned()
        } else {
            tr_format!(lang, "Zone personnalisée ({})", "Custom zone ({})", self.zone_members.len())
        };
        egui::CollapsingHeader::new(header)
            .id_salt("zone-perso")
            // Open while a zone is being made, so its units and its name field show.
            .open(if self.zone_members.is_empty() { None } else { Some(true) })
            .show(ui, |ui| {
                ui.weak(lang.pick(
                    "Choisissez des unités : « + zone » dans la recherche, ou Maj+clic sur une carte.",
                    "Pick units: “+ zone” in the search, or Shift+click on a map.",
                ));
                self.members_ui(ui, state, actions);
                if !zones.is_empty() {
                    ui.label(lang.pick("Zones enregistrées", "Saved zones"));
                    for zone in zones {
                        saved_zone_ui(ui, &zone, lang, actions);
                    }
                }
            });
    }

    /// The units of the zone being made, its name and « Enregistrer la zone ».
    fn members_ui(&mut self, ui: &mut egui::Ui, state: &AppState, actions: &mut Vec<Action>) {
        let lang = state.lang();
        let mut remove = None;
        ui.horizontal_wrapped(|ui| {
            for (i, member) in self.zone_members.iter().enumerate() {
                let name = state.display_name(member);
                if ui
                    .small_button(format!("{name}  ×"))
                    .on_hover_text(lang.pick("Retirer de la zone", "Remove from the zone"))
                    .clicked()
                {
                    remove = Some(i);
                }
            }
        });
        if let Some(i) = remove {
            self.zone_members.remove(i);
        }
        let label = ui.label(lang.pick("Nom de la zone", "Zone name"));
        ui.add(
            egui::TextEdit::singleline(&mut self.zone_name)
                .hint_text(lang.pick("ex. Amiens et voisines", "e.g. Amiens and neighbours")),
        )
        .labelled_by(label.id);
        let ready = !self.zone_members.is_empty() && !self.zone_name.trim().is_empty();
        if ui.add_enabled(ready, egui::Button::new(lang.pick("Enregistrer la zone", "Save the zone"))).clicked() {
            actions.push(Action::SaveCustomZone {
                name: self.zone_name.trim().to_owned(),
                members: std::mem::take(&mut self.zone_members),
            });
            self.zone_name.clear();
        }
    }
}

/// What a search result's buttons ask for.
enum HitChoice {
    /// Make it the analysis territory.
    Select,
    /// Add it to the comparison zones.
    Compare,
    /// Add it to the custom zone being made.
    Zone,
}

/// One search result: its name (a button that makes it the territory), « + comparer » when it is
/// not the territory already, and « + zone ».
fn hit_ui(ui: &mut egui::Ui, name: &str, can_compare: bool, lang: Lang) -> Option<HitChoice> {
    let mut choice = None;
    ui.horizontal(|ui| {
        if ui
            .button(name)
            .on_hover_text(lang.pick("Choisir comme territoire d'analyse", "Make it the analysis territory"))
            .clicked()
        {
            choice = Some(HitChoice::Select);
        }
        if can_compare {
            let describe =
                tr_format!(lang, "Ajouter {name} aux zones de comparaison", "Add {name} to the comparison zones");
            if described_button_ui(ui, lang.pick("+ comparer", "+ compare"), &describe) {
                choice = Some(HitChoice::Compare);
            }
        }
        let describe = tr_format!(lang, "Ajouter {name} à la zone personnalisée", "Add {name} to the custom zone");
        if described_button_ui(ui, lang.pick("+ zone", "+ zone"), &describe) {
            choice = Some(HitChoice::Zone);
        }
    });
    choice
}

/// A small button whose short text needs its row to make sense: screen readers and tests get the
/// whole `describe` (which « + comparer » is this?), and so does its hint.
fn described_button_ui(ui: &mut egui::Ui, text: &str, describe: &str) -> bool {
    let button = ui.small_button(text).on_hover_text(describe);
    button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, describe));
    button.clicked()
}

/// A saved custom zone: its name (a button that makes it the territory) and « × » to delete it.
fn saved_zone_ui(ui: &mut egui::Ui, zone: &crate::pack::CustomZone, lang: Lang, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        if ui
            .button(&zone.name)
            .on_hover_text(lang.pick("En faire le territoire d'analyse", "Make it the analysis territory"))
            .clicked()
        {
            actions.push(Action::SelectTerritory(zone.zone.clone()));
        }
        let describe = tr_format!(lang, "Supprimer la zone {}", "Delete the zone {}", zone.name);
        if described_button_ui(ui, "×", &describe) {
            actions.push(Action::RemoveCustomZone(zone.zone.clone()));
        }
    });
}

/// The comparison zones as chips, « × » removing one.
fn comparisons_ui(ui: &mut egui::Ui, state: &AppState, draft: &Draft, actions: &mut Vec<Action>) {
    let lang = state.lang();
    ui.label(lang.pick("Zones de comparaison", "Comparison zones"));
    ui.horizontal_wrapped(|ui| {
        for zone in &draft.comparisons {
            let name = state.display_name(zone);
            if ui
                .button(format!("{name}  ×"))
                .on_hover_text(tr_format!(lang, "Retirer {name}", "Remove {name}"))
                .clicked()
            {
                actions.push(Action::RemoveComparison(zone.clone()));
            }
        }
        if draft.comparisons.is_empty() {
            ui.weak(lang.pick("aucune : ajoutez-en par la recherche", "none: add some with the search"));
        }
    });
}

/// The portrait template and the year.
fn template_and_year_ui(ui: &mut egui::Ui, state: &AppState, draft: &Draft, actions: &mut Vec<Action>) {
    let lang = state.lang();
    let Some(pack) = state.pack() else { return };
    let current = pack.manifest.templates.iter().find(|t| t.id == draft.template);
    let label = ui.label(lang.pick("Modèle de portrait", "Portrait template"));
    egui::ComboBox::from_id_salt("modele")
        .selected_text(current.map_or(draft.template.clone(), |t| t.title.clone()))
        .width(270.0)
        .show_ui(ui, |ui| {
            for t in &pack.manifest.templates {
                if ui.selectable_label(t.id == draft.template, &t.title).on_hover_text(&t.description).clicked() {
                    actions.push(Action::SetTemplate(t.id.clone()));
                }
            }
        })
        .response
        .labelled_by(label.id);
    let mut years: Vec<i32> = pack.store.indicators().flat_map(|i| i.years.iter().copied()).collect();
    years.sort_unstable();
    years.dedup();
    let latest = lang.pick("la plus récente", "latest");
    let label = ui.label(lang.pick("Année", "Year"));
    egui::ComboBox::from_id_salt("annee")
        .selected_text(draft.year.map_or(latest.to_owned(), |y| y.to_string()))
        .show_ui(ui, |ui| {
            if ui.selectable_label(draft.year.is_none(), latest).clicked() {
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

/// Classification method, number of classes, palette, extent, the figures' language, same breaks.
fn classification_ui(ui: &mut egui::Ui, draft: &Draft, lang: Lang, actions: &mut Vec<Action>) {
    let options = &draft.options;
    let label = ui.label(lang.pick("Méthode de classification", "Classification method"));
    egui::ComboBox::from_id_salt("methode")
        .selected_text(options.method.label(lang))
        .width(220.0)
        .show_ui(ui, |ui| {
            for method in methods() {
                let text = method.label(lang);
                if ui.selectable_label(options.method == method, text).clicked() {
                    actions.push(Action::SetMethod(method));
                }
            }
        })
        .response
        .labelled_by(label.id);
    if options.method.uses_class_count() {
        let mut classes = options.classes;
        let label = ui.label(lang.pick("Nombre de classes", "Number of classes"));
        let slider = ui.add(egui::Slider::new(&mut classes, 3..=9)).labelled_by(label.id);
        if slider.changed() {
            actions.push(Action::SetClasses(classes));
        }
    }
    palette_ui(ui, &options.palette, lang, actions);
    ui.horizontal(|ui| {
        for (extent, text) in [
            (MapExtent::Auto, lang.pick("Automatique", "Automatic")),
            (MapExtent::Territory, lang.pick("Territoire", "Territory")),
            (MapExtent::Region, lang.pick("Région", "Region")),
        ] {
            if ui
                .selectable_label(options.extent == extent, text)
                .on_hover_text(lang.pick("Unités montrées par les cartes", "Units the maps show"))
                .clicked()
            {
                actions.push(Action::SetExtent(extent));
            }
        }
    });
    ui.horizontal(|ui| {
        ui.label(lang.pick("Langue des figures", "Language of figures"));
        for (figure_lang, text) in FIGURE_LANGS {
            if ui.selectable_label(options.lang == figure_lang, text).clicked() {
                actions.push(Action::SetFigureLang(figure_lang));
            }
        }
    });
    let mut same = options.same_breaks_across_years;
    let text = lang.pick("Mêmes classes pour toutes les années", "Same classes for every year");
    if ui.checkbox(&mut same, text).changed() {
        actions.push(Action::SetSameBreaks(same));
    }
}

/// The ColorBrewer palettes, the colour-blind safe ones said so.
fn palette_ui(ui: &mut egui::Ui, current: &str, lang: Lang, actions: &mut Vec<Action>) {
    let label = ui.label("Palette");
    egui::ComboBox::from_id_salt("palette")
        .selected_text(current)
        .show_ui(ui, |ui| {
            for p in crate::palette::all() {
                let text = if p.colorblind_safe {
                    tr_format!(lang, "{} (daltonisme)", "{} (colour-blind safe)", p.name)
                } else {
                    p.name.to_owned()
                };
                if ui.selectable_label(current == p.name, text).clicked() {
                    actions.push(Action::SetPalette(p.name.to_owned()));
                }
            }
        })
        .response
        .labelled_by(label.id);
}

/// The pack's indicators by theme, each with its definition, unit, years and source on hover; then
/// the warnings of its loading.
fn indicators_ui(ui: &mut egui::Ui, state: &AppState, lang: Lang) {
    let Some(pack) = state.pack() else { return };
    egui::CollapsingHeader::new(lang.pick("Indicateurs du pack", "Indicators of the pack")).default_open(false).show(
        ui,
        |ui| {
            let mut themes: BTreeMap<&str, Vec<&Indicator>> = BTreeMap::new();
            for indicator in pack.store.indicators() {
                let theme = if indicator.theme.is_empty() {
                    lang.pick("Sans thème", "No theme")
                } else {
                    indicator.theme.as_str()
                };
                themes.entry(theme).or_default().push(indicator);
            }
            for (theme, indicators) in themes {
                egui::CollapsingHeader::new(theme).show(ui, |ui| {
                    for indicator in indicators {
                        ui.label(&indicator.label).on_hover_ui(|ui| indicator_ui(ui, indicator, lang));
                    }
                });
            }
        },
    );
    if !pack.warnings.is_empty() {
        let header = tr_format!(lang, "Données : {} avertissement(s)", "Data: {} warning(s)", pack.warnings.len());
        egui::CollapsingHeader::new(header).show(ui, |ui| {
            for w in &pack.warnings {
                ui.label(w.to_string());
            }
        });
    }
}

/// An indicator's card: label, definition, unit, years, source.
fn indicator_ui(ui: &mut egui::Ui, indicator: &Indicator, lang: Lang) {
    let years = match (indicator.years.first(), indicator.years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => "—".to_owned(),
    };
    ui.strong(&indicator.label);
    if !indicator.definition.is_empty() {
        ui.label(&indicator.definition);
    }
    let unit = if indicator.unit.is_empty() { "—" } else { &indicator.unit };
    ui.label(tr_format!(lang, "Unité : {}", "Unit: {}", unit));
    ui.label(tr_format!(lang, "Années : {years}", "Years: {years}"));
    if !indicator.source.is_empty() {
        ui.label(tr_format!(lang, "Source : {}", "Source: {}", indicator.source));
    }
}
