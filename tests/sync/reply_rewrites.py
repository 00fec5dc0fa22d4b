"""Real push replies, rewritten so they no longer match the batch that was sent.

The backend has committed the batch when these run; only its answer is changed (through
:func:`proxy_faults.rewrite_reply`). They stand for a reply garbled on the way or a
misbehaving server, which the station must refuse as a whole ("对不上") rather than apply
in part: a result for an id not sent, one result too many, a result given twice.
"""

from __future__ import annotations

import uuid
from typing import Any

from .proxy_faults import Fault, rewrite_reply


def _foreign(reply_obj: Any) -> Any:
    results = list(reply_obj["results"])
    results[-1] = {**results[-1], "submission_id": str(uuid.uuid4())}
    return {"results": results}


def _extra(reply_obj: Any) -> Any:
    results = list(reply_obj["results"])
    extra = {**results[0], "index": len(results), "submission_id": str(uuid.uuid4())}
    return {"results": [*results, extra]}


def _doubled(reply_obj: Any) -> Any:
    results = list(reply_obj["results"])
    return {"results": [*results, results[0]]}


def foreign_result() -> Fault:
    """The last result names an id that was not sent."""
    return rewrite_reply(_foreign, "result for an id not sent")


def extra_result() -> Fault:
    """One result too many, for an id that was not sent."""
    return rewrite_reply(_extra, "extra result")


def duplicate_result() -> Fault:
    """The first result repeated at the end."""
    return rewrite_reply(_doubled, "duplicate result")
