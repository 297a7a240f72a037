//! The release server on a free loopback port, for the scripts that measure it.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::Result;

/// Starts `target/release/kort serve` on a free port of 127.0.0.1 and waits
/// until it listens; returns the process and its base URL.
pub fn start(root: &Path) -> Result<(Child, String)> {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|probe| probe.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let address = format!("127.0.0.1:{port}");
    let mut server = Command::new(root.join("target/release/kort"))
        .arg("serve")
        .current_dir(root)
        .env("KORT_ADDR", &address)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start target/release/kort (run `cargo xtask build`): {e}"))?;
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(&address).is_err() {
        if Instant::now() > deadline {
            server.kill().ok();
            server.wait().ok();
            return Err(format!("kort did not listen on {address} within 20 s"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok((server, format!("http://{address}")))
}
