//! Entry point: mount the app on `<body>`.

fn main() {
    yew::Renderer::<hearth_frontend::app::App>::new().render();
}
