"""Entry script of the frozen `station-app`: the same `main` the console script calls."""

from station_app.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
