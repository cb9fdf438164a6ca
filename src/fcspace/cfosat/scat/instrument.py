"""CFOSat SCAT (CSCAT, the Ku-band rotating fan-beam scatterometer): constants and geometry.

Every instrument number of the package lives here, each with its source. The viewing geometry
of a wind vector cell (WVC) is derived from the rotating fan beam, not drawn at random.

Sources
-------
- [Liu2020] Liu, J., Lin, W., Dong, X., et al. (2020). First results from the rotating fan beam
  scatterometer onboard CFOSAT. IEEE TGRS 58(12), 8793-8806.
- The orbit and the Earth are the platform's (:mod:`fcspace.cfosat.platform`, with their
  sources).
- [Lin2012] Lin, W., Dong, X., Portabella, M., Lang, S., He, Y., Yun, R., Wang, Z., Liu, H.
  (2012). A perspective on the performance of the CFOSAT rotating fan-beam scatterometer.
  IEEE TGRS 51(2), 627-639 (the rotating fan-beam concept, views per WVC, Kp model).
- [Fischer1972] Fischer, R. E. (1972). Standard deviation of scatterometer measurements from
  space. IEEE Trans. Geosci. Electron. GE-10(2), 106-113.
- [LongSpencer1997] Long, D. G., Spencer, M. W. (1997). Radar backscatter measurement
  accuracy for a spaceborne pencil-beam wind scatterometer with transmit modulation.
  IEEE TGRS 35(1), 102-114 (Kp^2 = A + B/SNR + C/SNR^2).
- [Spencer2000] Spencer, M. W., Wu, C., Long, D. G. (2000). Improved resolution backscatter
  measurements with the SeaWinds pencil-beam scatterometer. IEEE TGRS 38(1), 89-104.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from fcspace.cfosat.platform import CFOSAT, CfosatPlatform, OnPlatform

__all__ = [
    "CFOSAT_SCAT",
    "ScatInstrument",
    "azimuth_diversity",
    "swath_views",
    "views_per_cell",
]

VV, HH = 0, 1  # polarisation codes of the L1B layout (docs/scat_layout.md)
FORE, AFT = 0, 1  # look codes of the L1B layout


@dataclass(frozen=True)
class ScatInstrument(OnPlatform):
    """Constants of a rotating fan-beam scatterometer; defaults are CFOSat SCAT.

    The two fan beams (VV and HH) are modelled as radial strips on the ground that both span
    the fan's elevation range, incidence ``incidence_min_deg`` to ``incidence_max_deg``
    (18-50 deg, [Liu2020] Table I, [Lin2012]). In the real design each fan covers about the
    same incidence range (VV and HH are two separate fans on one rotating antenna, [Liu2020]);
    the azimuth separation between the fans is not given in the papers we read, so it is a
    modelling parameter (``beam_azimuth_offset_deg``, default 180: back-to-back fans, which
    interleaves VV and HH crossings half a rotation apart).
    """

    # --- orbit and Earth: the platform's (fcspace.cfosat.platform) ---
    platform: CfosatPlatform = CFOSAT
    # --- radar ([Liu2020] Table I) ---
    frequency_hz: float = 13.256e9  # Ku band, [Liu2020], [Lin2012]
    rotation_rpm: float = 3.4  # antenna spin rate, [Liu2020]
    incidence_min_deg: float = 18.0  # inner edge of the fan, [Liu2020]
    incidence_max_deg: float = 50.0  # outer edge of the fan, [Liu2020]
    polarisations: tuple[str, ...] = ("VV", "HH")  # one fan beam each, [Liu2020]
    beam_azimuth_offset_deg: tuple[float, ...] = (0.0, 180.0)  # modelling assumption (above)
    # --- product grid ([Liu2020]; NSOAS L2B: 42 cells of 25 km) ---
    swath_width_m: float = 1000.0e3  # nominal swath, [Liu2020] ("about 1000 km")
    wvc_size_m: float = 25.0e3  # WVC spacing, NSOAS L2B 25 km product
    n_cells: int = 42  # WVCs across the swath, NSOAS L2B (numcells = 42)
    # --- Kp model ([Fischer1972], [LongSpencer1997]) ---
    # Kp^2 = alpha^2 + beta/SNR + gamma/SNR^2 with, for a measurement of N independent
    # samples (time-bandwidth product B*T) and a noise-only estimate of relative bandwidth
    # r = B_s/B_n: alpha^2 = 1/N, beta = 2/N, gamma = (1 + r)/N ([LongSpencer1997] Eq. of
    # Kpc; [Fischer1972]). N = 400 gives the 0.05 (0.2 dB) high-SNR floor used for one
    # fan-beam pass ("view") in the CFOSAT performance study [Lin2012].
    kp_independent_samples: float = 400.0  # N (B*T), calibrated, [Lin2012] Kp floor ~0.05
    kp_noise_bandwidth_ratio: float = 0.1  # r = B_s/B_n, typical of SeaWinds [Spencer2000]
    # SNR model: SNR = SNR_ref * (sigma0/sigma0_ref) * (R_ref/R)^4 (radar equation with the
    # fan's elevation gain assumed flat and the range-gated cell area constant; the R^-4
    # spreading loss carries the incidence dependence). Calibrated so that Kp is about
    # 0.05-0.06 for sigma0 = -20 dB at 35 deg and ~0.1-0.15 at low wind, high incidence,
    # the range reported for CSCAT slices/views [Lin2012], [Liu2020].
    snr_ref: float = 10.0  # 10 dB SNR at the reference point (calibration, see above)
    snr_ref_sigma0: float = 0.01  # reference sigma0, -20 dB
    snr_ref_incidence_deg: float = 35.0  # reference incidence

    @property
    def rotation_period_s(self) -> float:
        """Antenna rotation period 60 / rpm in s."""
        return 60.0 / self.rotation_rpm

    @property
    def wavelength_m(self) -> float:
        """Radar wavelength c / f in m."""
        return 299_792_458.0 / self.frequency_hz

    @property
    def cell_offsets_m(self) -> np.ndarray:
        """Cross-track offsets of the WVC centres (negative = left of the flight direction).

        Cell 0 is the leftmost, as in the NSOAS L2B (checked on orbit 15259: cell 0 lies west
        of the track on ascending passes).
        """
        half = (self.n_cells - 1) / 2.0
        return (np.arange(self.n_cells) - half) * self.wvc_size_m

    def ground_range_m(self, incidence_deg: np.ndarray | float) -> np.ndarray:
        """Great-circle distance from nadir to the point seen at an incidence angle.

        Spherical Earth sine law, `fcspace.cfosat.platform.CfosatPlatform.ground_range_m`.
        """
        return self.platform.ground_range_m(incidence_deg)

    def incidence_deg(self, ground_range_m: np.ndarray | float) -> np.ndarray:
        """Incidence angle at a ground range from nadir (inverse of `ground_range_m`)."""
        gamma = np.asarray(ground_range_m) / self.earth_radius_m
        a = self.semi_major_axis_m
        return np.degrees(np.arctan2(a * np.sin(gamma), a * np.cos(gamma) - self.earth_radius_m))

    def slant_range_m(self, incidence_deg: np.ndarray | float) -> np.ndarray:
        """Radar-to-surface distance at an incidence angle (spherical Earth, law of cosines)."""
        gamma = self.ground_range_m(incidence_deg) / self.earth_radius_m
        a, r = self.semi_major_axis_m, self.earth_radius_m
        return np.sqrt(a**2 + r**2 - 2.0 * a * r * np.cos(gamma))

    def snr(self, sigma0: np.ndarray, incidence_deg: np.ndarray) -> np.ndarray:
        """Signal-to-noise ratio of one view, SNR = SNR_ref (s0/s0_ref) (R_ref/R)^4.

        Radar equation for a distributed target, P_r ∝ sigma0 G^2 A / R^4 (Ulaby, Moore &
        Fung 1982, Microwave Remote Sensing vol. II, ch. 7), with the fan gain and cell area
        taken constant over the fan; calibration constants are documented on the class.
        """
        r_ref = self.slant_range_m(self.snr_ref_incidence_deg)
        spread = (r_ref / self.slant_range_m(incidence_deg)) ** 4
        return self.snr_ref * np.asarray(sigma0) / self.snr_ref_sigma0 * spread

    def kp(self, sigma0: np.ndarray, incidence_deg: np.ndarray) -> np.ndarray:
        """Normalised standard deviation Kp of a sigma0 view.

        Kp^2 = alpha^2 + beta/SNR + gamma/SNR^2 ([Fischer1972]; [LongSpencer1997]) with
        alpha^2 = 1/N, beta = 2/N, gamma = (1 + B_s/B_n)/N, N the independent samples.
        """
        snr = np.maximum(self.snr(sigma0, incidence_deg), 1e-6)
        n = self.kp_independent_samples
        gamma = (1.0 + self.kp_noise_bandwidth_ratio) / n
        return np.sqrt(1.0 / n + 2.0 / (n * snr) + gamma / snr**2)


CFOSAT_SCAT = ScatInstrument()


def _crossing_times(
    x: np.ndarray,
    y: np.ndarray,
    t_span: tuple[np.ndarray, np.ndarray],
    phase: float,
    inst: ScatInstrument,
    n_turns: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Times in [t0, t1] at which a beam of azimuth phase + Omega t points at a cell.

    Solves f(t) = phase + Omega t - beta(t) = 2 pi k, beta the bearing of the cell from the
    moving nadir point, for the turns k met in [t0, t1]. Over an interval where the cell stays
    farther than rho_min from nadir, |d beta/dt| <= v / rho_min < 0.15 Omega, so f increases
    and t -> (beta(t) + 2 pi k - phase) / Omega, clipped to the interval, is a contraction
    (Banach fixed point); 10 iterations reach < 1e-8 s.
    """
    omega = 2.0 * np.pi / inst.rotation_period_s
    v = inst.ground_speed_m_s
    t0, t1 = t_span

    def f(t: np.ndarray) -> np.ndarray:
        return phase + omega * t - np.arctan2(y, x - v * t)

    k = np.ceil(f(t0) / (2.0 * np.pi)) + np.arange(n_turns)
    t = np.broadcast_to((t0 + t1) / 2.0, k.shape)
    for _ in range(10):
        beta = np.arctan2(y, x - v * t)
        t = np.clip((beta + 2.0 * np.pi * k - phase) / omega, t0, t1)
    residual = np.abs(f(t) - 2.0 * np.pi * k)
    return t, residual < 1e-6


