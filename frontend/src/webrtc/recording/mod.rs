//! Recording a call in the browser: a composite picture, both voices mixed, MediaRecorder,
//! and the WebM fix that gives the file its duration and index.

pub mod webm;
