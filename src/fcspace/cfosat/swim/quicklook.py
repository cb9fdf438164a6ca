"""SWIM quicklooks: a box's 2-D spectrum with its partitions, and the along-track nadir SWH.

Works on the in-memory layout of either product (L2P or full L2). The polar plot shows the
slope spectrum ``pp`` (m^2/rad) over ln(k) (radius: the longest waves at the centre, rings
labelled in wavelength) and direction (clockwise from north, the frame of ``phi_vector``);
SWIM spectra are 180 deg ambiguous, so every partition appears twice. Partition outlines
come from ``mask_spectrum`` (or ``mask_spectrum_combined``), peaks from ``wave_param_part``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from fcspace.cfosat.swim import product_specs as ps
from fcspace.core.errors import InputError
from fcspace.core.plots import new_figure, save_figure

__all__ = ["SpectrumView", "nadir_swh_plot", "pick_cell", "quicklook", "spectrum_polar", "view"]

WAVELENGTH_RINGS_M = (30.0, 50.0, 100.0, 200.0, 400.0)


@dataclass(frozen=True)
class SpectrumView:
    """The spectrum a quicklook shows: slope spectrum, partition mask and parameters.

    ``pp`` (nk, n_phi, n_posneg, n_box), ``mask`` (nk, n_phi, npartitions, n_posneg, n_box)
    or None, ``part`` (nparam, npartitions, n_posneg, n_box) or None, ``wave`` (nparam,
    n_posneg, n_box), and a ``label``.
    """

    pp: np.ndarray
    mask: np.ndarray | None
    part: np.ndarray | None
    wave: np.ndarray
    label: str


def _values(ds: xr.Dataset, name: str, dims: tuple[str, ...]) -> np.ndarray | None:
    return ds[name].transpose(*dims).values if name in ds else None


def view(ds: xr.Dataset) -> SpectrumView:
    """``p_combined`` and its partitions when present, else ``pp_mean`` of the largest beam."""
    spec, part_dims = (ps.K, ps.PHI, ps.SIDE, ps.BOX), (ps.PARAM, ps.PART, ps.SIDE, ps.BOX)
    mask_dims = (ps.K, ps.PHI, ps.PART, ps.SIDE, ps.BOX)
    if "p_combined" in ds and "wave_param_combined" in ds:
        return SpectrumView(
            _values(ds, "p_combined", spec), _values(ds, "mask_spectrum_combined", mask_dims),
            _values(ds, "wave_param_part_combined", part_dims),
            _values(ds, "wave_param_combined", (ps.PARAM, ps.SIDE, ps.BOX)),
            "combined 8° + 10° beams",
        )  # fmt: skip
    for name in ("pp_mean", "wave_param"):
        if name not in ds:
            raise InputError("missing variable (SWIM layout expected)", ds.encoding.get("source"),
                             name)  # fmt: skip
    b = int(np.argmax(np.asarray(ds["beam_incidence"].values, float)))
    sub = ds.isel({ps.BEAM: b})
    return SpectrumView(
        _values(sub, "pp_mean", spec), _values(sub, "mask_spectrum", mask_dims),
        _values(sub, "wave_param_part", part_dims),
        _values(sub, "wave_param", (ps.PARAM, ps.SIDE, ps.BOX)),
        f"beam {float(ds['beam_incidence'].values[b]):g}°",
    )  # fmt: skip


def pick_cell(ds: xr.Dataset, v: SpectrumView, box: int | None = None) -> tuple[int, int]:
    """(side, box) to plot: ``box`` or the box of largest nadir SWH holding a valid spectrum.

    Among boxes with a complete spectrum on either side, the one with the largest
    ``nadir_swh_box`` (else the largest spectral Hs); of its two sides, the one with the
    larger spectral Hs.

    Raises
    ------
    InputError
        ``box`` out of range, or no valid spectrum (in that box or anywhere).
    """
    src = ds.encoding.get("source")
    complete = np.isfinite(v.pp).all(axis=(0, 1)) & np.isfinite(v.wave[0])  # (side, box)
    n_box = complete.shape[1]
    if box is not None and not 0 <= box < n_box:
        raise InputError(f"box {box} out of range 0..{n_box - 1}", src, "n_box")
    candidates = complete.any(axis=0) if box is None else np.arange(n_box) == box
    candidates &= complete.any(axis=0)
    if not candidates.any():
        where = "anywhere" if box is None else f"in box {box}"
        raise InputError(f"no valid 2-D spectrum {where}", src, "pp_mean")
    hs_spec = np.where(complete, v.wave[0], -np.inf)
    nadir = ds["nadir_swh_box"].values if "nadir_swh_box" in ds else np.full(n_box, np.nan)
    score = np.where(np.isfinite(nadir), nadir, -np.inf)
    if not np.isfinite(score[candidates]).any():
        score = hs_spec.max(axis=0)
    chosen = int(np.flatnonzero(candidates)[np.argmax(score[candidates])])
    return int(np.argmax(hs_spec[:, chosen])), chosen


def _edges(k: np.ndarray, phi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bin edges: geometric midpoints in k, +-half a bin in phi (radians)."""
    mid = np.sqrt(k[1:] * k[:-1])
    k_edges = np.concatenate([[k[0] ** 2 / mid[0]], mid, [k[-1] ** 2 / mid[-1]]])
    step = 360.0 / phi.size
    return k_edges, np.deg2rad(np.append(phi - step / 2.0, phi[-1] + step / 2.0))


