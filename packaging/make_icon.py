"""Render the application icon: a red rounded square with a white 驿, in the sizes installers use.

Run with the build venv's Python on the offscreen platform; a CJK font must be installed
(fonts-wqy-microhei on Debian). Writes ``<stem>-<size>.png`` for each size and ``<stem>.ico``.

    python packaging/make_icon.py OUTDIR [--stem cn.gov.hanyang.redstation]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontInfo,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
)

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
RED = "#c8161d"  # 中国红, as on the station signs
GLYPH = "驿"
CJK_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC",
                "Microsoft YaHei", "SimHei")


def render(size: int, family: str) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    margin = size * 0.04
    box = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    path = QPainterPath()
    path.addRoundedRect(box, size * 0.18, size * 0.18)
    p.fillPath(path, QColor(RED))
    font = QFont(family)
    font.setPixelSize(max(8, round(size * 0.66)))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("white"))
    p.drawText(box, int(Qt.AlignmentFlag.AlignCenter), GLYPH)
    p.end()
    return image


def pick_family() -> str:
    available = set(QFontDatabase.families())
    for family in CJK_FAMILIES:
        if family in available:
            return family
    # Let fontconfig choose; refuse to draw an empty box.
    info = QFontInfo(QFont("sans-serif"))
    if QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(
            info.family()):
        return info.family()
    raise SystemExit("make_icon: no CJK font found (apt-get install fonts-wqy-microhei)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--stem", default="cn.gov.hanyang.redstation")
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication(sys.argv[:1])
    family = pick_family()
    args.outdir.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        target = args.outdir / f"{args.stem}-{size}.png"
        if not render(size, family).save(str(target)):
            raise SystemExit(f"make_icon: cannot write {target}")
    if not render(256, family).save(str(args.outdir / f"{args.stem}.ico")):
        raise SystemExit("make_icon: the ICO image format plugin is missing")
    print(f"icon: {len(SIZES)} sizes + .ico in {args.outdir} (font {family})")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