def swath_views(
    n_rows: int,
    instrument: ScatInstrument = CFOSAT_SCAT,
    rotation_phase_deg: float = 0.0,
    max_views: int | None = None,
) -> xr.Dataset:
    """Views of each WVC of a swath segment, derived from the rotating fan-beam geometry.

    Local ground frame: x along track (row i at x = i * wvc_size), y across track (right
    positive); the nadir point moves at the Keplerian ground speed and reaches row i at
    t = x / v. Each fan beam b points at azimuth a_b(t) = phase + offset_b + Omega t
    (clockwise from the flight direction) and illuminates ground ranges rho(theta_min) to
    rho(theta_max) (spherical-Earth mapping, `ScatInstrument.ground_range_m`). A WVC gets one
    view per beam and antenna turn during which the strip sweeps over it, i.e. when the
    beam azimuth equals the cell bearing from nadir while the cell range lies in the strip;
    the pulses of one such passage are averaged into one view ([Lin2012], sect. II). Fore
    (cell ahead of nadir) and aft passages are solved separately. The plane (x, y) frame
    distorts distances by O((rho/R)^2) < 1 % over the 550 km half swath.

    Returns
    -------
    xarray.Dataset
        ``rel_azimuth`` (deg, clockwise from the flight direction, radar towards cell),
        ``incidence`` (deg), ``polarisation`` and ``look`` (int8, -1 when absent), ``time``
        (s from row 0 at nadir), dims (numrows, numcells, numviews); views sorted by time.
    """
    inst = instrument
    v = inst.ground_speed_m_s
    x = (np.arange(n_rows) * inst.wvc_size_m)[:, None, None]
    y = inst.cell_offsets_m[None, :, None]
    rho_min = inst.ground_range_m(inst.incidence_min_deg)
    rho_max = inst.ground_range_m(inst.incidence_max_deg)
    dx_in = np.sqrt(np.maximum(rho_min**2 - y**2, 0.0))
    dx_out = np.sqrt(np.maximum(rho_max**2 - y**2, 0.0))
    seen = np.abs(y) <= rho_max
    n_turns = int(np.ceil(1.2 * rho_max / v / inst.rotation_period_s)) + 1
    spans = {FORE: ((x - dx_out) / v, (x - dx_in) / v), AFT: ((x + dx_in) / v, (x + dx_out) / v)}
    blocks = []
    for b, offset in enumerate(inst.beam_azimuth_offset_deg):
        phase = np.radians(rotation_phase_deg + offset)
        for look, span in spans.items():
            t, ok = _crossing_times(x, y, span, phase, inst, n_turns)
            if look == AFT:  # a crossing exactly at nadir's abeam point is counted once
                ok &= t > span[0]
            blocks.append((t, ok & seen, np.full(t.shape, b), np.full(t.shape, look)))
    return _pack_views(blocks, x, y, inst, max_views)


