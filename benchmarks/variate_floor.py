"""The campaign's random-variate floor: its own draws, replayed alone.

A run of the campaign is instrumented (benchmark only): every submodel's generator is
wrapped in a :class:`Recorder` that logs each call (method, copied argument arrays) in
order and forwards it to the real generator. :func:`replay` then makes the same calls,
in the same order with the same arguments, on fresh generators of the same streams,
and nothing else: the time that takes is the floor no implementation of the same model
(same distributions, same counts, same arguments) can beat with numpy's samplers.
:func:`record` checks that the replay reproduces every recorded draw bit for bit.
"""

from __future__ import annotations

import dataclasses
import time
import zlib
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

import scenario
from scenario.models.protocol import Block, BlockOutput
from scenario.models.registry import get_model

__all__ = ["Call", "Recorder", "record", "replay"]


@dataclasses.dataclass(frozen=True)
class Call:
    """One recorded generator call: stream path, method, arguments, result checksum."""

    path: tuple[str | int, ...]
    method: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    checksum: int
    size: int


def _fresh(g: np.random.Generator) -> np.random.Generator:
    """A new generator on the same seed (no children spawned yet, untouched state)."""
    ss = g.bit_generator.seed_seq
    if not isinstance(ss, np.random.SeedSequence):
        raise TypeError("the engine's generators are seeded by SeedSequence")
    seq = np.random.SeedSequence(ss.entropy, spawn_key=ss.spawn_key, pool_size=ss.pool_size)
    return np.random.Generator(type(g.bit_generator)(seq))


def _copy(x: Any) -> Any:
    return np.array(x, copy=True) if isinstance(x, np.ndarray) else x


def _checksum(out: Any) -> tuple[int, int]:
    arr = np.ascontiguousarray(out)
    return zlib.crc32(arr.tobytes()), int(arr.size)


class Recorder:
    """A generator stand-in that logs every call, then forwards it (see module doc)."""

    def __init__(self, gen: np.random.Generator, path: tuple[str | int, ...], log: list[Call]):
        self._gen = gen
        self._path = path
        self._log = log
        self._spawned = 0

    def spawn(self, k: int) -> list[Recorder]:
        """Child generators, themselves recorded (their path extends this one's)."""
        kids = self._gen.spawn(k)
        first = self._spawned
        self._spawned += k
        return [Recorder(g, (*self._path, first + i), self._log) for i, g in enumerate(kids)]

    def __getattr__(self, name: str) -> Callable[..., Any]:
        fn = getattr(self._gen, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            saved = tuple(_copy(a) for a in args)
            saved_kw = {k: _copy(v) for k, v in kwargs.items()}
            out = fn(*args, **kwargs)
            crc, size = _checksum(out)
            self._log.append(Call(self._path, name, saved, saved_kw, crc, size))
            return out

        return call


class _Recording:
    """The registered model, with its block's generators wrapped in recorders."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self.log: list[Call] = []
        self.rngs: dict[str, np.random.Generator] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def simulate(self, block: Block) -> BlockOutput:
        # fresh copies of the block's generators, untouched, for the replay
        self.rngs = {s: _fresh(g) for s, g in block.rngs.items()}
        rec = {s: Recorder(g, (s,), self.log) for s, g in block.rngs.items()}
        wrapped = dataclasses.replace(block, rngs=rec)  # type: ignore[arg-type]
        out: BlockOutput = self._model.simulate(wrapped)
        return out


def _generators(
    roots: Mapping[str, np.random.Generator], log: list[Call]
) -> dict[tuple[str | int, ...], np.random.Generator]:
    """Fresh generators for every path in ``log`` (children spawned as the model did)."""
    gens: dict[tuple[str | int, ...], np.random.Generator] = {}
    for s, g in roots.items():
        gens[(s,)] = _fresh(g)
    depth = max((len(c.path) for c in log), default=1)
    for d in range(2, depth + 1):
        want: dict[tuple[str | int, ...], int] = {}
        for c in log:
            if len(c.path) >= d:
                parent = c.path[: d - 1]
                idx = c.path[d - 1]
                want[parent] = max(want.get(parent, 0), int(idx) + 1)
        for parent, k in want.items():
            for i, g in enumerate(gens[parent].spawn(k)):
                gens[(*parent, i)] = g
    return gens


def record(
    config: scenario.ScenarioConfig, replications: int
) -> tuple[list[Call], dict[str, np.random.Generator]]:
    """Run ``config`` once with recording generators (one block: ``replications`` must not
    exceed the block size); return the calls and the block's pristine generators."""
    if replications > config.run.block_size:
        raise ValueError("record one block: replications <= block_size")
    rec = _Recording(get_model(config.model))
    scenario.run(config, replications=replications, model=rec)  # type: ignore[arg-type]
    gens = _generators(rec.rngs, rec.log)
    for c in rec.log:  # the replay must reproduce every draw, bit for bit
        out = getattr(gens[c.path], c.method)(*c.args, **c.kwargs)
        if _checksum(out) != (c.checksum, c.size):
            raise RuntimeError(f"replay of {c.method} on {c.path} differs from the run")
    return rec.log, rec.rngs


def replay(log: list[Call], roots: Mapping[str, np.random.Generator]) -> float:
    """Seconds to make the calls of ``log`` on fresh generators (the variate floor)."""
    gens = _generators(roots, log)
    calls = [(getattr(gens[c.path], c.method), c.args, c.kwargs) for c in log]
    t0 = time.perf_counter()
    for fn, args, kwargs in calls:
        fn(*args, **kwargs)
    return time.perf_counter() - t0
