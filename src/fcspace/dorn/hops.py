"""Numba kernels of the radon exosphere Monte Carlo: launch, Keplerian hop, rest, the atom loop.

Scalar, seeded kernels called by :mod:`fcspace.dorn.exosphere`, which states the physics and
its sources (flux-Maxwellian launch, exact Keplerian arc, sticking with a Frenkel residence
time, decay, photo-ionisation, cold trapping, scoring by latitude and local time). Positions
are (latitude in rad, local time in h) in the Sun-state frame; the great-circle step of a hop
is :data:`fcspace.core.geodesy.destination_kernel`.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from fcspace.core.geodesy import destination_kernel

__all__ = ["OUTCOMES", "hop_sample", "run_atoms"]

#: Fates of an atom, in the order of the kernel's outcome counters.
OUTCOMES = ("decay_rest", "decay_flight", "photoionised", "cold_trapped", "escaped")


@numba.njit(cache=True)
def _temperature(table: np.ndarray, lat: float, lt: float) -> float:
    """Bilinear interpolation of the table at latitude (rad) and local time (h)."""
    n_lat, n_lt = table.shape
    x = (lat + 0.5 * math.pi) / math.pi * (n_lat - 1)
    y = (lt % 24.0) / 24.0 * (n_lt - 1)
    i = min(max(int(x), 0), n_lat - 2)
    j = min(max(int(y), 0), n_lt - 2)
    fx, fy = min(max(x - i, 0.0), 1.0), y - j
    top = table[i, j] * (1.0 - fy) + table[i, j + 1] * fy
    bot = table[i + 1, j] * (1.0 - fy) + table[i + 1, j + 1] * fy
    return top * (1.0 - fx) + bot * fx


@numba.njit(cache=True)
def _flight(vz: float, vh: float, g: float, radius: float, spherical: bool) -> tuple:
    """Flight time (s) and range angle (rad) of a hop; time < 0 flags an escape."""
    if not spherical:
        return 2.0 * vz / g, 2.0 * vz * vh / (g * radius)
    v2 = vz * vz + vh * vh
    nu = v2 / (g * radius)
    if nu >= 2.0:
        return -1.0, 0.0
    c2, sc = vh * vh / v2, vz * vh / v2  # cos^2(gamma), sin(gamma) cos(gamma)
    half = math.atan2(nu * sc, 1.0 - nu * c2)  # psi / 2
    one_m_e2 = nu * c2 * (2.0 - nu)
    e = math.sqrt(max(1.0 - one_m_e2, 0.0))
    delta = math.atan2(math.sqrt(one_m_e2) * math.sin(half), math.cos(half) - e)
    a = radius / (2.0 - nu)
    t = 2.0 * math.sqrt(a * a * a / (g * radius * radius)) * (delta + e * math.sin(delta))
    return t, 2.0 * half


@numba.njit(cache=True)
def _launch(temp: float, k_over_m: float, g: float, radius: float, spherical: bool) -> tuple:
    """Draw a flux-Maxwellian launch; return (flight time, range angle, azimuth)."""
    sigma = math.sqrt(k_over_m * temp)
    vz = sigma * math.sqrt(-2.0 * math.log(1.0 - np.random.random()))
    vh = sigma * math.sqrt(-2.0 * math.log(1.0 - np.random.random()))
    az = 2.0 * math.pi * np.random.random()
    t, psi = _flight(vz, vh, g, radius, spherical)
    return t, psi, az


@numba.njit(cache=True)
def _bin(lat: float, lt: float, n_lat: int, n_lt: int) -> tuple:
    """Indices of the (latitude, local-time) bin of a point (latitude in rad)."""
    i = min(int((lat + 0.5 * math.pi) / math.pi * n_lat), n_lat - 1)
    j = min(int((lt % 24.0) / 24.0 * n_lt), n_lt - 1)
    return i, j


@numba.njit(cache=True)
def _rest(
    lat: float,
    lt: float,
    t: float,
    life: float,
    table: np.ndarray,
    phys: np.ndarray,
    rest_time: np.ndarray,
) -> tuple:
    """Wait on the surface until desorption or decay; score the time at rest.

    ``phys`` = (k_B/m, g, R, tau0, Q/R, beta, trap_lat, trap_p, hour_s, rest_step).
    Returns (local time, time, decayed).
    """
    n_lat, n_lt = rest_time.shape
    hour_s, step = phys[8], phys[9]
    hazard = -math.log(1.0 - np.random.random())
    while True:
        tau = phys[3] * math.exp(min(phys[4] / _temperature(table, lat, lt), 700.0))
        h = min(step, life - t)
        last = hazard * tau <= h
        if last:
            h = hazard * tau
        i, j = _bin(lat, lt, n_lat, n_lt)
        rest_time[i, j] += h
        t += h
        lt += h / hour_s
        if last:
            return lt, t, False
        if t >= life:
            return lt, t, True
        hazard -= h / tau


@numba.njit(cache=True)
def _hop(
    lat: float,
    lt: float,
    t: float,
    life: float,
    ion: float,
    table: np.ndarray,
    phys: np.ndarray,
    spherical: bool,
    flight_time: np.ndarray,
) -> tuple:
    """One ballistic hop from (lat, lt); returns (lat, lt, t, ion, outcome or -1).

    Photo-ionisation acts when the launch point is sunlit (cos SZA > 0); ``ion`` is the
    remaining ionisation hazard. Outcomes index ``OUTCOMES``.
    """
    n_lat, n_lt = flight_time.shape
    temp = _temperature(table, lat, lt)
    tf, psi, az = _launch(temp, phys[0], phys[1], phys[2], spherical)
    if tf < 0.0:
        return lat, lt, t, ion, 4
    outcome = -1
    frac = 1.0
    sunlit = math.cos(lat) * math.cos((lt - 12.0) * math.pi / 12.0) > 0.0
    if t + tf >= life:
        frac, outcome = (life - t) / tf, 1
    if sunlit and ion > 0.0 and phys[5] * tf * frac >= ion:
        frac, outcome = ion / (phys[5] * tf), 2
    if sunlit:
        ion -= phys[5] * tf * frac
    mid_lat, mid_dlon = destination_kernel(lat, 0.0, az, 0.5 * psi * frac)
    i, j = _bin(mid_lat, lt + mid_dlon * 12.0 / math.pi, n_lat, n_lt)
    flight_time[i, j] += tf * frac
    lat2, dlon = destination_kernel(lat, 0.0, az, psi)
    lt2 = (lt + dlon * 12.0 / math.pi + tf / phys[8]) % 24.0
    return lat2, lt2, t + tf * frac, ion, outcome


@numba.njit(cache=True)
def run_atoms(
    lat0: np.ndarray,
    lt0: np.ndarray,
    seed: int,
    table: np.ndarray,
    phys: np.ndarray,
    spherical: bool,
    n_lat: int,
    n_lt: int,
) -> tuple:
    """Follow every atom to its end (one loop over atoms, serial, seeded)."""
    np.random.seed(seed)
    lam = phys[10]
    flight_time = np.zeros((n_lat, n_lt))
    rest_time = np.zeros((n_lat, n_lt))
    deposit = np.zeros((n_lat, n_lt))
    outcomes = np.zeros(5, dtype=np.int64)
    hops = 0
    for k in range(lat0.size):
        lat, lt, t = lat0[k], lt0[k], 0.0
        life = -math.log(1.0 - np.random.random()) / lam
        ion = -math.log(1.0 - np.random.random())
        while True:
            lt, t, decayed = _rest(lat, lt, t, life, table, phys, rest_time)
            if decayed:
                i, j = _bin(lat, lt, n_lat, n_lt)
                deposit[i, j] += 1.0
                outcomes[0] += 1
                break
            lat, lt, t, ion, outcome = _hop(
                lat, lt, t, life, ion, table, phys, spherical, flight_time
            )
            hops += 1
            if outcome >= 0:
                outcomes[outcome] += 1
                break
            if abs(lat) >= phys[6] and np.random.random() < phys[7]:
                outcomes[3] += 1
                break
    return flight_time, rest_time, deposit, outcomes, hops


@numba.njit(cache=True)
def hop_sample(
    n: int, temp: float, k_over_m: float, g: float, radius: float, spherical: bool, seed: int
) -> tuple:
    """Flight times and ranges (m along the surface) of ``n`` launches at one temperature."""
    np.random.seed(seed)
    times, ranges = np.empty(n), np.empty(n)
    for k in range(n):
        t, psi, _ = _launch(temp, k_over_m, g, radius, spherical)
        times[k], ranges[k] = t, psi * radius
    return times, ranges
