"""Refresh the figures of the documentation from the quicklooks of a ``make demo`` folder.

Usage::

    python tools/docs_figures.py [DEMO_DIR] [--check]

The docs build never runs the demo: a chosen set of the demo's PNG quicklooks is copied into
``docs/figures/`` (names kept), downscaled to at most :data:`MAX_WIDTH` pixels wide (Lanczos
resampling, Pillow) and stored as 256-colour palette PNGs so that the whole folder stays under
:data:`MAX_TOTAL_BYTES`. Run it after ``make demo`` when the quicklooks change. ``--check``
only verifies that every figure of :data:`FIGURES` is in ``docs/figures/`` and that the folder
is under the size limit (exit 1 otherwise).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "figures"
MAX_WIDTH = 760
MAX_TOTAL_BYTES = 3_000_000

#: The demo quicklooks shown in the docs (file name in the demo folder, kept in docs/figures).
FIGURES = (
    "scat_sim_cyclone_truth.png",
    "scat_sim_cyclone_l2b.png",
    "scat_real_l2b.png",
    "ascat_knmi_l2.png",
    "swim_sim_storm_spectrum.png",
    "swim_sim_storm_spectrum_nadir_swh.png",
    "swim_real_l2p_spectrum.png",
    "swim_real_l2p_spectrum_nadir_swh.png",
    "eclairs_sim_sky_snr.png",
    "grm_sim_lightcurve.png",
    "gbm_grb110721a_lightcurve.png",
    "dorn_spectrum.png",
    "dorn_activities.png",
    "dorn_radon_map.png",
    "water_sim_snapshot.png",
    "water_smap_l4_l2.png",
)


def shrink(src: Path, dst: Path, max_width: int = MAX_WIDTH) -> int:
    """Write ``src`` to ``dst`` at most ``max_width`` wide as a palette PNG; return its size."""
    from PIL import Image

    with Image.open(src) as img:
        rgb = img.convert("RGB")
    if rgb.width > max_width:
        height = round(rgb.height * max_width / rgb.width)
        rgb = rgb.resize((max_width, height), Image.Resampling.LANCZOS)
    palette = rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    tmp = dst.with_suffix(".tmp.png")
    palette.save(tmp, optimize=True)
    tmp.replace(dst)
    return dst.stat().st_size


def refresh(demo_dir: Path, out: Path = OUT) -> dict[str, int]:
    """Copy every figure of :data:`FIGURES` from ``demo_dir`` into ``out``; sizes in bytes."""
    missing = [name for name in FIGURES if not (demo_dir / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{demo_dir}: missing quicklooks {missing} (run `make demo`)")
    out.mkdir(parents=True, exist_ok=True)
    return {name: shrink(demo_dir / name, out / name) for name in FIGURES}


def problems(out: Path = OUT) -> list[str]:
    """What is wrong with the figures folder: missing figures, total over the limit."""
    found = [out / name for name in FIGURES]
    bad = [f"missing {p.relative_to(ROOT)}" for p in found if not p.is_file()]
    total = sum(p.stat().st_size for p in out.glob("*.png"))
    if total > MAX_TOTAL_BYTES:
        bad.append(f"docs/figures holds {total} bytes (> {MAX_TOTAL_BYTES})")
    return bad


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("demo_dir", nargs="?", default=str(ROOT / "demo_output"))
    parser.add_argument("--check", action="store_true", help="only check docs/figures")
    args = parser.parse_args(argv)
    if not args.check:
        sizes = refresh(Path(args.demo_dir))
        sys.stdout.write(f"{len(sizes)} figures, {sum(sizes.values())} bytes -> {OUT}\n")
    bad = problems()
    for line in bad:
        sys.stderr.write(line + "\n")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
