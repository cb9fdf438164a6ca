"""Fuzz cases that still fail, by case id, with what fails and the module at fault.

A record for the lead (issue 14): each is run as ``xfail(strict=True)``, so a fix makes it
XPASS and fails the suite until its line here is removed.
"""

# ruff: noqa: E501  (a generated record: one reason per case, kept on one line)
from __future__ import annotations

KNOWN: dict[str, str] = {
    "scat.open_l2b|scat_l2b_real|flip_payload_0": (
        "silent_success: var:wvc_lat differs -- fcspace/cfosat/scat/io.py"),
    "scat.open_l2b|scat_l2b_real|flip_payload_1": (
        "silent_success: var:wvc_lat differs -- fcspace/cfosat/scat/io.py"),
    "scat.open_l2b|scat_l2b_fake|var_removed": (
        "silent_success: attr:model_dir.long_name missing from the result -- fcspace/cfosat/scat/io.py"),
    "scat.open_l2b|scat_l2b_fake|fill_only": (
        "silent_success: var:num_ambigs differs -- fcspace/cfosat/scat/io.py"),
    "scat.open_l2b|scat_l2b_fake|value_inf": (
        "silent_success: var:normalised_mle differs -- fcspace/cfosat/scat/io.py"),
    "scat.open_l2b|scat_l2b_fake|time_far": (
        "silent_success: var:row_time differs -- fcspace/cfosat/scat/io.py"),
    "scat.open_knmi_l2|ascat_l2_real|flip_payload_0": (
        "silent_success: var:wvc_lon differs -- fcspace/cfosat/scat/io.py"),
    "scat.open_knmi_l2|ascat_l2_real|flip_payload_1": (
        "silent_success: var:wvc_index differs -- fcspace/cfosat/scat/io.py"),
    "scat.open_knmi_l2|ascat_l2_real|var_removed": (
        "silent_success: attr:model_speed.long_name missing from the result -- fcspace/cfosat/scat/io.py"),
    "scat.open_knmi_l2|ascat_l2_real|fill_only": (
        "silent_success: var:wvc_index differs -- fcspace/cfosat/scat/io.py"),
    "scat.open_l1b|scat_l1b_sim|time_far": (
        "silent_success: var:row_time differs -- fcspace/cfosat/scat/io.py"),
    "scat.read_l2b_background|scat_l2b_real|fill_only": (
        "unnamed_error: InputError: variable 'model_speed': the background wind field has no valid value [fcspace/cfosat/scat/scenes.py:239] -- fcspace/cfosat/scat/scenes.py:239"),
    "scat.read_l2b_background|scat_l2b_real|value_high": (
        "silent_success: wvc_lon. differs -- fcspace/cfosat/scat/io.py"),
    "swim.open_l2p|swim_l2p_real|value_nan": (
        "silent_success: var:lon_nadir_l2 differs -- judged wrongly (S1): the mutation rewrites lon_nadir_l2 through netCDF4, whose least_significant_digit=3 attribute quantizes 104 other stored values in the file; the reader returns the file's values (the 3 NaN are masked)"),
    "grid.open_l3|l3_grid_fake|var_removed": (
        "silent_success: attr:wind_speed.cell_methods missing from the result -- fcspace/cfosat/grid/io.py"),
    "grid.open_l3|l3_grid_fake|value_high": (
        "silent_success: var:wind_speed differs -- fcspace/cfosat/grid/io.py"),
    "grid.open_l3|l3_grid_fake|value_low": (
        "silent_success: var:northward_wind_std differs -- fcspace/cfosat/grid/io.py"),
    "grid.open_l3|l3_grid_fake|value_inf": (
        "silent_success: var:wind_speed differs -- fcspace/cfosat/grid/io.py"),
    "report.read_manifest|manifest|flip_payload_0": (
        "silent_success: records.0.finished. differs -- fuzz_cases.py"),
    "report.read_manifest|manifest|flip_payload_1": (
        "silent_success: records.0.fcspace_version. differs -- fuzz_cases.py"),
    "scat process|scat_l1b_sim|fill_only": (
        "silent_success: product.var:num_ambigs. differs -- fcspace/cfosat/scat/io.py (reader of the input), fcspace/cfosat/scat/cli.py"),
    "sco grid|scat_l2b_fake|value_high": (
        "silent_success: product.var:eastward_wind. differs -- fcspace/cfosat/scat/io.py (reader of the input), fcspace/sco/cli.py"),
    "water info|smos_l2_real|fill_only": (
        "silent_success: stdout.variables.N_RFI_X.max. differs -- fcspace/watercycle/io.py (reader of the input), fcspace/watercycle/cli.py"),
    "report|report_json|fifo_png": (
        "traceback: exit 0 with a Traceback on stderr -- fcspace/report_cli.py + report/"),
}
