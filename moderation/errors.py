"""The project's exception hierarchy; every error Dozor raises on purpose is a DozorError."""

from __future__ import annotations


class DozorError(Exception):
    """Root of all Dozor errors. Messages say what went wrong and what to do next."""


class ConfigError(DozorError):
    """A setting is missing, malformed or a placeholder."""


class RuleError(DozorError):
    """A rule set is invalid. ``rule`` and ``line`` point at the offending place."""

    def __init__(self, message: str, *, rule: str | None = None, line: int | None = None) -> None:
        self.rule = rule
        self.line = line
        where = []
        if rule:
            where.append(f"rule {rule!r}")
        if line:
            where.append(f"line {line}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class ModelError(DozorError):
    """A classifier model cannot be loaded, trained or used."""


class ActionFailed(DozorError):
    """A platform refused or could not carry out an action.

    Attributes:
        permanent: retrying will not help (missing rights, message too old, not found).
        retry_after: seconds the platform asked us to wait (HTTP 429 / flood control).
        needs: a credential the action waits for (e.g. "vk_user_token"): the action is kept,
            not failed, and runs once the operator has set it.
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        retry_after: float | None = None,
        needs: str | None = None,
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after
        self.needs = needs


class StorageError(DozorError):
    """The database is unavailable: down, unreachable, shutting down, out of connections or disk.

    It passes with time (or an operator's hand): wait and try again; nothing is lost.
    """


class StorageRefused(DozorError):
    """The database refused one request because of what it carried (a value out of range, text
    too long for its column, a broken constraint). The database itself is fine: asking again
    fails again, so only the work that asked fails, with this reason."""


class SecondOpinionError(DozorError):
    """The second-opinion endpoint gave no usable answer (down, slow, refused, or said nothing we read)."""
