//! The figure view: the portrait grid and the focused figure, with pan, zoom, hover tooltips,
//! click-to-pick and the levels of detail figures are prepared at (on a worker thread when a zoom
//! asks for a finer one), and the tile background of the map view.
//!
//! It draws the figures it is handed and answers with a [`FigureClick`]; it never reads nor changes
//! the analysis. Depends on `gui/paint`, `gui/basemap`, `gui/i18n` and the library's figure model;
//! never on `gui/state` nor the window's panels and dialogs.

use std::collections::HashMap;
use std::path::PathBuf;

use eframe::egui::{self, Color32, Pos2, Sense, Vec2, emath::TSTransform};

use crate::code::Level;
use crate::figure::{Figure, Mark};
use crate::portrait::{Illustration, TerritoryRef};
use crate::text::Lang;

use super::basemap::{self, Basemap};
use super::i18n::tr_format;
use super::paint::{self, Detail, PreparedFigure, TessellationCache};

/// Which view fills the centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Every figure of the portrait, in a grid.
    Portrait,
    /// One figure, large, with pan and zoom.
    Focus(usize),
}

/// A click on a map unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FigureClick {
    /// Make it the analysis territory.
    Select(TerritoryRef),
    /// Add it to (or remove it from) the custom zone being made.
    Toggle(TerritoryRef),
}

/// What the view needs to know of the frame besides the figures.
pub struct ViewContext<'a> {
    /// The language of the window's texts.
    pub lang: Lang,
    /// Units of the custom zone being made, outlined on the maps.
    pub selected: &'a [TerritoryRef],
}

/// The figures as drawn: prepared meshes by level of detail, the focused figure's zoom and pan, the
/// tile background.
pub struct FigureView {
    /// The centre view.
    pub view: View,
    /// Zoom and pan of the focused figure, relative to fitting the view.
    pub zoom: TSTransform,
    /// Figures ready to paint, by index in the portrait and level of detail, for `revision`.
    prepared: HashMap<(usize, Detail), PreparedFigure>,
    revision: u64,
    /// Geometry not used since the last revision is forgotten after the next frame.
    prune_pending: bool,
    cache: TessellationCache,
    /// A level of detail of the focused figure being prepared off the UI thread.
    preparing: Option<Preparing>,
    /// Level of detail of the focused figure as drawn.
    shown_detail: Detail,
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

impl Default for FigureView {
    fn default() -> Self {
        FigureView {
            view: View::Portrait,
            zoom: TSTransform::IDENTITY,
            prepared: HashMap::new(),
            revision: 0,
            prune_pending: false,
            cache: TessellationCache::default(),
            preparing: None,
            shown_detail: Detail::for_scale(1.0),
            gpu: false,
            basemap: None,
            ground_opacity: 0.75,
            tile_server: std::env::var("INDICARTO_TILES").unwrap_or_else(|_| basemap::OSM_TILES.to_owned()),
            tile_cache: None,
        }
    }
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

impl FigureView {
    /// Back to the whole portrait, unzoomed.
    pub fn show_portrait(&mut self) {
        self.view = View::Portrait;
        self.zoom = TSTransform::IDENTITY;
    }

    /// One figure, fitted to the view.
    pub fn show_focus(&mut self, index: usize) {
        self.view = View::Focus(index);
        self.zoom = TSTransform::IDENTITY;
    }

    /// The level of detail the focused figure was drawn at in the last frame.
    #[must_use]
    pub fn shown_detail(&self) -> Detail {
        self.shown_detail
    }

    /// Whether the tile background is on, and what it showed at the last frame.
    #[must_use]
    pub fn basemap_status(&self) -> Option<basemap::Status> {
        self.basemap.as_ref().map(Basemap::status)
    }

