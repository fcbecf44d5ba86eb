//! The counter's connections: its own accept loop in front of hyper, so
//! that no client can hold the service down by holding connections open.
//!
//! - A request's headers must arrive within [`Limits::header_timeout`],
//!   counted from the connection's start or from the previous answer, so
//!   an idle keep-alive connection is closed after it too (hyper's header
//!   read timeout; the body's timeout is the endpoint's, in `server`).
//! - One address (an IPv6 one by its /64) holds at most
//!   [`Limits::per_address`] connections, unless the service is behind a
//!   proxy, where every connection is the proxy's.
//! - All addresses together hold at most [`Gate::max`] connections: by
//!   default the open-file limit (raised to the hard limit at start) less
//!   a margin for the database and the rest, so accepting never fails for
//!   want of a file descriptor.
//!
//! A connection beyond a cap is accepted and closed at once, never left
//! waiting in the kernel's queue behind the held ones.
//!
//! It must not read requests: what to answer is `server`'s.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpSocket};
use tower_service::Service;

/// File descriptors kept for everything but connections: the database
/// (the writer and `store::READERS` readers, each with its WAL), the
/// listener, the runtime, standard streams, reading the site again.
const RESERVED_FILES: u64 = 128;
/// Connections the kernel may hold, ready, for the accept loop.
const BACKLOG: u32 = 1024;
/// The largest request head (request line and headers) read; past it,
/// `431`. A vote's is under 1 KB.
const MAX_HEAD: usize = 16 * 1024;

/// How long and how many: the counter's defences against clients that
/// hold connections open.
#[derive(Debug, Clone)]
pub struct Limits {
    /// A request's headers must arrive within this, counted from the
    /// connection's start or from the previous answer (so it is also how
    /// long an idle keep-alive connection is kept).
    pub header_timeout: Duration,
    /// A request's body must arrive within this once its headers have.
    pub body_timeout: Duration,
    /// Connections one address may hold at once (not applied behind a
    /// proxy).
    pub per_address: usize,
    /// Connections held at once in all; `None`: the open-file limit less a
    /// margin.
    pub connections: Option<usize>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            per_address: 64,
            connections: None,
        }
    }
}

/// The process's open-file limit, once raised.
#[derive(Debug, Clone, Copy)]
pub struct OpenFiles {
    /// The soft limit now.
    pub limit: u64,
    /// The soft limit before (the same when it could not be raised).
    pub was: u64,
}

impl OpenFiles {
    /// Raises the soft open-file limit to the hard one where the system
    /// allows it, and says what it is.
    pub fn raise() -> OpenFiles {
        let was = rlimit::getrlimit(rlimit::Resource::NOFILE).map(|(soft, _)| soft).unwrap_or(1024);
        let limit = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(was);
        OpenFiles { limit, was }
    }

    /// Connections that fit under the limit with the margin kept.
    pub fn connections(&self) -> usize {
        let cap = self.limit.saturating_sub(RESERVED_FILES).max(self.limit / 2);
        usize::try_from(cap).unwrap_or(usize::MAX)
    }
}

/// The connection counts, and the caps they are held to.
pub struct Gate {
    max: usize,
    per_address: Option<usize>,
    held: Mutex<Held>,
    refused: AtomicU64,
}

#[derive(Default)]
struct Held {
    open: usize,
    by_address: HashMap<IpAddr, usize>,
}

/// A connection let in; it is counted until this is dropped.
pub struct Ticket {
    gate: Arc<Gate>,
    address: Option<IpAddr>,
}

impl Gate {
    /// `per_address: None`: no cap per address (behind a proxy).
    pub fn new(max: usize, per_address: Option<usize>) -> Arc<Gate> {
        Arc::new(Gate { max, per_address, held: Mutex::new(Held::default()), refused: AtomicU64::new(0) })
    }

    /// Connections held at once in all, beyond which one is closed at once.
    pub fn max(&self) -> usize {
        self.max
    }

    /// Connections one address may hold at once; `None` behind a proxy.
    pub fn per_address(&self) -> Option<usize> {
        self.per_address
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        self.held.lock().unwrap_or_else(PoisonError::into_inner).open
    }

    /// Connections refused since the last call.
    pub fn take_refused(&self) -> u64 {
        self.refused.swap(0, Ordering::Relaxed)
    }

