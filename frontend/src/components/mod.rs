//! Function components: props in, callbacks out, no signaling or media logic.

pub mod add_friend;
pub mod broadcast;
pub mod call_panel;
pub mod call_quality;
pub mod clock;
pub mod composer;
pub mod conn_banner;
pub mod conversation;
pub mod devices;
pub mod friend_list;
pub mod message_list;
pub mod record_controls;
pub mod recordings;
pub mod requests;
pub mod room_call;
pub mod room_view;
pub mod rooms;
pub mod settings;
pub mod shot;
pub mod stream_key;
pub mod thread;
pub mod video;
