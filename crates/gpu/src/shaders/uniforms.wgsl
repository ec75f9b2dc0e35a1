// Uniforms shared by the network kernels (forward, backward, loss, optimizers, prediction).
// The Rust mirrors are in src/ops/uniforms.rs; field order and padding must match.
//
// Side by side: one dispatch trains up to MAX_MEMBERS networks of the same shape at once (different
// seeds, losses, samplers or optimizer settings). The member is the dispatch's z coordinate; each
// member has its own slice of the parameter, gradient, optimizer-state and workspace buffers (at
// member × stride), its own `Hyper` entry and its own per-step scalars. Every entry point first calls
// `enter`, which sets the private views `lay`, `cur` and `hyp` below with the member's offsets
// already added, so the kernels index as if they trained one network.

// One layer of the network, and where its numbers live in the flat parameter vector and in the
// per-batch workspace (offsets in f32 elements).
struct Layer {
    fan_in: u32,
    fan_out: u32,
    w_off: u32,
    b_off: u32,
    in_off: u32,
    z_off: u32,
    a_off: u32,
    d_off: u32,
    prev_z_off: u32,
    prev_a_off: u32,
    prev_d_off: u32,
    act: u32,
    apply_act: u32,
    // 0: input rows are the previous layer's activations in `work`;
    // 1: data rows gathered through `row_index` (training batches);
    // 2: consecutive data rows starting at `row_offset` (prediction chunks).
    input_mode: u32,
    n_features: u32,
    // Output form of this layer: 0 dense; 1 cosine head (`Head::Cosine`); 2 τ-normalised dense
    // (prediction only: columns w_j / ‖w_j‖^τ, no bias).
    head: u32,
    // Cosine head: where forward leaves the batch rows' norms ‖h_i‖, the columns' ‖w_j‖ and the
    // normalised weights ŵ_kj = W_kj / ‖w_j‖ (fan_in × fan_out) for backward.
    row_norm_off: u32,
    col_norm_off: u32,
    w_hat_off: u32,
    _p1: u32,
}

const MAX_MEMBERS: u32 = 32u;

// What changes from one step (or prediction chunk) to the next.
struct Step {
    // Training: where this step's batch rows start in `row_index` (member m's rows follow at
    // m × rows); prediction: the chunk's first data row.
    row_offset: u32,
    rows: u32,
    loss_slot: u32,
    // Bit m set: member m takes this step (a member whose run has ended, or that waits at a stage
    // boundary, computes but does not update its parameters).
    takes_mask: u32,
    // The member that dispatch z = 0 is (prediction picks one member; training starts at 0).
    first_member: u32,
    _p0: u32,
    _p1: u32,
    _p2: u32,
    // Per member: lr, the bias corrections 1 − β1^t and 1 − β2^t, and 1 / D, the loss reduction's
    // denominator for this step's batch (0 when every weight is 0).
    scalars: array<vec4<f32>, MAX_MEMBERS>,
}

// One member's view of its step.
struct StepView {
    row_offset: u32,
    rows: u32,
    loss_slot: u32,
    takes: bool,
    lr: f32,
    bias1: f32,
    bias2: f32,
    inv_denom: f32,
}

// Constant between submissions: optimizer hyper-parameters, the loss (the engine's `GpuLossForm`,
// re-written when the loss changes, e.g. deferred re-weighting) and the trainable parameter range.
struct Hyper {
    n_params: u32,
    scratch_off: u32,
    // Members in the dispatch; floats per member of the workspace and of the optimizer state.
    members: u32,
    work_floats: u32,
    state_floats: u32,
    _h0: u32,
    _h1: u32,
    _h2: u32,
    _h3: u32,
    _h4: u32,
    // 0: softmax family; 1: one sigmoid per class; 2: self-adjusting Dice (per row);
    // 3: batch soft Dice, 4: AnyLoss (batch-level: shaders/batch_loss.wgsl).
    loss_output: u32,
    has_alpha: u32,
    beta1: f32,
    beta2: f32,
    eps: f32,
    weight_decay: f32,
    momentum: f32,
    loss_scale: f32,
    loss_gamma: f32,
    loss_smoothing: f32,
    sigmoid_alpha: f32,
    // Σ_c class weight (label smoothing's gradient term).
    w_total: f32,
    // 0: Adam with L2 / heavy-ball SGD; 1: AdamW (decoupled decay) / Nesterov SGD.
    opt_variant: u32,
    // AnyLoss metric: 0 accuracy, 1 F_β, 2 G-mean, 3 balanced accuracy.
    loss_metric: u32,
    // Parameters the optimizer updates: [train_lo, train_hi) (the output layer in stage 2).
    train_lo: u32,
    train_hi: u32,
    head_scale: f32,
    tau: f32,
    // Logits are multiplied by this before the prediction softmax (LDAM's s; 1 otherwise).
    pred_scale: f32,
    // Self-adjusting Dice: α; AnyLoss: the amplifier L.
    loss_alpha: f32,
    // AnyLoss: β of F_β and the guard ε.
    loss_beta: f32,
    loss_eps: f32,
    // Per class c: x = loss weight, y = additive logit offset, z = margin (LDAM).
    class_terms: array<vec4<f32>, 10>,
}

@group(1) @binding(0) var<uniform> layer_entry: Layer;
@group(1) @binding(1) var<uniform> step_entry: Step;
@group(1) @binding(2) var<uniform> hypers: array<Hyper, MAX_MEMBERS>;

// The member's views, set by `enter`.
var<private> lay: Layer;
var<private> cur: StepView;
var<private> hyp: Hyper;
// Start of the member's parameters (and gradients) and of its optimizer state.
var<private> param_base: u32;
var<private> state_base: u32;
var<private> member: u32;

// `slot`: the dispatch's z coordinate (the member's workspace slot).
fn enter(slot: u32) {
    let m = step_entry.first_member + slot;
    member = m;
    hyp = hypers[m];
    let p0 = m * hyp.n_params;
    let w0 = slot * hyp.work_floats;
    param_base = p0;
    state_base = m * hyp.state_floats;
    hyp.scratch_off += w0;
    lay = layer_entry;
    lay.w_off += p0;
    lay.b_off += p0;
    lay.in_off += w0;
    lay.z_off += w0;
    lay.a_off += w0;
    lay.d_off += w0;
    lay.prev_z_off += w0;
    lay.prev_a_off += w0;
    lay.prev_d_off += w0;
    lay.row_norm_off += w0;
    lay.col_norm_off += w0;
    lay.w_hat_off += w0;
    let sc = step_entry.scalars[m];
    cur.row_offset = step_entry.row_offset;
    cur.rows = step_entry.rows;
    cur.loss_slot = step_entry.loss_slot * hyp.members + m;
    cur.takes = ((step_entry.takes_mask >> m) & 1u) == 1u;
    cur.lr = sc.x;
    cur.bias1 = sc.y;
    cur.bias2 = sc.z;
    cur.inv_denom = sc.w;
}

// Where member m's batch row i is listed in `row_index` (training).
fn batch_slot(i: u32) -> u32 {
    return cur.row_offset + member * cur.rows + i;
}

const WG: u32 = 64u;

// Flat thread index for 1-D work dispatched as a 2-D grid of 64-wide workgroups (the grid's y
// dimension is used only when more than 65535 workgroups are needed).
fn thread_index(gid: vec3<u32>, nwg: vec3<u32>) -> u32 {
    return gid.x + gid.y * nwg.x * WG;
}
