//! The release server on a free loopback port, for the scripts that measure it.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::Result;

/// Starts `target/release/kort serve` on a free port of 127.0.0.1 and waits
/// until it listens; returns the process and its base URL.
pub fn start(root: &Path) -> Result<(Child, String)> {
    start_with(root, &[])
}

/// [`start`], with more environment (`KORT_DATA`, say).
pub fn start_with(root: &Path, env: &[(&str, &Path)]) -> Result<(Child, String)> {
    let address = format!("127.0.0.1:{}", free_port()?);
    let mut server = Command::new(root.join("target/release/kort"))
        .arg("serve")
        .current_dir(root)
        .env("KORT_ADDR", &address)
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start target/release/kort (run `cargo xtask build`): {e}"))?;
    // A story of 50,000 features takes a second or so to load.
    if !wait_for(&address, 20) {
        server.kill().ok();
        server.wait().ok();
        return Err(format!("kort did not listen on {address} within 20 s"));
    }
    Ok((server, format!("http://{address}")))
}

/// A port of 127.0.0.1 nothing listens on (as of now).
pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")
        .and_then(|probe| probe.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port())
}

/// Waits until something listens on `address`, up to `seconds`.
pub fn wait_for(address: &str, seconds: u64) -> bool {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while std::net::TcpStream::connect(address).is_err() {
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    true
}

/// The body of a GET of `path` from `base` (`http://127.0.0.1:port`).
pub fn http_get(base: &str, path: &str) -> Result<Vec<u8>> {
    use std::io::{Read as _, Write as _};
    let address = base.trim_start_matches("http://");
    let mut stream =
        std::net::TcpStream::connect(address).map_err(|e| format!("{address}: {e}"))?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {address}\r\n\r\n")
        .map_err(|e| format!("{address}: {e}"))?;
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .map_err(|e| format!("{address}: {e}"))?;
    let head = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("{path}: no HTTP head in the answer"))?;
    if !answer.starts_with(b"HTTP/1.1 200") && !answer.starts_with(b"HTTP/1.0 200") {
        return Err(format!(
            "{path}: {}",
            String::from_utf8_lossy(&answer[..head])
        ));
    }
    Ok(answer.split_off(head + 4))
}
