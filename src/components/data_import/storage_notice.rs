//! Says when the session cannot be saved in this browser (storage disabled or full) or the CSV file
//! is too large to keep, so a reload does not silently lose work.

use leptos::prelude::*;

use crate::session_store::SessionNotice;

#[component]
pub fn StorageNotice() -> impl IntoView {
    let notice = expect_context::<SessionNotice>().0;
    view! {
        <p class="notice" role="status" data-testid="storage-notice" hidden=move || notice.with(Option::is_none)>
            {move || notice.get()}
        </p>
    }
}