def _radius(k: np.ndarray, k0: float) -> np.ndarray:
    """Radial coordinate of the polar plot: ln(k / k0), ``k0`` the innermost bin edge."""
    return np.log(np.asarray(k, float) / k0)


def _partitions(ax: Any, v: SpectrumView, side: int, box: int, k: np.ndarray,
                phi: np.ndarray, k0: float) -> None:  # fmt: skip
    """Outline each partition (both ambiguous copies) and mark its peaks."""
    colours = ("white", "orange", "magenta")
    if v.mask is not None:
        m = v.mask[:, :, :, side, box]
        for n in range(m.shape[2]):
            if (m[:, :, n] != 0).any():
                th = np.deg2rad(np.append(phi, phi[0] + 360.0))
                cell = np.concatenate([m[:, :, n], m[:, :1, n]], axis=1) != 0
                ax.contour(th, _radius(k, k0), cell.astype(float), levels=[0.5],
                           colors=colours[n % 3], linewidths=1.2)  # fmt: skip
    if v.part is None:
        return
    for n in range(v.part.shape[1]):
        hs, wl, d = v.part[:, n, side, box]
        if np.isfinite(wl) and np.isfinite(d):
            lab = f"P{n + 1}: Hs {hs:.2f} m, λp {wl:.0f} m, {d:.0f}°/{d + 180:.0f}°"
            ax.plot(np.deg2rad([d, d + 180.0]), _radius(np.full(2, 2 * np.pi / wl), k0), "x",
                    color=colours[n % 3], ms=9, mew=2, label=lab)  # fmt: skip


