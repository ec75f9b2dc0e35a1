//! Editing the training points on the decision-boundary plot: the class picker ("add as class k"),
//! the hint, the count of edits and "Clear edits", and what a click on the plot does while a class
//! is picked (add a point of it; with Shift, remove the nearest training point). Every edit is a new
//! config through `Controller::apply_config`, so the link and the saved session carry it.

use leptos::prelude::*;

use crate::charts::palette::class_css;
use crate::lab::{with_point_added, with_point_removed, without_edits};
use crate::runner::Controller;
use crate::state::Ui;

/// Most classes the picker offers a button for.
const MAX_PICKER_CLASSES: usize = 10;
/// How close (CSS pixels) a Shift-click must be to a training point to remove it.
const REMOVE_PX: f64 = 8.0;

/// A click on the plot at `(u, v)` in `[0, 1]²` picture coordinates (y downwards), on a canvas
/// `width_px` CSS pixels wide. Adds a point of the picked class, or with `shift` removes the
/// training point within a few pixels (none near: nothing happens). Does nothing unless a class is
/// picked and the plot shows the data's own two features.
pub fn edit_at(ctl: Controller, class: Option<usize>, u: f64, v: f64, shift: bool, width_px: f64) {
    let Some(class) = class else { return };
    let next = ctl
        .with_session(|s| {
            if !s.lab.plane().shows_boundary() {
                return None;
            }
            let grid = s.lab.grid();
            let (x, y) = grid.plane_point(u, v);
            if shift {
                let radius = REMOVE_PX / width_px.max(1.0) * grid.span;
                with_point_removed(&s.lab, x, y, radius)
            } else {
                Some(with_point_added(s.lab.config(), class, x, y, grid.span))
            }
        })
        .flatten();
    if let Some(config) = next {
        if ctl.apply_config(config) {
            ctl.ui.edits_dropped.set(None);
        }
    }
}

/// The picker, hint, count and clear control shown under the plot. `edit_class` is the class new
/// points get (`None`: clicks do not edit).
#[component]
pub fn PointEditBar(edit_class: RwSignal<Option<usize>>) -> impl IntoView {
    let ui = expect_context::<Ui>();
    let ctl = expect_context::<Controller>();
    let n_classes = Memo::new(move |_| ui.snapshot.with(|s| s.confusion.n_classes));
    // 2-feature data only: on a principal-components plane a click names no point of the data.
    let n_features = Memo::new(move |_| {
        ui.revision.track();
        ctl.with_session(|s| s.lab.experiment().data.n_features)
            .unwrap_or(2)
    });
    let editable = move || n_features.get() == 2 && n_classes.get() <= MAX_PICKER_CLASSES;
    Effect::new(move |_| {
        if !editable() || edit_class.get().is_some_and(|c| c >= n_classes.get()) {
            edit_class.set(None);
        }
    });
    let edits = Memo::new(move |_| ui.config.with(|c| c.dataset.edits.clone()));
    let unmatched = move || {
        ui.revision.track();
        ctl.with_session(|s| s.lab.experiment().edits.unmatched)
            .unwrap_or(0)
    };
    let count_text = move || {
        let e = edits.get();
        let mut text = match e.len() {
            0 => "No point edits".to_string(),
            1 => "1 point edit".to_string(),
            n => format!("{n} point edits"),
        };
        if !e.is_empty() {
            text.push_str(&format!(
                " ({} added, {} removed)",
                e.add.len(),
                e.remove.len()
            ));
        }
        match unmatched() {
            0 => {}
            1 => text.push_str(" · 1 removal matches no training point of this data"),
            n => text.push_str(&format!(
                " · {n} removals match no training point of this data"
            )),
        }
        text
    };
    let hint = move || {
        match edit_class.get() {
        Some(c) => format!("Click the plot to add a training point of class {c}; Shift-click a training point to remove it. Added points are trained on, never evaluated."),
        None => "Pick a class to add training points by clicking the plot (Shift-click removes one).".to_string(),
    }
    };
    let buttons = move || {
        (0..n_classes.get())
            .map(|c| {
                view! {
                    <button type="button" class="edit-class" data-testid=format!("edit-class-{c}")
                        aria-pressed=move || (edit_class.get() == Some(c)).to_string()
                        title=format!("Clicks on the plot add training points of class {c}")
                        on:click=move |_| edit_class.set(Some(c))>
                        <span class="swatch" style:background-color=class_css(c)></span>
                        {format!("class {c}")}
                    </button>
                }
            })
            .collect_view()
    };
    let off_note = move || {
        let d = n_features.get();
        if d != 2 {
            format!("Point editing is off: this data has {d} features and the plot shows principal components, so a click names no point of the data. Editing works on 2-feature data.")
        } else {
            format!(
                "Point editing is off: it offers at most {MAX_PICKER_CLASSES} classes, this data has {}.",
                n_classes.get()
            )
        }
    };
    view! {
        <div class="point-edits" data-testid="point-edits">
            <Show when=editable fallback=move || view! {
                <p class="edit-off-note" data-testid="edit-off-note">{off_note}</p>
            }>
                <div class="edit-picker" role="group" aria-label="Add points of class">
                    <span class="label">"Add points:"</span>
                    <button type="button" class="edit-class" data-testid="edit-off"
                        aria-pressed=move || edit_class.get().is_none().to_string()
                        title="Clicks on the plot do not change the data"
                        on:click=move |_| edit_class.set(None)>"off"</button>
                    {buttons}
                </div>
                <p class="edit-hint" data-testid="edit-hint">{hint}</p>
            </Show>
            <p class="edit-dropped-note" data-testid="edits-dropped-note" role="status"
                hidden=move || ctl.ui.edits_dropped.with(Option::is_none)>
                {move || ctl.ui.edits_dropped.get()}
            </p>
            <div class="edit-summary">
                <span data-testid="edits-count" data-count=move || edits.get().len().to_string()>{count_text}</span>
                <button type="button" data-testid="edits-clear"
                    disabled=move || edits.get().is_empty()
                    title="Back to the data the seed generates"
                    on:click=move |_| {
                        let next = ctl.with_session(|s| without_edits(s.lab.config()));
                        if let Some(config) = next {
                            ctl.apply_config(config);
                        }
                    }>"Clear edits"</button>
            </div>
        </div>
    }
}
