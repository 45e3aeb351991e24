"""Declarations of the Kursk ground submodel: its parameters, outcomes and daily series
(equations: :mod:`scenario.models.campaign.ground`)."""

from __future__ import annotations

from scenario.models.protocol import OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = ["OUTCOMES", "PARAMETERS", "PEAK_GROUND_KM2", "SERIES"]

PEAK_GROUND_KM2 = 1376.0
"""Peak Ukrainian-held area in Kursk, August 2024 (Reuters 2024-11-23)."""


def _p(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="ground", name=name, unit=unit, meaning=meaning)


PARAMETERS: tuple[ParameterInfo, ...] = (
    _p("ua_troops_initial", "troops", "Ukrainian troops in the Kursk sector on day 0"),
    _p("ru_troops_initial", "troops", "Russian troops committed to Kursk on day 0"),
    _p("nk_wave1_size", "troops", "First North Korean contingent"),
    _p("nk_wave1_day", "day", "Day the first contingent is in Kursk"),
    _p("nk_wave2_size", "troops", "Second North Korean wave (0: none)"),
    _p("nk_wave2_day", "day", "Day the second wave is in Kursk"),
    _p("nk_integration_days", "days", "Days from arrival to combat (training, integration)"),
    _p("nk_sf_share", "fraction", "Special-forces share of the contingent"),
    _p("nk_sf_multiplier", "ratio", "Effectiveness of special forces relative to line troops"),
    _p("nk_effectiveness", "ratio", "NK line-troop effectiveness relative to Russian infantry"),
    _p("nk_experience_gain", "fraction", "Maximum rise of NK effectiveness with experience"),
    _p("nk_learning_days", "days", "Time constant of NK adaptation to the battlefield"),
    _p("nk_exposure", "ratio", "Initial NK exposure to Ukrainian fire relative to Russians"),
    _p("nk_ineffective_share", "fraction", "Casualty share at which NK units are pulled back"),
    _p("nk_withdrawn_engagement", "fraction", "Share of NK troops still engaged when pulled back"),
    _p("nk_killed_share", "fraction", "Killed share of NK casualties"),
    _p("nk_capture_prob", "per casualty", "Probability an NK casualty is a captured soldier"),
    _p("ua_kill_rate", "casualties/troop/day", "Red casualties per Ukrainian soldier per day"),
    _p(
        "red_kill_rate", "casualties/troop/day", "Ukrainian casualties per Russian soldier per day"
    ),
    _p("loss_dispersion", "k", "Over-dispersion of daily casualties (variance l + l^2/k)"),
    _p("ua_replacement", "fraction", "Share of Ukrainian losses in the sector replaced"),
    _p("ru_replacement", "ratio", "Share of Russian losses in the sector replaced"),
    _p("ua_shell_supply_ratio", "fraction", "Ukrainian 155 mm supply relative to need"),
    _p("ua_shell_need_per_month", "shells/month", "Ukraine's front-wide 155 mm need"),
    _p("fire_floor", "fraction", "Ukrainian fire effectiveness with no artillery shells"),
    _p("aid_kursk_priority", "ratio", "Kursk's priority for aid shells relative to need"),
    _p("aid_transit_days", "days", "Days from shipment start to shells at the front"),
    _p("aid_training_days", "days", "Days from delivery start to crews ready on K9/K239/K2"),
    _p("aid_sector_share", "fraction", "Share of delivered systems fielded in Kursk"),
    _p("k9_troop_equivalent", "troops", "Combat power of one K9 howitzer in troop equivalents"),
    _p("mlrs_troop_equivalent", "troops", "Combat power of one K239 launcher"),
    _p("k2_troop_equivalent", "troops", "Combat power of one K2 tank"),
    _p("ground_held_initial", "km2", "Ukrainian-held area in Kursk on day 0"),
    _p("ground_rate_km2", "km2/day", "Ground lost per day per unit of force ratio above r0"),
    _p("breakthrough_ratio", "ratio", "Force ratio r0 at which the line holds"),
    _p("ground_dispersion", "k", "Over-dispersion of daily ground change"),
    _p("adv_tactics_gain", "fraction", "Maximum rise of Ukrainian effectiveness against NK"),
    _p("adv_learning_days", "days", "Time constant for advisors' analysis to take effect"),
    _p("adv_half_personnel", "advisors", "Advisors giving half the maximum tactics gain"),
    _p("adv_intel_per_prisoner", "fraction", "Effectiveness gain per interrogated prisoner"),
    _p("adv_intel_cap", "fraction", "Maximum effectiveness gain from interrogation"),
    _p("ua_own_interrogation_yield", "fraction", "Intelligence yield without Korean advisors"),
    _p("logistics_fire_dependence", "fraction", "Fire lost per unit of logistics capacity lost"),
    _p("post_exit_intensity", "ratio", "Intensity of fighting on the border after leaving"),
    _p("nk_post_exit_engagement", "fraction", "Share of NK troops engaged after Ukraine leaves"),
    _p("nk_escalation_wave_factor", "ratio", "Second wave size multiplier at escalation 3+"),
    _p("nk_escalation_lag_days", "days", "Days from escalation 3+ to the second wave's arrival"),
)

