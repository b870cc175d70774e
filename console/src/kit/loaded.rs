//! What a screen shows of something it loads: a status line while it loads the first time,
//! the thing once it is there (the old one stays while it reloads), or the failure.

use leptos::prelude::*;

use crate::client::ApiError;
use crate::feedback::LoadError;
use crate::i18n::use_i18n;

/// "Loading…", in a status region.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p role="status">{move || i18n.t("common.loading")}</p> }
}

/// The loaded value as `show` draws it, or the failure.
#[component]
pub fn Loaded<T, V, F>(
    /// What is loaded.
    resource: LocalResource<Result<T, ApiError>>,
    /// Draws the value.
    show: F,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + Send + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
{
    let body = move || {
        resource.get().map(|result| match result {
            Ok(found) => show(found).into_any(),
            Err(error) => view! { <LoadError error /> }.into_any(),
        })
    };
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {body}
        </Transition>
    }
}
