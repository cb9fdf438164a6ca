"""ECLAIRs quick-look figures: the sky image with its error circle (matplotlib, imported lazily)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from fcspace.svom.eclairs.imaging import SkyImage
from fcspace.svom.eclairs.localize import Localisation

__all__ = ["plot_sky_image"]


def plot_sky_image(
    sky: SkyImage, path: str | os.PathLike[str], loc: Localisation | None = None
) -> Path:
    """PNG of the SNR map (tangent-plane degrees) with the 90 % error circle of ``loc``."""
    from fcspace.core.plots import new_figure, save_figure

    fig, ax = new_figure(figsize=(6.0, 5.2))
    half = (sky.shape[0] / 2) * np.degrees(sky.pitch_m / sky.height_m)
    im = ax.imshow(sky.snr, origin="lower", cmap="viridis", extent=(-half, half, -half, half))
    fig.colorbar(im, ax=ax, label="SNR")
    ax.set_xlabel("(180/pi) tan(theta) sin(phi)  [Z, deg]")
    ax.set_ylabel("(180/pi) tan(theta) cos(phi)  [Y, deg]")
    if loc is not None:
        _draw_circle(ax, sky, loc)
    return save_figure(fig, path)


def _draw_circle(ax: Any, sky: SkyImage, loc: Localisation) -> None:
    """Error circle of radius r90, stretched by 1 / cos^2(theta) onto the tangent plane."""
    from matplotlib.patches import Circle

    ty, tz = sky.tangent(loc.row, loc.col)
    r = np.degrees(np.radians(loc.err_radius_deg)) / np.cos(np.radians(loc.theta_deg)) ** 2
    deg = float(np.degrees(1.0))
    ax.add_patch(Circle((float(tz) * deg, float(ty) * deg), r, fill=False, color="red", lw=1.2))
    ax.set_title(f"theta {loc.theta_deg:.2f}, phi {loc.phi_deg:.2f} deg, SNR {loc.snr:.1f}")
