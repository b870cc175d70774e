//! Entry point of the widget: mounts the full-page app, and exports the
//! mount and unmount calls that the embed loader (`embed.js`) makes.

use wasm_bindgen::prelude::*;

fn main() {
    open_month_kiosk::mount();
}

/// Mounts a widget into `host` (a `<div>` in a shadow root) with the
/// element's settings; `base` is the URL the loader came from.
#[wasm_bindgen]
pub fn mount_widget(host: web_sys::HtmlElement, settings: js_sys::Object, base: String) -> u32 {
    let attributes = js_sys::Object::entries(&settings)
        .iter()
        .filter_map(|entry| {
            let pair: js_sys::Array = entry.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect();
    open_month_kiosk::embed::mount_element(host, attributes, base)
}

/// Unmounts the widget with `id`.
#[wasm_bindgen]
pub fn unmount_widget(id: u32) {
    open_month_kiosk::embed::unmount(id);
}
