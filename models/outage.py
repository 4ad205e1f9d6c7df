"""Which database errors are an outage, and which are the request's own fault.

The difference decides what happens to an event. An **outage** — the server refused the
connection, went away, is shutting down or starting up, ran out of connections, memory or disk,
the SQLite file is locked or unreadable — passes with time or an operator's hand, whatever was
asked: the work waits and is tried again, nothing is lost. A **refusal** — a value out of range,
text too long for its column, a broken constraint, a statement the database cannot run — comes
from what this one request carried: asking again will fail again, so only that request fails,
with the database's reason, and everything else goes on.

Told apart by what the database itself reports, never by the wording of a message:

- PostgreSQL (asyncpg): the SQLSTATE. Classes 08 (connection exception), 57 (operator
  intervention: shutdown, crash, not accepting connections yet), 53 (insufficient resources),
  58 (system error: I/O), 40 (a deadlock or serialization failure: the same request succeeds
  when run again), 28 and 3D (the login or database named in the URL is refused: fixed by the
  operator, not by the event), plus 25006 (a read-only standby after a fail-over), 42501 (the
  role lost its rights) and XX001/XX002 (corrupted data or index). Everything else — 22 data
  exception, 23 integrity, 42 syntax or undefined object, 54 program limit, XX000 — is a refusal.
  A connection SQLAlchemy saw close (``connection_invalidated``) is an outage whatever it says.
- SQLite: the primary result code. BUSY, LOCKED, NOMEM, READONLY, PERM, INTERRUPT, IOERR,
  CORRUPT, FULL, CANTOPEN, PROTOCOL and NOTADB are an outage; ERROR (e.g. no such table),
  CONSTRAINT, TOOBIG, MISMATCH, RANGE … are a refusal. Values the driver cannot even bind (an
  integer over 64 bits, a lone surrogate) never reach the database and stay Python's errors.
- No database answer at all: ``OSError`` (refused, reset, timed out, name not resolved) and
  SQLAlchemy's pool timeout are an outage.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout

OUTAGE_CLASSES = frozenset({"08", "28", "3D", "40", "53", "57", "58"})
OUTAGE_STATES = frozenset({"25006", "42501", "XX001", "XX002"})

# sqlite3 primary result codes (https://sqlite.org/rescode.html).
SQLITE_OUTAGE = frozenset(
    {
        3,  # PERM
        5,  # BUSY
        6,  # LOCKED
        7,  # NOMEM
        8,  # READONLY
        9,  # INTERRUPT
        10,  # IOERR
        11,  # CORRUPT
        13,  # FULL
        14,  # CANTOPEN
        15,  # PROTOCOL
        26,  # NOTADB
    }
)


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and what it wraps, outermost first: SQLAlchemy's ``orig``, else ``__cause__``."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(seen) < 16 and not any(current is s for s in seen):
        seen.append(current)
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return seen


def sqlstate(exc: BaseException) -> str | None:
    """The PostgreSQL SQLSTATE somewhere in ``exc``'s chain, if any."""
    for e in _chain(exc):
        state = getattr(e, "sqlstate", None)
        if isinstance(state, str) and len(state) == 5:
            return state
    return None


def sqlite_code(exc: BaseException) -> int | None:
    """The SQLite primary result code somewhere in ``exc``'s chain, if any."""
    for e in _chain(exc):
        code = getattr(e, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code & 0xFF
    return None


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` says the database cannot serve anyone now (wait and retry), as opposed to
    refusing this one request (fail it, go on). See the module's docstring for the rules."""
    chain = _chain(exc)
    if any(isinstance(e, (OSError, PoolTimeout, DisconnectionError)) for e in chain):
        return True
    if any(isinstance(e, DBAPIError) and e.connection_invalidated for e in chain):
        return True
    state = sqlstate(exc)
    if state is not None:
        return state[:2] in OUTAGE_CLASSES or state in OUTAGE_STATES
    code = sqlite_code(exc)
    return code is not None and code in SQLITE_OUTAGE


def is_database_error(exc: BaseException) -> bool:
    """Whether ``exc`` came from the database or its driver (as opposed to Dozor's own code)."""
    return isinstance(exc, (DBAPIError, PoolTimeout, DisconnectionError))


def reason(exc: BaseException) -> str:
    """The database's own words for ``exc`` (the driver's exception, without SQLAlchemy's
    statement and parameters) and its code."""
    chain = _chain(exc)
    coded = [e for e in chain if hasattr(e, "sqlstate") or hasattr(e, "sqlite_errorcode")]
    inner = coded[-1] if coded else chain[-1]
    state = sqlstate(exc)
    name = getattr(inner, "sqlite_errorname", None)
    tag = f" [SQLSTATE {state}]" if state else f" [{name}]" if name else ""
    return f"{type(inner).__name__}: {inner}{tag}"
