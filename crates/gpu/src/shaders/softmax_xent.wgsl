// The loss on the output layer's logits (the `Layer` entry of the last layer), as the engine's
// `GpuLossForm` (crates/engine/src/loss/mod.rs and softmax_family.rs / focal.rs), in f32. One
// thread per batch row writes ∂L/∂z into the layer's delta and the row's loss numerator n_i into
// the scratch; `loss_reduce` then forms Σ_i n_i / D. The step's 1/D comes from the CPU (it depends
// only on the batch labels and the class weights), so the gradient is scaled by it here.
//
// Softmax family, per class c the terms (w_c, o_c, Δ_c) and the scale s, γ, smoothing ε:
//   u_j = s (z_j + o_j − [j = y] Δ_y),  p = softmax(u),  q = 1 − p_y,
//   n_i = w_y (1 − ε)(−q^γ ln p_y) + (ε/K) Σ_c w_c (−ln p_c),
//   ∂n_i/∂u_y = w_y (1−ε) H,  ∂n_i/∂u_j = −w_y (1−ε) H p_j / q  (j ≠ y),  H = γ q^γ p_y ln p_y − q^{γ+1},
//   plus (ε/K)(W p_j − w_j) from the smoothing term (W = Σ_c w_c); times s / D.
// Sigmoid (the sigmoid focal loss): n_i = Σ_j w_y α_t (1 − p_t)^γ (−ln p_t), p_t = σ(±z_j).

fn log1p_f(x: f32) -> f32 {
    let u = 1.0 + x;
    if u == 1.0 {
        return x;
    }
    // ln(u) · x / (u − 1) corrects the rounding of 1 + x (Goldberg's trick).
    return log(u) * (x / (u - 1.0));
}

fn softplus(x: f32) -> f32 {
    return max(x, 0.0) + log1p_f(exp(-abs(x)));
}

fn adjusted_logit(z0: u32, c: u32, y: u32) -> f32 {
    let t = hyp.class_terms[c];
    let margin = select(0.0, hyp.class_terms[y].z, c == y);
    return hyp.loss_scale * (work[z0 + c] + t.y - margin);
}

fn softmax_row(i: u32, y: u32) {
    let k = lay.fan_out;
    let z0 = lay.a_off + i * k;
    let d0 = lay.d_off + i * k;
    var m = -3.0e38;
    for (var c = 0u; c < k; c++) {
        m = max(m, adjusted_logit(z0, c, y));
    }
    var sum_all = 0.0;
    var sum_others = 0.0;
    for (var c = 0u; c < k; c++) {
        let e = exp(adjusted_logit(z0, c, y) - m);
        sum_all += e;
        if c != y {
            sum_others += e;
        }
    }
    let uy = adjusted_logit(z0, y, y);
    // When y holds the maximum, e_y = 1 and ln(1 + Σ_others) keeps ln p_y accurate near p_y = 1.
    let ln_sum = select(log(sum_all), log1p_f(sum_others), uy == m);
    let lse = m + ln_sum;
    let ln_p = uy - lse;
    let p = exp(ln_p);
    let q = sum_others / sum_all;
    let gamma = hyp.loss_gamma;
    var q_gamma = 1.0;
    if gamma != 0.0 {
        q_gamma = select(0.0, pow(q, gamma), q > 0.0);
    }
    let a = hyp.class_terms[y].x * (1.0 - hyp.loss_smoothing);
    var n_i = -a * q_gamma * ln_p;
    let h = gamma * q_gamma * p * ln_p - q_gamma * q;
    let eps_k = hyp.loss_smoothing / f32(k);
    let scale_inv = hyp.loss_scale * cur.inv_denom;
    for (var c = 0u; c < k; c++) {
        let u = adjusted_logit(z0, c, y);
        let e = exp(u - m);
        var d = 0.0;
        if c == y {
            d = a * h;
        } else if sum_others > 0.0 {
            d = -a * h * (e / sum_others);
        }
        if eps_k != 0.0 {
            let w_c = hyp.class_terms[c].x;
            n_i += eps_k * w_c * (lse - u);
            d += eps_k * (hyp.w_total * (e / sum_all) - w_c);
        }
        work[d0 + c] = d * scale_inv;
    }
    work[hyp.scratch_off + i] = n_i;
}

fn sigmoid_row(i: u32, y: u32) {
    let k = lay.fan_out;
    let z0 = lay.a_off + i * k;
    let d0 = lay.d_off + i * k;
    let w = hyp.class_terms[y].x;
    let gamma = hyp.loss_gamma;
    var total = 0.0;
    for (var j = 0u; j < k; j++) {
        let z = work[z0 + j];
        let is_target = j == y;
        let v = select(-z, z, is_target);
        let sign = select(-1.0, 1.0, is_target);
        var alpha_t = 1.0;
        if hyp.has_alpha == 1u {
            alpha_t = select(1.0 - hyp.sigmoid_alpha, hyp.sigmoid_alpha, is_target);
        }
        let nll = softplus(-v);
        let sp_v = softplus(v);
        let one_minus_pt = exp(-sp_v);
        var modulator = 1.0;
        if gamma != 0.0 {
            modulator = exp(-gamma * sp_v);
        }
        let pt = exp(-nll);
        let weight = w * alpha_t;
        total += weight * modulator * nll;
        let dv = -modulator * (gamma * pt * nll + one_minus_pt);
        work[d0 + j] = weight * sign * dv * cur.inv_denom;
    }
    work[hyp.scratch_off + i] = total;
}

