//! The Sweep panel: methods × seeds on the current experiment (or a paper preset), run in the page a
//! time slice per frame, summarized as a table and a strip plot, and exported as the CSV that
//! `imlab sweep` writes for the same grid.

mod export;
pub mod methods;
mod plot;
mod table;

use std::collections::BTreeMap;

use imlab_engine::link;
use imlab_engine::sweep::grid::{parse_method, parse_seeds};
use imlab_engine::sweep::presets::PRESETS;
use imlab_engine::sweep::summary::groups;
use imlab_engine::sweep::{Grid, Preset, Results, SCORE_NAMES};
use leptos::html::Canvas;
use leptos::prelude::*;

use crate::components::job_controls::{BackendField, EpochsField, JobProgress, RunCancel};
use crate::runner::Controller;
use crate::sweep_runner::{SweepBackend, SweepJob};
use export::{data_url, results};
use plot::{draw_strips, Strip};
use table::{SweepTable, TABLE_SCORES};

/// Most runs one browser sweep may have; larger grids belong to `imlab sweep` on all cores.
const MAX_BROWSER_RUNS: usize = 2_000;

/// What the form asks for.
struct Request {
    preset: String,
    methods: Vec<String>,
    seeds: String,
    epochs: String,
}

/// The grid the form describes, on the current experiment (or the preset's base).
fn build_grid(ctl: Controller, req: &Request) -> Result<Grid, String> {
    let epochs: usize = req.epochs.trim().parse().map_err(|_| {
        format!(
            "Epochs `{}` should be a whole number such as 20.",
            req.epochs
        )
    })?;
    let seeds = req.seeds.trim();
    let grid = if req.preset.is_empty() {
        if req.methods.is_empty() {
            return Err("Tick at least one method to sweep.".into());
        }
        let mut base = ctl
            .with_session(|s| s.lab.config().clone())
            .ok_or("The experiment is being replaced; try again.")?;
        base.epochs = epochs;
        Grid {
            base,
            methods: req
                .methods
                .iter()
                .map(|m| parse_method(m))
                .collect::<Result<_, _>>()?,
            axes: Vec::new(),
            seeds: parse_seeds(seeds).map_err(|e| e.replace("--seeds", "Seeds"))?,
        }
    } else {
        let preset = Preset::find(&req.preset)
            .ok_or_else(|| format!("There is no preset `{}`.", req.preset))?;
        let mut base = preset.base()?;
        base.epochs = epochs;
        preset
            .grid_on(base, Some(seeds))
            .map_err(|e| e.replace("--seeds", "Seeds"))?
    };
    grid.base.validate().map_err(|e| e.to_string())?;
    if grid.len() > MAX_BROWSER_RUNS {
        return Err(format!(
            "{} runs are too many for the browser (at most {MAX_BROWSER_RUNS}); run them with `imlab sweep` on all cores.",
            grid.len()
        ));
    }
    Ok(grid)
}

/// The CLI command that writes the same results file.
fn cli_command(req: &Request, grid: &Grid) -> String {
    if req.preset.is_empty() {
        let fragment = link::to_fragment(&grid.base, &BTreeMap::new());
        format!(
            "imlab sweep --link '#{fragment}' --methods {} --seeds {} --epochs {} --output sweep.csv",
            req.methods.join(","),
            req.seeds.trim(),
            grid.base.epochs
        )
    } else {
        format!(
            "imlab sweep --preset {} --seeds {} --epochs {} --output sweep.csv",
            req.preset,
            req.seeds.trim(),
            grid.base.epochs
        )
    }
}

/// Each method's values of score `k`, from the finished runs, in method order.
fn strips(results: &Results, k: usize) -> Vec<Strip> {
    groups(results)
        .into_iter()
        .map(|g| Strip {
            values: results
                .rows
                .iter()
                .filter(|r| r.method == g.method && r.vary == g.vary && r.error.is_none())
                .filter_map(|r| r.scores.values()[k])
                .collect(),
            method: g.method,
        })
        .collect()
}

