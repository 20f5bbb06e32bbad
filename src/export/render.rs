//! PNG and PDF drawn from the SVG of a figure, so that every output of an illustration matches the SVG the
//! analyst can open: resvg rasterises it, svg2pdf turns it into PDF pages with the text kept as text. This
//! module owns that conversion and the fonts it draws text with (Liberation Sans, bundled: the output is the
//! same on every machine, and its metrics are those of Arial, which an SVG opened in a design tool falls back
//! to). It reads SVG text only: it must not depend on packs, territories, the figure model or egui.
//!
//! Page sizes come from the SVG's `width` and `height` (in mm for the app's figures; any CSS unit works,
//! a unitless length being a CSS pixel of 1/96 inch).
//!
//! Limits: only the two bundled faces (regular and bold) are available, so italic text is drawn upright and
//! characters outside Liberation Sans (Latin, Greek, Cyrillic, common symbols) are drawn as empty boxes.
//! Raster `<image>` elements are left out of both outputs and SVG filters out of the PDF (no decoders and
//! no rasterised effects are built in; the figures use neither).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use pdf_writer::{Content, Finish as _, Name, Pdf, Rect, Ref, TextStr};
use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};

use crate::text::Lang;

/// Liberation Sans 2.1.5 (SIL Open Font License 1.1, see `assets/fonts/LICENSE-LiberationFonts.txt`).
const REGULAR_FACE: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");
const BOLD_FACE: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf");
/// The family name inside both bundled font files.
const BUNDLED_FAMILY: &str = "Liberation Sans";

/// usvg converts every length to CSS pixels, 96 to the inch.
const CSS_PX_PER_INCH: f32 = 96.0;
const PT_PER_INCH: f32 = 72.0;
const M_PER_INCH: f64 = 0.0254;
/// About 1 GB of RGBA while drawing: an A0 page at 300 dpi (140 million pixels) fits, a typo like
/// 30 000 dpi does not exhaust memory.
const MAX_PIXELS: u64 = 250_000_000;
/// Name of the figure's Form XObject in each page's resources.
const FIGURE_XOBJECT: Name<'static> = Name(b"Fig");

/// Why an SVG could not be turned into PNG or PDF.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The SVG text is empty or blank.
    #[error("SVG vide : aucune illustration à convertir")]
    EmptySvg,
    /// The SVG text could not be read (not XML, not SVG, too many elements…).
    #[error("SVG illisible : {0}")]
    InvalidSvg(String),
    /// The SVG has no positive width and height.
    #[error(
        "taille de page invalide : le SVG doit avoir une largeur et une hauteur positives (attributs width et \
         height, ou viewBox)"
    )]
    InvalidPageSize,
    /// The requested resolution is not a positive number.
    #[error("résolution invalide : {0} ppp (attendu : un nombre positif, par exemple 96 ou 300)")]
    InvalidDpi(f32),
    /// The page is smaller than one pixel at the requested resolution.
    #[error(
        "page trop petite : {} × {} mm à {dpi} ppp font moins d'un pixel",
        crate::text::format_fr(f64::from(*width_mm), 2),
        crate::text::format_fr(f64::from(*height_mm), 2)
    )]
    PageTooSmall {
        /// Page width, in mm.
        width_mm: f32,
        /// Page height, in mm.
        height_mm: f32,
        /// Requested resolution, in dots per inch.
        dpi: f32,
    },
    /// The image would be too large to draw in memory.
    #[error(
        "image trop grande : {width} × {height} pixels à {dpi} ppp (au plus {} millions de pixels) ; \
         choisir une résolution plus basse",
        MAX_PIXELS / 1_000_000
    )]
    ImageTooLarge {
        /// Width the image would have, in pixels.
        width: u64,
        /// Height the image would have, in pixels.
        height: u64,
        /// Requested resolution, in dots per inch.
        dpi: f32,
    },
    /// The PNG encoder failed.
    #[error("écriture du PNG impossible : {0}")]
    Png(String),
    /// A PDF was requested with no page.
    #[error("aucune page à écrire dans le PDF")]
    NoPages,
    /// svg2pdf could not convert a page.
    #[error("conversion en PDF impossible : {0}")]
    Pdf(String),
    /// An error on one page of a PDF.
    #[error("page {page} : {source}")]
    Page {
        /// Page number, from 1.
        page: usize,
        /// What went wrong on that page.
        #[source]
        source: Box<RenderError>,
    },
}

