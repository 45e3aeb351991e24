"""The simulation engine: seeding, blocks, executors."""

from scenario.engine.rng import block_seed, model_rng, parameter_rng, stable_hash
from scenario.engine.runner import ProgressCallback, check_config, estimate_memory, run

__all__ = [
    "ProgressCallback",
    "block_seed",
    "check_config",
    "estimate_memory",
    "model_rng",
    "parameter_rng",
    "run",
    "stable_hash",
]
