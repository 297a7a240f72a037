//! Stopping kort: the real binary, sent SIGTERM or Ctrl-C (SIGINT) while a
//! request is in flight, finishes that request, refuses new connections and
//! exits 0.

#![cfg(unix)]

mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

const PAGE: &str = "/stories/arsal-convoy-2017";

/// Starts `kort serve` on the seed stories and waits until it answers.
fn start() -> (Child, SocketAddr) {
    support::spawn_kort(&[("KORT_DATA", support::root().join("data/stories"))])
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -{name} failed");
}

/// Waits up to `limit` for the process to end.
fn exit_within(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    None
}

fn stops_gracefully_on(name: &str) {
    let (mut child, addr) = start();
    // A request in flight: the server has its request line and a header,
    // and waits for the rest.
    let mut in_flight = TcpStream::connect(addr).expect("connect");
    in_flight
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(in_flight, "GET {PAGE} HTTP/1.1\r\nHost: {addr}\r\n").expect("request line");
    in_flight.flush().expect("sent");
    std::thread::sleep(Duration::from_millis(300));

    signal(&child, name);

    // New connections are refused once the signal is handled.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut refused = false;
    while Instant::now() < deadline && !refused {
        refused = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err();
        if !refused {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    assert!(refused, "SIG{name}: new connections were still accepted");
    assert!(
        child.try_wait().expect("status").is_none(),
        "SIG{name}: kort exited with a request in flight"
    );

    // The request in flight is answered in full.
    write!(in_flight, "Accept: text/html\r\n\r\n").expect("rest of the request");
    let mut answer = String::new();
    in_flight.read_to_string(&mut answer).expect("the answer");
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "SIG{name}: {}",
        answer.lines().next().unwrap_or("no answer")
    );
    assert!(
        answer.contains("Arsal"),
        "SIG{name}: the page was cut short"
    );
    assert!(
        answer.contains("</html>"),
        "SIG{name}: the page was cut short"
    );

    let status = exit_within(&mut child, Duration::from_secs(10));
    assert_eq!(
        status.and_then(|s| s.code()),
        Some(0),
        "SIG{name}: kort should exit 0 once the last request is answered, got {status:?}"
    );
}

#[test]
fn sigterm_finishes_requests_in_flight_refuses_new_ones_and_exits_0() {
    stops_gracefully_on("TERM");
}

#[test]
fn ctrl_c_does_the_same() {
    stops_gracefully_on("INT");
}