impl RenderError {
    fn from_usvg(error: usvg::Error) -> Self {
        match error {
            usvg::Error::InvalidSize => Self::InvalidPageSize,
            usvg::Error::NotAnUtf8Str => Self::InvalidSvg("le texte n'est pas en UTF-8".to_owned()),
            usvg::Error::MalformedGZip => Self::InvalidSvg("SVG compressé (gzip) mal formé".to_owned()),
            usvg::Error::ElementsLimitReached => Self::InvalidSvg("plus d'un million d'éléments".to_owned()),
            usvg::Error::ParsingFailed(xml) => {
                Self::InvalidSvg(format!("XML mal formé ou racine autre que <svg> ({xml})"))
            }
        }
    }

    fn from_svg2pdf(error: svg2pdf::ConversionError) -> Self {
        use svg2pdf::ConversionError as E;
        Self::Pdf(
            match error {
                E::InvalidImage => "image intégrée de format inconnu",
                E::MissingGlyphs => "caractère absent de la police",
                E::TooMuchNesting => "groupes imbriqués trop profondément",
                E::UnknownError => "erreur interne de svg2pdf",
                E::SubsetError(_) => "extraction du sous-ensemble de la police impossible",
                E::InvalidFont(_) => "police illisible",
            }
            .to_owned(),
        )
    }

    fn on_page(self, index: usize) -> Self {
        Self::Page { page: index + 1, source: Box::new(self) }
    }
}

/// Fonts used to render text: the bundled faces, so output is the same on every machine.
///
/// The database holds Liberation Sans Regular and Bold and nothing from the system. Every generic family
/// (`sans-serif`, `serif`, `monospace`…) is Liberation Sans, and usvg ends every `font-family` list with the
/// serif family: a name that is not bundled (`Arial`, `Helvetica`) therefore falls through to Liberation
/// Sans, which has the same metrics as Arial. Built once, on first use.
pub fn fonts() -> &'static Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut database = fontdb::Database::new();
        for face in [REGULAR_FACE, BOLD_FACE] {
            database.load_font_source(fontdb::Source::Binary(Arc::new(face)));
        }
        database.set_sans_serif_family(BUNDLED_FAMILY);
        database.set_serif_family(BUNDLED_FAMILY);
        database.set_monospace_family(BUNDLED_FAMILY);
        database.set_cursive_family(BUNDLED_FAMILY);
        database.set_fantasy_family(BUNDLED_FAMILY);
        Arc::new(database)
    })
}

/// Parses SVG text with the bundled fonts; text is laid out here, once, for both PNG and PDF.
fn parse(svg: &str) -> Result<usvg::Tree, RenderError> {
    if svg.trim().is_empty() {
        return Err(RenderError::EmptySvg);
    }
    let options = usvg::Options {
        dpi: CSS_PX_PER_INCH,
        font_family: BUNDLED_FAMILY.to_owned(),
        languages: vec!["fr".to_owned()],
        fontdb: Arc::clone(fonts()),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options).map_err(RenderError::from_usvg)
}

