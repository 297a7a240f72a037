//! Fetching data from elsewhere without becoming a way into the newsroom's
//! network (server-side request forgery).
//!
//! - Only `http` and `https`, on any port.
//! - Every address a request would connect to is checked after DNS
//!   resolution, on the first request and on every redirect: loopback,
//!   private, link-local, shared, documentation, multicast and other
//!   non-public addresses are refused unless an allow-list names them.
//!   Host names go through [`PublicOnly`], a resolver that drops such
//!   addresses; addresses written in URLs are checked before any request.
//!   Either way a refused request never leaves the machine.
//! - No proxy from the environment: a proxy would resolve names itself,
//!   past these checks.
//! - At most [`MAX_REDIRECTS`] redirects, a timeout, a size cap on the body
//!   (checked while it streams) and a check of the content type.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use ipnet::IpNet;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use reqwest::{StatusCode, Url, redirect};

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 5;

/// Why a fetch failed. Each says what was expected.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    #[error("{0:?} is not a web address; expected http:// or https://")]
    Scheme(String),
    #[error(
        "{url} is refused: {address} is not a public address (add it to the allow-list, KORT_FETCH_ALLOW or --allow, for an intranet source)"
    )]
    Refused { url: String, address: IpAddr },
    #[error("cannot fetch {url}")]
    Request {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("{url} answered {status}; expected 200 OK")]
    Status { url: String, status: StatusCode },
    #[error("{url} sent {size} bytes or more; expected at most {limit}")]
    TooLarge { url: String, size: u64, limit: u64 },
    #[error("{url} sent {content_type:?}; expected one of {expected}")]
    ContentType {
        url: String,
        content_type: String,
        expected: String,
    },
}

/// Addresses that may be fetched although they are not public, as CIDR
/// blocks (`10.1.0.0/16`, `127.0.0.1/32`, `fd00::/8`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowList(Vec<IpNet>);

impl AllowList {
    /// Parses comma- or space-separated CIDR blocks; a bare address is a
    /// block of one.
    pub fn parse(text: &str) -> Result<Self, String> {
        text.split([',', ' '])
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse::<IpNet>()
                    .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        format!(
                            "{item:?} is not an address block; expected e.g. 10.0.0.0/8 or 127.0.0.1 \
                             (a prefix length of at most 32 for IPv4, 128 for IPv6)"
                        )
                    })
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    /// Whether `address` is in one of the blocks.
    pub fn contains(&self, address: IpAddr) -> bool {
        self.0.iter().any(|block| block.contains(&address))
    }

    /// Adds the blocks of `other`.
    pub fn extend(&mut self, other: Self) {
        self.0.extend(other.0);
    }

    /// Whether a request may connect to `address`.
    pub fn permits(&self, address: IpAddr) -> bool {
        is_public(address) || self.contains(address)
    }
}

/// Whether `address` is a public unicast address: one that a fetch may
/// reach without the allow-list.
pub fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let s = v6.segments();
            let special = v6.is_unspecified()
                || v6.is_loopback()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (s[0] & 0xffc0) == 0xfec0 // site-local fec0::/10 (deprecated)
                || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
                || (s[0] == 0x0064 && s[1] == 0xff9b) // NAT64: an IPv4 address inside
                || (s[0] == 0x2002) // 6to4: an IPv4 address inside
                || (s[0] == 0x2001 && s[1] == 0) // Teredo
                || s[..6] == [0, 0, 0, 0, 0, 0]; // IPv4-compatible, deprecated
            !special
        }
    }
}

fn is_public_v4(v4: Ipv4Addr) -> bool {
    let [a, b, c, _] = v4.octets();
    let special = v4.is_unspecified()
        || a == 0 // "this network"
        || v4.is_loopback()
        || v4.is_private()
        || v4.is_link_local()
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || v4.is_documentation()
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || v4.is_multicast()
        || a >= 240; // reserved, and broadcast
    !special
}

/// A DNS resolver that only hands out addresses a fetch may reach.
#[derive(Debug, Clone)]
pub struct PublicOnly(Arc<AllowList>);

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = Arc::clone(&self.0);
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let (reachable, refused): (Vec<SocketAddr>, Vec<SocketAddr>) = found
                .into_iter()
                .partition(|address| allow.permits(address.ip()));
            if reachable.is_empty() {
                let address = refused
                    .first()
                    .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), SocketAddr::ip);
                return Err(Box::new(FetchError::Refused { url: host, address })
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            let addrs: Addrs = Box::new(reachable.into_iter());
            Ok(addrs)
        })
    }
}

/// What the last good copy was: sent back as a conditional request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A fetch's outcome.
#[derive(Debug)]
pub enum Fetched {
    /// 304: the copy kept is still current.
    NotModified,
    /// 200, with the body and what identifies this version.
    Body {
        bytes: Vec<u8>,
        content_type: String,
        validators: Validators,
    },
}

/// Limits of a fetch.
#[derive(Debug, Clone)]
pub struct Limits {
    pub timeout: Duration,
    pub max_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(20),
            max_bytes: 20 * 1024 * 1024,
        }
    }
}

/// An HTTP client that fetches only what [`AllowList::permits`].
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    allow: Arc<AllowList>,
    limits: Limits,
}

