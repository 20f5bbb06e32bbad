//! Text helpers shared by the core: accent- and case-insensitive search keys, the language of figure
//! texts ([`Lang`]) and number formatting in that language. No dependency on other modules.

/// The language of every text a figure shows (titles, legends, notes, layer labels) and of the way it
/// writes numbers. French is the default. Texts that come from the user's pack (indicator labels,
/// units, sources, territory names) are written as given whatever the language; layer ids, tag codes,
/// file names and CSV markers never depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Lang {
    /// French: `12 345,6`, « Légende ».
    #[default]
    Fr,
    /// English: `12,345.6`, "Legend".
    En,
}

impl Lang {
    /// Every language, in menu order.
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// Parses `fr` or `en`, ignoring case and surrounding spaces.
    ///
    /// ```
    /// use indicarto::text::Lang;
    /// assert_eq!(Lang::parse("EN"), Some(Lang::En));
    /// assert_eq!(Lang::parse(" fr "), Some(Lang::Fr));
    /// assert_eq!(Lang::parse("de"), None);
    /// ```
    #[must_use]
    pub fn parse(text: &str) -> Option<Lang> {
        let text = text.trim();
        Lang::ALL.into_iter().find(|lang| lang.key().eq_ignore_ascii_case(text))
    }

    /// The ISO 639-1 code, accepted back by [`Lang::parse`]: `fr`, `en`.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// The French or the English text, whichever is this language's.
    ///
    /// ```
    /// use indicarto::text::Lang;
    /// assert_eq!(Lang::En.pick("Légende", "Legend"), "Legend");
    /// assert_eq!(Lang::default().pick("Légende", "Legend"), "Légende");
    /// ```
    #[must_use]
    pub fn pick<'a>(self, fr: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// Folds a string for search and matching: lower case, accents removed, ligatures expanded, runs of
/// spaces, hyphens and apostrophes collapsed to one space.
///
/// ```
/// use indicarto::text::search_key;
/// assert_eq!(search_key("Amiens Métropole"), "amiens metropole");
/// assert_eq!(search_key("CŒUVRES-et-Valsery"), "coeuvres et valsery");
/// assert_eq!(search_key("L'Haÿ"), "l hay");
/// ```
#[must_use]
pub fn search_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        let folded: &str = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => "a",
            'ç' | 'Ç' => "c",
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
            'ñ' | 'Ñ' => "n",
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => "o",
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
            'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
            'œ' | 'Œ' => "oe",
            'æ' | 'Æ' => "ae",
            c if c.is_whitespace() || matches!(c, '-' | '\'' | '’' | '_') => {
                pending_space = !out.is_empty();
                continue;
            }
            _ => {
                if pending_space {
                    out.push(' ');
                    pending_space = false;
                }
                out.extend(c.to_lowercase());
                continue;
            }
        };
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push_str(folded);
    }
    out
}