#[component]
pub fn SweepPanel() -> impl IntoView {
    let ctl = expect_context::<Controller>();
    let job = SweepJob::new();
    let preset = RwSignal::new(String::new());
    let chosen = RwSignal::new(vec![
        "baseline".to_string(),
        "ros".to_string(),
        "focal".to_string(),
    ]);
    let seeds = RwSignal::new("5".to_string());
    let backend = RwSignal::new(SweepBackend::Auto);
    let epochs = RwSignal::new("20".to_string());
    let message = RwSignal::new(None::<String>);
    let command = RwSignal::new(None::<String>);
    let plot_score = RwSignal::new(0usize);
    let all_methods: Vec<&'static str> =
        methods::groups().into_iter().flat_map(|(_, m)| m).collect();

    let run = move || {
        // Methods in catalog order, whatever order they were ticked in.
        let picked = chosen.get_untracked();
        let req = Request {
            preset: preset.get_untracked(),
            methods: all_methods
                .iter()
                .filter(|m| picked.iter().any(|p| p == *m))
                .map(|m| m.to_string())
                .collect(),
            seeds: seeds.get_untracked(),
            epochs: epochs.get_untracked(),
        };
        match build_grid(ctl, &req) {
            Ok(grid) => {
                command.set(Some(cli_command(&req, &grid)));
                match job.start(ctl, grid, backend.get_untracked()) {
                    Ok(()) => message.set(None),
                    Err(e) => message.set(Some(e)),
                }
            }
            Err(e) => message.set(Some(e)),
        }
    };
    let choose_preset = move |ev: leptos::ev::Event| {
        let name = event_target_value(&ev);
        if let Some(p) = Preset::find(&name) {
            seeds.set(p.seeds.to_string());
            epochs.set(p.epochs.to_string());
        }
        preset.set(name);
    };

    let summary = Memo::new(move |_| {
        job.view.with(|v| {
            v.grid
                .as_ref()
                .map(|g| results(g, &v.outcomes))
                .filter(|r| !r.rows.is_empty())
        })
    });
    let status = move || {
        job.view.with(|v| {
            let done = v.outcomes.len();
            if v.cancelled {
                format!(
                    "Cancelled after {done} of {} runs; the finished runs are kept below.",
                    v.total
                )
            } else if v.running {
                format!("{done} of {} runs done", v.total)
            } else if v.total > 0 {
                format!("All {} runs done.", v.total)
            } else {
                String::new()
            }
        })
    };

    let canvas = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        let k = plot_score.get();
        let Some(el) = canvas.get() else { return };
        summary.with(|r| {
            let Some(r) = r else { return };
            if let Err(e) = draw_strips(&el, &strips(r, k), SCORE_NAMES[k]) {
                leptos::logging::warn!("sweep plot not drawn: {e:?}");
            }
        });
    });

    let method_boxes = methods::groups()
        .into_iter()
        .map(|(title, names)| {
            let boxes = names
                .into_iter()
                .map(|name| {
                    view! {
                        <label class="check">
                            <input
                                type="checkbox"
                                data-testid=format!("sweep-method-{name}")
                                prop:checked=move || chosen.with(|c| c.iter().any(|m| m == name))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| {
                                        c.retain(|m| m != name);
                                        if on {
                                            c.push(name.to_string());
                                        }
                                    });
                                }
                            />
                            {name}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="method-group">
                    <legend>{title}</legend>
                    {boxes}
                </fieldset>
            }
        })
        .collect_view();

    let preset_note = move || {
        Preset::find(&preset.get()).map(|p| {
            view! {
                <p class="preset-note" data-testid="sweep-preset-methods">
                    {format!("{} — methods: {}", p.title, p.methods.iter().map(|m| m.split(':').next().unwrap_or(m)).collect::<Vec<_>>().join(", "))}
                    " (see docs/paper-presets.md)"
                </p>
            }
        })
    };

    view! {
        <section class="panel tools-panel sweep-panel" aria-labelledby="sweep-title" data-testid="sweep">
            <h2 id="sweep-title">"Sweep " <span class="sub">"(methods × seeds)"</span></h2>
            <div class="tools-form">
                <div class="field">
                    <label for="sweep-preset">"Preset"</label>
                    <select id="sweep-preset" data-testid="sweep-preset" on:change=choose_preset>
                        <option value="" selected=move || preset.get().is_empty()>"Current experiment, methods below"</option>
                        {PRESETS
                            .iter()
                            .map(|p| view! { <option value=p.name selected=move || preset.get() == p.name>{p.title}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="sweep-seeds" title="A count (5 = seeds 0–4), a range (10..15) or a list (1,5,9)">"Seeds"</label>
                    <input id="sweep-seeds" data-testid="sweep-seeds" size="6" prop:value=move || seeds.get() on:input=move |ev| seeds.set(event_target_value(&ev))/>
                </div>
                <EpochsField prefix="sweep" epochs=epochs/>
                <BackendField prefix="sweep" backend=backend/>
                <RunCancel prefix="sweep" run_label="Run sweep" job=job on_run=run/>
            </div>
            {preset_note}
            <div class="method-groups" hidden=move || !preset.get().is_empty()>{method_boxes}</div>
            <JobProgress prefix="sweep" job=job message=message status_id="sweep-status" status=Signal::derive(status)/>
            <div class="sweep-results" hidden=move || summary.with(Option::is_none)>
                {move || summary.get().map(|r| view! { <SweepTable groups=groups(&r)/> })}
                <div class="plot-head">
                    <label for="sweep-plot-score">"Plot"</label>
                    <select id="sweep-plot-score" data-testid="sweep-plot-score" on:change=move |ev| {
                        if let Ok(k) = event_target_value(&ev).parse::<usize>() {
                            plot_score.set(k);
                        }
                    }>
                        {TABLE_SCORES
                            .iter()
                            .map(|&(k, h)| view! { <option value=k.to_string() selected=move || plot_score.get() == k>{h}</option> })
                            .collect_view()}
                    </select>
                    <span class="legend-note">"dots: seeds · black bar: mean · orange: 95 % interval"</span>
                </div>
                <canvas node_ref=canvas class="sweep-plot" data-testid="sweep-plot" role="img" aria-label="Strip plot of the chosen score per method, one dot per seed"></canvas>
                <div class="export-line">
                    <a
                        class="button"
                        data-testid="sweep-export-csv"
                        download="imlab-sweep.csv"
                        href=move || summary.with(|r| r.as_ref().map(|r| data_url("text/csv", &r.to_csv())))
                    >"Export CSV"</a>
                    <a
                        class="button"
                        data-testid="sweep-export-json"
                        download="imlab-sweep.json"
                        href=move || summary.with(|r| r.as_ref().map(|r| data_url("application/json", &r.to_json())))
                    >"Export JSON"</a>
                    <details class="cli-command">
                        <summary>"Same sweep on the command line"</summary>
                        <code data-testid="sweep-cli-command">{move || command.get()}</code>
                    </details>
                </div>
            </div>
        </section>
    }
}
