"""The verdict on one student function: what `crosscheck derivation` prints and returns as JSON."""

from dataclasses import dataclass, field

from tabulate import tabulate


@dataclass
class DerivationResult:
    """The verdict on one function, with its diagnosis and the table of its worst elements."""

    target: str
    function: str
    reduction: str
    dtype: str
    ok: bool
    equations: dict
    diagnosis: list = field(default_factory=list)
    disagrees_with: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    table: list = field(default_factory=list)
    probes: list = field(default_factory=list)
    elements: int = 0
    # "judged", or why the student's code gave nothing to judge: timeout, crashed, exited,
    # out of memory, no result (derivation.contained)
    outcome: str = "judged"

    @property
    def verdict(self):
        return "agrees" if self.ok else "disagrees"

    @property
    def exit_code(self):
        return 0 if self.ok else 1

    def to_dict(self):
        keys = (
            "target",
            "function",
            "reduction",
            "dtype",
            "ok",
            "verdict",
            "equations",
            "diagnosis",
            "disagrees_with",
            "notes",
            "table",
            "probes",
            "elements",
            "outcome",
        )
        return {k: getattr(self, k) for k in keys}

    def format(self):
        """The report a student reads."""
        eqs = ", ".join(f"{o}: {e}" if len(self.equations) > 1 else e for o, e in self.equations.items())
        lines = [
            f"crosscheck derivation {self.target} {self.function} ({self.dtype}, reduction {self.reduction})",
            f"verdict: {self.verdict.upper()} on {len(self.probes)} probes, {self.elements} elements "
            f"({'catalogue equation ' + eqs if any(self.equations.values()) else 'an extension: no catalogue equation'})",
        ]
        if not self.ok:
            lines.append(
                "disagrees with: " + (", ".join(self.disagrees_with) or "(no opinion could be formed: see diagnosis)")
            )
            lines.append("diagnosis:")
            lines += [f"  - {d}" for d in self.diagnosis]
        if self.table:
            lines += [
                "worst elements:",
                tabulate(
                    [
                        [
                            r["probe"],
                            r["output"] + r["index"],
                            r["input"],
                            r["got"],
                            r["PyTorch autograd"],
                            r["reference"],
                            r["finite differences"],
                        ]
                        for r in self.table
                    ],
                    ["probe", "element", "input", "got", "PyTorch", "reference", "finite diff."],
                    disable_numparse=True,
                ),
            ]
        lines += [f"note: {n}" for n in self.notes]
        lines.append("probes: " + "; ".join(f"{p['label']} [{p['status']}]" for p in self.probes))
        return "\n".join(lines)
