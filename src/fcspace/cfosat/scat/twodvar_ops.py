r"""2DVAR operators: :math:`B^{1/2}` in a truncated spectral control space, and the cost.

The background error covariance :math:`B` of the wind increment is built from stream
function :math:`\psi` and velocity potential :math:`\chi` with a homogeneous Gaussian
correlation (Vogelzang 2007, *Two-dimensional variational ambiguity removal (2DVAR)*,
NWP SAF report NWPSAF-KN-TR-004, sect. 2; de Vries, Stoffelen & Beysens 2005, *Ambiguity
removal and product monitoring for SeaWinds*, NWP SAF report NWPSAF-KN-TR-001). As in the
KNMI implementation the control variables are the Fourier coefficients of :math:`\psi` and
:math:`\chi` divided by the square root of their spectrum, so that :math:`J_b = \xi^T\xi`
(Vogelzang 2007, sect. 3: the transformation to spectral space and the control vector).

Only the Fourier modes whose Gaussian spectral amplitude :math:`G(k) = e^{-k^2L^2/4}` exceeds
``spectral_cutoff`` are control variables (about 12 % of the modes of the grid for
:math:`L` = 150 km and 25 km cells): the others add less than that fraction to any
increment, and since their gradient is :math:`2\xi`, a minimisation started at zero never
moves them. The map from the control vector to the kept half-spectrum is orthonormal, so
the minimiser's iterates are those of the grid-space control :math:`\delta x = B^{1/2}\xi`
(L-BFGS is invariant under orthogonal changes of variable; Nocedal & Wright 2006,
*Numerical Optimization*, sect. 7.2) with 8 times fewer unknowns, and the transforms skip the
columns of zero modes.

The observation cost is the ambiguity mixture of Stoffelen & Anderson (1997, Q. J. R.
Meteorol. Soc. 123, 491-518, eq. 7), evaluated with its gradient in one Numba loop over the
observed cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba as nb
import numpy as np
from numpy.typing import NDArray
from scipy import fft as sfft


class SpectralSqrtB:
    r""":math:`B^{1/2}`: control vector -> wind increment (2, ny, nx) on the padded grid.

    The control vector holds, for each kept wavevector :math:`k_j` (``kx > 0``, or
    ``kx = 0`` and ``ky > 0``), the real and imaginary parts of the white coefficients of
    :math:`\psi` and :math:`\chi`: ``xi = [Re psi, Im psi, Re chi, Im chi]``, each of the
    kept-mode length. A coefficient :math:`a + ib` stands for the grid field
    :math:`\sqrt{2/N}\,(a\cos k_j\cdot x - b\sin k_j\cdot x)`, orthonormal on the
    :math:`N = n_y n_x` grid, so white unit controls give the same covariance as white unit
    grid-point controls. The wind follows by spectral differentiation,
    :math:`u = -\partial_y\psi + \partial_x\chi`, :math:`v = \partial_x\psi + \partial_y\chi`,
    with :math:`\hat\psi = a_\psi G\hat\xi_\psi`, :math:`\hat\chi = \nu a_\psi G\hat\xi_\chi`
    and the amplitude set so that the mean variance of each wind component is
    ``background_error**2``.

    Parameters
    ----------
    shape
        Padded grid (ny, nx).
    cell_size, correlation_length, background_error, divergence_ratio
        As in :class:`fcspace.cfosat.scat.twodvar.TwoDVarSettings`.
    spectral_cutoff
        Smallest kept :math:`G(k)`.
    """

    def __init__(
        self,
        shape: tuple[int, int],
        cell_size: float,
        correlation_length: float,
        background_error: float,
        divergence_ratio: float,
        spectral_cutoff: float = 1e-6,
    ) -> None:
        ny, nx = shape
        self.shape = shape
        ky = 2 * np.pi * sfft.fftfreq(ny, d=cell_size)[:, None]
        kx = 2 * np.pi * sfft.rfftfreq(nx, d=cell_size)[None, :]
        g = np.exp(-(kx**2 + ky**2) * correlation_length**2 / 4.0)
        iy_all = np.arange(ny)[:, None]
        half = (kx > 0) | ((kx == 0) & (iy_all > 0) & (iy_all < (ny + 1) // 2))
        keep = half & (g > spectral_cutoff)
        if nx % 2 == 0:
            keep[:, -1] = False  # Nyquist column: its own conjugate
        if ny % 2 == 0:
            keep[ny // 2, :] = False
        self.iy, self.ix = np.nonzero(keep)
        self.ncol = int(self.ix.max(initial=0)) + 1
        self.dc = np.nonzero(self.ix == 0)[0]
        self.dc_mirror = (ny - self.iy[self.dc]) % ny
        var = _unit_variance(shape, cell_size, correlation_length) * (1 + divergence_ratio**2)
        amp = background_error / np.sqrt(var)
        gk = g[self.iy, self.ix]
        kyk = np.broadcast_to(ky, g.shape)[self.iy, self.ix]
        kxk = np.broadcast_to(kx, g.shape)[self.iy, self.ix]
        gp, gc = amp * gk, amp * divergence_ratio * gk
        # rows: u, v; columns: psi, chi
        self.m = np.array([[-1j * kyk * gp, 1j * kxk * gc], [1j * kxk * gp, 1j * kyk * gc]])
        self.norm = np.sqrt(ny * nx / 2.0)
        self.size = 4 * self.iy.size
        self.set_window(0, ny, 0, nx)

    def set_window(self, r0: int, r1: int, c0: int, c1: int) -> None:
        r"""Restrict :meth:`forward` and :meth:`adjoint` to rows r0:r1, columns c0:c1.

        The transform along x over the kept columns is then a small real matrix product
        (:math:`\cos, \sin k_x x` on the window's columns only), the one along y an FFT.
        """
        ny, nx = self.shape
        self.window = (r0, r1, c0, c1)
        kx = 2 * np.pi * np.arange(self.ncol) / nx
        arg = np.outer(np.arange(c0, c1), kx)  # (wc, ncol)
        weight = np.where(np.arange(self.ncol) == 0, 1.0, 2.0) / nx
        # field(x) = sum_k weight_k (Re T_k cos kx - Im T_k sin kx); spectrum = sum_x g e^{-ikx}
        self._synth = np.ascontiguousarray(
            np.hstack([weight * np.cos(arg), -weight * np.sin(arg)])
        )
        self._analys = np.ascontiguousarray(np.vstack([np.cos(arg).T, -np.sin(arg).T]))
        self._spec_index = self.ix * ny + self.iy
        self._mirror_index = self.dc_mirror  # column 0: flat index = row

    def forward(self, xi: NDArray) -> NDArray:
        """Control vector (``size``,) -> wind increment (2, rows, cols) = (du, dv) on the window."""
        return np.swapaxes(self.forward_t(xi), 1, 2)

    def adjoint(self, grad: NDArray) -> NDArray:
        """Adjoint of :meth:`forward`: gradient (2, rows, cols) w.r.t. wind -> w.r.t. control."""
        return self.adjoint_t(np.ascontiguousarray(np.swapaxes(grad, 1, 2)))

    def forward_t(self, xi: NDArray) -> NDArray:
        """:meth:`forward` in column-major window layout: (2, cols, rows)."""
        n = self.iy.size
        ny = self.shape[0]
        z = (xi[0:n] + 1j * xi[n : 2 * n], xi[2 * n : 3 * n] + 1j * xi[3 * n :])
        spec = np.zeros((2, self.ncol * ny), dtype=complex)
        for c in range(2):
            coef = self.norm * (self.m[c, 0] * z[0] + self.m[c, 1] * z[1])
            spec[c, self._spec_index] = coef
            spec[c, self._mirror_index] = np.conj(coef[self.dc])
        r0, r1 = self.window[:2]
        rows = sfft.ifft(spec.reshape(2, self.ncol, ny), axis=2, workers=1)[:, :, r0:r1]
        return self._synth @ np.concatenate([rows.real, rows.imag], axis=1)

    def adjoint_t(self, grad_t: NDArray) -> NDArray:
        """:meth:`adjoint` in column-major window layout: ``grad_t`` is (2, cols, rows)."""
        r0, r1 = self.window[:2]
        ny = self.shape[0]
        part = self._analys @ grad_t  # (2, 2 ncol, rows): real and imaginary parts
        spec = np.zeros((2, self.ncol, ny), dtype=complex)
        spec[:, :, r0:r1] = part[:, : self.ncol] + 1j * part[:, self.ncol :]
        spec = sfft.fft(spec, axis=2, workers=1).reshape(2, -1)[:, self._spec_index]
        scale = 1.0 / self.norm
        out = []
        for c in range(2):  # control field: psi, chi
            z = scale * (np.conj(self.m[0, c]) * spec[0] + np.conj(self.m[1, c]) * spec[1])
            out += [z.real, z.imag]
        return np.concatenate(out)


def _unit_variance(shape: tuple[int, int], cell_size: float, length: float) -> float:
    """Mean variance of one wind component for a unit-amplitude, white stream function."""
    ny, nx = shape
    ky = 2 * np.pi * sfft.fftfreq(ny, d=cell_size)[:, None]
    kx = 2 * np.pi * sfft.fftfreq(nx, d=cell_size)[None, :]
    k2 = kx**2 + ky**2
    g2 = np.exp(-k2 * length**2 / 2.0)
    return float(np.sum(k2 * g2) / (ny * nx) / 2.0)


@dataclass
class Observations:
    """Ambiguities at the observed cells: column-major flat window indices, valid ones first.

    ``ua, va, logp`` are (cells, ambiguities) with the ``count`` valid ambiguities of each
    cell first; ``ub, vb`` the background at the cells; ``eps2`` the observation error
    variance of the current pass.
    """

    flat_index: NDArray
    ua: NDArray
    va: NDArray
    logp: NDArray
    count: NDArray
    ub: NDArray
    vb: NDArray
    eps2: float


@nb.njit(cache=True)
def _mixture_kernel(du, dv, ua, va, logp, count, ub, vb, eps2, gu, gv):  # pragma: no cover
    """Mixture cost summed over cells; writes its gradient on (du, dv) into ``gu, gv``."""
    m, na = ua.shape
    half = 0.5 / eps2
    total = 0.0
    a = np.empty(na)
    for j in range(m):
        u = ub[j] + du[j]
        v = vb[j] + dv[j]
        top = -np.inf
        for i in range(count[j]):
            ru = u - ua[j, i]
            rv = v - va[j, i]
            a[i] = logp[j, i] - half * (ru * ru + rv * rv)
            top = max(top, a[i])
        s = 0.0
        su = 0.0
        sv = 0.0
        for i in range(count[j]):
            x = a[i] - top
            if x < -40.0:  # e < 5e-18: below the rounding of s >= 1
                continue
            e = np.exp(x) if x < 0.0 else 1.0
            s += e
            su += e * (u - ua[j, i])
            sv += e * (v - va[j, i])
        total += top + np.log(s)
        gu[j] = 2.0 * su / (s * eps2)
        gv[j] = 2.0 * sv / (s * eps2)
    return -2.0 * total


def observation_cost(du: NDArray, dv: NDArray, obs: Observations) -> tuple[float, NDArray, NDArray]:
    r"""Ambiguity-mixture cost :math:`J_o` summed over cells, and its gradient on (du, dv).

    .. math::
        J_o = -2 \ln \sum_i p_i \exp(-\tfrac12 d_i^2), \quad
        d_i^2 = ((u-u_i)^2 + (v-v_i)^2) / \varepsilon_o^2, \quad
        \partial J_o / \partial u = 2 \sum_i w_i (u - u_i) / \varepsilon_o^2,

    with :math:`w_i` the posterior weights :math:`p_i e^{-d_i^2/2} / \sum_j p_j
    e^{-d_j^2/2}` (Stoffelen & Anderson 1997, eq. 7; Vogelzang 2007, sect. 3), the sum
    taken in log-sum-exp form over the valid ambiguities of each cell.
    """
    gu = np.empty_like(du)
    gv = np.empty_like(dv)
    cost = _mixture_kernel(
        du, dv, obs.ua, obs.va, obs.logp, obs.count, obs.ub, obs.vb, obs.eps2, gu, gv
    )
    return float(cost), gu, gv


def cost_and_gradient(
    xi: NDArray, sqrt_b: SpectralSqrtB, obs: Observations
) -> tuple[float, NDArray]:
    r""":math:`J = \xi^T\xi + \sum J_o` and its gradient with respect to :math:`\xi`.

    The increment is evaluated on the window of :class:`SpectralSqrtB` that holds the
    observations (``obs.flat_index`` indexes that window column-major: ``col * rows + row``).
    """
    inc = sqrt_b.forward_t(xi)
    wshape = inc.shape
    inc = inc.reshape(2, -1)
    du, dv = inc[0].take(obs.flat_index), inc[1].take(obs.flat_index)
    jo, gu, gv = observation_cost(du, dv, obs)
    grad_inc = np.zeros_like(inc)
    grad_inc[0, obs.flat_index] = gu
    grad_inc[1, obs.flat_index] = gv
    grad = 2.0 * xi + sqrt_b.adjoint_t(grad_inc.reshape(wshape))
    return float(xi @ xi) + jo, grad
