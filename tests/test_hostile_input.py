"""A hostile corpus: every file gets one located error line, fast and in bounded memory.

The files are generated into ``tmp_path`` (the large ones would not belong in the repository)
and validated by ``scenario validate`` in *one* child process whose address space may grow by
at most :data:`HEADROOM` bytes over what the imports took (``RLIMIT_AS``) and whose CPU time
is capped (``RLIMIT_CPU``): an alias bomb that expanded, or a recursion that ran away, fails
the test with a MemoryError or a killed child instead of taking the machine down. The CPU
time each file took is measured in the child and checked against a generous bound (CPU time,
not wall-clock time, so a busy machine does not make it flake).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from scenario.config import yaml_io

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="resource limits, /proc")

HEADROOM = 200 * 1024 * 1024
"""Bytes of address space the child may add to what its imports took."""
CPU_SECONDS = 3.0
"""CPU time allowed per file; the loader's limits are chosen to answer within about 1 s."""
BASELINE = Path(__file__).resolve().parents[1] / "configs" / "baseline.yaml"
ERROR = re.compile(r"^error: (?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<rest>.+)$")

CHILD = r"""
import json, resource, sys, time
from typer.testing import CliRunner
from scenario.cli import app
import scenario.engine.runner, scenario.config.loader  # everything validate imports

def vm_size():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise SystemExit("no VmSize")

limit = vm_size() + int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
resource.setrlimit(resource.RLIMIT_CPU, (120, 120))
runner = CliRunner()
for path in json.loads(sys.argv[2]):
    before = resource.getrusage(resource.RUSAGE_SELF)
    res = runner.invoke(app, ["validate", path])
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    exc = res.exception
    crash = None if exc is None or isinstance(exc, SystemExit) else repr(exc)
    print(json.dumps({"path": path, "code": res.exit_code, "output": res.output,
                      "cpu": cpu, "crash": crash}), flush=True)
"""

Case = tuple[str, Callable[[Path], None], str]


def _bomb(p: Path) -> None:
    lines, prev = ["a: &a [x, x, x, x, x, x, x, x, x]"], "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
        prev = name
    p.write_text("\n".join(lines) + "\n")


def _many_aliases(p: Path) -> None:
    p.write_text("a: &x 1\nb: [" + ", ".join(["*x"] * (yaml_io.MAX_ALIASES + 1)) + "]\n")


