"""The seeding convention: every random number is a pure function of (seed, block, stream).

Replications are split into blocks of fixed size. Block ``b`` owns
``SeedSequence(seed, spawn_key=(b,))``; its children are

* ``spawn_key=(b, 0, h(name))`` for uncertain parameter ``name`` (one stream each),
* ``spawn_key=(b, 1, h(stream))`` for each model stream,
* ``spawn_key=(b, 1, h(stream), 1 + i)`` when replication ``i`` of a failed block is re-run
  alone, and ``(b, 1, h(stream), 1 + lo, 1 + hi)`` when replications ``lo .. hi-1`` are
  re-run together as a sub-block while the failures are isolated
  (:func:`scenario.engine.blocks.run_block`),
* ``spawn_key=(b, 2, 0)`` for the shuffles that impose rank correlations between parameters
  (Iman–Conover, :mod:`scenario.config.correlations`): one stream per block, used only when
  the scenario declares ``correlations``. The parameters' own streams are untouched, so a
  correlation reorders the draws of a block but never changes them, and
* ``spawn_key=(b, 3, 0)`` for the rows a block draws from a calibrated posterior
  (:mod:`scenario.config.posterior`): one uniform per replication, used only when the
  scenario names a ``posterior``. The parameters with a column take that row's values; the
  others keep their own streams, so their draws do not change,

with ``h`` a stable 32-bit hash (CRC-32 of the UTF-8 name). Because no stream depends on the
worker count, the executor, or which other parameters and streams exist, the same seed gives
bit-identical results everywhere, and two scenarios that differ only in levers see the same
parameter draws and the same model randomness (common random numbers).
"""

from __future__ import annotations

import zlib

import numpy as np

__all__ = [
    "block_seed",
    "correlation_rng",
    "model_rng",
    "parameter_rng",
    "posterior_rng",
    "stable_hash",
]

PARAMETER_BRANCH = 0
MODEL_BRANCH = 1
CORRELATION_BRANCH = 2
POSTERIOR_BRANCH = 3


def stable_hash(name: str) -> int:
    """CRC-32 of ``name`` (stable across processes and Python versions)."""
    return zlib.crc32(name.encode("utf-8")) & 0xFFFFFFFF


def _generator(seed: int, key: tuple[int, ...]) -> np.random.Generator:
    """PCG64 on ``SeedSequence(seed, spawn_key=key)``: every stream of the convention."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


def block_seed(seed: int, block: int) -> np.random.SeedSequence:
    """The ``SeedSequence`` of block ``block``."""
    return np.random.SeedSequence(seed, spawn_key=(block,))


def parameter_rng(seed: int, block: int, name: str) -> np.random.Generator:
    """Generator for sampling uncertain parameter ``name`` in block ``block``."""
    return _generator(seed, (block, PARAMETER_BRANCH, stable_hash(name)))


def model_rng(
    seed: int, block: int, stream: str, replication: int | None = None
) -> np.random.Generator:
    """Generator for model stream ``stream`` in block ``block``.

    With ``replication`` set, the stream for re-running that replication (index within the
    block) alone after its block failed.
    """
    key: tuple[int, ...] = (block, MODEL_BRANCH, stable_hash(stream))
    if replication is not None:
        key = (*key, 1 + replication)
    return _generator(seed, key)


def correlation_rng(seed: int, block: int) -> np.random.Generator:
    """Generator for the rank-correlation shuffles of block ``block``.

    Parameters
    ----------
    seed : int
        Root seed of the run.
    block : int
        Block index.

    Returns
    -------
    numpy.random.Generator
        PCG64 on ``SeedSequence(seed, spawn_key=(block, 2, 0))``.
    """
    return _generator(seed, (block, CORRELATION_BRANCH, 0))


def posterior_rng(seed: int, block: int) -> np.random.Generator:
    """Generator for the posterior rows drawn in block ``block``.

    Replication ``i`` of the block takes the ``i``-th uniform of this stream and draws its
    row by inverting the cumulative weights
    (:func:`scenario.config.posterior.draw_rows`), so the rows depend only on the seed,
    the block and the file, not on the levers or the other parameters: two scenarios run
    on the same seed with the same posterior draw the same rows (common random numbers).

    Parameters
    ----------
    seed : int
        Root seed of the run.
    block : int
        Block index.

    Returns
    -------
    numpy.random.Generator
        PCG64 on ``SeedSequence(seed, spawn_key=(block, 3, 0))``.
    """
    return _generator(seed, (block, POSTERIOR_BRANCH, 0))
