//! Memory over many visits, in a real headless Chromium: a counting allocator (this test
//! binary's own, never the widget's) reports the live bytes while views that read the
//! page-lifetime language are built and dropped again and again.

#![cfg(target_arch = "wasm32")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::prelude::*;
use omk_api::Lang;
use open_month_kiosk::i18n::{provide_i18n, use_i18n};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

/// The system allocator, counting the bytes allocated and not yet freed.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only a counter is added.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Reactive texts per visit, about what the program screen renders.
const TEXTS: usize = 200;

#[wasm_bindgen_test]
async fn texts_that_read_the_language_leave_nothing_behind_when_their_visit_ends() {
    let document = document();
    let container: HtmlElement = document
        .create_element("div")
        .expect("create a container")
        .unchecked_into();
    document
        .body()
        .expect("a body")
        .append_child(&container)
        .expect("append the container");
    let visit = RwSignal::new(0u32);
    mount_to(container.clone(), move || {
        provide_i18n(Lang::ZhCn);
        let i18n = use_i18n();
        // Each visit rebuilds its texts from nothing, as a session reset does.
        move || {
            visit.track();
            (0..TEXTS)
                .map(|_| view! { <span>{move || i18n.t("app.title")}</span> })
                .collect_view()
        }
    })
    .forget();
    let mut at_20 = 0;
    for n in 1..=300u32 {
        visit.set(n);
        leptos::task::tick().await;
        if n == 20 {
            at_20 = LIVE.load(Ordering::Relaxed);
        }
    }
    let grown = LIVE.load(Ordering::Relaxed).saturating_sub(at_20);
    assert_eq!(
        container.get_elements_by_tag_name("span").length() as usize,
        TEXTS,
        "the last visit's texts are shown"
    );
    // Before page-lifetime signals forgot their dropped readers, this grew by about
    // 100 B per text per visit: 5 MB here.
    assert!(
        grown < 64 * 1024,
        "{grown} bytes still allocated after 280 more visits"
    );
}
