r"""Cost of each aid package, from ranged package prices and the days each lever was active.

A lever activated on day :math:`a_i` in replication :math:`i` (its delivery or start day,
fixed or set by a trigger; :math:`a_i = \infty` if it never activates) is active on the
:math:`d_i = \max(H - \max(a_i, 0),\ 0)` last days of the horizon :math:`H` (0 if it never
activates or activates after the horizon). Let :math:`\mathbb 1_i = [d_i > 0]`: the lever
activated within the horizon. Capital packages are paid once, in full, where
:math:`\mathbb 1_i`; running costs are prorated by :math:`d_i`:

* M-SAM: :math:`\mathbb 1_i\,(n_b c_b + I_0 c_m) + \frac{R}{30} d_i\,c_m` (battery
  packages and the reserve :math:`I_0` paid on delivery, even if the crews are not trained
  by the end of the horizon; interceptors resupplied at :math:`R` a month);
* offensive aid: :math:`\frac{S}{30} d_i\,c_s + \mathbb 1_i\,(n_{K9} c_{K9} +
  n_{K239} c_{K239} + n_{K2} c_{K2})` (shells for the days active, systems once);
* advisors: :math:`P_{adv}\,d_i\,c_{adv}` (advisor-days times a daily cost);
* BICES: :math:`\frac{d_i}{365} C_{bices}` (annual cost prorated);
* European troops: :math:`P_{eu}\,d_i\,c_{eu}` (troop-days times a daily cost).

``cost_rok_usd_m`` is South Korea's part (M-SAM, offensive aid, advisors, BICES);
``cost_total_usd_m`` adds the European troops. Prices are package prices (training,
support, ammunition), not unit costs. Outcomes are in millions of US dollars.
"""

from __future__ import annotations

import numpy as np

from scenario.config.levers import Advisors, Bices, EuropeanTroops, Lever, Msam, OffensiveAid
from scenario.models.daily import SubmodelContext
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = ["CostSubmodel", "days_active"]


def _p(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="cost", name=name, unit=unit, meaning=meaning)


def days_active(activation: np.ndarray, horizon: int) -> np.ndarray:
    """Days of the horizon a lever activated on day ``activation`` is active (0 if never).

    Parameters
    ----------
    activation : numpy.ndarray
        Activation day per replication (``inf``: never).
    horizon : int
        Days in the horizon.

    Returns
    -------
    numpy.ndarray
        ``max(horizon - max(activation, 0), 0)``, and 0 where ``activation`` is infinite.
    """
    start = np.maximum(activation, 0.0)
    return np.where(np.isfinite(start), np.maximum(float(horizon) - start, 0.0), 0.0)


def _outcome(name: str, description: str) -> OutcomeInfo:
    return OutcomeInfo(name=name, unit="USD m", description=description)


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
        _p("european_usd_per_troop_day", "USD", "Cost per European troop-day deployed"),
    )
    levers = (Msam, OffensiveAid, Advisors, Bices, EuropeanTroops)
    reads = ()
    writes = ()
    events = ()
    outcomes = (
        OutcomeInfo(
            name="cost_total_usd_m",
            unit="USD m",
            description="Total cost of the options (South Korean and European)",
            direction="minimize",
        ),
        OutcomeInfo(
            name="cost_rok_usd_m",
            unit="USD m",
            description="South Korea's cost (M-SAM, offensive aid, advisors, BICES)",
            direction="minimize",
        ),
        _outcome("cost_msam_usd_m", "M-SAM batteries and interceptors"),
        _outcome("cost_offensive_aid_usd_m", "Shells and systems"),
        _outcome("cost_advisors_usd_m", "Advisors"),
        _outcome("cost_bices_usd_m", "BICES membership"),
        _outcome("cost_european_usd_m", "European troops"),
    )
    series: tuple[SeriesInfo, ...] = ()

    def start(self, ctx: SubmodelContext) -> None:
        """Nothing to do before the first day."""

    def step(self, ctx: SubmodelContext, state: None, t: int) -> None:
        """Costs are computed at the end from the levers' activation days."""

    def finish(self, ctx: SubmodelContext, state: None) -> BlockOutput:
        """Cost of each package: capital once where activated, running costs by days."""
        g = "cost."

        def days(lever: type[Lever]) -> np.ndarray:
            return days_active(ctx.activation(lever), ctx.horizon)

        def once(lever: type[Lever], price: np.ndarray | float) -> np.ndarray:
            return np.where(days(lever) > 0, price, 0.0)

        ms = ctx.lever(Msam)
        c_m = ctx.p(g + "msam_missile_usd_m")
        msam = once(
            Msam, ms.batteries * ctx.p(g + "msam_battery_usd_m") + ms.interceptor_stock * c_m
        ) + (ms.resupply_per_month / 30.0 * days(Msam) * c_m)
        aid = ctx.lever(OffensiveAid)
        systems = (
            aid.k9_howitzers * ctx.p(g + "k9_usd_m")
            + aid.k239_mlrs * ctx.p(g + "k239_usd_m")
            + aid.k2_tanks * ctx.p(g + "k2_usd_m")
        )
        shells = aid.shells_per_month / 30.0 * days(OffensiveAid) * ctx.p(g + "shell_usd") / 1e6
        offensive = shells + once(OffensiveAid, systems)
        advisors = (
            ctx.lever(Advisors).personnel * days(Advisors) * ctx.p(g + "advisor_usd_per_day") / 1e6
        )
        bices = days(Bices) / 365.0 * ctx.p(g + "bices_usd_m_per_year")
        european = (
            ctx.lever(EuropeanTroops).personnel
            * days(EuropeanTroops)
            * ctx.p(g + "european_usd_per_troop_day")
            / 1e6
        )
        rok = msam + offensive + advisors + bices
        return BlockOutput(
            outcomes={
                "cost_total_usd_m": rok + european,
                "cost_rok_usd_m": rok,
                "cost_msam_usd_m": msam,
                "cost_offensive_aid_usd_m": offensive,
                "cost_advisors_usd_m": advisors,
                "cost_bices_usd_m": bices,
                "cost_european_usd_m": european,
            }
        )
