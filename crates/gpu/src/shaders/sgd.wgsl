// SGD with heavy-ball momentum as PyTorch (dampening 0, L2 weight decay), one thread per parameter;
// the same arithmetic as crates/engine/src/optim/sgd.rs.

@group(0) @binding(0) var<storage, read_write> params: array<f32>;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> state: array<f32>; // velocity

@compute @workgroup_size(64)
fn sgd(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let t = thread_index(gid, nwg);
    if t >= hyp.n_params {
        return;
    }
    let p = params[t];
    let g = grads[t] + hyp.weight_decay * p;
    let b = hyp.momentum * state[t] + g;
    state[t] = b;
    params[t] = p - cur.lr * b;
}
