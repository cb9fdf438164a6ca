"""Mission-neutral building blocks: errors, product writing, statistics, geometry, parallelism.

Modules, one job each: :mod:`~fcspace.core.errors` (``FcspaceError`` > ``InputError``,
``ConfigError``), :mod:`~fcspace.core.products` (atomic writes, CF attributes, history),
:mod:`~fcspace.core.outputs` (output paths refused before any work: never over an input),
:mod:`~fcspace.core.netcdf` (NetCDF/HDF5 truncation checks and exact unpacking),
:mod:`~fcspace.core.validation` (rules per product: ranges, fills, dims; mask or refuse),
:mod:`~fcspace.core.stats` (bias, RMSE, scatter index, circular statistics, binned scores),
:mod:`~fcspace.core.geodesy` (great circles, destination point, bearings, local frames),
:mod:`~fcspace.core.orbit` (circular orbits: Kepler period, ground speed),
:mod:`~fcspace.core.parallel` and :mod:`~fcspace.core.manifest` (dask batches that resume),
:mod:`~fcspace.core.registry` (what each mission registers), :mod:`~fcspace.core.shared_data`
(where the real mission files are), :mod:`~fcspace.core.plots`, :mod:`~fcspace.core.report`
and :mod:`~fcspace.core.cli` (figures, JSON and tables, CLI pieces) and
:mod:`~fcspace.core.lazy` (the lazy re-exports of every package ``__init__``),
:mod:`~fcspace.core.landmask` (land/sea mask, coastlines), :mod:`~fcspace.core.zarr_store`
(Zarr stores, appends in time), :mod:`~fcspace.core.xarray_backend` (``engine="fcspace"``) and
:mod:`~fcspace.core.progress` (one live display per command). No module here
imports a mission package. Names are imported on first use (:func:`lazy_exports`).
"""

from fcspace.core.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        # errors
        "FcspaceError": "errors",
        "InputError": "errors",
        "ConfigError": "errors",
        # writing products
        "write_netcdf": "products",
        "write_atomic": "products",
        "atomic_path": "products",
        "cf_global_attrs": "products",
        "add_history": "products",
        # output paths checked before a command works (never over an input)
        "check_outputs": "outputs",
        "check_output_dirs": "outputs",
        # reading NetCDF safely
        "check_file": "netcdf",
        "read_guard": "netcdf",
        # validating what readers read and processors accept
        "VariableRule": "validation",
        "ProductRules": "validation",
        "apply_rules": "validation",
        "check_packing": "validation",
        "check_range": "validation",
        "masked_counts": "validation",
        # statistics
        "bias": "stats",
        "rmse": "stats",
        "std_diff": "stats",
        "scatter_index": "stats",
        "circular_diff": "stats",
        "circular_bias": "stats",
        "circular_rmse": "stats",
        "vector_rmse": "stats",
        "binned_statistic": "stats",
        # geometry on a sphere
        "destination_point": "geodesy",
        "great_circle_distance": "geodesy",
        "EARTH_MEAN_RADIUS_M": "geodesy",
        "EARTH_GM_M3_S2": "orbit",
        "circular_period_s": "orbit",
        "orbit": "orbit",
        "initial_bearing_deg": "geodesy",
        "enu_vectors": "geodesy",
        "equirectangular_xy": "geodesy",
        # batches
        "dask_client": "parallel",
        "map_completed": "parallel",
        "run_batch": "parallel",
        "Manifest": "manifest",
        # missions and data
        "Mission": "registry",
        "BatchTask": "registry",
        "missions": "registry",
        "shared_data_dir": "shared_data",
        "lazy_exports": "lazy",
        # coded-mask imaging
        "BalancedDecoder": "codedmask",
        # thread pools and minimisation
        "limited_threads": "threads",
        "thread_counts": "threads",
        "minimize_lbfgs": "lbfgs",
        "LbfgsResult": "lbfgs",
        # land/sea mask and coastlines
        "land_fraction": "landmask",
        "is_land": "landmask",
        "footprint_land_fraction": "landmask",
        "draw_coastlines": "landmask",
        # Zarr stores of gridded products
        "write_zarr": "zarr_store",
        "append_zarr": "zarr_store",
        "open_zarr": "zarr_store",
        "is_zarr_store": "zarr_store",
        # xarray backend (engine="fcspace") and product recognition
        "FcspaceBackendEntrypoint": "xarray_backend",
        "detect_product": "xarray_backend",
        "ProductReader": "registry",
        # progress on the terminal
        "progress_bar": "progress",
        # modules
        "errors": "errors",
        "products": "products",
        "netcdf": "netcdf",
        "validation": "validation",
        "stats": "stats",
        "geodesy": "geodesy",
        "parallel": "parallel",
        "manifest": "manifest",
        "registry": "registry",
        "shared_data": "shared_data",
        "plots": "plots",
        "codedmask": "codedmask",
        "landmask": "landmask",
        "zarr_store": "zarr_store",
        "xarray_backend": "xarray_backend",
        "progress": "progress",
    },
)
