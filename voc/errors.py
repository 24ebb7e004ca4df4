"""Errors that reach a user as one readable line (the CLI prints ``str(err)`` and exits non-zero)."""


class VocError(Exception):
    """Base class: a problem the user can fix, worded as one line."""


class ConfigError(VocError):
    """A wrong configuration file or key. The message names the file and the key."""


class LexiconError(VocError):
    """A malformed lexicon file. The message names the file and the line."""


class InputError(VocError):
    """Unreadable input or a missing column."""


class WarehouseLockedError(VocError):
    """The DuckDB file stayed locked by another process past the configured timeout."""
