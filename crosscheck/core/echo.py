"""How text from outside crosscheck is shown in what it prints and writes: command-line values, file
names, the contents of a report.json, a student's messages. Such text may hold anything: ESC, which
starts a terminal's escape sequences (a screen cleared, a pass drawn by someone else), a carriage
return, NUL, a lone surrogate, a direction override; or be 100,000 characters long."""


def printable(text):
    """`text` with each character that would not print as itself written as its Python escape (\\x1b
    for ESC, \\r, \\ud800, \\t); a newline (\\n) stays. What remains is also text XML 1.0 can hold."""
    text = str(text)
    if text.isprintable():  # the usual case, at C speed
        return text
    return "".join(c if c.isprintable() or c == "\n" else ascii(c)[1:-1] for c in text)


def printable_all(value):
    """`value` with printable() applied to every string in it, through lists, tuples and dicts (keys
    too); anything else (numbers, arrays) as it is."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, (list, tuple)):
        return type(value)(printable_all(v) for v in value)
    if isinstance(value, dict):
        return {printable_all(k): printable_all(v) for k, v in value.items()}
    return value


def cut(text, most=80):
    """`text` whole, or its first `most` - 3 characters and "..."."""
    return text if len(text) <= most else text[: most - 3] + "..."


def echoed(value, most=80):
    """repr(value) cut to `most` characters: what an error message shows of an input (repr escapes
    the unprintable and quotes, so an empty or blank value is visible too)."""
    return cut(repr(value), most)
