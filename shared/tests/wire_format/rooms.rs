//! Golden JSON: rooms.

use super::*;
use hearth_shared::rooms::{ClientRooms, Room, ServerRooms};

#[test]
fn client_rooms() {
    let cases = [
        (
            ClientRooms::Create {
                req_id: ReqId(1),
                name: "Trip".into(),
                members: vec![UserId(2), UserId(3)],
            },
            json!({"domain":"rooms","type":"create","req_id":1,"name":"Trip","members":[2,3]}),
        ),
        (
            ClientRooms::Add {
                req_id: ReqId(2),
                room: ConversationId(7),
                user: UserId(4),
            },
            json!({"domain":"rooms","type":"add","req_id":2,"room":7,"user":4}),
        ),
        (
            ClientRooms::Remove {
                req_id: ReqId(3),
                room: ConversationId(7),
                user: UserId(4),
            },
            json!({"domain":"rooms","type":"remove","req_id":3,"room":7,"user":4}),
        ),
        (
            ClientRooms::Rename {
                req_id: ReqId(4),
                room: ConversationId(7),
                name: "Trip 2".into(),
            },
            json!({"domain":"rooms","type":"rename","req_id":4,"room":7,"name":"Trip 2"}),
        ),
        (
            ClientRooms::Leave {
                req_id: ReqId(5),
                room: ConversationId(7),
            },
            json!({"domain":"rooms","type":"leave","req_id":5,"room":7}),
        ),
    ];
    for (msg, wire) in cases {
        golden(ClientMsg::Rooms(msg), wire);
    }
}

#[test]
fn server_rooms() {
    golden(
        ServerMsg::Rooms(ServerRooms::Rooms {
            rooms: vec![Room {
                id: ConversationId(7),
                name: "Trip".into(),
                owner: UserId(1),
                members: vec![alice()],
                last_seq: Seq(3),
                unread: 1,
            }],
        }),
        json!({"domain":"rooms","type":"rooms","rooms":[{"id":7,"name":"Trip","owner":1,
               "members":[{"id":1,"username":"alice"}],"last_seq":3,"unread":1}]}),
    );
}
