//! The Export panel: the current experiment's results as JSON, the per-epoch metrics, the test-split
//! predictions and the data (training set as the model sees it, removed rows, test split) as CSV,
//! and each chart as a PNG. Everything is made in the page and saved
//! with `download` (no request leaves the page).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::download::{canvas_png_bytes, save_bytes, save_text};
use crate::exports::{data_csv, metrics_csv, predictions_csv, results_json};
use crate::runner::Controller;
use crate::zip::{write_zip, ZipEntry};

#[component]
pub fn ExportPanel() -> impl IntoView {
    let ctl = expect_context::<Controller>();
    let status = RwSignal::new(None::<String>);
    let report = move |outcome: Result<String, String>| {
        status.set(Some(match outcome {
            Ok(done) => done,
            Err(e) => format!("Export failed: {e}"),
        }));
    };
    let json = move |_| {
        let text = ctl.with_session(|s| match &s.ml {
            Some(ml) => crate::multilabel_exports::results_json(ml.config(), ml.view(), "CPU"),
            None => results_json(
                s.lab.config(),
                &ctl.ui.snapshot.get_untracked(),
                &s.backend_label,
            ),
        });
        report(match text {
            Some(t) => save_text("imlab-results.json", "application/json", &t)
                .map(|()| "Saved imlab-results.json.".into()),
            None => Err("the experiment is busy; try again".into()),
        });
    };
    let metrics = move |_| {
        let text = ctl.ui.ml.with_untracked(|m| match m {
            Some(v) => crate::multilabel_exports::metrics_csv(&v.snapshot.history),
            None => ctl.ui.snapshot.with_untracked(|s| metrics_csv(&s.history)),
        });
        report(
            save_text("imlab-metrics.csv", "text/csv", &text)
                .map(|()| "Saved imlab-metrics.csv.".into()),
        );
    };
    let predictions = move |_| {
        let text = ctl.with_session(|s| match &s.ml {
            Some(ml) => crate::multilabel_exports::predictions_csv(ml.experiment()),
            None => predictions_csv(s.lab.experiment()),
        });
        report(match text {
            Some(t) => save_text("imlab-predictions.csv", "text/csv", &t)
                .map(|()| "Saved imlab-predictions.csv.".into()),
            None => Err("the experiment is busy; try again".into()),
        });
    };
    let data = move |_| {
        let text = ctl.with_session(|s| match &s.ml {
            Some(ml) => crate::multilabel_exports::data_csv(ml.experiment()),
            None => data_csv(s.lab.experiment()),
        });
        report(match text {
            Some(t) => {
                save_text("imlab-data.csv", "text/csv", &t).map(|()| "Saved imlab-data.csv.".into())
            }
            None => Err("the experiment is busy; try again".into()),
        });
    };
    let charts = move |_| report(save_charts());
    view! {
        <section class="panel tool-panel export-panel" data-testid="export" aria-labelledby="export-title">
            <h2 id="export-title">"Export"</h2>
            <p class="hint">"Files are made in this page and saved by your browser; nothing is uploaded."</p>
            <div class="export-buttons">
                <button type="button" data-testid="export-json" on:click=json>"Results (JSON)"</button>
                <button type="button" data-testid="export-metrics-csv" on:click=metrics>"Metrics per epoch (CSV)"</button>
                <button type="button" data-testid="export-predictions-csv" on:click=predictions>"Test predictions (CSV)"</button>
                <button type="button" data-testid="export-data-csv" on:click=data title="The training set the model sees (synthetic points marked), the rows an under-sampler removed, and the test split">"Data (CSV)"</button>
                <button type="button" data-testid="export-png" on:click=charts>"Charts (PNG, one ZIP)"</button>
            </div>
            <p class="export-status" data-testid="export-status" role="status">{move || status.get()}</p>
        </section>
    }
}

/// Saves every chart on the page (each drawn `<canvas>` with a `data-testid`, found when clicked, so
/// panels added later are included) as `imlab-<testid>.png`, all in one `imlab-charts.zip`: a
/// browser saves only about ten files from one page in a burst and drops the rest silently, and the
/// page has more charts than that.
fn save_charts() -> Result<String, String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let list = document
        .query_selector_all("canvas[data-testid]")
        .map_err(|_| "the charts could not be listed".to_string())?;
    let mut pictures: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..list.length() {
        let Some(canvas) = list
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        else {
            continue;
        };
        // A panel that draws only while on screen (`data-lazy`) and has not been scrolled to yet
        // holds no picture: leave it out rather than save a blank file.
        let undrawn_lazy = canvas.has_attribute("data-lazy") && !canvas.has_attribute("data-drawn");
        if canvas.width() == 0 || canvas.height() == 0 || undrawn_lazy {
            continue;
        }
        let id = canvas.get_attribute("data-testid").unwrap_or_default();
        let name = format!("imlab-{}.png", file_safe(&id));
        if pictures.iter().any(|(n, _)| *n == name) {
            continue;
        }
        pictures.push((name, canvas_png_bytes(&canvas)?));
    }
    if pictures.is_empty() {
        return Err("there is no chart on the page".into());
    }
    let entries: Vec<ZipEntry<'_>> = pictures
        .iter()
        .map(|(name, bytes)| ZipEntry { name, bytes })
        .collect();
    let zip = write_zip(&entries).map_err(|e| e.to_string())?;
    save_bytes("imlab-charts.zip", "application/zip", &zip)?;
    let names: Vec<&str> = pictures.iter().map(|(n, _)| n.as_str()).collect();
    Ok(format!(
        "Saved imlab-charts.zip ({} charts: {}).",
        names.len(),
        names.join(", ")
    ))
}

/// Keeps a file name to letters, digits and dashes.
fn file_safe(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() {
        "chart".into()
    } else {
        s
    }
}
