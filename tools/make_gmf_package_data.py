"""Convert the raw GMF tables into the package data file ``gmf_tables.npz``.

Usage::

    python tools/make_gmf_package_data.py [RAW_DIR] [OUT_DIR]

RAW_DIR defaults to ``../shared/data/cfosat/gmf`` (relative to the repository root) and
OUT_DIR to ``src/fcspace/cfosat/scat/data``.

Each raw table is one Fortran unformatted sequential record (see the data's ORIGIN.md):
a 4-byte little-endian record length (3,723,000 bytes), 250*73*51 little-endian float32
values in Fortran (column-major) order with axes (wind speed, relative direction,
incidence), then a 4-byte trailer repeating the length. The script checks both markers,
reorders the values into a C-ordered (speed, rel_dir, incidence) float32 array and writes
all tables, with their axes, into one compressed ``.npz``. The conversion is lossless:
``numpy.savez_compressed`` stores the float32 values bit for bit.

Source of the tables: GitHub ACHMartin/seastar_project, path seastar/gmfs/, commit ab730e0
(Apache-2.0). NSCAT-4DS: Wang et al. (2017), KNMI; CMOD7: Stoffelen et al. (2017).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np

SHAPE = (250, 73, 51)
RECORD_BYTES = 4 * SHAPE[0] * SHAPE[1] * SHAPE[2]
RAW_FILES = {
    "nscat4ds_vv": "nscat4ds_250_73_51_vv.dat_little_endian",
    "nscat4ds_hh": "nscat4ds_250_73_51_hh.dat_little_endian",
    "cmod7_vv": "cmod7_vv.dat_little_endian",
}
ROOT = Path(__file__).resolve().parents[1]


def read_raw(path: Path) -> np.ndarray:
    """Read one raw table, check its record markers, return a C-ordered float32 array."""
    raw = path.read_bytes()
    if len(raw) != RECORD_BYTES + 8:
        raise SystemExit(f"{path}: {len(raw)} bytes, expected {RECORD_BYTES + 8}")
    head = int(np.frombuffer(raw[:4], dtype="<i4")[0])
    tail = int(np.frombuffer(raw[-4:], dtype="<i4")[0])
    if head != RECORD_BYTES or tail != RECORD_BYTES:
        raise SystemExit(f"{path}: record markers {head}/{tail}, expected {RECORD_BYTES}")
    values = np.frombuffer(raw[4:-4], dtype="<f4").reshape(SHAPE, order="F")
    return np.ascontiguousarray(values, dtype=np.float32)


def main(argv: list[str]) -> None:
    """Convert every table found in RAW_DIR and write OUT_DIR/gmf_tables.npz."""
    raw_dir = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared/data/cfosat/gmf"
    out_dir = Path(argv[2]) if len(argv) > 2 else ROOT / "src/fcspace/cfosat/scat/data"
    arrays = {key: read_raw(raw_dir / name) for key, name in RAW_FILES.items()}
    arrays["speed"] = np.round(0.2 * np.arange(1, SHAPE[0] + 1), 10)
    arrays["rel_dir"] = 2.5 * np.arange(SHAPE[1], dtype=float)
    arrays["incidence"] = 16.0 + np.arange(SHAPE[2], dtype=float)
    out = out_dir / "gmf_tables.npz"
    np.savez_compressed(out, **arrays)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    sys.stdout.write(f"wrote {out} ({out.stat().st_size} bytes, sha256 {digest})\n")


if __name__ == "__main__":
    main(sys.argv)
