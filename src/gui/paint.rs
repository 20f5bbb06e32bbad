//! Paints a [`Figure`] with egui, from the same figure the exporters read (what you see is what
//! you export). Filled paths are concave and have holes, which egui cannot fill: they are
//! tessellated once into triangle meshes (lyon), in page millimetres, and cached by geometry, so
//! re-classifying a map only re-colours cached triangles and pan/zoom only changes the transform.
//! Strokes are tessellated once too; text is laid out by egui each frame.
//!
//! Hover outlines are painted on top by the caller, never added to the figure.

use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::Arc;

use eframe::egui::{self, Color32, Pos2, Rect, Shape, Vec2, emath::TSTransform, epaint::Mesh, epaint::Vertex};
use lyon_tessellation::math::point;
use lyon_tessellation::path::Path as LyonPath;
use lyon_tessellation::{
    BuffersBuilder, FillOptions, FillRule, FillTessellator, FillVertex, LineJoin, StrokeOptions, StrokeTessellator,
    StrokeVertex, VertexBuffers,
};

use crate::figure::{Anchor, Figure, Fill, MM_PER_PT, Mark, Rgb, Stroke, Style, Tag};

/// Level of detail: polygons are snapped to a grid of 0.4 mm / 2^level on the page before
/// tessellation. A software OpenGL rasteriser spends its time on triangles, so each view uses the
/// coarsest level whose grid stays under a screen pixel: a portrait card or all of France at a
/// glance take few triangles, a zoomed map gets finer ones, prepared when first needed and cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Detail(u8);

impl Detail {
    /// The finest level: a 0.0125 mm grid, under a pixel up to 80 pixels per millimetre.
    pub const FINEST: Detail = Detail(5);

    /// The level: 0 is the coarsest.
    #[must_use]
    pub fn level(self) -> u8 {
        self.0
    }

    fn step_mm(self) -> f32 {
        0.4 / f32::from(1u8 << self.0)
    }

    /// The level for a display scale in screen points per page millimetre.
    #[must_use]
    pub fn for_scale(points_per_mm: f32) -> Detail {
        let level = (0.4 * points_per_mm).max(1.0).log2().ceil();
        Detail((level as u8).min(Detail::FINEST.0))
    }

    /// Whether hair lines of crowded layers are left out: at these levels they are under half a
    /// pixel wide.
    fn drops_hairlines(self) -> bool {
        self.0 <= 1
    }
}

/// In layers of more than 500 marks, polygon outlines thinner than this (mm) are left out at the
/// overview detail: under a pixel there, they would only speckle the fills (thousands of white
/// commune borders).
const HAIRLINE_MM: f64 = 0.15;
/// Strokes thinner than this (mm) are drawn at this width, so hair lines do not vanish.
const MIN_STROKE_MM: f32 = 0.12;

/// Triangles in page millimetres, without colour.
#[derive(Debug, Default)]
struct Triangles {
    positions: Vec<Pos2>,
    indices: Vec<u32>,
    /// Bounds of the source rings (for hit-testing), computed once with the triangles.
    bounds: Option<Rect>,
}

/// Cache of tessellated geometry, kept across figure revisions.
#[derive(Default)]
pub struct TessellationCache {
    entries: HashMap<u64, Arc<Triangles>, KeyHash>,
    used: std::collections::HashSet<u64, KeyHash>,
}

/// The keys are already hashes: use them as they are.
type KeyHash = std::hash::BuildHasherDefault<PassThrough>;

#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl TessellationCache {
    fn get_or(&mut self, key: u64, make: impl FnOnce() -> Triangles) -> Arc<Triangles> {
        self.used.insert(key);
        Arc::clone(self.entries.entry(key).or_insert_with(|| Arc::new(make())))
    }

    /// Forgets geometry no figure used since the last call.
    pub fn prune(&mut self) {
        let used = std::mem::take(&mut self.used);
        self.entries.retain(|k, _| used.contains(k));
    }

    /// Number of cached shapes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is cached.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

enum Item {
    /// A mesh, its GPU copy, and whether it holds ground fills (the units of a map), which a tile
    /// background may show through.
    Mesh(Arc<Mesh>, std::sync::OnceLock<Arc<super::gpu::GpuMesh>>, bool),
    Text {
        pos: Pos2,
        text: String,
        size_mm: f32,
        anchor: Anchor,
        bold: bool,
        color: Color32,
    },
}

