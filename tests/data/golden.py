"""Regenerate tests/data/golden_outcomes.json: sums of every outcome of four configs.

    python tests/data/golden.py

tests/test_campaign.py checks the code still gives these numbers, so a refactor that
changes results by accident fails. Run this only when the model changes on purpose, and
say why in the commit.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np

import scenario

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = (
    "configs/adversary/pilots_in_combat.yaml",
    "configs/baseline.yaml",
    "configs/options/full_package.yaml",
    "configs/options/graduated_response.yaml",
)
OVERRIDES = ["run.block_size=150", "run.series_replications=20"]
REPLICATIONS, SEED = 400, 11


def main() -> None:
    """Write the file."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    out: dict[str, object] = {
        "_about": (
            f"Sums of every outcome over {REPLICATIONS} replications (seed {SEED}, block_size "
            f"150, series_replications 20), written by tests/data/golden.py on top of commit "
            f"{commit} (issue 9: the model's dead ends closed and new mechanisms). "
            "tests/test_campaign.py checks the code gives the same numbers."
        )
    }
    for path in CONFIGS:
        cfg = scenario.load_config(ROOT / path, overrides=OVERRIDES)
        res = scenario.run(cfg, replications=REPLICATIONS, seed=SEED)
        out[path] = {k: float(np.sum(v)) for k, v in res.outcomes.items()}
    target = ROOT / "tests" / "data" / "golden_outcomes.json"
    target.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
