"""Times scikit-learn's MLPClassifier on the rows `imlab bench train --data-out` wrote, and prints the
comparison table with the native result (`--native` JSON from the same run of scripts/bench-train.sh).

Same architecture as the engine's benchmark: 2 -> 32 -> 32 -> 2, ReLU, Adam (lr 0.001, betas
0.9/0.999, eps 1e-8), no L2 (alpha=0), batch B, E epochs, float32. scikit-learn uses a softmax output
only for three or more classes, so the labels are given as a two-column indicator matrix: two
logistic outputs, the same 2 -> 32 -> 32 -> 2 shape and arithmetic as the engine's two-way softmax.
`tol=0` and `n_iter_no_change=E+1` keep it from stopping early; only `fit` is timed.

With `y_0,y_1,...` columns (`imlab bench train --multilabel --data-out`) the targets are that
indicator matrix: a multi-label fit, 2 -> 32 -> 32 -> L with one logistic output per label, as the
engine's sigmoid head with binary cross-entropy.
"""

import argparse
import json
import os
import statistics
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

try:
    from threadpoolctl import threadpool_info
except ImportError:  # threadpoolctl ships with scikit-learn; keep working without it
    threadpool_info = None


def time_fit(x, y, epochs, batch, repeat):
    seconds = []
    model = None
    for rep in range(repeat):
        model = MLPClassifier(
            hidden_layer_sizes=(32, 32),
            activation="relu",
            solver="adam",
            alpha=0.0,
            batch_size=batch,
            learning_rate_init=0.001,
            beta_1=0.9,
            beta_2=0.999,
            epsilon=1e-8,
            max_iter=epochs,
            tol=0.0,
            n_iter_no_change=epochs + 1,
            shuffle=True,
            random_state=rep,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            start = time.perf_counter()
            model.fit(x, y)
            seconds.append(time.perf_counter() - start)
    return seconds, model


def blas_threads():
    if threadpool_info is None:
        return "threadpoolctl not available"
    parts = []
    for pool in threadpool_info():
        parts.append(
            f"{pool.get('internal_api')} {pool.get('version')} "
            f"core={pool.get('architecture')} threads={pool.get('num_threads')}"
        )
    return "; ".join(parts) or "no BLAS/OpenMP pool loaded"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, help="CSV x0,x1,y from `imlab bench train --data-out`")
    ap.add_argument("--native", required=True, help="JSON printed by `imlab bench train`")
    ap.add_argument("--epochs", type=int, required=True)
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--label", default="scikit-learn MLPClassifier")
    ap.add_argument("--sklearn-json", help="also write the scikit-learn result here")
    ap.add_argument("--other", action="append", default=[], help="more scikit-learn JSON rows for the table")
    args = ap.parse_args()

    with open(args.data) as f:
        header = f.readline().strip().split(",")
    table = np.loadtxt(args.data, delimiter=",", skiprows=1, dtype=np.float32)
    label_cols = [i for i, h in enumerate(header) if h.startswith("y_")]
    if label_cols:
        # Multi-label (`imlab bench train --multilabel`): the 0/1 indicator columns as they are;
        # MLPClassifier then has one logistic output per label and the binary log-loss (BCE).
        x = np.ascontiguousarray(table[:, : label_cols[0]])
        y = table[:, label_cols].astype(np.int64)
        labels = y
    else:
        x = np.ascontiguousarray(table[:, :-1])
        labels = table[:, -1].astype(np.int64)
        y = np.zeros((len(labels), 2), dtype=np.int64)
        y[np.arange(len(labels)), labels] = 1

    seconds, model = time_fit(x, y, args.epochs, args.batch, args.repeat)
    rows = len(labels)
    env = {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS",
                                          "OPENBLAS_NUM_THREADS")}
    sk = {
        "implementation": args.label,
        "rows": rows,
        "epochs": args.epochs,
        "samples_processed": rows * args.epochs,
        "seconds": seconds,
        "best_s": min(seconds),
        "median_s": statistics.median(seconds),
        "dtype": str(model.coefs_[0].dtype),
        "n_iter": model.n_iter_,
        "threads": blas_threads(),
        "env": env,
    }
    if args.sklearn_json:
        with open(args.sklearn_json, "w") as f:
            json.dump(sk, f)

    with open(args.native) as f:
        nat = json.load(f)
    others = []
    for path in args.other:
        with open(path) as f:
            others.append(json.load(f))

    entries = [
        (nat["implementation"], nat["train_rows"], nat["epochs"], nat["samples_processed"],
         nat["best_s"], nat["median_s"]),
    ]
    for s in others + [sk]:
        entries.append((s["implementation"], s["rows"], s["epochs"], s["samples_processed"],
                        s["best_s"], s["median_s"]))
    ref = sk["samples_processed"] / sk["best_s"]
    width = max([58] + [len(e[0]) for e in entries])
    head = f"{'implementation':<{width}} {'rows':>7} {'epochs':>6} {'best s':>8} {'median s':>8} " \
           f"{'samples·epochs/s':>17} {'ratio':>6}"
    print(head)
    print("-" * len(head))
    for name, r, e, samples, best, median in entries:
        rate = samples / best
        print(f"{name:<{width}} {r:>7} {e:>6} {best:>8.3f} {median:>8.3f} {rate:>17,.0f} {rate / ref:>6.2f}")
    print()
    print("samples·epochs/s uses the best run; ratio is to the last scikit-learn row.")
    print(f"native: {nat['steps']} steps of {nat['batch']} (the remainder of each epoch is dropped); "
          f"CPU time of the training thread, best {nat.get('cpu_best_s', float('nan')):.3f} s "
          f"(= {nat.get('samples_epochs_per_cpu_s_best', float('nan')):,.0f} samples·epochs per CPU second)")
    for s in others + [sk]:
        print(f"{s['implementation']}: dtype {s['dtype']}, {s['n_iter']} epochs run; {s['threads']}; "
              f"env {s['env']}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
