//! The board's live stream (server-sent events). The database is the only truth: the stream
//! re-reads the counts on every vote made through this process (an in-process signal, so
//! the board moves at once) and at least every [`POLL`] otherwise, so votes arriving through
//! another `erbij serve` process on the same PostgreSQL reach the board within that time.

use std::convert::Infallible;
use std::sync::OnceLock;
use std::time::Duration;

use axum::response::sse::Event;
use erbij_core::{Actor, LessonError, Platform};
use serde::Serialize;
use tokio::sync::broadcast;

/// The longest a change made through another process takes to reach the board.
pub const POLL: Duration = Duration::from_millis(700);

fn bus() -> &'static broadcast::Sender<i64> {
    static BUS: OnceLock<broadcast::Sender<i64>> = OnceLock::new();
    BUS.get_or_init(|| broadcast::channel(4096).0)
}

/// Tells this process's boards of a session that something changed.
pub fn notify(session: i64) {
    let _ = bus().send(session);
}

/// What the board shows live. Per-choice counts are not in it: the bars appear only when
/// the teacher reveals them (the page reloads then).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveState {
    pub session: i64,
    pub position: usize,
    pub dilemma_id: Option<i64>,
    pub phase: &'static str,
    pub ended: bool,
    pub joined: i64,
    pub votes: i64,
}

pub fn read_state(platform: &Platform, actor: &Actor, id: i64) -> Result<LiveState, LessonError> {
    let (session, _) = platform.dilemma_session(actor, id)?;
    let counts = platform.dilemma_live_counts(actor, id)?;
    let current = session.current_dilemma();
    let votes = counts
        .votes
        .iter()
        .find(|(d, _)| Some(*d) == current)
        .map_or(0, |(_, v)| *v);
    Ok(LiveState {
        session: id,
        position: session.position,
        dilemma_id: current,
        phase: session.phase.as_str(),
        ended: session.ended_at.is_some() || !session.is_live(platform.now()),
        joined: counts.joined,
        votes,
    })
}

struct Cursor {
    platform: Platform,
    actor: Actor,
    id: i64,
    last: Option<LiveState>,
    rx: broadcast::Receiver<i64>,
    done: bool,
}

/// The event stream for one board: one `state` event whenever what the board shows changed;
/// ends after the event that says the session ended.
pub fn stream(
    platform: Platform,
    actor: Actor,
    id: i64,
) -> impl futures_util::Stream<Item = Result<Event, Infallible>> {
    let cursor = Cursor {
        platform,
        actor,
        id,
        last: None,
        rx: bus().subscribe(),
        done: false,
    };
    futures_util::stream::unfold(cursor, |mut cursor| async move {
        if cursor.done {
            return None;
        }
        loop {
            let (platform, actor, id) = (cursor.platform.clone(), cursor.actor.clone(), cursor.id);
            let read = tokio::task::spawn_blocking(move || read_state(&platform, &actor, id)).await;
            match read {
                Ok(Ok(state)) if cursor.last.as_ref() != Some(&state) => {
                    cursor.done = state.ended;
                    let data = serde_json::to_string(&state).unwrap_or_default();
                    cursor.last = Some(state);
                    return Some((Ok(Event::default().event("state").data(data)), cursor));
                }
                Ok(Ok(_)) => {}
                // The session went away or the database failed: end the stream; the page's
                // refresh fallback takes over.
                _ => return None,
            }
            let deadline = tokio::time::sleep(POLL);
            tokio::pin!(deadline);
            loop {
                tokio::select! {
                    _ = &mut deadline => break,
                    got = cursor.rx.recv() => match got {
                        Ok(session) if session == cursor.id => break,
                        Ok(_) => continue,
                        Err(broadcast::error::RecvError::Lagged(_)) => break,
                        Err(broadcast::error::RecvError::Closed) => {
                            (&mut deadline).await;
                            break;
                        }
                    },
                }
            }
        }
    })
}
