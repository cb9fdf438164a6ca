"""The real products the water-cycle mission reads, described as data (one table per product).

After the satpy pattern (a reader's YAML: names, dims, units, fill, valid range per variable),
the readers in :mod:`fcspace.watercycle.io` hold no product knowledge of their own: what a
variable is called in the file, its dimensions, the units the file must state, its fill and its
valid range come from these tables. A file whose variable lacks, has another rank, or states
other units is refused (a product variant needs a new table, not a code branch).

Sources of the tables (checked on the files in ``../shared/data/watercycle``, ORIGIN.md):

- JPL SMAP L2B SSS: Fore, Tang, Hayashi et al., *SMAP Salinity and Wind Speed Data User's
  Guide*, JPL (the CAP product, HDF5); variable attributes as found in revolution 865 (R13080).
- ESA SMOS L2 SM UDP: *SMOS L2 SM Product Specification* (SO-TN-IDR-GS-0006, the ``Ref_Doc`` of
  the file), in ESA's NetCDF conversion (dimension ``n_grid_points``).
- SMAP L4_SM analysis update: Reichle et al., *SMAP L4_SM Product Specification Document*
  (GMAO, PSD edition 1.5, 2018), on the 9 km EASE-Grid 2.0 (Brodzik et al. 2012).
"""

from __future__ import annotations

from dataclasses import dataclass
from os import PathLike
from typing import Any

import numpy as np
import xarray as xr

from fcspace.core.errors import InputError

__all__ = [
    "SMAP_L2B_SSS",
    "SMAP_L4_SM",
    "SMOS_L2_SM",
    "WATER_PRODUCT_LIMITS",
    "check_water_product",
    "NOT_A_VALUE",
    "Limit",
    "ProductSpec",
    "Var",
]


@dataclass(frozen=True)
class Var:
    """One variable of a product.

    Attributes
    ----------
    name
        Name in the file (an HDF5 path for grouped variables); the Dataset uses its last part.
    dims
        Dimension names given to it in the Dataset (the file's own where it names them).
    units
        Units the file must state (its ``units`` attribute, as written there); None: unitless.
    fill
        Fill value of the file (becomes NaN for floating-point variables).
    valid
        Valid range ``(min, max)`` stated by the product documentation (kept as ``valid_min`` /
        ``valid_max``; values are not masked by it).
    required
        The reader refuses a file without it.
    """

    name: str
    dims: tuple[str, ...]
    units: str | None
    fill: float | int | None = None
    valid: tuple[float, float] | None = None
    required: bool = True


@dataclass(frozen=True)
class ProductSpec:
    """A product: its name, reference and variables."""

    product: str
    reference: str
    variables: tuple[Var, ...]

    def names(self) -> tuple[str, ...]:
        """File names of the variables."""
        return tuple(v.name for v in self.variables)


# --- JPL SMAP L2B SSS (HDF5, no dimension scales; 2-D arrays are cross-track x along-track:
# the first axis has "Number of Cross Track Bins" = 76 cells, the second has one row_time each)
_XA = ("cross_track", "along_track")
_K, _DEG, _MS, _PSU = "Degrees kelvin", "Degrees", "Meters/second", "PSU"


def _l2b(name: str, units: str | None, valid: tuple[float, float], required: bool = True) -> Var:
    return Var(name, _XA, units, -9999.0, valid, required)


SMAP_L2B_SSS = ProductSpec(
    "JPL SMAP L2B SSS",
    "Fore et al., SMAP Salinity and Wind Speed Data User's Guide (JPL CAP, HDF5)",
    (
        Var("row_time", ("along_track",), "UTC seconds of day", None, (0.0, 86400.0)),
        _l2b("lat", _DEG, (-90.0, 90.0)),
        _l2b("lon", _DEG, (-180.0, 180.0)),
        *(_l2b(f"tb_{p}_{look}", _K, (0.0, 340.0)) for p in "vh" for look in ("fore", "aft")),
        *(_l2b(f"nedt_{p}_{look}", _K, (0.0, 3.0)) for p in "vh" for look in ("fore", "aft")),
        *(_l2b(f"inc_{look}", _DEG, (0.0, 90.0)) for look in ("fore", "aft")),
        *(_l2b(f"azi_{look}", _DEG, (-180.0, 180.0)) for look in ("fore", "aft")),
        _l2b("anc_sss", _PSU, (0.0, 40.0)),
        _l2b("anc_sst", _K, (0.0, 340.0)),
        _l2b("anc_spd", _MS, (0.0, 100.0)),
        _l2b("anc_dir", _DEG, (-180.0, 180.0)),
        _l2b("anc_swh", "Meters", (0.0, 25.0)),
        _l2b("smap_sss", _PSU, (0.0, 40.0)),
        _l2b("smap_sss_bias_adj", _PSU, (0.0, 40.0)),
        _l2b("smap_spd", _MS, (0.0, 100.0)),
        Var("quality_flag", _XA, None, 65535, None),
        *(_l2b(f"tb_{p}_bias_adj", _K, (-3.0, 3.0), False) for p in "vh"),
        *(
            Var(f"n_{p}_{look}", _XA, None, 0, None, False)
            for p in "vh"
            for look in ("fore", "aft")
        ),
        _l2b("smap_spd_bias_adj", _MS, (0.0, 100.0), False),
        _l2b("smap_high_spd", _MS, (0.0, 100.0), False),
        _l2b("smap_high_dir", _DEG, (-180.0, 180.0), False),
        _l2b("smap_high_dir_smooth", _DEG, (-180.0, 180.0), False),
        Var("num_ambiguities", _XA, None, 0, None, False),
        Var("smap_ambiguity_spd", (*_XA, "ambiguity"), _MS, -9999.0, (0.0, 100.0), False),
        Var("smap_ambiguity_dir", (*_XA, "ambiguity"), _DEG, -9999.0, (-180.0, 180.0), False),
    ),
)

