//! The optional OpenStreetMap background of the map view.
//!
//! Raster tiles come from a tile server in Web Mercator, fetched and cached by walkers on its own thread.
//! The map itself stays in its own projection (Lambert-93 for French packs): each tile is warped onto the
//! page by a grid of small quads whose corners are reprojected one by one (tile → longitude/latitude →
//! the map's CRS → page millimetres through the figure's [`Georeference`]), then drawn under the map's
//! units. The quads are small enough (1/8 of a tile) for the conic distortion inside one to stay under a
//! pixel. The background is a view aid: it is never exported.
//!
//! Off by default. Without network the requests fail on walkers' thread, the map stays as it is, and
//! [`Status::Unavailable`] lets the window say so.
//!
//! Depends on `figure`, `boundary::crs`, `text` (the language it is handed), egui and walkers; never on
//! the window's other modules.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use eframe::egui::{self, Color32, Pos2, Rect, emath::TSTransform};
use walkers::sources::{Attribution, TileSource};
use walkers::{TileId, Tiles as _};

use crate::boundary::{Crs, crs::Transformer};
use crate::figure::Georeference;
use crate::text::Lang;

/// OpenStreetMap's standard tiles (<https://operations.osmfoundation.org/policies/tiles/>).
pub const OSM_TILES: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

/// Metres per pixel of a 256-pixel tile at zoom 0 on the equator: the equator's length / 256.
const METRES_PER_PIXEL_Z0: f64 = 2.0 * std::f64::consts::PI * 6_378_137.0 / 256.0;

/// Quads per tile side.
const GRID: usize = 8;

/// More tiles than this in view: one zoom level less (a wide window at a fine zoom).
const MAX_TILES: usize = 48;

/// Warped tile grids kept (81 page positions each).
const MAX_WARPED: usize = 4096;

/// Highest zoom of OpenStreetMap's standard tiles.
const MAX_ZOOM: u8 = 19;

/// With nothing in flight for this long after the last new request and no tile to show, the server is
/// taken as unreachable.
const QUIET: Duration = Duration::from_millis(1500);

/// A request unanswered for this long counts as a failure too (a network that swallows packets).
const PATIENCE: Duration = Duration::from_secs(20);

/// What the background shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Tiles requested, none arrived yet.
    Loading,
    /// At least one tile of the view is drawn.
    Shown,
    /// No tile could be had: offline, or the server refused.
    Unavailable,
}

/// A tile server given by a URL template with `{z}`, `{x}` and `{y}`.
struct Server {
    template: String,
}

impl TileSource for Server {
    fn tile_url(&self, tile: TileId) -> String {
        self.template
            .replace("{z}", &tile.zoom.to_string())
            .replace("{x}", &tile.x.to_string())
            .replace("{y}", &tile.y.to_string())
    }

    fn attribution(&self) -> Attribution {
        Attribution {
            text: "© OpenStreetMap contributors",
            url: "https://www.openstreetmap.org/copyright",
            logo_light: None,
            logo_dark: None,
        }
    }
}

/// The background of the focused map: the tile cache and the warped tile grids.
pub struct Basemap {
    tiles: walkers::HttpTiles,
    /// Tiles asked for since the background was switched on, and when the last new one was.
    asked: HashSet<TileId>,
    last_request: Instant,
    status: Status,
    /// Page positions of every tile's grid vertices, for `warped_for`.
    warped: HashMap<TileId, Vec<Pos2>>,
    warped_for: Option<Georeference>,
    /// Longitude/latitude → the map's CRS and back, for `warped_for`.
    transformers: Option<(Transformer, Transformer, bool)>,
}

