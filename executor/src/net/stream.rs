//! A TCP connection whose reads and writes wait on the reactor.
//!
//! `connect` is non-blocking too: the system starts the handshake and the
//! socket becomes writable when it is over, for better or worse. Then the
//! socket's pending error (`take_error`) says whether it failed (refused,
//! say), and `peer_addr` whether it is really connected yet.

use super::no_address;
use crate::io::{Direction, Registered};
use std::fmt;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, ToSocketAddrs};

/// A TCP connection, whose operations give the loop back while they wait.
pub struct TcpStream {
    inner: Registered<mio::net::TcpStream>,
}

impl TcpStream {
    /// Connects to `address`, trying each address it resolves to. A refused
    /// connection is an `io::Error` of kind `ConnectionRefused`.
    ///
    /// # Panics
    /// Outside an executor: the stream registers with its reactor.
    pub async fn connect(address: impl ToSocketAddrs) -> io::Result<TcpStream> {
        let mut last_error = None;
        for address in address.to_socket_addrs()? {
            match Self::connect_to(address).await {
                Ok(stream) => return Ok(stream),
                Err(error) => last_error = Some(error),
            }
        }
        Err(last_error.unwrap_or_else(no_address))
    }

    async fn connect_to(address: SocketAddr) -> io::Result<TcpStream> {
        let stream = TcpStream::from_mio(mio::net::TcpStream::connect(address)?)?;
        stream
            .inner
            .io(Direction::Write, |socket| {
                if let Some(error) = socket.take_error()? {
                    return Err(error);
                }
                match socket.peer_addr() {
                    Ok(_) => Ok(()),
                    // The handshake is still under way.
                    Err(error) if error.kind() == io::ErrorKind::NotConnected => {
                        Err(io::ErrorKind::WouldBlock.into())
                    }
                    Err(error) => Err(error),
                }
            })
            .await?;
        Ok(stream)
    }

    pub(super) fn from_mio(stream: mio::net::TcpStream) -> io::Result<TcpStream> {
        let inner = Registered::new("TcpStream::connect", stream)?;
        Ok(TcpStream { inner })
    }

    /// Reads what has arrived, up to `buffer.len()` bytes, waiting for at
    /// least one; `Ok(0)` means the peer closed its side.
    pub async fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        self.inner
            .io(Direction::Read, |mut socket| socket.read(buffer))
            .await
    }

    /// Reads until the peer closes its side, appending to `buffer`; returns
    /// how many bytes were read.
    pub async fn read_to_end(&mut self, buffer: &mut Vec<u8>) -> io::Result<usize> {
        let mut chunk = [0; 4096];
        let start = buffer.len();
        loop {
            match self.read(&mut chunk).await? {
                0 => return Ok(buffer.len() - start),
                read => buffer.extend_from_slice(&chunk[..read]),
            }
        }
    }

    /// Writes some of `buffer`, waiting until the socket takes at least one byte.
    pub async fn write(&mut self, buffer: &[u8]) -> io::Result<usize> {
        self.inner
            .io(Direction::Write, |mut socket| socket.write(buffer))
            .await
    }

    /// Writes all of `buffer`.
    pub async fn write_all(&mut self, mut buffer: &[u8]) -> io::Result<()> {
        while !buffer.is_empty() {
            match self.write(buffer).await? {
                0 => return Err(io::ErrorKind::WriteZero.into()),
                written => buffer = &buffer[written..],
            }
        }
        Ok(())
    }

    /// Shuts down one or both directions; `Shutdown::Write` tells the peer
    /// that nothing more will come (its reads return `Ok(0)`).
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.inner.get_ref().shutdown(how)
    }

    /// Turns Nagle's algorithm off (`true`) or on: small writes go out at once.
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.inner.get_ref().set_nodelay(nodelay)
    }

    /// The local end's address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.get_ref().local_addr()
    }

    /// The remote end's address.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.inner.get_ref().peer_addr()
    }
}

impl fmt::Debug for TcpStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpStream")
            .field("local_addr", &self.local_addr().ok())
            .field("peer_addr", &self.peer_addr().ok())
            .finish()
    }
}
