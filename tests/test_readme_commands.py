"""Every ``fcspace`` command the README shows, run end to end as a user would, in README order.

The commands are read from the README's ``bash`` code blocks, so a new README line is picked up
without touching this file. They run in one working folder, in README order (later lines use
the files earlier lines wrote), through the ``fcspace`` program's own entry (the click group of
:mod:`fcspace.cli`, as the console script runs it, in this process so that the imports and
Numba compilations are paid once: about 40 commands), or as real processes of the installed
``fcspace`` script with ``FCSPACE_README_PROCESSES=1``. The README's placeholders are replaced:

- real file names and patterns (``CFO_EXPR_SCA_C_L2B_OR_*.nc``, ``glg_tte_...fit``,
  ``eclairs_296.xml``) → the files in ../shared/data; when ../shared is absent, a file made by
  the fakes of :mod:`fcspace.testing` where one stands in for it (the SCAT L2B, the SWIM L2,
  a VOEvent), else the test skips saying which real file it needs (the Fermi GBM TTE);
- ``data/*.nc`` → a folder of two small simulated L1B files; ``tcp://host:8786`` → a real
  ``dask scheduler`` with one ``dask worker`` started for the test;
- ``demo_output`` → the working folder itself (what the earlier commands wrote).

Each test asserts exit 0, no traceback or warning on stderr, and a real result: the files the
command writes exist and open, its JSON has the expected keys and values (table ``CHECKS``;
a command without an entry there gets the generic checks: ``--json`` parses, ``--out`` exists).
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fcspace.testing.data import shared_file

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FCSPACE = Path(sys.executable).with_name("fcspace")
if not FCSPACE.exists():  # an installed fcspace outside this interpreter's folder
    FCSPACE = Path(shutil.which("fcspace") or FCSPACE)
DASK = Path(sys.executable).with_name("dask")
PNG = b"\x89PNG\r\n\x1a\n"
TIMEOUT = 600  # s, per command (the longest, reselect on a full orbit, takes about a minute)
PROCESSES = os.environ.get("FCSPACE_README_PROCESSES", "") not in ("", "0")


def readme_commands(text: str) -> list[list[str]]:
    """The ``fcspace`` command lines of the README's bash blocks, as argument lists."""
    out = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0] == "fcspace":
                out.append(words[1:])
    return out


COMMANDS = readme_commands(README.read_text(encoding="utf-8"))


def _id(args: list[str]) -> str:
    return " ".join(args)[:80]


# ----------------------------------------------------------------------- placeholders


def _real(pattern: str) -> list[Path]:
    """Real files under ../shared/data whose name matches ``pattern``."""
    root = shared_file()
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if fnmatch.fnmatch(p.name, pattern))


def _fake_scat_l2b(work: Path) -> Path:
    from fcspace.testing.fakes import fake_scat_l2b

    return fake_scat_l2b(work / "fake" / "CFO_FAKE_SCA_L2B.nc", rows=12)


def _fake_swim_l2(work: Path) -> Path:
    from fcspace.testing.fakes import fake_swim_l2

    return fake_swim_l2(work / "fake" / "CFO_FAKE_SWI_L2.nc", boxes=3)


def _fake_voevent(work: Path) -> Path:
    from fcspace.svom.alerts import make_alert, write_voevent

    alert = make_alert(83.6, 22.0, "2025-09-17T02:00:00", 9.5, instrument="ECLAIRs")
    return write_voevent(alert, work / "fake" / "eclairs_fake.xml")


#: Options that take no value (the word after them is a positional argument).
FLAGS = {"--json", "--no-grb", "--passes", "--hamed-rao", "--no-noise", "--noise", "--debug"}

#: README file names and patterns → a stand-in made by the fakes when ../shared is absent.
FAKES: dict[str, Callable[[Path], Path]] = {
    "CFO_EXPR_SCA_C_L2B_OR_*.nc": _fake_scat_l2b,
    "CFO_OP05_SWI_L2PBOX_F_*.nc": _fake_swim_l2,
    "eclairs_296.xml": _fake_voevent,
}


