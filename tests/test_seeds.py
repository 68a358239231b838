"""The five documents are found where the seeds index (../shared/seeds/README.md) says they are.

Light on purpose (the standard library and crosscheck.catalogue.seeds only): the mutants' runs use
it to show that a copied tree reads the documents (tests/test_mutants.py, READS_THE_DOCUMENTS).
"""

import re

import pytest

from crosscheck.catalogue import seeds

INDEXED = re.findall(r"^\| (\d{3})_(\w+)\.txt \|", (seeds.directory() / "README.md").read_text(), re.M)


def test_the_index_lists_five_documents():
    assert [doc for doc, _ in INDEXED] == ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("doc, stem", INDEXED, ids=[doc for doc, _ in INDEXED])
def test_each_document_is_the_indexed_file_and_reads_as_numbered_lines(doc, stem):
    assert seeds.path(doc).name == f"{doc}_{stem}.txt"
    numbered = seeds.lines(doc)
    assert len(numbered) > 50 and any(line.strip() for line in numbered[:5]), doc
