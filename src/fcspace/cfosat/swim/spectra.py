"""SWIM directional wave spectra: wave parameters, wavespectra layout, partitioning.

Spectral convention of the L2P products (measured on the real file, see the docs): the "slope
spectrum" ``pp_mean`` (m^2/rad) is ``k^2 F_c(k, phi)``, the wave-vector (Cartesian) elevation
density times ``k^2``, on ``k_spectra`` (rad/m, log-spaced) x ``phi_vector`` (15 deg bins).
The area element in polar coordinates is ``k dk dphi``, hence ``Hs = 4 sqrt(sum(pp / k dk
dphi))`` (``dk = np.gradient(k)``) and the polar elevation density ``F(k, phi) = pp / k``
(m^2 / (rad/m) / rad; equivalently ``pp`` is the elevation density per ``ln k``). ``pp`` is
symmetric, ``pp(phi) = pp(phi + 180)``: the 180 deg ambiguity of SWIM (Hauser et al. 2017).

Kernels work on NumPy arrays whose last two axes are (k, phi); the public functions take
Datasets and select axes by dimension *name*, whatever their order. The wave parameters are
one compiled pass per spectrum (:mod:`fcspace.cfosat.swim.param_kernels`).

Peak direction: wavespectra's ``dpm`` (mean direction at the peak frequency) is meaningless
on these 180 deg-ambiguous spectra (the vector sum of a symmetric spectrum is zero up to
round-off); fcspace reports the axial (doubled-angle) mean at the 2-D peak, modulo 180 deg,
flagged ``direction_ambiguous`` (see :func:`wave_params`).
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from fcspace.cfosat.swim import param_kernels
from fcspace.cfosat.swim.truth import G
from fcspace.core.errors import InputError

PEAK_HALF_WINDOW = 2  # bins each side of the 2-D maximum used for the peak centroid


def _grids(
    ds: xr.Dataset, spectrum: str, check_values: bool = True
) -> tuple[xr.DataArray, NDArray, NDArray, str, str]:
    """Spectrum, k (rad/m), phi (deg) and the names of the k and phi dimensions, checked.

    ``check_values=False`` leaves the sign check to the caller's own pass over the data.
    """
    for name in (spectrum, "k_spectra", "phi_vector"):
        if name not in ds:
            raise InputError("missing variable (expected SWIM L2P layout)", variable=name)
    kdim, phidim = ds["k_spectra"].dims[0], ds["phi_vector"].dims[0]
    pp = ds[spectrum]
    if kdim not in pp.dims or phidim not in pp.dims:
        raise InputError(
            f"spectrum must have dims {kdim!r} and {phidim!r}, has {pp.dims}", variable=spectrum
        )
    k = np.asarray(ds["k_spectra"].values, dtype=float)
    phi = np.asarray(ds["phi_vector"].values, dtype=float)
    _check_axes(k, phi)
    if check_values and np.nanmin(np.where(np.isfinite(pp.values), pp.values, 0.0)) < 0:
        raise InputError("negative spectral density", variable=spectrum)
    return pp, k, phi, kdim, phidim


def _check_axes(k: NDArray, phi: NDArray) -> None:
    if not (np.all(np.isfinite(k)) and np.all(k > 0) and np.all(np.diff(k) > 0)):
        raise InputError(
            "k grid must be finite, positive and strictly increasing", variable="k_spectra"
        )
    step = np.diff(phi)
    if phi.size % 2 or not np.allclose(step, 360.0 / phi.size):
        raise InputError(
            "phi grid must cover 360 deg in an even number of uniform bins", variable="phi_vector"
        )


def hs_kernel(pp: ArrayLike, k: NDArray) -> NDArray:
    """``Hs = 4 sqrt(sum(pp / k dk dphi))`` over the last two axes (k, phi); SWIM L2P rule."""
    pp = np.asarray(pp, dtype=float)
    dphi = 2.0 * np.pi / pp.shape[-1]
    m0 = np.sum(pp / k[:, None] * np.gradient(k)[:, None], axis=(-2, -1)) * dphi
    return 4.0 * np.sqrt(m0)


def peak_kernel(pp: ArrayLike, k: NDArray, phi_deg: NDArray) -> tuple[NDArray, NDArray]:
    """Peak wavelength (m) and direction (deg, modulo 180) of slope spectra (..., nk, n_phi).

    The 2-D maximum of ``pp`` is refined by the ``pp``-weighted centroid over +-2 bins in k
    and phi: ``lambda_p = 2 pi / <k>``, direction = half the argument of ``<exp(2 i phi)>``
    (doubled angles: the spectrum is known modulo 180 deg). Spectra with no energy give NaN.
    NaN bins count as 0. Compiled loop (:func:`fcspace.cfosat.swim.param_kernels.peaks`).
    """
    pp = np.nan_to_num(np.asarray(pp, dtype=float))
    lead = pp.shape[:-2]
    flat = np.ascontiguousarray(pp.reshape((-1,) + pp.shape[-2:]))
    k = np.asarray(k, dtype=float)
    wl, direc = param_kernels.peaks(flat, k, np.asarray(phi_deg, dtype=float), PEAK_HALF_WINDOW)
    return wl.reshape(lead), direc.reshape(lead)


def _params_kernel(
    pp: NDArray, k: NDArray, phi: NDArray, symmetric: bool | None
) -> tuple[NDArray, ...]:
    """Hs, peak wavelength and direction, ambiguity and completeness (one compiled pass)."""
    lead = pp.shape[:-2]
    flat = np.ascontiguousarray(pp.reshape((-1,) + pp.shape[-2:]), dtype=np.float64)
    code = -1 if symmetric is None else int(bool(symmetric))
    *outs, negative = param_kernels.params(flat, k, phi, PEAK_HALF_WINDOW, code)
    if negative:
        raise InputError("negative spectral density", variable="spectrum")
    return tuple(o.reshape(lead) for o in outs)


def wave_params(
    ds: xr.Dataset, spectrum: str = "pp_mean", symmetric: bool | None = None
) -> xr.Dataset:
    """SWH, peak wavelength and peak direction of every spectrum of a SWIM product.

    Parameters
    ----------
    ds
        Dataset in the L2P layout: ``spectrum`` with dims (k, phi, ...), ``k_spectra`` (rad/m)
        and ``phi_vector`` (deg); any other dims (``n_posneg``, ``n_box`` ...) are kept.
    spectrum
        Name of the slope spectrum (m^2/rad, ``pp = k^2 F_c``).
    symmetric
        None (default): each spectrum is tested for the 180 deg symmetry
        (``max |pp(phi) - pp(phi + 180)| <= 1e-6 max |pp|``). True / False: the caller knows
        the answer (SWIM L2P ``pp_mean`` is symmetric by construction) and the test, a
        second pass over the data, is skipped; ``direction_ambiguous`` is then this value.

    Returns
    -------
    xr.Dataset
        ``hs`` (m) ``= 4 sqrt(sum(pp / k dk dphi))`` (SWIM L2P rule; matches the file's
        ``wave_param`` SWH); ``peak_wavelength`` (m) and ``peak_direction`` (deg, modulo 180,
        in the frame of ``phi_vector``) from the ``pp``-weighted centroid around the 2-D
        maximum (as :func:`peak_kernel`); ``direction_ambiguous`` (spectrum symmetric:
        direction known modulo 180 deg only); ``spectrum_complete`` (False where any bin is
        missing: parameters are NaN there).

    Notes
    -----
    Peak direction of 180 deg-ambiguous spectra. wavespectra's ``dpm`` (WAVEWATCH III
    manual: the mean direction ``arg sum_theta E(f_p, theta) exp(i theta)`` at the peak
    frequency) is meaningless on SWIM spectra: with ``E(theta) = E(theta + 180)`` the sum is
    zero up to round-off (its length is ~1e-16 of the energy), so ``dpm`` is the argument of
    rounding noise. fcspace reports instead the axial mean at the 2-D peak, half the argument
    of the ``pp``-weighted ``sum exp(2 i phi)`` (doubled angles, Mardia & Jupp 2000), which
    is well defined modulo 180 deg, and flags it with ``direction_ambiguous``; the same
    applies to the peak frequency (``Tp`` from ``peak_wavelength`` by deep-water dispersion,
    ``Tp = sqrt(2 pi lambda_p / g)``).

    Raises
    ------
    InputError
        Missing variables, negative densities, a k grid not strictly increasing.
    """
    pp, k, phi, kdim, phidim = _grids(ds, spectrum, check_values=False)
    outs = xr.apply_ufunc(
        _params_kernel,
        pp if pp.dtype == np.float64 else pp.astype(float),
        kwargs={"k": k, "phi": phi, "symmetric": symmetric},
        input_core_dims=[[kdim, phidim]],
        output_core_dims=[[]] * 5,
        dask="parallelized",
        output_dtypes=[float, float, float, bool, bool],
    )
    names = ["hs", "peak_wavelength", "peak_direction", "direction_ambiguous", "spectrum_complete"]
    units = ["m", "m", "degree", "1", "1"]
    out = xr.Dataset(
        {n: o.assign_attrs(units=u) for n, o, u in zip(names, outs, units, strict=True)}
    )
    out["peak_direction"].attrs["comment"] = "modulo 180 deg, frame of phi_vector"
    return out


def to_wavespectra(ds: xr.Dataset, spectrum: str = "pp_mean") -> xr.DataArray:
    """Convert SWIM slope spectra to wavespectra's ``efth(..., freq, dir)`` (m^2 / Hz / deg).

    ``F(k, phi) = pp / k`` (module docstring) is mapped to frequency with deep-water
    dispersion ``(2 pi f)^2 = g k``. The discrete energy is conserved bin by bin with
    wavespectra's own weights (``df = np.gradient(freq)``, ``dd`` in degrees):
    ``efth df dd = F dk dphi`` with ``dk = np.gradient(k)``, so ``efth.spec.hs(tail=False)``
    equals :func:`wave_params` ``hs``. Directions: ``phi_vector`` is taken as the direction of
    propagation (towards), and wavespectra's ``dir`` is where waves come from,
    ``dir = (phi + 180) mod 360``; for SWIM's symmetric spectra this changes nothing.
    """
    pp, k, phi, kdim, phidim = _grids(ds, spectrum)
    f = np.sqrt(G * k) / (2.0 * np.pi)
    dd = 360.0 / phi.size
    factor = np.gradient(k) * np.deg2rad(dd) / (np.gradient(f) * dd) / k
    efth = pp.astype(float) * xr.DataArray(factor, dims=kdim)
    efth = efth.rename({kdim: "freq", phidim: "dir"}).drop_vars(["freq", "dir"], errors="ignore")
    efth = efth.assign_coords(freq=("freq", f), dir=("dir", (phi + 180.0) % 360.0))
    others = [d for d in efth.dims if d not in ("freq", "dir")]
    efth = efth.transpose(*others, "freq", "dir").sortby("dir")
    return efth.rename("efth").assign_attrs(
        units="m2 s deg-1", standard_name="sea_surface_wave_directional_variance_spectral_density"
    )


# --------------------------------------------------------------------------- partitioning
# Watershed partitioning (Hanson & Phillips 2001, JAOT 18, 277-293) on the folded half plane:
# the symmetric spectrum is held on (nk, n_phi/2) columns phi in [0, 180); column n_phi/2 - 1
# neighbours column 0 (phi + 180 is the same cell), so each wave system is found once and its
# mirror image is given the mask value -1 (as ``mask_spectrum`` of the L2P products).

HP_KAPPA = 0.4  # Hanson & Phillips (2001) merging coefficient for peak separation vs spread
MIN_ENERGY_FRACTION = 0.05  # partitions under this share of the energy join a neighbour
SPREAD_CORE = 0.25  # cells above this fraction of a partition's peak define its spread


def _smooth(half: NDArray) -> NDArray:
    """3 x 3 box smoothing (k edges replicated, phi periodic on the half plane)."""
    p = np.pad(half, ((1, 1), (0, 0)), mode="edge")
    p = np.concatenate([p[:, -1:], p, p[:, :1]], axis=1)
    return (
        sum(
            p[1 + a : p.shape[0] - 1 + a, 1 + b : p.shape[1] - 1 + b]
            for a in (-1, 0, 1)
            for b in (-1, 0, 1)
        )
        / 9.0
    )


def _neighbours(nk: int, nh: int) -> NDArray:
    """Flat indices (nk*nh, 9) of each cell and its 8 neighbours (k clipped, phi periodic)."""
    i, j = np.divmod(np.arange(nk * nh), nh)
    di, dj = np.meshgrid([-1, 0, 1], [-1, 0, 1], indexing="ij")
    ii = np.clip(i[:, None] + di.ravel(), 0, nk - 1)
    jj = (j[:, None] + dj.ravel()) % nh
    return ii * nh + jj


def _watershed(half: NDArray) -> NDArray:
    """Labels (nk, nh) by steepest ascent to the local maxima (Hanson & Phillips 2001)."""
    nk, nh = half.shape
    nb = _neighbours(nk, nh)
    v = half.ravel()
    ptr = nb[np.arange(v.size), np.argmax(v[nb], axis=1)]
    for _ in range(int(np.ceil(np.log2(v.size))) + 1):
        ptr = ptr[ptr]
    return np.unique(ptr, return_inverse=True)[1].reshape(nk, nh)


def _saddles(labels: NDArray, half: NDArray) -> dict[tuple[int, int], float]:
    """Highest pass value between every pair of touching partitions."""
    nb = _neighbours(*labels.shape)
    lab, v = labels.ravel(), half.ravel()
    a, b = np.repeat(lab, 9), lab[nb].ravel()
    pas = np.minimum(np.repeat(v, 9), v[nb].ravel())
    out: dict[tuple[int, int], float] = {}
    for x, y, s in zip(a[a != b], b[a != b], pas[a != b], strict=True):
        key = (min(x, y), max(x, y))
        out[key] = max(out.get(key, -np.inf), float(s))
    return out


def _stats(labels: NDArray, e: NDArray, kx: NDArray, ky: NDArray) -> dict[int, tuple]:
    """Energy, peak wave vector and spread (second moment about the peak) per partition.

    The spread uses the cells above ``SPREAD_CORE`` x the partition's peak only, so that
    residual speckle spread over a partition does not inflate it (our adaptation of
    Hanson & Phillips 2001 to noisy SWIM spectra). Directions are doubled-angle so that
    phi and phi+180 are the same (folded plane).
    """
    out = {}
    for lab in np.unique(labels):
        m = labels == lab
        em = np.where(m, e, 0.0)
        p = np.unravel_index(np.argmax(em), e.shape)
        core = np.where(em >= SPREAD_CORE * em[p], em, 0.0)
        spread = np.sum(core * ((kx - kx[p]) ** 2 + (ky - ky[p]) ** 2)) / max(core.sum(), 1e-300)
        out[int(lab)] = (float(em.sum()), float(kx[p]), float(ky[p]), float(spread))
    return out


def _merge_once(
    labels: NDArray, e: NDArray, kx: NDArray, ky: NDArray, half: NDArray, max_partitions: int
) -> bool:
    """Apply one merge (smallest-first): low energy, too many, or Hanson-Phillips overlap."""
    st = _stats(labels, e, kx, ky)
    sad = _saddles(labels, half)
    total = sum(s[0] for s in st.values())
    for lab in sorted(st, key=lambda x: st[x][0]):
        pairs = {(b if a == lab else a): s for (a, b), s in sad.items() if lab in (a, b)}
        if not pairs:
            continue
        best = max(pairs, key=pairs.get)
        ea, xa, ya, sa = st[lab]
        eb, xb, yb, sb = st[best]
        close = (xa - xb) ** 2 + (ya - yb) ** 2 <= HP_KAPPA * (sa + sb)
        if close or ea < MIN_ENERGY_FRACTION * total or len(st) > max_partitions:
            labels[labels == lab] = best
            return True
    return False


def partition_kernel(
    pp: NDArray, k: NDArray, phi_deg: NDArray, max_partitions: int = 3
) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    """Partition one symmetric slope spectrum (nk, n_phi) into up to ``max_partitions``.

    Returns ``mask`` (nk, n_phi, max_partitions) int8 (1: the partition, -1: its mirror, 0:
    outside) and per partition ``hs``, ``peak_wavelength``, ``peak_direction`` (deg mod 180),
    sorted by decreasing energy, NaN for absent partitions. Watershed by steepest ascent on a
    3 x 3 smoothed copy, then merging (Hanson & Phillips 2001): a partition joins the
    neighbour with the highest saddle when their peak wave vectors are closer than
    ``sqrt(kappa (s1^2 + s2^2))`` (``kappa = 0.4``; spreads ``s`` are second moments about
    the peaks), when it holds less than 5 % of the energy, or while there are too many.
    """
    nk, nphi = pp.shape
    nh = nphi // 2
    mask = np.zeros((nk, nphi, max_partitions), np.int8)
    par = np.full((3, max_partitions), np.nan)
    if not np.all(np.isfinite(pp)) or not np.any(pp > 0):
        return mask, par[0], par[1], par[2]
    half = 0.5 * (pp[:, :nh] + pp[:, nh:])
    e = half / k[:, None] * np.gradient(k)[:, None]
    ang = np.deg2rad(2.0 * phi_deg[:nh])
    kx, ky = k[:, None] * np.cos(ang), k[:, None] * np.sin(ang)
    labels = _watershed(_smooth(half))
    while _merge_once(labels, e, kx, ky, half, max_partitions):
        pass
    order = sorted(np.unique(labels), key=lambda lab: -e[labels == lab].sum())
    for n, lab in enumerate(order[:max_partitions]):
        mask[..., n] = _mirror_mask(labels == lab, np.where(labels == lab, half, 0.0))
        part = np.where(mask[..., n] != 0, pp, 0.0)
        par[0, n] = hs_kernel(part, k)
        par[1, n], par[2, n] = peak_kernel(part, k, phi_deg)
    return mask, par[0], par[1], par[2]


def _mirror_mask(cells: NDArray, values: NDArray) -> NDArray:
    """+1 on the copy within 90 deg of the partition's peak direction, -1 on its mirror."""
    nh = cells.shape[1]
    peak_col = np.unravel_index(np.argmax(values), values.shape)[1]
    # Folded column j stands for phi_j and phi_j + 180; phi_j is the nearer copy to the peak
    # direction phi_p (in [0, 180)) when |j - p| <= nh / 2 columns.
    first = np.abs(np.arange(nh) - peak_col) <= nh // 2
    full = np.zeros((cells.shape[0], 2 * nh), np.int8)
    full[:, :nh] = np.where(cells, np.where(first, 1, -1), 0)
    full[:, nh:] = -full[:, :nh]
    return full


