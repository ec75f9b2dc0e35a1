//! A/B comparison: configuration A is the current experiment, B the same with the chosen changes (a
//! sampler, a loss, or pasted link settings). Both train on the same data, split, initial weights
//! and batches (one seed) for the same number of epochs, time-sliced like a sweep, and their test
//! scores are shown side by side with the differences coloured.

mod confusion;
mod table;

use imlab_engine::link;
use imlab_engine::sweep::grid::parse_method;
use imlab_engine::sweep::{Grid, Method};
use leptos::prelude::*;

use crate::components::job_controls::{BackendField, EpochsField, JobProgress, RunCancel};
use crate::components::sweep::methods;
use crate::runner::Controller;
use crate::sweep_runner::{SweepBackend, SweepJob};
use confusion::MiniConfusion;
use table::{lines, CompareTable};

/// B's changes from the form: a sampler and a loss (empty: as in A) and link settings, which may be
/// a whole link (everything up to `#` is dropped).
fn changes(sampler: &str, loss: &str, settings: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    if !sampler.is_empty() {
        out.push(("sampler.kind".to_string(), sampler.to_string()));
    }
    if !loss.is_empty() {
        out.push(("loss.kind".to_string(), loss.to_string()));
    }
    let settings = settings.trim();
    let settings = settings.split_once('#').map_or(settings, |(_, f)| f);
    let pairs: Vec<&str> = settings
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("v=") && *p != "v")
        .filter(|p| {
            let key = p.split_once('=').map_or(*p, |(k, _)| k);
            !link::INFO_KEYS.contains(&key)
        })
        .collect();
    if !pairs.is_empty() {
        let decoded: Vec<String> = pairs
            .iter()
            .map(|p| match p.split_once('=') {
                Some((k, v)) => format!("{}={}", link::decode(k), link::decode(v)),
                None => link::decode(p),
            })
            .collect();
        let m = parse_method(&format!("B:{}", decoded.join("&"))).map_err(|e| {
            e.replace("method `B:", "settings `")
                .replace("--seeds", "the seed of A")
        })?;
        out.extend(m.overrides);
    }
    if out.is_empty() {
        return Err(
            "B is the same as A: choose a sampler, a loss, or paste settings to change.".into(),
        );
    }
    Ok(out)
}

#[component]
pub fn ComparePanel() -> impl IntoView {
    let ctl = expect_context::<Controller>();
    let job = SweepJob::new();
    let sampler = RwSignal::new(String::new());
    let loss = RwSignal::new(String::new());
    let settings = RwSignal::new(String::new());
    let epochs = RwSignal::new("30".to_string());
    let backend = RwSignal::new(SweepBackend::Auto);
    let message = RwSignal::new(None::<String>);
    let described = RwSignal::new(String::new());

    let run = move || {
        let start = || -> Result<String, String> {
            let overrides = changes(
                &sampler.get_untracked(),
                &loss.get_untracked(),
                &settings.get_untracked(),
            )?;
            let text = epochs.get_untracked();
            let epochs: usize = text
                .trim()
                .parse()
                .map_err(|_| format!("Epochs `{text}` should be a whole number such as 30."))?;
            let mut base = ctl
                .with_session(|s| s.lab.config().clone())
                .ok_or("The experiment is being replaced; try again.")?;
            base.epochs = epochs;
            base.validate().map_err(|e| e.to_string())?;
            let seed = base.seed;
            let what = overrides
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", ");
            let grid = Grid {
                base,
                methods: vec![
                    Method {
                        label: "A".into(),
                        overrides: Vec::new(),
                    },
                    Method {
                        label: "B".into(),
                        overrides,
                    },
                ],
                axes: Vec::new(),
                seeds: vec![seed],
            };
            job.start(ctl, grid, backend.get_untracked())?;
            Ok(format!(
                "B = A with {what}; both seed {seed}, {epochs} epochs, same data and split."
            ))
        };
        match start() {
            Ok(d) => {
                described.set(d);
                message.set(None);
            }
            Err(e) => message.set(Some(e)),
        }
    };

    let result = move || {
        job.view.with(|v| {
            let (a, b) = (v.outcomes.first()?, v.outcomes.get(1)?);
            if let Some(e) = a.row.error.as_ref().or(b.row.error.as_ref()) {
                let who = if a.row.error.is_some() { "A" } else { "B" };
                return Some(view! { <p class="tools-message error" role="alert">{format!("{who} did not finish: {e}")}</p> }.into_any());
            }
            let (sa, sb) = (a.snapshot.as_ref()?, b.snapshot.as_ref()?);
            let lines = lines((&a.row.scores, sa), (&b.row.scores, sb));
            Some(
                view! {
                    <div class="compare-results">
                        <CompareTable lines=lines/>
                        <div class="mini-confusions">
                            <MiniConfusion title="A: confusion (rows true, columns predicted)" cm=sa.confusion.clone() testid="compare-confusion-a"/>
                            <MiniConfusion title="B: confusion" cm=sb.confusion.clone() testid="compare-confusion-b"/>
                        </div>
                    </div>
                }
                .into_any(),
            )
        })
    };
    let sampler_options = methods::samplers();
    let loss_options = methods::losses();

    view! {
        <section class="panel tools-panel compare-panel" aria-labelledby="compare-title" data-testid="compare">
            <h2 id="compare-title">"Compare A/B " <span class="sub">"(A = current experiment)"</span></h2>
            <div class="tools-form">
                <div class="field">
                    <label for="compare-sampler">"B sampler"</label>
                    <select id="compare-sampler" data-testid="compare-sampler" on:change=move |ev| sampler.set(event_target_value(&ev))>
                        <option value="">"as in A"</option>
                        {sampler_options.into_iter().map(|n| view! { <option value=n>{n}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="compare-loss">"B loss"</label>
                    <select id="compare-loss" data-testid="compare-loss" on:change=move |ev| loss.set(event_target_value(&ev))>
                        <option value="">"as in A"</option>
                        {loss_options.into_iter().map(|n| view! { <option value=n>{n}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field grow">
                    <label for="compare-settings" title="key=value&key=value, or a whole link">"B settings"</label>
                    <input id="compare-settings" data-testid="compare-settings" placeholder="e.g. optimizer.lr=0.05&model.hidden=[32]" prop:value=move || settings.get() on:input=move |ev| settings.set(event_target_value(&ev))/>
                </div>
                <EpochsField prefix="compare" epochs=epochs/>
                <BackendField prefix="compare" backend=backend/>
                <RunCancel prefix="compare" run_label="Run A and B" job=job on_run=run/>
            </div>
            <JobProgress prefix="compare" job=job message=message status_id="compare-what" status=described.into()/>
            {result}
        </section>
    }
}
