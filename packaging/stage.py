"""Prepare the stage the PyInstaller spec builds from, on Linux or Windows.

    python packaging/stage.py --version X.Y.Z [--stage build/stage]

Run with the build venv's Python. It

- copies catalogue/ and resources/ (without .qm files and translation sources),
- compiles resources/translations/*.ts to .qm with PySide6's lrelease,
- renders the application icon (packaging/make_icon.py),
- installs the project into the build venv with ``version = X.Y.Z`` in its metadata, so the
  frozen ``station-app --version`` prints the release version.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("pyproject.toml", "README.md", "station_app", "district_backend")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.qm", "*.ts")


def lrelease() -> Path:
    import PySide6

    base = Path(PySide6.__file__).resolve().parent
    for name in ("lrelease", "lrelease.exe"):
        if (base / name).is_file():
            return base / name
    raise SystemExit("stage: PySide6's lrelease tool is missing from the build venv")


def compile_translations(stage: Path) -> int:
    sources = sorted((REPO / "resources" / "translations").glob("*.ts"))
    if not sources:
        return 0
    out = stage / "resources" / "translations"
    out.mkdir(parents=True, exist_ok=True)
    tool = lrelease()
    for ts in sources:
        subprocess.run([str(tool), "-silent", str(ts), "-qm", str(out / f"{ts.stem}.qm")],
                       check=True)
    return len(sources)


def install_project(stage: Path, version: str) -> None:
    src = stage / "src"
    src.mkdir(parents=True)
    for name in PROJECT_FILES:
        origin = REPO / name
        if origin.is_dir():
            shutil.copytree(origin, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(origin, src / name)
    pyproject = src / "pyproject.toml"
    text, count = re.subn(r'(?m)^version = "[^"]*"$', f'version = "{version}"',
                          pyproject.read_text(encoding="utf-8"), count=1)
    if count != 1:
        raise SystemExit("stage: no version line in pyproject.toml")
    pyproject.write_text(text, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "--no-build-isolation", "--force-reinstall", str(src)], check=True)
    probe = subprocess.run(
        [sys.executable, "-c", "import station_app; print(station_app.__version__)"],
        cwd=stage, capture_output=True, text=True, check=True)
    if probe.stdout.strip() != version:
        raise SystemExit(f"stage: the build venv carries {probe.stdout.strip()}, not {version}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--version", required=True, help="X.Y.Z")
    ap.add_argument("--stage", type=Path, default=REPO / "build" / "stage")
    args = ap.parse_args(argv)
    if not re.fullmatch(r"\d+\.\d+\.\d+", args.version):
        raise SystemExit(f"stage: version must be X.Y.Z, got {args.version!r}")

    stage: Path = args.stage.resolve()
    if stage.exists():
        shutil.rmtree(stage)
    shutil.copytree(REPO / "catalogue", stage / "catalogue", ignore=IGNORED)
    resources = REPO / "resources"
    if resources.is_dir():
        shutil.copytree(resources, stage / "resources", ignore=IGNORED)
    (stage / "resources").mkdir(parents=True, exist_ok=True)
    print(f"translations compiled: {compile_translations(stage)}")
    subprocess.run([sys.executable, str(REPO / "packaging" / "make_icon.py"),
                    str(stage / "resources" / "icons")], check=True)
    install_project(stage, args.version)
    print(f"stage ready: {stage} (version {args.version})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
