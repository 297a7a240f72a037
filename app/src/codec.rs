//! How resources carry their data from the server-rendered page to the browser.
//!
//! Leptos's default resource codec reads JSON from a `&str`, while server
//! functions read their responses from bytes. Each reader is its own copy of
//! every model type's deserializer in the WebAssembly. Resources here read
//! from bytes too, so one copy serves both (5% of the wasm, 1.4% after
//! brotli).

use leptos::server::Resource;
use leptos::server::codee::{Decoder, Encoder};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// JSON, decoded the way server functions decode it.
pub struct Json;

impl<T: Serialize> Encoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, Self::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(text: &str) -> Result<T, Self::Error> {
        serde_json::from_slice(text.as_bytes())
    }
}

/// A resource whose data travels as [`Json`]: `Resource::new` with one
/// JSON reader.
pub fn resource<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T, Json>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_encoded_decodes_to_the_same_value() -> Result<(), serde_json::Error> {
        let value: Result<Vec<String>, String> = Ok(vec!["Arsal".into(), "Humaymah".into()]);
        let text = <Json as Encoder<_>>::encode(&value)?;
        let back: Result<Vec<String>, String> = <Json as Decoder<_>>::decode(&text)?;
        assert_eq!(back, value);
        Ok(())
    }
}
