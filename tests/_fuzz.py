"""Hypothesis strategies that mutate the shipped baseline (issue 11, part 7).

An *override* is ``dotted.key=value`` as ``--set`` takes it. The strategies draw one to four
of them at once: random scalars (integers up to 10**30, floats including NaN, infinities and
subnormals, booleans, null, short texts of YAML punctuation), flow lists and flow maps of
them, dates (valid and not), whole distributions replaced by random kinds, and every numeric
field of a parameter's own distribution set to an extreme value at once.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

import scenario

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "configs" / "baseline.yaml"
_SPECS = scenario.load_config(BASE).flat_parameters()
KEYS = sorted(_SPECS)

EXTREMES = [
    "0",
    "-0.0",
    "5e-324",
    "-5e-324",
    "1e-300",
    "1e300",
    "-1e300",
    "1.7976931348623157e308",
    "-1.7976931348623157e308",
    "1e19",
    "9223372036854775807",
    "1" + "0" * 30,
    ".nan",
    ".inf",
    "-.inf",
    "1",
    "0.5",
    "-1",
]
"""Numeric values at (and past) the edges of what numpy can sample."""

FIELDS = {
    "fixed": ("value",),
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "pert": ("low", "mode", "high", "lamb"),
    "normal": ("mean", "sd"),
    "truncnormal": ("mean", "sd", "low", "high"),
    "lognormal": ("mu", "sigma"),
    "beta": ("a", "b", "low", "high"),
    "poisson": ("lam",),
    "binomial": ("n", "p"),
    "bernoulli": ("p",),
}
"""The numeric fields of each distribution kind."""

_FIELD_NAMES = sorted({f for fs in FIELDS.values() for f in fs} | {"dist", "values", "source"})

scalars = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True, width=64).map(repr),
    st.sampled_from(EXTREMES),
    st.sampled_from(["true", "false", "null", "~", "yes", "'3'", '""', "0x1F", "1_000"]),
    st.text(alphabet="abc[]{}:,-_ #&*!|>'\"%@`", max_size=6),
)
lists = st.lists(scalars, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]")
maps = st.dictionaries(st.sampled_from(_FIELD_NAMES), scalars, max_size=4).map(
    lambda d: "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"
)
dates = st.one_of(
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(str),
    st.tuples(st.integers(0, 99999), st.integers(0, 99), st.integers(0, 99)).map(
        lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"
    ),
)
values = st.one_of(scalars, lists, maps, dates)

TOP_KEYS = [
    "horizon_days",
    "start_date",
    "name",
    "run.seed",
    "run.replications",
    "run.block_size",
    "run.series_replications",
    "policy.msam.batteries",
    "policy.msam.start_day",
    "policy.msam.deploy",
    "policy.offensive_aid.shells_per_month",
    "policy.advisors.personnel",
    "policy.european_troops.personnel",
    "adversary.pilots_in_combat",
    "adversary.nk_munitions",
    "nonexistent.key",
]

_param_fields = st.sampled_from(KEYS).flatmap(
    lambda k: st.sampled_from(
        [f"parameters.{k}.{f}" for f in ("low", "high", "mode", "value", "dist", "as_of")]
        + [f"parameters.{k}"]
    )
)
targets = st.one_of(st.sampled_from(TOP_KEYS), _param_fields)


_FINITE = sorted(
    {float(v) for v in EXTREMES if v.lstrip("-").replace(".", "").replace("e", "").isdigit()}
    | {float(v) for v in ("5e-324", "-5e-324", "1e-300", "1e300", "-1e300", "1e19")}
)


def _extreme_distribution(key: str) -> st.SearchStrategy[str]:
    """Every numeric field of ``key``'s own kind (or, rarely, of another kind) at extreme
    values: in order (low <= mode <= high) half of the time, so that many cases validate."""
    own = str(_SPECS[key].dist)
    kinds = st.sampled_from([own] * 8 + list(FIELDS))

    def render(kind: str, vals: tuple[str, ...]) -> str:
        body = ", ".join(f"{n}: {v}" for n, v in zip(FIELDS[kind], vals, strict=True))
        return f"parameters.{key}={{dist: {kind}, {body}}}"

    def fields(kind: str) -> st.SearchStrategy[str]:
        n = len(FIELDS[kind])
        anything = st.tuples(*(st.sampled_from(EXTREMES) for _ in range(n)))
        ordered = st.lists(st.sampled_from(_FINITE), min_size=n, max_size=n).map(
            lambda vs: tuple(repr(v) for v in sorted(vs))
        )
        return st.one_of(anything, ordered).map(lambda vals: render(kind, vals))

    return kinds.flatmap(fields)


def _scaled(key: str) -> st.SearchStrategy[str]:
    """A field of ``key``'s distribution moved to a plausible value (a valid case, often)."""
    spec = _SPECS[key]
    fields = [f for f in ("low", "mode", "high", "value") if getattr(spec, f, None) is not None]
    return st.tuples(
        st.sampled_from(fields), st.sampled_from([0.0, 0.5, 0.9, 1.0, 1.1, 2.0, 10.0])
    ).map(lambda fv: f"parameters.{key}.{fv[0]}={float(getattr(spec, fv[0])) * fv[1]!r}")


extreme_distributions = st.sampled_from(KEYS).flatmap(_extreme_distribution)
scaled_fields = st.sampled_from(KEYS).flatmap(_scaled)
overrides = st.lists(
    st.one_of(
        st.tuples(targets, values).map(lambda kv: f"{kv[0]}={kv[1]}"),
        extreme_distributions,
        extreme_distributions,
        scaled_fields,
    ),
    min_size=1,
    max_size=4,
)
"""One to four overrides at once."""


def located(text: str) -> bool:
    """Whether every line of a ConfigError's text is one located issue."""
    lines = text.splitlines()
    return bool(lines) and all(_located_line(line) for line in lines)


def _located_line(line: str) -> bool:
    return re.match(r"^.+:\d+:\d+: \S", line) is not None


def describe(value: Any) -> str:
    """Short text of a failing example for assertion messages."""
    return repr(value)[:300]
