r"""Scenario discovery with PRIM: which input ranges make an outcome of interest likely.

Cases of interest are the replications whose outcome :math:`y_i` is strictly above (or
below) a threshold :math:`t`, :math:`c_i = 1[y_i > t]` (or :math:`1[y_i < t]`); replications
with a non-finite outcome are dropped and counted. A box :math:`B = \prod_j [l_j, h_j]` over
the inputs :math:`x_{ij}` holds the replications with :math:`l_j \le x_{ij} \le h_j` for
every :math:`j`. With :math:`N` replications and :math:`C = \sum_i c_i` cases:

.. math::

    \mathrm{coverage}(B) = \frac{\sum_{i \in B} c_i}{C}, \quad
    \mathrm{density}(B) = \frac{\sum_{i \in B} c_i}{|B|}, \quad
    \mathrm{mass}(B) = \frac{|B|}{N}.

**Peeling** (Friedman and Fisher 1999, "Bump hunting in high-dimensional data", Statistics
and Computing 9). From the box that holds every replication, each step considers, for every
input and each of its two faces, peeling off the share :math:`\alpha` (``peel_alpha``) of
the box's points: those below the :math:`\alpha` quantile (above the :math:`1-\alpha`
quantile) of the input inside the box. For an input with at most
:data:`DISCRETE_MAX_VALUES` distinct values (or when ties make the quantile cut remove
nothing) the peel removes the whole lowest (highest) value left in the box. Among the peels
that remove at least one point and keep :math:`\mathrm{mass} \ge` ``mass_min``, it takes the
one with the largest density gain per point removed,
:math:`(\mathrm{density}(B') - \mathrm{density}(B)) / (|B| - |B'|)`; for the equal-share
continuous peels this is the peel that leaves the densest box, and it keeps a discrete peel
that removes many points from winning only by its size (Friedman and Fisher, categorical
inputs). Peeling stops when no peel is allowed or the density is 1. The boxes
:math:`B_0 \supset B_1 \supset \dots \supset B_T` are the *peeling trajectory*; coverage
never increases along it and mass always decreases.

**Choosing a box.** Default: :math:`d^*` is the highest density among the boxes with
coverage at least :data:`COVERAGE_FLOOR` (0.5; :math:`B_0` always qualifies) and
:math:`s^* = \sqrt{p(1-p)/|B^*|}`, :math:`p = (d^*|B^*| + 1)/(|B^*| + 2)`, its binomial
standard error; the chosen box has the highest coverage among those with coverage
:math:`\ge 0.5` and density :math:`\ge d^* - 2 s^*`. The band matters: :math:`d^*` is a
maximum over many nested boxes, so without it the choice follows the noise inside a dense
region and peels the box too far (in the planted-box test, bounds off by up to 0.1 and
spurious restrictions). With ``threshold_density`` :math:`\tau`: the box with the highest
coverage whose density is at least :math:`\tau` (the first on the trajectory to reach it).

**Pasting** (Friedman and Fisher) then enlarges one restricted face at a time by
the :math:`\lceil \alpha_p |B| \rceil` nearest points (``paste_alpha``) outside the box in
that input only (a discrete input: the next value), taking the densest candidate while it
does not lower the density. **Pruning** then drops, one at a time, each restriction whose
removal lowers the density by less than two such standard errors (never below
``threshold_density``).

**Restrictions.** Input :math:`j` is restricted if :math:`l_j > \min_i x_{ij}` or
:math:`h_j < \max_i x_{ij}`. With :math:`B_{-j}` the box with input :math:`j` unrestricted,
its importance is the density drop :math:`\mathrm{density}(B) - \mathrm{density}(B_{-j})`
(restrictions are listed by it, largest first), and its quasi-p-value (Bryant and Lempert
2010, Technological Forecasting and Social Change 77; as in the EMA Workbench) is the
one-sided binomial tail :math:`P(K \ge k_B)`, :math:`K \sim \mathrm{Binomial}(|B|,
\mathrm{density}(B_{-j}))`: how likely a box of that size holds as many cases if the
restriction added nothing. It is "quasi" because the box was chosen on the same data.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from scenario.analysis.prim import box_stats, choose_box, paste, peel, prune, restriction_stats
from scenario.errors import ResultsError

if TYPE_CHECKING:
    from scenario.results import Results

__all__ = [
    "COVERAGE_FLOOR",
    "DISCRETE_MAX_VALUES",
    "Box",
    "Discovery",
    "Restriction",
    "TrajectoryStep",
    "discover",
    "discover_arrays",
]

DISCRETE_MAX_VALUES = 10
"""An input with at most this many distinct values is peeled and pasted a whole value at a
time."""

COVERAGE_FLOOR = 0.5
"""The default box choice only considers boxes with at least this coverage."""


def _num(x: float) -> str:
    """A bound or threshold in plain form: ``1,614``, ``40.2``, ``0.623``."""
    if not math.isfinite(x):
        return str(x)
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 100:
        return f"{x:.0f}"
    return "0" if x == 0 else f"{x:.3g}"


class TrajectoryStep(BaseModel):
    """One box on the peeling trajectory (step 0 holds every replication)."""

    model_config = ConfigDict(frozen=True)

    step: int
    coverage: float
    density: float
    mass: float
    n_points: int
    n_cases: int
    n_restricted: int
    bounds: dict[str, tuple[float, float]]
    """``(low, high)`` of each restricted input, in the input's units."""