/// Where a tagged mark lies, for hover and click.
struct Hit {
    bounds: Rect,
    layer: usize,
    mark: usize,
}

/// A figure ready to paint: meshes in page millimetres, texts, hit areas.
pub struct PreparedFigure {
    /// Page size in millimetres.
    pub size_mm: Vec2,
    items: Vec<Item>,
    hits: Vec<Hit>,
    /// Triangles in all.
    pub triangles: usize,
}

fn color(rgb: Rgb, opacity: f32) -> Color32 {
    Color32::from_rgba_unmultiplied(rgb.0, rgb.1, rgb.2, (opacity.clamp(0.0, 1.0) * 255.0).round() as u8)
}

/// The screen colour of a fill; hatching is shown as its two colours mixed (the exports draw the
/// hatch itself).
fn fill_color(fill: Fill) -> Option<Color32> {
    match fill {
        Fill::None => None,
        Fill::Solid { color: c, opacity } => Some(color(c, opacity)),
        Fill::Hatch { line, background } => {
            let mix = |a: u8, b: u8| ((u16::from(a) + 2 * u16::from(b)) / 3) as u8;
            Some(Color32::from_rgb(mix(line.0, background.0), mix(line.1, background.1), mix(line.2, background.2)))
        }
    }
}

fn geometry_key(kind: u8, rings: &[Vec<[f64; 2]>], extra: f64) -> u64 {
    // FNV-1a over 64-bit words: the key is computed for every mark at every revision, so it must
    // cost far less than the tessellation it saves.
    let mut key: u64 = 0xcbf2_9ce4_8422_2325;
    let mut mix = |word: u64| key = (key ^ word).wrapping_mul(0x0000_0100_0000_01b3);
    mix(u64::from(kind));
    mix(extra.to_bits());
    mix(rings.len() as u64);
    for ring in rings {
        mix(ring.len() as u64);
        // A handful of points identifies a ring among a map's; hashing every point of France's
        // communes would cost more than tessellating the few that changed.
        let step = (ring.len() / 4).max(1);
        for p in ring.iter().step_by(step) {
            mix(p[0].to_bits());
            mix(p[1].to_bits());
        }
    }
    key
}

/// Builds the path with every point snapped to a grid of `step` mm, consecutive duplicates
/// dropped. Snapping does not depend on the direction a ring runs, so two neighbours that share a
/// border keep the same simplified border: no gaps open between them, unlike dropping points by
/// distance along each ring.
fn lyon_path(rings: &[Vec<[f64; 2]>], closed: bool, step: f32) -> LyonPath {
    let grid = |v: f64| (v / f64::from(step)).round() as i64;
    let mut builder = LyonPath::builder();
    for ring in rings {
        let mut last: Option<(i64, i64)> = None;
        for p in ring {
            if !(p[0].is_finite() && p[1].is_finite()) {
                continue;
            }
            let node = (grid(p[0]), grid(p[1]));
            let at = point(node.0 as f32 * step, node.1 as f32 * step);
            match last {
                None => {
                    builder.begin(at);
                }
                Some(previous) if previous == node => continue,
                Some(_) => {
                    builder.line_to(at);
                }
            }
            last = Some(node);
        }
        if last.is_some() {
            builder.end(closed);
        }
    }
    builder.build()
}

fn fill_triangles(rings: &[Vec<[f64; 2]>], step: f32) -> Triangles {
    let path = lyon_path(rings, true, step);
    let mut buffers: VertexBuffers<Pos2, u32> = VertexBuffers::new();
    let options = FillOptions::tolerance(0.01).with_fill_rule(FillRule::EvenOdd);
    let result = FillTessellator::new().tessellate_path(
        &path,
        &options,
        &mut BuffersBuilder::new(&mut buffers, |v: FillVertex| Pos2::new(v.position().x, v.position().y)),
    );
    // A degenerate ring (self-intersecting beyond repair) is drawn without fill rather than
    // stopping the whole figure; its outline still shows.
    if result.is_err() {
        return Triangles { bounds: Some(bounds(rings.iter().flatten())), ..Triangles::default() };
    }
    Triangles { positions: buffers.vertices, indices: buffers.indices, bounds: Some(bounds(rings.iter().flatten())) }
}

