"""Build the station terminal's .deb from a frozen one-folder bundle, in the UOS layout.

    python packaging/deb/build_deb.py --bundle dist/station-app \
        --icons build/stage/resources/icons --version 0.1.0 [--build-number 0] --out dist

Layout (统信UOS app-store convention, also works on 银河麒麟 and plain Debian):

    /opt/apps/cn.gov.hanyang.redstation/
        files/                     the PyInstaller folder (station-app + _internal/)
        entries/applications/      cn.gov.hanyang.redstation.desktop
        entries/icons/hicolor/     NxN/apps/cn.gov.hanyang.redstation.png
        info                       JSON: appid, name, version (four numbers), arch, permissions
    /usr/bin/station-app           -> /opt/apps/…/files/station-app
    /usr/share/applications/…      -> the desktop entry (menus of non-UOS desktops look here)
    /usr/share/icons/hicolor/…     -> the icons

The links are shipped as package data, so no maintainer script writes outside the package.
`Depends` is computed from the bundle's ELF files with dpkg-shlibdeps: exactly the system
libraries the bundle links against and does not carry, plus a CJK font. `Recommends` names
what the terminal uses when present and works without: espeak-ng, the read-aloud (朗读) engine,
which it runs as a program (apt installs recommended packages by default).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

APPID = "cn.gov.hanyang.redstation"
PACKAGE = APPID  # UOS: the package name is the appid
NAME_ZH = "红色驿站服务终端"
NAME_EN = "Red Station Terminal"
MAINTAINER = os.environ.get(
    "REDSTATION_DEB_MAINTAINER", "Red Station packaging <packaging@redstation.invalid>")
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# Run-time needs that are not link-time ones: the CJK font the screens and receipts use,
# and the time-zone database that zoneinfo reads (APScheduler, working-day deadlines).
EXTRA_DEPENDS = ("fonts-wqy-microhei", "tzdata")
RECOMMENDS = ("espeak-ng",)  # 朗读: without it the button says the engine is missing
APP_DIR = Path("opt/apps") / APPID
HERE = Path(__file__).resolve().parent


def run(cmd: list[str], **kw: object) -> str:
    res = subprocess.run(cmd, check=False, capture_output=True, text=True, **kw)  # type: ignore[call-overload]
    if res.returncode != 0:
        sys.stderr.write(res.stdout + res.stderr)
        raise SystemExit(f"build_deb: {' '.join(cmd[:2])} … failed ({res.returncode})")
    out: str = res.stdout
    return out


def is_elf(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    with path.open("rb") as f:
        return f.read(4) == b"\x7fELF"


def build_glibc() -> str:
    """Upstream version of this machine's glibc, e.g. '2.36' (the floor of the build)."""
    version = run(["dpkg-query", "-W", "-f=${Version}", "libc6"])
    match = re.match(r"(\d+\.\d+)", version)
    if not match:
        raise SystemExit(f"build_deb: cannot read the libc6 version from {version!r}")
    return match.group(1)


def highest_glibc_symbol(elves: list[Path]) -> str:
    """The newest GLIBC_x.y symbol version any bundled binary needs (for the README)."""
    best = (0, 0)
    for elf in elves:
        for m in re.finditer(r"GLIBC_(\d+)\.(\d+)", run(["objdump", "-T", str(elf)])):
            best = max(best, (int(m.group(1)), int(m.group(2))))
    return f"{best[0]}.{best[1]}"


