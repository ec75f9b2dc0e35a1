//! The page: header, notices, toolbar, the decision boundary and the metric panels (or, while a
//! multi-label experiment runs, the multi-label workspace). Also the
//! keyboard shortcuts and `window.imlab`.

use leptos::prelude::*;

use crate::components::boundary::BoundaryPanel;
use crate::components::calibration::CalibrationPanel;
use crate::components::class_counts::ClassCountsPanel;
use crate::components::collapse_curves::CollapseCurvesPanel;
use crate::components::compare::ComparePanel;
use crate::components::confusion::ConfusionPanel;
use crate::components::controls::Controls;
use crate::components::data_import::{provide_data_import, DataNeeded, DataPanel, StorageNotice};
use crate::components::decision_rule::DecisionRulePanel;
use crate::components::disparity::DisparityPanel;
use crate::components::eps_curves::EpsCurvesPanel;
use crate::components::error::ErrorBanner;
use crate::components::export::ExportPanel;
use crate::components::feature_space::FeatureSpacePanel;
use crate::components::header::{BackendNotice, Header, LinkNotice};
use crate::components::loss::LossPanel;
use crate::components::metric_curves::MetricCurvesPanel;
use crate::components::multilabel::MultilabelWorkspace;
use crate::components::per_class::PerClassPanel;
use crate::components::pseudo_labels::PseudoLabelPanel;
use crate::components::recall::RecallPanel;
use crate::components::roc_pr::RocPrPanel;
use crate::components::scores::ScoresPanel;
use crate::components::setup::SetupPanel;
use crate::components::sweep::SweepPanel;
use crate::keys::{command_for, KeyCommand};
use crate::runner::Controller;

#[component]
pub fn App() -> impl IntoView {
    let (link, config) = crate::url::read();
    provide_context(link);
    // Read before anything rewrites the address: a link wins over the saved session.
    let saved = crate::session_store::saved_config_unless_link();
    let ctl = Controller::new(config);
    provide_context(ctl.ui);
    provide_context(ctl);
    if let Some((config, issues)) = saved {
        if !issues.is_empty() {
            link.saved_session.set(true);
            link.issues.set(issues);
        }
        ctl.apply_config(config);
    }
    crate::session_store::use_autosave(ctl);
    provide_data_import(ctl);
    if let Err(e) = crate::js_api::install(ctl) {
        leptos::logging::warn!("window.imlab not installed: {e:?}");
    }
    use_shortcuts(ctl);
    crate::url::keep_in_sync(ctl, link);
    let ui = ctl.ui;
    let link = expect_context::<crate::url::LinkState>();
    let _ = window_event_listener(leptos::ev::resize, move |_| ui.redraw());
    ctl.start();
    view! {
        <div class="app">
            <Header/>
            <BackendNotice/>
            <LinkNotice/>
            <StorageNotice/>
            <DataNeeded/>
            <ErrorBanner/>
            <Controls/>
            <Show when=move || ui.ml.with(Option::is_some)>
                <MultilabelWorkspace/>
            </Show>
            <Show when=move || ui.ml.with(Option::is_none)>
            <main class="workspace">
                <SetupPanel/>
                <div class="centre">
                    <BoundaryPanel/>
                    <DecisionRulePanel/>
                    <Show when=move || !link.is_hidden("features")><FeatureSpacePanel/></Show>
                </div>
                <div class="metrics">
                    <ScoresPanel/>
                    <ConfusionPanel/>
                    <RecallPanel/>
                    <PerClassPanel/>
                    <Show when=move || !link.is_hidden("disparity")><DisparityPanel/></Show>
                    <Show when=move || !link.is_hidden("eps-curves")><EpsCurvesPanel/></Show>
                    <PseudoLabelPanel/>
                </div>
                <div class="metrics-more">
                    <ClassCountsPanel/>
                    <LossPanel/>
                    <Show when=move || !link.is_hidden("collapse")><CollapseCurvesPanel/></Show>
                    <MetricCurvesPanel/>
                    <RocPrPanel/>
                    <CalibrationPanel/>
                </div>
            </main>
            </Show>
            <section class="tools" aria-label="Tools">
                <DataPanel/>
                <Show when=move || ui.ml.with(Option::is_none) fallback=|| view! {
                    <p class="panel tool-panel hint" data-testid="multilabel-tools-note">
                        "A/B compare and in-page sweeps are multi-class only for now; for multi-label sweeps over methods and seeds use "
                        <code>"imlab sweep"</code>" (docs/multilabel.md)."
                    </p>
                }>
                    <ComparePanel/>
                </Show>
                <ExportPanel/>
                <Show when=move || ui.ml.with(Option::is_none)>
                    <SweepPanel/>
                </Show>
            </section>
        </div>
    }
}

fn use_shortcuts(ctl: Controller) {
    let _ = window_event_listener(leptos::ev::keydown, move |e| {
        let tag = crate::keys::target_tag(&e);
        let modified = e.ctrl_key() || e.alt_key() || e.meta_key();
        let Some(cmd) = command_for(&e.key(), &tag, modified) else {
            return;
        };
        // Also keeps a focused button from acting on the same key press.
        e.prevent_default();
        match cmd {
            KeyCommand::PlayPause => ctl.toggle_play(),
            KeyCommand::StepOnce => ctl.step_once(),
            KeyCommand::Reset => ctl.reset(),
        }
    });
}
