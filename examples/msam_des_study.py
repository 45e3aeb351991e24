"""M-SAM engagement as a discrete-event study (simpy): one night's raid on a defended area.

    python examples/msam_des_study.py            # 400 replications per setting
    python examples/msam_des_study.py -n 100

For 0 to 3 Cheongung-II batteries (4 launchers x 8 missiles each) joining the existing
Ukrainian air defence, it simulates a night's raid with the discrete-event model: threats
arrive over the raid window, fire units have engagement channels, finite magazines,
reaction and flight time, and shoot-look-shoot doctrine. Uncertain inputs (kill
probabilities, channels, warning times, raid size) are drawn from configs/baseline.yaml, so
each replication is one plausible night. A second table scales the raid up to show
saturation: when the batteries' magazines and channels run out, leakers rise again.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np

import scenario
from scenario.config.distributions import sample
from scenario.models.kernels.engagement import CLASSES, FireUnit, UnitState, run_des

ROOT = Path(__file__).resolve().parents[1]


def night(
    inputs: dict[str, np.ndarray],
    i: int,
    batteries: int,
    scale: float,
    threat_rng: np.random.Generator,
    rng: np.random.Generator,
) -> tuple[np.ndarray, float]:
    """One raid night for replication ``i``: (leakers by class, M-SAM interceptors used).

    Threats come from ``threat_rng`` and engagements from ``rng``, so every battery count
    faces the same threats (common random numbers).
    """
    p = {k.split(".", 1)[1]: float(v[i]) for k, v in inputs.items()}
    lam = scale * np.array(
        [p["ballistic_per_day"], p["cruise_per_day"], p["aircraft_per_day"], p["drone_per_day"]]
    )
    counts = threat_rng.poisson(lam)
    cls = np.repeat(np.arange(4), counts)
    times = threat_rng.uniform(0, p["raid_window_hours"] * 3600, cls.size)
    units, states = [], []
    if batteries:
        units.append(
            FireUnit(
                "msam",
                batteries * round(p["msam_channels_per_battery"]),
                (p["msam_pk_ballistic"], p["msam_pk_cruise"], p["msam_pk_aircraft"], 0.0),
                look_time=p["msam_reaction_s"] + p["msam_flight_s"],
                salvo=1,
                looks=2,
            )
        )
        states.append(UnitState(ready=batteries * 32.0, capacity=batteries * 32.0))
    units.append(
        FireUnit(
            "ua",
            max(1, round(p["ua_channels"])),
            (p["ua_pk_ballistic"], p["ua_pk_cruise"], p["ua_pk_aircraft"], p["ua_pk_drone"]),
            look_time=p["ua_look_time_s"],
            salvo=1,
            looks=2,
        )
    )
    states.append(UnitState(ready=p["ua_ready"], capacity=p["ua_ready"]))
    warning = [
        p["warning_ballistic_s"],
        p["warning_cruise_s"],
        p["warning_aircraft_s"],
        p["warning_drone_s"],
    ]
    out = run_des(times, cls, units, states, warning=warning, p_detect=p["p_detect"], rng=rng)
    return out.leakers, out.used.get("msam", 0.0)


def main(argv: list[str] | None = None) -> int:
    """Run the study and print leakers with 95 % intervals."""
    parser = argparse.ArgumentParser(description="M-SAM discrete-event engagement study.")
    parser.add_argument("-n", "--replications", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    n = args.replications

    cfg = scenario.load_config(ROOT / "configs" / "baseline.yaml")
    specs = {k: v for k, v in cfg.flat_parameters().items() if k.startswith("air_defence.")}
    root = np.random.SeedSequence(args.seed)
    param_ss, *night_ss = root.spawn(1 + 4 * 4)
    prng = np.random.default_rng(param_ss)
    inputs = {k: sample(spec, n, rng=prng) for k, spec in specs.items()}

    def table(scale: float, seeds: list[np.random.SeedSequence]) -> None:
        print(f"\nraid scale x{scale:g} (mean leakers per night [95% CI])")
        print(
            f"  {'batteries':>9s}  "
            + "  ".join(f"{c:>18s}" for c in CLASSES)
            + f"  {'M-SAM shots':>11s}"
        )
        for batteries, ss in zip(range(4), seeds, strict=True):
            leak = np.empty((n, 4))
            shots = np.empty(n)
            threat_ss, engage_ss = ss.spawn(2)
            threat_rng = np.random.default_rng(threat_ss)
            rng = np.random.default_rng(engage_ss)
            for i in range(n):
                leak[i], shots[i] = night(inputs, i, batteries, scale, threat_rng, rng)
            cells = []
            for c in range(4):
                m = leak[:, c].mean()
                h = 1.96 * leak[:, c].std(ddof=1) / math.sqrt(n)
                cells.append(f"{m:7.2f} [{m - h:5.2f},{m + h:5.2f}]")
            print(f"  {batteries:9d}  " + "  ".join(cells) + f"  {shots.mean():11.1f}")

    # The same seed for every battery count: each setting faces the same nights.
    table(
        1.0,
        [
            np.random.SeedSequence(night_ss[0].entropy, spawn_key=night_ss[0].spawn_key)
            for _ in range(4)
        ],
    )
    table(
        10.0,
        [
            np.random.SeedSequence(night_ss[1].entropy, spawn_key=night_ss[1].spawn_key)
            for _ in range(4)
        ],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