    /// Per-frame work before drawing: a finer level from the worker thread, and a new portrait
    /// revision (`figures` figures, `quick` when it is a quick map). True when the revision is new.
    pub fn logic(&mut self, revision: u64, figures: usize, quick: bool) -> bool {
        if let Some(preparing) = &self.preparing {
            match preparing.result.try_recv() {
                Ok(prepared) => {
                    if preparing.revision == revision {
                        self.prepared.insert(preparing.key, prepared);
                    }
                    self.preparing = None;
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => self.preparing = None,
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
            }
        }
        if self.revision == revision {
            return false;
        }
        // Figures are prepared as they are drawn, at the detail their view needs; the cache keeps
        // the triangles of unchanged geometry, so re-classifying only re-colours.
        self.prepared.clear();
        self.prune_pending = true;
        self.revision = revision;
        if quick {
            self.view = View::Focus(0);
        }
        if let View::Focus(i) = self.view
            && i >= figures
        {
            self.view = View::Portrait;
        }
        true
    }

    /// After the frame: forgets the geometry the new revision no longer uses.
    pub fn end_frame(&mut self) {
        if self.prune_pending {
            self.cache.prune();
            self.prune_pending = false;
        }
    }

    /// What the frame log says of the view.
    #[must_use]
    pub fn describe(&self, figures: usize) -> String {
        match self.view {
            View::Portrait => format!("portrait, {figures} figures"),
            View::Focus(i) => format!(
                "figure {i} agrandie, {:?}, {} triangles",
                self.shown_detail,
                self.prepared.get(&(i, self.shown_detail)).map_or(0, |p| p.triangles)
            ),
        }
    }

    /// The centre: the grid or the focused figure. `place` names the grid's scroll position: a new
    /// one starts at the top.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        portrait: &[Illustration],
        place: egui::IdSalt,
        context: &ViewContext<'_>,
    ) -> Option<FigureClick> {
        match self.view {
            View::Portrait => self.grid_ui(ui, portrait, place, context),
            View::Focus(index) => {
                let Some(illustration) = portrait.get(index) else {
                    self.view = View::Portrait;
                    return None;
                };
                self.focus_ui(ui, illustration, index, context)
            }
        }
    }

    fn grid_ui(
        &mut self,
        ui: &mut egui::Ui,
        portrait: &[Illustration],
        place: egui::IdSalt,
        context: &ViewContext<'_>,
    ) -> Option<FigureClick> {
        let lang = context.lang;
        let columns = if ui.available_width() > 1100.0 { 2 } else { 1 };
        let card_width = (ui.available_width() - 24.0) / columns as f32 - 8.0;
        let mut focus = None;
        let mut click = None;
        let mut look = Look { gpu: self.gpu, lang, selected: context.selected, background: None };
        egui::ScrollArea::vertical().id_salt(place).show(ui, |ui| {
            egui::Grid::new("portrait").num_columns(columns).spacing([12.0, 16.0]).show(ui, |ui| {
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
                                .small_button(lang.pick("Agrandir", "Enlarge"))
                                .on_hover_text(tr_format!(lang, "Agrandir « {} »", "Enlarge “{}”", illustration.title))
                                .clicked()
                            {
                                focus = Some(index);
                            }
                            ui.add(egui::Label::new(egui::RichText::new(&illustration.title).strong()).truncate());
                        });
                        let size = Vec2::new(card_width, size_mm.y * scale);
                        if let Some(clicked) = figure_ui(ui, &illustration.figure, prepared, size, None, &mut look) {
                            click = Some(clicked);
                        }
                    });
                    if (index + 1) % columns == 0 {
                        ui.end_row();
                    }
                }
            });
        });
        if let Some(index) = focus {
            self.show_focus(index);
        }
        click
    }

    /// The level of detail to draw the focused figure at: the wanted one when it is ready, else the
    /// nearest one ready while the wanted one is prepared on a thread (at France scale the finest
    /// takes over half a second): zooming never freezes the window.
    fn focus_detail(&mut self, ctx: &egui::Context, figure: &Figure, index: usize, wanted: Detail) -> Detail {
        let nearest = self
            .prepared
            .keys()
            .filter(|(i, _)| *i == index)
            .map(|(_, d)| *d)
            .min_by_key(|d| (d.level().abs_diff(wanted.level()), std::cmp::Reverse(*d)));
        match nearest {
            Some(d) if d != wanted => {
                let key = (index, wanted);
                if self.preparing.as_ref().is_none_or(|p| p.key != key || p.revision != self.revision) {
                    self.preparing = Some(Preparing::start(ctx, figure, key, self.revision));
                }
                d
            }
            _ => wanted,
        }
    }

    fn focus_ui(
        &mut self,
        ui: &mut egui::Ui,
        illustration: &Illustration,
        index: usize,
        context: &ViewContext<'_>,
    ) -> Option<FigureClick> {
        let lang = context.lang;
        let figure = &illustration.figure;
        let size_mm = Vec2::new(figure.width_mm as f32, figure.height_mm as f32);
        let available = ui.available_size();
        let scale = (available.x / size_mm.x).min(available.y / size_mm.y) * self.zoom.scaling;
        let wanted = Detail::for_scale(scale * ui.ctx().pixels_per_point());
        let detail = self.focus_detail(ui.ctx(), figure, index, wanted);
        self.shown_detail = detail;
        let mut back = false;
        let mut switch_basemap = None;
        let basemap_status = self.basemap_status();
        ui.horizontal_wrapped(|ui| {
            back = ui.button(lang.pick("Retour au portrait", "Back to the portrait")).clicked();
            ui.strong(&illustration.title);
            if ui
                .button(lang.pick("Recadrer", "Fit"))
                .on_hover_text(lang.pick("Revient à la figure entière", "Back to the whole figure"))
                .clicked()
            {
                self.zoom = TSTransform::IDENTITY;
            }
            if figure.georeference.is_some() {
                switch_basemap = basemap::switch_ui(ui, basemap_status, &mut self.ground_opacity, lang);
            }
            ui.weak(lang.pick(
                "molette : zoom ; glisser : déplacer ; clic sur une unité : en faire le territoire",
                "wheel: zoom; drag: pan; click a unit: make it the territory",
            ));
        });
        if let Some(on) = switch_basemap {
            self.basemap = on.then(|| Basemap::new(ui.ctx(), &self.tile_server, self.tile_cache.clone()));
        }
        let prepared =
            self.prepared.entry((index, detail)).or_insert_with(|| paint::prepare(figure, &mut self.cache, detail));
        let mut look = Look {
            gpu: self.gpu,
            lang,
            selected: context.selected,
            background: self.basemap.as_mut().map(|b| {
                // Faded units only over a background actually shown.
                let opacity = if b.status() == basemap::Status::Shown { self.ground_opacity } else { 1.0 };
                (b, opacity)
            }),
        };
        let click = figure_ui(ui, figure, prepared, ui.available_size(), Some(&mut self.zoom), &mut look);
        if back {
            self.view = View::Portrait;
        }
        click
    }
}

