//! The window's own texts in French or English.
//!
//! The language has one owner, [`AppState::lang`](super::state::AppState::lang), changed only by
//! [`Action::SetLang`](super::state::Action::SetLang); every frame the window reads it once and
//! hands it to each `*_ui` function, which picks its texts with [`Lang::pick`] or [`tr_format!`].
//! The texts stay beside the widget that shows them; what several places show (numbers, level
//! names, the FR/EN switch) is here. A leaf of `gui/`: it depends on `text` and `code` only.

use crate::code::Level;
use crate::text::Lang;

/// `format!` in the window's language: `tr_format!(lang, "fr {}", "en {}", args…)`.
macro_rules! tr_format {
    ($lang:expr, $fr:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            $crate::text::Lang::Fr => format!($fr $(, $arg)*),
            $crate::text::Lang::En => format!($en $(, $arg)*),
        }
    };
}
pub(crate) use tr_format;

/// A number in the window's language, one decimal (`10 474,0`, `10,474.0`).
#[must_use]
pub fn number(value: f64, lang: Lang) -> String {
    crate::text::format_number(value, 1, lang)
}

/// A level's name as the window shows it beside a territory (`Amiens (commune)`).
// The one place the window names levels: `code::Level` gives them in French only today.
#[must_use]
pub fn level_name(level: &Level, _lang: Lang) -> &str {
    level.label_fr()
}

/// The FR/EN switch's entries: the language, its button and its hint (in that language).
pub const SWITCH: [(Lang, &str, &str); 2] =
    [(Lang::Fr, "FR", "Fenêtre et figures en français"), (Lang::En, "EN", "Window and figures in English")];

/// The choices of the figures' own language (the « Cartes » panel), each named in itself.
pub const FIGURE_LANGS: [(Lang, &str); 2] = [(Lang::Fr, "Français"), (Lang::En, "English")];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tr_format_follows_the_language() {
        let n = 3;
        assert_eq!(tr_format!(Lang::Fr, "{} valeurs", "{} values", n), "3 valeurs");
        assert_eq!(tr_format!(Lang::En, "{} valeurs", "{} values", n), "3 values");
    }

    #[test]
    fn numbers_are_written_the_french_or_the_english_way() {
        // The French way with a narrow no-break space, as the figures write them.
        assert_eq!(number(10_474.0, Lang::Fr), "10\u{202f}474,0");
        assert_eq!(number(10_474.0, Lang::En), "10,474.0");
    }
}
