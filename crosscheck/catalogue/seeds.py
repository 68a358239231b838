"""The five source documents as numbered lines: where they live, and what a cited line prints.

The seeds sit beside the repository, in ../shared/seeds/ (000_*.txt .. 004_*.txt); CROSSCHECK_SEEDS
names another folder. Line n is the n-th line as `cat -n` numbers it. A missing or ambiguous seed
file raises SeedsMissing: a citation that cannot be read is never taken as found.
"""

import os
import pathlib

ENV = "CROSSCHECK_SEEDS"
DEFAULT = pathlib.Path(__file__).resolve().parents[3] / "shared" / "seeds"


class SeedsMissing(FileNotFoundError):
    pass


def directory():
    return pathlib.Path(os.environ.get(ENV) or DEFAULT)


def path(doc):
    """The seed file of document `doc` ("000".."004")."""
    found = sorted(directory().glob(f"{doc}_*.txt"))
    if len(found) != 1:
        raise SeedsMissing(
            f"seed text of document {doc}: expected one {directory()}/{doc}_*.txt, found {len(found)}"
            f" (set {ENV} to the folder holding the five documents)"
        )
    return found[0]


def lines(doc):
    """The document's lines; lines(doc)[n - 1] is line n."""
    return path(doc).read_text(encoding="utf-8").split("\n")


def flat(text):
    """Text with every run of white space made one space: the extraction doubles some spaces."""
    return " ".join(text.split())


def prints(numbered, n, text):
    """True when line n of `numbered` (a lines() list) prints `text`, white space aside."""
    return 1 <= n <= len(numbered) and flat(text) in flat(numbered[n - 1])
