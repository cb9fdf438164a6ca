"""The case table of the fuzz suite: every reader and file-taking command, with its sources.

A case is (target, source, mutation). Readers take every mutation of their source's format;
wrong-product cases give a reader another product's file; commands take a representative set of
mutations by default and all of them with ``long``, plus the bad output paths (``out_*``: the
output is the input, in a missing folder, under a regular file, in an unwritable place, an
existing folder, an existing FIFO). Both runners (``tests/fuzz/test_fuzz.py`` and
``tools/fuzz_table.py``) build the same list from :func:`cases`.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

from fuzz_mutations import MUTATIONS


@dataclass(frozen=True)
class ReaderSpec:
    """A reader: table name, ``module:function``, the sources it reads, mutations it skips.

    The default run reads the first two sources; the long run all of them.
    """

    name: str
    target: str
    sources: tuple[str, ...]
    skip: tuple[str, ...] = ()


@dataclass(frozen=True)
class CommandSpec:
    """A command: ``argv`` with ``{in}`` / ``{out}``, its sources, the reader of its input.

    ``out`` is the suffix of the output (``.png``, ``.nc``...; None: the command writes no
    file), ``product`` the reader that compares output products, ``also`` the suffixes of other
    files written beside the output, ``long`` whether it runs only in the long run.
    """

    name: str
    argv: tuple[str, ...]
    sources: tuple[str, ...]
    reader: str | None
    out: str | None = None
    product: str | None = None
    also: tuple[str, ...] = ()
    long: bool = False


R = ReaderSpec
READERS = {r.name: r for r in (
    R("scat.open_l2b", "fcspace.cfosat.scat.io:open_l2b", ("scat_l2b_real", "scat_l2b_fake")),
    R("scat.open_knmi_l2", "fcspace.cfosat.scat.io:open_knmi_l2", ("ascat_l2_real",)),
    R("scat.open_l1b", "fcspace.cfosat.scat.io:open_l1b", ("scat_l1b_sim",)),
    R("scat.read_l2b_background", "fcspace.cfosat.scat.io:read_l2b_background",
      ("scat_l2b_real",)),
    R("swim.open_l2p", "fcspace.cfosat.swim.io:open_l2p", ("swim_l2p_real",)),
    R("swim.open_l2", "fcspace.cfosat.swim.io:open_l2", ("swim_l2_fake",)),
    R("swim.open_l1", "fcspace.cfosat.swim.io:open_l1", ("swim_l1_sim",)),
    R("grid.open_l3", "fcspace.cfosat.grid.io:open_l3", ("l3_grid_fake",)),
    R("water.open_smos_l2_sm", "fcspace.watercycle.io:open_smos_l2_sm", ("smos_l2_real",)),
    R("water.open_smap_l2b_sss", "fcspace.watercycle.io:open_smap_l2b_sss", ("smap_l2b_real",)),
    R("water.open_smap_l4_sm", "fcspace.watercycle.io:open_smap_l4_sm", ("smap_l4_real",)),
    R("water.open_water_product", "fcspace.watercycle.io:open_water_product",
      ("water_vis_sim", "water_l2_sim")),
    R("dorn.open_spectra", "fcspace.dorn.io:open_spectra", ("dorn_spectra_fake",)),
    R("dorn.open_fits", "fcspace.dorn.io:open_fits", ("dorn_fits_fake",)),
    R("eclairs.read_events", "fcspace.svom.eclairs.io:read_events",
      ("eclairs_cal_sim", "eclairs_fcspace_sim")),
    R("grm.read_events", "fcspace.svom.grm.io:read_events", ("grm_nc_fake", "grm_fits_sim")),
    R("grm.read_gbm_tte", "fcspace.svom.grm.io:read_gbm_tte", ("gbm_tte_real",)),
    R("svom.read_gti_file", "fcspace.svom.l1_fits:read_gti_file", ("gti_sim",)),
    R("svom.read_attitude", "fcspace.svom.attitude_io:read_attitude", ("attitude_sim",)),
    R("alerts.read_voevent", "fcspace.svom.alerts.voevent:read_voevent",
      ("voevent_eclairs_real", "voevent_grm_real", "voevent_mxt_real", "voevent_made")),
    # report.json holds free-form figures (no schema): its reader's contract is the bytes
    R("report.load_report_json", "fuzz_cases:report_json_reader", ("report_json",),
      skip=("json_nan", "json_strings")),
    R("report.read_manifest", "fuzz_cases:manifest_reader", ("manifest",)),
)}  # fmt: skip

#: (reader, another product's source): the reader must refuse the file.
WRONG_PRODUCT = (
    ("scat.open_l2b", "ascat_l2_real"), ("scat.open_l2b", "swim_l2p_real"),
    ("scat.open_knmi_l2", "scat_l2b_real"), ("swim.open_l2p", "scat_l2b_real"),
    ("scat.open_l1b", "scat_l2b_fake"), ("swim.open_l1", "swim_l2_fake"),
    ("swim.open_l2", "scat_l2b_fake"), ("grid.open_l3", "scat_l2b_fake"),
    ("dorn.open_spectra", "dorn_fits_fake"), ("dorn.open_fits", "dorn_spectra_fake"),
    ("water.open_smos_l2_sm", "swim_l2p_real"), ("water.open_smap_l2b_sss", "smap_l4_real"),
    ("water.open_smap_l4_sm", "smap_l2b_real"), ("grm.read_gbm_tte", "gbm_cspec_real"),
    ("grm.read_events", "gbm_cspec_real"), ("eclairs.read_events", "grm_fits_sim"),
    ("eclairs.read_events", "gbm_tte_real"), ("alerts.read_voevent", "gcn_json_real"),
    ("svom.read_attitude", "gti_sim"), ("svom.read_gti_file", "attitude_sim"),
)  # fmt: skip

C = CommandSpec
COMMANDS = {c.name: c for c in (
    C("scat info", ("scat", "info", "{in}", "--json"), ("scat_l2b_real", "scat_l2b_fake"),
      "scat.open_l2b"),
    C("scat quicklook", ("scat", "quicklook", "{in}", "--out", "{out}"),
      ("scat_l2b_real", "scat_l2b_fake"), "scat.open_l2b", out=".png"),
    C("scat process", ("scat", "process", "{in}", "--out", "{out}", "--json"), ("scat_l1b_sim",),
      "scat.open_l1b", out=".nc", product="scat.open_l2b"),
    C("scat validate", ("scat", "validate", "{in}", "--json"), ("scat_l2b_fake",),
      "scat.open_l2b"),
    C("scat reselect", ("scat", "reselect", "{in}", "--json"), ("scat_l2b_fake",),
      "scat.open_l2b"),
    C("swim info", ("swim", "info", "{in}", "--json"), ("swim_l2p_real", "swim_l2_fake"),
      "swim.open_l2p"),
    C("swim quicklook", ("swim", "quicklook", "{in}", "--out", "{out}"),
      ("swim_l2p_real", "swim_l2_fake"), "swim.open_l2p", out=".png"),
    C("swim process", ("swim", "process", "{in}", "--out", "{out}", "--json"), ("swim_l1_sim",),
      "swim.open_l1", out=".nc", product="swim.open_l2"),
    C("swim validate", ("swim", "validate", "{in}", "--json"), ("swim_l2_fake",), "swim.open_l2"),
    C("grm trigger", ("grm", "trigger", "{in}", "--json"),
      ("gbm_tte_real", "grm_nc_fake", "grm_fits_sim"), "grm.read_events"),
    C("grm lightcurve", ("grm", "lightcurve", "{in}", "--out", "{out}"),
      ("gbm_tte_real", "grm_nc_fake"), "grm.read_events", out=".png"),
    C("grm localize", ("grm", "localize", "{in}", "--json"), ("grm_nc_fake",), "grm.read_events"),
    C("eclairs trigger", ("eclairs", "trigger", "{in}", "--json"), ("eclairs_cal_sim",),
      "eclairs.read_events"),
    C("eclairs image", ("eclairs", "image", "{in}", "--out", "{out}", "--json"),
      ("eclairs_cal_sim",), "eclairs.read_events", out=".fits", also=(".png",)),
    C("alert read", ("alert", "read", "{in}", "--json"),
      ("voevent_eclairs_real", "voevent_made", "voevent_grm_real"), "alerts.read_voevent"),
    C("dorn fit", ("dorn", "fit", "{in}", "--out", "{out}", "--json"), ("dorn_spectra_fake",),
      "dorn.open_spectra", out=".nc", product="dorn.open_fits"),
    C("dorn invert", ("dorn", "invert", "{in}", "--json"), ("dorn_fits_fake",), "dorn.open_fits"),
    C("dorn quicklook", ("dorn", "quicklook", "{in}", "--out", "{out}", "--atoms", "500"),
      ("dorn_spectra_fake",), "dorn.open_spectra", out=".png"),
    C("sco grid", ("sco", "grid", "{in}", "--out", "{out}", "--res", "1"), ("scat_l2b_fake",),
      "scat.open_l2b", out=".nc", product="grid.open_l3"),
    C("water info", ("water", "info", "{in}", "--json"), ("smos_l2_real", "water_l2_sim"),
      "water.open_smos_l2_sm"),
    C("water image", ("water", "image", "{in}", "--out", "{out}", "--json"), ("water_vis_sim",),
      "water.open_water_product", out=".nc", product="water.open_water_product"),
    C("water validate", ("water", "validate", "{in}", "--json"), ("water_l2_sim",),
      "water.open_water_product"),
    C("water quicklook", ("water", "quicklook", "{in}", "--out", "{out}"), ("water_l2_sim",),
      "water.open_water_product", out=".png"),
    C("report", ("report", "{dir}", "--out", "{out}"), ("report_json", "manifest"), None,
      out=".html"),
    C("water retrieve", ("water", "retrieve", "{in}", "--out", "{out}", "--json"),
      ("water_vis_sim",), "water.open_water_product", out=".nc",
      product="water.open_water_product", long=True),
    C("batch scat", ("batch", "scat", "{in}", "--out", "{outdir}", "--json"), ("scat_l1b_sim",),
      "scat.open_l1b", long=True),
)}  # fmt: skip

#: Mutations every command takes by default (by format); the long run takes them all.
COMMAND_DEFAULT = ("trunc_50", "flip_payload_0", "overwrite_1k_0", "value_high", "fill_only",
                   "fits_time_1e30", "fits_key_string", "xml_dec_200", "xml_billion_laughs",
                   "json_deep", "jsonl_garbage")  # fmt: skip
OUTPUT_CASES = ("out_is_input", "out_missing_dir", "out_not_dir", "out_unwritable", "out_is_dir",
                "out_fifo")  # fmt: skip
OUTPUT_DEFAULT = ("out_is_input", "out_not_dir", "out_unwritable", "out_is_dir")


@dataclass(frozen=True)
class Case:
    """One row of the table: ``kind`` reader | wrong | command, and its three names."""

    kind: str
    target: str
    source: str
    mutation: str

    @property
    def id(self) -> str:
        return f"{self.target}|{self.source}|{self.mutation}"

    @property
    def seed(self) -> int:
        return zlib.crc32(self.id.encode())


def _mutations(fmt: str, long: bool, names: tuple[str, ...] | None = None) -> list[str]:
    return [m.name for m in MUTATIONS if fmt in m.fmts and (long or not m.long_only)
            and (names is None or m.name in names)]  # fmt: skip


def cases(available: dict[str, Any], long: bool = False) -> list[Case]:
    """Every case whose source is available (``available``: source name -> Source)."""
    out: list[Case] = []
    for spec in READERS.values():
        srcs = [s for s in spec.sources if s in available]
        for src in srcs if long else srcs[:2]:
            out += [
                Case("reader", spec.name, src, m)
                for m in _mutations(available[src].fmt, long)
                if m not in spec.skip
            ]
    out += [Case("wrong", r, s, "wrong_product") for r, s in WRONG_PRODUCT if s in available]
    for spec in COMMANDS.values():
        srcs = [s for s in spec.sources if s in available]
        if spec.long and not long or not srcs:
            continue
        for src in srcs if long else srcs[:1]:
            names = None if long else COMMAND_DEFAULT
            out += [Case("command", spec.name, src, m)
                    for m in _mutations(available[src].fmt, long, names)]  # fmt: skip
            if spec.out is not None:
                outs = OUTPUT_CASES if long else OUTPUT_DEFAULT
                out += [Case("command", spec.name, src, m) for m in outs]
    if "report_json" in available and "report" in COMMANDS:
        out.append(Case("command", "report", "report_json", "fifo_png"))
    return out


def report_json_reader(path: Any) -> Any:
    """``load_report_json`` of the file's folder; its reason becomes an InputError."""
    from pathlib import Path

    from fcspace.core.errors import InputError
    from fcspace.report.readers import load_report_json

    data, reason = load_report_json(Path(path).parent)
    if reason is not None:
        raise InputError(reason, path)
    return data


def manifest_reader(path: Any) -> Any:
    """``read_manifest``: its records and count of bad lines; an error becomes an InputError."""
    from fcspace.core.errors import InputError
    from fcspace.report.readers import read_manifest

    summary = read_manifest(path)
    if summary.error:
        raise InputError(summary.error, path)
    if summary.bad_lines:
        raise InputError(f"{summary.bad_lines} unreadable lines (counted by read_manifest)", path)
    return {"records": summary.records}