fn stroke_triangles(rings: &[Vec<[f64; 2]>], closed: bool, width_mm: f32, step: f32) -> Triangles {
    let path = lyon_path(rings, closed, step);
    let mut buffers: VertexBuffers<Pos2, u32> = VertexBuffers::new();
    let options =
        StrokeOptions::tolerance(0.01).with_line_width(width_mm.max(MIN_STROKE_MM)).with_line_join(LineJoin::MiterClip);
    let result = StrokeTessellator::new().tessellate_path(
        &path,
        &options,
        &mut BuffersBuilder::new(&mut buffers, |v: StrokeVertex| Pos2::new(v.position().x, v.position().y)),
    );
    if result.is_err() {
        return Triangles::default();
    }
    Triangles { positions: buffers.vertices, indices: buffers.indices, bounds: None }
}

/// Splits a polyline into its dashes.
fn dashes(points: &[[f64; 2]], pattern: &[f64]) -> Vec<Vec<[f64; 2]>> {
    let pattern: Vec<f64> = pattern.iter().copied().filter(|d| *d > 0.0).collect();
    if pattern.is_empty() || points.len() < 2 {
        return vec![points.to_vec()];
    }
    let mut out = Vec::new();
    let mut current = vec![points[0]];
    let (mut index, mut left, mut on) = (0, pattern[0], true);
    for pair in points.windows(2) {
        let (mut a, b) = (pair[0], pair[1]);
        let mut length = (b[0] - a[0]).hypot(b[1] - a[1]);
        while length > left {
            let t = left / length;
            let cut = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
            if on {
                current.push(cut);
                out.push(std::mem::take(&mut current));
            } else {
                current = vec![cut];
            }
            on = !on;
            length -= left;
            a = cut;
            index = (index + 1) % pattern.len();
            left = pattern[index];
        }
        left -= length;
        if on {
            current.push(b);
        }
    }
    if on && current.len() > 1 {
        out.push(current);
    }
    out
}

/// A circle as a polygon whose segments stay under `step` mm from the true circle.
fn circle_ring(cx: f64, cy: f64, r: f64, step: f64) -> Vec<[f64; 2]> {
    // The sagitta of a segment of angle a is r (1 − cos(a/2)) ≈ r a² / 8.
    let angle = (8.0 * step / r.max(1e-9)).sqrt().min(std::f64::consts::FRAC_PI_4);
    let n = ((std::f64::consts::TAU / angle).ceil() as usize).clamp(12, 128);
    (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n as f64;
            [cx + r * a.cos(), cy + r * a.sin()]
        })
        .collect()
}

fn rect_ring(x: f64, y: f64, w: f64, h: f64) -> Vec<[f64; 2]> {
    vec![[x, y], [x + w, y], [x + w, y + h], [x, y + h]]
}

struct Builder<'c> {
    cache: &'c mut TessellationCache,
    detail: Detail,
    /// The current layer has so many marks that their hair lines only speckle at overview.
    crowded: bool,
    step: f32,
    items: Vec<Item>,
    /// Triangles of the mesh being gathered, with their colour; copied once, at the exact size,
    /// when a text or the end of the figure closes it (growing a mesh of France's communes by
    /// doubling cost more than copying it).
    pending: Vec<(Arc<Triangles>, Color32)>,
    triangles: usize,
    /// The marks gathered are ground fills.
    ground: bool,
}

