//! A TCP listener whose `accept` waits on the reactor instead of the thread.

use super::{each_address, TcpStream};
use crate::io::{Direction, Registered};
use std::fmt;
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};

/// A TCP socket that accepts connections, without blocking the loop.
pub struct TcpListener {
    inner: Registered<mio::net::TcpListener>,
}

impl TcpListener {
    /// Binds to `address` (port 0 picks a free one; see
    /// [`local_addr`](Self::local_addr)) and listens. An address in use is an
    /// `io::Error` of kind `AddrInUse`.
    ///
    /// # Panics
    /// Outside an executor: the listener registers with its reactor.
    pub fn bind(address: impl ToSocketAddrs) -> io::Result<TcpListener> {
        let listener = each_address(address, std::net::TcpListener::bind)?;
        listener.set_nonblocking(true)?;
        let inner = Registered::new(
            "TcpListener::bind",
            mio::net::TcpListener::from_std(listener),
        )?;
        Ok(TcpListener { inner })
    }

    /// Waits for the next connection; the loop runs meanwhile.
    pub async fn accept(&mut self) -> io::Result<(TcpStream, SocketAddr)> {
        let (stream, peer) = self
            .inner
            .io(Direction::Read, mio::net::TcpListener::accept)
            .await?;
        Ok((TcpStream::from_mio(stream)?, peer))
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.get_ref().local_addr()
    }
}

impl fmt::Debug for TcpListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpListener")
            .field("local_addr", &self.local_addr().ok())
            .finish()
    }
}
