// Hidden-layer activations and their derivatives; the same formulas as
// crates/engine/src/model/activation.rs (codes from `Activation::code`).

const GELU_C: f32 = 0.7978846; // sqrt(2/pi), the engine's f32 constant
const GELU_A: f32 = 0.044715;

// tanh that neither overflows nor cancels: an odd Taylor polynomial near 0 (error < 1e-9 relative
// for |x| < 0.125), 1 - 2/(e^{2|x|} + 1) elsewhere. Built-in tanh precision varies by driver and
// some evaluate it as a ratio of exponentials that overflows.
fn tanh_f(x: f32) -> f32 {
    let ax = min(abs(x), 15.0);
    var r: f32;
    if ax < 0.125 {
        let x2 = ax * ax;
        r = ax * (1.0 + x2 * (-0.33333334 + x2 * (0.13333334 + x2 * -0.053968254)));
    } else {
        r = 1.0 - 2.0 / (exp(2.0 * ax) + 1.0);
    }
    return select(r, -r, x < 0.0);
}

fn activate(z: f32, act: u32) -> f32 {
    switch act {
        case 0u: {
            return max(z, 0.0);
        }
        case 1u: {
            return tanh_f(z);
        }
        case 2u: {
            return 0.5 * z * (1.0 + tanh_f(GELU_C * (z + GELU_A * z * z * z)));
        }
        default: {
            return 1.0 / (1.0 + exp(-clamp(z, -80.0, 80.0)));
        }
    }
}

// Derivative at pre-activation z whose activation is a.
fn activate_grad(z: f32, a: f32, act: u32) -> f32 {
    switch act {
        case 0u: {
            return select(0.0, 1.0, z > 0.0);
        }
        case 1u: {
            return 1.0 - a * a;
        }
        case 2u: {
            let u = GELU_C * (z + GELU_A * z * z * z);
            let t = tanh_f(u);
            let du = GELU_C * (1.0 + 3.0 * GELU_A * z * z);
            return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * du;
        }
        default: {
            return a * (1.0 - a);
        }
    }
}
