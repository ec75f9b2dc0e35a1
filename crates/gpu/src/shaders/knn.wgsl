// Exact squared Euclidean distances and k nearest neighbours (k ≤ 32), with the engine's tie rule:
// nearest first, equal distances by lower fit-row index (crates/engine/src/neighbors.rs). Sums run
// over features in ascending order in f32.

struct Shape {
    n_fit: u32,
    n_query: u32,
    d: u32,
    k: u32,
}

@group(0) @binding(0) var<storage, read> fit: array<f32>;
@group(0) @binding(1) var<storage, read> query: array<f32>;
@group(0) @binding(2) var<storage, read_write> out_index: array<u32>;
@group(0) @binding(3) var<storage, read_write> out_dist: array<f32>;
@group(0) @binding(4) var<uniform> shape: Shape;

const KMAX: u32 = 32u;
// Fit rows are staged through workgroup memory in tiles of at most this many floats (fits the
// 16 KiB downlevel limit).
const TILE: u32 = 4032u;
var<workgroup> tile: array<f32, 4032>;

// Full distance matrix, row-major n_query × n_fit; x runs over fit rows, y over query rows.
@compute @workgroup_size(8, 8)
fn pairwise(@builtin(global_invocation_id) gid: vec3<u32>) {
    let j = gid.x;
    let q = gid.y;
    if j >= shape.n_fit || q >= shape.n_query {
        return;
    }
    var s = 0.0;
    for (var f = 0u; f < shape.d; f++) {
        let t = query[q * shape.d + f] - fit[j * shape.d + f];
        s += t * t;
    }
    out_dist[q * shape.n_fit + j] = s;
}

// One thread per query row keeps a sorted list of its k best (distance, index) pairs. Fit rows are
// scanned in ascending index order and a candidate displaces an entry only when strictly nearer,
// so among equal distances the lower index stays first.
@compute @workgroup_size(64)
fn top_k(
    @builtin(workgroup_id) wid: vec3<u32>,
    @builtin(local_invocation_index) li: u32,
    @builtin(num_workgroups) nwg: vec3<u32>,
) {
    let q = (wid.x + wid.y * nwg.x) * 64u + li;
    let d = shape.d;
    let k = shape.k;
    let in_range = q < shape.n_query;
    var best_d: array<f32, KMAX>;
    var best_i: array<u32, KMAX>;
    var count = 0u;
    let rows_per_tile = TILE / d;
    for (var start = 0u; start < shape.n_fit; start += rows_per_tile) {
        let rows = min(rows_per_tile, shape.n_fit - start);
        workgroupBarrier();
        for (var e = li; e < rows * d; e += 64u) {
            tile[e] = fit[start * d + e];
        }
        workgroupBarrier();
        if in_range {
            for (var r = 0u; r < rows; r++) {
                var s = 0.0;
                for (var f = 0u; f < d; f++) {
                    let t = query[q * d + f] - tile[r * d + f];
                    s += t * t;
                }
                if count < k || s < best_d[k - 1u] {
                    var pos = min(count, k - 1u);
                    if count < k {
                        count += 1u;
                    }
                    while pos > 0u && best_d[pos - 1u] > s {
                        best_d[pos] = best_d[pos - 1u];
                        best_i[pos] = best_i[pos - 1u];
                        pos -= 1u;
                    }
                    best_d[pos] = s;
                    best_i[pos] = start + r;
                }
            }
        }
    }
    if in_range {
        for (var c = 0u; c < k; c++) {
            out_index[q * k + c] = best_i[c];
            out_dist[q * k + c] = best_d[c];
        }
    }
}