/// A file-name-safe slug: lower case, accents removed, anything else than letters and digits
/// turned into single hyphens.
///
/// ```
/// use indicarto::text::slug;
/// assert_eq!(slug("CA Amiens Métropole"), "ca-amiens-metropole");
/// assert_eq!(slug("CC Aumale / Blangy-sur-Bresle (76)"), "cc-aumale-blangy-sur-bresle-76");
/// ```
#[must_use]
pub fn slug(text: &str) -> String {
    let key = crate::text::search_key(text);
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Formats a number the French way: thin no-break space (U+202F) between thousands, decimal comma.
///
/// ```
/// use indicarto::text::format_fr;
/// assert_eq!(format_fr(12345.6, 1), "12\u{202f}345,6");
/// assert_eq!(format_fr(-0.04, 1), "0,0");
/// assert_eq!(format_fr(5_992_194.0, 0), "5\u{202f}992\u{202f}194");
/// ```
#[must_use]
pub fn format_fr(value: f64, decimals: usize) -> String {
    format_grouped(value, decimals, ',', '\u{202f}')
}

/// Formats a number the English way: comma between thousands, decimal point.
///
/// ```
/// use indicarto::text::format_en;
/// assert_eq!(format_en(12345.6, 1), "12,345.6");
/// assert_eq!(format_en(-1234.0, 0), "-1,234");
/// ```
#[must_use]
pub fn format_en(value: f64, decimals: usize) -> String {
    format_grouped(value, decimals, '.', ',')
}

/// Formats a number in a language: [`format_fr`] or [`format_en`].
///
/// ```
/// use indicarto::text::{format_number, Lang};
/// assert_eq!(format_number(12345.6, 1, Lang::Fr), "12\u{202f}345,6");
/// assert_eq!(format_number(12345.6, 1, Lang::En), "12,345.6");
/// ```
#[must_use]
pub fn format_number(value: f64, decimals: usize, lang: Lang) -> String {
    match lang {
        Lang::Fr => format_fr(value, decimals),
        Lang::En => format_en(value, decimals),
    }
}

/// A number followed by its unit: French puts a no-break space before every unit (`12,3 %`,
/// `453,0 hab./km²`); English only before units that are words (`12.3%`, `453.0 hab./km²`).
/// An empty unit gives the number alone.
///
/// ```
/// use indicarto::text::{number_with_unit, Lang};
/// assert_eq!(number_with_unit(12.34, 1, "%", Lang::Fr), "12,3\u{a0}%");
/// assert_eq!(number_with_unit(12.34, 1, "%", Lang::En), "12.3%");
/// assert_eq!(number_with_unit(1234.0, 0, "deaths", Lang::En), "1,234\u{a0}deaths");
/// assert_eq!(number_with_unit(5.0, 0, "", Lang::Fr), "5");
/// ```
#[must_use]
pub fn number_with_unit(value: f64, decimals: usize, unit: &str, lang: Lang) -> String {
    let number = format_number(value, decimals, lang);
    if unit.is_empty() {
        number
    } else if lang == Lang::En && matches!(unit, "%" | "‰") {
        format!("{number}{unit}")
    } else {
        format!("{number}\u{a0}{unit}")
    }
}

/// Formats a number with the given decimal mark and thousands separator, rounding half away from
/// zero, and never printing a negative zero.
///
/// Ties are decided on the decimal the user sees, not on the binary value behind it: the number is
/// first written as its shortest decimal representation that reads back as the same `f64` (what Rust,
/// JavaScript and Excel display: `0.15`, `1.005`, `12.25`), then rounded on those digits, half away
/// from zero. So `0.15` gives `0,2` and `1.005` gives `1,01` although the nearest doubles are a hair
/// below (0.1499999…, 1.00499…), `12.25` gives `12,3`, `2.5` gives `3` and `-2.5` gives `-3`, as in
/// Insee's tables and a French Excel; Rust's own `{:.1}` would give `0.1`, `1.00`, `12.2` and `2`.
/// Not a finite number: an empty string.
///
/// ```
/// use indicarto::text::format_grouped;
/// assert_eq!(format_grouped(12.25, 1, ',', ' '), "12,3");
/// assert_eq!(format_grouped(-2.5, 0, ',', ' '), "-3");
/// assert_eq!(format_grouped(0.15, 1, ',', ' '), "0,2");
/// assert_eq!(format_grouped(1.005, 2, '.', ','), "1.01");
/// assert_eq!(format_grouped(999_999.5, 0, ',', ' '), "1 000 000");
/// assert_eq!(format_grouped(-0.04, 1, ',', ' '), "0,0");
/// ```
#[must_use]
pub fn format_grouped(value: f64, decimals: usize, decimal_mark: char, group: char) -> String {
    format_rounded(value, decimals, decimal_mark, Some(group))
}

/// Formats a number without thousands separators (for CSV cells, where a French Excel reads
/// `1234,5` as a number), rounded as [`format_grouped`] does.
///
/// ```
/// use indicarto::text::format_plain;
/// assert_eq!(format_plain(1234.25, 1, ','), "1234,3");
/// assert_eq!(format_plain(-0.5, 0, '.'), "-1");
/// assert_eq!(format_plain(-0.004, 2, ','), "0,00");
/// ```
#[must_use]
pub fn format_plain(value: f64, decimals: usize, decimal_mark: char) -> String {
    format_rounded(value, decimals, decimal_mark, None)
}

fn format_rounded(value: f64, decimals: usize, decimal_mark: char, group: Option<char>) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let (int_part, frac_part) = round_half_away_from_zero(value.abs(), decimals);
    let is_zero = int_part.bytes().chain(frac_part.bytes()).all(|b| b == b'0');
    let mut out = String::with_capacity(int_part.len() + frac_part.len() + 8);
    if value < 0.0 && !is_zero {
        out.push('-');
    }
    let n = int_part.len();
    for (i, ch) in int_part.chars().enumerate() {
        if let Some(group) = group
            && i > 0
            && (n - i) % 3 == 0
        {
            out.push(group);
        }
        out.push(ch);
    }
    if decimals > 0 {
        out.push(decimal_mark);
        out.push_str(&frac_part);
    }
    out
}

