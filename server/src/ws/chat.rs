//! The `chat` domain on a connection: post, catch up, history, typing and marks.
//! Every command re-checks membership and friendship in the store.

use super::ctx::Ctx;
use super::reply::Refusal;
use hearth_shared::chat::{ClientChat, Cursor, ServerChat};
use hearth_shared::session::ErrorCode;
use hearth_shared::{ClientMsgId, ConversationId, ReqId, Seq, ServerMsg, MAX_MESSAGE_CHARS};

/// Messages fetched per database round trip while catching up.
const SYNC_BATCH: u32 = 200;
/// The largest history page.
const MAX_PAGE: u32 = 100;

/// Handles one chat command; false if the connection is gone.
pub async fn handle(ctx: &Ctx, cmd: ClientChat) -> bool {
    match cmd {
        ClientChat::Post {
            req_id,
            conversation,
            client_id,
            text,
        } => post(ctx, req_id, conversation, client_id, text).await,
        ClientChat::Sync { req_id, cursors } => sync(ctx, req_id, cursors).await,
        ClientChat::History {
            req_id,
            conversation,
            before,
            limit,
        } => history(ctx, req_id, conversation, before, limit).await,
        ClientChat::Typing { conversation } => typing(ctx, conversation).await,
        ClientChat::Delivered { conversation, seq } => mark(ctx, conversation, seq, Seq(0)).await,
        ClientChat::Read { conversation, seq } => mark(ctx, conversation, seq, seq).await,
    }
}

fn check_post(client_id: &ClientMsgId, text: &str) -> Result<(), Refusal> {
    if !client_id.is_valid() {
        return Err(Refusal::new(
            ErrorCode::Invalid,
            "client_id must be 1-64 letters, digits, - or _",
        ));
    }
    if text.trim().is_empty() {
        return Err(Refusal::new(
            ErrorCode::Invalid,
            "a message cannot be empty",
        ));
    }
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(Refusal(
            ErrorCode::Invalid,
            format!("a message is at most {MAX_MESSAGE_CHARS} characters"),
        ));
    }
    Ok(())
}

async fn post(
    ctx: &Ctx,
    req_id: ReqId,
    conv: ConversationId,
    client_id: ClientMsgId,
    text: String,
) -> bool {
    if let Err(r) = check_post(&client_id, &text) {
        return ctx.reply.answer(req_id, Err(r)).await;
    }
    match ctx
        .state
        .store
        .post(ctx.user.id, conv, client_id, text)
        .await
    {
        Ok(out) => {
            let posted = ServerMsg::Chat(ServerChat::Posted {
                message: out.message,
            });
            if out.is_new {
                ctx.state.hub.send_to(&with_me(ctx, out.others), &posted);
            } else if !ctx.reply.send(posted).await {
                return false;
            }
            ctx.reply.answer(req_id, Ok(())).await
        }
        Err(e) => ctx.reply.answer(req_id, Err(e.into())).await,
    }
}

/// One cursor per conversation, the earliest: a conversation listed many times is replayed
/// once (one 64 KiB frame could otherwise ask for the same messages two thousand times).
fn merged(cursors: Vec<Cursor>) -> Vec<Cursor> {
    let mut earliest = std::collections::BTreeMap::new();
    for c in cursors {
        earliest
            .entry(c.conversation)
            .and_modify(|a: &mut Seq| *a = (*a).min(c.after))
            .or_insert(c.after);
    }
    earliest
        .into_iter()
        .map(|(conversation, after)| Cursor {
            conversation,
            after,
        })
        .collect()
}

async fn sync(ctx: &Ctx, req_id: ReqId, cursors: Vec<Cursor>) -> bool {
    for Cursor {
        conversation,
        mut after,
    } in merged(cursors)
    {
        loop {
            let batch = match ctx
                .state
                .store
                .messages_after(ctx.user.id, conversation, after, SYNC_BATCH)
                .await
            {
                Ok(b) => b,
                Err(e) => return ctx.reply.answer(req_id, Err(e.into())).await,
            };
            let full = batch.len() as u32 == SYNC_BATCH;
            for message in batch {
                after = message.seq;
                if !ctx.reply.send(ServerChat::Posted { message }).await {
                    return false;
                }
            }
            if !full {
                break;
            }
        }
    }
    ctx.reply.answer(req_id, Ok(())).await
}

async fn history(
    ctx: &Ctx,
    req_id: ReqId,
    conv: ConversationId,
    before: Option<Seq>,
    limit: u32,
) -> bool {
    let limit = limit.clamp(1, MAX_PAGE);
    match ctx
        .state
        .store
        .history(ctx.user.id, conv, before, limit)
        .await
    {
        Ok((messages, has_more)) => {
            ctx.reply
                .send(ServerChat::Page {
                    req_id,
                    conversation: conv,
                    messages,
                    has_more,
                })
                .await
        }
        Err(e) => ctx.reply.answer(req_id, Err(e.into())).await,
    }
}

async fn typing(ctx: &Ctx, conv: ConversationId) -> bool {
    match ctx.state.store.audience(ctx.user.id, conv).await {
        Ok(others) => {
            let msg = ServerMsg::Chat(ServerChat::Typing {
                conversation: conv,
                user: ctx.user.id,
            });
            ctx.state.hub.send_to(&others, &msg);
            true
        }
        Err(e) => ctx.reply.error(None, e.into()).await,
    }
}

async fn mark(ctx: &Ctx, conv: ConversationId, delivered: Seq, read: Seq) -> bool {
    match ctx
        .state
        .store
        .mark(ctx.user.id, conv, delivered, read)
        .await
    {
        Ok(m) if m.moved => {
            let msg = ServerMsg::Chat(ServerChat::Marks {
                conversation: conv,
                user: ctx.user.id,
                delivered: m.delivered,
                read: m.read,
            });
            ctx.state.hub.send_to(&with_me(ctx, m.others), &msg);
            true
        }
        Ok(_) => true,
        Err(e) => ctx.reply.error(None, e.into()).await,
    }
}

/// `others` and this connection's user: everyone who sees a change in a conversation.
fn with_me(ctx: &Ctx, mut others: Vec<hearth_shared::UserId>) -> Vec<hearth_shared::UserId> {
    others.push(ctx.user.id);
    others
}

/// Sends this connection every member's marks in all its conversations.
pub async fn send_marks(ctx: &Ctx) -> bool {
    let Ok(marks) = ctx.state.store.marks_for(ctx.user.id).await else {
        return true;
    };
    for (conversation, user, delivered, read) in marks {
        if !ctx
            .reply
            .send(ServerChat::Marks {
                conversation,
                user,
                delivered,
                read,
            })
            .await
        {
            return false;
        }
    }
    true
}
