//! The messenger: header with connection state, the friends side panel, the conversation.

use yew::prelude::*;

use crate::components::add_friend::AddFriend;
use crate::components::broadcast::{broadcast_view, friend_live_bar, Shown};
use crate::components::conn_banner::conn_banner;
use crate::components::conversation::{conversation, ConversationProps};
use crate::components::friend_list::{friend_list, FriendListProps};
use crate::components::recordings::{player, recording_list, RecordingsProps};
use crate::components::requests::{requests, RequestsProps};
use crate::components::room_call::{call_bar, intent, mesh_grid, ring};
use crate::components::room_view::{room_view, RoomViewProps};
use crate::components::rooms::{rooms, RoomsProps};
use crate::components::settings::Settings;
use crate::components::thread::Thread;
use crate::hooks::{
    use_call, use_connection_test, use_leave_guard, use_mesh, use_messenger, use_recordings,
    use_stream_key, MeshIntent, Messenger, RecordingsHandle,
};
use crate::pages::call_screen::CallScreen;
use crate::services::api;
use crate::services::socket::ConnStatus;
use crate::state::session::{Session, SessionHandle};
use crate::webrtc::mesh::Part;
use hearth_shared::call::FRIENDS_STAGE;
use hearth_shared::session::UserPublic;
use hearth_shared::{ConversationId, UserId};

/// A callback that calls an intent method of the messenger.
fn bind<A: 'static>(m: &Messenger, f: fn(&Messenger, A)) -> Callback<A> {
    let m = m.clone();
    Callback::from(move |arg| f(&m, arg))
}

fn recordings_props(r: &RecordingsHandle) -> RecordingsProps {
    let (play, delete, close) = (r.clone(), r.clone(), r.clone());
    RecordingsProps {
        state: r.state().clone(),
        on_play: Callback::from(move |url| play.play(url)),
        on_delete: Callback::from(move |url| delete.delete(url)),
        on_close: Callback::from(move |()| close.close()),
    }
}

/// The messages of conversation `id` and the intents they lead to.
fn thread_of(m: &Messenger, me: UserId, id: ConversationId) -> Thread {
    Thread {
        me,
        id,
        conv: m.chat.conv(id).cloned().unwrap_or_default(),
        outbox: m.chat.outgoing(id).cloned().collect(),
        connected: m.status == ConnStatus::Connected,
        on_send: bind(m, |m, (conv, text)| m.send_message(conv, text)),
        on_typing: bind(m, |m, conv| m.typing(conv)),
        on_load_older: bind(m, |m, conv| m.load_older(conv)),
        on_discard: bind(m, |m, id| m.discard(id)),
    }
}

/// Props of [`MessengerPage`].
#[derive(Properties, PartialEq)]
pub struct MessengerPageProps {
    /// The signed-in user.
    pub me: UserPublic,
}