// The largest logit of a row and Σ_c exp(z_c − max): the stable softmax of the raw logits.
fn row_max(z0: u32, k: u32) -> f32 {
    var m = -3.0e38;
    for (var c = 0u; c < k; c++) {
        m = max(m, work[z0 + c]);
    }
    return m;
}

fn row_exp_sum(z0: u32, k: u32, m: f32) -> f32 {
    var s = 0.0;
    for (var c = 0u; c < k; c++) {
        s += exp(work[z0 + c] - m);
    }
    return s;
}

// Self-adjusting Dice (crates/engine/src/loss/dice.rs): with p = p_y, r = 1 − p (as Σ_{j≠y} p_j),
// q = r^α p, n_i = 1 − (2q + γ)/(q + 1 + γ); ∂n_i/∂q = −(2 + γ)/(q + 1 + γ)²,
// ∂q/∂z_y = p r^α (r − α p), ∂q/∂z_j = −∂q/∂z_y · p_j / r. The batch mean comes from D = rows.
fn self_adjusting_dice_row(i: u32, y: u32) {
    let k = lay.fan_out;
    let z0 = lay.a_off + i * k;
    let d0 = lay.d_off + i * k;
    let m = row_max(z0, k);
    let sum_all = row_exp_sum(z0, k, m);
    let e_y = exp(work[z0 + y] - m);
    // Σ_{j≠y} e_j summed directly (not sum_all − e_y), so 1 − p keeps its precision as p → 1.
    var sum_others = 0.0;
    for (var c = 0u; c < k; c++) {
        if c != y {
            sum_others += exp(work[z0 + c] - m);
        }
    }
    let p = e_y / sum_all;
    let rest = sum_others / sum_all;
    let alpha = hyp.loss_alpha;
    var rest_a = 1.0;
    if alpha != 0.0 {
        rest_a = select(0.0, pow(rest, alpha), rest > 0.0);
    }
    let q = rest_a * p;
    let gamma = hyp.loss_gamma;
    let den = q + 1.0 + gamma;
    let dl_dq = -(2.0 + gamma) / (den * den);
    let d_y = p * rest_a * (rest - alpha * p);
    for (var c = 0u; c < k; c++) {
        var dq = 0.0;
        if c == y {
            dq = d_y;
        } else if sum_others > 0.0 {
            dq = -d_y * (exp(work[z0 + c] - m) / sum_others);
        }
        work[d0 + c] = dl_dq * dq * cur.inv_denom;
    }
    work[hyp.scratch_off + i] = 1.0 - (2.0 * q + gamma) / den;
}

// The batch-level losses first need every row's softmax probabilities: they go into the delta rows,
// which batch_loss.wgsl then turns into ∂L/∂z in place.
fn probabilities_row(i: u32) {
    let k = lay.fan_out;
    let z0 = lay.a_off + i * k;
    let d0 = lay.d_off + i * k;
    let m = row_max(z0, k);
    let sum_all = row_exp_sum(z0, k, m);
    for (var c = 0u; c < k; c++) {
        work[d0 + c] = exp(work[z0 + c] - m) / sum_all;
    }
}

@compute @workgroup_size(64)
fn xent_grad(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    enter(gid.z);
    let i = thread_index(gid, nwg);
    if i >= cur.rows {
        return;
    }
    let y = labels[row_index[batch_slot(i)]];
    switch hyp.loss_output {
        case 1u: {
            sigmoid_row(i, y);
        }
        case 2u: {
            self_adjusting_dice_row(i, y);
        }
        case 3u, 4u: {
            probabilities_row(i);
        }
        default: {
            softmax_row(i, y);
        }
    }
}

var<workgroup> partial_sums: array<f32, 256>;

// Σ_i n_i / D into `losses[loss_slot]`: one workgroup, strided partial sums, then a tree reduction
// (a fixed order, so the result does not depend on scheduling).
@compute @workgroup_size(256)
fn loss_reduce(@builtin(local_invocation_index) li: u32, @builtin(workgroup_id) wid: vec3<u32>) {
    enter(wid.z);
    var s = 0.0;
    for (var i = li; i < cur.rows; i += 256u) {
        s += work[hyp.scratch_off + i];
    }
    partial_sums[li] = s;
    workgroupBarrier();
    for (var width = 128u; width > 0u; width >>= 1u) {
        if li < width {
            partial_sums[li] += partial_sums[li + width];
        }
        workgroupBarrier();
    }
    // A batch-level member (batch_loss.wgsl) writes its own loss.
    if li == 0u && hyp.loss_output < 3u {
        losses[cur.loss_slot] = partial_sums[0] * cur.inv_denom;
    }
}
