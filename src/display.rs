//! Display modes a visitor can switch on any screen: the seniors' mode
//! (长辈版: larger text, simpler screens, read-aloud) and high contrast.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::page_signal::PageSignal;
use crate::speech;

/// The display modes of this widget instance.
#[derive(Debug, Clone, Copy)]
pub struct Display {
    pub seniors: PageSignal<bool>,
    pub contrast: PageSignal<bool>,
    /// The modes the host configured (seniors', contrast), which a reset returns to.
    configured: (bool, bool),
}

impl Display {
    /// Back to the configured display (the standard one unless the host chose a mode), for
    /// the next visitor.
    pub fn reset(&self) {
        self.seniors.set(self.configured.0);
        self.contrast.set(self.configured.1);
    }
}

/// Creates the display-mode context, in the standard display.
pub fn provide_display() -> Display {
    provide_display_from(false, false)
}

/// Creates the display-mode context with the modes the host configured.
pub fn provide_display_from(seniors: bool, contrast: bool) -> Display {
    let display = Display {
        seniors: PageSignal::new(seniors),
        contrast: PageSignal::new(contrast),
        configured: (seniors, contrast),
    };
    provide_context(display);
    display
}

/// The display modes of the enclosing widget.
pub fn use_display() -> Display {
    expect_context::<Display>()
}

/// The mode switches and, in seniors' mode, the read-aloud button.
#[component]
pub fn DisplayToggles(
    /// The element whose text "read aloud" speaks.
    main: NodeRef<leptos::html::Main>,
) -> impl IntoView {
    let i18n = use_i18n();
    let display = use_display();
    let on_seniors = move |_| display.seniors.update(|on| *on = !*on);
    let on_contrast = move |_| display.contrast.update(|on| *on = !*on);
    let on_read = move |_| {
        if let Some(el) = main.get() {
            speech::speak(&el.inner_text(), i18n.lang());
        }
    };
    view! {
        <button
            type="button"
            class="omk-toggle"
            aria-pressed=move || display.seniors.get().to_string()
            on:click=on_seniors
            data-testid="toggle-seniors"
        >
            {move || i18n.t("display.seniors")}
        </button>
        <button
            type="button"
            class="omk-toggle"
            aria-pressed=move || display.contrast.get().to_string()
            on:click=on_contrast
            data-testid="toggle-contrast"
        >
            {move || i18n.t("display.contrast")}
        </button>
        <Show when=move || display.seniors.get() && speech::available()>
            <button type="button" class="omk-toggle" on:click=on_read data-testid="read-aloud">
                {move || i18n.t("display.read_aloud")}
            </button>
        </Show>
    }
}