def _l1b_folder(work: Path) -> list[Path]:
    """``data/*.nc``: two small simulated L1B files."""
    from fcspace.cfosat.scat.io import write_l1b
    from fcspace.cfosat.scat.simulate import simulate_orbit_segment

    folder = work / "data"
    folder.mkdir(exist_ok=True)
    for seed in (1, 2):
        l1b = simulate_orbit_segment(12, scene="synoptic", seed=seed)
        write_l1b(l1b, folder / f"CFO_SIM_SCA_L1B_{seed}.nc")
    return sorted(folder.glob("*.nc"))


def _looks_like_file(word: str) -> bool:
    return bool(re.search(r"\.(nc|fit|fits|xml|json)$", word)) and "/" not in word


def _substitute(word: str, work: Path, session: Session, after: str) -> list[str]:
    """One README word (following the word ``after``) → the arguments it stands for here."""
    if word.startswith("tcp://"):
        return [session.scheduler()]
    if after.startswith("-") and after not in FLAGS:
        return [word]  # an option's value: an output name, a number...
    if word.startswith("-"):
        return [word]
    if word == "demo_output":
        return [str(work)]
    if word == "data/*.nc":
        return [str(p) for p in _l1b_folder(work)]
    if "*" in word and (local := sorted(work.glob(word))):
        return [str(p) for p in local]
    if ("*" in word or _looks_like_file(word)) and not (work / word).exists():
        real = _real(word)
        if real:
            return [str(real[0])]
        if word in FAKES:
            return [str(FAKES[word](work))]
        pytest.skip(f"needs the real file {word} (../shared/data is absent on this machine)")
    return [word]


# ----------------------------------------------------------------------------- running


@dataclass
class Ran:
    """One command's run: its arguments (after substitution), exit code, stdout, stderr."""

    args: list[str]
    code: int
    out: str
    err: str
    seconds: float

    def json(self) -> Any:
        return json.loads(self.out)

    def option(self, name: str) -> str | None:
        return self.args[self.args.index(name) + 1] if name in self.args else None