impl Builder<'_> {
    fn push(&mut self, triangles: Arc<Triangles>, color: Color32) {
        self.triangles += triangles.indices.len() / 3;
        self.pending.push((triangles, color));
    }

    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let vertices = self.pending.iter().map(|(t, _)| t.positions.len()).sum();
        let indices = self.pending.iter().map(|(t, _)| t.indices.len()).sum();
        let mut mesh =
            Mesh { vertices: Vec::with_capacity(vertices), indices: Vec::with_capacity(indices), ..Mesh::default() };
        for (triangles, color) in self.pending.drain(..) {
            let base = mesh.vertices.len() as u32;
            mesh.vertices.extend(triangles.positions.iter().map(|&pos| Vertex {
                pos,
                uv: egui::epaint::WHITE_UV,
                color,
            }));
            mesh.indices.extend(triangles.indices.iter().map(|i| base + i));
        }
        if !mesh.is_empty() {
            self.items.push(Item::Mesh(Arc::new(mesh), std::sync::OnceLock::new(), self.ground));
        }
    }

    /// Draws a filled and/or stroked shape; returns the bounds of its rings when known from the
    /// cache (the fill's), so that they are not recomputed at every revision.
    fn shape(&mut self, kind: u8, rings: &[Vec<[f64; 2]>], style: &Style) -> Option<Rect> {
        let mut known = None;
        // Circles are already drawn at this detail; snapping them would move small ones onto the
        // grid's nodes.
        let step = if kind == 2 { 1e-4 } else { self.step };
        if let Some(fill) = fill_color(style.fill) {
            let key = geometry_key(kind, rings, f64::from(self.step));
            let triangles = self.cache.get_or(key, || fill_triangles(rings, step));
            let known_bounds = triangles.bounds;
            self.push(triangles, fill);
            known = known_bounds;
        }
        if let Some(stroke) = &style.stroke
            && (!self.detail.drops_hairlines() || !self.crowded || stroke.width_mm >= HAIRLINE_MM)
        {
            self.stroke(rings, true, stroke, step);
        }
        known
    }

    fn stroke(&mut self, rings: &[Vec<[f64; 2]>], closed: bool, stroke: &Stroke, step: f32) {
        let paint = color(stroke.color, stroke.opacity);
        let width = stroke.width_mm as f32;
        if stroke.dash_mm.is_empty() {
            let key = geometry_key(if closed { 10 } else { 11 }, rings, stroke.width_mm + f64::from(step) * 1e3);
            let triangles = self.cache.get_or(key, || stroke_triangles(rings, closed, width, step));
            self.push(triangles, paint);
        } else {
            for ring in rings {
                let mut points = ring.clone();
                if closed && let Some(first) = ring.first() {
                    points.push(*first);
                }
                let pieces = dashes(&points, &stroke.dash_mm);
                self.push(Arc::new(stroke_triangles(&pieces, false, width, step)), paint);
            }
        }
    }
}

/// Prepares a figure for painting, reusing cached tessellations.
pub fn prepare(figure: &Figure, cache: &mut TessellationCache, detail: Detail) -> PreparedFigure {
    let mut builder = Builder {
        cache,
        detail,
        crowded: false,
        step: detail.step_mm(),
        items: Vec::new(),
        pending: Vec::new(),
        triangles: 0,
        ground: false,
    };
    let mut hits = Vec::new();
    for (layer_index, layer) in figure.layers.iter().enumerate() {
        builder.crowded = layer.marks.len() > 500;
        let ground = is_ground(layer);
        if ground != builder.ground {
            builder.flush();
            builder.ground = ground;
        }
        for (mark_index, mark) in layer.marks.iter().enumerate() {
            let tagged = match mark {
                Mark::Path { rings, style, tag } => {
                    let known = builder.shape(0, rings, style);
                    tag.as_ref().map(|_| known.unwrap_or_else(|| bounds(rings.iter().flatten())))
                }
                Mark::Polyline { points, stroke, tag } => {
                    builder.stroke(std::slice::from_ref(points), false, stroke, builder.step);
                    tag.as_ref().map(|_| bounds(points.iter()).expand(1.0))
                }
                Mark::Rect { x, y, width, height, style, tag } => {
                    builder.shape(1, &[rect_ring(*x, *y, *width, *height)], style);
                    tag.as_ref().map(|_| Rect::from_min_size(pos(*x, *y), Vec2::new(*width as f32, *height as f32)))
                }
                Mark::Circle { cx, cy, r, style, tag } => {
                    builder.shape(2, &[circle_ring(*cx, *cy, *r, f64::from(builder.step))], style);
                    tag.as_ref().map(|_| Rect::from_center_size(pos(*cx, *cy), Vec2::splat(2.0 * *r as f32)))
                }
                Mark::Text { x, y, text, size_pt, anchor, bold, color: c } => {
                    builder.flush();
                    builder.items.push(Item::Text {
                        pos: pos(*x, *y),
                        text: text.clone(),
                        size_mm: (*size_pt * MM_PER_PT) as f32,
                        anchor: *anchor,
                        bold: *bold,
                        color: color(*c, 1.0),
                    });
                    None
                }
            };
            if let Some(bounds) = tagged {
                hits.push(Hit { bounds, layer: layer_index, mark: mark_index });
            }
        }
    }
    builder.flush();
    PreparedFigure {
        size_mm: Vec2::new(figure.width_mm as f32, figure.height_mm as f32),
        items: builder.items,
        hits,
        triangles: builder.triangles,
    }
}

