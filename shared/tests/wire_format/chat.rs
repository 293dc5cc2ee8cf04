//! Golden JSON: messages, history and read marks.

use super::*;

#[test]
fn client_chat() {
    golden(
        ClientMsg::Chat(ClientChat::Post {
            req_id: ReqId(5),
            conversation: ConversationId(7),
            client_id: ClientMsgId("c-1".into()),
            text: "hello".into(),
        }),
        json!({"domain":"chat","type":"post","req_id":5,"conversation":7,
               "client_id":"c-1","text":"hello"}),
    );
    golden(
        ClientMsg::Chat(ClientChat::Sync {
            req_id: ReqId(6),
            cursors: vec![Cursor {
                conversation: ConversationId(7),
                after: Seq(10),
            }],
        }),
        json!({"domain":"chat","type":"sync","req_id":6,
               "cursors":[{"conversation":7,"after":10}]}),
    );
    golden(
        ClientMsg::Chat(ClientChat::History {
            req_id: ReqId(8),
            conversation: ConversationId(7),
            before: Some(Seq(40)),
            limit: 50,
        }),
        json!({"domain":"chat","type":"history","req_id":8,"conversation":7,
               "before":40,"limit":50}),
    );
    golden(
        ClientMsg::Chat(ClientChat::Typing {
            conversation: ConversationId(7),
        }),
        json!({"domain":"chat","type":"typing","conversation":7}),
    );
    golden(
        ClientMsg::Chat(ClientChat::Delivered {
            conversation: ConversationId(7),
            seq: Seq(3),
        }),
        json!({"domain":"chat","type":"delivered","conversation":7,"seq":3}),
    );
    golden(
        ClientMsg::Chat(ClientChat::Read {
            conversation: ConversationId(7),
            seq: Seq(3),
        }),
        json!({"domain":"chat","type":"read","conversation":7,"seq":3}),
    );
}

#[test]
fn history_without_before_omits_it() {
    golden(
        ClientMsg::Chat(ClientChat::History {
            req_id: ReqId(8),
            conversation: ConversationId(7),
            before: None,
            limit: 50,
        }),
        json!({"domain":"chat","type":"history","req_id":8,"conversation":7,"limit":50}),
    );
}

#[test]
fn server_chat() {
    let wire_message = json!({"conversation":7,"seq":3,"author":1,"client_id":"c-1",
                              "text":"hi <b>","sent_at_ms":1_790_000_000_000_u64});
    golden(
        ServerMsg::Chat(ServerChat::Posted { message: message() }),
        json!({"domain":"chat","type":"posted","message":wire_message}),
    );
    golden(
        ServerMsg::Chat(ServerChat::Page {
            req_id: ReqId(8),
            conversation: ConversationId(7),
            messages: vec![message()],
            has_more: false,
        }),
        json!({"domain":"chat","type":"page","req_id":8,"conversation":7,
               "messages":[wire_message],"has_more":false}),
    );
    golden(
        ServerMsg::Chat(ServerChat::Typing {
            conversation: ConversationId(7),
            user: UserId(1),
        }),
        json!({"domain":"chat","type":"typing","conversation":7,"user":1}),
    );
    golden(
        ServerMsg::Chat(ServerChat::Marks {
            conversation: ConversationId(7),
            user: UserId(1),
            delivered: Seq(5),
            read: Seq(4),
        }),
        json!({"domain":"chat","type":"marks","conversation":7,"user":1,
               "delivered":5,"read":4}),
    );
}