class Session:
    """The README run: one working folder, commands run once each, in order."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.results: dict[int, Ran | str] = {}
        self._procs: list[subprocess.Popen] = []
        self._address: str | None = None
        self._log: Any = None

    def scheduler(self) -> str:
        """Address of a ``dask scheduler`` with one ``dask worker`` (started on first use)."""
        if self._address is None:
            info = self.work / ".scheduler.json"
            self._log = log = (self.work / ".dask.log").open("ab")
            common = ["--no-dashboard"]
            self._procs.append(subprocess.Popen(
                [str(DASK), "scheduler", "--port", "0", "--scheduler-file", str(info), *common],
                stdout=log, stderr=subprocess.STDOUT))  # fmt: skip
            deadline = time.monotonic() + 60
            while not info.exists() or not info.read_text().strip():
                assert time.monotonic() < deadline, "dask scheduler did not start"
                time.sleep(0.2)
            self._address = json.loads(info.read_text())["address"]
            self._procs.append(subprocess.Popen(
                [str(DASK), "worker", self._address, "--nthreads", "1", "--no-nanny", *common],
                stdout=log, stderr=subprocess.STDOUT))  # fmt: skip
        return self._address

    def close(self) -> None:
        for proc in reversed(self._procs):
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._log is not None:
            self._log.close()

    def run(self, index: int) -> Ran:
        """Run README command ``index`` (and, first, every earlier one not run yet)."""
        for i in range(index + 1):
            if i not in self.results:
                try:
                    self.results[i] = self._run(COMMANDS[i])
                except pytest.skip.Exception as skip:
                    self.results[i] = str(skip)
        result = self.results[index]
        if isinstance(result, str):
            pytest.skip(result)
        return result

    def _run(self, words: list[str]) -> Ran:
        args = [a for i, w in enumerate(words)
                for a in _substitute(w, self.work, self, words[i - 1] if i else "")]  # fmt: skip
        start = time.monotonic()
        if PROCESSES:
            env = dict(os.environ, COLUMNS="200", NO_COLOR="1")
            proc = subprocess.run([str(FCSPACE), *args], cwd=self.work, capture_output=True,
                                  text=True, timeout=TIMEOUT, env=env)  # fmt: skip
            return Ran(args, proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)
        from typer.testing import CliRunner

        from fcspace.cli import app

        here = Path.cwd()
        os.chdir(self.work)  # relative README paths, as in a shell
        try:
            res = CliRunner().invoke(app, args, env={"COLUMNS": "200", "NO_COLOR": "1"})
        finally:
            os.chdir(here)
        err = res.stderr
        if res.exception is not None and not isinstance(res.exception, SystemExit):
            import traceback

            err += "Traceback (escaped the program):\n" + "".join(
                traceback.format_exception(res.exception))
        return Ran(args, res.exit_code, res.stdout, err, time.monotonic() - start)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    run = Session(tmp_path_factory.mktemp("readme"))
    yield run
    run.close()


# ------------------------------------------------------------------------------ checks


def _png(path: Path) -> None:
    assert path.is_file() and path.read_bytes()[:8] == PNG, path


def _nc(path: Path) -> Any:
    import xarray as xr

    assert path.is_file(), path
    with xr.open_dataset(path) as ds:
        return ds.load()


def _scat_simulate(ran: Ran, work: Path) -> None:
    ds = _nc(work / ran.option("--out"))
    rows = int(ran.option("--rows"))
    assert ds.sizes["numrows"] == rows and int(ds["sigma0"].notnull().sum()) > rows * 42


def _scat_process(ran: Ran, work: Path) -> None:
    from fcspace.cfosat.scat.io import open_l2b

    if ran.option("--out-dir") is not None:
        folder = work / ran.option("--out-dir")
        inputs = [Path(a) for a in ran.args if a.endswith(".nc")]
        products = sorted(folder.glob("*.nc"))
        assert len(products) == len(inputs) >= 2
        for product in products:
            assert int((open_l2b(product)["wvc_selection"] > 0).sum()) > 0
        return
    l2b = open_l2b(work / ran.option("--out"))
    selected = l2b["wvc_selection"].values > 0
    l1b = _nc(work / ran.args[2])
    # a wind in every ocean cell, none over land (the simulator masks land: no sigma0 there)
    ocean = l1b["land_fraction"].values == 0 if "land_fraction" in l1b else True
    assert selected.sum() > 0 and (selected == ocean).all()


def _scat_validate(ran: Ran, work: Path) -> None:
    out = ran.json()
    assert {"n", "speed_bias", "speed_rmse", "dir_rmse_deg", "ambiguity_skill"} <= set(out)
    assert out["n"] > 0 and out["speed_rmse"] < 1.0 and out["ambiguity_skill"] > 0.9


def _scat_info(ran: Ran, work: Path) -> None:
    out = ran.json()
    assert out["cells_with_selected_wind"] > 0 and out["time_start"] < out["time_end"]
    if "15259" in out["path"]:  # the real orbit: numbers known from tests/test_cli.py
        assert out["cells_with_selected_wind"] == 35132


def _out_png(ran: Ran, work: Path) -> None:
    _png(work / ran.option("--out"))


def _scat_reselect(ran: Ran, work: Path) -> None:
    out = ran.json()
    assert out["cells_compared"] > 0 and 0.5 < out["agreement"] <= 1.0
    assert all(k.startswith("n=") for k in out["agreement_by_num_ambigs"])
    if "15259" in out["path"]:  # 2DVAR on the real orbit vs the operational selection
        assert out["cells_compared"] > 30_000 and out["agreement"] > 0.9


def _swim_simulate(ran: Ran, work: Path) -> None:
    ds = _nc(work / ran.option("--out"))
    assert ds.sizes["n_box"] == int(ran.option("--boxes"))


def _swim_process(ran: Ran, work: Path) -> None:
    from fcspace.cfosat.swim.io import open_swim

    ds = open_swim(work / ran.option("--out"))
    assert float(ds["nadir_swh_box"].max()) > 1.0 and ds.sizes["n_box"] > 0


def _swim_validate(ran: Ran, work: Path) -> None:
    out = ran.json()
    keys = {"n", "swh_bias", "swh_rmse", "peak_wavelength_rel_error", "peak_dir_error_deg"}
    assert keys <= set(_flat_keys(out)) and out["n"] > 0 and out["swh_rmse"] < 1.0


def _flat_keys(tree: Any) -> Iterator[str]:
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield str(key)
            yield from _flat_keys(value)


def _swim_info(ran: Ran, work: Path) -> None:
    out = ran.json()
    assert out["path"].endswith(".nc") and len(out) > 3


def _swim_quicklook(ran: Ran, work: Path) -> None:
    target = work / ran.option("--out")
    _png(target)
    _png(target.with_name(f"{target.stem}_nadir_swh.png"))


def _grm_simulate(ran: Ran, work: Path) -> None:
    from fcspace.svom.grm.io import read_events

    ds = read_events(work / ran.option("--out"))  # NetCDF, or the mission's L1 FITS layout
    assert ds.sizes["event"] > 1000 and ds.sizes["det"] == 3


def _grm_trigger(ran: Ran, work: Path) -> None:
    out = ran.json()
    assert out["triggers"], out
    first = out["triggers"][0]
    assert {"time", "met", "timescale_s", "band_kev", "snr"} <= set(first)
    if "bn110721200" in out["file"]:  # GRB 110721A: 0.015 s after the GBM trigger time
        assert first["time"].startswith("2011-07-21T04:47:43.") and first["snr"] > 4.5


def _grm_localize(ran: Ran, work: Path) -> None:
    out = ran.json()
    assert out["triggers"] and all("localization" in t for t in out["triggers"])


def _grm_skymap(ran: Ran, work: Path) -> None:
    out = ran.json()
    _png(Path(out["output"]) if Path(out["output"]).is_absolute() else work / out["output"])
    assert 0 < out["area50_deg2"] < out["area90_deg2"] < 41_253 and -90 <= out["dec_deg"] <= 90


def _eclairs_simulate(ran: Ran, work: Path) -> None:
    out = ran.json()
    assert out["events"] > out["source_events"] > 0 and (work / ran.option("--out")).is_file()


def _eclairs_trigger(ran: Ran, work: Path) -> None:
    out = ran.json()
    assert out["n_triggers"] >= 1 and len(out["triggers"]) == out["n_triggers"]


def _eclairs_image(ran: Ran, work: Path) -> None:
    out = ran.json()
    assert (work / ran.option("--out")).is_file() and out["snr"] > 5
    _png(work / out["png"] if not Path(out["png"]).is_absolute() else Path(out["png"]))


def _alert_read(ran: Ran, work: Path) -> None:
    out = ran.json()
    assert out["instrument"].upper() == "ECLAIRS" and -90 <= out["dec"] <= 90
    assert out["packet_type"] > 0 and out["burst_id"] and out["err_radius_deg"] > 0
    if out["burst_id"] == "sb26021102":  # the real eclairs_296.xml
        assert (out["packet_type"], out["ra"], out["snr"]) == (202, 86.9755, 12.79)


def _alert_make(ran: Ran, work: Path) -> None:
    text = ran.out
    assert text.lstrip().startswith("{")
    assert "83.6" in text and "22" in text and "2025-09-17T02:00:00" in text


def _dorn_simulate(ran: Ran, work: Path) -> None:
    ds = _nc(work / ran.option("--out"))
    assert int(ds["counts"].sum()) > 0 and set(ds["view"].values) == {"sky", "ground"}


def _dorn_fit(ran: Ran, work: Path) -> None:
    out = ran.json()
    assert out["n_fits"] == 48 and out["converged"] == out["n_fits"]
    _nc(work / ran.option("--out"))


def _dorn_invert(ran: Ran, work: Path) -> None:
    out = ran.json()
    assert abs(out["flux"] - 185.0) < 5 * out["flux_sigma"] and out["q_sigma"] > 0


def _dorn_quicklook(ran: Ran, work: Path) -> None:
    target = work / ran.option("--out")
    _png(target)
    _png(target.with_name(f"{target.stem}_radon_map.png"))


def _water_written(ran: Ran, work: Path) -> None:
    out = ran.json()
    _nc(work / out["output"])


def _water_validate(ran: Ran, work: Path) -> None:
    assert "bias" in json.dumps(ran.json())


def _water_info(ran: Ran, work: Path) -> None:
    out = ran.json()
    assert out and "variables" in json.dumps(out)


def _water_quicklook(ran: Ran, work: Path) -> None:
    _png(work / ran.json()["output"])


def _sco_archive(ran: Ran, work: Path) -> None:
    folder = work / ran.option("--out")
    assert len(list(folder.glob("*.nc"))) >= int(ran.option("--days"))


def _sco_grid(ran: Ran, work: Path) -> None:
    out = work / ran.option("--out")
    if out.suffix == ".zarr":  # a store (folder), read by the L3 reader
        from fcspace.cfosat.grid import open_l3

        ds = open_l3(out).load()
        assert ds.sizes["time"] >= 1 and bool(ds["wind_count"].sum() > 0)
    else:
        ds = _nc(out)
    assert "wind_speed_mean" in ds or any("wind_speed" in str(v) for v in ds.data_vars)


def _sco_indicators(ran: Ran, work: Path) -> None:
    out = ran.json()
    _nc(work / ran.option("--out"))
    assert out["quicklooks"]
    for png in out["quicklooks"]:
        _png(work / png)  # relative to the working folder, or absolute


def _report(ran: Ran, work: Path) -> None:
    page = Path(ran.out.strip())
    html = page.read_text(encoding="utf-8")
    assert page.name == "report.html" and "<h2" in html and "data:image/png;base64," in html


#: "group command" → the checks of its result (besides exit 0 and a clean stderr).
CHECKS: dict[str, Callable[[Ran, Path], None]] = {
    "scat simulate": _scat_simulate,
    "scat process": _scat_process,
    "scat validate": _scat_validate,
    "scat info": _scat_info,
    "scat quicklook": _out_png,
    "scat reselect": _scat_reselect,
    "swim simulate": _swim_simulate,
    "swim process": _swim_process,
    "swim validate": _swim_validate,
    "swim info": _swim_info,
    "swim quicklook": _swim_quicklook,
    "grm simulate": _grm_simulate,
    "grm trigger": _grm_trigger,
    "grm lightcurve": _out_png,
    "grm localize": _grm_localize,
    "grm skymap": _grm_skymap,
    "eclairs simulate": _eclairs_simulate,
    "eclairs trigger": _eclairs_trigger,
    "eclairs image": _eclairs_image,
    "alert read": _alert_read,
    "alert make": _alert_make,
    "dorn simulate": _dorn_simulate,
    "dorn fit": _dorn_fit,
    "dorn invert": _dorn_invert,
    "dorn quicklook": _dorn_quicklook,
    "water simulate": _water_written,
    "water image": _water_written,
    "water retrieve": _water_written,
    "water validate": _water_validate,
    "water info": _water_info,
    "water quicklook": _water_quicklook,
    "sco simulate-archive": _sco_archive,
    "sco grid": _sco_grid,
    "sco indicators": _sco_indicators,
    "report": _report,
}


def _generic(ran: Ran, work: Path) -> None:
    """A README command without an entry in CHECKS: JSON parses, --out was written."""
    if "--json" in ran.args:
        assert ran.json() is not None
    if (out := ran.option("--out")) is not None:
        assert (work / out).exists() and (work / out).stat().st_size > 0 or (work / out).is_dir()


def _key(words: list[str]) -> str:
    """``scat process``, ``report``: the command's (group and) name."""
    if words[0] in ("report", "version", "demo"):
        return words[0]
    return " ".join(words[:2])


def test_readme_shows_commands() -> None:
    assert len(COMMANDS) >= 30
    keys = {_key(c) for c in COMMANDS}
    assert {"scat reselect", "grm trigger", "dorn invert", "report"} <= keys


@pytest.mark.parametrize("index", range(len(COMMANDS)), ids=[_id(c) for c in COMMANDS])
def test_readme_command(session: Session, index: int) -> None:
    ran = session.run(index)
    detail = f"fcspace {' '.join(ran.args)}\nstdout: {ran.out[-2000:]}\nstderr: {ran.err[-4000:]}"
    assert ran.code == 0, detail
    assert "Traceback" not in ran.err and "Warning" not in ran.err, detail
    CHECKS.get(_key(COMMANDS[index]), _generic)(ran, session.work)


def test_fcspace_script_is_there() -> None:
    assert FCSPACE.exists() or shutil.which("fcspace"), "the fcspace console script"
