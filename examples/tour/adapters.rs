//! The few lessons that need more than a call to run on the tour's executor.
//!
//! `blocking_http`'s clients each need a fresh server, which answers one
//! request. `host_loop` cannot run inside the tour's executor at all: its
//! GUI loop owns the thread and drives an executor of its own with
//! `Executor::turn`, and a turn inside a running executor is refused. So the
//! tour runs the host on a pool thread (`spawn_blocking`), with its own
//! executor on the real clock, and awaits it: the tour's timeline shows that
//! one blocking job, and the outcome is the host's.

use super::{blocking_http, host_loop};
use std::net::SocketAddr;
use waitfor::demo::Clock;
use waitfor::{spawn_blocking, Elapsed, JoinError};

/// A fresh slow server for one request of `blocking_http`.
pub fn server() -> SocketAddr {
    blocking_http::slow_server().expect("a loopback port")
}

/// `host_loop`'s GUI, on a thread of its own.
pub async fn gui(honours_deadlines: bool) -> Result<Result<(), JoinError>, Elapsed> {
    let host = spawn_blocking(move || {
        let executor = Clock::Real.builder().diagnostics(true).build();
        host_loop::under_a_gui(Clock::Real, executor, honours_deadlines)
    });
    match host.await {
        Ok(outcome) => outcome.map(Ok),
        Err(join_error) => Ok(Err(join_error)),
    }
}
