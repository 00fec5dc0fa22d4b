"""Which attachments a stored body names, read before every push: scans listed under a
material, attachment references anywhere in the payload, nothing for a body without any, and
the same answer when the body spells a hash with JSON escapes (then it must be parsed)."""

from __future__ import annotations

import hashlib
import json

from station_app.sync.attachments import needed_hashes
from station_app.wire.canonical import canonical_json

SCAN = hashlib.sha256(b"scan of an ID card").hexdigest()
PHOTO = hashlib.sha256(b"photo").hexdigest()


def _body(payload: dict[str, object], scans: list[str]) -> dict[str, object]:
    return {"submission_id": "0b5f8d7e-6a8f-4a57-9e65-0d5f5e0f6a11", "item_code": "RS04",
            "payload": payload,
            "materials": [{"name": "居民身份证", "provided": True, "attachments": scans}]}


def test_a_body_without_scans_names_none() -> None:
    body = canonical_json(_body({"name": "欧阳秀英", "id_number": "420105195803150026"}, []))
    assert needed_hashes(body) == set()


def test_scans_under_materials_and_references_in_the_payload_are_found() -> None:
    ref = {"sha256": PHOTO, "filename": "照片.jpg", "size": 5, "mime": "image/jpeg"}
    body = canonical_json(_body({"name": "测试", "members": [{"photo": ref}]}, [SCAN]))
    assert needed_hashes(body) == {SCAN, PHOTO}


def test_a_hash_written_with_escapes_is_still_found() -> None:
    escaped = "".join(f"\\u{ord(c):04x}" for c in SCAN)  # valid JSON for the same string
    text = json.dumps(_body({"name": "测试"}, ["PLACEHOLDER"]), ensure_ascii=False)
    body = text.replace("PLACEHOLDER", escaped).encode("utf-8")
    assert json.loads(body)["materials"][0]["attachments"] == [SCAN]
    assert needed_hashes(body) == {SCAN}


def test_a_long_hex_text_that_is_no_attachment_is_not_taken_for_one() -> None:
    body = canonical_json(_body({"note": SCAN}, []))
    assert needed_hashes(body) == set()
