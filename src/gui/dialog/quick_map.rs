//! The « Carte rapide » dialog: a map of any boundary file and any CSV joined by code, drawn with the
//! classification, palette and language of the « Cartes » panel.

use std::path::PathBuf;

use eframe::egui;

use crate::portrait::MapOptions;
use crate::quickmap::{Join, QuickMapRequest, QuickMapSource, QuickMapStyle, Symbol};
use crate::text::Lang;

use super::super::state::Action;
use super::{Pick, Reply, browse_ui, show};

/// The quick-map dialog's fields, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuickMapDialog {
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

impl QuickMapDialog {
    /// The request these fields ask for, drawn with `options`.
    fn request(&self, options: &MapOptions) -> QuickMapRequest {
        QuickMapRequest {
            source: QuickMapSource {
                boundaries: PathBuf::from(self.boundaries.trim()),
                level: None,
                data: PathBuf::from(self.data.trim()),
                join: Join::parse(&self.join),
                value: self.value.trim().to_owned(),
                assume_crs: None,
            },
            style: QuickMapStyle {
                symbol: if self.circles { Symbol::Circles } else { Symbol::Choropleth },
                method: options.method.clone(),
                classes: options.classes,
                palette: Some(options.palette.clone()),
                title: None,
                source_line: None,
                lang: options.lang,
            },
        }
    }

    /// Draws the dialog; the map is drawn with `options` (the analysis's, or the defaults).
    pub fn ui(&mut self, ui: &mut egui::Ui, options: &MapOptions, lang: Lang) -> Reply {
        show(ui, lang.pick("Carte rapide", "Quick map"), true, |ui| {
            self.fields_ui(ui, lang);
            ui.checkbox(
                &mut self.circles,
                lang.pick("Cercles proportionnels (effectifs)", "Proportional circles (counts)"),
            );
            ui.weak(lang.pick(
                "Classification, palette et langue : celles du panneau « Cartes ».",
                "Classification, palette and language: those of the “Maps” panel.",
            ));
            let ready = [&self.boundaries, &self.data, &self.join, &self.value].iter().all(|f| !f.trim().is_empty());
            if ui.add_enabled(ready, egui::Button::new(lang.pick("Dessiner la carte", "Draw the map"))).clicked() {
                Reply::done(Action::QuickMap(Box::new(self.request(options))))
            } else {
                Reply::default()
            }
        })
    }

    fn fields_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        egui::Grid::new("carte-rapide").num_columns(2).show(ui, |ui| {
            for (label, field, hint, pick) in [
                (
                    lang.pick("Contours (.shp, .geojson)", "Boundaries (.shp, .geojson)"),
                    &mut self.boundaries,
                    "communes.shp",
                    Some(Pick::Boundaries),
                ),
                (lang.pick("Données (.csv)", "Data (.csv)"), &mut self.data, "mes_donnees.csv", Some(Pick::Csv)),
                (
                    lang.pick("Jointure (CODE ou CHAMP=COLONNE)", "Join (CODE or FIELD=COLUMN)"),
                    &mut self.join,
                    "INSEE_COM=codgeo",
                    None,
                ),
                (lang.pick("Colonne des valeurs", "Value column"), &mut self.value, "taux", None),
            ] {
                let label = ui.label(label);
                ui.horizontal(|ui| {
                    ui.add(egui::TextEdit::singleline(&mut *field).hint_text(hint).desired_width(360.0))
                        .labelled_by(label.id);
                    if let Some(pick) = pick {
                        browse_ui(ui, field, pick, lang);
                    }
                });
                ui.end_row();
            }
        });
    }
}