class Restriction(BaseModel):
    """The range of one restricted input in a box, with how much it matters."""

    model_config = ConfigDict(frozen=True)

    input: str
    low: float
    high: float
    sample_low: float
    sample_high: float
    discrete: bool
    density_drop: float
    """Density of the box minus the density with this input unrestricted."""
    p_value: float
    """Quasi-p-value: binomial tail of the box's cases at the unrestricted density."""

    @property
    def bounded_below(self) -> bool:
        """Whether the low end is above the sample minimum."""
        return self.low > self.sample_low

    @property
    def bounded_above(self) -> bool:
        """Whether the high end is below the sample maximum."""
        return self.high < self.sample_high

    def describe(self) -> str:
        """The restriction in words, e.g. ``"x is below 0.62"``.

        Returns
        -------
        str
            ``is V`` (one value), ``is between L and H``, ``is above L`` or ``is below H``
            (``at least``/``at most`` for a discrete input).
        """
        if self.low == self.high:
            return f"{self.input} is {_num(self.low)}"
        if self.bounded_below and self.bounded_above:
            return f"{self.input} is between {_num(self.low)} and {_num(self.high)}"
        if self.bounded_below:
            word = "at least" if self.discrete else "above"
            return f"{self.input} is {word} {_num(self.low)}"
        word = "at most" if self.discrete else "below"
        return f"{self.input} is {word} {_num(self.high)}"


class Box(BaseModel):
    """The chosen box: restricted inputs (most important first) and its statistics."""

    model_config = ConfigDict(frozen=True)

    outcome: str
    side: Literal["above", "below"]
    threshold: float
    restrictions: tuple[Restriction, ...]
    coverage: float
    density: float
    mass: float
    n_points: int
    n_cases: int

    def describe(self) -> str:
        """One sentence in plain words.

        Returns
        -------
        str
            For example "ad_leakers is above 900 in 71% of the 1,240 replications where
            air_defence.msam_pk_ballistic is below 0.62 and air_defence.ballistic_per_day is
            above 40 (this box holds 64% of all such replications)."
        """
        head = f"{self.outcome} is {self.side} {_num(self.threshold)}"
        if not self.restrictions:
            return (
                f"{head} in {self.density:.0%} of all {self.n_points:,} replications; "
                "no range of the inputs singles these replications out."
            )
        words = [r.describe() for r in self.restrictions]
        where = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
        return (
            f"{head} in {self.density:.0%} of the {self.n_points:,} replications where "
            f"{where} (this box holds {self.coverage:.0%} of all such replications)."
        )


class Discovery(BaseModel):
    """What :func:`discover` found: the peeling trajectory and the chosen, pasted box."""

    model_config = ConfigDict(frozen=True)

    outcome: str
    side: Literal["above", "below"]
    threshold: float
    inputs: tuple[str, ...]
    n: int
    """Replications with a finite outcome (the points PRIM sees)."""
    n_dropped: int
    """Replications dropped for a non-finite outcome."""
    n_cases: int
    trajectory: tuple[TrajectoryStep, ...]
    chosen: int
    """Step of the trajectory that was chosen, then pasted into :attr:`box`."""
    rule: str
    box: Box
    peel_alpha: float
    paste_alpha: float
    mass_min: float
    threshold_density: float | None

    def describe(self) -> str:
        """The chosen box in one sentence (:meth:`Box.describe`)."""
        return self.box.describe()


