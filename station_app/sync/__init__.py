"""Synchronisation with the district backend: wire protocol, request signing, push/pull.

Nothing here imports Qt; results reach the UI through thin signal adapters elsewhere.
"""
