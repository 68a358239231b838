"""The command line's contract: exit 2 on bad usage, with a message rather than a traceback."""

import pytest

from crosscheck.cli import main


@pytest.mark.parametrize("argv", [[], ["no-such-command"], ["report", "--no-such-option"]])
def test_bad_usage_exits_2(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "usage:" in capsys.readouterr().err
