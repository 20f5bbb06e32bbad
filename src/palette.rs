//! ColorBrewer colour schemes for choropleth maps: the 18 sequential schemes (single and multi-hue)
//! for 3 to 9 classes and the 9 diverging schemes for 3 to 11 classes, with ColorBrewer's
//! colour-blind-safe flag.
//!
//! Colour specifications and designs by Cynthia Brewer, Mark Harrower and The Pennsylvania State
//! University (ColorBrewer, <https://colorbrewer2.org>), Apache License 2.0; see `ATTRIBUTION.md`.
//! "This product includes color specifications and designs developed by Cynthia Brewer
//! (http://colorbrewer.org/)."
//!
//! The table at the end of this file was generated from ColorBrewer's own table as shipped in the
//! PyPI package palettable 3.3.3 (`colorbrewer_all_schemes.json`) and checked value by value
//! against the npm package colorbrewer 1.7.0; the colour-blind flags are those of colorbrewer2.org
//! (`colorbrewer_schemes.js`, property `blind`), where only a scheme marked safe for every class
//! count is flagged here (RdGy, RdYlGn and Spectral are marked "possibly" or "no"). This module
//! owns the colours only: it depends on [`crate::figure::Rgb`] and nothing else — no classification,
//! no packs, no egui.

use crate::figure::Rgb;

/// Fewest classes a scheme has colours for.
pub const MIN_CLASSES: usize = 3;

/// Default scheme for rates and shares: yellow–green–blue reads as "more" without alarm, is
/// colour-blind safe at every class count and print-friendly up to five classes (ColorBrewer).
pub const DEFAULT_SEQUENTIAL: &str = "YlGnBu";

/// Default scheme for values around a reference (differences, changes): colour-blind safe at every
/// class count, unlike the red–green schemes.
pub const DEFAULT_DIVERGING: &str = "RdYlBu";

/// Kind of scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaletteKind {
    /// Light to dark: ordered values from low to high.
    Sequential,
    /// Two hues diverging from a light middle: values below and above a critical value.
    Diverging,
}

/// One ColorBrewer scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Palette {
    /// ColorBrewer name (`Blues`, `YlOrRd`, `RdBu`…).
    pub name: &'static str,
    /// Sequential or diverging.
    pub kind: PaletteKind,
    /// Whether ColorBrewer marks the scheme colour-blind safe for every number of classes.
    pub colorblind_safe: bool,
    /// `#rrggbb` colours as ColorBrewer publishes them, one list per class count from
    /// [`MIN_CLASSES`] on.
    colors_by_count: &'static [&'static [&'static str]],
}

impl Palette {
    /// Colours for `n` classes, light to dark (sequential) or first hue to second (diverging), or
    /// `None` when the scheme has no `n`-class version (3 to 9; 3 to 11 for diverging schemes).
    /// ColorBrewer designs each class count separately: 5 classes are not 5 of the 9.
    ///
    /// ```
    /// use indicarto::figure::Rgb;
    /// use indicarto::palette::palette;
    /// let blues = palette("blues").unwrap();
    /// assert_eq!(blues.colors(3), Some(vec![Rgb(0xde, 0xeb, 0xf7), Rgb(0x9e, 0xca, 0xe1), Rgb(0x31, 0x82, 0xbd)]));
    /// assert_eq!(blues.colors(10), None);
    /// ```
    #[must_use]
    pub fn colors(&self, n: usize) -> Option<Vec<Rgb>> {
        let row = self.colors_by_count.get(n.checked_sub(MIN_CLASSES)?)?;
        // The table is checked by the tests: every code parses.
        row.iter().map(|hex| Rgb::from_hex(hex)).collect()
    }

    /// The same colours in the opposite order (dark to light; second hue to first), for indicators
    /// where a low value is the worrying one.
    #[must_use]
    pub fn reversed(&self, n: usize) -> Option<Vec<Rgb>> {
        let mut colors = self.colors(n)?;
        colors.reverse();
        Some(colors)
    }

    /// Colours for any number of classes from 1 to [`Palette::max_classes`]: a classification can
    /// end with fewer than three classes (quantile bounds merged by ties, mean and standard
    /// deviation on a narrow distribution), which ColorBrewer does not design. Two classes take
    /// the ends of the 3-class scheme and one class its middle.
    #[must_use]
    pub fn colors_for_classes(&self, n: usize) -> Option<Vec<Rgb>> {
        let three = || self.colors(MIN_CLASSES);
        match n {
            0 => None,
            1 => three().map(|c| vec![c[1]]),
            2 => three().map(|c| vec![c[0], c[2]]),
            _ => self.colors(n),
        }
    }

