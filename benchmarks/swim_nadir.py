"""Benchmark of the SWIM nadir retrackers (fcspace.cfosat.swim.nadir.retrack), one core.

1. Throughput: retracks simulated multi-look waveforms (SWH uniform 0.5-10 m, epoch within
   +-2 gates, thermal noise 2 % of the amplitude) after a Numba warm-up, for ``mle`` and
   ``ls`` with the defaults of `retrack` (all 128 gates, stop at steps < 1e-4 gate); the
   reference is one ``scipy.optimize.curve_fit`` per waveform on a subset: least squares on
   the same Brown model (`brown_waveform`), all 128 gates, the same first guess
   (`initial_guess`, noise floor from gates 4-11), curve_fit's own defaults (MINPACK
   Levenberg-Marquardt, finite-difference Jacobian, ftol = xtol = 1.49e-8). The three are
   timed in interleaved rounds in the same process; rates are medians over the rounds.
2. Noise curve: for SWH 0.5-10 m, native-rate std and 1 Hz bias / RMSE of both retrackers,
   at the assumed native rate (4.5 Hz) and looks per waveform (256) of
   `fcspace.cfosat.swim.instrument` (the 1 Hz values are means of 4-5 native estimates after
   3 x MAD editing, `average_1hz`).

Usage::

    python benchmarks/swim_nadir.py [--n 20000] [--ref 300] [--repeats 5] [--seconds 400]
                                    [--png F] [--json]
"""

from __future__ import annotations

import os

for _var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
from scipy.optimize import OptimizeWarning, curve_fit  # noqa: E402

from fcspace.cfosat.swim import nadir  # noqa: E402
from fcspace.cfosat.swim.instrument import CFOSAT_SWIM  # noqa: E402
from fcspace.cfosat.swim.retrack import initial_guess  # noqa: E402

SWH_CURVE = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
NOISE = 2.0  # thermal noise floor for amplitude 100 (17 dB SNR at the plateau)


def simulate(n: int, rng: np.random.Generator, swh: np.ndarray | float | None = None) -> tuple:
    """n waveforms with truth (SWH uniform 0.5-10 m unless given, epoch 40 +- 2 gates)."""
    swh = rng.uniform(0.5, 10.0, n) if swh is None else np.full(n, swh)
    epoch = 40.0 + rng.uniform(-2.0, 2.0, n)
    return nadir.simulate_waveforms(swh, epoch, 100.0, rng, noise=NOISE), swh, epoch


def time_retrack(w: np.ndarray, method: str) -> float:
    """Seconds of one `retrack` call on all of ``w`` (warm: compiled or loaded from cache)."""
    t0 = time.perf_counter()
    nadir.retrack(w, method)
    return time.perf_counter() - t0


def reference_rate(w: np.ndarray) -> tuple[float, np.ndarray]:
    """Waveforms per second of one scipy curve_fit per waveform, and its SWH estimates."""
    gates_noise = w[:, nadir.NOISE_GATES].mean(axis=1)
    swh = np.full(w.shape[0], np.nan)
    t0 = time.perf_counter()
    for k, y in enumerate(w):
        p = np.empty(3)
        if not initial_guess(y, gates_noise[k], p):
            continue

        def model(_: np.ndarray, tau: float, sig: float, amp: float, k: int = k) -> np.ndarray:
            swh_ = nadir.swh_from_sigma_c(sig)
            return nadir.brown_waveform(tau, swh_, amp, noise=gates_noise[k])

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OptimizeWarning)
            try:
                popt, _ = curve_fit(model, np.arange(y.size), y, p0=p)
            except RuntimeError:
                continue
        swh[k] = nadir.swh_from_sigma_c(popt[1])
    return w.shape[0] / (time.perf_counter() - t0), swh


def noise_curve(seconds: int, seed: int) -> list[dict]:
    """Native std and 1 Hz bias/RMSE of both retrackers for each SWH of SWH_CURVE."""
    rng = np.random.default_rng(seed)
    n = int(seconds * CFOSAT_SWIM.nadir_native_rate_hz)
    rows = []
    for swh in SWH_CURVE:
        w, _, _ = simulate(n, rng, swh)
        row: dict = {"swh": swh}
        for method in ("mle", "ls"):
            est = nadir.retrack(w, method)
            err = nadir.average_1hz(est).swh.values - swh
            ok = est.converged.values
            row[f"{method}_native_std"] = float(np.std(est.swh.values[ok]))
            row[f"{method}_1hz_bias"] = float(np.nanmean(err))
            row[f"{method}_1hz_rmse"] = float(np.sqrt(np.nanmean(err**2)))
            row[f"{method}_converged"] = float(ok.mean())
        rows.append(row)
    return rows


