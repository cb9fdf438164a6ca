"""Fuzz cases that still fail, by case id, with what fails and the module at fault.

A record for the lead (issue 14): each is run as ``xfail(strict=True)``, so a fix makes it
XPASS and fails the suite until its line here is removed.
"""

# ruff: noqa: E501  (a generated record: one reason per case, kept on one line)
from __future__ import annotations

KNOWN: dict[str, str] = {
    "water info|smos_l2_real|fill_only": (
        "silent_success: stdout.variables.N_RFI_X.max. differs -- undetectable: N_RFI_X is a count whose _FillValue 0 is also a genuine value (the real file holds five count variables that are 0 everywhere); the mutated file is a valid SMOS product, so no reader can tell (F2)"),
}
