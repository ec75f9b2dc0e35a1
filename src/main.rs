//! Imbalance Lab in the browser: mounts the app; everything else lives in the modules.

mod app;
mod backend;
mod catalog;
mod charts;
mod components;
mod download;
mod exports;
mod files;
mod js_api;
mod keys;
mod lab;
mod multilabel_exports;
mod presets;
mod runner;
mod session_store;
mod state;
mod sweep_runner;
mod theme;
mod url;
mod zip;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