/// How a figure is painted beyond its own marks.
struct Look<'a> {
    /// Meshes from GPU buffers (glow renderer).
    gpu: bool,
    /// The language of the tooltips and of the background's credit.
    lang: Lang,
    /// Units of the custom zone being made, outlined.
    selected: &'a [TerritoryRef],
    /// The tile background and the opacity of the units over it.
    background: Option<(&'a mut Basemap, f32)>,
}

/// The level of the units a map layer shows, from its id (the portrait's layer ids).
#[must_use]
pub fn level_of_layer(id: &str) -> Option<Level> {
    // France's outline is drawn for context: it is not a level one picks units from.
    Level::from_layer_id(id).filter(|level| *level != Level::France)
}

/// Applies a drag and a wheel or pinch zoom around the pointer to `view`.
fn pan_and_zoom(ui: &egui::Ui, response: &egui::Response, view: &mut TSTransform) {
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
}

/// Paints a figure in `size`, with hover tooltip and outline; with `view`, pan and zoom. Returns
/// the action of a click on a map unit.
fn figure_ui(
    ui: &mut egui::Ui,
    figure: &Figure,
    prepared: &PreparedFigure,
    size: Vec2,
    view: Option<&mut TSTransform>,
    look: &mut Look<'_>,
) -> Option<FigureClick> {
    let sense = if view.is_some() { Sense::click_and_drag() } else { Sense::click() };
    let (rect, response) = ui.allocate_exact_size(size, sense);
    if !ui.is_rect_visible(rect) {
        return None;
    }
    let fit = (rect.width() / prepared.size_mm.x).min(rect.height() / prepared.size_mm.y);
    let offset = rect.center() - prepared.size_mm * fit / 2.0;
    let base = TSTransform::new(offset.to_vec2(), fit);
    let transform = match view {
        Some(view) => {
            pan_and_zoom(ui, &response, view);
            *view * base
        }
        None => base,
    };
    let painter = ui.painter_at(rect);
    paint_ui(ui, &painter, figure, prepared, transform, look);
    if !look.selected.is_empty() {
        selection_ui(&painter, figure, transform, look.selected);
    }
    hover_ui(ui, &painter, &response, figure, prepared, transform, look.lang)
}

