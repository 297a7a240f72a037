//! Small helpers for talking to Leaflet objects the `leaflet` crate has no
//! binding for (options objects, optional methods).

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// A plain JS object from key/value pairs.
pub fn object(entries: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in entries {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object
}

/// `target[key]`, or `undefined`.
pub fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Calls `target[method](...args)` if `target` has such a method.
pub fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Option<JsValue> {
    let function = get(target, method).dyn_into::<Function>().ok()?;
    let args: Array = args.iter().collect();
    function.apply(target, &args).ok()
}

/// Every element under `root` that matches `selector`, in document order.
pub fn select_all(root: &web_sys::Element, selector: &str) -> Vec<web_sys::Element> {
    let Ok(found) = root.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|index| found.item(index)?.dyn_into::<web_sys::Element>().ok())
        .collect()
}

/// A string property, if present.
pub fn string(target: &JsValue, key: &str) -> Option<String> {
    get(target, key).as_string()
}

/// A number property, if present.
pub fn number(target: &JsValue, key: &str) -> Option<f64> {
    get(target, key).as_f64()
}

/// Fetches a URL: the response, whatever its status.
async fn fetch(url: &str) -> Result<web_sys::Response, String> {
    use wasm_bindgen_futures::JsFuture;
    let window = web_sys::window().ok_or_else(|| "no window".to_owned())?;
    JsFuture::from(window.fetch_with_str(url))
        .await
        .and_then(JsCast::dyn_into)
        .map_err(|error| format!("{url}: {error:?}"))
}

/// Fetches a URL and parses its body as JSON.
pub async fn fetch_json(url: &str) -> Result<JsValue, String> {
    use wasm_bindgen_futures::JsFuture;
    let describe = |error: JsValue| format!("{url}: {error:?}");
    let response = fetch(url).await?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    JsFuture::from(response.json().map_err(describe)?)
        .await
        .map_err(describe)
}

/// Fetches a URL: its status and its body as text.
pub async fn fetch_text(url: &str) -> Result<(u16, String), String> {
    use wasm_bindgen_futures::JsFuture;
    let describe = |error: JsValue| format!("{url}: {error:?}");
    let response = fetch(url).await?;
    let body = JsFuture::from(response.text().map_err(describe)?)
        .await
        .map_err(describe)?;
    Ok((response.status(), body.as_string().unwrap_or_default()))
}

/// Whether the reader asked for less motion.
pub fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|window| {
            window
                .match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|query| query.matches())
}
