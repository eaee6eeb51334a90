"""Progress bars for long commands (ingest, eval), drawn with rich on stderr.

Shown only when a person is watching: stdout and stderr are terminals and the command does not
print JSON. Otherwise every call is a no-op, so logs and pipes get no control characters.
"""

from __future__ import annotations

import sys
from typing import Any


def wanted(json_output: bool = False) -> bool:
    return not json_output and sys.stdout.isatty() and sys.stderr.isatty()


class Bars:
    """One bar per stage (a file being indexed, questions being answered); a stage's bar is
    replaced when the next stage starts. Use as a context manager."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._progress: Any = None
        self._task: Any = None
        self._stage: str | None = None

    def __enter__(self) -> "Bars":
        if self.enabled:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                      MofNCompleteColumn(), TimeElapsedColumn(),
                                      TextColumn("ETA"), TimeRemainingColumn(),
                                      console=Console(stderr=True), transient=True)
            self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, stage: str, done: int, total: int) -> None:
        """`done` of `total` in `stage` (e.g. a file's name, "answering")."""
        if self._progress is None:
            return
        if stage != self._stage:
            if self._task is not None:
                self._progress.remove_task(self._task)
            self._stage = stage
            self._task = self._progress.add_task(stage[-48:], total=total)
        self._progress.update(self._task, completed=done, total=total)

    def log(self, message: str) -> None:
        """A line above the bars (or on stderr when there are none)."""
        if self._progress is not None:
            self._progress.console.print(message, markup=False, highlight=False)
        else:
            print(message, file=sys.stderr, flush=True)
