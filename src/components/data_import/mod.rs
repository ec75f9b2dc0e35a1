//! "Your data": the user's own CSV file as the experiment's dataset.
//!
//! A file arrives by drag and drop (anywhere on the page, or on the drop zone) or from the file
//! picker. The panel previews its first rows, lets the user choose the label column, the feature
//! columns ([`feature_picker::FeaturePicker`]) and standardization, and validates it with the engine's CSV importer (`dataset::csv`), whose
//! messages say what to fix. Applying names the file by its content hash in the dataset spec
//! (`DataOrigin::Uploaded`), so a link carries the hash, never the data. When an experiment names a
//! file this browser lacks, [`needed::DataNeeded`] asks for it and checks the hash of what is given.

mod feature_picker;
mod needed;
mod preview;
mod reading;
mod storage_notice;

pub use needed::DataNeeded;
pub use storage_notice::StorageNotice;

use imlab_engine::dataset::csv::{
    parse, read_first_rows, read_header, CsvOptions, LabelColumn, Table,
};
use imlab_engine::dataset::{ColumnRef, DataOrigin, DataSource};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::runner::Controller;
use feature_picker::{used_columns, FeaturePicker};
use preview::{Preview, PreviewData};
use reading::{first_file, input_files, read_file, reset_input, PickedFile};

/// Rows shown in the preview.
const PREVIEW_ROWS: usize = 5;

/// The file being prepared in the panel, shared with the page-wide drop handler.
#[derive(Clone, Copy)]
struct DataImport {
    file: RwSignal<Option<PickedFile>>,
    /// Header names and first rows of `file`, or why they cannot be read.
    preview: RwSignal<PreviewData>,
    /// Position of the label column in the header.
    label: RwSignal<usize>,
    /// Checked state of each column in the feature picker (the label's entry is ignored).
    features: RwSignal<Vec<bool>>,
    standardize: RwSignal<bool>,
    /// What is wrong (shown as `data-error`).
    error: RwSignal<Option<String>>,
    /// What was applied (shown below the buttons).
    applied: RwSignal<Option<String>>,
    /// Why a file offered to the data-needed prompt was refused.
    needed_error: RwSignal<Option<String>>,
    /// A file is being dragged over the page.
    dragging: RwSignal<bool>,
}

impl DataImport {
    fn new() -> Self {
        DataImport {
            file: RwSignal::new(None),
            preview: RwSignal::new(None),
            label: RwSignal::new(0),
            features: RwSignal::new(Vec::new()),
            standardize: RwSignal::new(true),
            error: RwSignal::new(None),
            applied: RwSignal::new(None),
            needed_error: RwSignal::new(None),
            dragging: RwSignal::new(false),
        }
    }

    /// Takes a newly read file: preview it and pick the last column as the label.
    fn take(self, picked: PickedFile) {
        let preview = read_first_rows(&picked.bytes, PREVIEW_ROWS)
            .map_err(|e| format!("{}: {e}", picked.name));
        // The header alone may read when the first rows do not (a broken row among them).
        let columns = read_header(&picked.bytes).map_or(0, |h| h.len());
        self.label.set(columns.saturating_sub(1));
        self.features.set(vec![true; columns]);
        self.error.set(preview.as_ref().err().cloned());
        self.applied.set(None);
        self.preview.set(Some(preview));
        self.file.set(Some(picked));
    }

    fn options(self) -> CsvOptions {
        CsvOptions {
            label_column: LabelColumn::Index(self.label.get_untracked()),
            features: self.chosen_features(),
            standardize: self.standardize.get_untracked(),
        }
    }

