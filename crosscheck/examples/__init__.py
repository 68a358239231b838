"""The documents' worked numeric examples, reproduced step by step and judged value by value."""
