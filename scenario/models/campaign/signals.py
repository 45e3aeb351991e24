"""The campaign's seams: every signal, quantity and event its submodels exchange, declared
once with unit, meaning, producer and the default a reader sees when the producer is not
in the composition.

Who reads what, and whether the same day or the day before, is declared by each submodel
(``reads``); ``scenario wiring`` prints the resulting table for a config.
"""

from __future__ import annotations

from scenario.models.daily import Event, Quantity, Signal, ThresholdEvent

__all__ = [
    "AD_DETECT_BONUS",
    "AD_LEAKERS_TODAY",
    "AD_WARNING_FACTOR",
    "ESCALATION_LEVEL",
    "ESCALATION_LEVEL_AT_LEAST",
    "FORCE_RATIO",
    "GROUND_HELD_BELOW",
    "GROUND_HELD_KM2",
    "NK_AIRCRAFT_LOST_TODAY",
    "NK_CAPTURED_ABOVE",
    "NK_CAPTURED_CUM",
    "NK_CAPTURED_TODAY",
    "NK_CASUALTIES_ABOVE",
    "NK_CASUALTIES_CUM",
    "NK_CASUALTIES_TODAY",
    "NK_COMBAT_INEFFECTIVE",
    "NK_DEPLOYED",
    "NK_MISSILES_TODAY",
    "NK_NEW_TROOPS_TODAY",
    "NK_PILOTS_OPERATIONAL",
    "NK_SECOND_WAVE",
    "NK_SORTIES_EXPOSED",
    "NK_SORTIES_TODAY",
    "RED_AIR_SUPPORT",
    "RED_FIRE_MULTIPLIER",
    "RU_COUNTEROFFENSIVE",
    "RU_OFFENSIVE_PRESSURE",
    "RU_SECTOR_CASUALTIES_TODAY",
    "SUPPLY_INTERDICTION",
    "UA_FIRE_MULTIPLIER",
    "UA_LOGISTICS",
    "UA_REINFORCEMENTS",
    "UA_TRAINING_MULTIPLIER",
    "UA_WITHDRAWAL",
    "UA_WITHDRAWING",
]

# --- intel (BICES) -----------------------------------------------------------------------
UA_FIRE_MULTIPLIER = Signal(
    "ua_fire_multiplier", "ratio", "Ukrainian fire multiplier from intelligence", "intel", 1.0
)
AD_DETECT_BONUS = Signal(
    "ad_detect_bonus",
    "probability",
    "Change in air-defence detection probability (BICES: up; a US intelligence pause: down)",
    "intel",
    0.0,
)
AD_WARNING_FACTOR = Signal(
    "ad_warning_factor", "ratio", "Air-defence warning time multiplier", "intel", 1.0
)

# --- european troops ---------------------------------------------------------------------
UA_TRAINING_MULTIPLIER = Signal(
    "ua_training_multiplier",
    "ratio",
    "Ukrainian effectiveness multiplier from European training",
    "european",
    1.0,
)
UA_REINFORCEMENTS = Signal(
    "ua_reinforcements",
    "troops/day",
    "Ukrainian troops freed by European rear security arriving in Kursk",
    "european",
    0.0,
)

# --- air_ops (North Korean pilots) -------------------------------------------------------
RED_AIR_SUPPORT = Signal(
    "red_air_support",
    "troops",
    "Troop equivalents of fire added to the Russian side by NK sorties today",
    "air_ops",
    0.0,
)
NK_SORTIES_EXPOSED = Signal(
    "nk_sorties_exposed",
    "sorties",
    "NK sorties attacking the defended area today (exposed to its air defence)",
    "air_ops",
    0.0,
)
NK_SORTIES_TODAY = Signal(
    "nk_sorties_today", "sorties", "Combat sorties flown by NK pilots today", "air_ops", 0.0
)
NK_PILOTS_OPERATIONAL = Event(
    "nk_pilots_operational", "North Korean pilots finish conversion training", "air_ops"
)

# --- air_defence -------------------------------------------------------------------------
NK_AIRCRAFT_LOST_TODAY = Signal(
    "nk_aircraft_lost_today",
    "aircraft",
    "Aircraft with NK pilots shot down by the defended area's air defence today",
    "air_defence",
    0.0,
)

AD_LEAKERS_TODAY: dict[str, Signal] = {
    c: Signal(
        f"ad_leakers_{c}_today",
        "threats",
        f"{c.capitalize()} threats that leaked through to the defended area today",
        "air_defence",
        0.0,
    )
    for c in ("ballistic", "cruise", "aircraft", "drone")
}
"""Leakers by threat class (the classes of :data:`scenario.models.kernels.engagement.CLASSES`)."""