    /// The header names from the preview (empty before a readable file).
    fn header_untracked(self) -> Vec<String> {
        self.preview
            .with_untracked(|p| match p {
                Some(Ok((header, _))) => Some(header.clone()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The checked feature columns for the spec: `None` when every column but the label is checked
    /// (the engine's default, and a link as short as before); else each column by name, or by
    /// position where its name would not survive a link (`ColumnRef::for_header`).
    fn chosen_features(self) -> Option<Vec<ColumnRef>> {
        let header = self.header_untracked();
        let used = self
            .features
            .with_untracked(|c| used_columns(header.len(), self.label.get_untracked(), c));
        if used.len() + 1 == header.len() {
            return None;
        }
        Some(
            used.iter()
                .map(|&j| ColumnRef::for_header(&header, j))
                .collect(),
        )
    }
}

/// Reads `file` and hands it to the data-needed prompt when one is open, else to the panel.
fn receive(ctl: Controller, import: DataImport, file: web_sys::File) {
    spawn_local(async move {
        let picked = read_file(file).await;
        if ctl.ui.data_needed.get_untracked().is_some() {
            needed::offer(ctl, import.needed_error, picked);
            return;
        }
        match picked {
            Ok(p) => import.take(p),
            Err(message) => {
                import.file.set(None);
                import.preview.set(None);
                import.error.set(Some(message));
            }
        }
    });
}

/// Lets a file be dropped anywhere on the page, and keeps the browser from opening a dropped file
/// in place of the app.
fn use_page_drop(ctl: Controller, import: DataImport) {
    let dragging = import.dragging;
    let _ = window_event_listener(leptos::ev::dragover, move |e| {
        e.prevent_default();
        dragging.set(true);
    });
    let _ = window_event_listener(leptos::ev::dragleave, move |e| {
        // Leaving the window has no related target.
        if e.related_target().is_none() {
            dragging.set(false);
        }
    });
    let _ = window_event_listener(leptos::ev::drop, move |e| {
        e.prevent_default();
        dragging.set(false);
        if let Some(file) = first_file(e.data_transfer().and_then(|d| d.files())) {
            receive(ctl, import, file);
        }
    });
}

/// Checks the file with the chosen options; `Ok` is a one-line summary of what will be imported.
fn validate(file: &PickedFile, options: &CsvOptions) -> Result<(Table, String), String> {
    if options.features.as_ref().is_some_and(Vec::is_empty) {
        return Err(
            "No feature column is checked: check at least one column to train on (“All” checks every column but the label)."
                .into(),
        );
    }
    let table = parse(&file.bytes, options).map_err(|e| format!("{}: {e}", file.name))?;
    let counts = table.data.class_counts();
    let classes = table
        .class_names
        .iter()
        .zip(&counts)
        .map(|(name, n)| format!("“{name}” {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let summary = format!(
        "{} rows, {} feature{}, {} classes ({classes})",
        table.data.len(),
        table.data.n_features,
        if table.data.n_features == 1 { "" } else { "s" },
        counts.len()
    );
    Ok((table, summary))
}

/// Sets up the state shared by [`DataPanel`] and [`DataNeeded`] and the page-wide drop handler.
/// Call once in the app, before mounting either.
pub fn provide_data_import(ctl: Controller) {
    let import = DataImport::new();
    provide_context(import);
    use_page_drop(ctl, import);
}

#[component]
pub fn DataPanel() -> impl IntoView {
    let ctl = expect_context::<Controller>();
    let import = expect_context::<DataImport>();
    let dragging = import.dragging;

    // Re-validated whenever the file or an option changes.
    let check = Memo::new(move |_| {
        let file = import.file.get()?;
        // A file whose first rows do not read fails with the preview's message (its line).
        if let Some(Err(message)) = import.preview.get() {
            return Some(Err(message));
        }
        import.label.track();
        import.features.track();
        import.standardize.track();
        Some(validate(&file, &import.options()).map(|(_, summary)| summary))
    });

    let on_pick = move |ev: web_sys::Event| {
        if let Some(file) = first_file(input_files(&ev)) {
            receive(ctl, import, file);
        }
        reset_input(&ev);
    };

    let apply = move |_| {
        let Some(file) = import.file.get_untracked() else {
            return;
        };
        let options = import.options();
        if let Err(message) = validate(&file, &options) {
            import.error.set(Some(message));
            return;
        }
        let Some(hash) = ctl.add_upload(file.bytes.to_vec()) else {
            import
                .error
                .set(Some("The experiment is busy; try again.".into()));
            return;
        };
        let Some(mut config) = ctl.with_session(|s| s.lab.config().clone()) else {
            return;
        };
        let columns = import
            .preview
            .get_untracked()
            .and_then(|p| p.ok())
            .map_or(0, |(h, _)| h.len());
        let label = import.label.get_untracked();
        config.dataset.source = DataOrigin::Uploaded {
            hash,
            label_column: if label + 1 == columns {
                LabelColumn::Last
            } else {
                LabelColumn::Index(label)
            },
            standardize: options.standardize,
            subsample: None,
            features: options.features.clone(),
        };
        let current = ctl.ui.config.get_untracked();
        let dropped = crate::lab::drop_edits_on_new_data(&current, &mut config);
        if ctl.apply_config(config) {
            if dropped > 0 {
                ctl.ui
                    .edits_dropped
                    .set(Some(crate::lab::dropped_note(dropped)));
            }
            import.error.set(None);
            import.applied.set(Some(format!(
                "Training on {}. The link names it by its content hash; whoever opens the link is asked for the same file.",
                file.name
            )));
        } else {
            import.error.set(ctl.ui.error.get_untracked());
        }
    };

    let header = move || {
        import
            .preview
            .with(|p| {
                p.as_ref()
                    .and_then(|r| r.as_ref().ok())
                    .map(|(h, _)| h.clone())
            })
            .unwrap_or_default()
    };
    let current_upload = move || {
        ctl.ui.config.track();
        ctl.with_session(|s| match &s.lab.config().dataset.source {
            DataOrigin::Uploaded { hash, features, .. }
                if s.files.uploaded_bytes(hash).is_some() =>
            {
                Some(match features {
                    None => hash.clone(),
                    Some(list) => {
                        let names: Vec<String> = list
                            .iter()
                            .map(|c| match c {
                                ColumnRef::Name(name) => name.clone(),
                                ColumnRef::Index(j) => format!("column {}", j + 1),
                            })
                            .collect();
                        format!("{hash} (features: {})", names.join(", "))
                    }
                })
            }
            _ => None,
        })
        .flatten()
    };

    view! {
        <section class="panel tool-panel data-panel" aria-labelledby="data-title">
            <h2 id="data-title">"Your data"</h2>
            <label
                class="drop-zone"
                class:dragging=move || dragging.get()
                data-testid="data-drop"
            >
                <span class="drop-title">"Drop a CSV file anywhere on the page, or "</span>
                <span class="drop-pick">"choose a file"</span>
                <input
                    type="file"
                    accept=".csv,.tsv,.txt,text/csv,text/plain"
                    data-testid="data-file-input"
                    on:change=on_pick
                />
                <span class="hint">
                    "A header row, numeric feature columns and one label column; at most 20 MB, 200,000 rows, 1,000 columns, 100 classes. The file stays in this browser."
                </span>
            </label>
            <Show when=move || import.file.with(Option::is_some)>
                <p class="file-name">
                    "File: " <strong>{move || import.file.with(|f| f.as_ref().map(|f| f.name.clone()))}</strong>
                </p>
            </Show>
            <Preview preview=import.preview label=import.label checked=import.features/>
            <Show when=move || !header().is_empty()>
                <div class="data-options">
                    <label>
                        "Label column "
                        <select
                            data-testid="data-label-column"
                            prop:value=move || import.label.get().to_string()
                            on:change=move |ev| {
                                if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                                    import.error.set(None);
                                    import.label.set(i);
                                }
                            }
                        >
                            {move || {
                                header()
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, name)| {
                                        view! {
                                            <option value=i.to_string() selected=move || import.label.get() == i>
                                                {name}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </label>
                    <FeaturePicker
                        header=Signal::derive(header)
                        label=import.label
                        checked=import.features
                        error=import.error
                    />
                    <label class="check">
                        <input
                            type="checkbox"
                            data-testid="data-standardize"
                            prop:checked=move || import.standardize.get()
                            on:change=move |ev| {
                                import.error.set(None);
                                import.standardize.set(event_target_checked(&ev));
                            }
                        />
                        " Standardize features (z-score each column)"
                    </label>
                    <button
                        type="button"
                        class="primary"
                        data-testid="data-apply"
                        disabled=move || !matches!(check.get(), Some(Ok(_)))
                        on:click=apply
                    >
                        "Train on this file"
                    </button>
                </div>
            </Show>
            <p class="data-summary" data-testid="data-summary">
                {move || match check.get() {
                    Some(Ok(summary)) => summary,
                    _ => String::new(),
                }}
            </p>
            <p
                class="error data-error"
                role="alert"
                data-testid="data-error"
                hidden=move || import.error.with(Option::is_none) && !matches!(check.get(), Some(Err(_)))
            >
                {move || match check.get() {
                    Some(Err(message)) => message,
                    _ => import.error.get().unwrap_or_default(),
                }}
            </p>
            <p class="data-applied" data-testid="data-applied" hidden=move || import.applied.with(Option::is_none)>
                {move || import.applied.get()}
            </p>
            <p class="hint" data-testid="data-current" hidden=move || current_upload().is_none()>
                "Current dataset: your file " <code>{current_upload}</code>
            </p>
        </section>
    }
}