# --- ESA SMOS L2 SM UDP, NetCDF conversion: one dimension n_grid_points (ISEA 4H9 DGG points).
# Days/Seconds/Microseconds count from 2000-01-01T00:00:00 UTC (SMOS L2 product spec, the
# "UTC_Type" of the Earth Explorer file format; checked: Days = 8491 on 2023-04-01).
_G = ("n_grid_points",)


def _smos(name: str, units: str | None, valid: tuple[float, float] | None = None) -> Var:
    return Var(name, _G, units, -999.0, valid)


def _smos_opt(name: str, units: str | None) -> Var:
    return Var(name, _G, units, -999.0, required=False)


# The other variables of the UDP (optional: the reader keeps them when present). Retrieved
# parameters and their uncertainties (DQX), floats with the fill -999:
_SMOS_FLOATS = (
    *((n, "K") for n in ("Surface_Temperature_DQX", "Roughness_Param", "Roughness_Param_DQX")),
    *((f"TB_{a}_Theta_B_{p}_DQX", "K") for a in ("ASL", "TOA") for p in "HV"),
    ("Optical_Thickness_Nad_DQX", "Np"),
    *((f"Dielect_Const_{m}_{c}{d}", "Fm-1") for m in ("MD", "Non_MD") for c in ("RE", "IM")
      for d in ("", "_DQX")),  # fmt: skip
    *((n, None) for n in ("Scattering_Albedo_H", "Scattering_Albedo_H_DQX", "DIFF_Albedos",
                          "DIFF_Albedos_DQX", "TTH", "TTH_DQX", "RTT", "RTT_DQX",
                          "Tau_Cur_DQX", "HR_Cur_DQX")),  # fmt: skip
    ("AFP", "km"),
)
# Counts, decision-tree branches, quality index and flag words (fill 0 kept as an integer):
_SMOS_INTEGERS = (
    "M_AVA0", "M_AVA", "N_AF_FOV", "N_Sun_FOV", "N_Sun_Tails", "N_Sun_Glint_Area", "N_Sky",
    "N_RFI_X", "N_RFI_Y", "N_RFI_Mitigations", "N_Strong_RFI", "N_Point_Source_RFI",
    "N_Tails_Point_Source_RFI", "N_Wild", "N_X_Band", "N_Calibration_Error", "N_ADF_Error",
    "N_Software_Error", "N_Instrument_Error", "S_Tree_1", "S_Tree_2", "GQX", "Chi_2_P",
    "Processing_Flags", "DGG_Current_Flags",
)  # fmt: skip

SMOS_L2_SM = ProductSpec(
    "ESA SMOS L2 SM UDP (NetCDF)",
    "ESA, SMOS L2 SM Product Specification, SO-TN-IDR-GS-0006 (Ref_Doc of the file)",
    (
        Var("Grid_Point_ID", _G, None, 0),
        _smos("Latitude", "deg", (-90.0, 90.0)),
        _smos("Longitude", "deg", (-180.0, 180.0)),
        Var("Days", _G, "days", 0),
        Var("Seconds", _G, "s", 0),
        Var("Microseconds", _G, "µs", 0),
        _smos("Soil_Moisture", "m3 m-3", (0.0, 1.0)),
        _smos("Soil_Moisture_DQX", "m3 m-3"),
        _smos("Optical_Thickness_Nad", "Np"),
        _smos("Surface_Temperature", "K"),
        _smos("TB_ASL_Theta_B_H", "K", (0.0, 350.0)),
        _smos("TB_ASL_Theta_B_V", "K", (0.0, 350.0)),
        _smos("TB_TOA_Theta_B_H", "K", (0.0, 350.0)),
        _smos("TB_TOA_Theta_B_V", "K", (0.0, 350.0)),
        Var("Chi_2", _G, None, 0),
        Var("RFI_Prob", _G, None, 0),
        Var("Science_Flags", _G, None, 0),
        Var("Confidence_Flags", _G, None, 0),
        *(_smos_opt(n, u) for n, u in _SMOS_FLOATS),
        Var("Altitude", _G, "m", -99999.0, required=False),
        Var("X_Swath", _G, "km", 0, required=False),
        *(Var(n, _G, None, 0, required=False) for n in _SMOS_INTEGERS),
    ),
)