/// A layer of filled areas and symbols only (a map's units and their context), as opposed to
/// lines, legends and texts.
fn is_ground(layer: &crate::figure::Layer) -> bool {
    !layer.marks.is_empty()
        && layer.marks.iter().all(|m| match m {
            Mark::Path { style, .. } | Mark::Circle { style, .. } => style.fill != Fill::None,
            _ => false,
        })
}

fn pos(x: f64, y: f64) -> Pos2 {
    Pos2::new(x as f32, y as f32)
}

fn bounds<'p>(points: impl Iterator<Item = &'p [f64; 2]>) -> Rect {
    let mut rect = Rect::NOTHING;
    for p in points {
        rect.extend_with(pos(p[0], p[1]));
    }
    rect
}

/// Paints a prepared figure; `to_screen` maps page millimetres to screen points. With `gpu`
/// (the glow renderer), meshes stay on the GPU and only the transform changes from frame to frame.
pub fn paint(painter: &egui::Painter, prepared: &PreparedFigure, to_screen: TSTransform, gpu: bool) {
    paint_page(painter, prepared, to_screen);
    paint_marks(painter, prepared, to_screen, gpu, 1.0);
}

/// The white page under a figure.
pub fn paint_page(painter: &egui::Painter, prepared: &PreparedFigure, to_screen: TSTransform) {
    let page = to_screen * Rect::from_min_size(Pos2::ZERO, prepared.size_mm);
    painter.rect_filled(page, 0.0, Color32::WHITE);
}

/// A figure's marks, over whatever is already on the page (the white page, a tile background);
/// ground fills at `ground_opacity` (1 for opaque).
pub fn paint_marks(
    painter: &egui::Painter,
    prepared: &PreparedFigure,
    to_screen: TSTransform,
    gpu: bool,
    ground_opacity: f32,
) {
    let gpu = gpu && !super::gpu::unavailable();
    let clip = painter.clip_rect();
    for item in &prepared.items {
        match item {
            Item::Mesh(mesh, uploaded, ground) if gpu => {
                let on_gpu = uploaded.get_or_init(|| super::gpu::GpuMesh::new(mesh));
                super::gpu::paint(painter, clip, on_gpu, to_screen, if *ground { ground_opacity } else { 1.0 });
            }
            Item::Mesh(mesh, _, ground) => {
                let mut mesh = (**mesh).clone();
                let opacity = if *ground { ground_opacity.clamp(0.0, 1.0) } else { 1.0 };
                for v in &mut mesh.vertices {
                    v.pos = to_screen * v.pos;
                    if opacity < 1.0 {
                        v.color = v.color.gamma_multiply(opacity);
                    }
                }
                painter.add(Shape::mesh(mesh));
            }
            Item::Text { pos, text, size_mm, anchor, bold, color } => {
                let size = size_mm * to_screen.scaling;
                if size < 3.0 {
                    // Unreadable at this zoom: a grey bar keeps the layout visible, cheaply.
                    continue;
                }
                let at = to_screen * *pos;
                if !clip.expand(200.0).contains(at) {
                    continue;
                }
                let galley = painter.layout_no_wrap(text.clone(), egui::FontId::proportional(size), *color);
                let width = galley.size().x;
                let x = match anchor {
                    Anchor::Start => at.x,
                    Anchor::Middle => at.x - width / 2.0,
                    Anchor::End => at.x - width,
                };
                // Figure texts are placed on their baseline; egui places the top of the line.
                let top = Pos2::new(x, at.y - size * 0.8);
                if *bold {
                    painter.galley(top + Vec2::new(0.35, 0.0), galley.clone(), *color);
                }
                painter.galley(top, galley, *color);
            }
        }
    }
}