    /// Lets a connection from `peer` in, or not when a cap is reached.
    pub fn admit(self: &Arc<Gate>, peer: IpAddr) -> Option<Ticket> {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        let address = self.per_address.map(|_| client_key(peer));
        let from_address = address.map_or(0, |a| held.by_address.get(&a).copied().unwrap_or(0));
        if held.open >= self.max || self.per_address.is_some_and(|cap| from_address >= cap) {
            self.refused.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        held.open += 1;
        if let Some(a) = address {
            held.by_address.insert(a, from_address + 1);
        }
        Some(Ticket { gate: self.clone(), address })
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut held = self.gate.held.lock().unwrap_or_else(PoisonError::into_inner);
        held.open = held.open.saturating_sub(1);
        if let Some(a) = self.address
            && let Some(n) = held.by_address.get_mut(&a)
        {
            *n = n.saturating_sub(1);
            if *n == 0 {
                held.by_address.remove(&a);
            }
        }
    }
}

/// The address a client is counted by: an IPv6 one by its /64 (one
/// household or phone), so rotating addresses in it buys nothing; an
/// IPv4-mapped one as IPv4.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        v4 => v4,
    }
}

/// Listens on `addr`, with room in the kernel's queue for a burst of
/// new connections while the loop is busy (the standard library's 128
/// fills in a few milliseconds of a connection flood, and each
/// connection refused there waits a second to try again).
pub fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// Accepts connections until `shutdown`, serving each with `router`
/// (which sees the peer as `ConnectInfo<SocketAddr>`); then stops
/// accepting, lets each connection finish its request in progress, and
/// returns once all are closed.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    gate: Arc<Gate>,
    header_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(header_timeout).max_buf_size(MAX_HEAD);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    pause_after(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Over a cap: closed at once.
        let Some(ticket) = gate.admit(peer.ip()) else { continue };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let mut router = router.clone();
            async move { router.call(request.map(Body::new)).await }
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // Errors are clients going away or timing out: nothing to log.
            let _ = connection.await;
            drop(ticket);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// After a failed accept: a client that went away is nothing; anything
/// else (out of file descriptors, which the caps are there to prevent)
/// is said, and accepting waits a moment so as not to spin.
async fn pause_after(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(e.kind(), ConnectionAborted | ConnectionRefused | ConnectionReset) {
        return;
    }
    eprintln!("reactions: cannot accept a connection: {e}");
    tokio::time::sleep(Duration::from_millis(250)).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_gate_holds_each_address_and_everyone_to_their_caps_and_frees_on_drop() {
        let gate = Gate::new(5, Some(2));
        let a1 = gate.admit(ip("10.0.0.1")).unwrap();
        let _a2 = gate.admit(ip("10.0.0.1")).unwrap();
        assert!(gate.admit(ip("10.0.0.1")).is_none(), "a third from one address");
        // One /64 is one client.
        let _b1 = gate.admit(ip("2001:db8::1")).unwrap();
        let _b2 = gate.admit(ip("2001:db8::ffff")).unwrap();
        assert!(gate.admit(ip("2001:db8::2")).is_none());
        let _c = gate.admit(ip("10.0.0.3")).unwrap();
        assert!(gate.admit(ip("10.0.0.4")).is_none(), "five in all");
        assert_eq!((gate.open(), gate.take_refused()), (5, 3));
        drop(a1);
        assert!(gate.admit(ip("10.0.0.1")).is_some(), "a closed connection frees its place");
        assert_eq!(gate.open(), 4, "the one admitted was dropped at once");
    }

    #[test]
    fn behind_a_proxy_only_the_total_is_capped() {
        let gate = Gate::new(3, None);
        let held: Vec<_> = (0..3).map(|_| gate.admit(ip("127.0.0.1")).unwrap()).collect();
        assert!(gate.admit(ip("127.0.0.1")).is_none());
        drop(held);
        assert_eq!(gate.open(), 0);
    }

    #[test]
    fn the_connection_cap_keeps_a_margin_under_the_open_file_limit() {
        assert_eq!(OpenFiles { limit: 1024, was: 1024 }.connections(), 896);
        assert_eq!(OpenFiles { limit: 65536, was: 1024 }.connections(), 65408);
        assert_eq!(OpenFiles { limit: 200, was: 200 }.connections(), 100);
    }
}
