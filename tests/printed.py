"""The check the tests share that what a command printed prints as itself."""


def unprintable(text):
    """The characters of `text` a terminal would not show as themselves, a newline aside (ESC, a
    carriage return, NUL, a lone surrogate, a line separator), sorted; [] when there is none."""
    return sorted({c for c in text if not (c.isprintable() or c == "\n")})
