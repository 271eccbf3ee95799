//! `blocking_http` on tokio: an HTTP server on 127.0.0.1 that answers after
//! 600 ms, asked under a 200 ms `timeout` by a blocking client inline
//! (`std::net::TcpStream`), by an async one (`tokio::net::TcpStream`), and
//! by the blocking client on a thread (`spawn_blocking`).
//!
//! The server is the example's own, `waitfor::loopback::serve_once` (a
//! `std::net` thread outside any runtime, one request, then it stops), so
//! both peers meet the same server. Its delay is real, so these cases run
//! on the real clock and their times are rounded down to 100 ms. Dropping
//! the runtime after the `spawn_blocking` case waits for its thread, which
//! gets its reply at 600 ms: every case is over when the function returns.

use super::{observe_fallible, on_real_clock};
use crate::observation::Observation;
use std::io::{self, Read as _, Write as _};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::task::spawn_blocking;

const SERVER_DELAY: Duration = Duration::from_millis(600);
const TIMEOUT: Duration = Duration::from_millis(200);
const REQUEST: &[u8] = b"GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
const REPLY: &[u8] = b"HTTP/1.1 200 OK\r\n\r\n";

fn slow_server() -> SocketAddr {
    waitfor::loopback::serve_once(SERVER_DELAY, b"\r\n\r\n", |_| REPLY.to_vec())
        .expect("a loopback port")
}

/// The request on a blocking socket: the thread waits for the reply.
fn blocking_get(address: SocketAddr) -> io::Result<Vec<u8>> {
    let mut socket = std::net::TcpStream::connect(address)?;
    socket.write_all(REQUEST)?;
    let mut reply = Vec::new();
    socket.read_to_end(&mut reply)?;
    Ok(reply)
}

/// The same request on tokio's reactor: each wait gives the runtime back.
async fn async_get(address: SocketAddr) -> io::Result<Vec<u8>> {
    let mut socket = tokio::net::TcpStream::connect(address).await?;
    socket.write_all(REQUEST).await?;
    let mut reply = Vec::new();
    socket.read_to_end(&mut reply).await?;
    Ok(reply)
}

/// The three clients, each against a server of its own.
pub fn blocking_http() -> Vec<Observation> {
    vec![
        on_real_clock(async {
            let address = slow_server();
            let inline = async { blocking_get(address) };
            observe_fallible("blocking client", TIMEOUT, inline).await
        }),
        on_real_clock(async {
            let address = slow_server();
            observe_fallible("async client", TIMEOUT, async_get(address)).await
        }),
        on_real_clock(async {
            let address = slow_server();
            let job = spawn_blocking(move || blocking_get(address));
            observe_fallible("blocking client on a thread", TIMEOUT, job).await
        }),
    ]
}
