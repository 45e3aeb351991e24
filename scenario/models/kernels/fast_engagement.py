r"""Air and missile defence engagements: the fast kernel, vectorised over replications.

The mechanism is the one of :mod:`scenario.models.kernels.engagement` (detection, fire
units tried in order, looks of a salvo of :math:`k` interceptors with single-shot kill
probability :math:`p`, :math:`P(\text{leak}) = (1-q)^L` with :math:`q = 1-(1-p)^k`).

This kernel evaluates the same mechanism in expectation, vectorised over
replications: threats per class :math:`N_c \sim \text{Poisson}(\lambda_c)`, channel
blocking by Erlang-B :math:`B(c, a)` with offered load :math:`a = \Lambda\,h\,E[\text{looks}]`
(:math:`\Lambda` the arrival rate during the raid window), a magazine factor
:math:`\phi = \min(1, M / \text{demand})`, and leakers
:math:`\sim \text{Binomial}(N_c, P_{\text{leak},c})`. It is exact when channels and
magazines do not bind, matches the discrete-event means when raids are long against the
engagement time (Erlang-B steady state) or when salvo doctrine meets a finite magazine, and
is an approximation otherwise (overflow traffic is treated as Poisson).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scenario.models.kernels.queueing import erlang_b

__all__ = ["FastUnit", "fast_day", "fast_unit", "leak_stats"]


def leak_stats(pk: np.ndarray, salvo: int, looks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(leak | engaged) and E[looks | engaged] for per-look kill probability from ``pk``."""
    q = 1.0 - (1.0 - pk) ** salvo
    leak = (1.0 - q) ** looks
    with np.errstate(divide="ignore", invalid="ignore"):
        e_looks = np.where(q > 0, (1.0 - leak) / np.where(q > 0, q, 1.0), looks)
    return leak, e_looks


@dataclass(frozen=True)
class FastUnit:
    """A fire unit prepared for the fast kernel (arrays over replications).

    Build with :func:`fast_unit`; ``eligible``, ``leak``, ``kill`` (``1 - leak``, kept
    with the unit so the daily step does not recompute it), ``e_looks`` and ``hold`` have
    shape ``(n, 4)``, ``channels`` shape ``(n,)``.
    """

    eligible: np.ndarray
    leak: np.ndarray
    kill: np.ndarray
    e_looks: np.ndarray
    hold: np.ndarray
    channels: np.ndarray
    salvo: int
    any_active: bool


def fast_unit(
    active: np.ndarray,
    channels: np.ndarray,
    look_time: np.ndarray,
    salvo: int,
    looks: int,
    pk: np.ndarray,
    warning: np.ndarray,
) -> FastUnit:
    """Per-class engagement statistics of a unit: looks that fit the warning time,
    P(leak | engaged), E[looks | engaged] and channel holding time."""
    L = np.minimum(looks, np.floor(warning / look_time[:, None]))
    eligible = (pk > 0) & (L >= 1) & active[:, None]
    leak, e_looks = leak_stats(pk, salvo, L)
    return FastUnit(
        eligible=eligible.astype(np.float64),
        leak=leak,
        kill=1.0 - leak,
        e_looks=e_looks,
        hold=look_time[:, None] * e_looks,
        channels=np.asarray(channels),
        salvo=salvo,
        any_active=bool(eligible.any()),
    )


def fast_day(
    threats: np.ndarray,
    units: Sequence[FastUnit],
    ready: Sequence[np.ndarray],
    *,
    p_detect: np.ndarray,
    window: np.ndarray | float,
    rng: np.random.Generator,
    rate: np.ndarray | None = None,
    cache: dict[int, tuple[np.ndarray, np.ndarray]] | None = None,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """One period of the fast kernel, vectorised over replications.

    Parameters
    ----------
    threats : array (n, 4)
        Threats per class this period (realised).
    units : sequence of FastUnit
        Fire units in the order they are tried (:func:`fast_unit`).
    ready : sequence of arrays (n,)
        Ready interceptors per unit.
    p_detect : array (n,)
        Detection probability.
    window : float or array (n,)
        Seconds over which the period's threats arrive (raid window).
    rng : numpy.random.Generator
    rate : array (n, 4), optional
        Expected threats per class this period; the Erlang-B offered load uses it (a rate,
        as in the steady-state formula). Defaults to ``threats``.
    cache : dict, optional
        Reuses each unit's blocking while its offered rate is unchanged (pass the same dict
        every period).

    Returns
    -------
    leakers : array (n, 4)
        Binomial leakers per class.
    used : list of arrays (n,)
        Expected interceptors used per unit (capped by the ready magazine).
    """
    n = threats.shape[0]
    remaining = np.ones((n, 4))  # P(threat reaches this unit unengaged | detected)
    p_kill_total = np.zeros((n, 4))
    used: list[np.ndarray] = []
    pd = p_detect[:, None]
    expected = threats if rate is None else rate
    for ui, (unit, mag) in enumerate(zip(units, ready, strict=True)):
        if not unit.any_active:
            used.append(np.zeros(n))
            continue
        reach = pd * remaining * unit.eligible  # P(offered to this unit)
        offered_rate = expected * reach
        hit = cache.get(ui) if cache is not None else None
        if hit is not None and np.array_equal(hit[0], offered_rate):
            free = hit[1]
        else:
            load = (offered_rate * unit.hold).sum(axis=1) / window
            free = 1.0 - erlang_b(unit.channels, load)
            if cache is not None:
                cache[ui] = (offered_rate, free)
        demand = (threats * reach * unit.e_looks).sum(axis=1) * free * unit.salvo
        phi = np.minimum(1.0, mag / np.maximum(demand, 1e-9))
        engage = unit.eligible * (free * phi)[:, None]
        p_eng = remaining * engage
        p_eng *= unit.kill
        p_kill_total += p_eng
        remaining = remaining * (1.0 - engage)
        used.append(np.minimum(demand * phi, mag))
    p_leak = np.clip(1.0 - pd * p_kill_total, 0.0, 1.0)
    leakers = rng.binomial(threats.astype(np.int64), p_leak).astype(np.float64)
    return leakers, used
