//! Keyboard shortcuts: space plays or pauses, → steps once, r resets. Keys typed into a form field
//! are left to it (→ moves a focused slider), and chords with Ctrl/Alt/Meta are the browser's.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyCommand {
    PlayPause,
    StepOnce,
    Reset,
}

/// The upper-case tag name of the element a key event was typed into ("" when there is none).
pub fn target_tag(e: &web_sys::KeyboardEvent) -> String {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|el| el.tag_name())
        .unwrap_or_default()
}

/// Whether a key typed with focus on `tag` belongs to a form field, not to a shortcut.
pub fn is_form_field(tag: &str) -> bool {
    matches!(tag, "INPUT" | "SELECT" | "TEXTAREA")
}

/// The command for `key` (a `KeyboardEvent.key`) pressed with focus on an element named `tag`
/// (upper-case tag name, as the DOM reports it).
pub fn command_for(key: &str, tag: &str, modified: bool) -> Option<KeyCommand> {
    if modified || is_form_field(tag) {
        return None;
    }
    match key {
        " " | "Spacebar" => Some(KeyCommand::PlayPause),
        "ArrowRight" => Some(KeyCommand::StepOnce),
        "r" | "R" => Some(KeyCommand::Reset),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_and_where_they_do_not_apply() {
        assert_eq!(command_for(" ", "BODY", false), Some(KeyCommand::PlayPause));
        assert_eq!(
            command_for(" ", "BUTTON", false),
            Some(KeyCommand::PlayPause)
        );
        assert_eq!(
            command_for("ArrowRight", "BODY", false),
            Some(KeyCommand::StepOnce)
        );
        assert_eq!(command_for("R", "DIV", false), Some(KeyCommand::Reset));
        assert_eq!(command_for("ArrowRight", "INPUT", false), None);
        assert_eq!(command_for("r", "BODY", true), None);
        assert_eq!(command_for("x", "BODY", false), None);
    }
}