OUTCOMES: tuple[OutcomeInfo, ...] = (
    OutcomeInfo(
        name="ua_casualties",
        unit="troops",
        description=(
            "Ukrainian casualties of the Kursk grouping over the horizon, in the sector and "
            "on the border after leaving it"
        ),
        direction="minimize",
    ),
    OutcomeInfo(
        name="ru_casualties",
        unit="troops",
        description="Russian casualties against the Kursk grouping over the horizon",
        direction="maximize",
    ),
    OutcomeInfo(
        name="ua_casualties_in_sector",
        unit="troops",
        description="Ukrainian casualties while the grouping still held ground in Kursk",
        direction="minimize",
    ),
    OutcomeInfo(
        name="aid_equipment_lost",
        unit="troop-equivalents",
        description="Delivered South Korean systems (K9, K239, K2) lost, in troop equivalents",
        direction="minimize",
    ),
    OutcomeInfo(
        name="nk_casualties",
        unit="troops",
        description="North Korean casualties (killed + wounded + captured)",
        direction="maximize",
    ),
    OutcomeInfo(name="nk_killed", unit="troops", description="North Korean killed"),
    OutcomeInfo(name="nk_wounded", unit="troops", description="North Korean wounded"),
    OutcomeInfo(name="nk_captured", unit="troops", description="North Korean soldiers captured"),
    OutcomeInfo(
        name="nk_casualties_per_combat_day",
        unit="troops/day",
        description="NK casualties per day of heavy combat (engaged, not pulled back)",
    ),
    OutcomeInfo(
        name="nk_combat_days",
        unit="days",
        description="Days of heavy NK combat (engaged, not pulled back)",
    ),
    OutcomeInfo(
        name="nk_days_to_ineffective",
        unit="days",
        description=(
            "Days from NK combat onset until the contingent is combat-ineffective "
            "(censored at the horizon; see nk_ineffective)"
        ),
        direction="minimize",
        censored="nk_ineffective",
    ),
    OutcomeInfo(
        name="nk_ineffective",
        unit="0/1",
        description="NK contingent became combat-ineffective within the horizon",
        direction="maximize",
    ),
    OutcomeInfo(
        name="ground_change_km2",
        unit="km2",
        description="Change in Ukrainian-held ground over the horizon (negative: lost)",
        direction="maximize",
    ),
    OutcomeInfo(
        name="ground_held_end_km2",
        unit="km2",
        description="Ukrainian-held ground at the end of the horizon",
        direction="maximize",
    ),
    OutcomeInfo(
        name="ua_expelled",
        unit="0/1",
        description="Ukrainian grouping left the sector (all ground lost or given up)",
        direction="minimize",
    ),
    OutcomeInfo(
        name="ua_exit_day",
        unit="day",
        description="Day the Ukrainian-held ground reached 0 (horizon if it never did)",
        direction="maximize",
        censored=True,
    ),
    OutcomeInfo(
        name="nk_prisoners_interrogated_by_advisors",
        unit="prisoners",
        description="Captured NK soldiers interrogated with South Korean advisors",
    ),
)

SERIES: tuple[SeriesInfo, ...] = (
    SeriesInfo(name="ua_troops", unit="troops", description="Ukrainian troops in the sector"),
    SeriesInfo(name="ru_troops", unit="troops", description="Russian troops in the sector"),
    SeriesInfo(name="nk_troops", unit="troops", description="NK troops integrated in combat"),
    SeriesInfo(name="ground_held_km2", unit="km2", description="Ukrainian-held ground"),
    SeriesInfo(name="nk_casualties_cum", unit="troops", description="Cumulative NK casualties"),
    SeriesInfo(name="nk_killed_cum", unit="troops", description="Cumulative NK killed"),
)
