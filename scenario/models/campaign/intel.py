r"""Intelligence: the kill chain as sequential stages, and what BICES changes.

Kill-chain latency is the sum of :math:`K` sequential stages (detect, identify, decide,
engage), stage :math:`i` exponential with mean :math:`m_i` minutes, so the latency is
hypoexponential (Erlang when all means are equal: :math:`L \sim \text{Gamma}(K, m)`). A target
stays where it was seen for an exponential dwell time with mean :math:`\tau`; the probability
it is still there when fire arrives is the Laplace transform of the latency,

.. math:: P_{\text{present}} = E\!\left[e^{-L/\tau}\right] = \prod_i \frac{1}{1 + m_i/\tau}.

Joining BICES (lever ``policy.bices``) shortens the *identify* and *decide* stages by a
fraction :math:`r` (``bices_stage_cut``), ramping in over ``bices_integration_days``. The
Ukrainian fire multiplier is :math:`1 + s\,(P_{\text{present}}/P^0_{\text{present}} - 1)`,
with :math:`s` (``bices_relevant_share``) the share of fire whose targeting draws on the
shared intelligence. BICES also raises air-defence detection probability by
``bices_detect_bonus`` and stretches warning times by ``bices_warning_factor``.

US intelligence pause (``adversary.us_intel_pause``, ``configs/adversary/us_intel_pause.yaml``;
the US paused sharing with Ukraine from 5 to about 11 March 2025): from day
``us_pause_start_day`` for ``us_pause_days`` days, Ukrainian fire loses a share :math:`u`
(``us_fire_loss``) and air-defence detection loses :math:`\delta` (``us_detect_loss``), of
which BICES, at integration level :math:`\ell` (0 to 1 over its ramp), substitutes a share
:math:`\sigma` (``bices_substitution``): during the pause the fire multiplier is multiplied
by :math:`1 - u\,(1 - \sigma\ell)` and the detection bonus falls by
:math:`\delta\,(1 - \sigma\ell)`. This is the one natural experiment on what shared
intelligence is worth; comparing ``us_intel_pause`` with and without ``policy.bices`` shows
how much of it BICES could cover under these assumptions.

(Interrogation of prisoners by South Korean advisors is part of the ground model, where the
prisoners are taken.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenario.config.levers import Bices
from scenario.models.campaign.signals import AD_DETECT_BONUS, AD_WARNING_FACTOR, UA_FIRE_MULTIPLIER
from scenario.models.daily import SubmodelContext
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = ["IntelSubmodel", "p_present", "sample_latency"]


def sample_latency(stage_means: np.ndarray, n: int, *, rng: np.random.Generator) -> np.ndarray:
    """Draw ``n`` kill-chain latencies: sums of exponential stages with ``stage_means``."""
    means = np.asarray(stage_means, dtype=np.float64)
    out: np.ndarray = (rng.exponential(1.0, (n, means.size)) * means).sum(axis=1)
    return out


def p_present(stage_means: np.ndarray, dwell: np.ndarray | float) -> np.ndarray:
    """``E[exp(-L/dwell)]`` for exponential stages (``stage_means`` on the last axis)."""
    means = np.asarray(stage_means, dtype=np.float64)
    tau = np.asarray(dwell, dtype=np.float64)[..., None]
    out: np.ndarray = np.prod(1.0 / (1.0 + means / tau), axis=-1)
    return out


def _p(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="intel", name=name, unit=unit, meaning=meaning)


@dataclass
class _IntelState:
    means: np.ndarray  # (n, 4) stage means, minutes
    dwell: np.ndarray
    cut: np.ndarray
    ramp: np.ndarray
    share: np.ndarray
    bonus: np.ndarray
    warn: np.ndarray
    base: np.ndarray  # P(present) without BICES
    mult_sum: np.ndarray
    latency: np.ndarray
    present: np.ndarray
    pause_start: np.ndarray
    pause_end: np.ndarray
    fire_loss: np.ndarray
    detect_loss: np.ndarray
    substitution: np.ndarray
    pausing: bool
    wrote: bool = False


_STAGES = ("stage_detect_min", "stage_identify_min", "stage_decide_min", "stage_engage_min")


class IntelSubmodel:
    """Kill-chain latency, target persistence and the BICES lever (equations: module doc)."""

    name = "intel"
    parameters = (
        _p("stage_detect_min", "min", "Mean time to detect a target"),
        _p("stage_identify_min", "min", "Mean time to identify it"),
        _p("stage_decide_min", "min", "Mean time to decide and assign fire"),
        _p("stage_engage_min", "min", "Mean time from assignment to fire on target"),
        _p("target_dwell_min", "min", "Mean time a target stays where it was seen"),
        _p("bices_stage_cut", "fraction", "Cut in identify/decide times with BICES"),
        _p("bices_integration_days", "days", "Days for BICES sharing to reach full effect"),
        _p("bices_relevant_share", "fraction", "Share of Ukrainian fire using shared intel"),
        _p("bices_detect_bonus", "probability", "Added air-defence detection probability"),
        _p("bices_warning_factor", "ratio", "Air-defence warning time multiplier"),
        _p("us_pause_start_day", "day", "Day a US intelligence pause starts"),
        _p("us_pause_days", "days", "Length of the US intelligence pause"),
        _p("us_fire_loss", "fraction", "Ukrainian fire effectiveness lost during the pause"),
        _p("us_detect_loss", "probability", "Air-defence detection lost during the pause"),
        _p("bices_substitution", "fraction", "Share of the pause's loss BICES makes good"),
    )
    levers = (Bices,)
    reads = ()
    writes = (UA_FIRE_MULTIPLIER, AD_DETECT_BONUS, AD_WARNING_FACTOR)
    events = ()
    outcomes = (
        OutcomeInfo(
            name="kill_chain_min",
            unit="min",
            description="Mean kill-chain latency on the last day",
            direction="minimize",
        ),
        OutcomeInfo(
            name="p_target_present",
            unit="probability",
            description="Probability the target is still there when fire arrives (last day)",
            direction="maximize",
        ),
        OutcomeInfo(
            name="intel_fire_multiplier",
            unit="ratio",
            description="Mean Ukrainian fire multiplier from intelligence over the horizon",
            direction="maximize",
        ),
    )
    series: tuple[SeriesInfo, ...] = ()

    def start(self, ctx: SubmodelContext) -> _IntelState:
        """Stage means and BICES effects; all inputs are parameters."""
        g = "intel."
        means = np.stack([ctx.p(g + k) for k in _STAGES], axis=1)
        dwell = ctx.p(g + "target_dwell_min")
        return _IntelState(
            means=means,
            dwell=dwell,
            cut=ctx.p(g + "bices_stage_cut"),
            ramp=ctx.p(g + "bices_integration_days"),
            share=ctx.p(g + "bices_relevant_share"),
            bonus=ctx.p(g + "bices_detect_bonus"),
            warn=ctx.p(g + "bices_warning_factor"),
            base=p_present(means, dwell),
            mult_sum=np.zeros(ctx.n),
            latency=means.sum(axis=1),
            present=np.zeros(ctx.n),
            pause_start=ctx.p(g + "us_pause_start_day"),
            pause_end=ctx.p(g + "us_pause_start_day") + ctx.p(g + "us_pause_days"),
            fire_loss=ctx.p(g + "us_fire_loss"),
            detect_loss=ctx.p(g + "us_detect_loss"),
            substitution=ctx.p(g + "bices_substitution"),
            pausing=ctx.adversary.us_intel_pause,
        )

    def step(self, ctx: SubmodelContext, s: _IntelState, t: int) -> None:
        """Today's kill chain and the signals it gives the other submodels."""
        since = ctx.days_active(Bices, t)
        paused = (s.pause_start <= t) & (t < s.pause_end) if s.pausing else None
        quiet = np.all(since < 0) and (paused is None or not paused.any())
        if quiet and not s.wrote:
            s.present = s.base  # no BICES (yet) and no pause so far in the block: no signals
            s.mult_sum += 1.0
            return
        s.wrote = True  # once written, written every day (a signal keeps its last value)
        level = np.clip(np.where(since >= 0, (since + 1) / np.maximum(s.ramp, 1.0), 0.0), 0, 1)
        means = s.means.copy()
        factor = 1.0 - s.cut * level
        means[:, 1] *= factor
        means[:, 2] *= factor
        now = p_present(means, s.dwell)
        mult = 1.0 + s.share * (now / s.base - 1.0)
        bonus = s.bonus * level
        if paused is not None:
            uncovered = np.where(paused, 1.0 - s.substitution * level, 0.0)
            mult = mult * (1.0 - s.fire_loss * uncovered)
            bonus = bonus - s.detect_loss * uncovered
        ctx.write(UA_FIRE_MULTIPLIER, mult)
        ctx.write(AD_DETECT_BONUS, bonus)
        ctx.write(AD_WARNING_FACTOR, 1.0 + (s.warn - 1.0) * level)
        s.mult_sum += mult
        s.latency = means.sum(axis=1)
        s.present = now

    def finish(self, ctx: SubmodelContext, s: _IntelState) -> BlockOutput:
        """Outcomes of the block."""
        return BlockOutput(
            outcomes={
                "kill_chain_min": s.latency,
                "p_target_present": s.present,
                "intel_fire_multiplier": s.mult_sum / ctx.horizon,
            }
        )
