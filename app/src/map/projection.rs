//! Web Mercator, as Leaflet projects the map: for what kort draws itself
//! where Leaflet draws the map (the server's drawing, the locator inset).

/// Web Mercator: the point's place in a world one unit across, from the
/// west and the north.
pub fn mercator(lon: f64, lat: f64) -> (f64, f64) {
    let lat = lat.clamp(-85.051_128, 85.051_128).to_radians();
    (
        (lon + 180.0) / 360.0,
        (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0,
    )
}
