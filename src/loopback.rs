//! The scenery of the scenarios on real sockets: a server on 127.0.0.1 that
//! answers one request, slowly.
//!
//! The lesson of `blocking_http` and `blocking_db` is in their clients; the
//! server only has to be slow, the way a real database or web service is on
//! a bad day. So it is plain `std::net` on a thread of its own, outside any
//! executor: it reads one request (up to a terminator, such as the blank
//! line that ends an HTTP request's head), waits, answers, and stops. A
//! client that has hung up by then (the async one, after its timeout) makes
//! the answer fail, which the server ignores: it stops all the same.
//!
//! ```
//! use std::io::{Read, Write};
//! use std::time::Duration;
//!
//! let address = waitfor::loopback::serve_once(Duration::ZERO, b"\n", |request| {
//!     request.to_ascii_uppercase()
//! })?;
//! let mut client = std::net::TcpStream::connect(address)?;
//! client.write_all(b"hello\n")?;
//! let mut reply = String::new();
//! client.read_to_string(&mut reply)?;
//! assert_eq!(reply, "HELLO\n");
//! # std::io::Result::Ok(())
//! ```

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::thread;
use std::time::Duration;

/// Starts a server on a free loopback port, and returns its address. Its
/// thread accepts one connection, reads until the request ends with
/// `terminator` (or the client closes), sleeps `delay`, writes
/// `answer(request)` and closes the connection, which is the reply's end.
///
/// Every scenario connects right after starting it; a server nobody
/// connects to waits in `accept` until the process ends.
pub fn serve_once(
    delay: Duration,
    terminator: &'static [u8],
    answer: impl FnOnce(&[u8]) -> Vec<u8> + Send + 'static,
) -> io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    thread::spawn(move || -> io::Result<()> {
        let (mut client, _) = listener.accept()?;
        let mut request = Vec::new();
        let mut byte = [0];
        while !request.ends_with(terminator) && client.read(&mut byte)? == 1 {
            request.push(byte[0]);
        }
        thread::sleep(delay);
        client.write_all(&answer(&request))
    });
    Ok(address)
}