def _vkey(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", v))


def shlib_depends(root: Path, elves: list[Path], glibc_floor: str) -> list[str]:
    """dpkg-shlibdeps over the bundle, with libc6 raised to the build machine's glibc."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "debian").mkdir()
        (Path(tmp) / "debian" / "control").write_text(
            f"Source: {PACKAGE}\nMaintainer: {MAINTAINER}\n\n"
            f"Package: {PACKAGE}\nArchitecture: any\nDescription: x\n", encoding="utf-8")
        res = subprocess.run(
            ["dpkg-shlibdeps", "-O", "--warnings=0", *map(str, elves)],
            cwd=tmp, check=False, capture_output=True, text=True)
    if res.returncode != 0:
        missing = sorted(set(re.findall(r"cannot find library (\S+)", res.stderr)))
        hint = ""
        if missing:
            hint = ("\nThe bundle needs system libraries this build machine lacks: "
                    + ", ".join(missing) + "\nInstall them (apt-get install …) and rebuild.")
        sys.stderr.write(res.stderr)
        raise SystemExit("build_deb: dpkg-shlibdeps failed" + hint)
    line = next(x for x in res.stdout.splitlines() if x.startswith("shlibs:Depends="))
    deps = [d.strip() for d in line.split("=", 1)[1].split(",") if d.strip()]
    out = []
    for dep in deps:
        m = re.match(r"libc6 \(>= ([^)]+)\)", dep)
        if m and _vkey(m.group(1)) < _vkey(glibc_floor):
            dep = f"libc6 (>= {glibc_floor})"
        out.append(dep)
    if not any(d.startswith("libc6") for d in out):
        out.insert(0, f"libc6 (>= {glibc_floor})")
    return out


def desktop_entry(exe: str) -> str:
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.0",
        f"Name={NAME_EN}",
        f"Name[zh_CN]={NAME_ZH}",
        "GenericName=Community service station terminal",
        "GenericName[zh_CN]=社区红色驿站办事终端",
        "Comment=Intake, receipts and status of residents' applications at the station desk",
        "Comment[zh_CN]=驿站柜台受理居民事项、打印回执、查询办理进度",
        f"Exec={exe}",
        f"Icon={APPID}",
        "Terminal=false",
        "Categories=Office;Utility;",
        "Keywords=红色驿站;驿站;办事;一事联办;hongse;yizhan;station;",
        "StartupNotify=true",
        f"StartupWMClass={exe.rsplit('/', 1)[-1]}",
        "",
    ])


def info_json(version4: str, arch: str) -> str:
    info = {
        "appid": APPID,
        "name": NAME_ZH,
        "version": version4,
        "arch": [arch],
        "permissions": {
            "autostart": False,
            "notification": False,
            "trayicon": False,
            "clipboard": True,
            "account": False,
            "bluetooth": False,
            "camera": False,
            "audio_record": False,
            "installed_apps": False,
        },
    }
    return json.dumps(info, ensure_ascii=False, indent=2) + "\n"


def installed_size_kib(root: Path) -> int:
    total = 0
    for p in root.rglob("*"):
        if "DEBIAN" in p.relative_to(root).parts[:1]:
            continue
        total += 1 if p.is_symlink() or p.is_dir() else (p.stat().st_size + 1023) // 1024
    return total


def write_md5sums(root: Path) -> None:
    lines = []
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if rel.parts[0] == "DEBIAN" or p.is_symlink() or not p.is_file():
            continue
        lines.append(f"{hashlib.md5(p.read_bytes()).hexdigest()}  {rel.as_posix()}")
    (root / "DEBIAN" / "md5sums").write_text("\n".join(lines) + "\n", encoding="utf-8")


def normalise_modes(root: Path) -> None:
    """Directories 0755, files 0644 or 0755 (executables and shared objects)."""
    for p in root.rglob("*"):
        if p.is_symlink():
            continue
        if p.is_dir():
            p.chmod(0o755)
        else:
            p.chmod(0o755 if os.access(p, os.X_OK) or is_elf(p) else 0o644)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bundle", type=Path, required=True, help="PyInstaller one-folder output")
    ap.add_argument("--icons", type=Path, required=True, help="folder from make_icon.py")
    ap.add_argument("--version", required=True, help="X.Y.Z")
    ap.add_argument("--build-number", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--work", type=Path, default=Path("build/deb"))
    args = ap.parse_args(argv)

    if not re.fullmatch(r"\d+\.\d+\.\d+", args.version):
        raise SystemExit(f"build_deb: version must be X.Y.Z, got {args.version!r}")
    version4 = f"{args.version}.{args.build_number}"
    arch = run(["dpkg", "--print-architecture"]).strip()

    root = (args.work / "root").resolve()
    if root.exists():
        shutil.rmtree(root)
    (root / "DEBIAN").mkdir(parents=True)
    app = root / APP_DIR
    shutil.copytree(args.bundle, app / "files", symlinks=True)
    exe = f"/{APP_DIR.as_posix()}/files/station-app"

    desktop_rel = f"entries/applications/{APPID}.desktop"
    (app / desktop_rel).parent.mkdir(parents=True)
    (app / desktop_rel).write_text(desktop_entry(exe), encoding="utf-8")
    links: dict[str, str] = {
        "usr/bin/station-app": exe,
        f"usr/share/applications/{APPID}.desktop": f"/{APP_DIR.as_posix()}/{desktop_rel}",
    }
    for size in ICON_SIZES:
        rel = f"entries/icons/hicolor/{size}x{size}/apps/{APPID}.png"
        (app / rel).parent.mkdir(parents=True)
        shutil.copyfile(args.icons / f"{APPID}-{size}.png", app / rel)
        links[f"usr/share/icons/hicolor/{size}x{size}/apps/{APPID}.png"] = (
            f"/{APP_DIR.as_posix()}/{rel}")
    (app / "info").write_text(info_json(version4, arch), encoding="utf-8")
    for link, target in links.items():
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        (root / link).symlink_to(target)

    for script in ("postinst", "prerm", "postrm"):
        text = (HERE / script).read_text(encoding="utf-8")
        text = text.replace("@APPID@", APPID).replace("@VERSION@", version4)
        (root / "DEBIAN" / script).write_text(text, encoding="utf-8")
    normalise_modes(root)
    for script in ("postinst", "prerm", "postrm"):
        (root / "DEBIAN" / script).chmod(0o755)

    elves = sorted(p for p in (app / "files").rglob("*") if is_elf(p))
    floor = build_glibc()
    depends = [*shlib_depends(root, elves, floor), *EXTRA_DEPENDS]
    symbol_max = highest_glibc_symbol(elves)

    control = "\n".join([
        f"Package: {PACKAGE}",
        f"Version: {version4}",
        f"Architecture: {arch}",
        f"Maintainer: {MAINTAINER}",
        f"Installed-Size: {installed_size_kib(root)}",
        f"Depends: {', '.join(depends)}",
        f"Recommends: {', '.join(RECOMMENDS)}",
        "Suggests: cups",
        "Provides: red-station",
        "Section: misc",
        "Priority: optional",
        f"Description: {NAME_ZH} / {NAME_EN}",
        " Offline-first desktop terminal for the community service stations",
        " (红色驿站) of Hanyang district, Wuhan: intake forms for the district's",
        " service items, receipts with QR codes, and exactly-once delivery of",
        " submissions to the district backend.",
        " .",
        " Data is kept per machine and is never removed by this package, not even",
        " on purge: it belongs to the district.",
        "",
    ])
    (root / "DEBIAN" / "control").write_text(control, encoding="utf-8")
    write_md5sums(root)

    args.out.mkdir(parents=True, exist_ok=True)
    deb = args.out / f"{PACKAGE}_{version4}_{arch}.deb"
    # xz, because the dpkg of older UOS / Kylin releases cannot read zstd. Level 6 (dpkg's
    # default) for releases; tests may ask for a faster level, the content is the same.
    level = os.environ.get("REDSTATION_DEB_XZ_LEVEL", "6")
    run(["dpkg-deb", "--root-owner-group", "-Zxz", f"-z{level}", "--threads-max=2", "--build",
         str(root), str(deb)])
    build_info = {
        "deb": deb.name,
        "version": version4,
        "arch": arch,
        "deb_bytes": deb.stat().st_size,
        "installed_kib": installed_size_kib(root),
        "glibc_floor": floor,
        "glibc_highest_symbol": symbol_max,
        "depends": depends,
        "recommends": list(RECOMMENDS),
    }
    (args.out / f"{PACKAGE}_{version4}_{arch}.buildinfo.json").write_text(
        json.dumps(build_info, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"deb: {deb} ({deb.stat().st_size / 1e6:.1f} MB)")
    print(f"Depends: {', '.join(depends)}")
    print(f"glibc: build machine {floor}, newest symbol used {symbol_max}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
