//! A form's request as a Leptos action: busy while it runs, its field errors and problem in
//! the form's state when it fails, its success announced, then what the screen does next.

use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;
use omk_api::FieldError;

use crate::client::ApiError;
use crate::feedback::FormState;

/// A form's request, sent with [`Submit::run`].
pub struct Submit<I: 'static, O: 'static> {
    form: FormState,
    action: Action<I, Result<O, ApiError>>,
    busy: Memo<bool>,
}

impl<I: 'static, O: 'static> Clone for Submit<I, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I: 'static, O: 'static> Copy for Submit<I, O> {}

impl<I: Clone + 'static, O: 'static> Submit<I, O> {
    /// A request that `send` makes of the input. When it ends, the form shows its errors,
    /// or announces the message key `done` gives for the input and calls `then`.
    pub fn new<S, Fu, T>(form: FormState, done: fn(&I) -> &'static str, send: S, then: T) -> Self
    where
        S: Fn(I) -> Fu + 'static,
        Fu: Future<Output = Result<O, ApiError>> + 'static,
        T: Fn(&I, &O) + 'static,
    {
        let then = Rc::new(then);
        // gloo's futures are not `Send`: the action runs on this thread.
        let action = Action::new_local(move |input: &I| {
            let input = input.clone();
            let request = send(input.clone());
            let then = Rc::clone(&then);
            async move {
                let result = request.await;
                form.finish(&result, done(&input));
                if let Ok(output) = &result {
                    then(&input, output);
                }
                result
            }
        });
        Submit {
            form,
            action,
            busy: action.pending(),
        }
    }

    /// Sends the input, or shows the form's own problems with it and sends nothing.
    pub fn run(&self, checked: Result<I, Vec<FieldError>>) {
        match checked {
            Ok(input) => {
                self.form.start();
                self.action.dispatch_local(input);
            }
            Err(errors) => self.form.invalid(errors),
        }
    }

    /// Whether the request is on its way (tracked).
    pub fn busy(&self) -> bool {
        self.busy.get()
    }

    /// The form's state.
    pub fn form(&self) -> FormState {
        self.form
    }
}

/// A request with the check of the form's input before it: what a form's submit button
/// sends, whatever the input and the answer.
#[derive(Debug, Clone, Copy)]
pub struct Checked {
    form: FormState,
    busy: Memo<bool>,
    send: Callback<()>,
}

impl<I: Clone + 'static, O: 'static> Submit<I, O> {
    /// This request, sent with what `check` makes of the form's input.
    pub fn checked(
        self,
        check: impl Fn() -> Result<I, Vec<FieldError>> + Send + Sync + 'static,
    ) -> Checked {
        Checked {
            form: self.form,
            busy: self.busy,
            send: Callback::new(move |()| self.run(check())),
        }
    }
}

impl Checked {
    /// The form's `submit` handler: no page load, but the check and the request.
    pub fn on_submit(self) -> impl Fn(leptos::ev::SubmitEvent) + Copy {
        move |ev| {
            ev.prevent_default();
            self.send.run(());
        }
    }

    /// Whether the request is on its way (tracked).
    pub fn busy(&self) -> bool {
        self.busy.get()
    }

    /// The form's state.
    pub fn form(&self) -> FormState {
        self.form
    }
}
