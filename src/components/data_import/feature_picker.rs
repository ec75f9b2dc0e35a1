//! "Feature columns": one checkbox per column of the file, to train on some of its columns only
//! (the engine's `DataOrigin::Uploaded { features }`). The label column is never a feature: its box
//! is shown disabled and unchecked, and what the user checked for it comes back if the label moves
//! elsewhere. Features are used in file order (the order of the boxes).

use leptos::prelude::*;

/// Positions of the columns used as features: every checked column but the label, in file order.
/// A column with no stored choice counts as checked.
pub fn used_columns(columns: usize, label: usize, checked: &[bool]) -> Vec<usize> {
    (0..columns)
        .filter(|&j| j != label && checked.get(j).copied().unwrap_or(true))
        .collect()
}

/// Names shown in the "Features used" line before it just counts.
const NAMED_FEATURES: usize = 8;

#[component]
pub fn FeaturePicker(
    /// The file's header names.
    header: Signal<Vec<String>>,
    label: RwSignal<usize>,
    /// Checked state per column position.
    checked: RwSignal<Vec<bool>>,
    /// Cleared on every change (a stale refusal must not stay on screen).
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let set_all = move |on: bool| {
        error.set(None);
        checked.set(vec![on; header.with_untracked(Vec::len)]);
    };
    let used_line = move || {
        let header = header.get();
        let used = checked.with(|c| used_columns(header.len(), label.get(), c));
        let of = header.len().saturating_sub(1);
        if used.is_empty() {
            return format!("Features used: none of {of}");
        }
        let names: Vec<&str> = used
            .iter()
            .take(NAMED_FEATURES)
            .map(|&j| header[j].as_str())
            .collect();
        let more = if used.len() > NAMED_FEATURES {
            format!(", … ({} more)", used.len() - NAMED_FEATURES)
        } else {
            String::new()
        };
        format!(
            "Features used ({} of {of}): {}{more}",
            used.len(),
            names.join(", ")
        )
    };
    let boxes = move || {
        header
            .get()
            .into_iter()
            .enumerate()
            .map(|(j, name)| {
                let is_label = move || label.get() == j;
                let title = name.clone();
                view! {
                    <label class="check feature-choice" class:is-label=is_label title=title>
                        <input
                            type="checkbox"
                            data-testid=format!("data-feature-{j}")
                            prop:checked=move || {
                                !is_label() && checked.with(|c| c.get(j).copied().unwrap_or(true))
                            }
                            disabled=is_label
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                error.set(None);
                                checked.update(|c| {
                                    if c.len() <= j {
                                        c.resize(j + 1, true);
                                    }
                                    c[j] = on;
                                });
                            }
                        />
                        <span class="feature-name">{name}</span>
                        <Show when=is_label>
                            <span class="feature-tag">" (label)"</span>
                        </Show>
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class="feature-picker" data-testid="data-features">
            <legend>"Feature columns"</legend>
            <div class="feature-picker-actions">
                <button type="button" data-testid="data-features-all" on:click=move |_| set_all(true)>
                    "All"
                </button>
                <button type="button" data-testid="data-features-none" on:click=move |_| set_all(false)>
                    "None"
                </button>
                <span class="hint">"Unchecked columns are ignored (they may hold text, such as an id)."</span>
            </div>
            <div class="feature-list">{boxes}</div>
            <p class="feature-used" data-testid="data-features-used">{used_line}</p>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::used_columns;

    #[test]
    fn the_label_is_never_used_and_unknown_columns_count_as_checked() {
        assert_eq!(used_columns(4, 3, &[]), vec![0, 1, 2]);
        assert_eq!(used_columns(4, 1, &[true, true, false, true]), vec![0, 3]);
        assert_eq!(
            used_columns(3, 0, &[true, false, false]),
            Vec::<usize>::new()
        );
    }
}
