//! The write-up's redis story: a blocking database client next to an async
//! one. A 600 ms query under a 200 ms timeout, through each client; then
//! through the async client while a neighbour task uses the blocking one.
//!
//! Watch for: through the blocking client (called from a plain helper, so
//! nothing in the handler looks blocking) the query returns `Ok` at 600 ms,
//! and the timeout was never filed. Through the async client it times out
//! on time. The third case is the sneaky one: the query is async and
//! innocent, yet its timeout fires 300 ms late, because the neighbour's
//! blocking call held the loop for 500 ms; with `.diagnostics(true)` the
//! `Elapsed` names the culprit, `cache-warmer`. `--virtual` runs it at once,
//! with exact times. The queries are `pub` because the tour runs them too.

use std::time::Duration;
use waitfor::demo::Clock;
use waitfor::{now, sleep, task, wait_for, Elapsed};

/// What this example shows: its `--help`, and its heading in the tour.
pub const ABOUT: &str = "a blocking database client next to an async one";

/// A client whose `get` blocks the calling thread (a redis client without
/// asyncio support).
pub struct BlockingClient {
    pub clock: Clock,
    pub latency: Duration,
}

impl BlockingClient {
    pub fn get(&self, key: &str) -> String {
        self.clock.block(self.latency); // waits for the reply, holding the loop
        format!("{key}=alice")
    }
}

/// A synchronous helper between the handler and the client: the write-up's
/// "chain of blockages". Nothing in the handler looks blocking.
fn load_profile(client: &BlockingClient, user: u32) -> String {
    client.get(&format!("user:{user}"))
}

/// A client whose `get` awaits the reply, giving the loop back.
pub async fn async_get(key: &str, latency: Duration) -> String {
    sleep(latency).await;
    format!("{key}=alice")
}

const QUERY: Duration = Duration::from_millis(600);
const TIMEOUT: Duration = Duration::from_millis(200);

/// The handler, through the blocking client.
pub async fn blocking_query(clock: Clock) -> Result<String, Elapsed> {
    let client = BlockingClient {
        clock,
        latency: QUERY,
    };
    wait_for(async { load_profile(&client, 42) }, TIMEOUT).await
}

/// The handler, through the async client.
pub async fn async_query() -> Result<String, Elapsed> {
    wait_for(async_get("user:42", QUERY), TIMEOUT).await
}

/// The async handler, while a task named `cache-warmer` makes a 500 ms
/// call through the blocking client.
pub async fn async_query_next_to_a_blocking_neighbour(clock: Clock) -> Result<String, Elapsed> {
    let warmer = BlockingClient {
        clock,
        latency: Duration::from_millis(500),
    };
    let _warmer = task::Builder::new()
        .name("cache-warmer")
        .spawn(async move { warmer.get("user:7") });
    async_query().await
}

fn main() {
    let clock = Clock::from_args(ABOUT);
    for case in [
        "blocking client",
        "async client",
        "async client, blocking neighbour",
    ] {
        let executor = clock.builder().diagnostics(true).build();
        let (result, took) = executor.block_on(async {
            let start = now();
            let result = match case {
                "blocking client" => blocking_query(clock).await,
                "async client" => async_query().await,
                _ => async_query_next_to_a_blocking_neighbour(clock).await,
            };
            (result, now() - start)
        });
        match result {
            Ok(profile) => println!("{case}: Ok({profile:?}) after {took:?}"),
            Err(elapsed) => println!("{case}: Err after {took:?}: {elapsed}"),
        }
    }
}