def partition(ds: xr.Dataset, spectrum: str = "pp_mean", max_partitions: int = 3) -> xr.Dataset:
    """Watershed partitions of every spectrum of a product (dims by name, others kept).

    Returns ``mask_spectrum`` (k, phi, ..., npartitions; 1 / -1 / 0 as in the L2P product),
    ``hs``, ``peak_wavelength``, ``peak_direction`` (deg modulo 180, ambiguous) over
    (..., npartitions) and ``number_of_partitions``. See :func:`partition_kernel`.
    """
    pp, k, phi, kdim, phidim = _grids(ds, spectrum)
    mask, hs, wl, direc = xr.apply_ufunc(
        partition_kernel,
        pp.astype(float),
        kwargs={"k": k, "phi_deg": phi, "max_partitions": max_partitions},
        input_core_dims=[[kdim, phidim]],
        output_core_dims=[[kdim, phidim, "npartitions"]] + [["npartitions"]] * 3,
        vectorize=True,
    )
    return xr.Dataset(
        {
            "mask_spectrum": mask.astype(np.int8),
            "hs": hs.assign_attrs(units="m"),
            "peak_wavelength": wl.assign_attrs(units="m"),
            "peak_direction": direc.assign_attrs(units="degree", comment="modulo 180 deg"),
            "number_of_partitions": np.isfinite(hs).sum("npartitions").astype(np.int8),
        }
    )
