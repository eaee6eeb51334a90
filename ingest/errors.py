"""Errors ListLens raises on purpose. `ListLensError` is the base of all of them (it lives here,
in the lowest layer, so ingestion can use it; `listlens.index.errors` re-exports it)."""


class ListLensError(Exception):
    """Base class: anything the CLI or UI shows to the user as a plain message."""


class IngestError(ListLensError):
    """A file that could not be turned into a document. The batch goes on without it."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
