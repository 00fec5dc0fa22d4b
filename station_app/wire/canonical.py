"""The wire's canonical JSON is the domain's (also used to hash the audit chain); one
definition, re-exported here because every wire body is encoded with it."""

from station_app.domain.canonical import canonical_json, content_sha256

__all__ = ["canonical_json", "content_sha256"]
