// One dense layer for a batch: z[i][j] = (Σ_k in[i][k] · W[k][j], k ascending) + b[j], then the
// activation on hidden layers (the output layer keeps its logits, a = z). One thread per (i, j);
// the summation order is the engine's, so only rounding of fused operations can differ.
//
// The output layer may instead be the cosine head, z_ij = s · (Σ_k h_ik W_kj) / (‖h_i‖ · ‖w_j‖)
// (crates/engine/src/model/head.rs, same sums in the same order; the norms are left in the workspace
// for backward, with ŵ = W / ‖w_j‖), or, for prediction, τ-normalised: Σ_k h_ik · (W_kj / ‖w_j‖^τ) with no bias
// (`Mlp::tau_normalized`).

const NORM_EPS: f32 = 1e-12;

// ‖w_j‖ of output column j (squares summed over k ascending), at least NORM_EPS.
fn column_norm(j: u32) -> f32 {
    let fo = lay.fan_out;
    var s = 0.0;
    for (var k = 0u; k < lay.fan_in; k++) {
        let w = params[lay.w_off + k * fo + j];
        s += w * w;
    }
    return max(sqrt(s), NORM_EPS);
}

@compute @workgroup_size(64)
fn forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    enter(gid.z);
    let t = thread_index(gid, nwg);
    let fo = lay.fan_out;
    if t >= cur.rows * fo {
        return;
    }
    let i = t / fo;
    let j = t % fo;
    let base = input_base(i);
    var acc = 0.0;
    if lay.head == 1u {
        var hs = 0.0;
        for (var k = 0u; k < lay.fan_in; k++) {
            let h = input_at(base, k);
            hs += h * h;
            acc += h * params[lay.w_off + k * fo + j];
        }
        let hn = max(sqrt(hs), NORM_EPS);
        let wn = column_norm(j);
        let z = hyp.head_scale * (acc / (hn * wn));
        work[lay.z_off + t] = z;
        work[lay.a_off + t] = z;
        if j == 0u {
            work[lay.row_norm_off + i] = hn;
        }
        if i == 0u {
            work[lay.col_norm_off + j] = wn;
            for (var k = 0u; k < lay.fan_in; k++) {
                work[lay.w_hat_off + k * fo + j] = params[lay.w_off + k * fo + j] / wn;
            }
        }
        return;
    }
    if lay.head == 2u {
        let f = 1.0 / pow(column_norm(j), hyp.tau);
        for (var k = 0u; k < lay.fan_in; k++) {
            acc += input_at(base, k) * (params[lay.w_off + k * fo + j] * f);
        }
        work[lay.z_off + t] = acc;
        work[lay.a_off + t] = acc;
        return;
    }
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
