r"""Cost to South Korea of each aid package, from ranged package prices.

For each lever active before the end of the horizon:

* M-SAM: :math:`n_b\,c_b + (I_0 + I_{resupplied})\,c_m` (battery packages; reserve and
  resupplied interceptors at missile price);
* offensive aid: :math:`S\,\frac{d}{30}\,c_s + n_{K9} c_{K9} + n_{K239} c_{K239} +
  n_{K2} c_{K2}` (shells for the :math:`d` days active);
* advisors: personnel-days times a daily cost;
* BICES: an annual cost prorated over the days active.

Prices are package prices (training, support, ammunition), not unit costs. Outcomes are
in millions of US dollars.
"""

from __future__ import annotations

import numpy as np

from scenario.config.levers import Advisors, Bices, Lever, Msam, OffensiveAid
from scenario.models.daily import SubmodelContext
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = ["CostSubmodel"]


def _p(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="cost", name=name, unit=unit, meaning=meaning)


class CostSubmodel:
    """Aid package costs (equations: module docstring)."""

    name = "cost"
    parameters = (
        _p("msam_battery_usd_m", "USD m", "Export package price per M-SAM battery"),
        _p("msam_missile_usd_m", "USD m", "Price per M-SAM interceptor"),
        _p("shell_usd", "USD", "Price per 155 mm shell"),
        _p("k9_usd_m", "USD m", "Package price per K9 howitzer"),
        _p("k239_usd_m", "USD m", "Package price per K239 launcher"),
        _p("k2_usd_m", "USD m", "Package price per K2 tank"),
        _p("advisor_usd_per_day", "USD", "Cost per advisor-day"),
        _p("bices_usd_m_per_year", "USD m/year", "Annual cost of BICES membership"),
    )
    levers = (Msam, OffensiveAid, Advisors, Bices)
    reads = ()
    writes = ()
    events = ()
    outcomes = (
        OutcomeInfo(
            name="cost_total_usd_m",
            unit="USD m",
            description="Total cost of the options",
            direction="minimize",
        ),
        OutcomeInfo(name="cost_msam_usd_m", unit="USD m", description="M-SAM batteries"),
        OutcomeInfo(
            name="cost_offensive_aid_usd_m", unit="USD m", description="Shells and systems"
        ),
        OutcomeInfo(name="cost_advisors_usd_m", unit="USD m", description="Advisors"),
        OutcomeInfo(name="cost_bices_usd_m", unit="USD m", description="BICES membership"),
    )
    series: tuple[SeriesInfo, ...] = ()

    def start(self, ctx: SubmodelContext) -> None:
        """Nothing to do before the first day."""

    def step(self, ctx: SubmodelContext, state: None, t: int) -> None:
        """Costs are computed at the end from the levers' activation days."""

    def finish(self, ctx: SubmodelContext, state: None) -> BlockOutput:
        """Cost of each package for the days it was active."""
        g = "cost."
        H = float(ctx.horizon)

        def days(lever: type[Lever]) -> np.ndarray:
            start = ctx.activation(lever)
            return np.where(np.isfinite(start), np.maximum(H - start, 0.0), 0.0)

        def on(lever: type[Lever]) -> np.ndarray:
            return days(lever) > 0

        ms = ctx.lever(Msam)
        resupplied = ms.resupply_per_month / 30.0 * days(Msam)
        msam = np.where(
            on(Msam),
            ms.batteries * ctx.p(g + "msam_battery_usd_m")
            + (ms.interceptor_stock + resupplied) * ctx.p(g + "msam_missile_usd_m"),
            0.0,
        )
        aid = ctx.lever(OffensiveAid)
        offensive = np.where(
            on(OffensiveAid),
            aid.shells_per_month * days(OffensiveAid) / 30.0 * ctx.p(g + "shell_usd") / 1e6
            + aid.k9_howitzers * ctx.p(g + "k9_usd_m")
            + aid.k239_mlrs * ctx.p(g + "k239_usd_m")
            + aid.k2_tanks * ctx.p(g + "k2_usd_m"),
            0.0,
        )
        advisors = (
            ctx.lever(Advisors).personnel * days(Advisors) * ctx.p(g + "advisor_usd_per_day") / 1e6
        )
        bices = days(Bices) / 365.0 * ctx.p(g + "bices_usd_m_per_year")
        return BlockOutput(
            outcomes={
                "cost_total_usd_m": msam + offensive + advisors + bices,
                "cost_msam_usd_m": msam,
                "cost_offensive_aid_usd_m": offensive,
                "cost_advisors_usd_m": advisors,
                "cost_bices_usd_m": bices,
            }
        )
