#!/usr/bin/env bash
# Install the built wheel in a fresh virtual environment outside the repository and run the
# simulated part of the demo from it (no ../shared: FCSPACE_SHARED_DATA points nowhere).
# Usage: tools/wheel_check.sh DIST_DIR
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
dist="$(cd "${1:-dist}" && pwd)"
wheel="$(ls "$dist"/fcspace-*.whl | head -n 1)"
work="$(mktemp -d /tmp/fcspace-wheel.XXXXXX)"
trap 'rm -rf "$work"' EXIT

python3 - "$wheel" <<'PY'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
need = ["fcspace/cfosat/scat/data/gmf_tables.npz", "fcspace/watercycle/data/snow_coefficients.json",
        "fcspace/cli.py"]
missing = [n for n in need if n not in names]
if missing:
    sys.exit(f"{sys.argv[1]}: wheel lacks package data {missing}")
print(f"wheel {sys.argv[1]}: {len(names)} files, package data present")
PY

python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --upgrade pip
# the same pins as the repository's environment, resolved from the registry
"$work/venv/bin/python" -m pip install -q -c "$repo/requirements.lock" "$wheel"
cd "$work"
export FCSPACE_SHARED_DATA="$work/no-shared-data" MPLBACKEND=Agg
"$work/venv/bin/fcspace" version
"$work/venv/bin/fcspace" demo --out "$work/demo" --rows 200
"$work/venv/bin/python" - "$work/demo" <<'PY'
import json, sys
from pathlib import Path
d = Path(sys.argv[1])
report = json.loads((d / "report.json").read_text())
pngs = sorted(p.name for p in d.glob("*.png"))
assert (d / "report.html").stat().st_size > 10_000, "report.html missing or empty"
assert len(pngs) >= 5, pngs
print(f"demo from the wheel: {len(pngs)} PNGs, sections {sorted(report)}")
PY