impl Fetcher {
    pub fn new(allow: AllowList, limits: Limits) -> Result<Self, FetchError> {
        let allow = Arc::new(allow);
        let checked = Arc::clone(&allow);
        let policy = redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= MAX_REDIRECTS {
                return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
            }
            match check_url(attempt.url(), &checked) {
                Ok(()) => attempt.follow(),
                Err(error) => attempt.error(error),
            }
        });
        let client = reqwest::Client::builder()
            .dns_resolver(Arc::new(PublicOnly(Arc::clone(&allow))))
            .redirect(policy)
            .no_proxy()
            .timeout(limits.timeout)
            .connect_timeout(limits.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("kort/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|source| FetchError::Request {
                url: String::new(),
                source,
            })?;
        Ok(Self {
            client,
            allow,
            limits,
        })
    }

    /// Fetches `url`, conditionally if `known` holds the validators of a
    /// copy already kept. `accept` lists the content types expected (by
    /// prefix, e.g. `application/json`).
    pub async fn get(
        &self,
        url: &str,
        known: &Validators,
        accept: &[&str],
    ) -> Result<Fetched, FetchError> {
        let parsed = Url::parse(url).map_err(|_| FetchError::Scheme(url.to_owned()))?;
        check_url(&parsed, &self.allow)?;
        let mut request = self.client.get(parsed);
        if let Some(etag) = &known.etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        if let Some(date) = &known.last_modified {
            request = request.header(IF_MODIFIED_SINCE, date);
        }
        let failed = |source: reqwest::Error| FetchError::Request {
            url: url.to_owned(),
            source,
        };
        let mut response = request.send().await.map_err(failed)?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if status != StatusCode::OK {
            return Err(FetchError::Status {
                url: url.to_owned(),
                status,
            });
        }
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|value: &reqwest::header::HeaderValue| value.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header(CONTENT_TYPE).unwrap_or_default();
        let validators = Validators {
            etag: header(ETAG),
            last_modified: header(LAST_MODIFIED),
        };
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if !accept.iter().any(|wanted| essence == *wanted) {
            return Err(FetchError::ContentType {
                url: url.to_owned(),
                content_type,
                expected: accept.join(", "),
            });
        }
        let limit = self.limits.max_bytes;
        let too_large = |size| FetchError::TooLarge {
            url: url.to_owned(),
            size,
            limit,
        };
        if let Some(size) = response.content_length().filter(|&size| size > limit) {
            return Err(too_large(size));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(failed)? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() as u64 > limit {
                return Err(too_large(bytes.len() as u64));
            }
        }
        Ok(Fetched::Body {
            bytes,
            content_type: essence,
            validators,
        })
    }
}

/// Checks a URL before any request: the scheme, and an address written in
/// it (names are checked by [`PublicOnly`] once resolved).
fn check_url(url: &Url, allow: &AllowList) -> Result<(), FetchError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FetchError::Scheme(url.to_string()));
    }
    let address = match url.host() {
        Some(url::Host::Ipv4(v4)) => Some(IpAddr::V4(v4)),
        Some(url::Host::Ipv6(v6)) => Some(IpAddr::V6(v6)),
        Some(url::Host::Domain(_)) => None,
        None => return Err(FetchError::Scheme(url.to_string())),
    };
    match address {
        Some(address) if !allow.permits(address) => Err(FetchError::Refused {
            url: url.to_string(),
            address,
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn only_public_addresses_are_public() {
        for public in ["93.184.215.14", "8.8.8.8", "2606:4700::1111", "1.1.1.1"] {
            assert!(is_public(ip(public)), "{public}");
        }
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "198.18.0.1",
            "192.0.2.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "2001:db8::1",
        ] {
            assert!(!is_public(ip(private)), "{private}");
        }
    }

    #[test]
    fn the_allow_list_takes_blocks_and_single_addresses() {
        let allow = AllowList::parse("10.1.0.0/16, 127.0.0.1 fd00::/8").expect("valid");
        assert!(allow.permits(ip("10.1.200.3")));
        assert!(!allow.permits(ip("10.2.0.1")));
        assert!(allow.permits(ip("127.0.0.1")));
        assert!(!allow.permits(ip("127.0.0.2")));
        assert!(allow.permits(ip("fd12::1")));
        assert!(!allow.permits(ip("::1")));
        assert!(AllowList::parse("10.0.0.0/33").is_err());
        assert!(AllowList::parse("intranet").is_err());
        assert_eq!(AllowList::parse("").expect("empty"), AllowList::default());
    }

    #[test]
    fn urls_are_checked_before_any_request() {
        let none = AllowList::default();
        let check = |url: &str| check_url(&Url::parse(url).expect("url"), &none);
        assert!(check("https://data.example.org/a.geojson").is_ok());
        assert!(matches!(
            check("file:///etc/passwd"),
            Err(FetchError::Scheme(_))
        ));
        assert!(matches!(
            check("ftp://example.org/a"),
            Err(FetchError::Scheme(_))
        ));
        assert!(matches!(
            check("http://127.0.0.1:8080/"),
            Err(FetchError::Refused { .. })
        ));
        assert!(matches!(
            check("http://[::1]/"),
            Err(FetchError::Refused { .. })
        ));
        assert!(matches!(
            check("http://169.254.169.254/latest/meta-data"),
            Err(FetchError::Refused { .. })
        ));
        // Decimal and hex spellings of 127.0.0.1 are parsed as addresses too.
        assert!(matches!(
            check("http://2130706433/"),
            Err(FetchError::Refused { .. })
        ));
        assert!(matches!(
            check("http://0x7f.1/"),
            Err(FetchError::Refused { .. })
        ));
    }
}
