// SGD with heavy-ball momentum as PyTorch (dampening 0, L2 weight decay), or with Nesterov momentum
// (`opt_variant` 1: p ← p − lr (g + μ b)), one thread per trainable parameter; the same arithmetic
// as crates/engine/src/optim/sgd.rs. Only parameters train_lo .. train_hi are updated.

@group(0) @binding(0) var<storage, read_write> params: array<f32>;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> state: array<f32>; // velocity

@compute @workgroup_size(64)
fn sgd(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    enter(gid.z);
    let t = thread_index(gid, nwg);
    if t >= hyp.train_hi - hyp.train_lo || !cur.takes {
        return;
    }
    let at = param_base + hyp.train_lo + t;
    let s = state_base + t;
    let p = params[at];
    let g = grads[at] + hyp.weight_decay * p;
    let b = hyp.momentum * state[s] + g;
    state[s] = b;
    if hyp.opt_variant == 1u {
        params[at] = p - cur.lr * (g + hyp.momentum * b);
    } else {
        params[at] = p - cur.lr * b;
    }
}