# --- SMAP L4_SM analysis update (HDF5 with dimension scales y, x on the 9 km EASE-Grid 2.0)
_YX = ("y", "x")
SMAP_L4_SM = ProductSpec(
    "SMAP L4_SM analysis update (SPL4SMAU)",
    "Reichle et al., SMAP L4_SM Product Specification Document, GMAO (PSD edition 1.5, 2018)",
    (
        Var("x", ("x",), "m"),
        Var("y", ("y",), "m"),
        Var("time", ("time",), "seconds since 2000-01-01 11:58:55.816"),
        Var("Analysis_Data/sm_surface_analysis", _YX, "m3 m-3", -9999.0, (0.0, 0.9)),
        Var("Analysis_Data/sm_profile_analysis", _YX, "m3 m-3", -9999.0, (0.0, 0.9)),
        Var("Analysis_Data/surface_temp_analysis", _YX, "K", -9999.0, (180.0, 350.0)),
        Var("cell_column", _YX, "dimensionless", 4294967294, (0, 3855), False),
    ),
)


@dataclass(frozen=True)
class Limit:
    """A geophysical range a water-cycle product must respect (checked before writing).

    A variable is concerned when its ``standard_name`` is one of ``standard_names`` or its name
    starts with one of ``prefixes``, unless its name holds one of :data:`NOT_A_VALUE` (an error,
    a difference or a bias of the quantity is not the quantity).
    """

    what: str
    standard_names: tuple[str, ...]
    prefixes: tuple[str, ...]
    low: float
    high: float

    def concerns(self, name: str, standard_name: str | None) -> bool:
        """Whether the variable ``name`` (with its CF ``standard_name``) holds this quantity."""
        if standard_name in self.standard_names:
            return True
        low = name.lower()
        if any(word in low for word in NOT_A_VALUE):
            return False
        return low.startswith(tuple(p.lower() for p in self.prefixes))


#: Name parts that mark a variable as an uncertainty, difference or bias, not a value.
NOT_A_VALUE = ("err", "std", "sigma", "bias", "resid", "diff", "delta", "nedt", "dqx", "rmse")


#: Ranges checked by ``write_water_product`` (and on reading back). Sources: salinity is
#: non-negative by definition (practical salinity, UNESCO 1981; 50 is above any open-ocean value,
#: Antonov et al. World Ocean Atlas); volumetric soil moisture is a fraction (≤ 1, and ≤ the
#: porosity when the product carries one); L-to-Ka-band brightness temperatures of the Earth lie
#: in 0-350 K (the SMOS L1/L2 TB range check uses the same bounds, ESA SO-TN-IDR-GS-0006).
WATER_PRODUCT_LIMITS = (
    Limit(
        "salinity (psu)",
        ("sea_water_salinity", "sea_water_practical_salinity"),
        ("sss", "salinity", "smap_sss", "anc_sss"),
        0.0,
        50.0,
    ),
    Limit(
        "volumetric soil moisture (m3/m3)",
        ("volume_fraction_of_condensed_water_in_soil", "soil_moisture_content"),
        ("soil_moisture", "sm_", "Soil_Moisture"),
        0.0,
        1.0,
    ),
    Limit(
        "brightness temperature (K)",
        ("brightness_temperature", "toa_brightness_temperature"),
        ("tb_", "TB_", "brightness_temperature"),
        0.0,
        350.0,
    ),
)


def _check_range(
    name: str, values: np.ndarray, low: float, high: float, what: str, path: Any
) -> None:
    bad = np.isinf(values) | (values < low) | (values > high)
    if np.any(bad):
        worst = values[bad].flat[0]
        raise InputError(
            f"{int(bad.sum())} value(s) outside {what} range [{low}, {high}] (e.g. {worst})",
            path,
            name,
        )


def check_water_product(ds: xr.Dataset, path: str | PathLike[str] | None = None) -> None:
    """Refuse out-of-range geophysics in a water-cycle product (InputError naming the variable).

    Ranges: :data:`~fcspace.watercycle.product_specs.WATER_PRODUCT_LIMITS` (salinity ≥ 0,
    0 ≤ soil moisture ≤ 1, 0 ≤ TB ≤ 350 K); soil moisture also ≤ ``porosity`` where the product
    carries one. NaN (missing) is allowed; ±inf is not.
    """
    if not ds.data_vars:
        raise InputError("a water-cycle product needs at least one data variable", path)
    for name, da in ds.variables.items():
        if da.dtype.kind not in "fiu":
            continue
        values = np.asarray(da.values, dtype=np.float64)
        values = values[~np.isnan(values)]
        for limit in WATER_PRODUCT_LIMITS:
            if limit.concerns(str(name), da.attrs.get("standard_name")):
                _check_range(str(name), values, limit.low, limit.high, limit.what, path)
                if limit.low == 0.0 and limit.high == 1.0 and "porosity" in ds.variables:
                    excess = (da - ds["porosity"]).values
                    if np.any(excess > 0):
                        raise InputError(
                            f"soil moisture above the porosity at {int((excess > 0).sum())} "
                            f"point(s) (by up to {float(np.nanmax(excess)):.4g} m3/m3)",
                            path,
                            str(name),
                        )