    /// Most classes the scheme has colours for (9 sequential, 11 diverging).
    #[must_use]
    pub fn max_classes(&self) -> usize {
        MIN_CLASSES + self.colors_by_count.len() - 1
    }
}

/// The scheme called `name`, case-insensitive (`"Blues"`, `"ylorrd"`, `"RdBu"`).
#[must_use]
pub fn palette(name: &str) -> Option<&'static Palette> {
    let name = name.trim();
    PALETTES.iter().find(|p| p.name.eq_ignore_ascii_case(name))
}

/// Every scheme: the sequential ones (single hue, then multi-hue), then the diverging ones.
#[must_use]
pub fn all() -> &'static [Palette] {
    &PALETTES
}

/// The schemes of one kind, in the order of [`all`].
pub fn of_kind(kind: PaletteKind) -> impl Iterator<Item = &'static Palette> {
    PALETTES.iter().filter(move |p| p.kind == kind)
}

// ---------------------------------------------------------------------------------------------
// ColorBrewer table (generated; see the module documentation): one row per class count from 3.
// ---------------------------------------------------------------------------------------------

static PALETTES: [Palette; 27] = [
    Palette {
        name: "Blues",
        kind: PaletteKind::Sequential,
        colorblind_safe: true,
        colors_by_count: &[
            &["#deebf7", "#9ecae1", "#3182bd"],
            &["#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"],
            &["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"],
            &["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"],
            &["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"],
            &["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"],
            &["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"],
        ],
    },
    Palette {
        name: "Greens",
        kind: PaletteKind::Sequential,
        colorblind_safe: true,
        colors_by_count: &[
            &["#e5f5e0", "#a1d99b", "#31a354"],
            &["#edf8e9", "#bae4b3", "#74c476", "#238b45"],
            &["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"],
            &["#edf8e9", "#c7e9c0", "#a1d99b", "#74c476", "#31a354", "#006d2c"],
            &["#edf8e9", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#005a32"],
            &["#f7fcf5", "#e5f5e0", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#005a32"],
            &["#f7fcf5", "#e5f5e0", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#006d2c", "#00441b"],
        ],
    },
    Palette {
        name: "Greys",
        kind: PaletteKind::Sequential,
        colorblind_safe: true,
        colors_by_count: &[
            &["#f0f0f0", "#bdbdbd", "#636363"],
            &["#f7f7f7", "#cccccc", "#969696", "#525252"],
            &["#f7f7f7", "#cccccc", "#969696", "#636363", "#252525"],
            &["#f7f7f7", "#d9d9d9", "#bdbdbd", "#969696", "#636363", "#252525"],
            &["#f7f7f7", "#d9d9d9", "#bdbdbd", "#969696", "#737373", "#525252", "#252525"],
            &["#ffffff", "#f0f0f0", "#d9d9d9", "#bdbdbd", "#969696", "#737373", "#525252", "#252525"],
            &["#ffffff", "#f0f0f0", "#d9d9d9", "#bdbdbd", "#969696", "#737373", "#525252", "#252525", "#000000"],
        ],
    },
    Palette {
        name: "Oranges",
        kind: PaletteKind::Sequential,
        colorblind_safe: true,
        colors_by_count: &[
            &["#fee6ce", "#fdae6b", "#e6550d"],
            &["#feedde", "#fdbe85", "#fd8d3c", "#d94701"],
            &["#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603"],
            &["#feedde", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603"],
            &["#feedde", "#fdd0a2", "#fdae6b", "#fd8d3c", "#f16913", "#d94801", "#8c2d04"],
            &["#fff5eb", "#fee6ce", "#fdd0a2", "#fdae6b", "#fd8d3c", "#f16913", "#d94801", "#8c2d04"],
            &["#fff5eb", "#fee6ce", "#fdd0a2", "#fdae6b", "#fd8d3c", "#f16913", "#d94801", "#a63603", "#7f2704"],
        ],
    },
    Palette {
        name: "Purples",
        kind: PaletteKind::Sequential,
        colorblind_safe: true,
        colors_by_count: &[
            &["#efedf5", "#bcbddc", "#756bb1"],
            &["#f2f0f7", "#cbc9e2", "#9e9ac8", "#6a51a3"],
            &["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"],
            &["#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#756bb1", "#54278f"],
            &["#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#4a1486"],
            &["#fcfbfd", "#efedf5", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#4a1486"],
            &["#fcfbfd", "#efedf5", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#54278f", "#3f007d"],
        ],
    },
    Palette {
        name: "Reds",
        kind: PaletteKind::Sequential,
        colorblind_safe: true,
        colors_by_count: &[
            &["#fee0d2", "#fc9272", "#de2d26"],
            &["#fee5d9", "#fcae91", "#fb6a4a", "#cb181d"],
            &["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"],
            &["#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#de2d26", "#a50f15"],
            &["#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#ef3b2c", "#cb181d", "#99000d"],
            &["#fff5f0", "#fee0d2", "#fcbba1", "#fc9272", "#fb6a4a", "#ef3b2c", "#cb181d", "#99000d"],
            &["#fff5f0", "#fee0d2", "#fcbba1", "#fc9272", "#fb6a4a", "#ef3b2c", "#cb181d", "#a50f15", "#67000d"],
        ],
    },
    Palette {
        name: "BuGn",
        kind: PaletteKind::Sequential,
        colorblind_safe: true,
        colors_by_count: &[
            &["#e5f5f9", "#99d8c9", "#2ca25f"],
            &["#edf8fb", "#b2e2e2", "#66c2a4", "#238b45"],
            &["#edf8fb", "#b2e2e2", "#66c2a4", "#2ca25f", "#006d2c"],
            &["#edf8fb", "#ccece6", "#99d8c9", "#66c2a4", "#2ca25f", "#006d2c"],
            &["#edf8fb", "#ccece6", "#99d8c9", "#66c2a4", "#41ae76", "#238b45", "#005824"],
            &["#f7fcfd", "#e5f5f9", "#ccece6", "#99d8c9", "#66c2a4", "#41ae76", "#238b45", "#005824"],
            &["#f7fcfd", "#e5f5f9", "#ccece6", "#99d8c9", "#66c2a4", "#41ae76", "#238b45", "#006d2c", "#00441b"],
        ],
    },
    Palette {
        name: "BuPu",
        kind: PaletteKind::Sequential,
        colorblind_safe: true,
        colors_by_count: &[
            &["#e0ecf4", "#9ebcda", "#8856a7"],
            &["#edf8fb", "#b3cde3", "#8c96c6", "#88419d"],
            &["#edf8fb", "#b3cde3", "#8c96c6", "#8856a7", "#810f7c"],
            &["#edf8fb", "#bfd3e6", "#9ebcda", "#8c96c6", "#8856a7", "#810f7c"],
            &["#edf8fb", "#bfd3e6", "#9ebcda", "#8c96c6", "#8c6bb1", "#88419d", "#6e016b"],
            &["#f7fcfd", "#e0ecf4", "#bfd3e6", "#9ebcda", "#8c96c6", "#8c6bb1", "#88419d", "#6e016b"],
            &["#f7fcfd", "#e0ecf4", "#bfd3e6", "#9ebcda", "#8c96c6", "#8c6bb1", "#88419d", "#810f7c", "#4d004b"],
        ],
    },
    Palette {
        name: "GnBu",
        kind: PaletteKind::Sequential,
        colorblind_safe: true,
        colors_by_count: &[
            &["#e0f3db", "#a8ddb5", "#43a2ca"],
            &["#f0f9e8", "#bae4bc", "#7bccc4", "#2b8cbe"],
            &["#f0f9e8", "#bae4bc", "#7bccc4", "#43a2ca", "#0868ac"],
            &["#f0f9e8", "#ccebc5", "#a8ddb5", "#7bccc4", "#43a2ca", "#0868ac"],
            &["#f0f9e8", "#ccebc5", "#a8ddb5", "#7bccc4", "#4eb3d3", "#2b8cbe", "#08589e"],
            &["#f7fcf0", "#e0f3db", "#ccebc5", "#a8ddb5", "#7bccc4", "#4eb3d3", "#2b8cbe", "#08589e"],
            &["#f7fcf0", "#e0f3db", "#ccebc5", "#a8ddb5", "#7bccc4", "#4eb3d3", "#2b8cbe", "#0868ac", "#084081"],
        ],
    },
    Palette {
        name: "OrRd",
        kind: PaletteKind::Sequential,
        colorblind_safe: true,
        colors_by_count: &[
            &["#fee8c8", "#fdbb84", "#e34a33"],
            &["#fef0d9", "#fdcc8a", "#fc8d59", "#d7301f"],
            &["#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"],
            &["#fef0d9", "#fdd49e", "#fdbb84", "#fc8d59", "#e34a33", "#b30000"],
            &["#fef0d9", "#fdd49e", "#fdbb84", "#fc8d59", "#ef6548", "#d7301f", "#990000"],
            &["#fff7ec", "#fee8c8", "#fdd49e", "#fdbb84", "#fc8d59", "#ef6548", "#d7301f", "#990000"],
            &["#fff7ec", "#fee8c8", "#fdd49e", "#fdbb84", "#fc8d59", "#ef6548", "#d7301f", "#b30000", "#7f0000"],
        ],
    },
    Palette {
        name: "PuBu",
        kind: PaletteKind::Sequential,
        colorblind_safe: true,
        colors_by_count: &[
            &["#ece7f2", "#a6bddb", "#2b8cbe"],
            &["#f1eef6", "#bdc9e1", "#74a9cf", "#0570b0"],
            &["#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d"],
            &["#f1eef6", "#d0d1e6", "#a6bddb", "#74a9cf", "#2b8cbe", "#045a8d"],
            &["#f1eef6", "#d0d1e6", "#a6bddb", "#74a9cf", "#3690c0", "#0570b0", "#034e7b"],
            &["#fff7fb", "#ece7f2", "#d0d1e6", "#a6bddb", "#74a9cf", "#3690c0", "#0570b0", "#034e7b"],
            &["#fff7fb", "#ece7f2", "#d0d1e6", "#a6bddb", "#74a9cf", "#3690c0", "#0570b0", "#045a8d", "#023858"],
        ],
    },
    Palette {
        name: "PuBuGn",
        kind: PaletteKind::Sequential,
        colorblind_safe: true,
        colors_by_count: &[
            &["#ece2f0", "#a6bddb", "#1c9099"],
            &["#f6eff7", "#bdc9e1", "#67a9cf", "#02818a"],
            &["#f6eff7", "#bdc9e1", "#67a9cf", "#1c9099", "#016c59"],
            &["#f6eff7", "#d0d1e6", "#a6bddb", "#67a9cf", "#1c9099", "#016c59"],
            &["#f6eff7", "#d0d1e6", "#a6bddb", "#67a9cf", "#3690c0", "#02818a", "#016450"],
            &["#fff7fb", "#ece2f0", "#d0d1e6", "#a6bddb", "#67a9cf", "#3690c0", "#02818a", "#016450"],
            &["#fff7fb", "#ece2f0", "#d0d1e6", "#a6bddb", "#67a9cf", "#3690c0", "#02818a", "#016c59", "#014636"],
        ],
    },
    Palette {
        name: "PuRd",
        kind: PaletteKind::Sequential,
        colorblind_safe: true,
        colors_by_count: &[
            &["#e7e1ef", "#c994c7", "#dd1c77"],
            &["#f1eef6", "#d7b5d8", "#df65b0", "#ce1256"],
            &["#f1eef6", "#d7b5d8", "#df65b0", "#dd1c77", "#980043"],
            &["#f1eef6", "#d4b9da", "#c994c7", "#df65b0", "#dd1c77", "#980043"],
            &["#f1eef6", "#d4b9da", "#c994c7", "#df65b0", "#e7298a", "#ce1256", "#91003f"],
            &["#f7f4f9", "#e7e1ef", "#d4b9da", "#c994c7", "#df65b0", "#e7298a", "#ce1256", "#91003f"],
            &["#f7f4f9", "#e7e1ef", "#d4b9da", "#c994c7", "#df65b0", "#e7298a", "#ce1256", "#980043", "#67001f"],
        ],
    },
    Palette {
        name: "RdPu",
        kind: PaletteKind::Sequential,
        colorblind_safe: true,
        colors_by_count: &[
            &["#fde0dd", "#fa9fb5", "#c51b8a"],
            &["#feebe2", "#fbb4b9", "#f768a1", "#ae017e"],
            &["#feebe2", "#fbb4b9", "#f768a1", "#c51b8a", "#7a0177"],
            &["#feebe2", "#fcc5c0", "#fa9fb5", "#f768a1", "#c51b8a", "#7a0177"],
            &["#feebe2", "#fcc5c0", "#fa9fb5", "#f768a1", "#dd3497", "#ae017e", "#7a0177"],
            &["#fff7f3", "#fde0dd", "#fcc5c0", "#fa9fb5", "#f768a1", "#dd3497", "#ae017e", "#7a0177"],
            &["#fff7f3", "#fde0dd", "#fcc5c0", "#fa9fb5", "#f768a1", "#dd3497", "#ae017e", "#7a0177", "#49006a"],
        ],
    },
    Palette {
        name: "YlGn",
        kind: PaletteKind::Sequential,
        colorblind_safe: true,
        colors_by_count: &[
            &["#f7fcb9", "#addd8e", "#31a354"],
            &["#ffffcc", "#c2e699", "#78c679", "#238443"],
            &["#ffffcc", "#c2e699", "#78c679", "#31a354", "#006837"],
            &["#ffffcc", "#d9f0a3", "#addd8e", "#78c679", "#31a354", "#006837"],
            &["#ffffcc", "#d9f0a3", "#addd8e", "#78c679", "#41ab5d", "#238443", "#005a32"],
            &["#ffffe5", "#f7fcb9", "#d9f0a3", "#addd8e", "#78c679", "#41ab5d", "#238443", "#005a32"],
            &["#ffffe5", "#f7fcb9", "#d9f0a3", "#addd8e", "#78c679", "#41ab5d", "#238443", "#006837", "#004529"],
        ],
    },
    Palette {
        name: "YlGnBu",
        kind: PaletteKind::Sequential,
        colorblind_safe: true,
        colors_by_count: &[
            &["#edf8b1", "#7fcdbb", "#2c7fb8"],
            &["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
            &["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
            &["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"],
            &["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
            &["#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
            &["#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58"],
        ],
    },
    Palette {
        name: "YlOrBr",
        kind: PaletteKind::Sequential,
        colorblind_safe: true,
        colors_by_count: &[
            &["#fff7bc", "#fec44f", "#d95f0e"],
            &["#ffffd4", "#fed98e", "#fe9929", "#cc4c02"],
            &["#ffffd4", "#fed98e", "#fe9929", "#d95f0e", "#993404"],
            &["#ffffd4", "#fee391", "#fec44f", "#fe9929", "#d95f0e", "#993404"],
            &["#ffffd4", "#fee391", "#fec44f", "#fe9929", "#ec7014", "#cc4c02", "#8c2d04"],
            &["#ffffe5", "#fff7bc", "#fee391", "#fec44f", "#fe9929", "#ec7014", "#cc4c02", "#8c2d04"],
            &["#ffffe5", "#fff7bc", "#fee391", "#fec44f", "#fe9929", "#ec7014", "#cc4c02", "#993404", "#662506"],
        ],
    },
    Palette {
        name: "YlOrRd",
        kind: PaletteKind::Sequential,
        colorblind_safe: true,
        colors_by_count: &[
            &["#ffeda0", "#feb24c", "#f03b20"],
            &["#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"],
            &["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],
            &["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"],
            &["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"],
            &["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"],
            &["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"],
        ],
    },
    Palette {
        name: "BrBG",
        kind: PaletteKind::Diverging,
        colorblind_safe: true,
        colors_by_count: &[
            &["#d8b365", "#f5f5f5", "#5ab4ac"],
            &["#a6611a", "#dfc27d", "#80cdc1", "#018571"],
            &["#a6611a", "#dfc27d", "#f5f5f5", "#80cdc1", "#018571"],
            &["#8c510a", "#d8b365", "#f6e8c3", "#c7eae5", "#5ab4ac", "#01665e"],
            &["#8c510a", "#d8b365", "#f6e8c3", "#f5f5f5", "#c7eae5", "#5ab4ac", "#01665e"],
            &["#8c510a", "#bf812d", "#dfc27d", "#f6e8c3", "#c7eae5", "#80cdc1", "#35978f", "#01665e"],
            &["#8c510a", "#bf812d", "#dfc27d", "#f6e8c3", "#f5f5f5", "#c7eae5", "#80cdc1", "#35978f", "#01665e"],
            &[
                "#543005", "#8c510a", "#bf812d", "#dfc27d", "#f6e8c3", "#c7eae5", "#80cdc1", "#35978f", "#01665e",
                "#003c30",
            ],
            &[
                "#543005", "#8c510a", "#bf812d", "#dfc27d", "#f6e8c3", "#f5f5f5", "#c7eae5", "#80cdc1", "#35978f",
                "#01665e", "#003c30",
            ],
        ],
    },
    Palette {
        name: "PiYG",
        kind: PaletteKind::Diverging,
        colorblind_safe: true,
        colors_by_count: &[
            &["#e9a3c9", "#f7f7f7", "#a1d76a"],
            &["#d01c8b", "#f1b6da", "#b8e186", "#4dac26"],
            &["#d01c8b", "#f1b6da", "#f7f7f7", "#b8e186", "#4dac26"],
            &["#c51b7d", "#e9a3c9", "#fde0ef", "#e6f5d0", "#a1d76a", "#4d9221"],
            &["#c51b7d", "#e9a3c9", "#fde0ef", "#f7f7f7", "#e6f5d0", "#a1d76a", "#4d9221"],
            &["#c51b7d", "#de77ae", "#f1b6da", "#fde0ef", "#e6f5d0", "#b8e186", "#7fbc41", "#4d9221"],
            &["#c51b7d", "#de77ae", "#f1b6da", "#fde0ef", "#f7f7f7", "#e6f5d0", "#b8e186", "#7fbc41", "#4d9221"],
            &[
                "#8e0152", "#c51b7d", "#de77ae", "#f1b6da", "#fde0ef", "#e6f5d0", "#b8e186", "#7fbc41", "#4d9221",
                "#276419",
            ],
            &[
                "#8e0152", "#c51b7d", "#de77ae", "#f1b6da", "#fde0ef", "#f7f7f7", "#e6f5d0", "#b8e186", "#7fbc41",
                "#4d9221", "#276419",
            ],
        ],
    },
    Palette {
        name: "PRGn",
        kind: PaletteKind::Diverging,
        colorblind_safe: true,
        colors_by_count: &[
            &["#af8dc3", "#f7f7f7", "#7fbf7b"],
            &["#7b3294", "#c2a5cf", "#a6dba0", "#008837"],
            &["#7b3294", "#c2a5cf", "#f7f7f7", "#a6dba0", "#008837"],
            &["#762a83", "#af8dc3", "#e7d4e8", "#d9f0d3", "#7fbf7b", "#1b7837"],
            &["#762a83", "#af8dc3", "#e7d4e8", "#f7f7f7", "#d9f0d3", "#7fbf7b", "#1b7837"],
            &["#762a83", "#9970ab", "#c2a5cf", "#e7d4e8", "#d9f0d3", "#a6dba0", "#5aae61", "#1b7837"],
            &["#762a83", "#9970ab", "#c2a5cf", "#e7d4e8", "#f7f7f7", "#d9f0d3", "#a6dba0", "#5aae61", "#1b7837"],
            &[
                "#40004b", "#762a83", "#9970ab", "#c2a5cf", "#e7d4e8", "#d9f0d3", "#a6dba0", "#5aae61", "#1b7837",
                "#00441b",
            ],
            &[
                "#40004b", "#762a83", "#9970ab", "#c2a5cf", "#e7d4e8", "#f7f7f7", "#d9f0d3", "#a6dba0", "#5aae61",
                "#1b7837", "#00441b",
            ],
        ],
    },
    Palette {
        name: "PuOr",
        kind: PaletteKind::Diverging,
        colorblind_safe: true,
        colors_by_count: &[
            &["#f1a340", "#f7f7f7", "#998ec3"],
            &["#e66101", "#fdb863", "#b2abd2", "#5e3c99"],
            &["#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99"],
            &["#b35806", "#f1a340", "#fee0b6", "#d8daeb", "#998ec3", "#542788"],
            &["#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"],
            &["#b35806", "#e08214", "#fdb863", "#fee0b6", "#d8daeb", "#b2abd2", "#8073ac", "#542788"],
            &["#b35806", "#e08214", "#fdb863", "#fee0b6", "#f7f7f7", "#d8daeb", "#b2abd2", "#8073ac", "#542788"],
            &[
                "#7f3b08", "#b35806", "#e08214", "#fdb863", "#fee0b6", "#d8daeb", "#b2abd2", "#8073ac", "#542788",
                "#2d004b",
            ],
            &[
                "#7f3b08", "#b35806", "#e08214", "#fdb863", "#fee0b6", "#f7f7f7", "#d8daeb", "#b2abd2", "#8073ac",
                "#542788", "#2d004b",
            ],
        ],
    },
    Palette {
        name: "RdBu",
        kind: PaletteKind::Diverging,
        colorblind_safe: true,
        colors_by_count: &[
            &["#ef8a62", "#f7f7f7", "#67a9cf"],
            &["#ca0020", "#f4a582", "#92c5de", "#0571b0"],
            &["#ca0020", "#f4a582", "#f7f7f7", "#92c5de", "#0571b0"],
            &["#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"],
            &["#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac"],
            &["#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#d1e5f0", "#92c5de", "#4393c3", "#2166ac"],
            &["#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0", "#92c5de", "#4393c3", "#2166ac"],
            &[
                "#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#d1e5f0", "#92c5de", "#4393c3", "#2166ac",
                "#053061",
            ],
            &[
                "#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0", "#92c5de", "#4393c3",
                "#2166ac", "#053061",
            ],
        ],
    },
    Palette {
        name: "RdGy",
        kind: PaletteKind::Diverging,
        colorblind_safe: false,
        colors_by_count: &[
            &["#ef8a62", "#ffffff", "#999999"],
            &["#ca0020", "#f4a582", "#bababa", "#404040"],
            &["#ca0020", "#f4a582", "#ffffff", "#bababa", "#404040"],
            &["#b2182b", "#ef8a62", "#fddbc7", "#e0e0e0", "#999999", "#4d4d4d"],
            &["#b2182b", "#ef8a62", "#fddbc7", "#ffffff", "#e0e0e0", "#999999", "#4d4d4d"],
            &["#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#e0e0e0", "#bababa", "#878787", "#4d4d4d"],
            &["#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#ffffff", "#e0e0e0", "#bababa", "#878787", "#4d4d4d"],
            &[
                "#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#e0e0e0", "#bababa", "#878787", "#4d4d4d",
                "#1a1a1a",
            ],
            &[
                "#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#ffffff", "#e0e0e0", "#bababa", "#878787",
                "#4d4d4d", "#1a1a1a",
            ],
        ],
    },
    Palette {
        name: "RdYlBu",
        kind: PaletteKind::Diverging,
        colorblind_safe: true,
        colors_by_count: &[
            &["#fc8d59", "#ffffbf", "#91bfdb"],
            &["#d7191c", "#fdae61", "#abd9e9", "#2c7bb6"],
            &["#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6"],
            &["#d73027", "#fc8d59", "#fee090", "#e0f3f8", "#91bfdb", "#4575b4"],
            &["#d73027", "#fc8d59", "#fee090", "#ffffbf", "#e0f3f8", "#91bfdb", "#4575b4"],
            &["#d73027", "#f46d43", "#fdae61", "#fee090", "#e0f3f8", "#abd9e9", "#74add1", "#4575b4"],
            &["#d73027", "#f46d43", "#fdae61", "#fee090", "#ffffbf", "#e0f3f8", "#abd9e9", "#74add1", "#4575b4"],
            &[
                "#a50026", "#d73027", "#f46d43", "#fdae61", "#fee090", "#e0f3f8", "#abd9e9", "#74add1", "#4575b4",
                "#313695",
            ],
            &[
                "#a50026", "#d73027", "#f46d43", "#fdae61", "#fee090", "#ffffbf", "#e0f3f8", "#abd9e9", "#74add1",
                "#4575b4", "#313695",
            ],
        ],
    },
    Palette {
        name: "RdYlGn",
        kind: PaletteKind::Diverging,
        colorblind_safe: false,
        colors_by_count: &[
            &["#fc8d59", "#ffffbf", "#91cf60"],
            &["#d7191c", "#fdae61", "#a6d96a", "#1a9641"],
            &["#d7191c", "#fdae61", "#ffffbf", "#a6d96a", "#1a9641"],
            &["#d73027", "#fc8d59", "#fee08b", "#d9ef8b", "#91cf60", "#1a9850"],
            &["#d73027", "#fc8d59", "#fee08b", "#ffffbf", "#d9ef8b", "#91cf60", "#1a9850"],
            &["#d73027", "#f46d43", "#fdae61", "#fee08b", "#d9ef8b", "#a6d96a", "#66bd63", "#1a9850"],
            &["#d73027", "#f46d43", "#fdae61", "#fee08b", "#ffffbf", "#d9ef8b", "#a6d96a", "#66bd63", "#1a9850"],
            &[
                "#a50026", "#d73027", "#f46d43", "#fdae61", "#fee08b", "#d9ef8b", "#a6d96a", "#66bd63", "#1a9850",
                "#006837",
            ],
            &[
                "#a50026", "#d73027", "#f46d43", "#fdae61", "#fee08b", "#ffffbf", "#d9ef8b", "#a6d96a", "#66bd63",
                "#1a9850", "#006837",
            ],
        ],
    },
    Palette {
        name: "Spectral",
        kind: PaletteKind::Diverging,
        colorblind_safe: false,
        colors_by_count: &[
            &["#fc8d59", "#ffffbf", "#99d594"],
            &["#d7191c", "#fdae61", "#abdda4", "#2b83ba"],
            &["#d7191c", "#fdae61", "#ffffbf", "#abdda4", "#2b83ba"],
            &["#d53e4f", "#fc8d59", "#fee08b", "#e6f598", "#99d594", "#3288bd"],
            &["#d53e4f", "#fc8d59", "#fee08b", "#ffffbf", "#e6f598", "#99d594", "#3288bd"],
            &["#d53e4f", "#f46d43", "#fdae61", "#fee08b", "#e6f598", "#abdda4", "#66c2a5", "#3288bd"],
            &["#d53e4f", "#f46d43", "#fdae61", "#fee08b", "#ffffbf", "#e6f598", "#abdda4", "#66c2a5", "#3288bd"],
            &[
                "#9e0142", "#d53e4f", "#f46d43", "#fdae61", "#fee08b", "#e6f598", "#abdda4", "#66c2a5", "#3288bd",
                "#5e4fa2",
            ],
            &[
                "#9e0142", "#d53e4f", "#f46d43", "#fdae61", "#fee08b", "#ffffbf", "#e6f598", "#abdda4", "#66c2a5",
                "#3288bd", "#5e4fa2",
            ],
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(colors: &[Rgb]) -> Vec<String> {
        colors.iter().map(|c| c.to_hex()).collect()
    }

    #[test]
    fn published_values() {
        // Hex codes as published on colorbrewer2.org.
        let cases: [(&str, usize, &[&str]); 6] = [
            ("Blues", 5, &["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]),
            (
                "YlOrRd",
                9,
                &["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"],
            ),
            ("Greys", 3, &["#f0f0f0", "#bdbdbd", "#636363"]),
            ("YlGnBu", 5, &["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]),
            ("RdYlBu", 5, &["#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6"]),
            (
                "RdBu",
                11,
                &[
                    "#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0", "#92c5de", "#4393c3",
                    "#2166ac", "#053061",
                ],
            ),
        ];
        for (name, n, expected) in cases {
            assert_eq!(hex(&palette(name).unwrap().colors(n).unwrap()), expected, "{name} {n}");
        }
        assert_eq!(hex(&palette("PuOr").unwrap().colors(3).unwrap()), ["#f1a340", "#f7f7f7", "#998ec3"]);
    }

    #[test]
    fn every_scheme_has_every_class_count() {
        let names: Vec<&str> = all().iter().map(|p| p.name).collect();
        assert_eq!(names.len(), 27);
        for name in [
            "Blues", "Greens", "Greys", "Oranges", "Purples", "Reds", "BuGn", "BuPu", "GnBu", "OrRd", "PuBu", "PuBuGn",
            "PuRd", "RdPu", "YlGn", "YlGnBu", "YlOrBr", "YlOrRd", "BrBG", "PiYG", "PRGn", "PuOr", "RdBu", "RdGy",
            "RdYlBu", "RdYlGn", "Spectral",
        ] {
            assert!(names.contains(&name), "{name}");
        }
        for p in all() {
            let max = match p.kind {
                PaletteKind::Sequential => 9,
                PaletteKind::Diverging => 11,
            };
            assert_eq!(p.max_classes(), max, "{}", p.name);
            assert_eq!(p.colors(2), None);
            assert_eq!(p.colors(max + 1), None);
            for n in MIN_CLASSES..=max {
                let colors = p.colors(n).unwrap();
                assert_eq!(colors.len(), n, "{} {n}", p.name);
                let mut distinct = colors.clone();
                distinct.sort_by_key(|c| (c.0, c.1, c.2));
                distinct.dedup();
                assert_eq!(distinct.len(), n, "{} {n}: repeated colour", p.name);
            }
        }
        assert_eq!(of_kind(PaletteKind::Sequential).count(), 18);
        assert_eq!(of_kind(PaletteKind::Diverging).count(), 9);
    }

    #[test]
    fn sequential_schemes_go_from_light_to_dark() {
        // A transcription slip would most likely break the ordering by lightness.
        let luma = |c: &Rgb| 0.2126 * f64::from(c.0) + 0.7152 * f64::from(c.1) + 0.0722 * f64::from(c.2);
        for p in of_kind(PaletteKind::Sequential) {
            for n in MIN_CLASSES..=p.max_classes() {
                let colors = p.colors(n).unwrap();
                assert!(colors.windows(2).all(|w| luma(&w[0]) > luma(&w[1])), "{} {n}", p.name);
            }
        }
    }

    #[test]
    fn lookup_is_case_insensitive_and_defaults_are_colorblind_safe() {
        assert_eq!(palette("ylorrd").unwrap().name, "YlOrRd");
        assert_eq!(palette(" RDBU ").unwrap().name, "RdBu");
        assert!(palette("Viridis").is_none());
        let sequential = palette(DEFAULT_SEQUENTIAL).unwrap();
        assert_eq!(sequential.kind, PaletteKind::Sequential);
        assert!(sequential.colorblind_safe);
        let diverging = palette(DEFAULT_DIVERGING).unwrap();
        assert_eq!(diverging.kind, PaletteKind::Diverging);
        assert!(diverging.colorblind_safe);
    }

    #[test]
    fn colorblind_flags_follow_colorbrewer() {
        let unsafe_names: Vec<&str> = all().iter().filter(|p| !p.colorblind_safe).map(|p| p.name).collect();
        assert_eq!(unsafe_names, ["RdGy", "RdYlGn", "Spectral"]);
    }

    #[test]
    fn reversed_and_fewer_classes() {
        let blues = palette("Blues").unwrap();
        assert_eq!(hex(&blues.reversed(3).unwrap()), ["#3182bd", "#9ecae1", "#deebf7"]);
        assert_eq!(hex(&blues.colors_for_classes(2).unwrap()), ["#deebf7", "#3182bd"]);
        assert_eq!(hex(&blues.colors_for_classes(1).unwrap()), ["#9ecae1"]);
        assert_eq!(blues.colors_for_classes(5), blues.colors(5));
        assert_eq!(blues.colors_for_classes(0), None);
        assert_eq!(blues.colors_for_classes(10), None);
    }
}
