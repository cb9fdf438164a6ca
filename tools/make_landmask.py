"""Build fcspace's land fraction table (package data) from the global-land-mask package.

Source: global-land-mask 1.0.0 (PyPI, MIT licence, T. Karin 2019), a 1/120 deg (~1 km)
land/sea mask derived from NOAA's GLOBE 30-arc-second digital elevation model (GLOBE Task
Team 1999, NOAA NGDC) combined with its ocean mask. That package loads the whole mask
(21600 x 43200 booleans, ~0.9 GB) when imported, which is too much for every dask worker, so
fcspace ships a 3-arc-minute (0.05 deg, ~5.6 km) table of land *fractions* derived from it
once, here: each coarse cell counts the land cells among its 6 x 6 fine cells (0..36). The
package's mask is True over the ocean (its ``is_ocean``); the table counts land. The 1 km mask is
streamed from the package's compressed ``.npz`` in row blocks, never loaded whole.

Usage (needs global-land-mask importable or its ``.npz`` path)::

    pip install --target /tmp/glm global-land-mask
    python tools/make_landmask.py /tmp/glm/global_land_mask/globe_combined_mask_compressed.npz
"""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "src/fcspace/core/data/land_fraction_3min.npz"
FINE_PER_DEG = 120  # the GLOBE grid: 30 arc seconds
BLOCK = 6  # fine cells per coarse cell along each axis: 6 / 120 deg = 3 arc minutes


def _npy_stream(npz: Path, member: str):
    """Open one array of an .npz for streaming: (file object, shape, dtype)."""
    zf = zipfile.ZipFile(npz)
    fh = zf.open(member)
    version = np.lib.format.read_magic(fh)
    read_header = {(1, 0): np.lib.format.read_array_header_1_0,
                   (2, 0): np.lib.format.read_array_header_2_0}[version]  # fmt: skip
    shape, fortran, dtype = read_header(fh)
    if fortran:
        raise SystemExit(f"{npz}: {member} is Fortran-ordered; expected C order")
    return fh, shape, dtype


def coarse_counts(npz: Path) -> np.ndarray:
    """Land cells among the 6 x 6 fine cells of each coarse cell, rows north to south."""
    fh, (n_lat, n_lon), dtype = _npy_stream(npz, "mask.npy")
    if (n_lat, n_lon) != (180 * FINE_PER_DEG, 360 * FINE_PER_DEG) or dtype != np.bool_:
        raise SystemExit(f"{npz}: mask is {dtype} {n_lat}x{n_lon}, expected bool 21600x43200")
    out = np.empty((n_lat // BLOCK, n_lon // BLOCK), dtype=np.uint8)
    row_bytes = n_lon * dtype.itemsize
    for i in range(out.shape[0]):
        raw = fh.read(BLOCK * row_bytes)
        if len(raw) != BLOCK * row_bytes:
            raise SystemExit(f"{npz}: mask.npy ends early at coarse row {i}")
        block = np.frombuffer(raw, dtype=np.uint8).reshape(BLOCK, n_lon // BLOCK, BLOCK)
        out[i] = BLOCK * BLOCK - block.sum(axis=(0, 2))  # the package's mask is True over ocean
    return out


def main() -> None:
    """Command line: write the package-data table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("npz", type=Path, help="global_land_mask/globe_combined_mask_compressed.npz")
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args()
    counts = coarse_counts(a.npz)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        a.out, land_count=counts, fine_per_cell=np.int16(BLOCK * BLOCK),
        step_deg=np.float64(BLOCK / FINE_PER_DEG), north_deg=np.float64(90.0),
        west_deg=np.float64(-180.0),
        source=np.array("global-land-mask 1.0.0 (GLOBE 30 arc-second mask, MIT licence)"),
    )  # fmt: skip
    frac = counts / (BLOCK * BLOCK)
    line = (f"{a.out}: {counts.shape}, land cells (fraction >= 0.5) {np.mean(frac >= 0.5):.4f}, "
            f"{a.out.stat().st_size / 1e6:.2f} MB")  # fmt: skip
    print(line)  # noqa: T201


if __name__ == "__main__":
    main()