impl Basemap {
    /// Starts the tile thread for a server URL template (`{z}/{x}/{y}`), with an HTTP cache in `cache`
    /// when given (OpenStreetMap asks its users to cache tiles).
    #[must_use]
    pub fn new(ctx: &egui::Context, template: &str, cache: Option<PathBuf>) -> Basemap {
        // rustls without a default provider in walkers' build: ring, once per process.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let options = walkers::HttpOptions {
            cache,
            user_agent: Some(walkers::HeaderValue::from_static(concat!(
                "Indicarto/",
                env!("CARGO_PKG_VERSION"),
                " (desktop application for territorial observation)"
            ))),
            ..walkers::HttpOptions::default()
        };
        Basemap {
            tiles: walkers::HttpTiles::with_options(Server { template: template.to_owned() }, options, ctx.clone()),
            asked: HashSet::new(),
            last_request: Instant::now(),
            status: Status::Loading,
            warped: HashMap::new(),
            warped_for: None,
            transformers: None,
        }
    }

    /// What the background showed at the last frame.
    #[must_use]
    pub fn status(&self) -> Status {
        self.status
    }

    /// Draws the tiles under the map frame of a figure drawn at `to_screen`, their credit in the
    /// window's language; returns the status.
    pub fn paint(
        &mut self,
        painter: &egui::Painter,
        georeference: &Georeference,
        to_screen: TSTransform,
        pixels_per_point: f32,
        lang: Lang,
    ) -> Status {
        let [x, y, w, h] = georeference.frame;
        let frame = Rect::from_min_size(Pos2::new(x as f32, y as f32), egui::vec2(w as f32, h as f32));
        let on_screen = (to_screen * frame).intersect(painter.clip_rect());
        if !on_screen.is_positive() {
            return self.status;
        }
        if self.warped.len() > MAX_WARPED {
            // Panning over many zoom levels: start again rather than keep every grid seen.
            self.warped.clear();
        }
        if self.warped_for.as_ref() != Some(georeference) {
            self.warped.clear();
            self.transformers = Crs::from_proj4(&georeference.proj4).ok().and_then(|crs| {
                let to_map = Transformer::new(&Crs::wgs84(), &crs).ok()?;
                let to_lonlat = Transformer::new(&crs, &Crs::wgs84()).ok()?;
                Some((to_map, to_lonlat, crs.is_geographic()))
            });
            self.warped_for = Some(georeference.clone());
        }
        let Some((to_map, to_lonlat, geographic)) = &self.transformers else {
            self.status = Status::Unavailable;
            return self.status;
        };
        let visible = to_screen.inverse() * on_screen;
        let Some(view) = LonLatBox::of_page_rect(visible, georeference, to_lonlat) else {
            return self.status;
        };
        // Screen pixels per ground metre: points per page mm × pixels per point × page mm per CRS unit.
        let metres_per_unit = if *geographic { 111_320.0 * view.mid_lat().to_radians().cos() } else { 1.0 };
        let pixels_per_metre =
            f64::from(to_screen.scaling) * f64::from(pixels_per_point) * georeference.scale / metres_per_unit;
        let mut zoom = zoom_for(pixels_per_metre, view.mid_lat());
        let mut ids = view.tiles(zoom);
        while ids.len() > MAX_TILES && zoom > 0 {
            zoom -= 1;
            ids = view.tiles(zoom);
        }

        let mut shown = 0;
        let mut meshes: HashMap<egui::TextureId, egui::Mesh> = HashMap::new();
        for id in ids {
            if self.asked.insert(id) {
                self.last_request = Instant::now();
            }
            let Some(piece) = self.tiles.at(id) else { continue };
            let page = self.warped.entry(id).or_insert_with(|| warp(id, georeference, to_map));
            if page.is_empty() {
                continue;
            }
            let walkers::Tile::Raster(texture) = &piece.tile;
            let mesh = meshes.entry(texture.id()).or_insert_with(|| egui::Mesh::with_texture(texture.id()));
            add_grid(mesh, page, piece.uv, to_screen);
            shown += 1;
        }
        let clipped = painter.with_clip_rect(on_screen);
        for (_, mesh) in meshes {
            clipped.add(egui::Shape::mesh(mesh));
        }

        let in_flight = self.tiles.stats().in_progress;
        let waited = self.last_request.elapsed();
        self.status = if shown > 0 {
            Status::Shown
        } else if (in_flight == 0 && waited > QUIET) || waited > PATIENCE {
            Status::Unavailable
        } else {
            // Poll again: walkers hands over downloaded tiles one per frame.
            painter.ctx().request_repaint_after(Duration::from_millis(200));
            Status::Loading
        };
        if self.status == Status::Shown {
            attribution(&clipped, on_screen, lang);
        }
        self.status
    }
}

