"""The example notebook executes in a fresh Jupyter kernel and shows what it promises."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "notebook.ipynb"


def _outputs(nb: Any, tag: str) -> list[Any]:
    cells = [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, tag
    return list(cells[0].outputs)


def _data(nb: Any, tag: str, mime: str) -> str:
    found = [o["data"][mime] for o in _outputs(nb, tag) if mime in o.get("data", {})]
    assert found, (tag, mime)
    return str(found[-1])


@pytest.mark.slow
def test_example_notebook_executes_and_shows_compact_tables() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        "commit the notebook without outputs"
    )
    # "python3" is ipykernel's own kernel spec: it runs this interpreter (sys.executable)
    NotebookClient(
        nb,
        kernel_name="python3",
        timeout=600,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    ).execute()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", out
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), out["text"]

    assert _data(nb, "config", "text/plain").startswith(
        "ScenarioConfig(name='baseline', model='campaign', 2024-11-01 + 180 days"
    )
    # the progress callback updated its line to the end of the run
    line = _outputs(nb, "results")[0]
    assert line["output_type"] == "display_data"
    assert line["data"]["text/plain"] == "'500 of 500 replications'"
    page = _data(nb, "results", "text/html")
    assert "<b>baseline</b>" in page and "500 replications" in page and len(page) < 20_000
    assert "<td>nk_casualties [troops]</td>" in page
    assert re.search(r"<td>nk_casualties \[troops\]</td><td>\d[\d,]*</td>", page)
    text = "".join(o.get("text", "") for o in _outputs(nb, "repr"))
    assert text.startswith("<Results 'baseline'") and len(text) < 500

    compare = _data(nb, "compare", "text/html")
    assert "msam − baseline" in compare and "msam: P(better)" in compare
    assert re.search(r"<td>ad_leakers \[threats\]</td><td>[\d,]+</td><td>-[\d,.]+ \[", compare)

    tornado = _data(nb, "tornado", "text/html")
    assert "Tornado of <b>nk_casualties</b>" in tornado and tornado.count("<tr>") == 4
    assert _data(nb, "plot", "image/png")
