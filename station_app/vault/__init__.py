"""Keys that protect residents' data at rest (DESIGN.md invariant 6).

One random data key per station protects everything personal: the SQLCipher database and its
backups, scanned attachments, the ID-lookup key. The data key is never on disk in clear; the
key file keeps it wrapped (AES-256-GCM) once per operator, under a key derived from that
operator's password with Argon2id, and once under IT's recovery key, printed at set-up.
Signing in unwraps it; without a password or the recovery key a copied data folder is noise.

Nothing here imports Qt, SQL or HTTP; the services layer decides when to unlock.
"""
