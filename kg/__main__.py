"""``python -m kg``: the command line."""

from .cli import main

main()
