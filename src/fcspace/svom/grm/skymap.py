"""GRM localisation as a HEALPix probability sky map, with its credible regions.

The count-ratio model of :mod:`fcspace.svom.grm.localize` (net counts ``c_i = F g_i(n)``,
amplitude ``F >= 0`` profiled linearly, a systematic fraction in quadrature) is evaluated at
the centre of every pixel of an all-sky HEALPix grid in ICRS (NESTED ordering, [Gorski2005];
pixels from astropy-healpix, no home-made pixelisation). Each ICRS pixel centre is turned into
the spacecraft direction (theta, phi) through the attitude (:mod:`fcspace.svom.frames`). The
posterior, for a prior uniform over the sky (HEALPix pixels have equal areas), is

    P_j = exp(-(chi2_j - chi2_min) / 2) / sum_k exp(-(chi2_k - chi2_min) / 2),

the profile likelihood normalised over the sphere; it is the probability of pixel ``j``
(unit ``pix-1``), as in GBM and LIGO/Virgo/KAGRA sky maps ([Connaughton2015], [Singer2016]).
Profiling the amplitude is marginalising it under the scale-invariant prior p(F) ~ 1/F: the
Gaussian integral gives sqrt(2 pi / a) / F_hat with ``a = sum w g^2``, and
sqrt(1/a) / F_hat = sigma / |c| cos(c, g) is the same for every direction near the fit
(equal weights shown; ASSUMPTION: a log-uniform burst brightness, [Jaynes2003] ch. 12).
The ``level`` credible region is the smallest set of pixels holding probability ``level``:
pixels sorted by decreasing probability and taken until the running sum reaches ``level``
(the "greedy" region of [Singer2016]); its area is its pixel count times the pixel area. The
searched credible level of a direction is the running sum up to and including its pixel: the
truth lies in the ``level`` region when that number is <= ``level``.

ASSUMPTION: no Earth-occultation prior (the Earth blocks ~30 % of the sky from a 625 km orbit;
a map that knew the spacecraft position would set those pixels to 0) and no scattering of the
burst by the Earth's atmosphere into the detectors (GBM models it [Connaughton2015]).

Sources
-------
- [Gorski2005] Gorski, K. M., Hivon, E., Banday, A. J., et al. (2005). HEALPix: a framework
  for high-resolution discretization and fast analysis of data distributed on the sphere.
  ApJ 622, 759.
- [Connaughton2015] Connaughton, V., Briggs, M. S., Goldstein, A., et al. (2015).
  Localization of gamma-ray bursts using the Fermi GBM. ApJS 216, 32 (chi^2 map over the sky
  from the detector count rates, systematic added in quadrature).
- [Jaynes2003] Jaynes, E. T. (2003). Probability Theory: The Logic of Science. Cambridge
  University Press, ch. 12 (the 1/F prior of a scale parameter).
- [Singer2016] Singer, L. P., Price, L. R. (2016). Rapid Bayesian position reconstruction for
  gravitational-wave transients. Phys. Rev. D 93, 024013 (HEALPix probability maps, credible
  regions and searched area).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from fcspace.core.errors import InputError
from fcspace.svom.frames import Attitude, radec_to_instrument
from fcspace.svom.grm.instrument import GRM, GrmInstrument
from fcspace.svom.grm.localize import check_counts, chi2_profile

__all__ = [
    "GrmSkyMap",
    "choose_nside",
    "credible_area_deg2",
    "credible_levels",
    "equal_area_radius_deg",
    "localize_skymap",
    "searched_level",
]

SPHERE_DEG2 = 4.0 * np.pi * np.rad2deg(1.0) ** 2  # 41252.96 deg^2


def _healpix(nside: int):  # noqa: ANN202 - astropy_healpix.HEALPix, imported lazily
    from astropy_healpix import HEALPix

    if nside < 1 or nside & (nside - 1):
        raise InputError(f"nside must be a power of 2, got {nside}", variable="nside")
    return HEALPix(nside=nside, order="nested", frame="icrs")


@dataclass(frozen=True)
class GrmSkyMap:
    """An all-sky HEALPix probability map (ICRS, NESTED) and what is said about it.

    ``prob`` sums to 1 (``pix-1``). ``object`` and ``date_obs`` (ISO 8601 UTC) go to the FITS
    header; ``attitude`` is the pointing used to turn spacecraft directions into the sky and
    ``attitude_assumed`` says whether it was known or taken as a default.
    """

    prob: NDArray[np.float64]
    nside: int
    object: str = ""
    date_obs: str = ""
    attitude: Attitude = Attitude()
    attitude_assumed: bool = False

    @property
    def pixel_area_deg2(self) -> float:
        """Area of one pixel (deg^2)."""
        return SPHERE_DEG2 / self.prob.size

    def area_deg2(self, level: float = 0.9) -> float:
        """Area of the ``level`` credible region (deg^2), module docstring."""
        return credible_area_deg2(self.prob, level)

    @property
    def peak_radec(self) -> tuple[float, float]:
        """ICRS (RA, Dec) in degrees of the most probable pixel's centre."""
        lon, lat = _healpix(self.nside).healpix_to_lonlat(int(np.argmax(self.prob)))
        return float(lon.deg), float(lat.deg)

    def searched_level(self, ra_deg: float, dec_deg: float) -> float:
        """Credible level at which the region first contains (RA, Dec), module docstring."""
        return searched_level(self.prob, self.nside, ra_deg, dec_deg)