def _closest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _check_args(
    above: float | None,
    below: float | None,
    peel_alpha: float,
    paste_alpha: float,
    mass_min: float,
    threshold_density: float | None,
) -> tuple[Literal["above", "below"], float]:
    """Validate the options; return the side and the threshold."""
    if (above is None) == (below is None):
        raise ResultsError(
            f"give exactly one of above= or below= (got above={above!r}, below={below!r})"
        )
    checks = (("peel_alpha", peel_alpha, 0.5), ("paste_alpha", paste_alpha, 1.0))
    for name, value, hi in (*checks, ("mass_min", mass_min, 1.0)):
        if not 0 < value < hi:
            raise ResultsError(f"{name} must be in (0, {hi:g}) (got {value!r})")
    if threshold_density is not None and not 0 < threshold_density <= 1:
        raise ResultsError(f"threshold_density must be in (0, 1] (got {threshold_density!r})")
    side: Literal["above", "below"] = "above" if above is not None else "below"
    threshold = float(above) if above is not None else float(below or 0.0)
    if not math.isfinite(threshold):
        raise ResultsError(f"the threshold must be a finite number (got {side}={threshold!r})")
    return side, threshold


def discover(
    results: Results,
    outcome: str,
    *,
    above: float | None = None,
    below: float | None = None,
    inputs: Sequence[str] | None = None,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    mass_min: float = 0.05,
    threshold_density: float | None = None,
) -> Discovery:
    """Find the input ranges where ``outcome`` is above (or below) a threshold (PRIM).

    See the module docstring for the method, the box choice and the quasi-p-values.

    Parameters
    ----------
    results : Results
        A run; its sampled inputs (``results.inputs``) are the candidate dimensions.
    outcome : str
        The outcome column that defines the cases of interest.
    above, below : float, optional
        Exactly one: cases of interest are the replications with ``outcome > above`` (or
        ``outcome < below``).
    inputs : sequence of str, optional
        Inputs to consider (default: every sampled input).
    peel_alpha, paste_alpha : float
        Share of the box's points peeled off (pasted on) per step.
    mass_min : float
        Peeling stops before the box holds fewer than this share of the replications.
    threshold_density : float, optional
        Choose the box with the highest coverage whose density reaches this value, instead
        of the default rule.

    Returns
    -------
    Discovery

    Raises
    ------
    ResultsError
        An unknown outcome or input (with the closest name), both or neither of ``above``
        and ``below``, an option out of range, no finite outcome, no case of interest or
        only cases of interest, or no box reaching ``threshold_density``.
    """
    if outcome not in results.outcomes:
        raise ResultsError(f"outcome: no outcome {outcome!r}{_closest(outcome, results.outcomes)}")
    names = list(results.inputs) if inputs is None else list(inputs)
    for name in names:
        if name not in results.inputs:
            raise ResultsError(
                f"inputs: no sampled input {name!r}{_closest(name, results.inputs)}"
            )
    return discover_arrays(
        {name: results.inputs[name] for name in names},
        results.outcomes[outcome],
        outcome=outcome,
        above=above,
        below=below,
        peel_alpha=peel_alpha,
        paste_alpha=paste_alpha,
        mass_min=mass_min,
        threshold_density=threshold_density,
    )


def discover_arrays(
    inputs: Mapping[str, np.ndarray],
    values: np.ndarray,
    *,
    outcome: str = "outcome",
    above: float | None = None,
    below: float | None = None,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    mass_min: float = 0.05,
    threshold_density: float | None = None,
) -> Discovery:
    """PRIM on plain columns: :func:`discover` without a :class:`~scenario.results.Results`.

    Parameters
    ----------
    inputs : mapping of str to array
        One column per input, each as long as ``values``.
    values : array
        The outcome, one value per replication (non-finite values are dropped).
    outcome : str
        Name of the outcome in the sentence.
    above, below, peel_alpha, paste_alpha, mass_min, threshold_density
        As in :func:`discover`.

    Returns
    -------
    Discovery

    Raises
    ------
    ResultsError
        As in :func:`discover`, and for columns of different lengths, no input, or a
        non-finite input value.
    """
    side, threshold = _check_args(
        above, below, peel_alpha, paste_alpha, mass_min, threshold_density
    )
    y_all = np.asarray(values, dtype=np.float64).ravel()
    names, x, finite = _columns(inputs, y_all)
    y = y_all[finite] > threshold if side == "above" else y_all[finite] < threshold
    _check_cases(outcome, side, threshold, int(y.sum()), int(y.size))
    discrete = np.array([np.unique(col).size <= DISCRETE_MAX_VALUES for col in x.T])
    los, his = peel(x, y, discrete, alpha=peel_alpha, mass_min=mass_min)
    steps = tuple(
        _step(i, x, y, lo, hi, names) for i, (lo, hi) in enumerate(zip(los, his, strict=True))
    )
    chosen, rule = choose_box(
        [s.coverage for s in steps],
        [s.density for s in steps],
        [s.n_points for s in steps],
        threshold_density=threshold_density,
        floor=COVERAGE_FLOOR,
    )
    lo, hi = paste(x, y, los[chosen], his[chosen], discrete, alpha=paste_alpha)
    lo, hi = prune(x, y, lo, hi, min_density=threshold_density or 0.0)
    box = _box(x, y, lo, hi, discrete, names, outcome, side, threshold)
    return Discovery(
        outcome=outcome,
        side=side,
        threshold=threshold,
        inputs=names,
        n=int(y.size),
        n_dropped=int(y_all.size - y.size),
        n_cases=int(y.sum()),
        trajectory=steps,
        chosen=chosen,
        rule=rule,
        box=box,
        peel_alpha=peel_alpha,
        paste_alpha=paste_alpha,
        mass_min=mass_min,
        threshold_density=threshold_density,
    )


