"""Code shared by several test folders (not tests themselves): the district backend on a
loopback port, PostgreSQL schemas, a configured station, the sync harness and the CI skip
policy. Fixtures stay in the conftest files; they build on these helpers."""
