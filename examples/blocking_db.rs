//! The write-up's redis story on a real socket: a blocking database client
//! next to an async one. A key-value server on 127.0.0.1 (`waitfor::loopback`)
//! takes 600 ms per query; the timeout is 200 ms. Real clock only.
//!
//! Watch for: through the blocking client (called from a plain helper, so
//! nothing in the handler looks blocking) the query returns `Ok` at 600 ms,
//! and the timeout was never filed. Through the async client it times out
//! on time. The third case is the sneaky one: the async query is innocent,
//! yet its timeout fires 300 ms late, because a neighbour task's blocking
//! call held the loop for 500 ms; with `.diagnostics(true)` the `Elapsed`
//! names the culprit, `cache-warmer`. The queries are `pub` for the tour.

use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use waitfor::demo::Clock;
use waitfor::{loopback, net, task, wait_for, Elapsed};

/// What this example shows: its `--help`, and its heading in the tour.
pub const ABOUT: &str = "a blocking database client next to an async one";

const QUERY: Duration = Duration::from_millis(600);
const TIMEOUT: Duration = Duration::from_millis(200);

/// A server that answers one `GET key` line with `key=alice`, after `latency`.
fn database(latency: Duration) -> SocketAddr {
    loopback::serve_once(latency, b"\n", |request| {
        let key = String::from_utf8_lossy(request).trim().replace("GET ", "");
        format!("{key}=alice\n").into_bytes()
    })
    .expect("a loopback port")
}

/// A client whose `get` blocks the thread (a redis client without asyncio).
pub struct BlockingClient(SocketAddr);

impl BlockingClient {
    pub fn get(&self, key: &str) -> io::Result<String> {
        let mut socket = std::net::TcpStream::connect(self.0)?;
        socket.write_all(format!("GET {key}\n").as_bytes())?;
        let mut reply = String::new();
        socket.read_to_string(&mut reply)?; // holds the loop until the reply
        Ok(reply.trim_end().into())
    }
}

/// A plain helper between handler and client: the "chain of blockages".
fn load_profile(client: &BlockingClient, user: u32) -> io::Result<String> {
    client.get(&format!("user:{user}"))
}

/// A client whose `get` awaits the reply, giving the loop back.
pub async fn async_get(server: SocketAddr, key: &str) -> io::Result<String> {
    let mut socket = net::TcpStream::connect(server).await?;
    socket.write_all(format!("GET {key}\n").as_bytes()).await?;
    let mut reply = Vec::new();
    socket.read_to_end(&mut reply).await?;
    Ok(String::from_utf8_lossy(&reply).trim_end().into())
}

/// The handler, through the blocking client.
pub async fn blocking_query() -> Result<io::Result<String>, Elapsed> {
    let client = BlockingClient(database(QUERY));
    wait_for(async { load_profile(&client, 42) }, TIMEOUT).await
}

/// The handler, through the async client.
pub async fn async_query() -> Result<io::Result<String>, Elapsed> {
    wait_for(async_get(database(QUERY), "user:42"), TIMEOUT).await
}

/// The async handler, while a `cache-warmer` task makes a 500 ms blocking call.
pub async fn async_query_next_to_a_blocking_neighbour() -> Result<io::Result<String>, Elapsed> {
    let warmer = BlockingClient(database(Duration::from_millis(500)));
    let _warmer = task::Builder::new()
        .name("cache-warmer")
        .spawn(async move { warmer.get("user:7") });
    async_query().await
}

fn main() {
    Clock::real_only(ABOUT, "the server's delay is real");
    for case in [
        "blocking client",
        "async client",
        "async client, blocking neighbour",
    ] {
        let executor = waitfor::Executor::builder().diagnostics(true).build();
        let start = Instant::now();
        let result = executor.block_on(async {
            match case {
                "blocking client" => blocking_query().await,
                "async client" => async_query().await,
                _ => async_query_next_to_a_blocking_neighbour().await,
            }
        });
        let result = result.map_err(|elapsed| elapsed.to_string());
        println!("{case}: {result:?} after {:?}", start.elapsed());
    }
}
