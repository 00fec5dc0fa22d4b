"""Reference implementation of the district side of the Red Station sync protocol.

It exists so that stations can be developed and tested against a real server, and so that
the protocol has one executable definition besides `station_app.wire.protocol`.
"""

from district_backend.app import create_app

__all__ = ["create_app"]
