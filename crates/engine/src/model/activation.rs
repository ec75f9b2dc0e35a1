//! Hidden-layer activations. The GPU kernels implement the same formulas (crates/gpu).

use serde::{Deserialize, Serialize};

use crate::math;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    Relu,
    Tanh,
    /// GELU, tanh approximation (Hendrycks & Gimpel 2016, eq. in §2): WGSL has no `erf`, and CPU and GPU
    /// must compute the same function.
    Gelu,
    Sigmoid,
}

const GELU_C: f32 = 0.797_884_6; // sqrt(2/pi)
const GELU_A: f32 = 0.044_715;

impl Activation {
    pub const ALL: [Activation; 4] = [
        Activation::Relu,
        Activation::Tanh,
        Activation::Gelu,
        Activation::Sigmoid,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::Tanh => "tanh",
            Activation::Gelu => "gelu",
            Activation::Sigmoid => "sigmoid",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == s)
    }

    /// Index used by the GPU kernels' uniform.
    pub fn code(self) -> u32 {
        match self {
            Activation::Relu => 0,
            Activation::Tanh => 1,
            Activation::Gelu => 2,
            Activation::Sigmoid => 3,
        }
    }

    #[inline]
    pub fn apply(self, z: f32) -> f32 {
        match self {
            Activation::Relu => z.max(0.0),
            Activation::Tanh => math::tanhf(z),
            Activation::Gelu => 0.5 * z * (1.0 + math::tanhf(GELU_C * (z + GELU_A * z * z * z))),
            Activation::Sigmoid => 1.0 / (1.0 + math::expf(-z)),
        }
    }

    /// Derivative at pre-activation `z` whose activation is `a`.
    #[inline]
    pub fn derivative(self, z: f32, a: f32) -> f32 {
        match self {
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Tanh => 1.0 - a * a,
            Activation::Gelu => {
                let u = GELU_C * (z + GELU_A * z * z * z);
                let t = math::tanhf(u);
                let du = GELU_C * (1.0 + 3.0 * GELU_A * z * z);
                0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * du
            }
            Activation::Sigmoid => a * (1.0 - a),
        }
    }
}
