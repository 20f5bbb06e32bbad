//! The draft: what the user chose (territory, comparison zones, template, year, map options), and
//! the undo/redo history of those choices together with the window's language.
//!
//! A leaf of `gui/`: it knows the library's plain types and nothing of the state that applies
//! actions, of project files (which read and write a [`Draft`]) or of egui.

use crate::portrait::{MapOptions, TerritoryRef};
use crate::text::Lang;

/// What the user chose: everything a portrait depends on. Undo restores an earlier draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The analysis territory.
    pub territory: TerritoryRef,
    /// Comparison zones, in display order.
    pub comparisons: Vec<TerritoryRef>,
    /// Template id.
    pub template: String,
    /// Year; each indicator's latest when absent.
    pub year: Option<i32>,
    /// Classification, palette, extent and the language of the figures.
    pub options: MapOptions,
}

/// One step of the history: the draft and the window's language at that step. The FR/EN switch
/// changes both in one step, so undoing it gives both back together.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The choices.
    pub draft: Draft,
    /// The window's language.
    pub lang: Lang,
}

/// Undo and redo stacks of [`Step`]s, newest last.
#[derive(Debug, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

impl History {
    /// Records the step a change leaves; what could be redone no longer follows from it.
    pub fn record(&mut self, before: Step) {
        self.undo.push(before);
        self.redo.clear();
    }

    /// The step to go back to, `current` kept for redo; `None` when there is nothing to undo.
    pub fn undo(&mut self, current: Step) -> Option<Step> {
        let previous = self.undo.pop()?;
        self.redo.push(current);
        Some(previous)
    }

    /// The step undone last, `current` kept for undo; `None` when there is nothing to redo.
    pub fn redo(&mut self, current: Step) -> Option<Step> {
        let next = self.redo.pop()?;
        self.undo.push(current);
        Some(next)
    }

    /// Forgets every step (a new pack: the old choices mean nothing there).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }

    /// Keeps only the steps whose draft `keep` accepts (those naming a removed zone cannot be
    /// rebuilt any more).
    pub fn retain(&mut self, keep: impl Fn(&Draft) -> bool) {
        self.undo.retain(|s| keep(&s.draft));
        self.redo.retain(|s| keep(&s.draft));
    }

    /// Whether an undo step exists.
    #[must_use]
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether a redo step exists.
    #[must_use]
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::Level;

    fn step(code: &str, lang: Lang) -> Step {
        let draft = Draft {
            territory: TerritoryRef::new(Level::Departement, code),
            comparisons: Vec::new(),
            template: "t".into(),
            year: None,
            options: MapOptions::default(),
        };
        Step { draft, lang }
    }

    #[test]
    fn undo_then_redo_walks_back_and_forth_and_a_new_change_drops_the_redo() {
        let mut history = History::default();
        history.record(step("02", Lang::Fr));
        history.record(step("59", Lang::Fr));
        // Current: 60 in English.
        assert_eq!(history.undo(step("60", Lang::En)), Some(step("59", Lang::Fr)));
        assert_eq!(history.undo(step("59", Lang::Fr)), Some(step("02", Lang::Fr)));
        assert_eq!(history.undo(step("02", Lang::Fr)), None, "nothing older");
        assert_eq!(history.redo(step("02", Lang::Fr)), Some(step("59", Lang::Fr)));
        assert!(history.can_redo());
        history.record(step("59", Lang::Fr));
        assert!(!history.can_redo(), "a new change ends the redo branch");
        assert_eq!(history.redo(step("80", Lang::Fr)), None);
    }

    #[test]
    fn retain_drops_the_steps_of_a_removed_zone_on_both_sides() {
        let mut history = History::default();
        history.record(step("02", Lang::Fr));
        history.record(step("59", Lang::Fr));
        let _ = history.undo(step("60", Lang::Fr));
        history.retain(|d| d.territory.code.as_str() != "60" && d.territory.code.as_str() != "59");
        assert!(!history.can_redo());
        assert_eq!(history.undo(step("80", Lang::Fr)), Some(step("02", Lang::Fr)));
    }
}
