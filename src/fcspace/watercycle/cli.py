"""``fcspace water``: simulate visibilities, image them, retrieve SM/tau/SSS, validate, inspect."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from fcspace.core.cli import JSON_OPT, emit, fail
from fcspace.core.errors import FcspaceError
from fcspace.core.outputs import check_outputs

app = typer.Typer(no_args_is_help=True, add_completion=False)


def _scene(smap_l4: Path | None, seed: int, size: int) -> Any:
    from fcspace.watercycle.io import open_smap_l4_sm
    from fcspace.watercycle.simulate import scene_from_smap_l4, synthetic_scene

    if smap_l4 is None:
        return synthetic_scene(seed, n=size)
    return scene_from_smap_l4(open_smap_l4_sm(smap_l4), rows=slice(300, 300 + size),
                              cols=slice(640, 640 + size))  # fmt: skip


@app.command()
def simulate(
    out: Path = typer.Option(..., "--out", "-o", help="Visibilities NetCDF to write."),
    seed: int = typer.Option(0, help="Random seed (scene and noise)."),
    array: str = typer.Option("MIRAS", help="MIRAS or HR."),
    snapshots: int = typer.Option(12, help="Snapshots along track."),
    stride: int = typer.Option(10, help="Keep every stride-th 1.2 s snapshot."),
    size: int = typer.Option(32, help="Scene cells per side."),
    smap_l4: Path | None = typer.Option(None, help="SMAP L4_SM file as the scene."),
    noise: bool = typer.Option(True, help="Add receiver noise."),
    as_json: bool = JSON_OPT,
) -> None:
    """A pass of H/V visibilities over a scene (synthetic coast or SMAP L4), truth inside."""
    from fcspace.watercycle.io import write_water_product
    from fcspace.watercycle.simulate import Orbit, array_by_name, simulate_pass

    check_outputs([smap_l4], [out])
    try:
        scene = _scene(smap_l4, seed, size)
        arr = array_by_name(array)
        lat0 = float(scene["lat"].min()) - 6.0  # the FOV (ahead of nadir) reaches the scene
        ds = simulate_pass(scene, Orbit(lat0, float(scene["lon"].mean()), 0.0, stride),
                           snapshots, arr, rng=seed, noise=noise)  # fmt: skip
        write_water_product(ds, out)
    except FcspaceError as err:
        fail(err)
    emit({"output": str(out), "array": arr.name, "snapshots": snapshots,
          "visibilities": arr.n_visibilities, "cells": int(scene["land"].size),
          "land_cells": int(scene["land"].sum()), "seed": seed},
         as_json, "water simulate")  # fmt: skip


@app.command()
def image(
    vis: Path = typer.Argument(..., help="Visibilities NetCDF (fcspace water simulate)."),
    out: Path = typer.Option(..., "--out", "-o", help="TB images NetCDF to write."),
    as_json: bool = JSON_OPT,
) -> None:
    """Reconstructed TB images (xi, eta) of every snapshot and polarisation."""
    import numpy as np

    from fcspace.watercycle.io import open_water_product, write_water_product
    from fcspace.watercycle.retrieve import image_snapshots

    check_outputs([vis], [out])
    try:
        images = image_snapshots(open_water_product(vis))
        write_water_product(images, out)
    except FcspaceError as err:
        fail(err)
    tb = images["reconstructed_tb"].values
    emit({"output": str(out), "snapshots": int(images.sizes["snapshot"]),
          "grid": int(images.sizes["i"]), "alias_free_pixels": int(images["alias_free"].sum()),
          "tb_min": float(np.nanmin(tb)), "tb_max": float(np.nanmax(tb))},
         as_json, "water image")  # fmt: skip


@app.command()
def retrieve(
    vis: Path = typer.Argument(..., help="Visibilities NetCDF (fcspace water simulate)."),
    out: Path = typer.Option(..., "--out", "-o", help="L2 NetCDF to write."),
    as_json: bool = JSON_OPT,
) -> None:
    """Soil moisture, optical depth (land) and SSS (sea) per cell: a CF L2-like product."""
    import numpy as np

    from fcspace.watercycle.io import open_water_product, write_water_product
    from fcspace.watercycle.retrieve import retrieve_pass

    check_outputs([vis], [out])
    try:
        l2 = retrieve_pass(open_water_product(vis))
        write_water_product(l2, out)
    except FcspaceError as err:
        fail(err)
    emit({"output": str(out), "cells": int(l2["flags"].size),
          "retrieved_sm": int(np.isfinite(l2["soil_moisture"]).sum()),
          "retrieved_sss": int(np.isfinite(l2["sss"]).sum())},
         as_json, "water retrieve")  # fmt: skip


@app.command()
def validate(
    l2: Path = typer.Argument(..., help="L2 NetCDF (fcspace water retrieve)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Retrieved vs truth: N, bias, RMSE per variable, off the coast and on it."""
    from fcspace.watercycle.io import open_water_product
    from fcspace.watercycle.validate import validate_product

    try:
        scores = validate_product(open_water_product(l2))
    except FcspaceError as err:
        fail(err)
    emit(scores, as_json, "water validate")


@app.command()
def info(
    path: Path = typer.Argument(..., help="SMOS L2 SM, SMAP L2B SSS, SMAP L4 SM or water product."),
    as_json: bool = JSON_OPT,
) -> None:
    """The facts of any file the package reads: kind, sizes, variables and their ranges."""
    from fcspace.watercycle.fileinfo import file_facts

    try:
        facts = file_facts(path)
    except FcspaceError as err:
        fail(err)
    emit(facts, as_json, "water info")


@app.command()
def quicklook(
    path: Path = typer.Argument(..., help="TB images (water image) or L2 (water retrieve)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="PNG (default: beside input)."),
    as_json: bool = JSON_OPT,
) -> None:
    """PNG of a snapshot in (xi, eta) with the alias-free boundaries, or of retrieved maps."""
    from fcspace.core.errors import InputError
    from fcspace.watercycle.io import open_water_product
    from fcspace.watercycle.quicklook import product_figure, snapshot_figure

    target = out or path.with_suffix(".png")
    check_outputs([path], [target])
    try:
        ds = open_water_product(path)
        if "reconstructed_tb" in ds:
            snapshot_figure(ds, target)
        elif "soil_moisture" in ds:
            product_figure(ds, target)
        else:
            raise InputError("neither TB images nor an L2 product", path)
    except FcspaceError as err:
        fail(err)
    emit({"output": str(target)}, as_json, "water quicklook")
