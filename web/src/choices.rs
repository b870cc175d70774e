//! A labelled group of buttons, one a choice, the chosen one marked for assistive
//! technology: the widget's screens and program filters, the console's reference lists. A
//! press chooses; what a choice shows is the app's.

use leptos::prelude::*;

/// What a group offers: a few values, each with its text and its button's test id.
pub trait Choice: Copy + PartialEq + Send + Sync + 'static {
    /// Every choice, in the order the group shows them.
    const CHOICES: &'static [Self];

    /// The message key of its button's text.
    fn label_key(self) -> &'static str;

    /// Its button's `data-testid`.
    fn testid(self) -> String;
}

/// What the group is, and so how its chosen button is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marked {
    /// Toggles in a `role="group"`: every button says whether it is pressed (`aria-pressed`).
    Pressed,
    /// Navigation, in a `<nav>`: the chosen button is the page shown (`aria-current="page"`).
    Current,
}

impl Marked {
    /// A button's `aria-pressed`: on every button of a toggle group.
    pub fn pressed(self, chosen: bool) -> Option<&'static str> {
        (self == Marked::Pressed).then_some(if chosen { "true" } else { "false" })
    }

    /// A button's `aria-current`: on the chosen one of a navigation.
    pub fn current(self, chosen: bool) -> Option<&'static str> {
        (self == Marked::Current && chosen).then_some("page")
    }
}

/// How an app draws a kind of group: what it is, and its classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    pub marked: Marked,
    /// The group's class.
    pub class: &'static str,
    /// The buttons' class.
    pub button_class: &'static str,
}

/// One button a choice, in a group with an accessible name.
#[component]
pub fn ChoiceGroup<T: Choice, F>(
    /// The chosen one, which a press sets.
    chosen: RwSignal<T>,
    /// What else a press does, after it set the choice.
    #[prop(optional, into)]
    then: Option<Callback<()>>,
    /// How the group is drawn.
    look: Look,
    /// The message key of the group's name.
    label: &'static str,
    /// The text of a message key in the app's current language (tracked).
    t: F,
) -> impl IntoView
where
    F: Fn(&'static str) -> &'static str + Copy + Send + Sync + 'static,
{
    let marked = look.marked;
    let buttons = T::CHOICES
        .iter()
        .map(|&choice| {
            let is_chosen = move || chosen.get() == choice;
            let choose = move |_| {
                chosen.set(choice);
                if let Some(then) = then {
                    then.run(());
                }
            };
            view! {
                <button
                    type="button"
                    class=look.button_class
                    aria-pressed=move || marked.pressed(is_chosen())
                    aria-current=move || marked.current(is_chosen())
                    on:click=choose
                    data-testid=choice.testid()
                >
                    {move || t(choice.label_key())}
                </button>
            }
        })
        .collect_view();
    let name = move || t(label);
    match marked {
        Marked::Current => {
            view! { <nav class=look.class aria-label=name>{buttons}</nav> }.into_any()
        }
        Marked::Pressed => {
            view! { <div class=look.class role="group" aria-label=name>{buttons}</div> }.into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toggle_says_whether_it_is_pressed_and_a_navigation_names_the_page_shown() {
        assert_eq!(Marked::Pressed.pressed(true), Some("true"));
        assert_eq!(Marked::Pressed.pressed(false), Some("false"));
        assert_eq!(Marked::Pressed.current(true), None);
        assert_eq!(Marked::Current.current(true), Some("page"));
        assert_eq!(Marked::Current.current(false), None);
        assert_eq!(Marked::Current.pressed(true), None);
    }
}
