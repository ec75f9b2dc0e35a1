//! Where user-facing errors appear (a diverged run, a refused setting). Always in the page, empty
//! and hidden when there is nothing to say, so assistive technology announces new errors.

use leptos::prelude::*;

use crate::state::Ui;

#[component]
pub fn ErrorBanner() -> impl IntoView {
    let ui = expect_context::<Ui>();
    let message = move || ui.error.get().unwrap_or_default();
    view! {
        <div class="error" role="alert" data-testid="error" hidden=move || ui.error.with(Option::is_none)>
            {message}
        </div>
    }
}
