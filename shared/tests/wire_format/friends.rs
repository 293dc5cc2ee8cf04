//! Golden JSON: friend requests and the roster.

use super::*;

#[test]
fn client_friends() {
    golden(
        ClientMsg::Friends(ClientFriends::Request {
            req_id: ReqId(1),
            username: "bob".into(),
        }),
        json!({"domain":"friends","type":"request","req_id":1,"username":"bob"}),
    );
    let by_user = [
        (
            "accept",
            ClientFriends::Accept {
                req_id: ReqId(2),
                user: UserId(9),
            },
        ),
        (
            "decline",
            ClientFriends::Decline {
                req_id: ReqId(2),
                user: UserId(9),
            },
        ),
        (
            "cancel",
            ClientFriends::Cancel {
                req_id: ReqId(2),
                user: UserId(9),
            },
        ),
        (
            "remove",
            ClientFriends::Remove {
                req_id: ReqId(2),
                user: UserId(9),
            },
        ),
    ];
    for (tag, msg) in by_user {
        golden(
            ClientMsg::Friends(msg),
            json!({"domain":"friends","type":tag,"req_id":2,"user":9}),
        );
    }
}

#[test]
fn server_friends() {
    golden(
        ServerMsg::Friends(ServerFriends::Roster(Roster {
            friends: vec![Friend {
                user: alice(),
                online: true,
                conversation: ConversationId(7),
                last_seq: Seq(12),
                unread: 3,
            }],
            incoming: vec![alice()],
            outgoing: vec![],
        })),
        json!({"domain":"friends","type":"roster",
               "friends":[{"user":{"id":1,"username":"alice"},"online":true,
                           "conversation":7,"last_seq":12,"unread":3}],
               "incoming":[{"id":1,"username":"alice"}],"outgoing":[]}),
    );
    golden(
        ServerMsg::Friends(ServerFriends::Presence {
            user: UserId(1),
            online: false,
        }),
        json!({"domain":"friends","type":"presence","user":1,"online":false}),
    );
}
