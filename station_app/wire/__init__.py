"""The contract between a station and the district: owned by neither program, imported by both.

``protocol`` holds the request and reply models with their limits, ``canonical`` the one JSON
encoding whose bytes are hashed and resent unchanged, ``signing`` the HMAC request signature.
Nothing here knows about storage, HTTP clients or Qt; the wire imports only the domain.
"""