# --- logistics (what the defended area protects) -----------------------------------------
UA_LOGISTICS = Signal(
    "ua_logistics_capacity",
    "fraction",
    "Ukrainian energy and logistics capacity behind the Kursk grouping (1 = intact)",
    "logistics",
    1.0,
)

# --- nk_munitions (North Korean shells and missiles to Russia) ---------------------------
RED_FIRE_MULTIPLIER = Signal(
    "red_fire_multiplier",
    "ratio",
    "Russian fire multiplier in the sector from North Korean shells",
    "nk_munitions",
    1.0,
)
NK_MISSILES_TODAY = Signal(
    "nk_missiles_at_area_today",
    "threats",
    "North Korean ballistic missiles (KN-23/24) fired at the defended area today",
    "nk_munitions",
    0.0,
)

# --- counteroffensive (the Russian counter-offensive phase) ------------------------------
RU_OFFENSIVE_PRESSURE = Signal(
    "ru_offensive_pressure",
    "ratio",
    "Multiplier on the rate of Ukrainian ground loss from the Russian counter-offensive",
    "counteroffensive",
    1.0,
)
SUPPLY_INTERDICTION = Signal(
    "supply_interdiction",
    "fraction/day",
    "Share of Ukrainian logistics capacity cut per day by interdiction of supply lines",
    "counteroffensive",
    0.0,
)
RU_COUNTEROFFENSIVE = Event(
    "ru_counteroffensive", "The Russian counter-offensive phase begins", "counteroffensive"
)

# --- withdrawal (Ukraine's decision to leave the sector) ---------------------------------
UA_WITHDRAWING = Signal(
    "ua_withdrawal_km2_per_day",
    "km2/day",
    "Ground Ukraine gives up per day while it executes a decision to withdraw",
    "withdrawal",
    0.0,
)
UA_WITHDRAWAL = Event(
    "ua_withdrawal", "Ukraine decides to withdraw from the Kursk sector", "withdrawal"
)

# --- ground (Kursk) ----------------------------------------------------------------------
NK_CASUALTIES_TODAY = Signal(
    "nk_casualties_today", "troops", "North Korean casualties today", "ground", 0.0
)
NK_CAPTURED_TODAY = Signal(
    "nk_captured_today", "troops", "North Korean soldiers captured today", "ground", 0.0
)
NK_NEW_TROOPS_TODAY = Signal(
    "nk_new_troops_today", "troops", "North Korean troops joining combat today", "ground", 0.0
)
NK_DEPLOYED = Signal(
    "nk_deployed", "troops", "North Korean troops committed to combat so far", "ground", 0.0
)
RU_SECTOR_CASUALTIES_TODAY = Signal(
    "ru_sector_casualties_today",
    "troops",
    "Russian casualties in the Kursk sector today",
    "ground",
    0.0,
)
FORCE_RATIO = Signal(
    "force_ratio",
    "ratio",
    "Red to Ukrainian effective combat power in the sector today",
    "ground",
    1.0,
)
NK_CASUALTIES_CUM = Quantity(
    "nk_casualties_cum", "troops", "Cumulative North Korean casualties", "ground"
)
NK_CAPTURED_CUM = Quantity(
    "nk_captured_cum", "troops", "Cumulative North Korean soldiers captured", "ground"
)
GROUND_HELD_KM2 = Quantity(
    "ground_held_km2", "km2", "Ukrainian-held ground in the Kursk sector", "ground"
)
NK_SECOND_WAVE = Event("nk_second_wave", "The second North Korean wave joins combat", "ground")
NK_COMBAT_INEFFECTIVE = Event(
    "nk_combat_ineffective", "The NK contingent is first combat-ineffective", "ground"
)
NK_CASUALTIES_ABOVE = ThresholdEvent(
    "nk_casualties_above",
    "Cumulative NK casualties exceed the threshold",
    "ground",
    NK_CASUALTIES_CUM,
    "above",
)
NK_CAPTURED_ABOVE = ThresholdEvent(
    "nk_captured_above",
    "Cumulative NK prisoners exceed the threshold",
    "ground",
    NK_CAPTURED_CUM,
    "above",
)
GROUND_HELD_BELOW = ThresholdEvent(
    "ground_held_below",
    "Ukrainian-held ground falls below the threshold (km2)",
    "ground",
    GROUND_HELD_KM2,
    "below",
)

# --- escalation --------------------------------------------------------------------------
ESCALATION_LEVEL = Quantity(
    "escalation_level", "level", "Escalation ladder level (0-4)", "escalation", 0.0
)
ESCALATION_LEVEL_AT_LEAST = ThresholdEvent(
    "escalation_level_at_least",
    "The escalation ladder reaches the threshold level",
    "escalation",
    ESCALATION_LEVEL,
    "at_least",
)
