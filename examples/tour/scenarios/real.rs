//! The scenarios that need real time: a real server on 127.0.0.1, a real
//! thread, a host loop on a thread of its own.

use super::{case, ms, real_only};
use crate::tour::adapters::{gui, server};
use crate::tour::case::Scenario;
use crate::tour::report::Outcome;
use crate::tour::report::Verdict::{Late, Never, OnTime};
use crate::tour::{blocking_db, blocking_http, host_loop, to_thread};
use blocking_http::{async_client, blocking_client};

/// These scenarios, in the tour's order.
pub fn all() -> Vec<Scenario> {
    vec![
        real_only(
            "blocking_db",
            blocking_db::ABOUT,
            vec![
                case(
                    "blocking client",
                    "handler -> load_profile() -> client.get(): 600 ms holding the loop",
                    (ms(200), ms(600)),
                    Never,
                    |_| {
                        Box::pin(async {
                            Outcome::of_fallible(blocking_db::blocking_query().await)
                        })
                    },
                ),
                case(
                    "async client",
                    "client.get().await: the loop runs on, the timeout fires",
                    (ms(200), ms(600)),
                    OnTime,
                    |_| Box::pin(async { Outcome::of_fallible(blocking_db::async_query().await) }),
                ),
                case(
                    "async client, blocking neighbour",
                    "a cache-warmer task's blocking get() holds the loop for 500 ms",
                    (ms(200), ms(600)),
                    Late,
                    |_| {
                        Box::pin(async {
                            let query = blocking_db::async_query_next_to_a_blocking_neighbour();
                            Outcome::of_fallible(query.await)
                        })
                    },
                ),
            ],
        ),
        real_only(
            "to_thread",
            to_thread::ABOUT,
            vec![
                case(
                    "inline",
                    "std::thread::sleep(600 ms) inside the task",
                    (ms(200), ms(600)),
                    Never,
                    |_| Box::pin(async { Outcome::of(to_thread::inline().await) }),
                ),
                case(
                    "spawn_blocking",
                    "the same sleep on a pool thread; the task awaits its JoinHandle",
                    (ms(200), ms(600)),
                    OnTime,
                    |_| {
                        Box::pin(async {
                            let (finished, _) = std::sync::mpsc::channel();
                            Outcome::of_fallible(to_thread::on_a_thread(finished).await)
                        })
                    },
                ),
            ],
        ),
        real_only(
            "blocking_http",
            blocking_http::ABOUT,
            vec![
                case(
                    "blocking client",
                    "std::net::TcpStream waits 600 ms for the server's reply, holding the loop",
                    (ms(200), ms(600)),
                    Never,
                    |_| Box::pin(async { Outcome::of_fallible(blocking_client(server()).await) }),
                ),
                case(
                    "async client",
                    "waitfor::net::TcpStream: the read gives the loop back, the timer fires",
                    (ms(200), ms(600)),
                    OnTime,
                    |_| Box::pin(async { Outcome::of_fallible(async_client(server()).await) }),
                ),
                case(
                    "spawn_blocking",
                    "the blocking client on a pool thread; the thread waits on for the reply",
                    (ms(200), ms(600)),
                    OnTime,
                    |_| {
                        Box::pin(async {
                            let (finished, _) = std::sync::mpsc::channel();
                            let on_a_thread =
                                blocking_http::blocking_client_on_a_thread(server(), finished);
                            Outcome::of_fallible(on_a_thread.await)
                        })
                    },
                ),
            ],
        ),
        real_only(
            "host_loop",
            host_loop::ABOUT,
            vec![
                case(
                    "turns between frames",
                    "the GUI runs its own loop on a thread, a frame every 250 ms",
                    (ms(100), ms(600)),
                    Late,
                    |_| Box::pin(async { Outcome::of_fallible(gui(false).await) }),
                ),
                case(
                    "a turn at next_deadline()",
                    "the GUI also wakes when the executor's next timer is due",
                    (ms(100), ms(600)),
                    OnTime,
                    |_| Box::pin(async { Outcome::of_fallible(gui(true).await) }),
                ),
            ],
        ),
    ]
}