def choose_nside(error_deg: float, instrument: GrmInstrument = GRM) -> int:
    """Smallest power-of-2 nside whose pixel is <= ``error_deg / skymap_pixels_per_radius``.

    The pixel size is sqrt(4 pi / (12 nside^2)) [Gorski2005]; the result is kept within
    ``instrument.skymap_nside_range`` (default 16..256: 3.7 deg to 0.23 deg pixels).
    """
    if not (np.isfinite(error_deg) and error_deg > 0):
        raise InputError(f"error radius must be > 0, got {error_deg}", variable="error_deg")
    target = np.deg2rad(error_deg / instrument.skymap_pixels_per_radius)
    nside = int(2 ** np.ceil(np.log2(np.sqrt(np.pi / 3.0) / target)))
    return int(np.clip(nside, *instrument.skymap_nside_range))


def credible_levels(prob: ArrayLike) -> NDArray[np.float64]:
    """Searched credible level of every pixel: running sum of the sorted probabilities.

    Pixels sorted by decreasing probability; each gets the cumulative probability up to and
    including itself ([Singer2016], greedy credible regions).
    """
    p = np.asarray(prob, float)
    order = np.argsort(p, kind="stable")[::-1]
    levels = np.empty_like(p)
    levels[order] = np.cumsum(p[order])
    return levels


def credible_area_deg2(prob: ArrayLike, level: float = 0.9) -> float:
    """Area (deg^2) of the smallest pixel set holding probability ``level``."""
    if not 0.0 < level < 1.0:
        raise InputError(f"credible level must lie in (0, 1), got {level}", variable="level")
    p = np.sort(np.asarray(prob, float))[::-1]
    n = int(np.searchsorted(np.cumsum(p), level * p.sum(), side="left")) + 1
    return min(n, p.size) * SPHERE_DEG2 / p.size


def searched_level(prob: ArrayLike, nside: int, ra_deg: float, dec_deg: float) -> float:
    """Credible level of the pixel holding (RA, Dec): the truth is in region L if <= L."""
    import astropy.units as u

    pix = _healpix(nside).lonlat_to_healpix(ra_deg * u.deg, dec_deg * u.deg)
    return float(credible_levels(prob)[int(pix)])


def equal_area_radius_deg(area_deg2: float) -> float:
    """Radius (deg) of the spherical cap of area ``area_deg2``: A = 2 pi (1 - cos r)."""
    omega = np.deg2rad(1.0) ** 2 * float(area_deg2)
    return float(np.rad2deg(np.arccos(np.clip(1.0 - omega / (2.0 * np.pi), -1.0, 1.0))))


def _pixel_directions(nside: int, attitude: Attitude) -> tuple[NDArray, NDArray]:
    """Spacecraft (theta, phi) in degrees of every ICRS NESTED pixel centre."""
    hp = _healpix(nside)
    lon, lat = hp.healpix_to_lonlat(np.arange(hp.npix))
    return radec_to_instrument(lon.deg, lat.deg, attitude.ra, attitude.dec, attitude.roll)


def localize_skymap(
    net: ArrayLike,
    sigma: ArrayLike,
    attitude: Attitude | None = None,
    nside: int | None = None,
    instrument: GrmInstrument = GRM,
    systematic_frac: float | None = None,
    object_name: str = "",
    date_obs: str = "",
) -> GrmSkyMap:
    """HEALPix probability map of the burst direction from the GRDs' net counts.

    Parameters
    ----------
    net, sigma
        Net counts per GRD and their 1-sigma errors
        (:func:`fcspace.svom.grm.localize.net_counts`).
    attitude
        Pointing of the spacecraft +Z axis; ``None``: RA = Dec = roll = 0 (ASSUMPTION, flagged
        in the map as ``attitude_assumed``).
    nside
        HEALPix resolution; ``None``: :func:`choose_nside` of the 68 % radius of the 1-degree
        grid fit (:func:`fcspace.svom.grm.localize.localize_counts`).
    instrument, systematic_frac
        Response model and systematic fraction (default ``instrument.localize_systematic_frac``).
    object_name, date_obs
        Burst name and trigger time (ISO 8601 UTC) for the FITS header.

    Returns
    -------
    GrmSkyMap
        Probability per pixel (module docstring: profile likelihood, uniform sky prior).
    """
    c, s = check_counts(net, sigma, instrument)
    if systematic_frac is None:
        systematic_frac = instrument.localize_systematic_frac
    if nside is None:
        from fcspace.svom.grm.localize import localize_counts

        radius = localize_counts(c, s, instrument, systematic_frac=systematic_frac)["error_deg"]
        nside = choose_nside(radius, instrument)
    att = Attitude() if attitude is None else attitude
    theta, phi = _pixel_directions(int(nside), att)
    chi2, _ = chi2_profile(c, s, instrument.detector_response(theta, phi), systematic_frac)
    like = np.exp(-0.5 * (chi2 - chi2.min()))
    return GrmSkyMap(
        prob=like / like.sum(), nside=int(nside), object=object_name, date_obs=date_obs,
        attitude=att, attitude_assumed=attitude is None,
    )  # fmt: skip
