"""``fcspace swim``: simulate, process, validate, inspect and plot CFOSat SWIM products."""

from __future__ import annotations

from pathlib import Path

import typer

from fcspace.core.cli import JSON_OPT, emit, fail, file_tasks, level_name, process_files
from fcspace.core.errors import FcspaceError
from fcspace.core.outputs import check_outputs
from fcspace.core.report import dumps

app = typer.Typer(no_args_is_help=True, add_completion=False)


@app.command()
def simulate(
    out: Path = typer.Option(..., "--out", "-o", help="L1 NetCDF file to write."),
    boxes: int = typer.Option(40, help="Along-track L2 boxes (90 km each, two sides)."),
    scene: str = typer.Option("storm_swell", help="storm_swell"),
    seed: int = typer.Option(0, help="Random seed (runs are reproducible)."),
    start_lat: float = typer.Option(-50.0, help="Latitude of the first nadir point (ascending)."),
    start_lon: float = typer.Option(-120.0, help="Longitude of the first nadir point."),
    land: bool = typer.Option(True, "--land/--no-land",
                              help="Apply the land/sea mask (no ocean signal over land)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Simulate an L1 orbit segment: nadir waveforms and 6/8/10° periodograms, with truth."""
    from fcspace.cfosat.swim.io import write_l1
    from fcspace.cfosat.swim.simulate import simulate_orbit_segment

    check_outputs([], [out])
    try:
        l1 = simulate_orbit_segment(boxes, scene=scene, seed=seed, start_lat=start_lat,
                                    start_lon=start_lon, land=land)  # fmt: skip
        write_l1(l1, out)
    except FcspaceError as err:
        fail(err)
    emit({"output": str(out), "n_box": l1.sizes["n_box"],
          "waveforms": l1.sizes["n_nadir_native"], "beams": l1["beam_incidence"].values.tolist(),
          "scene": scene, "seed": seed}, as_json, "swim simulate")  # fmt: skip


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

    tasks = file_tasks(inputs, out, out_dir, lambda p: level_name(p, "L1", "L2"))
    options = {"scheduler": scheduler, "workers": workers, "as_json": as_json}
    process_files(process_file, tasks, options, "SWIM L1→L2")


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
    check_outputs([path], [target, target.with_name(f"{target.stem}_nadir_swh.png")])
    try:
        result = make(open_swim(path), target, box, title=path.name)
    except FcspaceError as err:
        fail(err)
    if as_json:
        typer.echo(dumps(result))
        return
    typer.echo(f"{result['spectrum_png']}\n{result['nadir_png']}")
