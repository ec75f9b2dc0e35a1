// Class probabilities of a prediction chunk: a numerically stable softmax (max subtracted) of each
// row of logits times `pred_scale` (LDAM trains softmax(s·z); 1 otherwise), written at the chunk's
// rows of `probs` (n × K). As `Experiment::predict_proba`.

@compute @workgroup_size(64)
fn softmax_rows(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    enter(gid.z);
    let i = thread_index(gid, nwg);
    if i >= cur.rows {
        return;
    }
    let k = lay.fan_out;
    let z0 = lay.a_off + i * k;
    let out0 = (cur.row_offset + i) * k;
    var m = -3.0e38;
    for (var c = 0u; c < k; c++) {
        m = max(m, hyp.pred_scale * work[z0 + c]);
    }
    var sum = 0.0;
    for (var c = 0u; c < k; c++) {
        let e = exp(hyp.pred_scale * work[z0 + c] - m);
        probs[out0 + c] = e;
        sum += e;
    }
    for (var c = 0u; c < k; c++) {
        probs[out0 + c] = probs[out0 + c] / sum;
    }
}
