"""DORN detector response: acceptance, dead-layer energy loss, alpha line shape, background.

Geometry. A planar detector of area ``A`` facing a half-space of isotropic emitters that is
uniform horizontally (radon atoms in the exosphere above a sky-facing unit; polonium on the
ground below a ground-facing unit; no attenuation in vacuum) receives, from a layer of
activity per unit area ``sigma`` (Bq m^-2) at any distance, ``sigma A / 2`` alphas per second:
half of the emissions head towards the detector plane and, by horizontal invariance, cross it
uniformly. Within a cone of half-angle ``theta_max`` about the normal the rate is
``sigma A (1 - cos theta_max) / 2`` and the incidence cosine is uniform on
``[cos theta_max, 1]`` (equal rate per solid angle: the line-of-sight column grows as
``1/cos theta`` and the projected area shrinks as ``cos theta``). The rate is thus set by the
column (or surface) activity, independent of the scale height, as used for the Apollo 15/16
and Lunar Prospector alpha spectrometers ([Gorenstein1973], [Lawson2005]). The collimator is
idealised as a sharp angular cut (ASSUMPTION, see fcspace.dorn.instrument).

Energy loss. An alpha crossing the dead layer of thickness ``d`` at incidence ``theta`` loses
``Delta E = S(E) d / cos theta`` (integrated with a midpoint step; ``Delta E`` is ~1e-3 of
``E``). ``S`` is the Bethe formula ([PDG2022] Eq. 34.5) for a doubly charged ion with the
mean excitation energy of Si of [ICRU49] (I = 173 eV), without shell, Barkas or effective-charge
corrections; above 2 MeV it follows ASTAR ([ICRU49]) to a few per cent, which at these layer
thicknesses is a fraction of a keV. The spread of ``1/cos theta`` over the acceptance cone is
the angular straggling of the peak energies; it is integrated exactly by Gauss-Legendre
quadrature in ``cos theta``.

Line shape. [BortelsCollaers1987]: a Gaussian (electronic noise and detector resolution)
convolved with a weighted sum of two left-sided exponential tails; each component has unit
area, so the line has unit area. Its cumulative distribution is closed-form,
``F(x) = Phi(u) + (eta g(u, s/tau1) + (1 - eta) g(u, s/tau2)) / 2`` with ``u = (x - e0)/s`` and
``g(u, k) = exp(u k + k^2/2) erfc((u + k)/sqrt 2)``, evaluated as ``exp(-u^2/2) erfcx(...)`` where
that is large, so channel contents are exact integrals, never midpoint samples.

Sources
-------
- [BortelsCollaers1987] Bortels, G., Collaers, P. (1987). Appl. Radiat. Isot. 38, 831-837.
- [ICRU49] ICRU Report 49 (1993): Stopping powers and ranges for protons and alpha particles
  (I(Si) = 173 eV; ASTAR tables, NIST).
- [PDG2022] Workman, R. L. et al. (Particle Data Group) (2022). Review of Particle Physics,
  Prog. Theor. Exp. Phys. 083C01, section 34 (Passage of particles through matter).
- [Gorenstein1973] Gorenstein, P., Golub, L., Bjorkholm, P. J. (1973). Science 183, 411.
- [Lawson2005] Lawson, S. L., et al. (2005). JGR 110, E09009.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import erfc, erfcx, ndtr

from fcspace.core.errors import InputError
from fcspace.dorn.instrument import DORN, DornInstrument
from fcspace.dorn.nuclides import NUCLIDES

__all__ = [
    "LINES",
    "LineResponse",
    "acceptance_m2",
    "alpha_line",
    "alpha_line_cdf",
    "background_rates",
    "dead_layer_exit_energy",
    "line_responses",
    "stopping_power_si",
]

# The lines DORN measures, in the order of every per-line array ([Lawson2005]; Th-232 series
# and the Po-209 calibration source added).
LINES: tuple[str, ...] = (
    "Rn-222",
    "Po-218",
    "Po-214",
    "Po-210",
    "Rn-220",
    "Po-216",
    "Bi-212",
    "Po-212",
    "Po-209",
)
CALIBRATION = "Po-209"
_N_QUAD = 8  # Gauss-Legendre nodes in cos(theta)
_TAIL_LENGTHS = 25.0  # window below a component, in units of the long tail
_SI_DENSITY_G_CM3 = 2.329  # [PDG2022] atomic and nuclear properties of Si
_SI_Z_OVER_A = 14.0 / 28.0855  # [PDG2022]
_SI_I_EV = 173.0  # mean excitation energy, [ICRU49]
_ALPHA_MASS_KEV = 3727379.4  # m_alpha c^2, CODATA 2018
_ELECTRON_MASS_KEV = 510.99895  # m_e c^2, CODATA 2018
_K_MEV_CM2_G = 0.307075  # 4 pi N_A r_e^2 m_e c^2, [PDG2022]


def stopping_power_si(energy_kev: ArrayLike) -> NDArray[np.float64]:
    """Electronic stopping power of Si for alphas, keV per um (Bethe, [PDG2022], [ICRU49]).

    ``-dE/dx = K z^2 (Z/A) rho / beta^2 [ln(2 m_e c^2 beta^2 gamma^2 / I) - beta^2]`` with z = 2,
    I = 173 eV. Valid above ~2 MeV (a few per cent from ASTAR); not below 1 MeV.
    """
    e = np.asarray(energy_kev, dtype=float)
    gamma = 1.0 + e / _ALPHA_MASS_KEV
    beta2 = 1.0 - 1.0 / gamma**2
    arg = 2.0 * _ELECTRON_MASS_KEV * 1e3 * beta2 * gamma**2 / _SI_I_EV
    log_term = np.log(np.maximum(arg, 1.5)) - beta2
    mev_cm2_g = _K_MEV_CM2_G * 4.0 * _SI_Z_OVER_A / beta2 * log_term
    return mev_cm2_g * _SI_DENSITY_G_CM3 * 1e3 * 1e-4  # MeV/cm -> keV/um


def dead_layer_exit_energy(
    energy_kev: ArrayLike, cos_theta: ArrayLike, dead_layer_um: float
) -> NDArray[np.float64]:
    """Energy (keV) after crossing ``dead_layer_um`` of Si at incidence ``acos(cos_theta)``.

    Midpoint integration of the Bethe stopping power along the path ``d / cos theta``.
    """
    e = np.asarray(energy_kev, dtype=float)
    path = dead_layer_um / np.asarray(cos_theta, dtype=float)
    half = e - 0.5 * stopping_power_si(e) * path
    return e - stopping_power_si(half) * path


def _g(u: NDArray[np.float64], k: float) -> NDArray[np.float64]:
    """exp(u k + k^2/2) erfc((u + k)/sqrt 2), without overflow ([BortelsCollaers1987])."""
    b = (u + k) / np.sqrt(2.0)
    big = b >= 0
    out = np.empty_like(u)
    out[big] = np.exp(-0.5 * u[big] ** 2) * erfcx(b[big])
    small = ~big
    out[small] = np.exp(u[small] * k + 0.5 * k * k) * erfc(b[small])
    return out


def _check_shape(sigma: float, tau1: float, tau2: float, eta: float) -> None:
    if not (sigma > 0 and tau1 > 0 and tau2 > 0 and 0.0 <= eta <= 1.0):
        raise InputError(
            f"line shape needs sigma, tau > 0 and 0 <= eta <= 1, got {sigma}, {tau1}, {tau2}, {eta}"
        )


def alpha_line(
    energy: ArrayLike, e0: float, sigma: float, tau1: float, tau2: float, eta: float
) -> NDArray[np.float64]:
    """Alpha peak density (per keV), unit area, [BortelsCollaers1987].

    ``f(x) = eta T(x; tau1) + (1 - eta) T(x; tau2)``, ``T(x; tau) = g(u, sigma/tau) / (2 tau)``:
    a Gaussian of standard deviation ``sigma`` centred on ``e0`` convolved with the left
    exponential ``exp(t/tau)/tau`` (t <= 0). All in keV.
    """
    _check_shape(sigma, tau1, tau2, eta)
    u = (np.asarray(energy, dtype=float) - e0) / sigma
    return eta * _g(u, sigma / tau1) / (2 * tau1) + (1 - eta) * _g(u, sigma / tau2) / (2 * tau2)


def alpha_line_cdf(
    energy: ArrayLike, e0: float, sigma: float, tau1: float, tau2: float, eta: float
) -> NDArray[np.float64]:
    """Cumulative distribution of :func:`alpha_line`: ``Phi(u) + (eta g1 + (1-eta) g2) / 2``."""
    _check_shape(sigma, tau1, tau2, eta)
    u = (np.asarray(energy, dtype=float) - e0) / sigma
    return ndtr(u) + 0.5 * (eta * _g(u, sigma / tau1) + (1 - eta) * _g(u, sigma / tau2))


def acceptance_m2(instrument: DornInstrument = DORN) -> float:
    """Counts per second per Bq m^-2 of column (or surface) activity: A (1 - cos theta_max)/2.

    For one front detector facing a horizontally uniform half-space (module docstring,
    [Gorenstein1973]).
    """
    return instrument.detector_area_m2 * (1.0 - instrument.cos_min) / 2.0


@dataclass(frozen=True)
class LineResponse:
    """Expected counts per channel per second per unit activity of each line in :data:`LINES`.

    ``rate`` (line, channel); ``d_gain``, ``d_offset`` its derivatives. Units: counts s^-1 per
    Bq m^-2 (sky/ground lines) or per Bq (Po-209 source).
    """

    rate: NDArray[np.float64]
    d_gain: NDArray[np.float64]
    d_offset: NDArray[np.float64]


@functools.lru_cache(maxsize=16)
def _components(instrument: DornInstrument) -> tuple[NDArray, NDArray, NDArray]:
    """Per quadrature component: line index, deposited energy (keV), weight (per unit activity)."""
    x, w = np.polynomial.legendre.leggauss(_N_QUAD)
    index, energy, weight = [], [], []
    for j, name in enumerate(LINES):
        if name == CALIBRATION:
            c_lo = float(np.cos(np.radians(instrument.source_half_angle_deg)))
            scale = instrument.source_efficiency
        else:
            c_lo, scale = instrument.cos_min, acceptance_m2(instrument)
        c = c_lo + (1.0 - c_lo) * (x + 1.0) / 2.0  # nodes on [c_lo, 1]
        for line in NUCLIDES[name].alpha:
            e = dead_layer_exit_energy(line.energy_kev, c, instrument.dead_layer_um)
            index.append(np.full(_N_QUAD, j))
            energy.append(e)
            weight.append(scale * line.intensity * w / 2.0)
    return np.concatenate(index), np.concatenate(energy), np.concatenate(weight)


def line_responses(
    gain: float, offset_kev: float, instrument: DornInstrument = DORN
) -> LineResponse:
    """Channel response of every line for energy scale ``E_obs = gain E_dep + offset``.

    The shape parameters of the instrument are in deposited-energy keV; a channel
    ``[lo, hi)`` holds ``F((hi - offset)/gain) - F((lo - offset)/gain)`` of each quadrature
    component (exact integral of the [BortelsCollaers1987] shape).
    """
    if not gain > 0:
        raise InputError(f"gain must be > 0, got {gain}", variable="gain")
    index, energy, weight = _components(instrument)
    s, t1, t2, eta = (
        instrument.sigma_kev,
        instrument.tail_tau1_kev,
        instrument.tail_tau2_kev,
        instrument.tail_eta,
    )
    # each component only fills channels from 25 long-tail lengths below to 10 sigma above
    # its centre (outside, its content is < exp(-25) of the line)
    nominal = instrument.channel_edges_kev
    width = (nominal[-1] - nominal[0]) / instrument.n_channels
    n_win = int(np.ceil(gain * (_TAIL_LENGTHS * t2 + 20 * s) / width)) + 2
    first = np.floor(
        (gain * (energy - _TAIL_LENGTHS * t2 - 10 * s) + offset_kev - nominal[0]) / width
    ).astype(int)
    idx = np.clip(first[:, None] + np.arange(n_win + 1), 0, instrument.n_channels)
    edges = (nominal[idx] - offset_kev) / gain  # deposited-energy edges, (component, n_win+1)
    u = (edges - energy[:, None]) / s
    g1, g2 = _g(u.ravel(), s / t1).reshape(u.shape), _g(u.ravel(), s / t2).reshape(u.shape)
    cdf = ndtr(u) + 0.5 * (eta * g1 + (1 - eta) * g2)
    pdf = eta * g1 / (2 * t1) + (1 - eta) * g2 / (2 * t2)
    rows = np.broadcast_to(index[:, None], (index.size, n_win))
    cols = np.minimum(idx[:, :-1], instrument.n_channels - 1)
    out = []
    for per_edge in (cdf, pdf * (-edges / gain), pdf * (-1.0 / gain)):  # F, dF/dg, dF/do
        acc = np.zeros((len(LINES), instrument.n_channels))
        np.add.at(acc, (rows, cols), weight[:, None] * np.diff(per_edge, axis=1))
        out.append(acc)
    return LineResponse(*out)


def background_rates(instrument: DornInstrument = DORN) -> NDArray[np.float64]:
    """Background counts per second per channel: rows soft, flat (anticoincidence), vetoed.

    ``b(E) = b_soft exp(-E/E_s)`` (particles stopping in the front detector: no back-detector
    signal, not vetoed) ``+ b_flat`` (penetrating GCR and solar particles, removed by the
    front/back coincidence with efficiency ``veto_efficiency``), per keV per s per cm^2
    ([Lawson2005] shape; rates ASSUMED in fcspace.dorn.instrument).
    """
    lo, hi = instrument.channel_edges_kev[:-1], instrument.channel_edges_kev[1:]
    area_cm2 = instrument.detector_area_m2 * 1e4
    es = instrument.background_soft_scale_kev
    soft = instrument.background_soft_per_kev_s_cm2 * es * (np.exp(-lo / es) - np.exp(-hi / es))
    flat = instrument.background_flat_per_kev_s_cm2 * (hi - lo)
    veto = instrument.veto_efficiency
    return np.stack([soft * area_cm2, flat * (1 - veto) * area_cm2, flat * veto * area_cm2])
