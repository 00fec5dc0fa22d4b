"""The audit chain rule: each row's hash covers its content and the previous row's hash.

Editing, deleting or reordering any row changes every hash after it, so the chain proves the
history is the one that was written — to anyone who also knows the newest hash (the head).
The station keeps the head in its database; the district keeps every head a station has sent
with its pushes, so even someone holding the station's keys cannot rewrite or shorten the
history the district has already seen without it showing.
"""

from __future__ import annotations

import hashlib
from typing import Any, Final

from station_app.domain.canonical import canonical_json

GENESIS: Final = "0" * 64
"""The previous hash of the first row."""


def row_hash(prev_hash: str, seq: int, at: str, actor: str, action: str,
             subject: str | None, detail: dict[str, Any]) -> str:
    """Hex SHA-256 of one row chained to ``prev_hash``; ``at`` exactly as stored."""
    body = canonical_json([seq, at, actor, action, subject, detail])
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + body).hexdigest()
