//! The prompt shown when an experiment (from a link or a saved session) names an uploaded CSV file
//! by content hash and this browser does not have it: the user drops or chooses the file, and it
//! is accepted only if its bytes have that hash.

use imlab_engine::dataset::{content_hash, DataOrigin};
use imlab_engine::ExperimentConfig;
use leptos::prelude::*;

use super::reading::{first_file, input_files, reset_input, PickedFile};
use super::{receive, DataImport};
use crate::runner::Controller;

fn needed_hash(config: &ExperimentConfig) -> String {
    match &config.dataset.source {
        DataOrigin::Uploaded { hash, .. } => hash.clone(),
        _ => String::new(),
    }
}

/// Takes a file offered for the pending experiment: the same bytes are added and the experiment is
/// applied; a different file is refused with both hashes.
pub(super) fn offer(
    ctl: Controller,
    error: RwSignal<Option<String>>,
    picked: Result<PickedFile, String>,
) {
    let Some(config) = ctl.ui.data_needed.get_untracked() else {
        return;
    };
    let picked = match picked {
        Ok(p) => p,
        Err(message) => {
            error.set(Some(message));
            return;
        }
    };
    let wanted = needed_hash(&config);
    let actual = content_hash(&picked.bytes);
    if actual != wanted {
        error.set(Some(format!(
            "{} is not the file this experiment was made with: its content hash is {actual}, the experiment needs {wanted}. Choose the original file, unchanged (even re-saving it in a spreadsheet changes it).",
            picked.name
        )));
        return;
    }
    if ctl.add_upload(picked.bytes.to_vec()).is_none() {
        error.set(Some("The experiment is busy; try again.".into()));
        return;
    }
    error.set(None);
    if !ctl.apply_config(config) {
        // The file is right but the experiment is refused (shown in the error banner); stop asking.
        ctl.ui.data_needed.set(None);
    }
}

#[component]
pub fn DataNeeded() -> impl IntoView {
    let ctl = expect_context::<Controller>();
    let import = expect_context::<DataImport>();
    let hash = move || {
        ctl.ui
            .data_needed
            .with(|c| c.as_ref().map(needed_hash))
            .unwrap_or_default()
    };
    let on_pick = move |ev: web_sys::Event| {
        if let Some(file) = first_file(input_files(&ev)) {
            receive(ctl, import, file);
        }
        reset_input(&ev);
    };
    view! {
        <Show when=move || ctl.ui.data_needed.with(Option::is_some)>
            <section class="notice data-needed" data-testid="data-needed" aria-live="polite">
                <p>
                    "This experiment trains on a CSV file that this browser does not have. A link or a saved session names the file by its content hash ("
                    <code>{hash}</code>
                    "), it never contains the data. Drop the same file anywhere on the page, or choose it."
                </p>
                <div class="data-needed-actions">
                    <input type="file" accept=".csv,.tsv,.txt,text/csv,text/plain" data-testid="data-needed-input" aria-label="The CSV file this experiment needs" on:change=on_pick/>
                    <button type="button" on:click=move |_| {
                        import.needed_error.set(None);
                        ctl.ui.data_needed.set(None);
                    }>"Not now"</button>
                </div>
                <p class="error" role="alert" data-testid="data-needed-error" hidden=move || import.needed_error.with(Option::is_none)>
                    {move || import.needed_error.get()}
                </p>
            </section>
        </Show>
    }
}