/// Draws an SVG as a PNG at `dpi` dots per inch, on a white background.
///
/// The page size is the SVG's `width` and `height`: a 100 × 50 mm figure at 96 dpi is 378 × 189 pixels
/// (each side `mm / 25.4 × dpi`, rounded). The PNG records its resolution (pHYs chunk, in pixels per metre)
/// so that word processors and design tools place it at its size in mm. Pixels are opaque RGB.
pub fn png_from_svg(svg: &str, dpi: f32) -> Result<Vec<u8>, RenderError> {
    if !(dpi.is_finite() && dpi > 0.0) {
        return Err(RenderError::InvalidDpi(dpi));
    }
    let tree = parse(svg)?;
    let size_px = tree.size();
    let scale = dpi / CSS_PX_PER_INCH;
    let width = (f64::from(size_px.width()) * f64::from(scale)).round();
    let height = (f64::from(size_px.height()) * f64::from(scale)).round();
    if width < 1.0 || height < 1.0 {
        let mm_per_px = 25.4 / CSS_PX_PER_INCH;
        return Err(RenderError::PageTooSmall {
            width_mm: size_px.width() * mm_per_px,
            height_mm: size_px.height() * mm_per_px,
            dpi,
        });
    }
    let too_large = || RenderError::ImageTooLarge { width: width as u64, height: height as u64, dpi };
    if width * height > MAX_PIXELS as f64 {
        return Err(too_large());
    }
    let mut pixmap = tiny_skia::Pixmap::new(width as u32, height as u32).ok_or_else(too_large)?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    encode_png(&pixmap, dpi)
}

fn encode_png(pixmap: &tiny_skia::Pixmap, dpi: f32) -> Result<Vec<u8>, RenderError> {
    let png_error = |error: png::EncodingError| RenderError::Png(error.to_string());
    // The page was filled with opaque white before drawing, so every pixel is opaque and its premultiplied
    // RGBA is plain RGBA: the alpha channel carries nothing and is dropped.
    let rgb: Vec<u8> = pixmap.data().chunks_exact(4).flat_map(|rgba| [rgba[0], rgba[1], rgba[2]]).collect();
    let pixels_per_metre = (f64::from(dpi) / M_PER_INCH).round() as u32;
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: pixels_per_metre,
        yppu: pixels_per_metre,
        unit: png::Unit::Meter,
    }));
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer.write_image_data(&rgb).map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    Ok(bytes)
}