def _columns(
    inputs: Mapping[str, np.ndarray], y_all: np.ndarray
) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Names, the input matrix of the rows with a finite outcome, and those rows."""
    names = tuple(inputs)
    if not names:
        raise ResultsError("inputs: no input to discover a box over (got an empty list)")
    for name in names:
        col = np.asarray(inputs[name])
        if col.shape != y_all.shape:
            raise ResultsError(
                f"inputs: column {name!r} has {col.size} values, the outcome {y_all.size}"
            )
        if not np.all(np.isfinite(col)):
            raise ResultsError(f"inputs: column {name!r} has non-finite values")
    finite = np.isfinite(y_all)
    x = np.column_stack([np.asarray(inputs[n], dtype=np.float64)[finite] for n in names])
    return names, x, finite


def _check_cases(outcome: str, side: str, threshold: float, cases: int, n: int) -> None:
    """Refuse a run with no finite outcome, no case of interest, or only cases."""
    if n == 0:
        raise ResultsError(f"outcome {outcome!r}: no replication has a finite value")
    if cases == 0:
        raise ResultsError(
            f"outcome {outcome!r}: no replication of {n:,} is {side} {_num(threshold)}; "
            "there is nothing to discover (choose another threshold)"
        )
    if cases == n:
        raise ResultsError(
            f"outcome {outcome!r}: every replication of {n:,} is {side} {_num(threshold)}; "
            "there is nothing to discover (choose another threshold)"
        )


def _step(
    i: int, x: np.ndarray, y: np.ndarray, lo: np.ndarray, hi: np.ndarray, names: tuple[str, ...]
) -> TrajectoryStep:
    m, c = box_stats(x, y, lo, hi)
    cut = (lo > x.min(axis=0)) | (hi < x.max(axis=0))
    bounds = {names[j]: (float(lo[j]), float(hi[j])) for j in np.flatnonzero(cut)}
    return TrajectoryStep(
        step=i,
        coverage=c / int(y.sum()),
        density=c / m,
        mass=m / y.size,
        n_points=m,
        n_cases=c,
        n_restricted=len(bounds),
        bounds=bounds,
    )


def _box(
    x: np.ndarray,
    y: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    discrete: np.ndarray,
    names: tuple[str, ...],
    outcome: str,
    side: Literal["above", "below"],
    threshold: float,
) -> Box:
    """The :class:`Box` of bounds ``(lo, hi)``, with its restrictions ranked."""
    m, c = box_stats(x, y, lo, hi)
    smin, smax = x.min(axis=0), x.max(axis=0)
    restrictions = tuple(
        Restriction(
            input=names[r.column],
            low=r.low,
            high=r.high,
            sample_low=float(smin[r.column]),
            sample_high=float(smax[r.column]),
            discrete=bool(discrete[r.column]),
            density_drop=r.density_drop,
            p_value=r.p_value,
        )
        for r in restriction_stats(x, y, lo, hi)
    )
    return Box(
        outcome=outcome,
        side=side,
        threshold=threshold,
        restrictions=restrictions,
        coverage=c / int(y.sum()),
        density=c / m,
        mass=m / y.size,
        n_points=m,
        n_cases=c,
    )
