"""The terminal: its width for tables, and progress of long work (build, evaluate, extract) as
rich progress bars on its stderr, nothing at all when stderr is not a terminal (piped, in CI)."""

from __future__ import annotations

import io
import os
import sys
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, Sequence


def terminal_width(default: int = 100) -> int:
    """The width to print tables at: ``$COLUMNS``, else the terminal of stdout or stderr, else
    ``default`` (output piped to a file or another program)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for fd in (1, 2):
        try:
            if os.isatty(fd):
                return os.get_terminal_size(fd).columns
        except OSError:
            continue
    return default


#: Narrower than this per column, a table shows each row as a block of ``name  value`` lines.
MIN_COLUMN_WIDTH = 12


def text_table(names: list[str], rows: Iterable[Sequence[str]], width: int, footer: str | None = None,
               first: int = 1, whole: Sequence[int] = ()) -> str:
    """``rows`` of text as a rich table ``width`` wide (each cell on one line of words: the
    source's hard line breaks are not the reader's), or, when the columns do not fit, each row as
    a block of ``name  value`` lines numbered from ``first``; then ``footer``. The columns
    ``whole`` (indexes) hold names a user types: they are never broken."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    def cell(text: str) -> Text:
        return Text(" ".join(text.split()))
    if len(names) * MIN_COLUMN_WIDTH <= width:
        table = Table(show_lines=False, header_style="bold")
        for i, name in enumerate(names):
            table.add_column(name, overflow="fold", no_wrap=i in whole)
        for row in rows:
            table.add_row(*[cell(v) for v in row])
    else:
        table = Table(show_header=False, show_lines=False, box=None, padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(overflow="fold")
        for n, row in enumerate(rows, first):
            table.add_row(f"─ {n} ─", "")
            for name, v in zip(names, row):
                table.add_row(name, cell(v))
    console = Console(file=io.StringIO(), width=width, record=True, color_system=None)
    console.print(table)
    if footer:
        console.print(footer, highlight=False, markup=False)
    return console.file.getvalue()  # type: ignore[attr-defined]


def shown(stream=None) -> bool:
    """True when progress would be shown: ``stream`` (default stderr) is a terminal."""
    stream = sys.stderr if stream is None else stream
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def steps(total: int, what: str, enabled: bool | None = None) -> Iterator[Callable[[str], None]]:
    """A bar of ``total`` steps; the function it yields starts the next step, named as given.

    >>> with steps(2, "build", enabled=False) as step:
    ...     step("compile"); step("write")
    """
    if not (shown() if enabled is None else enabled):
        yield lambda _label: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=Console(file=sys.stderr), transient=True)
    with progress:
        task = progress.add_task(what, total=total)
        started = [False]

        def step(label: str) -> None:
            if started[0]:
                progress.advance(task)
            started[0] = True
            progress.update(task, description=f"{what}: {label}")
        yield step
        progress.update(task, completed=total)
