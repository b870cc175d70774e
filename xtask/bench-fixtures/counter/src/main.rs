//! The smallest Leptos app worth the name: one signal and a button.

use leptos::prelude::*;

fn main() {
    leptos::mount::mount_to_body(|| {
        let (count, set_count) = signal(0);
        let increment = move |_| *set_count.write() += 1;
        view! { <button on:click=increment>{count}</button> }
    });
}
