//! Async TCP on the executor's reactor: [`TcpListener`] and [`TcpStream`].
//!
//! These are the "async client" of the write-up: the same socket calls as
//! `std::net`, made non-blocking. A call the system cannot complete at once
//! (`WouldBlock`) does not hold the thread: it files the task's waker with
//! the reactor and returns `Pending`, so the loop goes on to run other tasks
//! and fire timers, and a `wait_for` around a read that never comes fires on
//! time. The blocking client, `std::net::TcpStream`, holds the loop for as
//! long as the server takes, and starves every timer meanwhile.
//!
//! ```
//! use waitfor_executor::net::{TcpListener, TcpStream};
//! use waitfor_executor::{spawn, Executor};
//!
//! let echoed = Executor::new().block_on(async {
//!     let mut listener = TcpListener::bind("127.0.0.1:0")?;
//!     let address = listener.local_addr()?;
//!     let server = spawn(async move {
//!         let (mut peer, _) = listener.accept().await?;
//!         let mut buffer = [0; 5];
//!         let read = peer.read(&mut buffer).await?;
//!         peer.write_all(&buffer[..read]).await
//!     });
//!     let mut client = TcpStream::connect(address).await?;
//!     client.write_all(b"hello").await?;
//!     let mut reply = Vec::new();
//!     client.read_to_end(&mut reply).await?;
//!     server.await.expect("the server task ran")?;
//!     std::io::Result::Ok(reply)
//! });
//! assert_eq!(echoed.unwrap(), b"hello");
//! ```
//!
//! A socket belongs to the executor it was created in, and is used from that
//! executor's tasks (it is not `Send`). Reads and writes take `&mut self`:
//! the reactor files one waiter per socket and direction, and `&mut` makes
//! a second, concurrent reader (whose wake-up would replace the first's)
//! impossible rather than a lost wake-up.

mod listener;
mod stream;

pub use listener::TcpListener;
pub use stream::TcpStream;

use std::io;
use std::net::{SocketAddr, ToSocketAddrs};

/// Tries `attempt` on each address `addresses` resolves to, in order, and
/// returns the first success or the last error.
fn each_address<T>(
    addresses: impl ToSocketAddrs,
    mut attempt: impl FnMut(SocketAddr) -> io::Result<T>,
) -> io::Result<T> {
    let mut last_error = None;
    for address in addresses.to_socket_addrs()? {
        match attempt(address) {
            Ok(done) => return Ok(done),
            Err(error) => last_error = Some(error),
        }
    }
    Err(last_error.unwrap_or_else(no_address))
}

/// The error for an address that resolves to nothing.
fn no_address() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        "the address resolved to no socket address",
    )
}
