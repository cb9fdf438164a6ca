"""Nuclear data of the natural decay series (U-238, U-235, Th-232) and of the Po-209 source.

One table, one row per nuclide: half-life, decay branches (daughter, mode, branching fraction)
and the alpha lines (energy in keV, absolute intensity per decay of the nuclide). Values are
the adopted values of the Evaluated Nuclear Structure Data File as served by NuDat 3
([NuDat3], [ENSDF]); the evaluation each row comes from is named in its ``source``.

Scope and conventions
---------------------
- Branches below 1e-8 are omitted; every branch that ENSDF adopts above that is kept, so the
  chains include the minor ones the comparisons need (Po-218 beta to At-218, Bi-214 alpha to
  Tl-210, Pb-210 alpha to Hg-206, Bi-210 alpha to Tl-206, Pa-234m IT to Pa-234, ...).
  Spontaneous fission of U-238 (5.5e-7) and of Th-232 (< 1e-11) is not a chain branch here.
- Branching fractions of a nuclide sum to 1 (the adopted ones, renormalised where the
  evaluation's rounding leaves a residual of a few 1e-5).
- Alpha lines: every line with an absolute intensity >= 1 % per decay of the nuclide, plus
  the lines DORN resolves or that a fit must know about (e.g. the 4.986 MeV Rn-222 line is
  not listed: 0.078 %). Intensities are absolute (per decay of the nuclide, branching
  included), as NuDat lists them. Lines of one nuclide closer than the detector resolves
  (e.g. Po-209 4883/4885 keV) are kept separate; the spectrum code merges them.
- 1 year = 365.2422 d (the ENSDF/NuDat convention); Bi-209 (2.0e19 y) and the end lead
  isotopes are treated as stable (half-life ``inf``).

Caveat: the numbers were transcribed from NuDat 3 / ENSDF by hand (no network access while
writing); check against the live database when the table is revised.

Sources
-------
- [NuDat3] National Nuclear Data Center, NuDat 3, https://www.nndc.bnl.gov/nudat3/ (ENSDF
  adopted levels and decay radiations).
- [ENSDF] Evaluated Nuclear Structure Data File; mass-chain evaluations in Nuclear Data
  Sheets: A=206 Kondev (2008) NDS 109, 1527; A=207 Kondev (2011) NDS 112, 707 and (2019);
  A=208 Martin (2007) NDS 108, 1583; A=209 Kondev (2015) NDS 126, 211 (Po-209 T1/2 124 y);
  A=210 Basunia (2014) NDS 121, 561; A=211 Singh et al. (2013) NDS 114, 661; A=212 Auranen
  & McCutchan (2020) NDS 168, 117; A=214 Wu (2009) NDS 110, 681; A=215 Basunia (2013);
  A=216 Wu (2007) NDS 108, 1057; A=218 Jain et al. (2007) NDS 108, 883; A=219 Singh et al.
  (2013); A=220 Chen et al.; A=222 Singh et al. (2011) NDS 112, 2851; A=223 Singh et al.
  (2011) NDS 112, 1201; A=224 Browne (2015); A=226 Singh et al. (2014); A=227 Kondev
  et al. (2016) NDS 132, 257; A=228 Abusaleem (2014) NDS 116, 163; A=230 Browne (2012);
  A=231 Browne (2013); A=232 Browne (2006) NDS 107, 2579; A=234 Browne & Tuli (2007) NDS
  108, 681; A=235 Browne & Tuli (2014) NDS 122, 205; A=238 Browne & Tuli (2015) NDS 127, 191.
- [Bateman1910] Bateman, H. (1910). Proc. Cambridge Phil. Soc. 15, 423 (how these rows are
  used: fcspace.dorn.decay).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["NUCLIDES", "SECONDS", "AlphaLine", "Branch", "Nuclide", "alpha_lines"]

SECONDS = {  # unit -> seconds; year = 365.2422 d as in ENSDF/NuDat
    "ns": 1e-9,
    "us": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "min": 60.0,
    "h": 3600.0,
    "d": 86400.0,
    "y": 365.2422 * 86400.0,
}


@dataclass(frozen=True)
class Branch:
    """One decay branch: ``daughter`` reached by ``mode`` with probability ``fraction``."""

    daughter: str
    mode: str
    fraction: float


@dataclass(frozen=True)
class AlphaLine:
    """An alpha line: kinetic energy in keV and absolute intensity per decay of the nuclide."""

    energy_kev: float
    intensity: float


@dataclass(frozen=True)
class Nuclide:
    """A row of the table: half-life (s, ``inf`` for stable), branches, alpha lines, source."""

    name: str
    half_life_s: float
    branches: tuple[Branch, ...] = ()
    alpha: tuple[AlphaLine, ...] = ()
    source: str = ""

    @property
    def decay_constant(self) -> float:
        """Decay constant lambda = ln 2 / T1/2 in 1/s (0 for a stable nuclide)."""
        return 0.0 if math.isinf(self.half_life_s) else math.log(2.0) / self.half_life_s

    @property
    def stable(self) -> bool:
        """True when the nuclide does not decay (in this table)."""
        return math.isinf(self.half_life_s)


# (name, half-life value, unit, branches "daughter mode fraction", alpha lines (keV, % abs),
#  ENSDF mass-chain evaluation). Energies and intensities: [NuDat3] decay radiation tables.
# fmt: off
_ROWS: tuple[tuple, ...] = (
    # ---- U-238 series (4n+2) ----
    ("U-238", 4.468e9, "y", [("Th-234", "a", 1.0)],
     [(4198.0, 79.0), (4151.0, 20.9)], "A=238 Browne & Tuli 2015"),
    ("Th-234", 24.10, "d", [("Pa-234m", "b-", 1.0)], [], "A=234 Browne & Tuli 2007"),
    ("Pa-234m", 1.159, "min", [("U-234", "b-", 0.9984), ("Pa-234", "IT", 0.0016)], [],
     "A=234 Browne & Tuli 2007"),
    ("Pa-234", 6.70, "h", [("U-234", "b-", 1.0)], [], "A=234 Browne & Tuli 2007"),
    ("U-234", 2.455e5, "y", [("Th-230", "a", 1.0)],
     [(4774.6, 71.38), (4722.4, 28.42)], "A=234 Browne & Tuli 2007"),
    ("Th-230", 7.538e4, "y", [("Ra-226", "a", 1.0)],
     [(4687.0, 76.3), (4620.5, 23.4)], "A=230 Browne 2012"),
    ("Ra-226", 1600.0, "y", [("Rn-222", "a", 1.0)],
     [(4784.34, 93.84), (4601.0, 6.16)], "A=226 Singh et al. 2014"),
    ("Rn-222", 3.8235, "d", [("Po-218", "a", 1.0)],
     [(5489.48, 99.92)], "A=222 Singh et al. 2011"),
    ("Po-218", 3.098, "min", [("Pb-214", "a", 0.99978), ("At-218", "b-", 0.00022)],
     [(6002.35, 99.978)], "A=218 Jain et al. 2007"),
    ("At-218", 1.5, "s", [("Bi-214", "a", 0.999), ("Rn-218", "b-", 0.001)],
     [(6693.0, 89.9), (6653.0, 6.4)], "A=218 Jain et al. 2007"),
    ("Rn-218", 35.0, "ms", [("Po-214", "a", 1.0)],
     [(7129.2, 99.87)], "A=218 Jain et al. 2007"),
    ("Pb-214", 27.06, "min", [("Bi-214", "b-", 1.0)], [], "A=214 Wu 2009"),
    ("Bi-214", 19.9, "min", [("Po-214", "b-", 0.99979), ("Tl-210", "a", 0.00021)], [],
     "A=214 Wu 2009"),
    ("Po-214", 164.3, "us", [("Pb-210", "a", 1.0)],
     [(7686.82, 99.9895)], "A=214 Wu 2009"),
    ("Tl-210", 1.30, "min", [("Pb-210", "b-", 1.0)], [], "A=210 Basunia 2014"),
    ("Pb-210", 22.20, "y", [("Bi-210", "b-", 1.0 - 1.9e-8), ("Hg-206", "a", 1.9e-8)], [],
     "A=210 Basunia 2014"),
    ("Bi-210", 5.012, "d", [("Po-210", "b-", 1.0 - 1.32e-6), ("Tl-206", "a", 1.32e-6)], [],
     "A=210 Basunia 2014"),
    ("Hg-206", 8.32, "min", [("Tl-206", "b-", 1.0)], [], "A=206 Kondev 2008"),
    ("Tl-206", 4.202, "min", [("Pb-206", "b-", 1.0)], [], "A=206 Kondev 2008"),
    ("Po-210", 138.376, "d", [("Pb-206", "a", 1.0)],
     [(5304.33, 100.0)], "A=210 Basunia 2014"),
    ("Pb-206", math.inf, "s", [], [], "stable"),
    # ---- U-235 series (4n+3) ----
    ("U-235", 7.04e8, "y", [("Th-231", "a", 1.0)],
     [(4397.8, 57.73), (4366.1, 18.8), (4214.7, 5.7), (4596.4, 4.6), (4556.0, 3.8),
      (4323.4, 3.3), (4502.4, 1.28)], "A=235 Browne & Tuli 2014"),
    ("Th-231", 25.52, "h", [("Pa-231", "b-", 1.0)], [], "A=231 Browne 2013"),
    ("Pa-231", 3.276e4, "y", [("Ac-227", "a", 1.0)],
     [(5013.8, 25.4), (4950.9, 22.8), (5028.4, 20.0), (5059.0, 11.0), (4736.0, 8.4),
      (4851.0, 1.4)], "A=231 Browne 2013"),
    ("Ac-227", 21.772, "y", [("Th-227", "b-", 0.9862), ("Fr-223", "a", 0.0138)],
     [(4953.0, 0.66), (4941.0, 0.55)], "A=227 Kondev et al. 2016"),
    ("Th-227", 18.68, "d", [("Ra-223", "a", 1.0)],
     [(6038.0, 24.2), (5977.7, 23.5), (5756.9, 20.4), (5708.8, 8.3), (5713.2, 4.89),
      (5866.0, 2.42), (6008.8, 2.9), (5960.0, 3.0)], "A=227 Kondev et al. 2016"),
    ("Fr-223", 22.00, "min", [("Ra-223", "b-", 0.99994), ("At-219", "a", 0.00006)], [],
     "A=223 Singh et al. 2011"),
    ("At-219", 56.0, "s", [("Bi-215", "a", 0.97), ("Rn-219", "b-", 0.03)],
     [(6275.0, 97.0)], "A=219 Singh et al. 2013"),
    ("Bi-215", 7.6, "min", [("Po-215", "b-", 1.0)], [], "A=215 Basunia 2013"),
    ("Ra-223", 11.43, "d", [("Rn-219", "a", 1.0)],
     [(5716.23, 52.6), (5607.43, 25.2), (5747.0, 9.0), (5540.0, 9.0), (5433.6, 2.2)],
     "A=223 Singh et al. 2011"),
    ("Rn-219", 3.96, "s", [("Po-215", "a", 1.0)],
     [(6819.1, 79.4), (6552.6, 12.9), (6425.0, 7.5)], "A=219 Singh et al. 2013"),
    ("Po-215", 1.781, "ms", [("Pb-211", "a", 1.0 - 2.3e-6), ("At-215", "b-", 2.3e-6)],
     [(7386.1, 99.9977)], "A=215 Basunia 2013"),
    ("At-215", 0.10, "ms", [("Bi-211", "a", 1.0)], [(8026.0, 99.95)], "A=215 Basunia 2013"),
    ("Pb-211", 36.1, "min", [("Bi-211", "b-", 1.0)], [], "A=211 Singh et al. 2013"),
    ("Bi-211", 2.14, "min", [("Tl-207", "a", 0.99724), ("Po-211", "b-", 0.00276)],
     [(6622.9, 83.54), (6278.2, 16.19)], "A=211 Singh et al. 2013"),
    ("Po-211", 0.516, "s", [("Pb-207", "a", 1.0)], [(7450.3, 98.89)],
     "A=211 Singh et al. 2013"),
    ("Tl-207", 4.77, "min", [("Pb-207", "b-", 1.0)], [], "A=207 Kondev 2011"),
    ("Pb-207", math.inf, "s", [], [], "stable"),
    # ---- Th-232 series (4n) ----
    ("Th-232", 1.40e10, "y", [("Ra-228", "a", 1.0)],
     [(4012.3, 78.2), (3947.2, 21.7)], "A=232 Browne 2006"),
    ("Ra-228", 5.75, "y", [("Ac-228", "b-", 1.0)], [], "A=228 Abusaleem 2014"),
    ("Ac-228", 6.15, "h", [("Th-228", "b-", 1.0)], [], "A=228 Abusaleem 2014"),
    ("Th-228", 1.9116, "y", [("Ra-224", "a", 1.0)],
     [(5423.15, 73.4), (5340.36, 26.0)], "A=228 Abusaleem 2014"),
    ("Ra-224", 3.6319, "d", [("Rn-220", "a", 1.0)],
     [(5685.37, 94.92), (5448.6, 5.06)], "A=224 Browne 2015"),
    ("Rn-220", 55.6, "s", [("Po-216", "a", 1.0)],
     [(6288.08, 99.886)], "A=220 Chen et al."),
    ("Po-216", 0.145, "s", [("Pb-212", "a", 1.0)],
     [(6778.3, 99.998)], "A=216 Wu 2007"),
    ("Pb-212", 10.64, "h", [("Bi-212", "b-", 1.0)], [], "A=212 Auranen & McCutchan 2020"),
    ("Bi-212", 60.55, "min", [("Po-212", "b-", 0.6406), ("Tl-208", "a", 0.3594)],
     [(6050.78, 25.13), (6089.88, 9.75)], "A=212 Auranen & McCutchan 2020"),
    ("Po-212", 0.2943, "us", [("Pb-208", "a", 1.0)],
     [(8784.86, 100.0)], "A=212 Auranen & McCutchan 2020"),
    ("Tl-208", 3.053, "min", [("Pb-208", "b-", 1.0)], [], "A=208 Martin 2007"),
    ("Pb-208", math.inf, "s", [], [], "stable"),
    # ---- Po-209 calibration source ----
    ("Po-209", 124.0, "y", [("Pb-205", "a", 0.99546), ("Bi-209", "EC", 0.00454)],
     [(4883.0, 79.2), (4885.0, 19.8)], "A=209 Kondev 2015"),
    ("Pb-205", 1.73e7, "y", [("Tl-205", "EC", 1.0)], [], "A=205 Kondev 2020"),
    ("Bi-209", math.inf, "s", [], [], "treated as stable (T1/2 2.01e19 y)"),
    ("Tl-205", math.inf, "s", [], [], "stable"),
)
# fmt: on


def _build(rows: tuple[tuple, ...]) -> Mapping[str, Nuclide]:
    table: dict[str, Nuclide] = {}
    for name, value, unit, branches, lines, source in rows:
        total = sum(f for _, _, f in branches) or 1.0
        table[name] = Nuclide(
            name=name,
            half_life_s=value * SECONDS[unit],
            branches=tuple(Branch(d, m, f / total) for d, m, f in branches),
            alpha=tuple(AlphaLine(e, i / 100.0) for e, i in lines),
            source=source,
        )
    return MappingProxyType(table)


NUCLIDES: Mapping[str, Nuclide] = _build(_ROWS)


def alpha_lines(name: str, table: Mapping[str, Nuclide] = NUCLIDES) -> tuple[AlphaLine, ...]:
    """The alpha lines of ``name`` (energy keV, absolute intensity), from [NuDat3].

    Raises
    ------
    fcspace.core.errors.InputError
        If ``name`` is not in the table.
    """
    from fcspace.core.errors import InputError

    if name not in table:
        raise InputError(f"unknown nuclide {name!r}; known: {', '.join(sorted(table))}")
    return table[name].alpha
