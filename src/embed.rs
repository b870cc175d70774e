//! The widget inside other pages: mounting into a custom element's shadow
//! root (several per page), and an iframe that tells its host its height.

use std::any::Any;
use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::HtmlElement;

use crate::config::{self, ConfigError, Embedding, WidgetConfig};
use crate::{App, ConfigProblem, client};

thread_local! {
    /// The mounted elements' handles, by id; dropping one unmounts it.
    static MOUNTED: RefCell<Vec<Option<Box<dyn Any>>>> = const { RefCell::new(Vec::new()) };
}

/// Whether the page asked the module not to mount a full-page widget
/// (the embed loader sets `window.omkEmbedded`).
pub fn page_is_host() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"omkEmbedded".into()).ok())
        .is_some_and(|v| v.is_truthy())
}

/// Whether this page runs inside a frame of another page.
pub fn in_frame() -> bool {
    web_sys::window().is_some_and(|w| match w.parent() {
        Ok(Some(parent)) => !js_sys::Object::is(&parent, &w),
        _ => false,
    })
}

/// The configuration of an element: `config.json` beside the loader, then
/// the element's attributes, then the host page's `omk-…` query parameters (which
/// choose the backend only where `config.json` or an attribute allows it).
pub async fn element_config(
    base: &str,
    attributes: &[(String, String)],
) -> Result<WidgetConfig, ConfigError> {
    let mut config = WidgetConfig::default();
    if let Some(json) = client::fetch_text(&format!("{base}config.json")).await {
        config.apply_json(&json)?;
    }
    // The loader's own origin is the default backend, not the host page's.
    if config.backend.is_empty() {
        base.trim_end_matches('/').clone_into(&mut config.backend);
    }
    config.apply_all(attributes.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let pairs = config::element_query_pairs(&search);
    config.apply_all_from_url(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    config.embedding = Embedding::Element;
    Ok(config)
}

/// Mounts a widget into `parent` once its configuration is read; returns the
/// id that [`unmount`] takes.
pub fn mount_element(parent: HtmlElement, attributes: Vec<(String, String)>, base: String) -> u32 {
    let id = MOUNTED.with(|m| {
        let mut all = m.borrow_mut();
        all.push(None);
        all.len() - 1
    });
    wasm_bindgen_futures::spawn_local(async move {
        let handle: Box<dyn Any> = match element_config(&base, &attributes).await {
            Ok(config) => Box::new(mount_to(parent, move || view! { <App config=config /> })),
            Err(error) => Box::new(mount_to(
                parent,
                move || view! { <ConfigProblem error=error /> },
            )),
        };
        MOUNTED.with(|m| {
            if let Some(slot) = m.borrow_mut().get_mut(id) {
                *slot = Some(handle);
            }
        });
    });
    u32::try_from(id).unwrap_or(u32::MAX)
}

/// Unmounts the widget with `id`, tearing down its timers and streams.
pub fn unmount(id: u32) {
    let handle = MOUNTED.with(|m| m.borrow_mut().get_mut(id as usize).and_then(Option::take));
    drop(handle);
}

/// In a frame, tells the host page the widget's height whenever it changes,
/// until the widget goes.
pub fn use_frame_height(root: NodeRef<leptos::html::Div>) {
    type Watch = (web_sys::ResizeObserver, Closure<dyn FnMut()>);
    let watch: StoredValue<Option<Watch>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        let Some(element) = root.get() else {
            return;
        };
        let report = Closure::<dyn FnMut()>::new(post_height);
        let Ok(observer) = web_sys::ResizeObserver::new(report.as_ref().unchecked_ref()) else {
            return;
        };
        observer.observe(&element);
        watch.set_value(Some((observer, report)));
        post_height();
    });
    on_cleanup(move || {
        if let Some((observer, _report)) = watch.try_update_value(Option::take).flatten() {
            observer.disconnect();
        }
    });
}

fn post_height() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let height = window
        .document()
        .and_then(|d| d.document_element())
        .map(|e| e.scroll_height())
        .unwrap_or_default();
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &"omk:resize".into());
    let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
    if let Ok(Some(parent)) = window.parent() {
        // Only a height is sent: nothing the host may not know.
        let _ = parent.post_message(&message, "*");
    }
}