def spectrum_polar(
    ds: xr.Dataset, path: str | os.PathLike[str], box: int | None = None, title: str = ""
) -> tuple[Path, int, int]:
    """Polar PNG of one box's slope spectrum with its partitions; returns (path, side, box)."""
    v = view(ds)
    side, box = pick_cell(ds, v, box)
    k = np.asarray(ds["k_spectra"].values, float)
    phi = np.asarray(ds["phi_vector"].values, float)
    k_edges, th_edges = _edges(k, phi)
    fig, ax = new_figure(figsize=(7.5, 7.5), subplot_kw={"projection": "polar"})
    ax.set_theta_zero_location("N")
    ax.set_theta_direction(-1)
    k0 = float(k_edges[0])
    mesh = ax.pcolormesh(th_edges, _radius(k_edges, k0), v.pp[:, :, side, box], cmap="viridis",
                         shading="flat")  # fmt: skip
    fig.colorbar(mesh, ax=ax, pad=0.1, shrink=0.8, label="slope spectrum (m² rad⁻¹)")
    _partitions(ax, v, side, box, k, phi, k0)
    rings = np.array([2 * np.pi / w for w in WAVELENGTH_RINGS_M])
    rings = rings[(rings >= k0) & (rings <= k_edges[-1])]
    ax.set_rticks(_radius(rings, k0))
    ax.set_yticklabels([f"{2 * np.pi / r:.0f} m" for r in rings], color="w", fontsize=8)
    ax.set_ylim(0.0, float(_radius(k_edges[-1], k0)))
    hs = v.wave[0, side, box]
    where = ("right", "left")[side] if ds.sizes.get(ps.SIDE, 2) == 2 else str(side)
    ax.set_title(f"{title}\nbox {box}, {where} of track, {v.label}, Hs {hs:.2f} m", fontsize=10)
    if v.part is not None and np.isfinite(v.part[1, :, side, box]).any():
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06), fontsize=8, frameon=False)
    return save_figure(fig, path), side, box


def _along_track(ds: xr.Dataset) -> tuple[np.ndarray, str]:
    """Box positions along track: latitude when known, else the box index."""
    lat = ds["lat_nadir_l2"].values if "lat_nadir_l2" in ds else None
    if lat is not None and np.isfinite(lat).sum() >= 2:
        return lat, "nadir latitude (°N)"
    return np.arange(ds.sizes[ps.BOX], dtype=float), "box"


def nadir_swh_plot(
    ds: xr.Dataset, path: str | os.PathLike[str], box: int | None = None, title: str = ""
) -> Path:
    """PNG of nadir SWH along track: box (and 1 Hz) values, truth or ECMWF when present."""
    x, xlabel = _along_track(ds)
    fig, ax = new_figure(figsize=(9, 4))
    if "nadir_swh_1hz" in ds and xlabel != "box":
        ax.plot(ds["lat_nadir_1hz"].values, ds["nadir_swh_1hz"].values, ".", ms=3,
                color="0.6", label="nadir SWH 1 Hz")  # fmt: skip
    if "truth_swh_native" in ds and xlabel != "box":
        ax.plot(ds["lat_nadir_native"].values, ds["truth_swh_native"].values, "-", lw=1,
                color="k", label="truth at nadir")  # fmt: skip
    if "swh_ecmwf" in ds:
        ecmwf = ds["swh_ecmwf"].mean(ps.SIDE, skipna=True).values  # NaN where both missing
        ax.plot(x, ecmwf, "--", color="tab:green", label="ECMWF SWH (mean of sides)")
    ax.plot(x, ds["nadir_swh_box"].values, "o-", ms=4, color="tab:blue", label="nadir SWH box")
    if box is not None and np.isfinite(x[box]):
        ax.axvline(x[box], color="tab:red", lw=1, ls=":", label=f"box {box} (spectrum)")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("significant wave height (m)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return save_figure(fig, path)


def quicklook(
    ds: xr.Dataset, path: str | os.PathLike[str], box: int | None = None, title: str = ""
) -> dict[str, object]:
    """Polar spectrum PNG at ``path`` and the along-track nadir SWH PNG beside it.

    The nadir PNG is ``<stem>_nadir_swh.png`` in the same folder. Returns the two paths and
    the chosen ``box`` and ``side`` (0: right of the track, 1: left).
    """
    p = Path(path)
    polar, side, chosen = spectrum_polar(ds, p, box, title)
    nadir = nadir_swh_plot(ds, p.with_name(f"{p.stem}_nadir_swh.png"), chosen, title)
    return {"spectrum_png": str(polar), "nadir_png": str(nadir), "box": chosen, "side": side}
