//! Transcendental functions used by the engine.
//!
//! The platform math libraries differ between native targets and wasm32, so `f64::exp` can give a
//! different last bit on each. Every transcendental the engine evaluates goes through `libm` (one
//! portable implementation) so that a configuration gives bit-identical results everywhere.

#[inline]
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}
#[inline]
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}
/// `ln(1 + x)`, accurate for small `x` (log-probabilities near 0, softplus).
#[inline]
pub fn ln_1p(x: f64) -> f64 {
    libm::log1p(x)
}
#[inline]
pub fn cos(x: f64) -> f64 {
    libm::cos(x)
}
#[inline]
pub fn sin(x: f64) -> f64 {
    libm::sin(x)
}
#[inline]
pub fn tanh(x: f64) -> f64 {
    libm::tanh(x)
}
#[inline]
pub fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}
#[inline]
pub fn expf(x: f32) -> f32 {
    libm::expf(x)
}
#[inline]
pub fn lnf(x: f32) -> f32 {
    libm::logf(x)
}
#[inline]
pub fn tanhf(x: f32) -> f32 {
    libm::tanhf(x)
}
#[inline]
pub fn powf(x: f32, y: f32) -> f32 {
    libm::powf(x, y)
}
/// Complementary error function (the normal tail: `Φ(t) = erfc(−t/√2)/2`).
#[inline]
pub fn erfc(x: f64) -> f64 {
    libm::erfc(x)
}
#[inline]
pub fn erff(x: f32) -> f32 {
    libm::erff(x)
}