/// OpenStreetMap's licence asks for its credit on the map.
fn attribution(painter: &egui::Painter, frame: Rect, lang: Lang) {
    let text = lang.pick("© les contributeurs d'OpenStreetMap", "© OpenStreetMap contributors");
    let galley = painter.layout_no_wrap(text.to_owned(), egui::FontId::proportional(10.0), Color32::from_gray(40));
    let size = galley.size() + egui::vec2(6.0, 2.0);
    let at = frame.max - size;
    painter.rect_filled(Rect::from_min_size(at, size), 0.0, Color32::from_white_alpha(200));
    painter.galley(at + egui::vec2(3.0, 1.0), galley, Color32::from_gray(40));
}

/// The background's switch, its status, and the opacity of the units over it; `Some(on)` when the
/// switch was clicked.
pub fn switch_ui(ui: &mut egui::Ui, status: Option<Status>, opacity: &mut f32, lang: Lang) -> Option<bool> {
    let mut switch = None;
    let mut on = status.is_some();
    if ui
        .checkbox(&mut on, lang.pick("Fond OpenStreetMap", "OpenStreetMap background"))
        .on_hover_text(lang.pick(
            "Tuiles téléchargées d'OpenStreetMap sous la carte, pour se repérer ; jamais exportées",
            "Tiles downloaded from OpenStreetMap under the map, to find one's way; never exported",
        ))
        .changed()
    {
        switch = Some(on);
    }
    match status {
        Some(Status::Loading) => {
            ui.weak(lang.pick("chargement des tuiles…", "loading tiles…"));
        }
        Some(Status::Unavailable) => {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                lang.pick("Fond de carte indisponible (hors ligne ?)", "Background unavailable (offline?)"),
            )
            .on_hover_text(lang.pick(
                "Le serveur de tuiles ne répond pas : la carte reste utilisable sans fond.",
                "The tile server does not answer: the map works without a background.",
            ));
        }
        Some(Status::Shown) | None => {}
    }
    if status == Some(Status::Shown) {
        ui.add(
            egui::Slider::new(opacity, 0.2..=1.0)
                .text(lang.pick("opacité des aplats", "fill opacity"))
                .custom_formatter(|v, _| format!("{:.0} %", v * 100.0)),
        );
    }
    switch
}

/// The page positions of a tile's (GRID + 1)² grid vertices, row by row; empty if a corner cannot be
/// projected (a tile beyond the projection's domain).
fn warp(id: TileId, georeference: &Georeference, to_map: &Transformer) -> Vec<Pos2> {
    let mut page = Vec::with_capacity((GRID + 1) * (GRID + 1));
    for row in 0..=GRID {
        for column in 0..=GRID {
            let (lon, lat) = lonlat_of(
                f64::from(id.x) + column as f64 / GRID as f64,
                f64::from(id.y) + row as f64 / GRID as f64,
                id.zoom,
            );
            let Ok((x, y)) = to_map.transform(lon, lat) else { return Vec::new() };
            if !x.is_finite() || !y.is_finite() {
                return Vec::new();
            }
            let [px, py] = georeference.to_page(x, y);
            page.push(Pos2::new(px as f32, py as f32));
        }
    }
    page
}

/// Appends a warped tile to a textured mesh: vertex (row, column) takes the matching point of `uv`.
fn add_grid(mesh: &mut egui::Mesh, page: &[Pos2], uv: Rect, to_screen: TSTransform) {
    let base = mesh.vertices.len() as u32;
    for (i, &p) in page.iter().enumerate() {
        let (row, column) = (i / (GRID + 1), i % (GRID + 1));
        let uv = Pos2::new(
            uv.min.x + uv.width() * column as f32 / GRID as f32,
            uv.min.y + uv.height() * row as f32 / GRID as f32,
        );
        mesh.vertices.push(egui::epaint::Vertex { pos: to_screen * p, uv, color: Color32::WHITE });
    }
    let stride = (GRID + 1) as u32;
    for row in 0..GRID as u32 {
        for column in 0..GRID as u32 {
            let a = base + row * stride + column;
            mesh.indices.extend_from_slice(&[a, a + 1, a + stride, a + 1, a + stride + 1, a + stride]);
        }
    }
}

