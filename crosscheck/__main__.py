from .cli import entry

# Guarded: a report's workers spawned on a GPU host import the main module again, and must not rerun the CLI.
if __name__ == "__main__":
    raise SystemExit(entry())
