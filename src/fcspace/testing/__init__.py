"""Public test helpers for fcspace and for code built on it.

- :mod:`~fcspace.testing.data`: where the real instrument files live (``../shared/data`` or
  ``$FCSPACE_SHARED_DATA``), with a pytest skip when they are absent.
"""

from fcspace.testing.data import ENV_VAR, require_shared, shared_data_dir, shared_file

__all__ = ["ENV_VAR", "require_shared", "shared_data_dir", "shared_file"]
