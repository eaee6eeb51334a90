"""Errors the library raises, each with a message a user can act on."""


class ListLensError(Exception):
    """Base class: anything the CLI or UI shows to the user as a plain message."""


class EmptyQuestion(ListLensError):
    def __init__(self) -> None:
        super().__init__("The question is empty: type what you want to know.")


class StoreUnavailable(ListLensError):
    """The Chroma store (server or data directory) cannot be used."""


class LLMUnavailable(ListLensError):
    """The answer model cannot be reached, timed out or replied with nothing usable."""


class DocumentNotFound(ListLensError):
    pass


class InvalidInput(ListLensError):
    """A value typed or uploaded by the user that ListLens cannot use (a date, a file, a gold set)."""