def _big(p: Path, chunk: bytes, total: int) -> None:
    with p.open("wb") as fh:
        for _ in range(total // len(chunk) // 65536):
            fh.write(chunk * 65536)


def _symlink_loop(p: Path) -> None:
    (p.parent / "loop_a.yaml").symlink_to(p.parent / "loop_b.yaml")
    (p.parent / "loop_b.yaml").symlink_to(p.parent / "loop_a.yaml")
    p.write_text("extends: loop_a.yaml\n")


def _passwd(p: Path) -> None:
    (p.parent / "passwd").write_text("root:x:0:0:SECRET-TOKEN:/root:/bin/bash\n")
    p.write_text("extends: passwd\n")


def _passwd_link(p: Path) -> None:
    (p.parent / "shadow").write_text("root:$6$SECRET-TOKEN:19000:0:99999:7:::\n")
    (p.parent / "shadow_link.yaml").symlink_to(p.parent / "shadow")
    p.write_text("extends: shadow_link.yaml\n")


def _passwd_yaml(p: Path) -> None:
    (p.parent / "users.yaml").write_text("root:x:0:0:SECRET-TOKEN: /bin/bash\n")
    p.write_text("extends: users.yaml\n")


def _text(text: str | bytes) -> Callable[[Path], None]:
    def write(p: Path) -> None:
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        p.write_bytes(data.replace(b"BASELINE", str(BASELINE).encode()))

    return write


# (name, how to write it, a fragment the single error line must contain)
CASES: list[Case] = [
    ("alias_bomb", _bomb, "more than 10000 values in one file"),
    ("many_aliases", _many_aliases, "more than 1000 aliases"),
    ("recursive_alias", _text("a: &x [1, *x]\n"), "inside its own anchor"),
    ("flow_10000_deep", _text("a: " + "[" * 10_000 + "]" * 10_000 + "\n"), "nested more than 64"),
    ("flow_spaced_deep", _text("a: " + "[1, " * 2_000 + "]" * 2_000 + "\n"), "nested more than"),
    ("block_2000_deep", _text("- " * 2_000 + "x\n"), "nested more than 64 levels deep"),
    ("comments_50mb", lambda p: _big(p, b"# " + b"x" * 62 + b"\n", 50 << 20), "larger than"),
    ("list_8m_values", lambda p: _big(p, b"- 1\n", 32 << 20), "larger than the limit"),
    ("values_under_size", _text("- 1\n" * 20_000), "more than 10000 values"),
    ("invalid_utf8", _text(b"name: ok\ndescription: caf\xe9\n"), "not UTF-8 text (byte 0xe9)"),
    ("nul_byte", _text(b"name: a\x00b\n"), "NUL byte"),
    ("python_object", _text("name: !!python/object/apply:os.system [touch PWNED]\n"), "!!python"),
    ("custom_tag", _text("run: !custom {seed: 1}\n"), "plain data only"),
    ("omap", _text("name: !!omap [{a: 1}]\n"), "!!omap is not allowed"),
    ("set", _text("name: !!set {a: null}\n"), "!!set is not allowed"),
    ("merge_key", _text("base: &b {seed: 1}\nrun:\n  <<: *b\n"), "merge keys (<<)"),
    ("yes_bool", _text("extends: BASELINE\npolicy: {advisors: {deploy: yes}}\n"), "true or false"),
    ("invalid_date", _text("extends: BASELINE\nstart_date: 2024-02-30\n"), "invalid date"),
    ("nan_int", _text("extends: BASELINE\nhorizon_days: .nan\n"), "horizon_days"),
    ("inf_seed", _text("extends: BASELINE\nrun: {seed: .inf}\n"), "run.seed"),
    ("huge_int_literal", _text("horizon_days: " + "9" * 5_000 + "\n"), "more than 300 digits"),
    ("huge_int", _text("extends: BASELINE\nhorizon_days: " + "9" * 250 + "\n"), "horizon_days"),
    ("symlink_loop", _symlink_loop, "extends: a symlink loop"),
    ("extends_passwd", _passwd, "must name a .yaml or .yml scenario file"),
    ("extends_link_to_passwd", _passwd_link, "must name a .yaml or .yml scenario file"),
    ("extends_non_scenario_yaml", _passwd_yaml, "is not a scenario file"),
    ("two_documents", _text("name: a\n---\nname: b\n"), "malformed YAML"),
    ("ruamel_int_bug", _text("name: a\nhorizon_days: -_\n"), "unreadable YAML (IndexError)"),
]


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    """Write the corpus and validate every file in one resource-limited child."""
    root = tmp_path_factory.mktemp("hostile")
    paths = []
    for name, write, _ in CASES:
        case_dir = root / name
        case_dir.mkdir()
        write(case_dir / f"{name}.yaml")
        paths.append(str(case_dir / f"{name}.yaml"))
    bom = root / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + f"extends: {BASELINE}\nname: bom\n".encode())
    paths.append(str(bom))
    env = {**os.environ, "COLUMNS": "10000", "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(HEADROOM), json.dumps(paths)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=root,
        env=env,
        check=False,
    )
    found = {}
    for line in proc.stdout.splitlines():
        row = json.loads(line)
        row["root"] = str(root)
        found[Path(row["path"]).stem] = row
    missing = [Path(p).stem for p in paths if Path(p).stem not in found]
    assert not missing, f"child died (rc {proc.returncode}) at {missing[0]}: {proc.stderr[-2000:]}"
    return found


@pytest.mark.parametrize(("name", "fragment"), [(c[0], c[2]) for c in CASES])
def test_hostile_file_gets_one_located_line(
    verdicts: dict[str, dict[str, object]], name: str, fragment: str
) -> None:
    row = verdicts[name]
    output = str(row["output"])
    assert row["crash"] is None, row["crash"]
    assert "Traceback" not in output
    assert row["code"] == 1, output
    lines = output.splitlines()
    assert len(lines) == 1, lines
    m = ERROR.match(lines[0])
    assert m is not None, lines[0]
    assert int(m["line"]) >= 1 and int(m["col"]) >= 1, lines[0]
    assert fragment in m["rest"], lines[0]
    assert "SECRET-TOKEN" not in output and "root:" not in output
    assert float(str(row["cpu"])) < CPU_SECONDS, f"{name} took {row['cpu']} s of CPU"


def test_bom_is_accepted(verdicts: dict[str, dict[str, object]]) -> None:
    row = verdicts["bom"]
    assert row["code"] == 0, row["output"]
    assert "ok:" in str(row["output"])


def test_object_tag_constructs_nothing(verdicts: dict[str, dict[str, object]]) -> None:
    row = verdicts["python_object"]
    assert row["code"] == 1
    assert not (Path(str(row["root"])) / "PWNED").exists()
