// Backward pass of one dense layer, given its delta (∂L/∂z, rows × fan_out).

// ∂L/∂W[k][j] = Σ_i in[i][k] · δ[i][j] and ∂L/∂b[j] = Σ_i δ[i][j], i ascending. One thread per
// weight or bias; every parameter is written, so the gradient buffer needs no clearing.
@compute @workgroup_size(64)
fn grad_weights(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let t = thread_index(gid, nwg);
    let fo = lay.fan_out;
    let n_w = lay.fan_in * fo;
    if t >= n_w + fo {
        return;
    }
    var acc = 0.0;
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
    let t = thread_index(gid, nwg);
    let fi = lay.fan_in;
    let fo = lay.fan_out;
    if t >= cur.rows * fi {
        return;
    }
    let i = t / fi;
    let k = t % fi;
    var s = 0.0;
    for (var j = 0u; j < fo; j++) {
        s += params[lay.w_off + k * fo + j] * work[lay.d_off + i * fo + j];
    }
    let z = work[lay.prev_z_off + t];
    let a = work[lay.prev_a_off + t];
    work[lay.prev_d_off + t] = s * activate_grad(z, a, lay.act);
}
