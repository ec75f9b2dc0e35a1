// Uniforms shared by the network kernels (forward, backward, loss, optimizers, prediction).
// The Rust mirrors are in src/ops/uniforms.rs; field order and padding must match.

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
    _pad: u32,
}

// What changes from one step (or prediction chunk) to the next.
struct Step {
    row_offset: u32,
    rows: u32,
    loss_slot: u32,
    _pad0: u32,
    lr: f32,
    bias1: f32,
    bias2: f32,
    _pad1: f32,
}

// Constant for a trainer: optimizer hyper-parameters and per-class loss terms.
struct Hyper {
    n_params: u32,
    scratch_off: u32,
    _p0: u32,
    _p1: u32,
    beta1: f32,
    beta2: f32,
    eps: f32,
    weight_decay: f32,
    momentum: f32,
    _f0: f32,
    _f1: f32,
    _f2: f32,
    // Per class c: x = loss weight, y = additive logit offset (1 and 0 for plain cross-entropy).
    class_terms: array<vec4<f32>, 10>,
}

@group(1) @binding(0) var<uniform> lay: Layer;
@group(1) @binding(1) var<uniform> cur: Step;
@group(1) @binding(2) var<uniform> hyp: Hyper;

const WG: u32 = 64u;

// Flat thread index for 1-D work dispatched as a 2-D grid of 64-wide workgroups (the grid's y
// dimension is used only when more than 65535 workgroups are needed).
fn thread_index(gid: vec3<u32>, nwg: vec3<u32>) -> u32 {
    return gid.x + gid.y * nwg.x * WG;
}
