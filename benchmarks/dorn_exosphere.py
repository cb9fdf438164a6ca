"""DORN radon exosphere Monte Carlo: hops per second (numba kernel) vs a plain Python loop.

Both sides do the same work per hop: temperature lookup (Hurley 2015 table), residence-time
draw, flux-Maxwellian launch, Keplerian flight, great-circle landing point.

Usage: .venv/bin/python benchmarks/dorn_exosphere.py [--atoms 5000] [--python-hops 50000] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time

from fcspace.dorn.exosphere import ExosphereConfig, _physics, simulate, temperature_table


def _temp(table: list[list[float]], lat: float, lt: float) -> float:
    n_lat, n_lt = len(table), len(table[0])
    x = (lat + 0.5 * math.pi) / math.pi * (n_lat - 1)
    y = (lt % 24.0) / 24.0 * (n_lt - 1)
    i, j = min(max(int(x), 0), n_lat - 2), min(max(int(y), 0), n_lt - 2)
    fx, fy = x - i, y - j
    top = table[i][j] * (1 - fy) + table[i][j + 1] * fy
    bot = table[i + 1][j] * (1 - fy) + table[i + 1][j + 1] * fy
    return top * (1 - fx) + bot * fx


def python_hops(n_hops: int, seed: int) -> float:
    """Plain-Python reference: hops per second on the day side (one hop = rest + flight)."""
    table = temperature_table().tolist()  # lists: the fastest plain-Python indexing
    k_m, g, radius, tau0, q_r = _physics(ExosphereConfig())[:5]
    rng = random.Random(seed)
    lat, lt = 0.0, 12.0
    t0 = time.perf_counter()
    for _ in range(n_hops):
        temp = _temp(table, lat, lt)
        rest = -tau0 * math.exp(q_r / temp) * math.log(1.0 - rng.random())
        sigma = math.sqrt(k_m * temp)
        vz = sigma * math.sqrt(-2.0 * math.log(1.0 - rng.random()))
        vh = sigma * math.sqrt(-2.0 * math.log(1.0 - rng.random()))
        az = 2.0 * math.pi * rng.random()
        v2 = vz * vz + vh * vh
        nu = v2 / (g * radius)
        c2, sc = vh * vh / v2, vz * vh / v2
        half = math.atan2(nu * sc, 1.0 - nu * c2)
        ome2 = nu * c2 * (2.0 - nu)
        e = math.sqrt(max(1.0 - ome2, 0.0))
        delta = math.atan2(math.sqrt(ome2) * math.sin(half), math.cos(half) - e)
        a = radius / (2.0 - nu)
        tf = 2.0 * math.sqrt(a**3 / (g * radius**2)) * (delta + e * math.sin(delta))
        psi = 2.0 * half
        s2 = math.sin(lat) * math.cos(psi) + math.cos(lat) * math.sin(psi) * math.cos(az)
        new_lat = math.asin(min(max(s2, -1.0), 1.0))
        dlon = math.atan2(
            math.sin(az) * math.sin(psi) * math.cos(lat), math.cos(psi) - math.sin(lat) * s2
        )
        lat = max(min(new_lat, 0.3), -0.3)  # stay on the day side, like most real hops
        lt = 9.0 + ((lt + dlon * 12 / math.pi + (tf + rest) / 106300.0) - 9.0) % 6.0
    return n_hops / (time.perf_counter() - t0)


def numba_hops(n_atoms: int, seed: int) -> dict:
    simulate(ExosphereConfig(n_atoms=10, seed=seed))  # compile (or load the cache)
    t0 = time.perf_counter()
    ds = simulate(ExosphereConfig(n_atoms=n_atoms, seed=seed))
    wall = time.perf_counter() - t0
    return {"hops": ds.attrs["hops"], "wall_s": wall, "hops_per_s": ds.attrs["hops"] / wall}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--atoms", type=int, default=5000)
    ap.add_argument("--python-hops", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    fast = numba_hops(args.atoms, args.seed)
    slow = python_hops(args.python_hops, args.seed)
    out = {
        "atoms": args.atoms,
        "hops": fast["hops"],
        "wall_s": fast["wall_s"],
        "hops_per_s": fast["hops_per_s"],
        "python_hops_per_s": slow,
        "speedup": fast["hops_per_s"] / slow,
    }
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:>18}: {v:.4g}" if isinstance(v, float) else f"{k:>18}: {v}")


if __name__ == "__main__":
    main()
