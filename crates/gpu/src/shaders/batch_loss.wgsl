// Batch-level losses on softmax probabilities (crates/engine/src/loss/dice.rs `batch_soft`,
// crates/engine/src/loss/anyloss.rs), after `xent_grad` has left each row's probabilities p in the
// output layer's delta rows. For K = 2 only class 1 is scored; for K > 2 the mean over the K
// one-vs-rest problems (share = 1 / number of classes scored).
//
// `batch_stats` (one workgroup) sums, per scored class c, over the batch:
//   batch soft Dice: S1 = Σ p t, S2 = Σ p², T = Σ t  →  ℓ_c = 1 − (2 S1 + γ)/(S2 + T + γ),
//                    ∂ℓ/∂p_ic = share (−2/den · t_ic + 2 num/den² · p_ic);
//   AnyLoss:         S1 = TP = Σ A t, S2 = Σ A, T = P = Σ t (A = σ(L (p − ½))) → the metric's loss
//                    and its partials d_TP, d_ΣA; ∂ℓ/∂p_ic = share (d_TP t_ic + d_ΣA) L A (1 − A).
// It writes the two coefficients of each class into the loss scratch and the step's loss.
// `batch_grad` (one thread per row) forms ∂ℓ/∂p from them and chains through the softmax:
//   ∂ℓ/∂z_j = p_j (∂ℓ/∂p_j − Σ_c ∂ℓ/∂p_c p_c).

var<workgroup> sum_a: array<f32, 256>;
var<workgroup> sum_b: array<f32, 256>;
var<workgroup> sum_t: array<f32, 256>;

fn first_scored_class() -> u32 {
    return select(0u, 1u, layer_entry.fan_out == 2u);
}

fn amplify(p: f32) -> f32 {
    return 1.0 / (1.0 + exp(-hyp.loss_alpha * (p - 0.5)));
}

fn is_dice() -> bool {
    return hyp.loss_output == 3u;
}

// AnyLoss: (loss, ∂/∂TP, ∂/∂ΣA) of the metric, given P positives among n rows.
fn anyloss_metric(tp: f32, sa: f32, pos: f32, n: f32) -> vec3<f32> {
    let neg = n - pos;
    let tn = neg - sa + tp;
    let eps = hyp.loss_eps;
    switch hyp.loss_metric {
        case 0u: {
            return vec3<f32>(1.0 - (tp + tn) / n, -2.0 / n, 1.0 / n);
        }
        case 1u: {
            let b2 = hyp.loss_beta * hyp.loss_beta;
            let den = b2 * pos + sa + eps;
            return vec3<f32>(1.0 - (1.0 + b2) * tp / den, -(1.0 + b2) / den, (1.0 + b2) * tp / (den * den));
        }
        default: {
            let dp = pos + eps;
            let dn = neg + eps;
            let tpr = tp / dp;
            let tnr = tn / dn;
            if hyp.loss_metric == 3u {
                return vec3<f32>(1.0 - 0.5 * (tpr + tnr), -0.5 * (1.0 / dp + 1.0 / dn), 0.5 / dn);
            }
            let root = sqrt(tpr * tnr);
            if root == 0.0 {
                return vec3<f32>(1.0, 0.0, 0.0);
            }
            return vec3<f32>(1.0 - root, -(tnr / dp + tpr / dn) / (2.0 * root), (tpr / dn) / (2.0 * root));
        }
    }
}

fn tree_sum(li: u32) {
    for (var width = 128u; width > 0u; width >>= 1u) {
        if li < width {
            sum_a[li] += sum_a[li + width];
            sum_b[li] += sum_b[li + width];
            sum_t[li] += sum_t[li + width];
        }
        workgroupBarrier();
    }
}

@compute @workgroup_size(256)
fn batch_stats(@builtin(local_invocation_index) li: u32, @builtin(workgroup_id) wid: vec3<u32>) {
    enter(wid.z);
    // Loop bounds from the uniforms themselves, so the barriers below stay in uniform control flow.
    let k = layer_entry.fan_out;
    let rows = step_entry.rows;
    // Side by side with per-row losses: this member's loss comes from loss_reduce.
    let mine = hyp.loss_output >= 3u;
    let c0 = first_scored_class();
    let share = 1.0 / f32(k - c0);
    var total = 0.0;
    for (var c = c0; c < k; c++) {
        var a = 0.0;
        var b = 0.0;
        var t = 0.0;
        for (var i = li; i < rows; i += 256u) {
            let p = work[lay.d_off + i * k + c];
            let y = labels[row_index[batch_slot(i)]];
            let tc = select(0.0, 1.0, y == c);
            if is_dice() {
                a += p * tc;
                b += p * p;
            } else {
                let amp = amplify(p);
                a += amp * tc;
                b += amp;
            }
            t += tc;
        }
        sum_a[li] = a;
        sum_b[li] = b;
        sum_t[li] = t;
        workgroupBarrier();
        tree_sum(li);
        if li == 0u && mine {
            var coef_t = 0.0;
            var coef_x = 0.0;
            if is_dice() {
                let gamma = hyp.loss_gamma;
                let num = 2.0 * sum_a[0] + gamma;
                let den = sum_b[0] + sum_t[0] + gamma;
                total += share * (1.0 - num / den);
                coef_t = share * (-2.0 / den);
                coef_x = share * (2.0 * num / (den * den));
            } else {
                let m = anyloss_metric(sum_a[0], sum_b[0], sum_t[0], f32(rows));
                total += share * m.x;
                coef_t = share * m.y;
                coef_x = share * m.z;
            }
            work[hyp.scratch_off + 2u * c] = coef_t;
            work[hyp.scratch_off + 2u * c + 1u] = coef_x;
        }
        workgroupBarrier();
    }
    if li == 0u && mine {
        losses[cur.loss_slot] = total;
    }
}

// ∂ℓ/∂p_ic of row `i` from the class's coefficients (0 for a class that is not scored).
fn loss_slope(p: f32, c: u32, y: u32) -> f32 {
    if c < first_scored_class() {
        return 0.0;
    }
    let tc = select(0.0, 1.0, y == c);
    let coef_t = work[hyp.scratch_off + 2u * c];
    let coef_x = work[hyp.scratch_off + 2u * c + 1u];
    if is_dice() {
        return coef_t * tc + coef_x * p;
    }
    let amp = amplify(p);
    return (coef_t * tc + coef_x) * hyp.loss_alpha * amp * (1.0 - amp);
}

@compute @workgroup_size(64)
fn batch_grad(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    enter(gid.z);
    let i = thread_index(gid, nwg);
    if i >= cur.rows || hyp.loss_output < 3u {
        return;
    }
    let k = lay.fan_out;
    let y = labels[row_index[batch_slot(i)]];
    let d0 = lay.d_off + i * k;
    var inner = 0.0;
    for (var c = 0u; c < k; c++) {
        let p = work[d0 + c];
        inner += loss_slope(p, c, y) * p;
    }
    for (var c = 0u; c < k; c++) {
        let p = work[d0 + c];
        work[d0 + c] = p * (loss_slope(p, c, y) - inner);
    }
}
