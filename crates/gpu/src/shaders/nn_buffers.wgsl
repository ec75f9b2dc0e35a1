// Storage buffers of the network kernels. Each entry point uses at most four of them, so every
// kernel fits the downlevel limit of four storage buffers per stage.

@group(0) @binding(0) var<storage, read> x: array<f32>;          // data rows, n × n_features
@group(0) @binding(1) var<storage, read> row_index: array<u32>;  // batch rows of every step
@group(0) @binding(2) var<storage, read> params: array<f32>;     // flat parameters (engine layout)
@group(0) @binding(3) var<storage, read_write> work: array<f32>; // z, a, delta per layer; scratch
@group(0) @binding(4) var<storage, read_write> grads: array<f32>;
@group(0) @binding(5) var<storage, read> labels: array<u32>;
@group(0) @binding(6) var<storage, read_write> losses: array<f32>; // one mean loss per step
@group(0) @binding(7) var<storage, read_write> probs: array<f32>;  // prediction output, n × K

// Index of the first input value of batch row i (into `x` or `work`, see `Layer.input_mode`).
fn input_base(i: u32) -> u32 {
    switch lay.input_mode {
        case 1u: {
            return row_index[batch_slot(i)] * lay.n_features;
        }
        case 2u: {
            return (cur.row_offset + i) * lay.n_features;
        }
        default: {
            return lay.in_off + i * lay.fan_in;
        }
    }
}

fn input_at(base: u32, k: u32) -> f32 {
    if lay.input_mode == 0u {
        return work[base + k];
    }
    return x[base + k];
}