def _pack_views(
    blocks: list[tuple[np.ndarray, ...]],
    x: np.ndarray,
    y: np.ndarray,
    inst: ScatInstrument,
    max_views: int | None,
) -> xr.Dataset:
    """Concatenate the candidate crossings of all beams and move valid views to the front."""
    t, ok, beam, look = (np.concatenate(parts, axis=-1) for parts in zip(*blocks, strict=True))
    order = np.argsort(np.where(ok, t, np.inf), axis=-1, kind="stable")
    t, ok, beam, look = (np.take_along_axis(a, order, -1) for a in (t, ok, beam, look))
    n_views = int(ok.sum(axis=-1).max()) if max_views is None else max_views
    t, ok, beam, look = (a[..., :n_views] for a in (t, ok, beam, look))
    dx = x - inst.ground_speed_m_s * t
    rel_az = np.degrees(np.arctan2(np.broadcast_to(y, dx.shape), dx)) % 360.0
    pol_codes = np.array([{"VV": VV, "HH": HH}[p] for p in inst.polarisations])
    dims = ("numrows", "numcells", "numviews")
    nan = np.where(ok, 1.0, np.nan)
    return xr.Dataset(
        {
            "rel_azimuth": (dims, rel_az * nan, {"units": "degree"}),
            "incidence": (dims, inst.incidence_deg(np.hypot(dx, y)) * nan, {"units": "degree"}),
            "polarisation": (dims, np.where(ok, pol_codes[beam], -1).astype(np.int8)),
            "look": (dims, np.where(ok, look, -1).astype(np.int8)),
            "time": (dims, t * nan, {"units": "s"}),
        }
    )


