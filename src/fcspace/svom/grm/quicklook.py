"""Quicklook light curves of GRM (or Fermi GBM) event lists, with triggers marked."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np


def plot_lightcurve(
    events: Any, triggers: list[dict[str, Any]], out: str | os.PathLike[str], bin_s: float = 0.256
) -> Path:
    """PNG light curve of each detector (all energies) with the triggers marked."""
    from fcspace.core.plots import new_figure, save_figure

    t = np.asarray(events["time"].values, float)
    trig = events.attrs.get("trigtime", np.nan)
    ref = float(trig) if np.isfinite(trig) else float(events["gti_start"].values.min())
    edges = np.arange(t.min(), t.max() + bin_s, bin_s)
    fig, ax = new_figure(figsize=(9, 4.5))
    for d, name in enumerate(events["detector_name"].values):
        rate, _ = np.histogram(t[events["detector"].values == d], edges)
        ax.step(edges[:-1] - ref, rate / bin_s, where="post", lw=0.8, label=str(name))
    for k, tr in enumerate(triggers):
        ax.axvline(tr["met"] - ref, color="red", ls="--", lw=1,
                   label="trigger" if k == 0 else None)  # fmt: skip
    ax.set_xlabel(f"time - {ref:.3f} MET (s)")
    ax.set_ylabel("counts s$^{-1}$ (all energies)")
    ax.set_title(f"{events.attrs.get('instrument', '')} {events.attrs.get('object', '')}".strip())
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return save_figure(fig, out)
