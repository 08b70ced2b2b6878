"""The one exception storage raises on purpose."""


class StorageError(RuntimeError):
    """A storage operation was refused; `str(error)` is a French message for the UI."""
