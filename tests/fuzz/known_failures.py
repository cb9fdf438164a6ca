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
        "silent_success: var:lon_nadir_l2 differs -- fcspace/cfosat/swim/io.py"),
    "swim.open_l2|swim_l2_fake|value_high": (
        "silent_success: var:time_spec_l2 differs -- fcspace/cfosat/swim/io.py"),
    "swim.open_l1|swim_l1_sim|value_high": (
        "silent_success: var:phi_vector differs -- fcspace/cfosat/swim/io.py"),
    "swim.open_l1|swim_l1_sim|value_low": (
        "silent_success: var:phi_vector differs -- fcspace/cfosat/swim/io.py"),
    "swim.open_l1|swim_l1_sim|value_inf": (
        "silent_success: var:lon_nadir_l2 differs -- fcspace/cfosat/swim/io.py"),
    "swim.open_l1|swim_l1_sim|time_far": (
        "silent_success: var:time_nadir_l2 differs -- fcspace/cfosat/swim/io.py"),
    "grid.open_l3|l3_grid_fake|var_removed": (
        "silent_success: attr:wind_speed.cell_methods missing from the result -- fcspace/cfosat/grid/io.py"),
    "grid.open_l3|l3_grid_fake|value_high": (
        "silent_success: var:wind_speed differs -- fcspace/cfosat/grid/io.py"),
    "grid.open_l3|l3_grid_fake|value_low": (
        "silent_success: var:northward_wind_std differs -- fcspace/cfosat/grid/io.py"),
    "grid.open_l3|l3_grid_fake|value_inf": (
        "silent_success: var:wind_speed differs -- fcspace/cfosat/grid/io.py"),
    "water.open_smos_l2_sm|smos_l2_real|var_removed": (
        "silent_success: attr:N_Sun_Glint_Area.fill_value_in_file missing from the result -- fcspace/watercycle/io.py"),
    "water.open_smos_l2_sm|smos_l2_real|attr_string": (
        "traceback: ValueError: could not convert string to float: np.str_('abc') [fcspace/core/netcdf.py:296] -- fcspace/core/netcdf.py:296"),
    "water.open_smos_l2_sm|smos_l2_real|scale_zero": (
        "silent_success: var:Chi_2 differs -- fcspace/watercycle/io.py"),
    "water.open_smos_l2_sm|smos_l2_real|value_high": (
        "silent_success: var:X_Swath differs -- fcspace/watercycle/io.py"),
    "water.open_smos_l2_sm|smos_l2_real|value_low": (
        "silent_success: var:HR_Cur_DQX differs -- fcspace/watercycle/io.py"),
    "water.open_smos_l2_sm|smos_l2_real|value_inf": (
        "silent_success: var:TTH_DQX differs -- fcspace/watercycle/io.py"),
    "water.open_smap_l2b_sss|smap_l2b_real|value_high": (
        "silent_success: var:smap_high_spd differs -- fcspace/watercycle/io.py"),
    "water.open_smap_l2b_sss|smap_l2b_real|value_low": (
        "silent_success: var:anc_swh differs -- fcspace/watercycle/io.py"),
    "water.open_smap_l2b_sss|smap_l2b_real|value_inf": (
        "silent_success: var:lon differs -- fcspace/watercycle/io.py"),
    "water.open_smap_l4_sm|smap_l4_real|value_high": (
        "silent_success: var:cell_column differs -- fcspace/watercycle/io.py"),
    "water.open_smap_l4_sm|smap_l4_real|value_low": (
        "silent_success: var:surface_temp_analysis differs -- fcspace/watercycle/io.py"),
    "water.open_smap_l4_sm|smap_l4_real|value_inf": (
        "silent_success: var:surface_temp_analysis differs -- fcspace/watercycle/io.py"),
    "water.open_water_product|water_vis_sim|var_removed": (
        "silent_success: attr:time_offset.units missing from the result -- fcspace/watercycle/io.py"),
    "water.open_water_product|water_vis_sim|value_high": (
        "silent_success: var:heading differs -- fcspace/watercycle/io.py"),
    "water.open_water_product|water_vis_sim|value_low": (
        "silent_success: var:vis_real differs -- fcspace/watercycle/io.py"),
    "water.open_water_product|water_vis_sim|value_inf": (
        "silent_success: var:lat differs -- fcspace/watercycle/io.py"),
    "water.open_water_product|water_l2_sim|var_removed": (
        "silent_success: var:lat missing from the result -- fcspace/watercycle/io.py"),
    "water.open_water_product|water_l2_sim|value_high": (
        "silent_success: var:lat differs -- fcspace/watercycle/io.py"),
    "water.open_water_product|water_l2_sim|value_low": (
        "silent_success: var:lon differs -- fcspace/watercycle/io.py"),
    "water.open_water_product|water_l2_sim|value_inf": (
        "silent_success: var:sss_sigma differs -- fcspace/watercycle/io.py"),
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
    "water info|smos_l2_real|value_high": (
        "silent_success: stdout.variables.N_ADF_Error.max. differs -- fcspace/watercycle/io.py (reader of the input), fcspace/watercycle/cli.py"),
    "water image|water_vis_sim|value_high": (
        "silent_success: product.var:reconstructed_tb. differs -- fcspace/watercycle/io.py (reader of the input), fcspace/watercycle/cli.py"),
    "report|report_json|fifo_png": (
        "traceback: exit 0 with a Traceback on stderr -- fcspace/report_cli.py + report/"),
}