def azimuth_diversity(azimuth_deg: np.ndarray, axis: int = -1) -> np.ndarray:
    """Azimuth diversity of a set of views, 1 - |mean exp(2 i a)| (0..1), NaN views ignored.

    Views 180 deg apart carry nearly the same wind information (the GMF is close to
    cos 2 phi), so the spread of azimuths modulo 180 is measured by the circular variance of
    the doubled angles (Mardia & Jupp 2000, Directional Statistics, sect. 2.3 and 9.3).
    """
    z = np.exp(2j * np.radians(azimuth_deg))
    valid = np.isfinite(azimuth_deg)
    mean = np.where(valid, z, 0).sum(axis=axis) / np.maximum(valid.sum(axis=axis), 1)
    return 1.0 - np.abs(mean)


def views_per_cell(instrument: ScatInstrument = CFOSAT_SCAT, n_rows: int = 40) -> xr.Dataset:
    """Across-swath summary of the fan-beam views: counts, azimuth diversity, incidences.

    Averages `swath_views` over ``n_rows`` rows (several antenna turns, so every rotation
    phase relative to the rows is sampled). Returns per cell (dim numcells): ``mean_views``,
    ``min_views``, ``max_views``, ``azimuth_diversity`` (mean over rows, `azimuth_diversity`),
    ``incidence_min`` and ``incidence_max`` (deg), and ``cross_track_distance`` (m).
    """
    geo = swath_views(n_rows, instrument)
    count = (geo.polarisation >= 0).sum("numviews")
    div = azimuth_diversity(geo.rel_azimuth.values)
    return xr.Dataset(
        {
            "mean_views": count.mean("numrows"),
            "min_views": count.min("numrows"),
            "max_views": count.max("numrows"),
            "azimuth_diversity": (("numcells",), div.mean(axis=0)),
            "incidence_min": geo.incidence.min(("numrows", "numviews")),
            "incidence_max": geo.incidence.max(("numrows", "numviews")),
            "cross_track_distance": (("numcells",), instrument.cell_offsets_m, {"units": "m"}),
        }
    )
