//! `waitfor::net` on the reactor: readiness and wake-ups, sockets and timers
//! together, the virtual clock's rule for sockets, and errors.
//!
//! Loopback only, a handful of connections, and every server stops by
//! itself. Real-clock bounds are generous (the machine is shared): a
//! timeout's lateness is checked against half a second, not a tick.
//!
//! Not under Miri, which cannot run sockets' system calls.

#![cfg(not(miri))]

use std::cell::Cell;
use std::io::{self, Read, Write};
use std::net::Shutdown;
use std::rc::Rc;
use std::thread;
use std::time::{Duration, Instant};
use waitfor_executor::net::{TcpListener, TcpStream};
use waitfor_executor::{channel, now, sleep, spawn, wait_for, yield_now, Executor};

const MS: Duration = Duration::from_millis(1);
const GENEROUS: Duration = Duration::from_millis(500);

/// Accepts `connections` connections and echoes each until its peer closes.
fn echo_server(connections: usize) -> io::Result<std::net::SocketAddr> {
    let mut listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    drop(spawn(async move {
        for _ in 0..connections {
            let (mut peer, _) = listener.accept().await?;
            drop(spawn(async move {
                let mut buffer = [0; 1024];
                loop {
                    match peer.read(&mut buffer).await? {
                        0 => return io::Result::Ok(()),
                        read => peer.write_all(&buffer[..read]).await?,
                    }
                }
            }));
        }
        io::Result::Ok(())
    }));
    Ok(address)
}

/// Sends `message`, closes the sending side, and reads the whole reply.
async fn round_trip(address: std::net::SocketAddr, message: &[u8]) -> io::Result<Vec<u8>> {
    let mut client = TcpStream::connect(address).await?;
    client.write_all(message).await?;
    client.shutdown(Shutdown::Write)?;
    let mut reply = Vec::new();
    client.read_to_end(&mut reply).await?;
    Ok(reply)
}

#[test]
fn a_wake_from_another_thread_reaches_a_loop_parked_in_the_poller() {
    let start = Instant::now();
    let got = Executor::new().block_on(async {
        // An accept that never completes keeps the loop in the poller.
        let mut listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let _accepting = spawn(async move { listener.accept().await.map(|_| ()) });
        let (sender, receiver) = channel::unbounded();
        let waker_thread = thread::spawn(move || {
            thread::sleep(20 * MS);
            sender.try_send(7).unwrap();
        });
        // The 10 s timeout bounds the test if the doorbell stays silent.
        let got = wait_for(receiver.recv(), Duration::from_secs(10)).await;
        waker_thread.join().unwrap();
        got
    });
    assert_eq!(got.unwrap(), Some(7));
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "woken by the doorbell, not the timer"
    );
}

#[test]
fn a_read_that_never_comes_times_out_on_time_on_the_real_clock() {
    let executor = Executor::new();
    let (outcome, waited) = executor.block_on(async {
        let mut listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let silent = spawn(async move {
            let (peer, _) = listener.accept().await.unwrap();
            sleep(Duration::from_secs(2)).await; // holds the connection, says nothing
            drop(peer);
        });
        let mut client = TcpStream::connect(address).await.unwrap();
        let start = now();
        let mut buffer = [0; 16];
        let outcome = wait_for(client.read(&mut buffer), 100 * MS).await;
        silent.abort();
        (
            outcome.map(|read| read.map_err(|e| e.kind())),
            now() - start,
        )
    });
    let elapsed = outcome.unwrap_err();
    assert!(
        elapsed.lateness() < GENEROUS,
        "late by {:?}",
        elapsed.lateness()
    );
    assert!(
        waited >= 100 * MS && waited < 100 * MS + GENEROUS,
        "{waited:?}"
    );
}

