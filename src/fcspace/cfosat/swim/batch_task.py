"""SWIM's one-file batch task (``fcspace batch swim``): L1 → L2, or L2P/L2 → fcspace L2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fcspace.core.registry import BatchTask


def swim_task(src: Path, dst: Path) -> dict[str, Any]:
    """SWIM file → fcspace full L2; returns the product's summary.

    An fcspace SWIM L1 file (nadir ``waveform`` variable) runs the whole L1 → L2 chain, as
    ``fcspace swim process`` (:func:`fcspace.cfosat.swim.process.process_file`). An L2P box
    product (or an fcspace L2) is reprocessed:
    :func:`~fcspace.cfosat.swim.io.open_swim` (either layout, flags and fills applied),
    :func:`~fcspace.cfosat.swim.spectra.wave_params` on ``pp_mean`` (and on ``p_combined``
    when present), whose SWH, peak wavelength and peak direction (degree, modulo 180, frame of
    ``phi_vector``) replace the rows 0, 1, 2 of ``wave_param`` (and ``wave_param_combined``),
    NaN where a spectrum is incomplete, then :func:`~fcspace.cfosat.swim.io.write_l2`
    (atomic).
    """
    from fcspace.cfosat.swim.io import l2_summary, open_swim, write_l2
    from fcspace.core.products import add_history

    if _is_swim_l1(src):
        from fcspace.cfosat.swim.process import process_file

        return process_file((src, dst))
    ds = open_swim(src)
    ds = _recompute_wave_params(ds, "pp_mean", "wave_param")
    if "p_combined" in ds.data_vars and "wave_param_combined" in ds.data_vars:
        ds = _recompute_wave_params(ds, "p_combined", "wave_param_combined")
    ds = add_history(ds, "wave parameters recomputed from the spectra (fcspace batch swim)")
    write_l2(ds, dst)
    return l2_summary(ds)


def _is_swim_l1(path: Path) -> bool:
    """Whether a file is an fcspace SWIM L1 (it holds nadir waveforms); False if unreadable."""
    from fcspace.core.netcdf import variable_names

    return "waveform" in (variable_names(path) or ())


def _recompute_wave_params(ds: Any, spectrum: str, target: str) -> Any:
    """``ds`` with ``target`` (nparam rows SWH, wavelength, direction) from ``spectrum``."""
    import xarray as xr

    from fcspace.cfosat.swim.product_specs import PARAM
    from fcspace.cfosat.swim.spectra import wave_params

    params = wave_params(ds, spectrum)
    rows = [params["hs"], params["peak_wavelength"], params["peak_direction"]]
    new = xr.concat(rows, dim=PARAM).transpose(*ds[target].dims)
    out = ds.copy()
    out[target] = new.astype(ds[target].dtype).assign_attrs(ds[target].attrs)
    return out


def swim_output_name(src: Path) -> str:
    """Name of the fcspace L2 product of a SWIM file: ``STEM_fcspace_l2.nc``."""
    return f"{src.stem}_fcspace_l2.nc"


#: The task, registered in :mod:`fcspace.cfosat.swim.mission`.
TASK = BatchTask(
    "swim",
    swim_task,
    swim_output_name,
    "SWIM L1 → L2, or L2P/L2 → L2",
    "SWIM L2P/L2 → fcspace L2 with wave parameters recomputed, one task per file.",
)
