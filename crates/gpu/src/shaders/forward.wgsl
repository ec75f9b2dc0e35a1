// One dense layer for a batch: z[i][j] = (Σ_k in[i][k] · W[k][j], k ascending) + b[j], then the
// activation on hidden layers (the output layer keeps its logits, a = z). One thread per (i, j);
// the summation order is the engine's, so only rounding of fused operations can differ.

@compute @workgroup_size(64)
fn forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let t = thread_index(gid, nwg);
    let fo = lay.fan_out;
    if t >= cur.rows * fo {
        return;
    }
    let i = t / fo;
    let j = t % fo;
    let base = input_base(i);
    var acc = 0.0;
    for (var k = 0u; k < lay.fan_in; k++) {
        acc += input_at(base, k) * params[lay.w_off + k * fo + j];
    }
    acc += params[lay.b_off + j];
    work[lay.z_off + t] = acc;
    if lay.apply_act == 1u {
        work[lay.a_off + t] = activate(acc, lay.act);
    } else {
        work[lay.a_off + t] = acc;
    }
}
