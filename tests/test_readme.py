"""The README is true: its commands run and exit as their comments say, and its numbers are the code's.

Doc test of the README's fenced blocks:
- every `sh` block runs line by line in a scratch folder (never the checkout), each `crosscheck ...`,
  `.venv/bin/crosscheck ...` or `python -m crosscheck ...` as `python -m crosscheck` with the
  repository on PYTHONPATH; a line's comment "exit N" gives its exit status, 0 otherwise;
- a `make TARGET` line must name a target the Makefile has (make -n; nothing is built);
- `<!-- doctest: skip -->` before a block skips it (too slow for the suite);
- `<!-- doctest: append ARGS -->` before a block runs its commands with ARGS added (cheaper settings);
- `<!-- doctest: file NAME -->` before a block writes it to NAME in the scratch folder first.
"""

import pathlib
import re
import shlex
import subprocess
import tomllib

import pytest
from packaging.requirements import Requirement

from crosscheck.catalogue.runner import load
from crosscheck.cli import build_parser, main
from crosscheck.core.matrix import KINKS, MATRIX
from crosscheck.core.tolerances import FACTORS, tolerance_for
from crosscheck.training.datasets import NAMES

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
CROSSCHECK = re.compile(r"^(?:\.venv/bin/crosscheck|crosscheck|(?:\.venv/bin/)?python -m crosscheck)\s+(.*)$")


def blocks(text=README):
    """(language, body, directive or None) for each fenced block, in order."""
    out = []
    for m in re.finditer(r"(?:<!-- doctest: ([^>]*?) -->\n)?```(\w+)\n(.*?)```", text, flags=re.S):
        out.append((m.group(2), m.group(3), m.group(1)))
    return out


def files():
    return {d.split(None, 1)[1]: body for lang, body, d in blocks() if d and d.startswith("file ")}


def command_blocks():
    """Each runnable sh block as [(shell line, extra arguments, expected exit status)]."""
    out = []
    for lang, body, directive in blocks():
        if lang != "sh" or directive == "skip":
            continue
        extra = shlex.split(directive[len("append ") :]) if directive and directive.startswith("append ") else []
        lines = []
        for line in body.splitlines():
            command, hash_, comment = line.partition("#")
            if not command.strip():
                continue
            status = re.search(r"\bexit (\d)\b", comment)
            lines.append((command.strip(), extra, int(status.group(1)) if status else 0))
        out.append(lines)
    return out


def test_the_readme_has_runnable_blocks():
    runnable = [c for block in command_blocks() for c, _, _ in block if CROSSCHECK.match(c)]
    assert len(runnable) >= 12
    assert {"my_relu.py", "my_linear.py"} <= set(files())


@pytest.mark.parametrize("block", command_blocks(), ids=lambda b: b[0][0][:40])
def test_readme_block(block, tmp_path, monkeypatch, capsys):
    """Each command runs in-process (cli.main, as the installed `crosscheck` does), in a scratch folder."""
    for name, body in files().items():
        (tmp_path / name).write_text(body)
    monkeypatch.chdir(tmp_path)
    for line, extra, expected in block:
        if line.startswith(("make ", ". ", "source ")):
            if line.startswith("make "):
                target = shlex.split(line)[1]
                dry = subprocess.run(["make", "-n", "-C", str(ROOT), target], capture_output=True, text=True)
                assert dry.returncode == 0, f"{line}: the Makefile has no target {target!r}: {dry.stderr}"
            continue
        m = CROSSCHECK.match(line)
        assert m, f"README line {line!r}: not a crosscheck, make or activate command; mark its block doctest: skip"
        try:
            status = main([*shlex.split(m.group(1)), *extra])
        except SystemExit as exc:  # --help and usage errors leave through argparse
            status = exc.code
        out = capsys.readouterr()
        assert status == expected, f"{line} {' '.join(extra)}: exit {status}, README says {expected}\n{out.err[-2000:]}"
        assert out.out.strip(), f"{line}: printed nothing"


def test_crosscheck_runs_outside_the_checkout(tmp_path, monkeypatch, capsys):
    """The commands find their data from any folder, not from the working folder.

    A real `python -m crosscheck` process started outside the checkout, with only the repository on
    PYTHONPATH, is tests/test_containment.py's (example --list into a closed pipe, and Ctrl-C)."""
    monkeypatch.chdir(tmp_path)
    assert main(["example", "--list"]) == 0
    assert "004-binary" in capsys.readouterr().out


# --- the README's numbers are the code's -------------------------------------------------------


def _catalogue():
    entries = load()
    per_doc = {}
    for e in entries.values():
        per_doc[e.doc] = per_doc.get(e.doc, 0) + 1
    return (
        f"{len(entries)} entries: " + ", ".join(f"{d}: {n}" for d, n in sorted(per_doc.items())),
        f"{sum(e.status == 'erratum' for e in entries.values())} are `erratum`",
    )


def _matrix():
    return (f"{len(MATRIX):,} cases, plus {len(KINKS)} cases",)


def _tolerances():
    return tuple(
        f"2^{FACTORS[d].bit_length() - 1} eps in {d} ({tolerance_for(d).rtol:.1e})".replace("e-05", "e-5")
        for d in ("float64", "float32")
    )


def _commands():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return tuple(f"| `crosscheck {name}" for name in sub.choices)


def _datasets():
    return (", ".join(f"`{n}`" for n in NAMES),)


def _versions():
    """The support table's rows lie within pyproject's ranges, and the README states those ranges."""
    deps = {
        Requirement(d).name: d for d in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    }
    ranges = {name: Requirement(d).specifier for name, d in deps.items()}
    rows = re.findall(r"^\| (torch|numpy) \| (\d+\.\d+)", README, flags=re.M)
    assert {name for name, _ in rows} == {"torch", "numpy"}
    for name, version in rows:
        assert ranges[name].contains(version), f"README's {name} {version} is outside pyproject's {ranges[name]}"
    return tuple(f"`{deps[name]}`" for name in ("numpy", "torch"))


def _report_folder():
    return (f"written to {build_parser().parse_args(['report']).out}/",)


CLAIMS = {
    "catalogue": _catalogue,
    "matrix": _matrix,
    "tolerances": _tolerances,
    "commands": _commands,
    "datasets": _datasets,
    "versions": _versions,
    "report folder": _report_folder,
}


@pytest.mark.parametrize("claim", list(CLAIMS))
def test_readme_numbers(claim):
    flat = " ".join(README.split())
    for text in CLAIMS[claim]():
        assert text in flat, f"README should say {text!r}"
