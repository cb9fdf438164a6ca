"""Fuzz cases that still fail, by case id, with what fails and the module at fault.

A record for the lead (issue 14): each is run as ``xfail(strict=True)``, so a fix makes it
XPASS and fails the suite until its line here is removed.
"""

from __future__ import annotations

KNOWN: dict[str, str] = {}
