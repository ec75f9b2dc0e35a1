// Adam as PyTorch (L2 weight decay added to the gradient), or AdamW (`opt_variant` 1: decoupled
// decay p ← p · (1 − lr·wd) before the step, no L2), one thread per trainable parameter; the same
// arithmetic as crates/engine/src/optim/adam.rs. lr and the bias corrections 1 − β^t come per step
// from the CPU (`Experiment::step_scalars`), so both paths use the same numbers. Only parameters
// train_lo .. train_hi are updated; the state covers that range (m then v).

@group(0) @binding(0) var<storage, read_write> params: array<f32>;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> state: array<f32>; // m then v

@compute @workgroup_size(64)
fn adam(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    enter(gid.z);
    let t = thread_index(gid, nwg);
    let n = hyp.train_hi - hyp.train_lo;
    if t >= n || !cur.takes {
        return;
    }
    let at = param_base + hyp.train_lo + t;
    let s = state_base + t;
    var p = params[at];
    var g = grads[at];
    if hyp.opt_variant == 1u {
        p = p * (1.0 - cur.lr * hyp.weight_decay);
    } else {
        g = g + hyp.weight_decay * p;
    }
    let m = hyp.beta1 * state[s] + (1.0 - hyp.beta1) * g;
    let v = hyp.beta2 * state[s + n] + (1.0 - hyp.beta2) * g * g;
    state[s] = m;
    state[s + n] = v;
    let m_hat = m / cur.bias1;
    let v_hat = v / cur.bias2;
    params[at] = p - cur.lr * m_hat / (sqrt(v_hat) + hyp.eps);
}
