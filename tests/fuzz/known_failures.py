"""Fuzz cases that still fail, by case id, with what fails and the module at fault.

A record for the lead (issue 14): each is run as ``xfail(strict=True)``, so a fix makes it
XPASS and fails the suite until its line here is removed.
"""

# ruff: noqa: E501  (a generated record: one reason per case, kept on one line)
from __future__ import annotations

KNOWN: dict[str, str] = {
    "swim.open_l2p|swim_l2p_real|value_nan": (
        "silent_success: var:lon_nadir_l2 differs -- judged wrongly (S1): the mutation rewrites lon_nadir_l2 through netCDF4, whose least_significant_digit=3 attribute quantizes 104 other stored values in the file; the reader returns the file's values (the 3 NaN are masked)"),
    "report.read_manifest|manifest|flip_payload_0": (
        "silent_success: records.0.finished. differs -- fuzz_cases.py"),
    "report.read_manifest|manifest|flip_payload_1": (
        "silent_success: records.0.fcspace_version. differs -- fuzz_cases.py"),
    "water info|smos_l2_real|fill_only": (
        "silent_success: stdout.variables.N_RFI_X.max. differs -- fcspace/watercycle/io.py (reader of the input), fcspace/watercycle/cli.py"),
    "report|report_json|fifo_png": (
        "traceback: exit 0 with a Traceback on stderr -- fcspace/report_cli.py + report/"),
}
