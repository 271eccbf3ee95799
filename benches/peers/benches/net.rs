//! Sockets: a loopback echo round trip, waitfor's reactor against tokio's
//! current-thread runtime, in the same run.
//!
//! * `echo_round_trip`: one TCP connection on 127.0.0.1, both ends tasks of
//!   the same single-threaded executor; the client writes 64 bytes and reads
//!   them back from the echoing server, again and again. Reported per round
//!   trip: two writes and two reads, and the loop parking in the poller in
//!   between (epoll on Linux, through mio for both). Nagle is off on both
//!   ends, as any request/response protocol would have it.
//!
//! The system calls dominate; what differs is how each executor gets from
//! a readiness event to the task that waits for it. Read the ratio.
//!
//! Run: `cargo bench -p waitfor-peer-benches --bench net`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const MESSAGE: [u8; 64] = [7; 64];

/// Reads exactly `buffer.len()` bytes from a waitfor stream.
async fn read_exact(stream: &mut waitfor::net::TcpStream, buffer: &mut [u8]) {
    let mut filled = 0;
    while filled < buffer.len() {
        let read = stream.read(&mut buffer[filled..]).await.unwrap();
        assert!(read > 0, "the echo server hung up");
        filled += read;
    }
}

/// `rounds` round trips on a fresh connection to a fresh echo server.
async fn waitfor_echo(rounds: u64) -> Duration {
    use waitfor::net::{TcpListener, TcpStream};
    let mut listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let server = waitfor::spawn(async move {
        let (mut peer, _) = listener.accept().await.unwrap();
        peer.set_nodelay(true).unwrap();
        let mut buffer = [0; 1024];
        loop {
            match peer.read(&mut buffer).await.unwrap() {
                0 => return,
                read => peer.write_all(&buffer[..read]).await.unwrap(),
            }
        }
    });
    let mut client = TcpStream::connect(address).await.unwrap();
    client.set_nodelay(true).unwrap();
    let mut reply = [0; 64];
    let start = Instant::now();
    for _ in 0..rounds {
        client.write_all(&MESSAGE).await.unwrap();
        read_exact(&mut client, &mut reply).await;
    }
    let took = start.elapsed();
    drop(client);
    server.await.unwrap();
    took
}

async fn tokio_echo(rounds: u64) -> Duration {
    use tokio::net::{TcpListener, TcpStream};
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::task::spawn_local(async move {
        let (mut peer, _) = listener.accept().await.unwrap();
        peer.set_nodelay(true).unwrap();
        let mut buffer = [0; 1024];
        loop {
            match peer.read(&mut buffer).await.unwrap() {
                0 => return,
                read => peer.write_all(&buffer[..read]).await.unwrap(),
            }
        }
    });
    let mut client = TcpStream::connect(address).await.unwrap();
    client.set_nodelay(true).unwrap();
    let mut reply = [0; 64];
    let start = Instant::now();
    for _ in 0..rounds {
        client.write_all(&MESSAGE).await.unwrap();
        client.read_exact(&mut reply).await.unwrap();
    }
    let took = start.elapsed();
    drop(client);
    server.await.unwrap();
    took
}

fn echo_round_trip(c: &mut Criterion) {
    let mut group = c.benchmark_group("echo_round_trip");
    group.throughput(Throughput::Elements(1));
    group.bench_function("waitfor", |b| {
        let executor = waitfor::Executor::new();
        b.iter_custom(|rounds| executor.block_on(waitfor_echo(rounds)));
    });
    group.bench_function("tokio-current-thread", |b| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .unwrap();
        let local = tokio::task::LocalSet::new();
        b.iter_custom(|rounds| local.block_on(&runtime, tokio_echo(rounds)));
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = waitfor_peer_benches::criterion_config();
    targets = echo_round_trip
}
criterion_main!(benches);