def plot(rows: list[dict], path: str) -> None:
    """Noise-vs-SWH figure (1 Hz RMSE and native std of both retrackers)."""
    from fcspace.core.plots import new_figure, save_figure

    fig, ax = new_figure()
    swh = [r["swh"] for r in rows]
    for method, style in (("mle", "-o"), ("ls", "--s")):
        ax.plot(swh, [r[f"{method}_1hz_rmse"] for r in rows], style, label=f"{method} 1 Hz RMSE")
        ax.plot(swh, [r[f"{method}_native_std"] for r in rows], style, alpha=0.4,
                label=f"{method} native std")  # fmt: skip
    ax.set_xlabel("SWH (m)")
    ax.set_ylabel("SWH error (m)")
    ax.legend()
    save_figure(fig, path)


def main() -> None:
    """Run the benchmark and print a table or JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20000, help="waveforms timed")
    ap.add_argument("--ref", type=int, default=300, help="waveforms for the curve_fit reference")
    ap.add_argument("--repeats", type=int, default=5, help="interleaved timing rounds")
    ap.add_argument("--seconds", type=int, default=400, help="seconds simulated per SWH")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--png", default=None, help="write the noise curve figure here")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    w, _, _ = simulate(args.n, rng)
    for m in ("mle", "ls"):
        nadir.retrack(w[:50], m)  # compile / load the Numba cache
    seconds: dict[str, list[float]] = {"mle": [], "ls": []}
    ref_rates = []
    for _ in range(args.repeats):  # interleaved rounds: the same machine load for all three
        for m in ("mle", "ls"):
            seconds[m].append(time_retrack(w, m))
        ref_rate, ref_swh = reference_rate(w[: args.ref])
        ref_rates.append(ref_rate)
    rate = {m: args.n / float(np.median(seconds[m])) for m in ("mle", "ls")}
    ref_rate = float(np.median(ref_rates))
    ls_swh = nadir.retrack(w[: args.ref], "ls").swh.values
    rows = noise_curve(args.seconds, args.seed + 1)
    if args.png:
        plot(rows, args.png)
    result = {
        "waveforms_per_s": rate["mle"],
        "waveforms_per_s_ls": rate["ls"],
        "reference_waveforms_per_s": ref_rate,
        "speedup": rate["mle"] / ref_rate,
        "speedup_ls": rate["ls"] / ref_rate,
        "ls_vs_curve_fit_median_abs_swh_diff_m": float(np.nanmedian(np.abs(ls_swh - ref_swh))),
        "timing": f"medians of {args.repeats} interleaved rounds, one core",
        "reference": "scipy curve_fit per waveform, LS, Brown model, 128 gates, same first "
        "guess, curve_fit defaults (MINPACK LM, 2-point Jacobian, ftol=xtol=1.49e-8)",
        "n_waveforms": args.n,
        "n_gates": CFOSAT_SWIM.n_gates,
        "n_looks": CFOSAT_SWIM.n_looks,
        "native_rate_hz": CFOSAT_SWIM.nadir_native_rate_hz,
        "noise_curve": rows,
    }
    if args.json:
        json.dump(result, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return
    out = sys.stdout
    out.write(f"retrack mle: {rate['mle']:.0f} wf/s, ls: {rate['ls']:.0f} wf/s (one core)\n")
    out.write(f"curve_fit per waveform: {ref_rate:.0f} wf/s -> speed-up mle "
              f"{result['speedup']:.0f}x, ls {result['speedup_ls']:.0f}x\n")  # fmt: skip
    out.write(" SWH | mle std  bias1Hz rmse1Hz |  ls std  bias1Hz rmse1Hz  (m)\n")
    for r in rows:
        out.write(
            f"{r['swh']:4.1f} | {r['mle_native_std']:.3f} {r['mle_1hz_bias']:+.4f} "
            f"{r['mle_1hz_rmse']:.4f} | {r['ls_native_std']:.3f} {r['ls_1hz_bias']:+.4f} "
            f"{r['ls_1hz_rmse']:.4f}\n"
        )


if __name__ == "__main__":
    main()
