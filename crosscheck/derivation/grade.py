"""Grading a user's file: every function named d_ + a derivation target, each judged through judge_file.

The file's functions are found by reading its syntax tree, not by importing it, so finding them runs
none of the user's code; each function is then run only through student.judge_file.
"""

import ast
from dataclasses import dataclass, field

from ..core.echo import echoed
from .student import MEMORY, TIMEOUT, judge_file, parsed
from .targets import TARGETS

PREFIX = "d_"  # d_sigmoid grades target sigmoid, d_linear target linear, ...


def looked_for():
    """The function names grade recognises, one per target."""
    return [PREFIX + name for name in TARGETS]


@dataclass
class Grade:
    """The verdicts on one file: one DerivationResult per recognised function, in file order."""

    path: str
    results: list = field(default_factory=list)
    ignored: list = field(default_factory=list)  # d_ functions whose name is no target

    @property
    def ok(self):
        return all(r.ok for r in self.results)

    @property
    def exit_code(self):
        return 0 if self.ok else 1


def find_functions(path):
    """(target, function name) for each top-level d_TARGET function in the file, and the unknown d_ names.

    ValueError (bad input) when the file is missing, is not Python, or holds no d_TARGET function.
    """
    tree = parsed(path, "FILE")
    found, ignored = [], []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(PREFIX):
            target = node.name[len(PREFIX) :]
            if target in TARGETS:
                found.append((target, node.name))
            else:
                ignored.append(node.name)
    if not found:
        extra = f" (found {', '.join(ignored)}, which name no target)" if ignored else ""
        raise ValueError(
            f"FILE: expected a function to grade, got none in {echoed(str(path))}{extra}; looked for top-level functions named "
            + ", ".join(looked_for())
        )
    # A name defined twice is graded once, as Python binds it: the last definition.
    last = {name: target for target, name in found}
    return [(target, name) for name, target in last.items()], ignored


def grade_file(path, reduction="mean", dtype="float64", timeout=TIMEOUT, memory=MEMORY):
    """Judge every d_TARGET function in `path`, each contained under the same limits; a Grade."""
    functions, ignored = find_functions(path)
    grade = Grade(str(path), ignored=ignored)
    for target, name in functions:
        grade.results.append(
            judge_file(target, path, name, reduction=reduction, dtype=dtype, timeout=timeout, memory=memory)
        )
    return grade
