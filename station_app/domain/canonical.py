"""Canonical JSON: the one encoding of every byte string that is hashed, signed or resent.

Sorted keys, no spaces, UTF-8 kept as is, NaN refused. The same object always gives the same
bytes, so a retry resends identical bytes and both sides compute the same content hash
(DESIGN.md invariant 2).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(obj: Any) -> bytes:
    """Deterministic UTF-8 JSON: sorted keys, no spaces, no NaN. Same object, same bytes.

    Floats are rendered the way Python renders them; payloads should carry money and other
    exact decimals as strings so that no other JSON library can disagree about the bytes."""
    return json.dumps(
        obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def content_sha256(obj: Any) -> str:
    """Hex SHA-256 of the canonical JSON of `obj`; decides duplicate vs conflict."""
    return hashlib.sha256(canonical_json(obj)).hexdigest()
