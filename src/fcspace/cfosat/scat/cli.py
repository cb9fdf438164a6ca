"""``fcspace scat``: simulate, process, validate, inspect and plot CFOSat SCAT products."""

from __future__ import annotations

from pathlib import Path

import typer

from fcspace.core.cli import JSON_OPT, emit, fail, file_tasks, process_files
from fcspace.core.errors import FcspaceError
from fcspace.core.outputs import check_outputs

app = typer.Typer(no_args_is_help=True, add_completion=False)


@app.command()
def simulate(
    out: Path = typer.Option(..., "--out", "-o", help="L1B NetCDF file to write."),
    rows: int = typer.Option(500, help="Along-track rows (25 km each; 42 cells per row)."),
    scene: str = typer.Option("cyclone", help="cyclone | synoptic | l2b_background"),
    seed: int = typer.Option(0, help="Random seed (runs are reproducible)."),
    l2b: Path | None = typer.Option(None, help="Real L2B whose background is the truth."),
    start_lat: float = typer.Option(10.0, help="Latitude of the first row (ascending pass)."),
    start_lon: float = typer.Option(-130.0, help="Longitude of the first row (East Pacific)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Simulate an L1B orbit segment (truth wind, background, sigma0 views with Kp noise)."""
    from fcspace.cfosat.scat.io import write_l1b
    from fcspace.cfosat.scat.simulate import simulate_orbit_segment

    check_outputs([l2b], [out])
    extra = {"l2b_path": l2b} if l2b is not None else {}
    try:
        l1b = simulate_orbit_segment(rows, scene=scene, seed=seed, start_lat=start_lat,
                                     start_lon=start_lon, **extra)  # fmt: skip
        write_l1b(l1b, out)
    except FcspaceError as err:
        fail(err)
    n_views = int((l1b["sigma0"].notnull()).sum())
    emit({"output": str(out), "numrows": rows, "numcells": l1b.sizes["numcells"],
           "views": n_views, "scene": scene, "seed": seed}, as_json, "scat simulate")  # fmt: skip


@app.command()
def process(
    inputs: list[Path] = typer.Argument(..., help="L1B file(s)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="L2B file (one input)."),
    out_dir: Path | None = typer.Option(None, help="Folder of L2B files (many inputs)."),
    scheduler: str | None = typer.Option(None, help="dask scheduler address of a cluster."),
    workers: int | None = typer.Option(None, help="LocalCluster workers (default: cores)."),
    as_json: bool = JSON_OPT,
) -> None:
    """L1B → L2B: MLE inversion and 2DVAR ambiguity removal, one task per file."""
    from fcspace.cfosat.scat.process import l2b_name, process_file

    tasks = file_tasks(inputs, out, out_dir, l2b_name)
    options = {"scheduler": scheduler, "workers": workers, "as_json": as_json}
    process_files(process_file, tasks, options, "SCAT L1B→L2B", hide=("num_ambigs_histogram",))


@app.command()
def validate(
    product: Path = typer.Argument(..., help="L2B (or KNMI L2) product to score."),
    against: str = typer.Option(
        "truth", help="truth | background | PATH of another product on the same grid."
    ),
    as_json: bool = JSON_OPT,
) -> None:
    """Score selected winds against truth, the background, or another product."""
    from fcspace.cfosat.scat import validate as val
    from fcspace.cfosat.scat.io import open_product

    try:
        ds = open_product(product)
        if against == "truth":
            result = val.validate_against_truth(ds)
        elif against == "background":
            result = val.validate_against_background(ds)
        else:
            result = val.validate_against_product(ds, open_product(Path(against)))
    except FcspaceError as err:
        fail(err)
    emit({"product": str(product), "against": against} | result, as_json, "scat validate")


@app.command()
def info(
    path: Path = typer.Argument(..., help="SCAT L2B or KNMI L2 file."), as_json: bool = JSON_OPT
) -> None:
    """Counts, means and time range of a wind product."""
    from fcspace.cfosat.scat.io import l2b_summary, open_product

    try:
        result = {"path": str(path)} | l2b_summary(open_product(path))
    except FcspaceError as err:
        fail(err)
    emit(result, as_json, "scat info")


@app.command()
def quicklook(
    path: Path = typer.Argument(..., help="SCAT L2B or KNMI L2 file."),
    out: Path | None = typer.Option(None, "--out", "-o", help="PNG (default: beside input)."),
    stride: int = typer.Option(4, help="Draw one arrow every STRIDE cells."),
) -> None:
    """PNG map of the selected wind speed with direction arrows."""
    from fcspace.cfosat.scat.io import open_product
    from fcspace.core.plots import wind_map

    target = out or path.with_suffix(".png")
    check_outputs([path], [target])
    try:
        ds = open_product(path)
    except FcspaceError as err:
        fail(err)
    wind_map(ds["wvc_lon"].values, ds["wvc_lat"].values, ds["wind_speed_selection"].values,
             ds["wind_dir_selection"].values, target, title=path.name, stride=stride)  # fmt: skip
    typer.echo(str(target))


@app.command()
def reselect(
    path: Path = typer.Argument(..., help="L2B file with ambiguities and a background."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write the reselected L2B."),
    as_json: bool = JSON_OPT,
) -> None:
    """Run 2DVAR ambiguity removal again on a product; report agreement with its selection.

    Agreement: the fraction of cells with at least two ambiguities where 2DVAR picks the
    product's own selection, overall and per number of ambiguities (``selection_agreement``).
    """
    from fcspace.cfosat.scat.ambiguity import remove_ambiguities_with_report, selection_agreement
    from fcspace.cfosat.scat.io import open_l2b, write_l2b

    check_outputs([path], [out])
    try:
        ds = open_l2b(path)
        new, twodvar = remove_ambiguities_with_report(ds)
        n_ambigs = ds["num_ambigs"].values
        agree = selection_agreement(new["wvc_selection"].values, ds["wvc_selection"].values,
                                    n_ambigs)  # fmt: skip
        result = {"path": str(path), "cells_compared": int((n_ambigs >= 2).sum()),
                  "agreement": agree.pop("all"), "agreement_by_num_ambigs": agree,
                  "twodvar": twodvar}  # fmt: skip
        if out is not None:
            write_l2b(new, out)
    except FcspaceError as err:
        fail(err)
    emit(result, as_json, "scat reselect (2DVAR vs the product's own selection)")