/// Writes a PDF with one page per SVG, each page the SVG's own size, titled `title`.
///
/// Drawing stays vector. Text stays text: svg2pdf embeds the subset of Liberation Sans each page uses, with
/// a Unicode map, so the text can be selected, searched and copied. The title goes in the document
/// information, and viewers are asked to show it instead of the file name. The catalog declares `lang`,
/// the language of the texts, for screen readers.
pub fn pdf_from_svgs(pages: &[&str], title: &str, lang: Lang) -> Result<Vec<u8>, RenderError> {
    if pages.is_empty() {
        return Err(RenderError::NoPages);
    }
    let page_count = i32::try_from(pages.len()).map_err(|_| RenderError::Pdf("trop de pages".to_owned()))?;
    let mut next_ref = Ref::new(1);
    let catalog_ref = next_ref.bump();
    let page_tree_ref = next_ref.bump();
    let info_ref = next_ref.bump();
    let mut pdf = Pdf::new();
    let mut page_refs = Vec::with_capacity(pages.len());

    for (index, svg) in pages.iter().enumerate() {
        let tree = parse(svg).map_err(|error| error.on_page(index))?;
        // svg2pdf writes one page's figure as a self-contained chunk (its objects numbered from 1) whose root
        // is a Form XObject one point square; its objects are renumbered into the document.
        let (chunk, figure_ref_in_chunk) = svg2pdf::to_chunk(&tree, svg2pdf::ConversionOptions::default())
            .map_err(|error| RenderError::from_svg2pdf(error).on_page(index))?;
        let mut renumbered = HashMap::new();
        chunk.renumber_into(&mut pdf, |old| *renumbered.entry(old).or_insert_with(|| next_ref.bump()));
        let figure_ref = renumbered
            .get(&figure_ref_in_chunk)
            .copied()
            .ok_or_else(|| RenderError::Pdf("figure absente du morceau écrit par svg2pdf".to_owned()).on_page(index))?;

        let points_per_px = PT_PER_INCH / CSS_PX_PER_INCH;
        let (width_pt, height_pt) = (tree.size().width() * points_per_px, tree.size().height() * points_per_px);
        let page_ref = next_ref.bump();
        let content_ref = next_ref.bump();
        let mut content = Content::new();
        content.transform([width_pt, 0.0, 0.0, height_pt, 0.0, 0.0]).x_object(FIGURE_XOBJECT);
        pdf.stream(content_ref, &content.finish());

        let mut page = pdf.page(page_ref);
        page.media_box(Rect::new(0.0, 0.0, width_pt, height_pt));
        page.parent(page_tree_ref);
        page.contents(content_ref);
        page.resources().x_objects().pair(FIGURE_XOBJECT, figure_ref);
        page.finish();
        page_refs.push(page_ref);
    }

    let mut catalog = pdf.catalog(catalog_ref);
    catalog.pages(page_tree_ref).lang(TextStr(lang.key()));
    catalog.viewer_preferences().display_doc_title(true);
    catalog.finish();
    pdf.pages(page_tree_ref).kids(page_refs).count(page_count);
    pdf.document_info(info_ref).title(TextStr(title)).producer(TextStr("Indicarto"));
    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::process::Command;

    use super::*;

    /// The text of the reference figure, with the thin no-break space the app puts between thousands.
    const DENSITY_TEXT: &str = "Densité 12\u{202f}345,6 hab./km²";
    /// Colour of the plain rect of the reference figure.
    const BLUE: [u8; 3] = [0x1f, 0x77, 0xb4];

    /// A 100 × 50 mm figure written as the SVG exporter writes them: a filled rect at (5, 5) 30 × 20 mm, a
    /// hatched rect at (45, 5) 30 × 20 mm, one line of text with its baseline at y = 42 mm.
    fn figure_svg(text: &str) -> String {
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="50mm" viewBox="0 0 100 50">
  <defs>
    <pattern id="hachures" patternUnits="userSpaceOnUse" width="2" height="2">
      <path d="M-0.5,0.5 L0.5,-0.5 M0,2 L2,0 M1.5,2.5 L2.5,1.5" stroke="#222222" stroke-width="0.4"/>
    </pattern>
  </defs>
  <rect x="5" y="5" width="30" height="20" fill="#1f77b4"/>
  <rect x="45" y="5" width="30" height="20" fill="url(#hachures)" stroke="#000000" stroke-width="0.2"/>
  <text x="5" y="42" font-family="'Liberation Sans', Arial, Helvetica, sans-serif" font-size="6"
        fill="#000000">{text}</text>
</svg>"##
        )
    }

    fn text_svg(font_attributes: &str, text: &str) -> String {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="100mm" height="20mm" viewBox="0 0 100 20">
  <text x="2" y="12" font-size="6" {font_attributes}>{text}</text>
</svg>"#
        )
    }

    struct Decoded {
        width: u32,
        height: u32,
        rgb: Vec<u8>,
        pixel_dims: Option<png::PixelDimensions>,
    }

    impl Decoded {
        fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
            let at = ((y * self.width + x) * 3) as usize;
            [self.rgb[at], self.rgb[at + 1], self.rgb[at + 2]]
        }

        /// Pixel at a point of the page given in mm, for an image drawn at `dpi`.
        fn pixel_at_mm(&self, x_mm: f32, y_mm: f32, dpi: f32) -> [u8; 3] {
            self.pixel((x_mm / 25.4 * dpi) as u32, (y_mm / 25.4 * dpi) as u32)
        }

        /// Number of dark pixels (every channel below 100) in a box of the page given in mm.
        fn dark_pixels_in_mm(&self, (x0, y0): (f32, f32), (x1, y1): (f32, f32), dpi: f32) -> usize {
            let px = |mm: f32| (mm / 25.4 * dpi) as u32;
            (px(y0)..px(y1))
                .flat_map(|y| (px(x0)..px(x1)).map(move |x| (x, y)))
                .filter(|&(x, y)| self.pixel(x, y).iter().all(|&channel| channel < 100))
                .count()
        }
    }

    fn decode(bytes: &[u8]) -> Decoded {
        let mut reader = png::Decoder::new(bytes).read_info().unwrap();
        let pixel_dims = reader.info().pixel_dims;
        let mut rgb = vec![0; reader.output_buffer_size()];
        let frame = reader.next_frame(&mut rgb).unwrap();
        assert_eq!((frame.color_type, frame.bit_depth), (png::ColorType::Rgb, png::BitDepth::Eight));
        rgb.truncate(frame.buffer_size());
        Decoded { width: frame.width, height: frame.height, rgb, pixel_dims }
    }

    fn text_node(tree: &usvg::Tree) -> &usvg::Text {
        fn find(group: &usvg::Group) -> Option<&usvg::Text> {
            group.children().iter().find_map(|node| match node {
                usvg::Node::Text(text) => Some(&**text),
                usvg::Node::Group(group) => find(group),
                _ => None,
            })
        }
        find(tree.root()).expect("the SVG has a <text>")
    }

    /// PostScript names of the faces the text of `svg` is laid out with, deduplicated.
    fn faces_used(svg: &str) -> Vec<String> {
        let tree = parse(svg).unwrap();
        let mut names: Vec<String> = text_node(&tree)
            .layouted()
            .iter()
            .flat_map(|span| &span.positioned_glyphs)
            .map(|glyph| tree.fontdb().face(glyph.font).unwrap().post_script_name.clone())
            .collect();
        names.dedup();
        names
    }

    /// A command-line tool of poppler-utils, or `None` (with a message) when it is not installed.
    fn poppler_tool(name: &str) -> Option<Command> {
        if Command::new(name).arg("-v").output().is_ok() {
            Some(Command::new(name))
        } else {
            eprintln!("{name} absent (paquet poppler-utils) : vérification sautée");
            None
        }
    }

    fn run(mut command: Command) -> String {
        let output = command.output().unwrap();
        assert!(output.status.success(), "{command:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    }

    /// The `[x0 y0 x1 y1]` of every `/MediaBox`, in file order (pdf-writer writes pages in order).
    fn media_boxes(pdf: &[u8]) -> Vec<[f32; 4]> {
        let text = String::from_utf8_lossy(pdf);
        text.match_indices("/MediaBox [")
            .map(|(at, key)| {
                let rest = &text[at + key.len()..];
                let numbers: Vec<f32> =
                    rest[..rest.find(']').unwrap()].split_whitespace().map(|n| n.parse().unwrap()).collect();
                numbers.try_into().unwrap()
            })
            .collect()
    }

    fn page_count(pdf: &[u8]) -> usize {
        let text = String::from_utf8_lossy(pdf);
        text.match_indices("/Type /Page").filter(|(at, key)| !text[at + key.len()..].starts_with('s')).count()
    }

    // Expected sizes: 100 mm / 25.4 × 96 = 377.95 → 378; 50 mm → 188.98 → 189;
    // at 300 dpi: 1181.10 → 1181 and 590.55 → 591.
    #[test]
    fn png_size_is_the_page_size_in_mm_at_the_resolution() {
        let svg = figure_svg(DENSITY_TEXT);
        let at_96 = decode(&png_from_svg(&svg, 96.0).unwrap());
        assert_eq!((at_96.width, at_96.height), (378, 189));
        let at_300 = decode(&png_from_svg(&svg, 300.0).unwrap());
        assert_eq!((at_300.width, at_300.height), (1181, 591));
    }

    // 96 / 0.0254 = 3779.5 → 3780 pixels per metre; 300 / 0.0254 = 11811.02 → 11811.
    #[test]
    fn png_records_its_resolution_in_phys() {
        let svg = figure_svg(DENSITY_TEXT);
        for (dpi, pixels_per_metre) in [(96.0, 3780), (300.0, 11_811)] {
            let dims = decode(&png_from_svg(&svg, dpi).unwrap()).pixel_dims.expect("pHYs chunk");
            assert_eq!((dims.xppu, dims.yppu, dims.unit), (pixels_per_metre, pixels_per_metre, png::Unit::Meter));
        }
    }

    #[test]
    fn png_draws_the_shapes_at_their_place_on_white() {
        let svg = figure_svg(DENSITY_TEXT);
        for dpi in [96.0, 300.0] {
            let image = decode(&png_from_svg(&svg, dpi).unwrap());
            assert_eq!(image.pixel_at_mm(20.0, 15.0, dpi), BLUE, "inside the plain rect at {dpi} dpi");
            assert_eq!(image.pixel_at_mm(40.0, 15.0, dpi), [255; 3], "between the rects at {dpi} dpi");
            assert_eq!(image.pixel_at_mm(90.0, 45.0, dpi), [255; 3], "bottom-right corner at {dpi} dpi");
            // Hatching: dark lines and the white page between them, inside the second rect.
            let hatched = image.dark_pixels_in_mm((47.0, 7.0), (73.0, 23.0), dpi);
            let side = ((26.0 / 25.4 * dpi) * (16.0 / 25.4 * dpi)) as usize;
            assert!(hatched > side / 10 && hatched < side * 9 / 10, "{hatched} of {side} hatched pixels at {dpi} dpi");
        }
    }

    #[test]
    fn png_draws_the_text() {
        let dpi = 150.0;
        let with_text = decode(&png_from_svg(&figure_svg(DENSITY_TEXT), dpi).unwrap());
        let without_text = decode(&png_from_svg(&figure_svg(""), dpi).unwrap());
        // Text band: cap height of a 6 mm font above the 42 mm baseline, descenders below it.
        let band = ((4.0, 36.0), (96.0, 44.0));
        assert_eq!(without_text.dark_pixels_in_mm(band.0, band.1, dpi), 0);
        let dark = with_text.dark_pixels_in_mm(band.0, band.1, dpi);
        assert!(dark > 1000, "only {dark} dark pixels where the text is");
    }

    // Reference widths from the Helvetica AFM (Adobe Core 14), which Arial, and so Liberation Sans, matches:
    // D 722, e n é h a b 556, s k 500, i 222, t space , . / 278, digits 556, m 833, ² 333 (per 1000 em):
    // "Densité 12 345,6 hab./km²" = 11 728 / 1000 em, so 70.368 mm at a 6 mm font size.
    #[test]
    fn text_has_the_metrics_of_arial() {
        let tree = parse(&figure_svg("Densité 12 345,6 hab./km²")).unwrap();
        let advance_mm = text_node(&tree).bounding_box().width();
        assert!((advance_mm - 70.368).abs() < 0.01, "text advance {advance_mm} mm");
    }

    #[test]
    fn font_families_resolve_to_the_bundled_faces() {
        for family in ["'Liberation Sans', Arial, Helvetica, sans-serif", "Arial", "Helvetica", "sans-serif", "serif"] {
            let svg = text_svg(&format!(r#"font-family="{family}""#), "Densité");
            assert_eq!(faces_used(&svg), ["LiberationSans"], "font-family {family}");
        }
        assert_eq!(faces_used(&text_svg("", "Densité")), ["LiberationSans"], "no font-family");
        let bold = text_svg(r#"font-family="Arial" font-weight="bold""#, "Densité");
        assert_eq!(faces_used(&bold), ["LiberationSans-Bold"]);
    }

    #[test]
    fn french_typography_has_glyphs() {
        // Thin and plain no-break spaces, accents, ligature, superscript, dash, guillemets, euro, per mille.
        let text = "12\u{202f}345\u{a0}hab./km² – « Œuvre » à Évry ≥ 5 € ‰ ’";
        for weight in ["normal", "bold"] {
            let tree = parse(&text_svg(&format!(r#"font-weight="{weight}""#), text)).unwrap();
            let missing: Vec<&str> = text_node(&tree)
                .layouted()
                .iter()
                .flat_map(|span| &span.positioned_glyphs)
                .filter(|glyph| glyph.id.0 == 0)
                .map(|glyph| glyph.text.as_str())
                .collect();
            assert!(missing.is_empty(), "no glyph in weight {weight} for {missing:?}");
        }
    }

    #[test]
    fn pdf_has_one_page_per_svg_at_its_size() {
        let a4_portrait = r##"<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm"
  viewBox="0 0 210 297">
  <rect x="10" y="10" width="50" height="50" fill="#d62728"/>
</svg>"##;
        let figure = figure_svg(DENSITY_TEXT);
        let pdf = pdf_from_svgs(&[&figure, a4_portrait], "Portrait de territoire", Lang::Fr).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(page_count(&pdf), 2);
        // 100 mm = 283.465 pt, 50 mm = 141.732 pt; A4 = 595.276 × 841.890 pt.
        let boxes = media_boxes(&pdf);
        let expected = [[0.0, 0.0, 283.465, 141.732], [0.0, 0.0, 595.276, 841.890]];
        assert_eq!(boxes.len(), 2);
        for (found, expected) in boxes.iter().zip(expected) {
            assert!(found.iter().zip(expected).all(|(a, b)| (a - b).abs() < 0.01), "{found:?} vs {expected:?}");
        }
        assert!(String::from_utf8_lossy(&pdf).contains("/Title (Portrait de territoire)"));
        assert!(String::from_utf8_lossy(&pdf).contains("/Lang (fr)"));
        let english = pdf_from_svgs(&[&figure], "Territory portrait", Lang::En).unwrap();
        assert!(String::from_utf8_lossy(&english).contains("/Lang (en)"), "the document declares its language");
    }

    #[test]
    fn pdf_text_is_real_text() {
        let Some(mut pdftotext) = poppler_tool("pdftotext") else { return };
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("figure.pdf");
        let figure = figure_svg(DENSITY_TEXT);
        let second = figure_svg("Page 2 : part des 75 ans ou plus");
        std::fs::write(&path, pdf_from_svgs(&[&figure, &second], "Densité de population", Lang::Fr).unwrap()).unwrap();
        pdftotext.arg(&path).arg("-");
        // Extractors write the thin no-break space as it is or as a space.
        let text = run(pdftotext).replace(['\u{202f}', '\u{a0}'], " ");
        assert!(text.contains("Densité 12 345,6 hab./km²"), "pdftotext: {text:?}");
        assert!(text.contains("Page 2 : part des 75 ans ou plus"), "pdftotext: {text:?}");

        let Some(mut pdfinfo) = poppler_tool("pdfinfo") else { return };
        pdfinfo.arg(&path);
        let info = run(pdfinfo);
        assert!(
            info.lines().any(|line| line.starts_with("Title:") && line.ends_with("Densité de population")),
            "{info}"
        );
        assert!(info.lines().any(|line| line.starts_with("Pages:") && line.ends_with(" 2")), "{info}");
        // Poppler prints the size of the first page with the precision of its version.
        let page_size = info.lines().find(|line| line.starts_with("Page size:")).unwrap();
        assert!(page_size.contains("283.46") && page_size.contains("141.73"), "{page_size}");
    }

    /// Poppler, another implementation, draws the PDF page as resvg draws the PNG.
    #[test]
    fn pdf_page_rasterised_by_poppler_matches_the_png() {
        let Some(mut pdftoppm) = poppler_tool("pdftoppm") else { return };
        let directory = tempfile::tempdir().unwrap();
        let pdf_path = directory.path().join("figure.pdf");
        let svg = figure_svg(DENSITY_TEXT);
        std::fs::write(&pdf_path, pdf_from_svgs(&[&svg], "Figure", Lang::Fr).unwrap()).unwrap();
        let dpi = 96.0;
        pdftoppm.args(["-png", "-r", "96", "-singlefile"]).arg(&pdf_path).arg(directory.path().join("page"));
        run(pdftoppm);
        let poppler = decode(&std::fs::read(directory.path().join("page.png")).unwrap());
        let resvg = decode(&png_from_svg(&svg, dpi).unwrap());
        assert_eq!((poppler.width, poppler.height), (resvg.width, resvg.height));
        let near = |a: [u8; 3], b: [u8; 3]| a.iter().zip(b).all(|(&a, b)| a.abs_diff(b) <= 3);
        assert!(near(poppler.pixel_at_mm(20.0, 15.0, dpi), BLUE), "{:?}", poppler.pixel_at_mm(20.0, 15.0, dpi));
        assert_eq!(poppler.pixel_at_mm(40.0, 15.0, dpi), [255; 3]);
        let text_band = ((4.0, 36.0), (96.0, 44.0));
        let (in_pdf, in_png) = (
            poppler.dark_pixels_in_mm(text_band.0, text_band.1, dpi),
            resvg.dark_pixels_in_mm(text_band.0, text_band.1, dpi),
        );
        assert!(in_pdf.abs_diff(in_png) < in_png / 4, "dark text pixels: {in_pdf} (PDF) vs {in_png} (PNG)");
    }

    #[test]
    fn outputs_are_byte_stable() {
        let svg = figure_svg(DENSITY_TEXT);
        assert_eq!(png_from_svg(&svg, 150.0).unwrap(), png_from_svg(&svg, 150.0).unwrap());
        assert_eq!(
            pdf_from_svgs(&[&svg, &svg], "Figure", Lang::Fr).unwrap(),
            pdf_from_svgs(&[&svg, &svg], "Figure", Lang::Fr).unwrap()
        );
    }

    #[test]
    fn unreadable_svg_is_an_error() {
        for garbage in ["pas du SVG", "<svg", "<html xmlns=\"http://www.w3.org/1999/xhtml\"/>", "\u{0}\u{1}"] {
            assert!(matches!(png_from_svg(garbage, 96.0), Err(RenderError::InvalidSvg(_))), "{garbage:?}");
            assert!(
                matches!(pdf_from_svgs(&[garbage], "x", Lang::Fr), Err(RenderError::Page { page: 1, .. })),
                "{garbage:?}"
            );
        }
    }

    #[test]
    fn empty_svg_is_an_error() {
        for empty in ["", "  \n"] {
            assert!(matches!(png_from_svg(empty, 96.0), Err(RenderError::EmptySvg)));
        }
    }

    #[test]
    fn zero_size_page_is_an_error() {
        for size in [r#"width="0mm" height="50mm""#, r#"width="100mm" height="0""#, r#"width="-5mm" height="5mm""#] {
            let svg = format!(r#"<svg xmlns="http://www.w3.org/2000/svg" {size}><rect width="1" height="1"/></svg>"#);
            assert!(matches!(png_from_svg(&svg, 96.0), Err(RenderError::InvalidPageSize)), "{size}");
            let error = pdf_from_svgs(&[&figure_svg("1"), &svg], "x", Lang::Fr).unwrap_err();
            assert!(error.to_string().starts_with("page 2 : taille de page invalide"), "{error}");
        }
        let tiny = r#"<svg xmlns="http://www.w3.org/2000/svg" width="0.1mm" height="0.1mm"/>"#;
        assert!(matches!(png_from_svg(tiny, 96.0), Err(RenderError::PageTooSmall { .. })));
    }

    #[test]
    fn bad_resolution_is_an_error() {
        let svg = figure_svg(DENSITY_TEXT);
        for dpi in [0.0, -96.0, f32::NAN, f32::INFINITY] {
            assert!(matches!(png_from_svg(&svg, dpi), Err(RenderError::InvalidDpi(_))), "{dpi}");
        }
        // 100 × 50 mm at 100 000 dpi would be 3.9 × 10¹⁰ pixels: refused before any allocation.
        assert!(matches!(png_from_svg(&svg, 100_000.0), Err(RenderError::ImageTooLarge { .. })));
    }

    #[test]
    fn pdf_without_pages_is_an_error() {
        assert!(matches!(pdf_from_svgs(&[], "Vide", Lang::Fr), Err(RenderError::NoPages)));
    }

    #[test]
    fn bundled_fonts_and_licence_are_shipped_together() {
        let fonts_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts");
        let licence = std::fs::read_to_string(fonts_dir.join("LICENSE-LiberationFonts.txt")).unwrap();
        assert!(licence.contains("SIL OPEN FONT LICENSE Version 1.1"));
        assert_eq!(fonts().len(), 2);
    }
}
