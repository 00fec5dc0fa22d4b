"""Synchronisation with the district backend: wire protocol, request signing, push/pull.

``protocol`` and ``signing`` are shared with the reference backend; ``client`` speaks HTTP,
``push``/``pull`` are the steps of a run, ``engine`` runs them one at a time with backoff,
``scheduler`` wires the engine to APScheduler. Nothing here imports Qt; results reach the UI
through thin signal adapters elsewhere.
"""
