r"""Calibration of a scenario's uncertain parameters to the historical record: ABC-SMC.

Approximate Bayesian computation by sequential Monte Carlo (Toni et al. 2009, J. R. Soc.
Interface 6) with adaptive tolerances and MCMC moves (Del Moral, Doucet & Jasra 2012).
Each calibrated parameter :math:`\theta_j` is handled through its prior's quantile function:
a particle is :math:`z \in \mathbb{R}^k` with :math:`\theta_j = F_j^{-1}(\Phi(z_j))`, so the
prior is the standard normal :math:`\pi(z) = \prod_j \varphi(z_j)` whatever the marginals
(discrete ones included). Every particle is simulated once (one replication, the model's own
randomness included), and compared with the record's fitting points :math:`y_k` (observation
sd :math:`s_k`) by the distance

.. math:: d = \Big(\frac1K \sum_k \big((x_k - y_k)/s_k\big)^2\Big)^{1/2}.

* Wave 0: :math:`4N` prior draws; the :math:`N` closest are kept.
* Wave :math:`t` (Del Moral, Doucet & Jasra 2012, *Statistics and Computing* 22): the
  tolerance :math:`\varepsilon_t` is the ``quantile`` of the particles' distances; the
  particles within it are resampled to :math:`N`, and each then makes ``moves``
  Metropolis-Hastings steps that leave the ABC posterior at :math:`\varepsilon_t`
  invariant: a random-walk proposal :math:`z' = z + \mathcal N(0, (2.38^2/k)\,\Sigma)`
  (:math:`\Sigma` the particles' covariance), simulated once, accepted when
  :math:`d(z') < \varepsilon_t` and :math:`u < \pi(z')/\pi(z)`. The weights stay equal, so
  they cannot degenerate in many dimensions (importance weights of the Beaumont et al.
  2009 kernel do, with the 42 ground parameters).
* The waves stop when the moves' acceptance rate falls under ``min_acceptance``, the
  tolerance stops shrinking (by less than 5 %), or after ``waves``.

Reported: the effective sample size of the particles (the number of distinct particles,
since the weights are equal and resampling repeats some), the acceptance rate and tolerance
of every wave, and for each parameter how far its posterior narrowed: the ratio of its 90 %
interval width to its prior's. Parameters not calibrated keep their prior.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from scenario.errors import EngineError, ResultsError

if TYPE_CHECKING:
    from scenario.config.record import Record, RecordPoint
    from scenario.config.schema import ScenarioConfig
    from scenario.results import Results

__all__ = [
    "Calibration",
    "Narrowing",
    "Wave",
    "calibrate",
    "calibration_parameters",
    "distances",
    "observe",
    "write_posterior",
]


@dataclass(frozen=True)
class Wave:
    """One ABC-SMC wave."""

    tolerance: float
    simulations: int
    accepted: int
    unique: int

    @property
    def acceptance(self) -> float:
        """Accepted / simulated (wave 0: kept / prior draws)."""
        return self.accepted / max(self.simulations, 1)


@dataclass(frozen=True)
class Narrowing:
    """How far one parameter's posterior narrowed from its prior (90 % interval widths)."""

    parameter: str
    prior_mean: float
    posterior_mean: float
    prior_width: float
    posterior_width: float

    @property
    def ratio(self) -> float:
        """Posterior width / prior width (1: no narrowing)."""
        return self.posterior_width / self.prior_width if self.prior_width > 0 else 1.0


@dataclass(frozen=True)
class Calibration:
    """The accepted particles (parameter values and weights) and the diagnostics."""

    record: str
    parameters: tuple[str, ...]
    values: np.ndarray  # (n, k): parameter values of the particles
    distances: np.ndarray  # (n,)
    waves: tuple[Wave, ...]
    narrowing: tuple[Narrowing, ...]
    seed: int

    @property
    def weights(self) -> np.ndarray:
        """The particles' weights: equal (module docstring), summing to 1."""
        n = self.values.shape[0]
        return np.full(n, 1.0 / n)

    @property
    def ess(self) -> float:
        """Effective sample size: distinct particles (the weights are equal)."""
        return float(np.unique(self.values, axis=0).shape[0])

    @property
    def simulations(self) -> int:
        """Replications simulated in all waves."""
        return sum(w.simulations for w in self.waves)


