//! Open Month Kiosk, the widget: the month's open-government events, live
//! satisfaction figures and an issue form, talking to a configured backend.

pub mod client;
pub mod events;
pub mod figures;
pub mod format;
pub mod i18n;
pub mod ids;
pub mod report;
pub mod shell;

use leptos::prelude::*;
use omk_api::Lang;

use crate::client::Backend;
use crate::i18n::provide_i18n;
use crate::shell::Shell;

/// The whole widget: provides the backend and language, then the screens.
///
/// `backend` is the base URL of the API server; empty means the page's own origin.
#[component]
pub fn App(
    /// Base URL of the backend, without a trailing slash; empty for same origin.
    #[prop(into, default = String::new())]
    backend: String,
    /// The language to start in.
    #[prop(default = Lang::ZhCn)]
    lang: Lang,
) -> impl IntoView {
    provide_context(Backend::new(&backend));
    let i18n = provide_i18n(lang);
    view! {
        <div class="omk" lang=move || i18n.lang().tag()>
            <Shell />
        </div>
    }
}

/// Mounts the widget on the page's body, in its default configuration.
pub fn mount() {
    mount_to_body(|| view! { <App /> });
}