/// The figure's own marks, over the tile background when there is one.
fn paint_ui(
    ui: &egui::Ui,
    painter: &egui::Painter,
    figure: &Figure,
    prepared: &PreparedFigure,
    transform: TSTransform,
    look: &mut Look<'_>,
) {
    match (&mut look.background, &figure.georeference) {
        (Some((basemap, opacity)), Some(georeference)) => {
            paint::paint_page(painter, prepared, transform);
            basemap.paint(painter, georeference, transform, ui.ctx().pixels_per_point(), look.lang);
            paint::paint_marks(painter, prepared, transform, look.gpu, *opacity);
        }
        _ => paint::paint(painter, prepared, transform, look.gpu),
    }
}

/// The unit under the pointer: its outline, its tooltip, and what a click on it asks.
fn hover_ui(
    ui: &egui::Ui,
    painter: &egui::Painter,
    response: &egui::Response,
    figure: &Figure,
    prepared: &PreparedFigure,
    transform: TSTransform,
    lang: Lang,
) -> Option<FigureClick> {
    let hovered = response.hover_pos()?;
    let at = transform.inverse() * hovered;
    let (layer, tag, outline) = paint::hit(figure, prepared, at)?;
    for ring in outline {
        let points: Vec<Pos2> = ring.into_iter().map(|p| transform * p).collect();
        painter.add(egui::Shape::closed_line(points, egui::Stroke::new(2.0, Color32::from_rgb(20, 20, 20))));
    }
    let level = level_of_layer(layer);
    let tooltip = response.clone().on_hover_ui_at_pointer(|ui| {
        ui.strong(&tag.name);
        if !tag.code.is_empty() && level.is_some() {
            ui.label(tr_format!(lang, "code {}", "code {}", tag.code));
        }
        if !tag.label.is_empty() {
            ui.label(&tag.label);
        } else if let Some(status) = tag.status {
            ui.label(if status == "secret" {
                lang.pick("secret statistique", "statistical secrecy")
            } else {
                lang.pick("donnée non disponible", "no data")
            });
        }
        if level.is_some() {
            ui.weak(lang.pick("clic : en faire le territoire d'analyse", "click: make it the analysis territory"));
            ui.weak(lang.pick("Maj+clic : l'ajouter à la zone en cours", "Shift+click: add it to the zone being made"));
        }
    });
    let tooltip = tooltip.on_hover_cursor(if level.is_some() {
        egui::CursorIcon::PointingHand
    } else {
        egui::CursorIcon::Default
    });
    let level = level.filter(|_| tooltip.clicked())?;
    let unit = TerritoryRef::new(level, &tag.code);
    Some(if ui.input(|i| i.modifiers.shift) { FigureClick::Toggle(unit) } else { FigureClick::Select(unit) })
}

/// Outlines the units of the custom zone being made, on top of the figure.
fn selection_ui(painter: &egui::Painter, figure: &Figure, transform: TSTransform, selected: &[TerritoryRef]) {
    let stroke = egui::Stroke::new(2.5, Color32::from_rgb(230, 90, 0));
    for layer in &figure.layers {
        let Some(level) = level_of_layer(&layer.id) else { continue };
        for mark in &layer.marks {
            let Mark::Path { rings, tag: Some(tag), .. } = mark else { continue };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_layers_name_their_level_and_other_layers_none() {
        assert_eq!(level_of_layer("communes"), Some(Level::Commune));
        assert_eq!(level_of_layer("epci"), Some(Level::Epci));
        assert_eq!(level_of_layer("departements"), Some(Level::Departement));
        assert_eq!(level_of_layer("regions"), Some(Level::Region));
        assert_eq!(level_of_layer("legende"), None);
        assert_eq!(level_of_layer("france"), None, "France's outline is not a level one picks from");
    }
}
