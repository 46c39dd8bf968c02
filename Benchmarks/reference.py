#!/usr/bin/env python3
"""NumPy and JAX references for `simulate-bench`: the relu2 training set-up (the authors' toy.py
theory-matching configuration) written as a researcher would write it, vectorised, with autodiff in
JAX (`jax.jit` over `lax.fori_loop`), in float64 (NumPy, JAX) and float32 (JAX).

The data: d-dimensional inputs x = z M (+ σ ε with --noise σ), M the k × d orthonormal rows of a random
Gaussian matrix's SVD, z = (y·U[0,1]^32 core, U[0,1]^32 background), labels ±1 half and half; a
two-layer ReLU network of width m with hidden bias (PyTorch's uniform init) and a frozen ±1/m head;
the mean hinge loss; SGD with momentum 0.9 and coupled weight decay 1e-3 (lr 1e-3), or Adam (PyTorch's,
lr 1e-3, coupled weight decay 1e-3). --batch B trains on mini-batches of B, with --fresh each drawn anew
from the distribution (online SGD) instead of from the fixed training set.

Prints one JSON line: the implementation, its versions, the measured steps per second (after a warm-up
that includes JAX's compilation), and the final training loss and test accuracy of the run, which
`simulate-bench` compares with its own over seeds (different random streams, same distributions).
"""
import argparse, json, os, platform, time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--impl", choices=["numpy", "jax"], default="numpy")
    p.add_argument("--precision", choices=["float64", "float32"], default="float64")
    p.add_argument("--width", type=int, default=256)
    p.add_argument("--dimension", type=int, default=256)
    p.add_argument("--train-size", type=int, default=1000)
    p.add_argument("--batch", type=int, default=0, help="0: full batch")
    p.add_argument("--fresh", action="store_true")
    p.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    p.add_argument("--noise", type=float, default=0.0)
    p.add_argument("--steps", type=int, default=1000, help="training steps in all (the timed ones are the last --timed)")
    p.add_argument("--timed", type=int, default=0, help="how many of the steps to time (0: all but a 5% warm-up)")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    if a.impl == "jax":
        os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
        import jax
        jax.config.update("jax_enable_x64", a.precision == "float64")
        result = run_jax(a)
        versions = {"jax": jax.__version__}
    else:
        import numpy as np
        result = run_numpy(a)
        versions = {"numpy": np.__version__}
    result.update(versions)
    result.update({"implementation": a.impl, "precision": a.precision, "width": a.width, "steps": a.steps,
                   "python": platform.python_version(), "threads": os.environ.get("OPENBLAS_NUM_THREADS", "default")})
    print(json.dumps(result))


