"""Times imbalanced-learn's samplers on the datasets that `imlab bench-resample` wrote.

Usage: python imblearn_resample.py --manifest DIR/manifest.json --out DIR/imblearn.json [--timeout S]

Each case runs in a forked child so that one that exceeds --timeout seconds can be killed; the
parent imports imbalanced-learn and loads each dataset once. Only `fit_resample` is timed
(median of up to 5 runs within a few seconds). Every sampler keeps the library's defaults
(`n_jobs` unset; scikit-learn's neighbour search still uses its OpenMP threads, reported under
"threads"). The outcome reported back is what `imlab` compares with its own: sorted
`sample_indices_` for the cleaners and NearMiss, per-class output counts for the over-samplers.
"""

import argparse
import json
import multiprocessing as mp
import os
import sys
import time

import numpy as np

MAX_REPS = 5
BUDGET_S = 3.0


def make_sampler(method):
    from imblearn.over_sampling import ADASYN, SMOTE, BorderlineSMOTE
    from imblearn.under_sampling import EditedNearestNeighbours, NearMiss, TomekLinks

    return {
        "smote": lambda: SMOTE(random_state=0),
        "adasyn": lambda: ADASYN(random_state=0),
        "borderline1": lambda: BorderlineSMOTE(kind="borderline-1", random_state=0),
        "tomek": lambda: TomekLinks(),
        "enn": lambda: EditedNearestNeighbours(),
        "nearmiss1": lambda: NearMiss(version=1),
    }[method]()


def run_case(method, X, y, conn):
    try:
        times = []
        while True:
            sampler = make_sampler(method)
            t = time.perf_counter()
            _, y_res = sampler.fit_resample(X, y)
            times.append(time.perf_counter() - t)
            if len(times) >= MAX_REPS or sum(times) >= BUDGET_S:
                break
        if hasattr(sampler, "sample_indices_"):
            outcome = sorted(int(i) for i in sampler.sample_indices_)
        else:
            outcome = np.bincount(y_res, minlength=int(y.max()) + 1).tolist()
        conn.send({
            "status": "ok",
            "ms": float(np.median(times)) * 1e3,
            "reps": len(times),
            "outcome": outcome,
        })
    except Exception as e:  # reported in the table, not fatal for the other cases
        conn.send({"status": "error", "error": f"{type(e).__name__}: {e}"})


def threads_summary():
    try:
        from threadpoolctl import threadpool_info

        pools = [f"{p['internal_api']} {p['num_threads']} thread(s)" for p in threadpool_info()]
        return "thread pools: " + (", ".join(pools) if pools else "none loaded")
    except Exception as e:
        return f"thread pools unknown ({e})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--timeout", type=float, default=120.0)
    a = ap.parse_args()
    import imblearn
    import sklearn

    # Load the neighbour-search and OpenMP modules before forking, so the summary sees them.
    import sklearn.neighbors  # noqa: F401

    with open(a.manifest) as f:
        cases = json.load(f)["cases"]
    base = os.path.dirname(os.path.abspath(a.manifest))
    ctx = mp.get_context("fork")
    results = {}
    loaded = {}
    for case in cases:
        name = case["data"]
        if name not in loaded:
            X = np.fromfile(os.path.join(base, name + ".x.f64"), dtype="<f8")
            y = np.fromfile(os.path.join(base, name + ".y.i64"), dtype="<i8")
            loaded = {name: (X.reshape(len(y), case["features"]), y)}
        X, y = loaded[name]
        recv, send = ctx.Pipe(duplex=False)
        p = ctx.Process(target=run_case, args=(case["method"], X, y, send))
        p.start()
        send.close()
        if recv.poll(a.timeout):
            try:
                r = recv.recv()
            except EOFError:
                r = {"status": "error", "error": "child died"}
        else:
            r = {"status": "timeout"}
            p.terminate()
        p.join()
        recv.close()
        shown = f"{r['ms']:.1f} ms" if r["status"] == "ok" else r["status"]
        print(f"  {case['id']:<30} {shown}", file=sys.stderr, flush=True)
        results[case["id"]] = r
    with open(a.out, "w") as f:
        json.dump({
            "versions": f"imbalanced-learn {imblearn.__version__}, scikit-learn {sklearn.__version__}, numpy {np.__version__}",
            "threads": threads_summary(),
            "cases": results,
        }, f)


if __name__ == "__main__":
    main()
