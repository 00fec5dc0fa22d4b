"""The store's repository functions in one place, for the services layer and the sync engine.

Mutators take the caller's :class:`sqlmodel.Session` (open one with
:func:`~station_app.store.engine.session_scope`) so several changes commit together; only
:func:`save_submission` takes the engine, because it must own its transaction to promise
"saved" only after COMMIT.
"""

from __future__ import annotations

from station_app.store.catalogue import (
    ItemDefinition,
    activate_catalogue_version,
    active_catalogue_version,
    add_catalogue_version,
    catalogue_item,
)
from station_app.store.outbox import (
    body_digest,
    mark_acked,
    mark_needs_attention,
    mark_sending,
    outbox_counts,
    pending_outbox,
    record_attempt_failure,
    requeue,
    reset_sending,
    wire_submission,
)
from station_app.store.queries import (
    CaseFilter,
    china_day_bounds,
    count_submissions,
    list_submissions,
)
from station_app.store.records import (
    append_audit,
    delete_draft,
    get_setting,
    list_drafts,
    load_draft,
    save_draft,
    set_setting,
)
from station_app.store.submissions import (
    ApplicantIndex,
    DuplicateSubmissionId,
    NewSubmission,
    apply_status_change,
    get_submission,
    get_submission_by_receipt,
    get_submission_by_ref,
    save_submission,
    set_rating,
    status_history,
)
from station_app.sync.protocol import canonical_json

__all__ = [
    "ApplicantIndex",
    "CaseFilter",
    "DuplicateSubmissionId",
    "ItemDefinition",
    "NewSubmission",
    "activate_catalogue_version",
    "active_catalogue_version",
    "add_catalogue_version",
    "append_audit",
    "apply_status_change",
    "body_digest",
    "canonical_json",
    "catalogue_item",
    "china_day_bounds",
    "count_submissions",
    "delete_draft",
    "get_setting",
    "get_submission",
    "get_submission_by_receipt",
    "get_submission_by_ref",
    "list_drafts",
    "list_submissions",
    "load_draft",
    "mark_acked",
    "mark_needs_attention",
    "mark_sending",
    "outbox_counts",
    "pending_outbox",
    "record_attempt_failure",
    "requeue",
    "reset_sending",
    "save_draft",
    "save_submission",
    "set_rating",
    "set_setting",
    "status_history",
    "wire_submission",
]
