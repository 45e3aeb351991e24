"""Suggesting the declared parameter a mistyped name meant."""

from __future__ import annotations

from scenario.config.names import closest_parameter

KEYS = ["ground.ua_kill_rate", "ground.red_kill_rate", "air_defence.p_detect"]


def test_closest_by_the_whole_key_then_by_the_name_part() -> None:
    assert closest_parameter("ground.ua_kill_rat", KEYS) == "ground.ua_kill_rate"
    assert closest_parameter("intel.p_detect", KEYS) == "air_defence.p_detect"  # wrong group
    assert closest_parameter("zzz.qqq", KEYS) is None
