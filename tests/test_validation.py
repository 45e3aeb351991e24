"""Holding the baseline against the record: scores against closed forms; the calibrated
baseline covers every record point two-sidedly, beats the prior on the held-out months, and
fails when North Korean losses are biased by 30 % either way (a mutation test)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import scenario
from scenario.analysis.validation import check_points, crps, interval_score, match_fraction
from scenario.config.record import load_record

ROOT = Path(__file__).resolve().parents[1]
RECORD = load_record(ROOT / "configs" / "record" / "kursk_2024_2025.yaml")
CALIBRATED = ROOT / "configs" / "calibrated" / "baseline.yaml"
N = 3000
OVER = [f"run.series_replications={N}", f"run.block_size={N}"]


def _run(path: Path, seed: int = 5) -> scenario.Results:
    return scenario.run(scenario.load_config(path, overrides=OVER), replications=N, seed=seed)


@pytest.mark.parametrize("x", [0.0, 1.0, -2.0])
def test_crps_of_a_normal_sample_matches_the_closed_form(x: float) -> None:
    sample = np.random.default_rng(1).normal(size=100_000)
    exact = x * (2 * stats.norm.cdf(x) - 1) + 2 * stats.norm.pdf(x) - 1 / np.sqrt(np.pi)
    # The first term's standard error bounds the sampling error of the estimate.
    se = np.abs(sample - x).std() / np.sqrt(sample.size)
    assert abs(crps(sample, x) - exact) < 4 * se


def test_interval_score_penalises_misses_by_two_over_alpha() -> None:
    assert interval_score(1.0, 3.0, 2.0) == 2.0
    assert interval_score(1.0, 3.0, 0.0) == pytest.approx(2.0 + 20.0)
    assert interval_score(1.0, 3.0, 4.5, alpha=0.5) == pytest.approx(2.0 + 6.0)


@pytest.fixture(scope="module")
def calibrated() -> scenario.Results:
    return _run(CALIBRATED)


def test_calibrated_baseline_covers_every_point_two_sided(calibrated: scenario.Results) -> None:
    for row in check_points({"calibrated": calibrated}, RECORD.points):
        assert row.p5 <= row.observed <= row.p95, row
    # Most replications match both fitted points at once (the prior: about a quarter).
    assert match_fraction(calibrated, RECORD.fit_points()) > 0.6


def test_calibrated_baseline_beats_the_prior_on_the_held_out_months(
    calibrated: scenario.Results,
) -> None:
    prior = _run(ROOT / "configs" / "baseline.yaml")
    rows = check_points({"prior": prior, "calibrated": calibrated}, RECORD.holdout_points())
    by = {(r.run, r.point): r for r in rows}
    for p in RECORD.holdout_points():
        a, b = by[("prior", p.label)], by[("calibrated", p.label)]
        assert b.width < a.width, p.label
        assert b.crps < a.crps and b.interval_score < a.interval_score, p.label


@pytest.mark.parametrize("scale", [1.3, 0.7])
def test_a_30_percent_bias_in_losses_fails_the_face_validity_check(
    scale: float, tmp_path: Path
) -> None:
    """A copy of the posterior with the Ukrainian kill rate (which sets North Korean losses)
    scaled by 1.3 or 0.7: some record point falls outside the 90 % band."""
    lines = (CALIBRATED.parent / "baseline_posterior.csv").read_text().splitlines()
    head = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    col = lines[head].split(",").index("ground.ua_kill_rate")
    out = lines[: head + 1]
    for line in lines[head + 1 :]:
        cells = line.split(",")
        cells[col] = repr(float(cells[col]) * scale)
        out.append(",".join(cells))
    (tmp_path / "post.csv").write_text("\n".join(out) + "\n")
    (tmp_path / "biased.yaml").write_text(
        f"extends: {CALIBRATED}\nposterior:\n  file: post.csv\n  source: mutation test\n"
        "  as_of: 2026-11-27\n  confidence: none\n  method: abc-smc\n"
    )
    biased = _run(tmp_path / "biased.yaml")
    rows = check_points({"biased": biased}, RECORD.points)
    assert not all(r.p5 <= r.observed <= r.p95 for r in rows)
