"""After each sync run, the station reports its audit chain head to the district.

The report carries the head and the chain hash at the position the district last said it
had seen (the anchor). A station whose history was rewritten below that position, or
shortened (a truncated file, an old backup put back), cannot send a matching anchor or a
head as long as the one already seen: the district records it. A failed report fails the run
like any other step (outcome unknown, backoff) and is sent again at the next run.
"""

from __future__ import annotations

from station_app.domain.audit_chain import GENESIS
from station_app.store.audit import chain_head, hash_at
from station_app.store.records import get_setting, set_setting
from station_app.sync.run import RunEnv
from station_app.wire.protocol import AuditHeadReport

DISTRICT_SEQ = "audit_district_seq"


def report_audit_head(env: RunEnv) -> None:
    with env.sessions() as session:
        head = chain_head(session)
        anchor = min(int(get_setting(session, DISTRICT_SEQ) or 0), head.seq)
        anchor_hash = hash_at(session, anchor) or GENESIS
    report = AuditHeadReport(seq=head.seq, hash=head.hash, anchor_seq=anchor,
                             anchor_hash=anchor_hash)
    reply = env.client.report_audit_head(report, deadline=env.deadline)  # failures: as any step
    with env.sessions() as session:
        set_setting(session, DISTRICT_SEQ, str(reply.known_seq))
