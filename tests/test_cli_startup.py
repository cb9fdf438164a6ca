"""Start-up of the ``fcspace`` program (issue 13): lazy mission groups, light command paths."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fcspace.core.registry import commands
from fcspace.testing.data import shared_file

ROOT = Path(__file__).resolve().parents[1]
GBM_TTE = "svom/fermi_gbm_bn110721200/glg_tte_n6_bn110721200_v00.fit"
HEAVY_FOR_TRIGGER = ("xarray", "pandas", "scipy.stats", "astropy.time", "dask", "matplotlib")


def _modules_after(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; the fcspace and heavy modules it left imported."""
    probe = (
        "import json, sys\n" + code + "\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('fcspace') "
        f"or m in {HEAVY_FOR_TRIGGER!r})))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=ROOT)  # fmt: skip
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def _mission_clis() -> set[str]:
    return {target.partition(":")[0] for _, target, _ in commands()}


def test_import_of_the_program_imports_no_mission_cli_and_no_heavy_library():
    mods = _modules_after("import fcspace.cli")
    assert not mods & _mission_clis(), mods & _mission_clis()
    assert not mods & set(HEAVY_FOR_TRIGGER)


def test_help_lists_every_registered_subcommand_without_importing_it():
    code = (
        "import contextlib, io\nfrom typer.testing import CliRunner\nfrom fcspace.cli import app\n"
        "r = CliRunner().invoke(app, ['--help'])\n"
        "assert r.exit_code == 0, r.output\nprint(json.dumps(r.output))"
    )
    mods = _modules_after(code)
    assert not mods & _mission_clis(), mods & _mission_clis()
    from fcspace.cli import app

    text = CliRunner().invoke(app, ["--help"]).output
    words = " ".join(text.replace("│", " ").split())  # table cells joined, wrapping undone
    for name, _, help_line in commands():
        assert f"{name} {help_line}" in words, (name, help_line)


def test_a_mission_group_is_loaded_when_invoked_and_kept():
    from fcspace.cli import app
    from fcspace.core.lazy_cli import PendingGroup

    runner = CliRunner()
    sub = runner.invoke(app, ["grm", "--help"])
    assert sub.exit_code == 0
    for command in ("simulate", "trigger", "localize", "skymap", "lightcurve"):
        assert command in sub.output
    typo = runner.invoke(app, ["gmr"])
    assert typo.exit_code == 2 and "Did you mean 'grm'" in typo.output
    import typer

    group = typer.main.get_command(app)
    assert isinstance(group.commands["grm"], PendingGroup)
    loaded = group.get_command(None, "grm")
    assert not isinstance(loaded, PendingGroup) and group.commands["grm"] is loaded
    assert loaded.name == "grm" and "trigger" in loaded.commands


@pytest.mark.shared_data
def test_grm_trigger_on_gbm_tte_imports_no_xarray_scipy_stats_or_astropy_time():
    tte = shared_file(GBM_TTE)
    if not tte.exists():
        pytest.skip("real GBM TTE absent")
    code = (
        "import contextlib, io\nfrom fcspace.cli import app\nbuf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        f"    try:\n        app(['grm', 'trigger', {str(tte)!r}, '--json'])\n"
        "    except SystemExit as e:\n        assert e.code in (0, None), e.code\n"
        "res = json.loads(buf.getvalue())\n"
        "t = res['triggers'][0]\n"
        "assert len(res['triggers']) == 1 and abs(t['t_minus_trigtime_s'] - 0.01488) < 1e-4\n"
        "assert t['timescale_s'] == 0.016 and t['band_kev'] == [50.0, 300.0]\n"
        "assert abs(t['snr'] - 5.2137) < 1e-3 and t['time'] == '2011-07-21T04:47:43.775Z'\n"
        "assert res['events'] == 284600 and res['detectors'] == ['NAI_06']"
    )
    mods = _modules_after(code)
    assert "fcspace.svom.grm.trigger" in mods  # the command did run
    assert not mods & set(HEAVY_FOR_TRIGGER), mods & set(HEAVY_FOR_TRIGGER)
    others = _mission_clis() - {"fcspace.svom.grm.cli"}
    assert not mods & others, mods & others
