"""Exceptions raised by fcspace.

Every error about data names the file (when there is one), the variable and what was
expected, so that a user running over years of archive can find the bad file at once.
"""

from __future__ import annotations

from os import PathLike


class FcspaceError(Exception):
    """Base class of every error that fcspace raises on purpose."""


class ConfigError(FcspaceError):
    """A setting, option or argument combination that cannot work."""


class InputError(FcspaceError, ValueError):
    """Bad input data: missing or unreadable file, wrong variables, out-of-range values.

    Parameters
    ----------
    message
        What is wrong and what was expected.
    path
        The file concerned, if any; it is put at the front of the message.
    variable
        The variable concerned, if any.
    """

    def __init__(
        self,
        message: str,
        path: str | PathLike[str] | None = None,
        variable: str | None = None,
    ) -> None:
        self.path = None if path is None else str(path)
        self.variable = variable
        where = []
        if self.path is not None:
            where.append(self.path)
        if variable is not None:
            where.append(f"variable {variable!r}")
        prefix = ": ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)
