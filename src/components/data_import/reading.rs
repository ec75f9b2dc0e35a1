//! Getting a dropped or chosen file's bytes into the page, with its size checked first so a huge
//! file is refused before it is read.

use imlab_engine::dataset::csv::MAX_BYTES;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A file the user handed over: its name and bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct PickedFile {
    pub name: String,
    pub bytes: std::sync::Arc<Vec<u8>>,
}

/// Reads `file`, refusing it up front when it is larger than the CSV importer accepts.
pub async fn read_file(file: web_sys::File) -> Result<PickedFile, String> {
    let name = file.name();
    let size = file.size();
    if size > MAX_BYTES as f64 {
        return Err(format!(
            "{name}: the file is {:.1} MB; at most {} MB can be imported. Remove rows or columns",
            size / 1e6,
            MAX_BYTES / (1024 * 1024)
        ));
    }
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("{name}: the browser could not read the file"))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    Ok(PickedFile {
        name,
        bytes: std::sync::Arc::new(bytes),
    })
}

/// The first file of a drop or of a file input's selection.
pub fn first_file(list: Option<web_sys::FileList>) -> Option<web_sys::File> {
    list?.get(0)
}

/// The files an `<input type="file">` change event carries.
pub fn input_files(ev: &web_sys::Event) -> Option<web_sys::FileList> {
    ev.target()?
        .dyn_into::<web_sys::HtmlInputElement>()
        .ok()?
        .files()
}

/// Clears a file input so choosing the same file again fires `change` again.
pub fn reset_input(ev: &web_sys::Event) {
    if let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        input.set_value("");
    }
}