/// Longitude and latitude (degrees) of a point of the tile grid at `zoom` (x, y in tiles, fractional).
#[must_use]
pub fn lonlat_of(x: f64, y: f64, zoom: u8) -> (f64, f64) {
    let n = f64::from(1u32 << zoom);
    let lon = x / n * 360.0 - 180.0;
    let lat = (std::f64::consts::PI * (1.0 - 2.0 * y / n)).sinh().atan().to_degrees();
    (lon, lat)
}

/// The tile grid position (fractional) of a longitude/latitude at `zoom`.
#[must_use]
pub fn tile_of(lon: f64, lat: f64, zoom: u8) -> (f64, f64) {
    let n = f64::from(1u32 << zoom);
    let lat = lat.clamp(-85.051_128, 85.051_128).to_radians();
    let x = (lon + 180.0) / 360.0 * n;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * n;
    (x, y)
}

/// The zoom whose tile pixels are closest to the screen's pixels, for a view at `pixels_per_metre`
/// around latitude `lat`.
#[must_use]
pub fn zoom_for(pixels_per_metre: f64, lat: f64) -> u8 {
    let ground_metres_per_tile_pixel_z0 = METRES_PER_PIXEL_Z0 * lat.to_radians().cos();
    let zoom = (ground_metres_per_tile_pixel_z0 * pixels_per_metre).log2().round();
    if zoom.is_finite() { zoom.clamp(0.0, f64::from(MAX_ZOOM)) as u8 } else { 0 }
}

/// The longitude/latitude bounds of what is visible.
#[derive(Debug, Clone, Copy, PartialEq)]
struct LonLatBox {
    west: f64,
    south: f64,
    east: f64,
    north: f64,
}

impl LonLatBox {
    /// Bounds of a page rectangle: its edges are sampled, since a conic projection bends meridians.
    fn of_page_rect(rect: Rect, georeference: &Georeference, to_lonlat: &Transformer) -> Option<LonLatBox> {
        const STEPS: usize = 8;
        let mut bounds: Option<LonLatBox> = None;
        for i in 0..=STEPS {
            let t = i as f32 / STEPS as f32;
            let along = [
                Pos2::new(rect.min.x + rect.width() * t, rect.min.y),
                Pos2::new(rect.min.x + rect.width() * t, rect.max.y),
                Pos2::new(rect.min.x, rect.min.y + rect.height() * t),
                Pos2::new(rect.max.x, rect.min.y + rect.height() * t),
            ];
            for p in along {
                let [x, y] = georeference.to_ground(f64::from(p.x), f64::from(p.y));
                let Ok((lon, lat)) = to_lonlat.transform(x, y) else { continue };
                if !lon.is_finite() || !lat.is_finite() {
                    continue;
                }
                let b = bounds.get_or_insert(LonLatBox { west: lon, south: lat, east: lon, north: lat });
                b.west = b.west.min(lon);
                b.east = b.east.max(lon);
                b.south = b.south.min(lat);
                b.north = b.north.max(lat);
            }
        }
        bounds
    }

    fn mid_lat(&self) -> f64 {
        f64::midpoint(self.south, self.north)
    }

    /// The tiles of `zoom` that cover the box.
    fn tiles(&self, zoom: u8) -> Vec<TileId> {
        let last = (1u32 << zoom) - 1;
        let (x0, y0) = tile_of(self.west, self.north, zoom);
        let (x1, y1) = tile_of(self.east, self.south, zoom);
        let clamp = |v: f64| (v.floor().max(0.0) as u32).min(last);
        let mut ids = Vec::new();
        for y in clamp(y0)..=clamp(y1) {
            for x in clamp(x0)..=clamp(x1) {
                ids.push(TileId { x, y, zoom });
            }
        }
        ids
    }
}