/// The signed-in main page.
#[component]
pub fn MessengerPage(props: &MessengerPageProps) -> Html {
    let session = use_context::<SessionHandle>().expect("session context");
    let m = use_messenger(props.me.clone());
    let recordings_handle = use_recordings();
    let call = use_call(&m, recordings_handle.dispatcher());
    let mesh = use_mesh(&m, recordings_handle.dispatcher());
    let on_mesh = mesh.callback();
    let room_name = |id| match id {
        FRIENDS_STAGE => "Live to friends".to_owned(),
        id => m.rooms.room(id).map(|r| r.name.clone()).unwrap_or_default(),
    };
    let recordings = recordings_props(&recordings_handle);
    // The recordings are blobs of this page: leaving loses them, so the browser asks first.
    use_leave_guard(!recordings.state.items.is_empty() || recordings.state.saving > 0);
    let in_call = use_state(|| false);
    let on_busy = {
        let in_call = in_call.setter();
        use_callback((), move |busy, _| in_call.set(busy))
    };
    let prefs = use_state(crate::services::settings::load);
    let (conn_test, run_conn_test) = use_connection_test(&m);
    {
        let session = session.clone();
        use_effect_with(m.status, move |status| {
            if *status == ConnStatus::LoggedOut {
                session.set(Session::SignedOut);
            }
        });
    }
    let on_logout = {
        let session = session.clone();
        Callback::from(move |_| {
            let session = session.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = api::logout().await {
                    gloo::console::warn!(e.message);
                }
                session.set(Session::SignedOut);
            });
        })
    };
    let active = m.chat.active;
    let friend = active.and_then(|c| {
        m.friends
            .roster
            .friends
            .iter()
            .find(|f| f.conversation == c)
            .cloned()
    });
    let room = active.and_then(|c| m.rooms.room(c).cloned());
    let friend_users: Vec<UserPublic> = m
        .friends
        .roster
        .friends
        .iter()
        .map(|f| f.user.clone())
        .collect();
    let open_pane = friend.is_some() || room.is_some();
    // The open conversation's panel (see `room_view`; in a friend's, 1: asking before removing).
    let pane = use_state(|| (ConversationId(0), 0u8));
    let panel = if active == Some(pane.0) { pane.1 } else { 0 };
    let on_panel = {
        let (pane, at) = (pane.clone(), active.unwrap_or(ConversationId(0)));
        Callback::from(move |p| pane.set((at, p)))
    };
    let (key, on_key) = use_stream_key();
    let making_room = use_state(|| false);
    // The room whose broadcast this tab is live in or watches (`FRIENDS_STAGE`: to friends),
    // and the broadcast as its members see it.
    let watching = mesh.state.room.filter(|_| mesh.state.part != Part::Call);
    let shown_call = |id| match id {
        FRIENDS_STAGE => mesh.state.host.and_then(|h| m.friends.live_of(h)),
        id => m.rooms.call(id),
    };
    // Watching the friend whose conversation is open: the picture above it.
    let friend_inline = watching == Some(FRIENDS_STAGE)
        && mesh.state.part == Part::Watch
        && friend.as_ref().map(|f| f.user.id) == mesh.state.host;
    let busy = mesh.state.room.is_some() || *in_call;
    html! {
        <div class={classes!("messenger", open_pane.then_some("in-conversation"))}>
            <header class="topbar">
                <span class="brand">{ "Hearth" }</span>
                { conn_banner(m.status) }
                <span class="whoami">{ &props.me.username }</span>
                <Settings prefs={*prefs} test={conn_test} on_test={run_conn_test} on_change={{
                    let (call, prefs) = (call.clone(), prefs.clone());
                    Callback::from(move |p| { call.set_prefs(p); prefs.set(p); })
                }} />
                <button class="secondary" onclick={on_logout}>{ "Log out" }</button>
            </header>
            <aside class="sidebar" aria-label="Friends">
                <AddFriend on_add={bind(&m, |m, name| m.add_friend(name))} error={m.friends.error.clone()} />
                { requests(&RequestsProps {
                    incoming: m.friends.roster.incoming.clone(),
                    outgoing: m.friends.roster.outgoing.clone(),
                    on_accept: bind(&m, |m, id| m.accept(id)),
                    on_decline: bind(&m, |m, id| m.decline(id)),
                    on_cancel: bind(&m, |m, id| m.cancel(id)),
                }) }
                <button class="secondary go-live" disabled={busy}
                        onclick={intent(&on_mesh, MeshIntent::GoLiveToFriends)}>{ "Go live to friends" }</button>
                { friend_list(&FriendListProps {
                    friends: m.friends.roster.friends.clone(),
                    unread: m.friends.roster.friends.iter().map(|f| m.chat.conv(f.conversation).map_or(f.unread, |c| c.unread)).collect::<Vec<_>>(),
                    active,
                    loaded: m.friends.loaded,
                    on_open: bind(&m, |m, conv| m.open(conv)),
                    live: m.friends.live.iter().map(|(h, _)| *h).collect(),
                }) }
                { rooms(&RoomsProps {
                    rooms: m.rooms.rooms.clone(),
                    unread: m.rooms.rooms.iter().map(|r| m.chat.conv(r.id).map_or(r.unread, |c| c.unread)).collect(),
                    active,
                    friends: friend_users.clone(),
                    error: m.rooms.error.clone(),
                    on_open: bind(&m, |m, conv| m.open(conv)),
                    on_create: bind(&m, |m, (name, members)| m.create_room(name, members)),
                    making: *making_room,
                    on_making: Callback::from({
                        let making = making_room.setter();
                        move |on| making.set(on)
                    }),
                }) }
                { recording_list(&recordings) }
            </aside>
            <CallScreen call={call.clone()} {on_busy} />
            if let Some(r) = m.rooms.ringing.as_ref().filter(|_| mesh.state.room.is_none()) {
                { ring(r, &room_name(r.0.room), &on_mesh) }
            }
            if let Some(id) = mesh.state.room.filter(|_| mesh.state.part == Part::Call) {
                { mesh_grid(&mesh.state, &room_name(id), (mesh.can_share, mesh.can_record), &on_mesh) }
            } else if let Some(id) = watching.filter(|&id| Some(id) != room.as_ref().map(|r| r.id) && !friend_inline) {
                // Another conversation is open: the broadcast plays in a corner.
                { broadcast_view(&mesh.state, Shown { call: shown_call(id), room_name: &room_name(id), can: (mesh.can_share, mesh.can_record), inline: false }, &on_mesh) }
            }
            { player(&recordings) }
            <main class="pane">
                if let Some(friend) = friend {
                    { conversation(&ConversationProps {
                        thread: thread_of(&m, props.me.id, friend.conversation),
                        friend: friend.clone(),
                        on_back: bind(&m, |m, ()| m.close()),
                        on_remove: bind(&m, |m, id| { m.close(); m.remove(id) }),
                        in_call: *in_call,
                        on_call: {
                            let (call, peer) = (call.clone(), friend.user.clone());
                            Callback::from(move |kind| call.start(peer.clone(), kind))
                        },
                        confirming: panel == 1,
                        on_confirming: on_panel.reform(u8::from),
                        live: if friend_inline {
                            let shown = Shown { call: shown_call(FRIENDS_STAGE), room_name: "", can: (mesh.can_share, mesh.can_record), inline: true };
                            broadcast_view(&mesh.state, shown, &on_mesh)
                        } else {
                            friend_live_bar(&friend.user, m.friends.live_of(friend.user.id), &mesh.state, &on_mesh)
                        },
                    }) }
                } else if let Some(room) = room {
                    { room_view(&RoomViewProps {
                        thread: thread_of(&m, props.me.id, room.id),
                        call_bar: if watching == Some(room.id) {
                            // In the room: the picture above its chat.
                            let shown = Shown { call: m.rooms.call(room.id), room_name: &room.name, can: (mesh.can_share, mesh.can_record), inline: true };
                            broadcast_view(&mesh.state, shown, &on_mesh)
                        } else {
                            call_bar((&room, props.me.id), m.rooms.call(room.id), &mesh.state, &on_mesh)
                        },
                        room,
                        friends: friend_users,
                        on_back: bind(&m, |m, ()| m.close()),
                        on_add: bind(&m, |m, (room, user)| m.add_member(room, user)),
                        on_remove: bind(&m, |m, (room, user)| m.remove_member(room, user)),
                        on_leave: bind(&m, |m, room| m.leave_room(room)),
                        on_rename: bind(&m, |m, (room, name)| m.rename_room(room, name)),
                        panel,
                        on_panel,
                        key,
                        on_key,
                    }) }
                } else {
                    <p class="placeholder">{ "Choose a friend or a room to start chatting." }</p>
                }
            </main>
        </div>
    }
}
