// Backward pass of one dense layer, given its delta (∂L/∂z, rows × fan_out).
//
// For the cosine head (crates/engine/src/model/head.rs), with ĥ = h/‖h‖, ŵ_j = w_j/‖w_j‖,
// c_j = z_j / s and g_j = s · δ_j: ∂L/∂W_kj = Σ_i g_ij (ĥ_ik − c_ij ŵ_kj) / ‖w_j‖, no bias gradient,
// and ∂L/∂h_ik = (Σ_j g_ij (ŵ_kj − c_ij ĥ_ik)) / ‖h_i‖. The norms and ŵ are the ones forward stored.

// ∂L/∂W[k][j] = Σ_i in[i][k] · δ[i][j] and ∂L/∂b[j] = Σ_i δ[i][j], i ascending. One thread per
// weight or bias; every parameter is written, so the gradient buffer needs no clearing.
@compute @workgroup_size(64)
fn grad_weights(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    enter(gid.z);
    let t = thread_index(gid, nwg);
    let fo = lay.fan_out;
    let n_w = lay.fan_in * fo;
    if t >= n_w + fo {
        return;
    }
    var acc = 0.0;
    if lay.head == 1u {
        if t < n_w {
            let k = t / fo;
            let j = t % fo;
            let s = hyp.head_scale;
            let wn = work[lay.col_norm_off + j];
            let w_hat = work[lay.w_hat_off + t];
            for (var i = 0u; i < cur.rows; i++) {
                let h_hat = input_at(input_base(i), k) / work[lay.row_norm_off + i];
                let g = s * work[lay.d_off + i * fo + j];
                let c = work[lay.a_off + i * fo + j] / s;
                acc += g * (h_hat - c * w_hat) / wn;
            }
            grads[lay.w_off + t] = acc;
        } else {
            grads[lay.b_off + t - n_w] = 0.0;
        }
        return;
    }
    if t < n_w {
        let k = t / fo;
        let j = t % fo;
        for (var i = 0u; i < cur.rows; i++) {
            acc += input_at(input_base(i), k) * work[lay.d_off + i * fo + j];
        }
        grads[lay.w_off + t] = acc;
    } else {
        let j = t - n_w;
        for (var i = 0u; i < cur.rows; i++) {
            acc += work[lay.d_off + i * fo + j];
        }
        grads[lay.b_off + j] = acc;
    }
}

// δ_prev[i][k] = (Σ_j W[k][j] · δ[i][j], j ascending) · act'(z_prev[i][k], a_prev[i][k]).
@compute @workgroup_size(64)
fn backprop_delta(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    enter(gid.z);
    let t = thread_index(gid, nwg);
    let fi = lay.fan_in;
    let fo = lay.fan_out;
    if t >= cur.rows * fi {
        return;
    }
    let i = t / fi;
    let k = t % fi;
    var s = 0.0;
    if lay.head == 1u {
        let sc = hyp.head_scale;
        let hn = work[lay.row_norm_off + i];
        let h_hat = work[lay.prev_a_off + t] / hn;
        for (var j = 0u; j < fo; j++) {
            let g = sc * work[lay.d_off + i * fo + j];
            let c = work[lay.a_off + i * fo + j] / sc;
            let w_hat = work[lay.w_hat_off + k * fo + j];
            s += g * (w_hat - c * h_hat);
        }
        s = s / hn;
    } else {
        for (var j = 0u; j < fo; j++) {
            s += params[lay.w_off + k * fo + j] * work[lay.d_off + i * fo + j];
        }
    }
    let z = work[lay.prev_z_off + t];
    let a = work[lay.prev_a_off + t];
    work[lay.prev_d_off + t] = s * activate_grad(z, a, lay.act);
}