def setup(np, rng, a, dtype):
    """Dictionary, training and test sets, and the initial parameters (NumPy arrays)."""
    n, d, kc, kb, m = a.train_size, a.dimension, 32, 32, a.width
    _, _, vh = np.linalg.svd(rng.standard_normal((kc + kb, d)), full_matrices=False)

    def sample(count):
        y = np.where(np.arange(count) < count // 2, 1.0, -1.0)
        z = np.concatenate([y[:, None] * rng.uniform(0, 1, (count, kc)), rng.uniform(0, 1, (count, kb))], axis=1)
        x = z @ vh + (a.noise * rng.standard_normal((count, d)) if a.noise > 0 else 0)
        return x.astype(dtype), y.astype(dtype)

    x, y = sample(n)
    xt, yt = sample(2000)
    bound = 1 / np.sqrt(d)
    w = rng.uniform(-bound, bound, (m, d)).astype(dtype)
    b = rng.uniform(-bound, bound, m).astype(dtype)
    head = np.where(np.arange(m) < m // 2, 1.0 / m, -1.0 / m).astype(dtype)
    c = dtype(rng.uniform(-1 / np.sqrt(m), 1 / np.sqrt(m)))
    return vh.astype(dtype), x, y, xt, yt, w, b, head, c


def timed_window(a):
    return a.timed if a.timed > 0 else max(1, a.steps - max(1, a.steps // 20))


def run_numpy(a):
    import numpy as np
    rng = np.random.default_rng(a.seed)
    dtype = np.float64 if a.precision == "float64" else np.float32
    vh, x, y, xt, yt, w, b, head, c = setup(np, rng, a, dtype)
    lr, mu, wd, b1, b2, eps = 1e-3, 0.9, 1e-3, 0.9, 0.999, 1e-8
    state = {"bw": np.zeros_like(w), "bb": np.zeros_like(b), "vw": np.zeros_like(w), "vb": np.zeros_like(b), "t": 0}
    kc, n, batch = 32, len(y), a.batch if a.batch > 0 else len(y)
    by = np.where(np.arange(batch) < batch // 2, 1.0, -1.0).astype(dtype)

    def batch_data():
        if a.batch == 0:
            return x, y
        if a.fresh:
            z = np.concatenate([by[:, None] * rng.uniform(0, 1, (batch, kc)), rng.uniform(0, 1, (batch, 32))], axis=1)
            xb = z @ vh + (a.noise * rng.standard_normal((batch, a.dimension)) if a.noise > 0 else 0)
            return xb.astype(dtype), by
        rows = rng.integers(0, n, batch)
        return x[rows], y[rows]

    def step(w, b):
        xb, yb = batch_data()
        h = xb @ w.T + b
        f = np.maximum(h, 0) @ head + c
        g = np.where(yb * f < 1, -yb, 0.0).astype(dtype) / len(yb)
        dh = (g[:, None] * head[None, :]) * (h > 0)
        gw = dh.T @ xb + wd * w
        gb = dh.sum(axis=0) + wd * b
        state["t"] += 1
        if a.optimizer == "sgd":
            first = state["t"] == 1
            state["bw"] = gw if first else mu * state["bw"] + gw
            state["bb"] = gb if first else mu * state["bb"] + gb
            return w - lr * state["bw"], b - lr * state["bb"]
        t = state["t"]
        state["bw"] = b1 * state["bw"] + (1 - b1) * gw
        state["bb"] = b1 * state["bb"] + (1 - b1) * gb
        state["vw"] = b2 * state["vw"] + (1 - b2) * gw * gw
        state["vb"] = b2 * state["vb"] + (1 - b2) * gb * gb
        c1, c2 = 1 - b1 ** t, 1 - b2 ** t
        w = w - lr * (state["bw"] / c1) / (np.sqrt(state["vw"] / c2) + eps)
        b = b - lr * (state["bb"] / c1) / (np.sqrt(state["vb"] / c2) + eps)
        return w, b

    timed = timed_window(a)
    for _ in range(a.steps - timed):
        w, b = step(w, b)
    start = time.perf_counter()
    for _ in range(timed):
        w, b = step(w, b)
    seconds = time.perf_counter() - start

    def loss_accuracy(xs, ys):
        f = np.maximum(xs @ w.T + b, 0) @ head + c
        return float(np.mean(np.maximum(0, 1 - ys * f))), float(np.mean(np.sign(f) == ys))

    train_loss, _ = loss_accuracy(x, y)
    _, test_accuracy = loss_accuracy(xt, yt)
    return {"timed_steps": timed, "seconds": seconds, "steps_per_second": timed / seconds,
            "train_loss": train_loss, "test_accuracy": test_accuracy}


def run_jax(a):
    import numpy as np
    import jax
    import jax.numpy as jnp
    from jax import lax
    rng = np.random.default_rng(a.seed)
    dtype = np.float64 if a.precision == "float64" else np.float32
    vh, x, y, xt, yt, w, b, head, c = (jnp.asarray(v) for v in setup(np, rng, a, dtype))
    lr, mu, wd, b1, b2, eps = 1e-3, 0.9, 1e-3, 0.9, 0.999, 1e-8
    n, batch = x.shape[0], a.batch if a.batch > 0 else x.shape[0]
    by = jnp.where(jnp.arange(batch) < batch // 2, 1.0, -1.0).astype(dtype)

    def loss(params, xb, yb):
        w, b = params
        f = jax.nn.relu(xb @ w.T + b) @ head + c
        return jnp.mean(jnp.maximum(0, 1 - yb * f))

    grad = jax.grad(loss)

    def batch_data(key):
        if a.batch == 0:
            return x, y
        if a.fresh:
            k1, k2, k3 = jax.random.split(key, 3)
            z = jnp.concatenate([by[:, None] * jax.random.uniform(k1, (batch, 32), dtype), jax.random.uniform(k2, (batch, 32), dtype)], axis=1)
            xb = z @ vh
            if a.noise > 0:
                xb = xb + a.noise * jax.random.normal(k3, (batch, a.dimension), dtype)
            return xb, by
        rows = jax.random.randint(key, (batch,), 0, n)
        return x[rows], y[rows]

    def body(t, carry):
        params, m1, m2, key = carry
        key, sub = jax.random.split(key)
        xb, yb = batch_data(sub)
        g = grad(params, xb, yb)
        g = tuple(gi + wd * pi for gi, pi in zip(g, params))
        if a.optimizer == "sgd":
            m1 = tuple(jnp.where(t == 0, gi, mu * mi + gi) for gi, mi in zip(g, m1))
            params = tuple(pi - lr * mi for pi, mi in zip(params, m1))
        else:
            step = (t + 1).astype(dtype)
            m1 = tuple(b1 * mi + (1 - b1) * gi for gi, mi in zip(g, m1))
            m2 = tuple(b2 * vi + (1 - b2) * gi * gi for gi, vi in zip(g, m2))
            c1, c2 = 1 - b1 ** step, 1 - b2 ** step
            params = tuple(pi - lr * (mi / c1) / (jnp.sqrt(vi / c2) + eps) for pi, mi, vi in zip(params, m1, m2))
        return params, m1, m2, key

    @jax.jit
    def train(carry, start, count):
        return lax.fori_loop(start, start + count, body, carry)

    zeros = (jnp.zeros_like(w), jnp.zeros_like(b))
    carry = ((w, b), zeros, zeros, jax.random.PRNGKey(a.seed))
    timed = timed_window(a)
    warm = a.steps - timed
    carry = jax.block_until_ready(train(carry, 0, warm))  # compiles, then runs the warm-up steps
    start = time.perf_counter()
    carry = jax.block_until_ready(train(carry, warm, timed))
    seconds = time.perf_counter() - start
    (w, b), _, _, _ = carry

    def loss_accuracy(xs, ys):
        f = jax.nn.relu(xs @ w.T + b) @ head + c
        return float(jnp.mean(jnp.maximum(0, 1 - ys * f))), float(jnp.mean(jnp.sign(f) == ys))

    train_loss, _ = loss_accuracy(x, y)
    _, test_accuracy = loss_accuracy(xt, yt)
    return {"timed_steps": timed, "seconds": seconds, "steps_per_second": timed / seconds,
            "train_loss": train_loss, "test_accuracy": test_accuracy}


if __name__ == "__main__":
    main()
