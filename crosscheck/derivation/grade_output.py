"""What `crosscheck grade` writes: the table, the JSON document and the JUnit XML file."""

import pathlib
import xml.etree.ElementTree as ET

from tabulate import tabulate

from ..core.echo import printable


def first_wrong(result):
    """The first row of the result's table of wrong elements (the worst off), in words; "" when none."""
    if not result.table:
        return ""
    row = result.table[0]
    return (
        f"{row['output']}{row['index']} on '{row['probe']}'" + (f" ({row['input']})" if row["input"] else "") + ": "
        f"your function {row['got']}, torch {row['PyTorch autograd']}"
    )


def result_dict(result):
    """One entry of the JSON document: the derivation's own fields plus the first wrong element."""
    return {**result.to_dict(), "first_wrong": first_wrong(result)}


def to_json_document(grade):
    # printable: the name as the table and each result's "function" show it (a lone surrogate is not Unicode)
    return {"file": printable(grade.path), "ok": grade.ok, "results": [result_dict(r) for r in grade.results]}


def table(grade):
    rows = [
        [r.target, r.function, r.verdict, first_wrong(r) or "-", "\n".join(r.diagnosis) or "-"] for r in grade.results
    ]
    lines = [
        tabulate(
            rows,
            ["target", "function", "verdict", "first wrong element", "diagnosis"],
            disable_numparse=True,
            maxcolwidths=[None, None, None, 40, 70],
        )
    ]
    if grade.ignored:
        lines.append(f"not graded (no target of that name): {', '.join(grade.ignored)}")
    right = sum(r.ok for r in grade.results)
    lines.append(f"{right} of {len(grade.results)} agree with PyTorch autograd")
    return "\n".join(lines)


def junit_tree(grade):
    """One testcase per graded function; a failure carries the diagnosis, the text the full report.
    Any character XML 1.0 cannot hold, even as a reference, is written as its escape (core.echo.printable):
    the file's name is the caller's, and the report is checked once more so the file always parses."""
    suite = ET.Element(
        "testsuite",
        name=f"crosscheck grade {printable(grade.path)}",
        tests=str(len(grade.results)),
        failures=str(sum(not r.ok for r in grade.results)),
        errors="0",
    )
    for r in grade.results:
        case = ET.SubElement(suite, "testcase", classname=r.function.split(":")[0], name=r.target)
        if not r.ok:
            failure = ET.SubElement(case, "failure", message=printable("; ".join(r.diagnosis) or r.verdict))
            failure.text = printable(r.format())
    root = ET.Element("testsuites", tests=suite.get("tests"), failures=suite.get("failures"))
    root.append(suite)
    return ET.ElementTree(root)


def write_junit(grade, path):
    tree = junit_tree(grade)
    pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)  # --junit checked that it can be made
    tree.write(path, encoding="utf-8", xml_declaration=True)