/// Even-odd point in rings.
#[allow(clippy::many_single_char_names, reason = "the usual names of the crossing-number test")]
fn inside(rings: &[Vec<[f64; 2]>], x: f64, y: f64) -> bool {
    let mut crossings = false;
    for ring in rings {
        let n = ring.len();
        if n < 3 {
            continue;
        }
        let mut j = n - 1;
        for i in 0..n {
            let (a, b) = (ring[i], ring[j]);
            if (a[1] > y) != (b[1] > y) && x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0] {
                crossings = !crossings;
            }
            j = i;
        }
    }
    crossings
}

/// The tagged mark under a page position (mm), topmost first, with its layer id and the outline
/// to highlight (page mm).
#[must_use]
pub fn hit<'f>(figure: &'f Figure, prepared: &PreparedFigure, at: Pos2) -> Option<(&'f str, &'f Tag, Vec<Vec<Pos2>>)> {
    let (x, y) = (f64::from(at.x), f64::from(at.y));
    for h in prepared.hits.iter().rev() {
        if !h.bounds.contains(at) {
            continue;
        }
        let layer = figure.layers.get(h.layer)?;
        let found = match layer.marks.get(h.mark)? {
            Mark::Path { rings, tag: Some(tag), .. } if inside(rings, x, y) => {
                Some((tag, rings.iter().map(|r| r.iter().map(|p| pos(p[0], p[1])).collect()).collect()))
            }
            Mark::Circle { cx, cy, r, tag: Some(tag), .. } if (x - cx).hypot(y - cy) <= *r => {
                Some((tag, vec![circle_ring(*cx, *cy, *r, 0.01).iter().map(|p| pos(p[0], p[1])).collect()]))
            }
            Mark::Rect { tag: Some(tag), .. } | Mark::Polyline { tag: Some(tag), .. } => {
                Some((tag, vec![rect_outline(h.bounds)]))
            }
            _ => None,
        };
        if let Some((tag, outline)) = found {
            return Some((layer.id.as_str(), tag, outline));
        }
    }
    None
}

