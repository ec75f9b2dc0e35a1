//! The Export panel: the current experiment's results as JSON, the per-epoch metrics, the test-split
//! predictions and the data (training set as the model sees it, removed rows, test split) as CSV,
//! and each chart as a PNG. Everything is made in the page and saved
//! with `download` (no request leaves the page).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::download::{save_canvas_png, save_text};
use crate::exports::{data_csv, metrics_csv, predictions_csv, results_json};
use crate::runner::Controller;

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
        let text = ctl.with_session(|s| {
            results_json(
                s.lab.config(),
                &ctl.ui.snapshot.get_untracked(),
                &s.backend_label,
            )
        });
        report(match text {
            Some(t) => save_text("imlab-results.json", "application/json", &t)
                .map(|()| "Saved imlab-results.json.".into()),
            None => Err("the experiment is busy; try again".into()),
        });
    };
    let metrics = move |_| {
        let text = ctl.ui.snapshot.with_untracked(|s| metrics_csv(&s.history));
        report(
            save_text("imlab-metrics.csv", "text/csv", &text)
                .map(|()| "Saved imlab-metrics.csv.".into()),
        );
    };
    let predictions = move |_| {
        let text = ctl.with_session(|s| predictions_csv(s.lab.experiment()));
        report(match text {
            Some(t) => save_text("imlab-predictions.csv", "text/csv", &t)
                .map(|()| "Saved imlab-predictions.csv.".into()),
            None => Err("the experiment is busy; try again".into()),
        });
    };
    let data = move |_| {
        let text = ctl.with_session(|s| data_csv(s.lab.experiment()));
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
                <button type="button" data-testid="export-png" on:click=charts>"Charts (PNG)"</button>
            </div>
            <p class="export-status" data-testid="export-status" role="status">{move || status.get()}</p>
        </section>
    }
}

/// Saves every chart on the page (each `<canvas>` with a `data-testid`, found when clicked, so
/// panels added later are included) as `imlab-<testid>.png`.
fn save_charts() -> Result<String, String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let list = document
        .query_selector_all("canvas[data-testid]")
        .map_err(|_| "the charts could not be listed".to_string())?;
    let mut saved = Vec::new();
    for i in 0..list.length() {
        let Some(canvas) = list
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        else {
            continue;
        };
        if canvas.width() == 0 || canvas.height() == 0 {
            continue;
        }
        let id = canvas.get_attribute("data-testid").unwrap_or_default();
        let name = format!("imlab-{}.png", file_safe(&id));
        save_canvas_png(&name, &canvas)?;
        saved.push(name);
    }
    if saved.is_empty() {
        return Err("there is no chart on the page".into());
    }
    Ok(format!("Saved {}.", saved.join(", ")))
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
