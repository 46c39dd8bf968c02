#!/usr/bin/env python3
"""NumPy reference for the relu2 training step: the authors' toy.py theory-matching configuration
(full batch n=1000, d=256, 32 core + 32 background features, width m, hinge loss, frozen ±1/m output,
SGD lr 1e-3 momentum 0.9 weight decay 1e-3, PyTorch semantics), float64, in R^d as toy.py trains.

Prints one JSON line: {"width": m, "steps": s, "seconds": t, "steps_per_second": s/t, ...}.
`simulate-bench` runs this script and reports the ratio of its own steps/s to this one's.
"""
import argparse, json, os, time
import numpy as np

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--width", type=int, default=256)
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    n, d, kc, kb, m = 1000, 256, 32, 32, args.width
    _, _, vh = np.linalg.svd(rng.standard_normal((kc + kb, d)), full_matrices=False)
    y = np.where(np.arange(n) < n // 2, 1.0, -1.0)
    z = np.concatenate([y[:, None] * rng.uniform(0, 1, (n, kc)), rng.uniform(0, 1, (n, kb))], axis=1)
    x = z @ vh
    bound = 1 / np.sqrt(d)
    w = rng.uniform(-bound, bound, (m, d)); b = rng.uniform(-bound, bound, m)
    a = np.where(np.arange(m) < m // 2, 1.0 / m, -1.0 / m); c = rng.uniform(-1 / np.sqrt(m), 1 / np.sqrt(m))
    lr, mu, wd = 1e-3, 0.9, 1e-3
    bw = np.zeros_like(w); bb = np.zeros_like(b)

    def step(first):
        nonlocal w, b, bw, bb
        h = x @ w.T + b
        f = np.maximum(h, 0) @ a + c
        g = np.where(y * f < 1, -y, 0.0) / n
        dh = (g[:, None] * a[None, :]) * (h > 0)
        gw = dh.T @ x + wd * w
        gb = dh.sum(axis=0) + wd * b
        bw = gw if first else mu * bw + gw
        bb = gb if first else mu * bb + gb
        w = w - lr * bw
        b = b - lr * bb

    step(True)
    for _ in range(20):
        step(False)
    start = time.perf_counter()
    for _ in range(args.steps):
        step(False)
    seconds = time.perf_counter() - start
    print(json.dumps({"implementation": "numpy", "numpy": np.__version__, "width": m, "steps": args.steps,
                      "seconds": seconds, "steps_per_second": args.steps / seconds,
                      "threads": os.environ.get("OPENBLAS_NUM_THREADS", "default")}))

if __name__ == "__main__":
    main()