def observe(results: Results, point: RecordPoint) -> np.ndarray:
    """Each replication's value of a record point's quantity (a series on its date, or an
    outcome)."""
    if point.quantity in results.series:
        if point.date is None:
            raise ResultsError(f"record point {point.label}: a daily series needs a date")
        day = (point.date - results.config.start_date).days
        series = results.series[point.quantity]
        if not 0 <= day < series.shape[1]:
            raise ResultsError(
                f"record point {point.label}: the date is outside the horizon "
                f"{results.config.start_date} + {series.shape[1]} days"
            )
        if series.shape[0] != results.replications:
            raise ResultsError(
                f"record point {point.label}: series kept for {series.shape[0]} of "
                f"{results.replications} replications; raise run.series_replications"
            )
        return np.asarray(series[:, day], dtype=np.float64)
    if point.quantity in results.outcomes:
        return results.outcomes[point.quantity]
    import difflib

    known = [*results.series, *results.outcomes]
    close = difflib.get_close_matches(point.quantity, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise ResultsError(f"record point {point.label}: no series or outcome of that name{hint}")


def distances(results: Results, points: Sequence[RecordPoint]) -> np.ndarray:
    """The distance of each replication to the points (module docstring); inf if failed."""
    sq = np.zeros(results.replications)
    for p in points:
        sq += ((observe(results, p) - p.value) / p.scale) ** 2
    d = np.sqrt(sq / len(points))
    return np.where(np.isfinite(d), d, np.inf)


def calibration_parameters(config: ScenarioConfig, record: Record) -> tuple[str, ...]:
    """Default parameters to calibrate: those of the submodels producing the fit points'
    quantities (all the model's parameters for a model not made of submodels)."""
    from scenario.engine.runner import resolve_model

    model = resolve_model(config)
    subs = getattr(model, "submodels", None)
    if subs is None:
        return tuple(p.key for p in model.parameters)
    wanted = {p.quantity for p in record.fit_points()}
    keys: list[str] = []
    for sm in subs:
        names = {o.name for o in sm.outcomes} | {s.name for s in sm.series}
        if names & wanted:
            keys.extend(p.key for p in sm.parameters)
    if not keys:
        raise EngineError(
            f"no submodel of {model.name!r} produces the record's fit quantities {sorted(wanted)}"
        )
    return tuple(keys)


class _Simulator:
    """Runs particles (z) through the model and measures their distances."""

    def __init__(
        self,
        config: ScenarioConfig,
        keys: Sequence[str],
        points: Sequence[RecordPoint],
        seed: int,
        workers: int | None,
    ) -> None:
        self.config = config
        self.keys = tuple(keys)
        self.points = tuple(points)
        self.specs = config.flat_parameters()
        self.seeds = np.random.SeedSequence([seed, 0xCA11B])
        self.workers = workers
        self.count = 0

    def values(self, z: np.ndarray) -> np.ndarray:
        """Parameter values of particles ``z`` (n, k)."""
        from scipy.special import ndtr

        from scenario.config.distributions import ppf

        u = np.clip(ndtr(z), 1e-12, 1.0 - 1e-12)
        return np.column_stack([ppf(self.specs[k], u[:, j]) for j, k in enumerate(self.keys)])

    def __call__(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(values, distances)`` of one replication per particle."""
        from scenario.engine.runner import run

        values = self.values(z)
        n = z.shape[0]
        cfg = self.config.model_copy(
            update={"run": self.config.run.model_copy(update={"series_replications": n})}
        )
        seed = int(self.seeds.spawn(1)[0].generate_state(1, np.uint64)[0] >> np.uint64(1))
        res = run(
            cfg,
            replications=n,
            seed=seed,
            workers=self.workers,
            design={k: values[:, j] for j, k in enumerate(self.keys)},
        )
        self.count += n
        return values, distances(res, self.points)


def _move(
    sim: _Simulator,
    state: tuple[np.ndarray, np.ndarray, np.ndarray],
    tolerance: float,
    rng: np.random.Generator,
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], int]:
    """One Metropolis-Hastings move of every particle (module docstring); returns the new
    ``(z, values, distances)`` and how many proposals were accepted."""
    z, values, dist = state
    n, k = z.shape
    cov = np.atleast_2d(np.cov(z, rowvar=False)) * (2.38**2 / k) + 1e-9 * np.eye(k)
    prop = z + rng.standard_normal((n, k)) @ np.linalg.cholesky(cov).T
    pv, pd = sim(prop)
    log_ratio = -0.5 * ((prop**2).sum(axis=1) - (z**2).sum(axis=1))
    ok = (pd < tolerance) & (np.log(rng.random(n)) < log_ratio)
    return (
        np.where(ok[:, None], prop, z),
        np.where(ok[:, None], pv, values),
        np.where(ok, pd, dist),
    ), int(ok.sum())


def _narrowing(sim: _Simulator, values: np.ndarray) -> tuple[Narrowing, ...]:
    """Prior and posterior (equally weighted particles) means and 90 % widths."""
    from scenario.config.distributions import ppf

    out = []
    for j, key in enumerate(sim.keys):
        spec = sim.specs[key]
        prior = ppf(spec, np.linspace(0.0005, 0.9995, 1000))
        lo, hi = ppf(spec, np.array([0.05, 0.95]))
        q5, q95 = np.quantile(values[:, j], [0.05, 0.95])
        out.append(
            Narrowing(
                parameter=key,
                prior_mean=float(prior.mean()),
                posterior_mean=float(values[:, j].mean()),
                prior_width=float(hi - lo),
                posterior_width=float(q95 - q5),
            )
        )
    return tuple(out)


def _smc(
    sim: _Simulator,
    rng: np.random.Generator,
    particles: int,
    waves: int,
    quantile: float,
    min_acceptance: float,
    moves: int,
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], list[Wave]]:
    """Wave 0 and the resample-move waves (module docstring); returns the final
    ``(z, values, distances)`` and the waves."""
    z0 = rng.standard_normal((4 * particles, len(sim.keys)))
    v0, d0 = sim(z0)
    best = np.argsort(d0, kind="stable")[:particles]
    state = (z0[best], v0[best], d0[best])
    history = [Wave(float(state[2].max()), z0.shape[0], particles, particles)]
    for _ in range(waves):
        tol = float(np.quantile(state[2], quantile))
        alive = np.flatnonzero(state[2] < tol)
        if alive.size == 0:
            break
        pick = rng.choice(alive, size=particles, replace=True)
        state = (state[0][pick], state[1][pick], state[2][pick])
        accepted = 0
        for _ in range(moves):
            state, ok = _move(sim, state, tol, rng)
            accepted += ok
        unique = int(np.unique(state[1], axis=0).shape[0])
        history.append(Wave(tol, moves * particles, accepted, unique))
        if history[-1].acceptance < min_acceptance or tol / history[-2].tolerance > 0.95:
            break
    return state, history


def calibrate(
    config: ScenarioConfig,
    record: Record,
    *,
    particles: int = 1000,
    waves: int = 8,
    quantile: float = 0.5,
    min_acceptance: float = 0.05,
    moves: int = 3,
    seed: int | None = None,
    workers: int | None = None,
    parameters: Sequence[str] | None = None,
) -> Calibration:
    """Calibrate ``config``'s parameters to the fitting points of ``record`` by ABC-SMC.

    Parameters
    ----------
    config : ScenarioConfig
        The prior scenario (its parameter distributions are the priors).
    record : Record
        The record; its ``use: fit`` points are fitted.
    particles : int
        Particles ``N`` (wave 0 simulates ``4 N`` prior draws; each wave ``moves x N``).
    waves : int
        Most waves after wave 0.
    quantile : float
        Each wave's tolerance is this quantile of the previous wave's distances.
    min_acceptance : float
        Stop when a wave's moves accept fewer than this share of their proposals.
    moves : int
        Metropolis-Hastings moves of every particle per wave.
    seed : int, optional
        Seeds the particles and every simulation (default: the config's).
    workers : int, optional
        Worker processes for the simulations.
    parameters : sequence of str, optional
        Parameters to calibrate (default: :func:`calibration_parameters`).

    Returns
    -------
    Calibration
    """
    if particles < 10 or not 0.0 < quantile < 1.0 or waves < 0:
        raise EngineError(
            f"calibrate: need particles >= 10, 0 < quantile < 1, waves >= 0 (got "
            f"particles={particles}, quantile={quantile}, waves={waves})"
        )
    s = config.run.seed if seed is None else seed
    keys = tuple(parameters) if parameters is not None else calibration_parameters(config, record)
    unknown = [k for k in keys if k not in config.flat_parameters()]
    if unknown:
        raise EngineError(f"parameters: not parameters of this config: {unknown}")
    sim = _Simulator(config, keys, record.fit_points(), s, workers)
    rng = np.random.default_rng(np.random.SeedSequence([s, 0xABC]))
    state, history = _smc(sim, rng, particles, waves, quantile, min_acceptance, moves)
    return Calibration(
        record=record.name,
        parameters=keys,
        values=state[1],
        distances=state[2],
        waves=tuple(history),
        narrowing=_narrowing(sim, state[1]),
        seed=s,
    )


def write_posterior(
    calibration: Calibration, path: str | Path, *, record_file: str, config_name: str
) -> Path:
    """Write the accepted particles as a posterior CSV (comment lines with provenance, a
    header of parameter keys and ``weight``, one row per particle)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        f"# posterior of {config_name}: ABC-SMC on {record_file} (record {calibration.record})",
        f"# written {dt.date.today().isoformat()}, seed {calibration.seed}, "
        f"{len(calibration.weights)} equally weighted particles ({calibration.ess:.0f} "
        f"distinct), {calibration.simulations} simulations",
        ",".join([*calibration.parameters, "weight"]),
    ]
    for row, wt in zip(calibration.values, calibration.weights, strict=True):
        lines.append(",".join([*(format(float(v), ".8g") for v in row), format(float(wt), ".8g")]))
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(target)
    return target
