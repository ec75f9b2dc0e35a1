//! The first rows of a file as a table, before it is imported. Header names and cells are inserted
//! as text nodes, so a header like `<img src=x onerror=…>` shows as those characters.

use leptos::prelude::*;

/// Columns shown; a wider file says how many more there are.
const SHOWN_COLUMNS: usize = 12;

/// Header names and first rows of a file, or why they cannot be read; `None` before any file.
pub type PreviewData = Option<Result<(Vec<String>, Vec<Vec<String>>), String>>;

#[component]
pub fn Preview(
    preview: RwSignal<PreviewData>,
    label: RwSignal<usize>,
    /// Checked state of each column in the feature picker: unchecked columns are shown greyed.
    checked: RwSignal<Vec<bool>>,
) -> impl IntoView {
    // Neither the label nor a feature: a column the import leaves out.
    let unused =
        move |j: usize| label.get() != j && !checked.with(|c| c.get(j).copied().unwrap_or(true));
    let table = move || {
        let (header, rows) = preview.with(|p| match p {
            Some(Ok(data)) => Some(data.clone()),
            _ => None,
        })?;
        let more = header.len().saturating_sub(SHOWN_COLUMNS);
        let head = header
            .iter()
            .take(SHOWN_COLUMNS)
            .enumerate()
            .map(|(j, name)| {
                let name = name.clone();
                view! {
                    <th
                        scope="col"
                        class:label-col=move || label.get() == j
                        class:unused-col=move || unused(j)
                        title=name.clone()
                    >
                        {name.clone()}
                    </th>
                }
            })
            .collect_view();
        let body = rows
            .into_iter()
            .map(|row| {
                let cells = row
                    .into_iter()
                    .take(SHOWN_COLUMNS)
                    .enumerate()
                    .map(|(j, cell)| view! {
                            <td class:label-col=move || label.get() == j class:unused-col=move || unused(j)>
                                {cell}
                            </td>
                        })
                    .collect_view();
                view! { <tr>{cells}</tr> }
            })
            .collect_view();
        Some(view! {
            <div class="preview-scroll">
                <table class="data-preview" data-testid="data-preview">
                    <caption>"First rows of the file"</caption>
                    <thead><tr>{head}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            {(more > 0).then(|| view! { <p class="hint">{format!("… and {more} more columns")}</p> })}
        })
    };
    view! { {table} }
}
