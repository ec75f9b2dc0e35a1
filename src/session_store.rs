//! The session kept in the browser's `localStorage`, so a reload loses nothing: the experiment (as
//! its link fragment) and, when it is small enough, the uploaded CSV file it names.
//!
//! Precedence: a link (a URL fragment present when the page loads) wins over the saved session; the
//! saved session is used only for a bare address. Storage that is disabled, full or throwing never
//! stops the app: the failure becomes a notice, and the app goes on without saving.

use imlab_engine::dataset::{content_hash, DataOrigin, DataSource, MemorySource};
use imlab_engine::link::{parse_fragment, to_fragment, LinkIssue};
use imlab_engine::ExperimentConfig;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::runner::Controller;

/// The experiment's link fragment.
const KEY_LINK: &str = "imlab.session.link";
/// The uploaded CSV file named by the experiment, as [`SavedUpload`] JSON.
const KEY_UPLOAD: &str = "imlab.session.upload";
/// Largest CSV file kept in storage. Browsers give a site about 5 million UTF-16 characters in all;
/// a larger file must be dropped again after a reload.
pub const MAX_SAVED_UPLOAD_BYTES: usize = 2 * 1024 * 1024;

#[derive(Serialize, Deserialize)]
struct SavedUpload {
    hash: String,
    text: String,
}

/// What saving last said, shown as a notice (`None`: nothing to report).
#[derive(Clone, Copy)]
pub struct SessionNotice(pub RwSignal<Option<String>>);

fn storage() -> Result<web_sys::Storage, String> {
    let window = web_sys::window().ok_or("no window")?;
    match window.local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) | Err(_) => Err("this browser does not allow local storage for this page".into()),
    }
}

fn read(key: &str) -> Option<String> {
    storage().ok()?.get_item(key).ok().flatten()
}

/// Adds the saved CSV file to `files` if its bytes still have the hash it was saved under (a file
/// edited in storage is dropped rather than trusted).
pub fn add_saved_upload(files: &mut MemorySource) {
    let Some(json) = read(KEY_UPLOAD) else { return };
    let Ok(saved) = serde_json::from_str::<SavedUpload>(&json) else {
        return;
    };
    if content_hash(saved.text.as_bytes()) == saved.hash {
        files.add_upload(saved.text.into_bytes());
    }
}

/// Whether the page was opened with a link (a non-empty URL fragment). Read it before anything
/// rewrites the address.
pub fn opened_with_link() -> bool {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .is_some_and(|h| !h.trim_start_matches('#').is_empty())
}

/// The saved experiment, unless the page was opened with a link (the link wins), with what in it
/// could not be used (a key edited by hand, or one an older or newer version wrote): the valid rest
/// is applied, as for a link, and the page says which keys were left at their defaults.
pub fn saved_config_unless_link() -> Option<(ExperimentConfig, Vec<LinkIssue>)> {
    if opened_with_link() {
        return None;
    }
    let fragment = read(KEY_LINK)?;
    let parsed = parse_fragment(&fragment, &ExperimentConfig::default());
    Some((parsed.config, parsed.issues))
}

/// Saves the session each time a new experiment is applied, and provides the [`SessionNotice`].
pub fn use_autosave(ctl: Controller) -> SessionNotice {
    let notice = SessionNotice(RwSignal::new(None));
    provide_context(notice);
    if let Err(message) = storage() {
        notice.0.set(Some(format!(
            "Your session is not saved: {message}. A reload starts from the defaults; links still work."
        )));
        return notice;
    }
    Effect::new(move |_| {
        ctl.ui.config.track();
        let outcome = ctl.with_session(|s| save(s.running_config(), &s.files));
        if let Some(result) = outcome {
            notice.0.set(result.err());
        }
    });
    notice
}

/// Writes the experiment, and its CSV file when it fits. `Err` is the notice to show.
fn save(config: &ExperimentConfig, files: &MemorySource) -> Result<(), String> {
    let store = storage().map_err(|m| format!("Your session is not saved: {m}."))?;
    let fragment = to_fragment(config, &Default::default());
    store.set_item(KEY_LINK, &fragment).map_err(|_| {
        "Your session could not be saved: the browser's storage for this page is full or blocked. A reload starts from the defaults; copy the link to keep this experiment.".to_string()
    })?;
    let DataOrigin::Uploaded { hash, .. } = &config.dataset.source else {
        return Ok(());
    };
    if read(KEY_UPLOAD).is_some_and(|json| {
        serde_json::from_str::<SavedUpload>(&json).is_ok_and(|s| s.hash == *hash)
    }) {
        return Ok(());
    }
    let Some(bytes) = files.uploaded_bytes(hash) else {
        return Ok(());
    };
    let must_drop_again = |why: &str| {
        format!(
            "Your CSV file is not kept in this browser ({why}): after a reload you will be asked to drop it again."
        )
    };
    if bytes.len() > MAX_SAVED_UPLOAD_BYTES {
        return Err(must_drop_again(&format!(
            "{:.1} MB, more than the {} MB kept",
            bytes.len() as f64 / 1e6,
            MAX_SAVED_UPLOAD_BYTES / (1024 * 1024)
        )));
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(must_drop_again("it is not UTF-8 text"));
    };
    let json = serde_json::to_string(&SavedUpload {
        hash: hash.clone(),
        text: text.to_string(),
    })
    .map_err(|e| must_drop_again(&e.to_string()))?;
    // Replace, not add: a failed write must not leave the older file taking the space.
    let _ = store.remove_item(KEY_UPLOAD);
    store
        .set_item(KEY_UPLOAD, &json)
        .map_err(|_| must_drop_again("the browser's storage for this page is full"))
}
