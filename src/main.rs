//! Entry point of the widget: mounts the app, nothing else.

fn main() {
    open_month_kiosk::mount();
}
