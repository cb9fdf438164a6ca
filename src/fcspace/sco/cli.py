"""``fcspace sco``: simulate an L2 archive, grid it to L3, compute climate indicators."""

from __future__ import annotations

from pathlib import Path

import typer

from fcspace.core.cli import JSON_OPT, emit, fail
from fcspace.core.errors import FcspaceError
from fcspace.core.outputs import check_output_dirs, check_outputs

app = typer.Typer(no_args_is_help=True, add_completion=False)


@app.command("simulate-archive")
def simulate_archive(
    days: int = typer.Option(..., "--days", help="Days of archive to simulate."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the L2 files."),
    start: str = typer.Option("2021-01-01", help="First day (UTC)."),
    seed: int = typer.Option(0, help="Random seed (runs are reproducible)."),
    orbits_per_day: int | None = typer.Option(None, help="Revolutions kept a day (all: ~15)."),
    row_step: int = typer.Option(1, help="Keep one SCAT row in ROW_STEP (reduced sampling)."),
    box_step: int = typer.Option(1, help="Keep one SWIM box in BOX_STEP."),
    day_step: int = typer.Option(1, help="Simulate one day in DAY_STEP."),
    wind_trend: float = typer.Option(0.0, help="Prescribed wind speed trend (m/s per year)."),
    swh_trend: float = typer.Option(0.0, help="Prescribed SWH trend (m per year)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Write SCAT L2B and SWIM L2 files of a known climate (seasonal cycle, trend, weather)."""
    from fcspace.sco.archive import ArchiveConfig
    from fcspace.sco.archive import simulate_archive as simulate
    from fcspace.sco.climate import Climate

    check_output_dirs([out])
    try:
        cfg = ArchiveConfig(
            days=days,
            start=start,
            seed=seed,
            orbits_per_day=orbits_per_day,
            row_step=row_step,
            box_step=box_step,
            day_step=day_step,
        )
        climate = Climate(epoch=start, wind_trend=wind_trend, swh_trend=swh_trend)
        from fcspace.core.progress import progress_bar
        from fcspace.sco.archive import orbit_starts

        n_revs = sum(1 for _ in orbit_starts(cfg))
        with progress_bar(not as_json, "revolutions simulated", total=n_revs) as update:
            paths = simulate(out, cfg, climate, progress=update)
    except FcspaceError as err:
        fail(err)
    n_scat = sum("SCAT" in p.name for p in paths)
    emit(
        {
            "output": str(out),
            "files": len(paths),
            "scat_files": n_scat,
            "swim_files": len(paths) - n_scat,
            "days": days,
            "seed": seed,
        },
        as_json,
        "sco simulate-archive",
    )


@app.command()
def grid(
    inputs: list[Path] = typer.Argument(..., help="SCAT L2B and/or SWIM L2 files."),
    out: Path = typer.Option(..., "--out", "-o", help="L3 NetCDF file to write."),
    res: float = typer.Option(0.5, "--res", help="Grid resolution: 0.25, 0.5 or 1 degree."),
    period: str = typer.Option("daily", "--period", help="daily | monthly"),
    passes: bool = typer.Option(False, "--passes", help="Keep ascending/descending apart."),
    fmt: str = typer.Option("netcdf", "--format", help="netcdf | zarr (store chunked by period)."),
    append: bool = typer.Option(False, "--append", help="Zarr: append the periods to the store."),
    scheduler: str | None = typer.Option(None, help="dask scheduler address of a cluster."),
    workers: int | None = typer.Option(None, help="LocalCluster workers (binning in parallel)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Grid L2 files into daily or monthly L3 means, standard deviations and counts."""
    from fcspace.cfosat.grid import RESOLUTIONS, GridSpec, grid_files, write_l3
    from fcspace.core.parallel import dask_client

    if res not in RESOLUTIONS:
        raise typer.BadParameter(f"--res must be one of {RESOLUTIONS}")
    if period not in ("daily", "monthly"):
        raise typer.BadParameter("--period must be daily or monthly")
    if fmt not in ("netcdf", "zarr") or (append and fmt != "zarr"):
        raise typer.BadParameter("--format must be netcdf or zarr; --append needs --format zarr")
    spec = GridSpec(res)
    if fmt == "zarr":  # a store is a folder: written (or appended to) as one
        check_outputs(inputs, [])
        check_output_dirs([out])
    else:
        check_outputs(inputs, [out])
    try:
        n_tasks = len(inputs) if (workers or scheduler) else 1
        with dask_client(n_tasks, scheduler, workers) as client:
            periods = grid_files(inputs, spec, period, passes, client=client)  # type: ignore[arg-type]
            if fmt == "zarr":
                from fcspace.cfosat.grid.zarr_l3 import write_l3_zarr

                write_l3_zarr(periods, out, spec, period, len(inputs), append)  # type: ignore[arg-type]
            else:
                write_l3(periods, out, spec, period, len(inputs))  # type: ignore[arg-type]
    except FcspaceError as err:
        fail(err)
    emit(
        {"output": str(out), "inputs": len(inputs), "res": res, "period": period, "passes": passes,
         "format": fmt, "append": append},  # fmt: skip
        as_json,
        "sco grid",
    )


@app.command()
def indicators(
    inputs: list[Path] = typer.Argument(..., help="L3 files (fcspace sco grid)."),
    out: Path = typer.Option(..., "--out", "-o", help="Indicator NetCDF file to write."),
    variables: str = typer.Option("wind_speed,nadir_swh", help="Comma-separated L3 variables."),
    alpha: float = typer.Option(0.05, help="Significance level of the trends."),
    hamed_rao: bool = typer.Option(False, help="Hamed & Rao autocorrelation correction."),
    min_count: int = typer.Option(10, help="Valid periods needed for percentiles."),
    png_dir: Path | None = typer.Option(None, help="Folder for quicklook PNG maps."),
    lat_chunk: int = typer.Option(20, help="Latitude rows per dask chunk (bounds memory)."),
    fmt: str = typer.Option("netcdf", "--format", help="netcdf | zarr."),
    as_json: bool = JSON_OPT,
) -> None:
    """Climatology, percentiles, exceedance frequencies and trends (Theil-Sen, Mann-Kendall)."""
    from fcspace.cfosat.grid import open_l3
    from fcspace.sco import indicators as ind
    from fcspace.sco.io import open_indicators, write_indicators

    names = [v.strip() for v in variables.split(",") if v.strip()]
    kinds = ("trend", "p90", "exceedance")  # the maps of ind.quicklooks
    maps = [png_dir / f"{v}_{k}.png" for v in names for k in kinds] if png_dir else []
    if fmt not in ("netcdf", "zarr"):
        raise typer.BadParameter("--format must be netcdf or zarr")
    check_output_dirs([png_dir, out if fmt == "zarr" else None])
    check_outputs(inputs, [out, *maps] if fmt == "netcdf" else maps)
    try:
        ds = open_l3(inputs).chunk({"lat": lat_chunk})
        result = ind.compute_indicators(
            ds,
            names,
            alpha=alpha,
            hamed_rao=hamed_rao,
            min_count=min_count,
        )
        write_indicators(result, out, fmt)
        written = open_indicators(out)
        pngs = ind.quicklooks(written, png_dir) if png_dir is not None else []
        report = {
            "output": str(out),
            "inputs": len(inputs),
            **ind.summary(written),
            "quicklooks": [str(p) for p in pngs],
        }
        written.close()
    except FcspaceError as err:
        fail(err)
    emit(report, as_json, "sco indicators")
