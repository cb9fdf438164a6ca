"""Scatterometer L2 product variants, described as data (one table per product).

The readers in :mod:`fcspace.cfosat.scat.io` hold no product-specific branch: each product is a
:class:`ProductSpec` that says which file variable becomes which in-memory variable
(``docs/scat_layout.md``), how it is decoded, its CF attributes and which direction convention
the file uses. The idea of describing product variants as data comes from satpy's reader
configuration files (e.g. ``satpy/etc/readers/hy2_scat_l2b_h5.yaml``).

Sources
-------
- NSOAS CFOSat SCAT L2B: variable names, packing and the ``wvc_quality`` bit meanings are those
  of the real product (orbit 15259, product version 3.3, ``../shared/data/cfosat/ORIGIN.md``).
- KNMI / OSI SAF ASCAT L2 25 km: names and flag meanings of the real product (Metop-C orbit
  13795, software 3203); KNMI, *ASCAT Wind Product User Manual* (OSI SAF).
- CF conventions 1.8, standard name table (``wind_to_direction``, ``status_flag``, ...).
- Validation rules (:data:`NSOAS_L2B_RULES`, :data:`KNMI_L2_RULES`): ranges declared by the
  products' own ``valid_min``/``valid_max`` (CF 2.5.1), launch dates of CFOSat (2018-10-29) and
  of Metop-A (2006-10-19, first ASCAT), 10 m wind speeds below 100 m/s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fcspace.core.validation import NOW_PLUS_ONE_YEAR, ProductRules, VariableRule

#: Value that stands for "missing" in the in-memory integer ``wvc_quality`` (all flags False).
QUALITY_MISSING = -(2**31)

#: Direction conventions a file may use, and what to add (degrees) to reach the "to" convention.
DIRECTION_OFFSET = {"to": 0.0, "from": 180.0}

#: Global attribute written by :func:`fcspace.cfosat.scat.io.write_l2b`; files that carry it are
#: trusted and never flipped.
CONVENTION_ATTR = "fcspace_wind_direction_convention"

ROW, CELL, AMBIG = "numrows", "numcells", "numambigs"
CELL_DIMS = (ROW, CELL)
AMBIG_DIMS = (ROW, CELL, AMBIG)

#: Canonical short name of each wvc_quality bit (KNMI PenWP / OSI SAF layout, shared by NSOAS
#: and KNMI products) with a keyword that the file's own meaning must contain for the short name
#: to apply; otherwise the name is made from the file's text. Source: the ``comment`` of the NSOAS
#: ``wvc_quality`` and the ``flag_meanings`` of the KNMI ``wvc_quality_flag``.
QUALITY_BITS: dict[int, tuple[str, str]] = {
    16: ("more_than_two_beams", "two beams"),
    32: ("one_beam_missing", "beam"),
    64: ("distance_too_large", "distance"),
    128: ("redundant", "redundant"),
    256: ("no_background", "background"),
    512: ("rain_detected", "rain detected"),
    1024: ("rain_flag_not_usable", "rain flag"),
    2048: ("small_wind", "small wind"),
    4096: ("large_wind", "large wind"),
    8192: ("inversion_failed", "inversion"),
    16384: ("ice", "ice"),
    32768: ("land", "land"),
    65536: ("varqc_rejected", "variational"),
    131072: ("knmi_qc_rejected", "knmi"),
    262144: ("monitoring_event", "monitoring event"),
    524288: ("monitoring_not_used", "monitoring not used"),
    1048576: ("noise_above_threshold", "threshold"),
    2097152: ("poor_azimuth_diversity", "azimuth"),
    4194304: ("poor_sigma0", "sigma0"),
}


@dataclass(frozen=True)
class VarSpec:
    """How one file variable becomes one in-memory variable.

    Attributes
    ----------
    source
        Variable name in the file.
    dims
        Dimensions expected in the file (after the product's dimension renames).
    kind
        ``"float"`` (unpacked to float64, fill to NaN), ``"int"`` (int8, fill to ``missing``),
        ``"flags"`` (int32 bit field, fill to :data:`QUALITY_MISSING`) or ``"time"``
        (datetime64[ns] per row, from a char array or a CF numeric time).
    attrs
        CF attributes of the output variable.
    required
        Whether a file without it is refused.
    direction
        For directions: the file's convention, ``"to"``, ``"from"`` or ``"detect"`` (compare the
        selected ambiguity with ``wind_dir_selection``); None for anything else.
    missing
        Integer kinds: the in-memory value of a fill.
    dtype
        Integer kinds: the in-memory dtype.
    """

    source: str
    dims: tuple[str, ...]
    kind: str = "float"
    attrs: dict[str, Any] = field(default_factory=dict)
    required: bool = False
    direction: str | None = None
    missing: int = 0
    dtype: str = "int8"


@dataclass(frozen=True)
class ProductSpec:
    """One product: its name, dimension renames and variable table (output name -> VarSpec).

    ``extras`` are the other variables the reader returns (unpacked generically, under their
    own names) when the file holds them; any other variable of the file is not read.
    """

    name: str
    dim_renames: dict[str, str]
    variables: dict[str, VarSpec]
    extras: tuple[str, ...] = ()


def _a(standard_name: str | None, units: str, long_name: str) -> dict[str, Any]:
    attrs = {"units": units, "long_name": long_name}
    if standard_name:
        attrs["standard_name"] = standard_name
    return attrs


LAT = _a("latitude", "degrees_north", "latitude of the wind vector cell centre")
LON = _a("longitude", "degrees_east", "longitude of the wind vector cell centre (-180..180)")
QUALITY = {"standard_name": "status_flag", "long_name": "wind vector cell quality"}
TIME = {"standard_name": "time", "long_name": "observation time of the row"}
SPEED = "wind_speed"
TO_DIR = "wind_to_direction"

_NSOAS_VARS: dict[str, VarSpec] = {
    "wvc_lat": VarSpec("wvc_lat", CELL_DIMS, attrs=LAT, required=True),
    "wvc_lon": VarSpec("wvc_lon", CELL_DIMS, attrs=LON, required=True),
    "row_time": VarSpec("row_time", (ROW,), "time", TIME, required=True),
    "wvc_quality": VarSpec("wvc_quality", CELL_DIMS, "flags", QUALITY),
    "model_speed": VarSpec("model_speed", CELL_DIMS, attrs=_a(SPEED, "m s-1", "NWP wind speed")),
    "model_dir": VarSpec(
        "model_dir", CELL_DIMS, attrs=_a(TO_DIR, "degree", "NWP wind direction"), direction="to"
    ),
    "wind_speed_selection": VarSpec(
        "wind_speed_selection",
        CELL_DIMS,
        attrs=_a(SPEED, "m s-1", "selected wind speed"),
        required=True,
    ),
    "wind_dir_selection": VarSpec(
        "wind_dir_selection",
        CELL_DIMS,
        attrs=_a(TO_DIR, "degree", "selected wind direction"),
        required=True,
        direction="to",
    ),
    "wvc_selection": VarSpec(
        "wvc_selection",
        CELL_DIMS,
        "int",
        _a(None, "1", "1-based index of the selected ambiguity, 0 where none"),
        required=True,
    ),
    "num_ambigs": VarSpec(
        "num_ambigs", CELL_DIMS, "int", _a(None, "1", "number of ambiguities"), required=True
    ),
    "wind_u_err": VarSpec("wind_u_err", CELL_DIMS, attrs=_a(None, "m s-1", "error of wind u")),
    "wind_v_err": VarSpec("wind_v_err", CELL_DIMS, attrs=_a(None, "m s-1", "error of wind v")),
    "rain_prob": VarSpec("rain_prob", CELL_DIMS, attrs=_a(None, "percent", "rain probability")),
    "wvc_se": VarSpec("wvc_se", CELL_DIMS, attrs=_a(None, "1", "singularity exponent")),
    "max_likelihood_est": VarSpec(
        "max_likelihood_est", AMBIG_DIMS, attrs=_a(None, "1", "MLE of the ambiguities")
    ),
    "wind_speed": VarSpec(
        "wind_speed",
        AMBIG_DIMS,
        attrs=_a(SPEED, "m s-1", "wind speed of the ambiguities"),
        required=True,
    ),
    "wind_dir": VarSpec(
        "wind_dir",
        AMBIG_DIMS,
        attrs=_a(TO_DIR, "degree", "wind direction of the ambiguities"),
        required=True,
        direction="detect",
    ),
}

#: Variables that fcspace's own L2B adds to the NSOAS ones (written by the inversion,
#: :func:`fcspace.cfosat.scat.inversion.invert`, and passed through from the L1B).
FCSPACE_L2B_EXTRAS = (
    "ambiguity_prob",
    "normalised_mle",
    "num_views",
    "land_fraction",
    "truth_speed",
    "truth_dir",
)

#: NSOAS CFOSat SCAT L2B (and fcspace's own L2B, which uses the same names).
NSOAS_L2B = ProductSpec("NSOAS CFOSat SCAT L2B", {}, _NSOAS_VARS, FCSPACE_L2B_EXTRAS)

#: KNMI / OSI SAF ASCAT L2 (one selected wind per cell, no ambiguities). The global comment of the
#: real file says "All wind directions in oceanographic convention (0 deg. flowing North)" and
#: both directions carry standard_name wind_to_direction: no flip.
KNMI_L2 = ProductSpec(
    "KNMI/OSI SAF ASCAT L2",
    {"NUMROWS": ROW, "NUMCELLS": CELL},
    {
        "wvc_lat": VarSpec("lat", CELL_DIMS, attrs=LAT, required=True),
        "wvc_lon": VarSpec("lon", CELL_DIMS, attrs=LON, required=True),
        "row_time": VarSpec("time", CELL_DIMS, "time", TIME, required=True),
        "wvc_quality": VarSpec(
            "wvc_quality_flag",
            CELL_DIMS,
            "flags",
            QUALITY,
            required=True,
        ),
        "wind_speed_selection": VarSpec(
            "wind_speed",
            CELL_DIMS,
            attrs=_a(SPEED, "m s-1", "retrieved wind speed at 10 m"),
            required=True,
        ),
        "wind_dir_selection": VarSpec(
            "wind_dir",
            CELL_DIMS,
            attrs=_a(TO_DIR, "degree", "retrieved wind direction at 10 m"),
            required=True,
            direction="to",
        ),
        "model_speed": VarSpec("model_speed", CELL_DIMS, attrs=_a(SPEED, "m s-1", "NWP speed")),
        "model_dir": VarSpec(
            "model_dir", CELL_DIMS, attrs=_a(TO_DIR, "degree", "NWP direction"), direction="to"
        ),
        "bs_distance": VarSpec(
            "bs_distance",
            CELL_DIMS,
            attrs=_a("backscatter_distance_to_modelfunction", "1", "backscatter distance"),
        ),
        "ice_prob": VarSpec("ice_prob", CELL_DIMS, attrs=_a(None, "1", "ice probability")),
        "ice_age": VarSpec("ice_age", CELL_DIMS, attrs=_a(None, "dB", "ice age (a-parameter)")),
        "wvc_index": VarSpec(
            "wvc_index",
            CELL_DIMS,
            "int",
            _a(None, "1", "cross-track cell number (1-based)"),
            missing=-1,
            dtype="int16",
        ),
    },
)

#: Packing of fcspace's own L2B (NSOAS packing; extra fcspace variables): name -> (dtype,
#: scale_factor, _FillValue). Variables not listed are written as float32 (floats) or as they are.
PACKING: dict[str, tuple[str, float, int]] = {
    "wvc_lat": ("int16", 0.01, -32768),
    "wvc_lon": ("int16", 0.01, -32768),
    "model_speed": ("int16", 0.01, -32768),
    "model_dir": ("int16", 0.1, -32768),
    "wind_speed_selection": ("int16", 0.01, -32768),
    "wind_dir_selection": ("int16", 0.1, -32768),
    "wind_u_err": ("int16", 0.01, -32768),
    "wind_v_err": ("int16", 0.01, -32768),
    "rain_prob": ("int16", 0.01, -32768),
    "wvc_se": ("int16", 0.001, -32768),
    "max_likelihood_est": ("int16", 0.01, -32768),
    "wind_speed": ("int16", 0.01, -32768),
    "wind_dir": ("int16", 0.1, -32768),
    "ambiguity_prob": ("int16", 0.0001, -32768),
    "wvc_selection": ("int8", 1.0, -128),
    "num_ambigs": ("int8", 1.0, -128),
    "wvc_quality": ("int32", 1.0, QUALITY_MISSING),
}


# --------------------------------------------------------------------------------------------
# Validation rules (fcspace.core.validation), on the in-memory names, before directions are
# turned and longitudes wrapped. Ranges declared by the file (valid_min / valid_max) replace the
# physical ones below; times use the mission's dates, not the file's loose 2000-2099.
# --------------------------------------------------------------------------------------------

#: CFOSat launch (2018-10-29, CNES/CNSA) and Metop-A launch (2006-10-19, the first ASCAT).
CFOSAT_LAUNCH = "2018-10-29"
METOP_A_LAUNCH = "2006-10-19"
#: Variable that marks the cells where a value was outside its valid range (see apply_rules).
OUT_OF_RANGE_FLAG = "flag_out_of_range"
#: ``wvc_quality`` bit "land" (:data:`QUALITY_BITS`), set where a cell holds land
QUALITY_LAND = 32768
#: a cell with more land than this has no ocean retrieval: any land in the 25 km cell, as the
#: products flag land contamination (the exact limit of NSOAS/KNMI is an assumption)
LAND_FRACTION_LIMIT = 0.0


def _position_rules() -> tuple[VariableRule, ...]:
    return (
        VariableRule(
            "wvc_lat",
            -90.0,
            90.0,
            dims=CELL_DIMS,
            required=True,
            refuse_all_fill=True,
            also_mask=("wvc_lon",),
        ),
        VariableRule(
            "wvc_lon",
            -180.0,
            360.0,
            dims=CELL_DIMS,
            required=True,
            refuse_all_fill=True,
            also_mask=("wvc_lat",),
        ),
    )


def _wind_rules(
    *names: str, dims: tuple[str, ...] | None = CELL_DIMS
) -> tuple[VariableRule, ...]:
    """Speeds 0-100 m/s, directions 0-360 deg (a file's declared range, NSOAS 0-50, first).

    100 m/s bounds any 10 m sustained wind observed (Hurricane Patricia 2015: 96 m/s, 1-min,
    NHC tropical cyclone report); fcspace's own L2B (no declared range) may hold speeds just
    over the GMF table's 50 m/s from simulated retrieval errors, and reads them as before.
    """
    return tuple(VariableRule(n, 0.0, 100.0 if "speed" in n else 360.0, dims=dims) for n in names)


def _time_rule(start: str) -> VariableRule:
    return VariableRule(
        "row_time",
        start,
        NOW_PLUS_ONE_YEAR,
        dims=(ROW,),
        action="refuse",
        required=True,
        monotonic=True,
        use_file_range=False,
    )


#: NSOAS CFOSat SCAT L2B (and fcspace's L2B): physical ranges, fills, dims, what is refused.
NSOAS_L2B_RULES = ProductRules(
    NSOAS_L2B.name,
    (
        *_position_rules(),
        _time_rule(CFOSAT_LAUNCH),
        *_wind_rules("wind_speed_selection", "wind_dir_selection", "model_speed", "model_dir"),
        *_wind_rules("wind_speed", "wind_dir", dims=AMBIG_DIMS),
        VariableRule("wvc_selection", 1, 4, fill=0, dims=CELL_DIMS),
        VariableRule("num_ambigs", 0, 4, fill=0, dims=CELL_DIMS),
        VariableRule("wvc_quality", 0, 2**31 - 2, fill=QUALITY_MISSING, dims=CELL_DIMS),
        VariableRule("wind_u_err", 0.0, 10.0, dims=CELL_DIMS),
        VariableRule("wind_v_err", 0.0, 10.0, dims=CELL_DIMS),
        VariableRule("rain_prob", 0.0, 100.0, dims=CELL_DIMS),
        VariableRule("wvc_se", -1.0, 1.0, dims=CELL_DIMS),
        VariableRule("max_likelihood_est", dims=AMBIG_DIMS),  # no physical bound but the file's
        # fcspace's extras (any dims, read generically): probabilities, the MLE over its
        # expectation (finite; Portabella & Stoffelen 2001), counts of views, land fractions,
        # simulated truth winds
        VariableRule("ambiguity_prob", 0.0, 1.0),
        VariableRule("normalised_mle"),
        VariableRule("num_views", 0, 10_000, action="refuse"),
        VariableRule("land_fraction", 0.0, 1.0),
        *_wind_rules("truth_speed", "truth_dir", dims=None),
    ),
    flag_variable=OUT_OF_RANGE_FLAG,
    flag_dims=CELL_DIMS,
)

#: KNMI / OSI SAF ASCAT L2 (Metop-A, B, C): the same physics, ASCAT's dates.
KNMI_L2_RULES = ProductRules(
    KNMI_L2.name,
    (
        *_position_rules(),
        _time_rule(METOP_A_LAUNCH),
        *_wind_rules("wind_speed_selection", "wind_dir_selection", "model_speed", "model_dir"),
        VariableRule("wvc_quality", 0, 2**31 - 2, fill=QUALITY_MISSING, dims=CELL_DIMS),
        # no physical bound: the real file (orbit 13795) holds 34 values outside its declared
        # +-50 (up to 122.3, bad fits), read as before
        VariableRule("bs_distance", dims=CELL_DIMS, use_file_range=False),
        VariableRule("ice_prob", 0.0, 1.0, dims=CELL_DIMS),
        VariableRule("ice_age", -50.0, 50.0, dims=CELL_DIMS),
        VariableRule("wvc_index", 0, 999, fill=-1, dims=CELL_DIMS, refuse_all_fill=True),
    ),
    flag_variable=OUT_OF_RANGE_FLAG,
    flag_dims=CELL_DIMS,
)

#: Rules of each product table.
RULES = {NSOAS_L2B.name: NSOAS_L2B_RULES, KNMI_L2.name: KNMI_L2_RULES}


@dataclass(frozen=True)
class SwathRules:
    """How a swath product's values must agree with their neighbours in the swath grid.

    Applied by :mod:`fcspace.cfosat.scat.swath_checks` after the range rules.

    Attributes
    ----------
    position_tolerance_km
        Largest distance between a cell and the position its neighbours predict.
    position
        Names of the latitude and longitude variables (rows x cells).
    time
        Name of the row time variable.
    cadence_tolerance_rows
        Largest distance of a row time from the cadence of its neighbours, in row periods.
    cadence_window
        Neighbours on each side used to predict a row time.
    cell_index
        (name, in-memory fill) of a cross-track cell number that must be ``column + offset``.
    ambiguity_count
        (count, ambiguity variable, lo, hi): the count must equal the number of ambiguities
        stored (checked where it is within ``[lo, hi]``; out-of-range counts are masked by the
        range rules).
    """

    position_tolerance_km: float
    position: tuple[str, str] = ("wvc_lat", "wvc_lon")
    time: str = "row_time"
    cadence_tolerance_rows: float = 0.75
    cadence_window: int = 3
    cell_index: tuple[str, int] | None = None
    ambiguity_count: tuple[str, str, int, int] | None = None


#: NSOAS and fcspace L2B (25 km cells, positions stored to 0.01 deg): the largest deviation of a
#: cell from its neighbours' prediction in the real orbit 15259 is 4.6 km (geolocation noise
#: near 83 S); 10 km is 0.4 of a cell. Row times (1 s strings) deviate by at most 1.5 s from the
#: 3.55 s cadence there; the tolerance is 0.75 rows (2.7 s).
NSOAS_L2B_SWATH = SwathRules(10.0, ambiguity_count=("num_ambigs", "wind_speed", 0, 4))

#: KNMI ASCAT L2 (positions stored to 1e-5 deg): the largest deviation in the real orbit 13795
#: is 0.1 km; 1 km is ten times that. ``wvc_index`` is the 1-based cell column there.
KNMI_L2_SWATH = SwathRules(1.0, cell_index=("wvc_index", -1))

#: fcspace SCAT L1B (the simulator's 25 km grid, positions stored as float32).
L1B_SWATH = SwathRules(10.0)

#: Swath rules of each product table.
SWATH = {NSOAS_L2B.name: NSOAS_L2B_SWATH, KNMI_L2.name: KNMI_L2_SWATH}