/// The integer digits and exactly `decimals` fraction digits of a finite, non-negative number,
/// rounded half away from zero on its shortest round-trip decimal representation.
fn round_half_away_from_zero(abs: f64, decimals: usize) -> (String, String) {
    // `Display` for f64 writes the shortest representation that reads back as the same value, and
    // never in scientific notation.
    let shortest = abs.to_string();
    let (int_digits, frac_digits) = shortest.split_once('.').unwrap_or((shortest.as_str(), ""));
    let mut digits: Vec<u8> = int_digits.bytes().chain(frac_digits.bytes().take(decimals)).collect();
    digits.extend(std::iter::repeat_n(b'0', decimals.saturating_sub(frac_digits.len())));
    let round_up = frac_digits.as_bytes().get(decimals).is_some_and(|&d| d >= b'5');
    let mut int_len = int_digits.len();
    if round_up {
        let mut carry = true;
        for digit in digits.iter_mut().rev() {
            if *digit == b'9' {
                *digit = b'0';
            } else {
                *digit += 1;
                carry = false;
                break;
            }
        }
        if carry {
            digits.insert(0, b'1');
            int_len += 1;
        }
    }
    let frac = digits.split_off(int_len);
    // Only ASCII digits were pushed.
    (String::from_utf8_lossy(&digits).into_owned(), String::from_utf8_lossy(&frac).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        let cases = [
            (12_345.6, 1, "12\u{202f}345,6", "12,345.6"),
            (-1_234_567.891, 2, "-1\u{202f}234\u{202f}567,89", "-1,234,567.89"),
            (999.95, 1, "1\u{202f}000,0", "1,000.0"),
            (-0.04, 1, "0,0", "0.0"),
            (42.0, 0, "42", "42"),
            (0.125, 3, "0,125", "0.125"),
        ];
        for (value, decimals, fr, en) in cases {
            assert_eq!(format_number(value, decimals, Lang::Fr), fr);
            assert_eq!(format_number(value, decimals, Lang::En), en);
            assert_eq!(format_fr(value, decimals), fr, "format_fr is unchanged");
        }
        assert_eq!(format_number(f64::NAN, 1, Lang::En), "");
    }

    /// Ties are rounded half away from zero on the decimal shown, as Insee's tables and a French
    /// Excel print them (reference: Excel's `=ARRONDI(x;n)` / `=ROUND(x,n)` on the same decimals,
    /// which rounds half away from zero; Rust's `{:.n}` gives 12.2, 2, 0, 0.2 for the first four).
    #[test]
    fn ties_round_half_away_from_zero() {
        let cases = [
            // Exact ties: the binary value is exactly the decimal.
            (2.5, 0, "3"),
            (0.5, 0, "1"),
            (12.25, 1, "12,3"),
            (0.25, 1, "0,3"),
            (0.125, 2, "0,13"),
            (1.5, 0, "2"),
            (3.5, 0, "4"),
            // Ties only on the decimal shown: the double is a hair below (0.1499999999999999944…).
            (0.15, 1, "0,2"),
            (1.005, 2, "1,01"),
            (2.675, 2, "2,68"),
            (1.45, 1, "1,5"),
            (8.345, 2, "8,35"),
            // Negative values mirror the positive ones.
            (-2.5, 0, "-3"),
            (-0.5, 0, "-1"),
            (-12.25, 1, "-12,3"),
            (-0.15, 1, "-0,2"),
            (-1.005, 2, "-1,01"),
            // Not ties.
            (12.24, 1, "12,2"),
            (12.26, 1, "12,3"),
            (0.049, 1, "0,0"),
            (-0.049, 1, "0,0"),
            // Carries across the decimal mark and into a new thousands group.
            (9.95, 1, "10,0"),
            (999.95, 1, "1\u{202f}000,0"),
            (99_999.5, 0, "100\u{202f}000"),
            // More decimals than the number has, and huge or tiny numbers.
            (1.5, 3, "1,500"),
            (1e21, 0, "1\u{202f}000\u{202f}000\u{202f}000\u{202f}000\u{202f}000\u{202f}000\u{202f}000"),
            (1e-20, 2, "0,00"),
            (0.0, 2, "0,00"),
            (-0.0, 0, "0"),
        ];
        for (value, decimals, expected) in cases {
            assert_eq!(format_fr(value, decimals), expected, "{value} with {decimals} decimals");
        }
        assert_eq!(format_en(12.25, 1), "12.3");
        assert_eq!(format_en(-2.5, 0), "-3");
        assert_eq!(format_plain(-12.25, 1, ','), "-12,3");
        assert_eq!(format_plain(f64::INFINITY, 1, ','), "");
    }

    #[test]
    fn languages_parse_and_default_to_french() {
        assert_eq!(Lang::default(), Lang::Fr);
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.key()), Some(lang));
            assert_eq!(Lang::parse(&lang.key().to_uppercase()), Some(lang));
            assert_eq!(lang.to_string(), lang.key());
        }
        assert_eq!(Lang::parse("En"), Some(Lang::En));
        assert_eq!(Lang::parse("english"), None);
        assert_eq!(Lang::parse(""), None);
    }
}
