"""Errors ingestion raises: each names the file and says what is wrong with it."""


class IngestError(Exception):
    """A file that could not be turned into a document. The batch goes on without it."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
