//! The desktop binary: everything is in the library, so that tests and the bindings
//! generator see the same commands the window gets.

// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    tirek_desktop::run();
}
