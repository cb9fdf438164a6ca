"""``fcspace report DIR``: one self-contained HTML page from an output folder."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import typer
import xarray as xr
from typer.testing import CliRunner

from fcspace.core.errors import InputError
from fcspace.core.plots import new_figure, save_figure
from fcspace.report import build_html, image_group, read_manifest, write_report
from fcspace.report_cli import report as report_command

CHROMIUM = Path("/usr/bin/chromium")
FAILURE = 'InputError: bad <variable> "sigma0" & missing beams'

# The shape of the SCAT section of the demo's report.json (so its headline figures come from
# fcspace.cfosat.scat.demo.summary), plus a section of an unknown mission.
REPORT = {
    "shared_data": None,
    "scat": {
        "simulated": {
            "wvc": 21000,
            "scores": {
                "n": 21000,
                "speed_bias": 0.0112,
                "speed_rmse": 0.09781,
                "dir_rmse_deg": 5.775,
                "ambiguity_skill": 0.9979,
                "regions": {
                    "inner": {"n": 6000, "speed_rmse": 0.1117, "dir_rmse_deg": 6.446},
                    "mid": {"n": 10000, "speed_rmse": 0.05208, "dir_rmse_deg": 3.796},
                },
            },
        }
    },
    "mars": {
        "triggers": [
            {"time": "2026-01-01T00:00:00Z", "snr": 12.5, "band_kev": [15, 150]},
            {"time": "2026-01-01T00:01:00Z", "snr": 8.25, "band_kev": [8, 50]},
        ],
        "agreement": {"all": 0.95, "n=2": 0.91},
    },
}


def _png(path: Path, title: str) -> Path:
    fig, ax = new_figure(figsize=(2, 1.5))
    ax.plot([0, 1, 2], [0, 1, 0])
    ax.set_title(title)
    return save_figure(fig, path, dpi=40)


def _manifest(directory: Path) -> Path:
    records = [
        {"task": "scat", "input": "/in/a_L1B.nc", "output": "/out/a_L2B.nc", "status": "done",
         "sha256": "ab" * 32, "seconds": 2.5, "error": None},
        {"task": "scat", "input": "/in/b_L1B.nc", "output": "/out/b_L2B.nc", "status": "failed",
         "sha256": None, "seconds": 0.5, "error": FAILURE},
        {"task": "scat", "input": "/in/c_L1B.nc", "output": "/out/c_L2B.nc", "status": "skipped",
         "sha256": "cd" * 32, "seconds": 0.25, "error": None},
    ]  # fmt: skip
    path = directory / "manifest.jsonl"
    lines = [json.dumps(r) for r in records] + ['{"task": "scat", "inp']  # a line cut short
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def outdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("run")
    (d / "report.json").write_text(json.dumps(REPORT))
    _manifest(d)
    _png(d / "scat_sim_l2b.png", "scat")
    _png(d / "grm_sim_lightcurve.png", "grm")
    _png(d / "mystery.png", "other")
    ds = xr.Dataset(
        {"wind_speed": (("row", "cell"), np.arange(12.0).reshape(3, 4))},
        attrs={"title": "tiny L2B"},
    )
    ds.to_netcdf(d / "scat_sim_l2b.nc")
    (d / "eclairs_alert.xml").write_text('<voe:VOEvent xmlns:voe="x" role="test" ivorn="ivo://a"/>')
    (d / ".hidden.png").write_bytes(b"not a png")
    return d


@pytest.fixture(scope="module")
def page(outdir: Path) -> str:
    return write_report(outdir).read_text(encoding="utf-8")


class _Checker(HTMLParser):
    """Collects start/end tags; flags misnested or unclosed elements and external references."""

    VOID = {"meta", "img", "br", "hr", "link", "input", "col", "area", "base", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.refs: list[str] = []
        self.tags: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "poster", "data") and value:
                self.refs.append(value)
            if name == "id" and value:
                self.ids.append(value)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()


def _check(text: str) -> _Checker:
    checker = _Checker()
    checker.feed(text)
    checker.close()
    return checker


def test_page_is_well_formed_and_self_contained(page: str) -> None:
    checker = _check(page)
    assert checker.errors == []
    assert checker.stack == []
    for tag in ("html", "head", "body", "header", "nav", "main", "footer", "title", "style"):
        assert checker.tags.count(tag) == 1, tag
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"https?://", page)
    assert not re.search(r"<script|<link|@import|url\(", page, flags=re.I)
    for ref in checker.refs:
        assert ref.startswith(("#", "data:image/png;base64,")), ref[:60]
    internal = {r[1:] for r in checker.refs if r.startswith("#")}
    assert internal and internal <= set(checker.ids)  # every contents link has its target


def test_figures_are_embedded(page: str, outdir: Path) -> None:
    uris = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(uris) == 3  # the hidden file is ignored
    for name in ("scat_sim_l2b.png", "grm_sim_lightcurve.png", "mystery.png"):
        assert base64.b64encode((outdir / name).read_bytes()).decode() in uris
    assert "not a png" not in page
    quick = page[page.index('<section id="quicklooks">') :]
    assert quick.index("CFOSat SCAT") < quick.index("SVOM GRM") < quick.index(">Other<")


def test_headline_manifest_and_products(page: str) -> None:
    head = page[page.index('<section id="overview">') : page.index("</section>")]
    # SCAT headline figures come from the demo's own summary(); unknown missions get theirs
    assert "SCAT sim speed rmse" in head and "0.09781" in head and "0.9979" in head
    assert "agreement all" in head and "0.95" in head
    assert page.index('id="overview"') < page.index('id="batch"') < page.index('id="mission-scat"')
    batch = page[page.index('<section id="batch">') :]
    batch = batch[: batch.index("</section>")]
    assert "Failures (1)" in batch and "/in/b_L1B.nc" in batch
    assert "InputError: bad &lt;variable&gt; &quot;sigma0&quot; &amp; missing beams" in batch
    assert FAILURE not in page  # only escaped
    assert re.search(r'<td class="num">1</td><td class="num">1</td><td class="num">1</td>', batch)
    assert "3.25" in batch  # total seconds
    assert "unparsed lines" in batch
    # nested report.json parts as tables: a region matrix and a list of triggers
    assert "<th>inner</th>" in page and "<th>band kev</th>" in page and "[15, 150]" in page
    prods = page[page.index('<section id="products">') :]
    assert "scat_sim_l2b.nc" in prods and "1 variables; dims row=3, cell=4; tiny L2B" in prods
    assert "&lt;VOEvent&gt; role=test ivorn=ivo://a" in prods
    assert "manifest.jsonl" not in prods and "report.json</th>" not in prods


def test_indicator_numbers_and_maps(tmp_path: Path) -> None:
    lat, lon = np.array([-45.0, 45.0]), np.array([0.0, 90.0, 180.0])
    field = np.full((2, 3), 7.5)
    ind = xr.Dataset(
        {
            "wind_speed_mean": (("lat", "lon"), field),
            "wind_speed_trend": (("lat", "lon"), np.full((2, 3), 0.25)),
            "wind_speed_trend_significant": (("lat", "lon"), np.ones((2, 3), bool)),
            "wind_speed_percentile": (("lat", "lon", "percentile"), np.full((2, 3, 1), 9.0)),
        },
        coords={"lat": lat, "lon": lon, "percentile": [90.0]},
        attrs={"title": "fcspace SCO indicators", "fcspace_periods": np.int64(24)},
    )
    ind.to_netcdf(tmp_path / "indicators.nc")
    _png(tmp_path / "wind_speed_trend.png", "trend")
    text = write_report(tmp_path, tmp_path / "page.html").read_text(encoding="utf-8")
    section = text[text.index('<section id="indicators">') :]
    section = section[: section.index("</section>")]
    assert "indicators.nc" in section and "wind speed" in section
    assert "7.5" in section and "0.25" in section and "mean" in section
    assert '<th>periods</th><td class="num">24</td>' in section  # a numpy attribute, as a number
    assert "data:image/png;base64," in section  # the map, not under Quicklooks
    assert 'id="quicklooks"' not in text


def test_image_groups(tmp_path: Path) -> None:
    cases = {
        "scat_x.png": "scat", "ascat_knmi.png": "ascat", "swim_a.png": "swim",
        "eclairs_sky.png": "eclairs", "grm_lc.png": "grm", "gbm_lc.png": "gbm",
        "dorn_spectrum.png": "dorn", "sco_map.png": "sco", "l3_wind.png": "sco",
        "nadir_swh_p90.png": "sco", "wind_speed_exceedance.png": "sco", "plot.png": "other",
    }  # fmt: skip
    for name, group in cases.items():
        assert image_group(tmp_path / name, tmp_path) == group, name
    assert image_group(tmp_path / "indicators" / "map.png", tmp_path) == "sco"


def test_read_manifest_csv_and_missing(tmp_path: Path) -> None:
    path = tmp_path / "manifest_old.csv"
    path.write_text("task,input,status,seconds,error\nswim,a,done,1.5,\nswim,b,failed,x,boom\n")
    m = read_manifest(path)
    assert m.counts() == {"done": 1, "failed": 1, "skipped": 0}
    assert m.seconds() == 1.5 and m.failures()[0]["error"] == "boom" and m.tasks() == ["swim"]
    missing = read_manifest(tmp_path / "manifest.jsonl")
    assert missing.records == [] and missing.error is not None


def test_resumed_manifest_keeps_latest_record(tmp_path: Path) -> None:
    lines = [
        {"task": "scat", "input": "a", "status": "failed", "error": "first try"},
        {"task": "scat", "input": "a", "status": "done", "seconds": 3},
    ]
    (tmp_path / "manifest.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    m = read_manifest(tmp_path / "manifest.jsonl")
    assert m.counts()["done"] == 1 and m.counts()["failed"] == 0
    assert "first try" not in build_html(tmp_path)


def test_empty_and_bad_folders(tmp_path: Path) -> None:
    text = build_html(tmp_path)
    assert _check(text).errors == [] and 'id="overview"' in text
    (tmp_path / "report.json").write_text("{not json")
    (tmp_path / "broken.nc").write_bytes(b"\x00" * 64)
    text = build_html(tmp_path)
    assert "report.json not readable" in text and "not readable:" in text
    with pytest.raises(InputError):
        write_report(tmp_path / "absent")


def test_cli_writes_and_prints_path(outdir: Path, tmp_path: Path) -> None:
    app = typer.Typer()
    app.command("report")(report_command)
    app.command("version")(lambda: None)  # two commands: "report" must be named, as mounted
    target = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", str(outdir), "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(target) and target.stat().st_size > 1000
    bad = CliRunner().invoke(app, ["report", str(tmp_path / "absent")])
    assert bad.exit_code == 2 and "not a folder" in bad.output


@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="no /usr/bin/chromium: install it (apt-get install -y chromium) to check rendering",
)
def test_renders_in_headless_chromium(page: str, outdir: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    html_path = (outdir / "report.html").resolve()
    cmd = [
        shutil.which("chromium") or str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
        "--window-size=1280,4000", html_path.as_uri(),
    ]  # fmt: skip
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000
    from PIL import Image

    with Image.open(shot) as im:
        assert im.size == (1280, 4000)
        pixels = np.asarray(im.convert("L"))
    assert pixels.std() > 10  # not a blank page: header band, tables and figures
    assert (pixels[:60] < 80).mean() > 0.5  # the dark header band is drawn at the top


# --------------------------------------------------------------------------------------------
# Never a hang, never a crash, never over what it reads (issue 14)
# --------------------------------------------------------------------------------------------

FCSPACE = Path(__import__("sys").executable).with_name("fcspace")


def test_fifos_are_skipped_never_opened(tmp_path: Path) -> None:
    import os

    _png(tmp_path / "scat_fine.png", "fine")
    for name in ("quicklook.png", "report.json", "manifest.jsonl", "product.nc", "notice.xml"):
        os.mkfifo(tmp_path / name)
    (tmp_path / "dangling.png").symlink_to(tmp_path / "nowhere.png")
    # a real process with a timeout: a FIFO opened for reading would block it for ever
    proc = subprocess.run([str(FCSPACE), "report", str(tmp_path)], capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    warned = sorted(line.split(": ")[1] for line in proc.stderr.splitlines())
    assert warned == sorted(str(tmp_path / n) for n in (
        "dangling.png", "manifest.jsonl", "notice.xml", "product.nc", "quicklook.png",
        "report.json"))  # fmt: skip
    assert all("warning: " in line and "skipped" in line or "not readable" in line
               for line in proc.stderr.splitlines())  # fmt: skip
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Skipped (6)" in html and "not a regular file (FIFO)" in html
    assert html.count("data:image/png;base64,") == 1  # the one real PNG


def test_read_regular_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    import os

    from fcspace.report.readers import read_regular

    os.mkfifo(tmp_path / "p")
    with pytest.raises(OSError, match="not a regular file"):
        read_regular(tmp_path / "p", 100)
    (tmp_path / "big").write_bytes(b"x" * 101)
    with pytest.raises(OSError, match="larger than"):
        read_regular(tmp_path / "big", 100)


def test_deeply_nested_json_is_refused_not_a_crash(tmp_path: Path) -> None:
    from fcspace.report.readers import MAX_JSON_DEPTH, json_depth_ok, loads_bounded

    deep = "[" * 100_000 + "]" * 100_000  # json.loads: RecursionError
    (tmp_path / "report.json").write_text(f'{{"a": {deep}}}')
    (tmp_path / "notice.json").write_text(deep)
    (tmp_path / "manifest.jsonl").write_text(
        json.dumps({"task": "scat", "input": "/a", "status": "done"}) + "\n" + deep + "\n")
    text = build_html(tmp_path)
    assert f"report.json not readable: ValueError: JSON nested deeper than {MAX_JSON_DEPTH}" in text
    assert "not readable: ValueError: JSON nested deeper" in text  # the product line
    manifest = read_manifest(tmp_path / "manifest.jsonl")
    assert manifest.bad_lines == 1 and len(manifest.records) == 1
    ok = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert json_depth_ok(ok) and not json_depth_ok("[" + ok + "]")
    assert json_depth_ok('["' + "[" * 500 + '"]')  # brackets inside a string do not nest
    assert loads_bounded('{"a": "[[[[\\"]]"}') == {"a": '[[[["]]'}


def test_page_never_overwrites_what_it_reads(tmp_path: Path) -> None:
    (tmp_path / "report.json").write_text(json.dumps(REPORT))
    _manifest(tmp_path)
    _png(tmp_path / "scat_a.png", "a")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    for name in ("report.json", "manifest.jsonl", "scat_a.png"):
        with pytest.raises(InputError, match="refusing to overwrite"):
            write_report(tmp_path, tmp_path / name)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    first = write_report(tmp_path)  # the default DIR/report.html is not read: re-runs replace it
    assert write_report(tmp_path) == first == tmp_path / "report.html"
    other = write_report(tmp_path, tmp_path / "index.html")  # nor is any other .html file
    assert other.read_text(encoding="utf-8").count("<h2") >= 3


def test_successful_run_prints_nothing_on_stderr(tmp_path: Path) -> None:
    """A damaged product is listed as unreadable; no INFO traceback reaches stderr.

    (wavespectra's FUNWAVE writer calls ``logging.basicConfig(level="INFO")`` when xarray
    loads its backend entry point; the failing indicator reader then logged a traceback.)
    """
    ds = xr.Dataset({"x": ("t", np.arange(50.0))})
    ds.to_netcdf(tmp_path / "good.nc")
    data = bytearray((tmp_path / "good.nc").read_bytes())
    for i in range(2000, len(data), 300):
        data[i] ^= 0xFF
    (tmp_path / "flipped.nc").write_bytes(bytes(data))
    (tmp_path / "cut.nc").write_bytes(bytes(data[:700]))
    proc = subprocess.run([str(FCSPACE), "report", str(tmp_path)], capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert proc.stdout.strip() == str(tmp_path / "report.html")
