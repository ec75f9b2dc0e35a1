"""Per-group clean and robust recall of the `adversarial-disparity` preset (docs/paper-presets.md).

The sweep's columns give the worst class and the gap; this script splits the recalls into the two
well-represented classes (700 training rows each) and the two under-represented ones (70 each), as
Wang et al. 2022 compare them. It runs `imlab run --link` on each method and seed of the preset
(the base link and methods below are those of `crates/engine/src/sweep/presets.rs`; the ERM methods
leave the adversarial keys out instead of writing `adversarial=none`) and prints mean ± sd.

usage: python tools/presets/adversarial_per_class.py [path/to/imlab] [seeds]
"""

import json
import statistics as st
import subprocess
import sys

IMLAB = sys.argv[1] if len(sys.argv) > 1 else "target/release/imlab"
SEEDS = int(sys.argv[2]) if len(sys.argv) > 2 else 10
BASE = (
    "dataset.generator=blobs&dataset.noise=1&dataset.counts.kind=step"
    "&dataset.counts.n_max=1000&dataset.counts.rho=10&dataset.counts.mu=0.5"
    "&dataset.counts.classes=4&model.hidden=[16,16]&batch_size=64&epochs=30"
    "&robust_eval.method.kind=pgd&robust_eval.method.steps=10&robust_eval.norm=linf"
    "&robust_eval.epsilon=0.5"
)
AT = (
    "adversarial.attack.method.kind=pgd&adversarial.attack.method.steps=5"
    "&adversarial.attack.norm=linf&adversarial.attack.epsilon=0.5"
)
METHODS = [
    ("erm", ""),
    ("reweighted_erm", "loss.kind=weighted_ce"),
    ("at", AT),
    ("reweighted_at", AT + "&adversarial.class_weights.scheme=inverse_frequency"),
    ("at_balanced_softmax", AT + "&loss.kind=balanced_softmax"),
]


def run(link):
    out = subprocess.run([IMLAB, "run", "--link", link], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["final"]


print("| method | clean, well-represented | clean, under-represented | robust, well-represented | robust, under-represented |")
print("| --- | --- | --- | --- | --- |")
for name, settings in METHODS:
    cols = {k: [] for k in ("clean_maj", "clean_min", "robust_maj", "robust_min")}
    for seed in range(SEEDS):
        link = "#v=2&" + BASE + ("&" + settings if settings else "") + f"&seed={seed}"
        final = run(link)
        r, counts = final["robust"], final["train_counts"]
        major = [c for c, n in enumerate(counts) if n == max(counts)]
        minor = [c for c in range(len(counts)) if c not in major]
        for kind in ("clean", "robust"):
            rec = r[f"{kind}_recall"]
            cols[f"{kind}_maj"].append(st.mean(rec[c] for c in major))
            cols[f"{kind}_min"].append(st.mean(rec[c] for c in minor))
    cells = " | ".join(f"{st.mean(v):.3f} ± {st.stdev(v):.3f}" for v in cols.values())
    print(f"| {name} | {cells} |")
