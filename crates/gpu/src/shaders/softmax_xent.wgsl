// Softmax cross-entropy on the output layer's logits (the `Layer` entry of the last layer):
// per row, with adjusted logits z'_c = z_c + offset_c and weight w = weight_{y},
//   loss_i = w · (logsumexp(z') − z'_y),   ∂L/∂z_c = w · (softmax(z')_c − [c = y]) / n.
// With weights 1 and offsets 0 this is the engine's mean cross-entropy; the per-class terms are in
// place for weighted and logit-adjusted losses.

@compute @workgroup_size(64)
fn xent_grad(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = thread_index(gid, nwg);
    if i >= cur.rows {
        return;
    }
    let k = lay.fan_out;
    let z0 = lay.a_off + i * k;
    var m = -3.0e38;
    for (var c = 0u; c < k; c++) {
        m = max(m, work[z0 + c] + hyp.class_terms[c].y);
    }
    var sum = 0.0;
    for (var c = 0u; c < k; c++) {
        sum += exp(work[z0 + c] + hyp.class_terms[c].y - m);
    }
    let lse = log(sum) + m;
    let y = labels[row_index[cur.row_offset + i]];
    let w = hyp.class_terms[y].x;
    let inv_n = 1.0 / f32(cur.rows);
    for (var c = 0u; c < k; c++) {
        let p = exp(work[z0 + c] + hyp.class_terms[c].y - lse);
        let hot = select(0.0, 1.0, c == y);
        work[lay.d_off + i * k + c] = w * (p - hot) * inv_n;
    }
    work[hyp.scratch_off + i] = w * (lse - (work[z0 + y] + hyp.class_terms[y].y));
}

var<workgroup> partial_sums: array<f32, 256>;

// Mean of the per-row losses into `losses[loss_slot]`: one workgroup, strided partial sums, then a
// tree reduction (a fixed order, so the result does not depend on scheduling).
@compute @workgroup_size(256)
fn loss_reduce(@builtin(local_invocation_index) li: u32) {
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
    if li == 0u {
        losses[cur.loss_slot] = partial_sums[0] / f32(cur.rows);
    }
}
