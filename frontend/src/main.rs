//! Entry point: mount the app on `<body>`.

// Talc instead of the default dlmalloc: smaller in the bundle, and faster.
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    yew::Renderer::<hearth_frontend::app::App>::new().render();
}
