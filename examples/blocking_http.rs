//! The write-up's central story on a real socket: a blocking HTTP client
//! ignores the timeout, an async one honours it. A server on 127.0.0.1
//! (`waitfor::loopback`, one request per case) answers after 600 ms; the
//! timeout is 200 ms. Real clock only: the server's delay is real.
//!
//! Watch for: the blocking client (`std::net::TcpStream`, the `requests` of
//! Rust) returns `Ok` at 600 ms: its read held the loop, so the timer never
//! had a chance. The async client (`waitfor::net::TcpStream`) gives the loop
//! back while it waits: the timeout fires at 200 ms, dropping the
//! connection. The blocking client on a pool thread (`spawn_blocking`)
//! times out on time too, but the thread runs on to the reply.

use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use waitfor::demo::Clock;
use waitfor::{loopback, net, spawn_blocking, wait_for, Elapsed, JoinError};

/// What this example shows: its `--help`, and its heading in the tour.
pub const ABOUT: &str = "a blocking HTTP client and an async one, on a real socket";

const SERVER_DELAY: Duration = Duration::from_millis(600);
const TIMEOUT: Duration = Duration::from_millis(200);
const REQUEST: &[u8] = b"GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
const REPLY: &[u8] = b"HTTP/1.1 200 OK\r\n\r\n"; // no body: the server closes after it

/// Starts a server that answers one request after [`SERVER_DELAY`].
pub fn slow_server() -> io::Result<SocketAddr> {
    loopback::serve_once(SERVER_DELAY, b"\r\n\r\n", |_| REPLY.to_vec())
}

/// The reply: a status line.
fn status(reply: &[u8]) -> String {
    String::from_utf8_lossy(reply).trim_end().into()
}

/// `requests.get(url)`: blocks the calling thread until the reply is in.
fn blocking_get(address: SocketAddr) -> io::Result<String> {
    let mut socket = std::net::TcpStream::connect(address)?;
    socket.write_all(REQUEST)?;
    let mut reply = Vec::new();
    socket.read_to_end(&mut reply)?;
    Ok(status(&reply))
}

/// The same request on waitfor's reactor: every wait gives the loop back.
async fn async_get(address: SocketAddr) -> io::Result<String> {
    let mut socket = net::TcpStream::connect(address).await?;
    socket.write_all(REQUEST).await?;
    let mut reply = Vec::new();
    socket.read_to_end(&mut reply).await?;
    Ok(status(&reply))
}

pub async fn blocking_client(address: SocketAddr) -> Result<io::Result<String>, Elapsed> {
    wait_for(async { blocking_get(address) }, TIMEOUT).await
}

pub async fn async_client(address: SocketAddr) -> Result<io::Result<String>, Elapsed> {
    wait_for(async_get(address), TIMEOUT).await
}

/// The blocking client on a pool thread; `finished` hears when it is done.
pub async fn blocking_client_on_a_thread(
    address: SocketAddr,
    finished: mpsc::Sender<Instant>,
) -> Result<Result<io::Result<String>, JoinError>, Elapsed> {
    let job = spawn_blocking(move || {
        let reply = blocking_get(address);
        let _ = finished.send(Instant::now());
        reply
    });
    wait_for(job, TIMEOUT).await
}

fn report<T: std::fmt::Debug>(case: &str, run: impl FnOnce() -> Result<T, Elapsed>) -> Instant {
    let start = Instant::now();
    let outcome = run().map_err(|elapsed| elapsed.to_string());
    println!("{case}: {outcome:?} after {:?}", start.elapsed());
    start
}

fn main() {
    Clock::real_only(ABOUT, "the server's delay is real");
    let executor = waitfor::Executor::new();
    let server = || slow_server().expect("a loopback port");
    report("blocking", || executor.block_on(blocking_client(server())));
    report("async", || executor.block_on(async_client(server())));
    let (finished, thread_done) = mpsc::channel();
    let on_a_thread = blocking_client_on_a_thread(server(), finished);
    let start = report("spawn_blocking", || executor.block_on(on_a_thread));
    if let Ok(at) = thread_done.recv() {
        println!("the thread got its reply {:?} in; dropped", at - start);
    }
}
