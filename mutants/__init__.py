"""Mutation testing: plant each mutant of mutants.table in a copy of the tree, run the test suite
there, and count how many the suite kills (`python -m mutants`, `make mutants`)."""