#[test]
fn a_socket_closed_under_a_pending_read_wakes_the_reader_with_end_of_file() {
    let read = Executor::new().block_on(async {
        let mut listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let _closer = spawn(async move {
            let (peer, _) = listener.accept().await.unwrap();
            sleep(20 * MS).await; // the client's read is pending by now
            drop(peer);
        });
        let mut client = TcpStream::connect(address).await.unwrap();
        let mut buffer = [0; 16];
        wait_for(client.read(&mut buffer), Duration::from_secs(10)).await
    });
    assert_eq!(read.unwrap().unwrap(), 0);
}

#[test]
fn a_peer_that_resets_fails_the_pending_read_with_connection_reset() {
    let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = server.local_addr().unwrap();
    let resetter = thread::spawn(move || {
        let (peer, _) = server.accept().unwrap();
        // Closing a socket with unread data makes the system send a reset.
        let mut byte = [0];
        peer.peek(&mut byte).unwrap();
        drop(peer);
    });
    let read = Executor::new().block_on(async {
        let mut client = TcpStream::connect(address).await.unwrap();
        client.write_all(b"unread").await.unwrap();
        let mut buffer = [0; 16];
        wait_for(client.read(&mut buffer), Duration::from_secs(10)).await
    });
    resetter.join().unwrap();
    assert_eq!(
        read.unwrap().unwrap_err().kind(),
        io::ErrorKind::ConnectionReset
    );
}

#[test]
fn many_connections_at_once_each_get_their_own_echo() {
    const CLIENTS: usize = 50;
    let replies = Executor::new().block_on(async {
        let address = echo_server(CLIENTS).unwrap();
        let clients: Vec<_> = (0..CLIENTS)
            .map(|i| {
                spawn(async move { round_trip(address, format!("client {i}").as_bytes()).await })
            })
            .collect();
        let mut replies = Vec::new();
        for client in clients {
            replies.push(String::from_utf8(client.await.unwrap().unwrap()).unwrap());
        }
        replies
    });
    for (i, reply) in replies.iter().enumerate() {
        assert_eq!(reply, &format!("client {i}"));
    }
}

#[test]
fn a_task_that_always_yields_does_not_keep_the_reactor_from_the_sockets() {
    let executor = Executor::new();
    let reply = executor.block_on(async {
        let address = echo_server(1).unwrap();
        let done = Rc::new(Cell::new(false));
        let finished = Rc::clone(&done);
        // Never idle, so the loop never parks: sockets are read between turns.
        let spinner = spawn(async move {
            let give_up = now() + Duration::from_secs(10);
            while !finished.get() && now() < give_up {
                yield_now().await;
            }
            now() < give_up
        });
        let reply = round_trip(address, b"ping").await.unwrap();
        done.set(true);
        assert!(
            spinner.await.unwrap(),
            "the echo came while the spinner spun"
        );
        reply
    });
    assert_eq!(reply, b"ping");
}

#[test]
fn a_blocking_client_on_a_thread_talks_to_an_async_server() {
    let executor = Executor::new();
    let reply = executor.block_on(async {
        let address = echo_server(1).unwrap();
        let job = waitfor_executor::spawn_blocking(move || {
            let mut client = std::net::TcpStream::connect(address)?;
            client.write_all(b"from a thread")?;
            client.shutdown(Shutdown::Write)?;
            let mut reply = Vec::new();
            client.read_to_end(&mut reply)?;
            io::Result::Ok(reply)
        });
        wait_for(job, Duration::from_secs(10)).await
    });
    assert_eq!(reply.unwrap().unwrap().unwrap(), b"from a thread");
}

#[test]
fn a_read_loop_over_a_socket_that_always_has_data_yields_after_the_budget() {
    const BYTES: usize = 1_000;
    let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = server.local_addr().unwrap();
    let writer = thread::spawn(move || {
        let (mut peer, _) = server.accept().unwrap();
        peer.write_all(&[1; BYTES]).unwrap();
    });
    let sibling_polls = Rc::new(Cell::new(0));
    let counted = Rc::clone(&sibling_polls);
    Executor::new().block_on(async move {
        let mut client = TcpStream::connect(address).await.unwrap();
        // Give the bytes time to arrive, so that the reads below are all
        // ready at once (the case the budget is for).
        sleep(50 * MS).await;
        let sibling = spawn(async move {
            loop {
                counted.set(counted.get() + 1);
                yield_now().await;
            }
        });
        let mut byte = [0];
        let mut read = 0;
        while read < BYTES {
            read += client.read(&mut byte).await.unwrap();
        }
        sibling.abort();
    });
    writer.join().unwrap();
    // One yield per 128 reads (or more, if some read had to wait).
    assert!(
        sibling_polls.get() >= BYTES / 128,
        "{}",
        sibling_polls.get()
    );
}