/// Where downloaded tiles are kept between sessions: the platform's cache folder.
#[must_use]
pub fn cache_dir() -> Option<PathBuf> {
    let base = if cfg!(target_os = "windows") {
        std::env::var_os("LOCALAPPDATA").map(PathBuf::from)
    } else if cfg!(target_os = "macos") {
        std::env::var_os("HOME").map(|home| PathBuf::from(home).join("Library/Caches"))
    } else {
        std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
    };
    base.map(|dir| dir.join("indicarto").join("tuiles"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The OpenStreetMap wiki's example ("Slippy map tilenames"): Berlin, 13.4° E 52.5° N, is in tile
    /// 2200/1343 at zoom 12.
    #[test]
    fn tile_numbers_match_the_osm_wiki_example() {
        let (x, y) = tile_of(13.4, 52.5, 12);
        assert_eq!((x.floor(), y.floor()), (2200.0, 1343.0));
        let (lon, lat) = lonlat_of(x, y, 12);
        assert!((lon - 13.4).abs() < 1e-9 && (lat - 52.5).abs() < 1e-9, "{lon} {lat}");
        // The grid's corners: the whole world at zoom 0, Web Mercator's latitude limit.
        let (lon, lat) = lonlat_of(0.0, 0.0, 0);
        assert!((lon + 180.0).abs() < 1e-12 && (lat - 85.051_128_78).abs() < 1e-6, "{lon} {lat}");
    }

    /// Lambert-93's defining point, 3° E 46.5° N, is (700 000, 6 600 000) (IGN's definition of the
    /// projection): the vertex of a warped tile grid placed on it lands there on the page.
    #[test]
    fn warped_tiles_land_where_lambert_93_puts_their_corners() {
        let georeference = Georeference {
            proj4: Crs::lambert93().proj4().to_owned(),
            scale: 0.001,
            ground: [600_000.0, 6_700_000.0],
            page: [10.0, 20.0],
            frame: [10.0, 20.0, 200.0, 200.0],
        };
        let to_map = Transformer::new(&Crs::wgs84(), &Crs::lambert93()).expect("transformer");
        // At zoom 20 a tile is ~25 m wide: take the tile that holds the point, and its vertex nearest to it.
        let (x, y) = tile_of(3.0, 46.5, 19);
        let id = TileId { x: x.floor() as u32, y: y.floor() as u32, zoom: 19 };
        let page = warp(id, &georeference, &to_map);
        assert_eq!(page.len(), (GRID + 1) * (GRID + 1));
        let expected = georeference.to_page(700_000.0, 6_600_000.0);
        let nearest = page
            .iter()
            .map(|p| (f64::from(p.x) - expected[0]).hypot(f64::from(p.y) - expected[1]))
            .fold(f64::INFINITY, f64::min);
        // A grid step at zoom 19 is ~6 m = 0.006 mm at this scale; allow one step.
        assert!(nearest < 0.01, "{nearest} mm from the expected point");
    }

    #[test]
    fn the_zoom_follows_the_screen_resolution() {
        // At the equator, zoom 0 is 156 543 m per pixel: one pixel per 156 543 m is zoom 0, twice as
        // many pixels is zoom 1.
        assert_eq!(zoom_for(1.0 / METRES_PER_PIXEL_Z0, 0.0), 0);
        assert_eq!(zoom_for(2.0 / METRES_PER_PIXEL_Z0, 0.0), 1);
        // At 60° N ground pixels are half as wide: the same screen needs one zoom level less.
        assert_eq!(zoom_for(2.0 / METRES_PER_PIXEL_Z0, 60.0), 0);
        assert_eq!(zoom_for(1e9, 45.0), MAX_ZOOM);
        assert_eq!(zoom_for(0.0, 45.0), 0);
    }

    #[test]
    fn the_tiles_of_a_box_cover_it_and_no_more() {
        let hauts_de_france = LonLatBox { west: 1.38, south: 48.83, east: 4.26, north: 51.09 };
        let ids = hauts_de_france.tiles(8);
        for id in &ids {
            let (west, north) = lonlat_of(f64::from(id.x), f64::from(id.y), 8);
            let (east, south) = lonlat_of(f64::from(id.x + 1), f64::from(id.y + 1), 8);
            assert!(east > 1.38 && west < 4.26 && north > 48.83 && south < 51.09, "{id:?}");
        }
        // Worked by hand from the wiki's formulas: x = (lon + 180) / 360 · 256 runs from 128.98 to 131.03
        // (tiles 128 to 131), y = (1 − ln(tan φ + sec φ) / π) / 2 · 256 from 85.60 to 88.10 (85 to 88).
        assert_eq!(ids.first(), Some(&TileId { x: 128, y: 85, zoom: 8 }));
        assert_eq!(ids.last(), Some(&TileId { x: 131, y: 88, zoom: 8 }));
        assert_eq!(ids.len(), 4 * 4, "{ids:?}");
    }
}
