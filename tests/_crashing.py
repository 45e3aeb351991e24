"""A toy model whose worker process dies in one block (importable by dask workers)."""

from __future__ import annotations

import os
from pathlib import Path

from _toys import Toy

from scenario.models.protocol import Block, BlockOutput


class CrashingToy(Toy):
    """:class:`Toy` whose process exits (``os._exit``, as a crash or the OOM killer would)
    while simulating replication ``crash_at``: every time, or with ``marker``, only while
    that file does not exist yet (it is created just before, so a retry runs normally)."""

    def __init__(self, crash_at: int, marker: Path | None = None) -> None:
        super().__init__()
        self.crash_at = crash_at
        self.marker = marker

    def simulate(self, block: Block) -> BlockOutput:
        if block.first_index <= self.crash_at < block.first_index + block.n:
            if self.marker is None:
                os._exit(13)
            if not self.marker.exists():
                self.marker.write_text(str(os.getpid()))
                os._exit(13)
        return super().simulate(block)
