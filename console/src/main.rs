//! Entry point of the console: mounts it, nothing else.

fn main() {
    omk_console::mount();
}
