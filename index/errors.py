"""Errors the library raises, each with a message a user can act on. The base class lives in
`listlens.ingest.errors` (ingestion may not import this layer); it is re-exported here."""

from listlens.ingest.errors import IngestError, ListLensError

__all__ = ["ListLensError", "IngestError", "InvalidInput", "EmptyQuestion", "StoreUnavailable",
           "LLMUnavailable", "DocumentNotFound"]


class InvalidInput(ListLensError, ValueError):
    """A value the user gave (a date, an upload, a gold file, an option) is not usable. Also a
    ValueError, so code that validates with `except ValueError` keeps catching it."""


class EmptyQuestion(ListLensError):
    def __init__(self) -> None:
        super().__init__("The question is empty: type what you want to know.")


class StoreUnavailable(ListLensError):
    """The Chroma store (server or data directory) cannot be used."""


class LLMUnavailable(ListLensError):
    """The answer model cannot be reached, timed out or replied with nothing usable."""


class DocumentNotFound(ListLensError):
    pass
