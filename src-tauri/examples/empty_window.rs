//! The baseline of `cargo xtask bench window`: an empty Tauri window, the same size
//! as Tirek's, with nothing in it but a page that says it is ready. Its launch time
//! and memory are what any Tauri app on this WebKit costs; Tirek's are measured
//! beside them in the same run.

fn main() {
    tauri::Builder::default().run(tauri::generate_context!("bench/tauri.conf.json")).expect("the empty window runs");
}
