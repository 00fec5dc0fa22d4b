"""Sub-commands of `station-app`; each module adds its parser and a `run(args) -> int`."""
