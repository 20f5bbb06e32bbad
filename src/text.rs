//! Text helpers shared by the core: accent- and case-insensitive search keys and French number
//! formatting. No dependency on other modules.

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

/// Formats a number with the given decimal mark and thousands separator, rounding half away from
/// zero, and never printing a negative zero.
#[must_use]
pub fn format_grouped(value: f64, decimals: usize, decimal_mark: char, group: char) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let mut plain = format!("{:.*}", decimals, value.abs());
    let is_zero = plain.bytes().all(|b| matches!(b, b'0' | b'.'));
    let negative = value < 0.0 && !is_zero;
    let (int_part, frac_part) = match plain.find('.') {
        Some(dot) => {
            let frac = plain.split_off(dot + 1);
            plain.pop();
            (plain, Some(frac))
        }
        None => (plain, None),
    };
    let mut out = String::with_capacity(int_part.len() + 8);
    if negative {
        out.push('-');
    }
    let n = int_part.len();
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push(group);
        }
        out.push(ch);
    }
    if let Some(frac) = frac_part {
        out.push(decimal_mark);
        out.push_str(&frac);
    }
    out
}
