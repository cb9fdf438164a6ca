"""``fcspace swim``: simulate, process, validate, inspect and plot CFOSat SWIM products."""

from __future__ import annotations

from pathlib import Path

import typer

from fcspace.core.cli import JSON_OPT, emit, fail
from fcspace.core.errors import FcspaceError
from fcspace.core.report import dumps

app = typer.Typer(no_args_is_help=True, add_completion=False)


@app.command()
def simulate(
    out: Path = typer.Option(..., "--out", "-o", help="L1 NetCDF file to write."),
    boxes: int = typer.Option(40, help="Along-track L2 boxes (90 km each, two sides)."),
    scene: str = typer.Option("storm_swell", help="storm_swell"),
    seed: int = typer.Option(0, help="Random seed (runs are reproducible)."),
    start_lat: float = typer.Option(-30.0, help="Latitude of the first nadir point (ascending)."),
    start_lon: float = typer.Option(160.0, help="Longitude of the first nadir point."),
    as_json: bool = JSON_OPT,
) -> None:
    """Simulate an L1 orbit segment: nadir waveforms and 6/8/10° periodograms, with truth."""
    from fcspace.cfosat.swim.simulate import simulate_orbit_segment, write_l1

    try:
        l1 = simulate_orbit_segment(boxes, scene=scene, seed=seed, start_lat=start_lat,
                                    start_lon=start_lon)  # fmt: skip
        write_l1(l1, out)
    except FcspaceError as err:
        fail(err)
    emit({"output": str(out), "n_box": l1.sizes["n_box"],
          "waveforms": l1.sizes["n_nadir_native"], "beams": l1["beam_incidence"].values.tolist(),
          "scene": scene, "seed": seed}, as_json, "swim simulate")  # fmt: skip


def _l2_name(l1: Path) -> str:
    """Product name for an L1 file: its L1 tag turned into L2, else an ``_l2`` suffix."""
    for tag in ("L1", "l1"):
        if tag in l1.stem:
            return l1.stem.replace(tag, tag.replace("1", "2")) + ".nc"
    return f"{l1.stem}_l2.nc"


def _tasks(inputs: list[Path], out: Path | None, out_dir: Path | None) -> list[tuple[Path, Path]]:
    if len(inputs) == 1 and out is not None:
        return [(inputs[0], out)]
    if out_dir is None:
        raise typer.BadParameter("give --out for one input or --out-dir for several")
    return [(p, out_dir / _l2_name(p)) for p in inputs]


@app.command()
def process(
    inputs: list[Path] = typer.Argument(..., help="SWIM L1 file(s)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="L2 file (one input)."),
    out_dir: Path | None = typer.Option(None, help="Folder of L2 files (many inputs)."),
    scheduler: str | None = typer.Option(None, help="dask scheduler address of a cluster."),
    workers: int | None = typer.Option(None, help="LocalCluster workers (default: cores)."),
    as_json: bool = JSON_OPT,
) -> None:
    """L1 → L2: nadir retracking and averaging, spectra, partitions; one task per file."""
    from fcspace.cfosat.swim.process import process_file
    from fcspace.core.parallel import run_batch

    tasks = _tasks(inputs, out, out_dir)
    try:
        results = run_batch(process_file, tasks, scheduler=scheduler, n_workers=workers,
                            progress=not as_json, description="SWIM L1→L2")  # fmt: skip
    except FcspaceError as err:
        fail(err)
    if as_json:
        typer.echo(dumps(results[0] if len(results) == 1 else results))
        return
    for res in results:
        emit(res, False, "swim process")


@app.command()
def validate(
    product: Path = typer.Argument(..., help="Simulated SWIM L2 (with truth_*) to score."),
    spectrum: str = typer.Option("combined", help="combined | a beam incidence (6, 8, 10)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Score nadir SWH and spectra (SWH, peak wavelength, direction mod 180) against truth."""
    from fcspace.cfosat.swim.io import open_swim
    from fcspace.cfosat.swim.validate import validate_against_truth

    try:
        result = validate_against_truth(open_swim(product), spectrum)
    except FcspaceError as err:
        fail(err)
    emit({"product": str(product)} | result, as_json, "swim validate")


@app.command()
def info(
    path: Path = typer.Argument(..., help="SWIM L2P box or full L2 file."),
    as_json: bool = JSON_OPT,
) -> None:
    """Counts, nadir SWH, time and position ranges of a SWIM product."""
    from fcspace.cfosat.swim.io import l2_summary, open_swim

    try:
        result = {"path": str(path)} | l2_summary(open_swim(path))
    except FcspaceError as err:
        fail(err)
    emit(result, as_json, "swim info")


@app.command()
def quicklook(
    path: Path = typer.Argument(..., help="SWIM L2P box or full L2 file."),
    out: Path | None = typer.Option(None, "--out", "-o", help="PNG (default: beside input)."),
    box: int | None = typer.Option(None, help="Box to plot (default: largest nadir SWH)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Polar PNG of a box's 2-D spectrum with partitions, and an along-track nadir SWH PNG."""
    from fcspace.cfosat.swim.io import open_swim
    from fcspace.cfosat.swim.quicklook import quicklook as make

    target = out or path.with_suffix(".png")
    try:
        result = make(open_swim(path), target, box, title=path.name)
    except FcspaceError as err:
        fail(err)
    if as_json:
        typer.echo(dumps(result))
        return
    typer.echo(f"{result['spectrum_png']}\n{result['nadir_png']}")