fn rect_outline(r: Rect) -> Vec<Pos2> {
    vec![r.left_top(), r.right_top(), r.right_bottom(), r.left_bottom()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::{Layer, Style};

    fn square_with_hole() -> Vec<Vec<[f64; 2]>> {
        vec![
            vec![[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]],
            vec![[3.0, 3.0], [7.0, 3.0], [7.0, 7.0], [3.0, 7.0]],
        ]
    }

    fn area(t: &Triangles) -> f32 {
        t.indices
            .chunks(3)
            .map(|c| {
                let (a, b, d) = (t.positions[c[0] as usize], t.positions[c[1] as usize], t.positions[c[2] as usize]);
                ((b - a).x * (d - a).y - (b - a).y * (d - a).x).abs() / 2.0
            })
            .sum()
    }

    #[test]
    fn a_polygon_with_a_hole_is_filled_around_the_hole() {
        // 100 mm² minus the 16 mm² hole.
        let triangles = fill_triangles(&square_with_hole(), 0.25);
        assert!((area(&triangles) - 84.0).abs() < 1e-3, "area {}", area(&triangles));
    }

    #[test]
    fn a_concave_polygon_keeps_its_area() {
        // An L of 3 unit squares: a convex fill would cover 4.
        let l = vec![vec![[0.0, 0.0], [2.0, 0.0], [2.0, 1.0], [1.0, 1.0], [1.0, 2.0], [0.0, 2.0]]];
        assert!((area(&fill_triangles(&l, 0.25)) - 3.0).abs() < 1e-4);
    }

    #[test]
    fn neighbours_keep_their_shared_border_when_simplified() {
        // Two units share a wiggly border (x near 5, many points closer than the grid). Each is
        // simplified on its own, in opposite directions; their areas must still add up to the
        // 10 × 10 square, itself snapped to the grid: no gap, no overlap.
        let border: Vec<[f64; 2]> =
            (0..=100).map(|i| [5.0 + 0.3 * (f64::from(i) * 0.7).sin(), f64::from(i) / 10.0]).collect();
        let mut left = vec![[0.0, 10.0], [0.0, 0.0]];
        left.extend(border.iter().copied());
        let mut right: Vec<[f64; 2]> = border.iter().rev().copied().collect();
        right.extend([[10.0, 0.0], [10.0, 10.0]]);
        for step in [0.15f32, 0.5, 1.0] {
            let step64 = f64::from(step);
            let sum = area(&fill_triangles(&[left.clone()], step)) + area(&fill_triangles(&[right.clone()], step));
            let side = (10.0 / step64).round() * step64;
            assert!((f64::from(sum) - side * side).abs() < 1e-3, "step {step}: {sum} for {}", side * side);
        }
    }

    #[test]
    fn the_level_of_detail_keeps_the_grid_under_a_pixel() {
        for scale in [0.5f32, 2.5, 2.6, 4.0, 9.9, 30.0, 80.0] {
            let step_px = Detail::for_scale(scale).step_mm() * scale;
            assert!(step_px <= 1.0, "{scale} points/mm: {step_px} px");
        }
        // And is not finer than it needs: one level coarser would exceed a pixel.
        assert_eq!(Detail::for_scale(2.5), Detail(0));
        assert_eq!(Detail::for_scale(2.6), Detail(1));
        assert_eq!(Detail::for_scale(1000.0), Detail::FINEST);
    }

    #[test]
    fn circles_keep_their_area_and_place_at_every_detail() {
        // A big circle (Paris at 9 mm) and a tiny one (0.05 mm) off the grid's nodes.
        for detail in [Detail(0), Detail(1), Detail::FINEST] {
            let step = f64::from(detail.step_mm());
            for (cx, cy, r) in [(50.33, 40.77, 9.0), (12.07, 3.01, 0.05)] {
                let mut figure = Figure::new(100.0, 100.0, "t");
                let mut layer = Layer::new("communes", "Communes");
                layer.marks.push(Mark::Circle { cx, cy, r, style: Style::fill(Rgb(200, 0, 0)), tag: None });
                figure.layers.push(layer);
                let prepared = prepare(&figure, &mut TessellationCache::default(), detail);
                let Item::Mesh(mesh, _, _) = &prepared.items[0] else { panic!("a mesh") };
                let triangles = Triangles {
                    positions: mesh.vertices.iter().map(|v| v.pos).collect(),
                    indices: mesh.indices.clone(),
                    bounds: None,
                };
                let expected = std::f64::consts::PI * r * r;
                let drawn = f64::from(area(&triangles));
                assert!((drawn - expected).abs() / expected < 0.06, "{detail:?} r {r}: {drawn} for {expected}");
                let centre =
                    mesh.vertices.iter().fold(Vec2::ZERO, |sum, v| sum + v.pos.to_vec2()) / mesh.vertices.len() as f32;
                assert!(
                    (f64::from(centre.x) - cx).abs() < r * 0.1 + 1e-3,
                    "{detail:?}: centre {centre:?}, step {step}"
                );
            }
        }
    }

    #[test]
    fn dashes_alternate_along_the_line() {
        let pieces = dashes(&[[0.0, 0.0], [10.0, 0.0]], &[2.0, 1.0]);
        // 0–2, 3–5, 6–8, 9–10
        assert_eq!(pieces.len(), 4);
        assert_eq!(pieces[1], vec![[3.0, 0.0], [5.0, 0.0]]);
        assert_eq!(pieces[3], vec![[9.0, 0.0], [10.0, 0.0]]);
    }

    #[test]
    fn hover_finds_the_unit_but_not_its_hole() {
        let mut figure = Figure::new(20.0, 20.0, "t");
        let mut layer = Layer::new("communes", "Communes");
        layer.marks.push(Mark::Path {
            rings: square_with_hole(),
            style: Style::fill(Rgb(1, 2, 3)),
            tag: Some(Tag { code: "80021".into(), name: "Amiens".into(), ..Tag::default() }),
        });
        figure.layers.push(layer);
        let mut cache = TessellationCache::default();
        let prepared = prepare(&figure, &mut cache, Detail::FINEST);
        assert_eq!(hit(&figure, &prepared, Pos2::new(1.0, 1.0)).map(|h| h.1.code.as_str()), Some("80021"));
        assert!(hit(&figure, &prepared, Pos2::new(5.0, 5.0)).is_none());
        assert!(hit(&figure, &prepared, Pos2::new(15.0, 5.0)).is_none());
        // Re-preparing the same geometry reuses the cache.
        let before = cache.len();
        let _ = prepare(&figure, &mut cache, Detail::FINEST);
        assert_eq!(cache.len(), before);
    }
}