// The virtual clock with real I/O: it jumps to the next timer only when no
// socket is awaited; otherwise it waits in real time, up to that timer.

#[test]
fn on_a_virtual_clock_io_that_comes_in_time_leaves_the_clock_where_it_was() {
    let executor = Executor::builder().virtual_clock().build();
    let (reply, virtual_time) = executor.block_on(async {
        let address = echo_server(1).unwrap();
        let start = now();
        let reply = wait_for(round_trip(address, b"hi"), Duration::from_secs(3600)).await;
        (reply, now() - start)
    });
    assert_eq!(reply.unwrap().unwrap(), b"hi");
    assert_eq!(virtual_time, Duration::ZERO);
}

#[test]
fn on_a_virtual_clock_a_timeout_over_an_awaited_socket_fires_exactly_after_a_real_wait() {
    let executor = Executor::builder().virtual_clock().build();
    let real_start = Instant::now();
    let outcome = executor.block_on(async {
        let mut listener = TcpListener::bind("127.0.0.1:0").unwrap();
        wait_for(listener.accept(), 50 * MS).await.map(|_| ())
    });
    let real = real_start.elapsed();
    assert_eq!(outcome.unwrap_err().lateness(), Duration::ZERO);
    assert!(real >= 50 * MS, "the clock waited in real time: {real:?}");
}

#[test]
fn on_a_virtual_clock_a_socket_nobody_awaits_does_not_hold_the_clock() {
    let executor = Executor::builder().virtual_clock().build();
    let real_start = Instant::now();
    let slept = executor.block_on(async {
        let _idle = TcpListener::bind("127.0.0.1:0").unwrap();
        let start = now();
        sleep(Duration::from_secs(3600)).await;
        now() - start
    });
    assert_eq!(slept, Duration::from_secs(3600));
    assert!(real_start.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_read_dropped_by_its_timeout_no_longer_holds_the_virtual_clock() {
    let executor = Executor::builder().virtual_clock().build();
    let real_start = Instant::now();
    let slept = executor.block_on(async {
        let mut listener = TcpListener::bind("127.0.0.1:0").unwrap();
        assert!(wait_for(listener.accept(), 20 * MS).await.is_err());
        // The accept is gone, and with it its waiter: the clock jumps again.
        let start = now();
        sleep(Duration::from_secs(10)).await;
        drop(listener);
        now() - start
    });
    assert_eq!(slept, Duration::from_secs(10));
    assert!(real_start.elapsed() < Duration::from_secs(5));
}

// Errors are plain `io::Error`s, with the system's kinds.

#[test]
fn connecting_to_a_port_nobody_listens_on_is_refused() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let outcome = Executor::new().block_on(TcpStream::connect(address));
    assert_eq!(
        outcome.unwrap_err().kind(),
        io::ErrorKind::ConnectionRefused
    );
}

#[test]
fn binding_an_address_in_use_says_so() {
    let outcome = Executor::new().block_on(async {
        let first = TcpListener::bind("127.0.0.1:0").unwrap();
        TcpListener::bind(first.local_addr().unwrap()).map(drop)
    });
    assert_eq!(outcome.unwrap_err().kind(), io::ErrorKind::AddrInUse);
}

#[test]
#[should_panic(expected = "TcpListener::bind must be called from inside a waitfor executor")]
fn a_socket_outside_an_executor_is_refused() {
    let _ = TcpListener::bind("127.0.0.1:0");
}
