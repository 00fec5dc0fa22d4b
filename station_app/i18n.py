"""Translations: Qt Linguist `.ts` sources in resources/translations, `.qm` built from them.

`.qm` files are build output and are never committed. A packaged build ships them beside the
`.ts` files (`python -m station_app.i18n DIR` writes them); when running from the source tree
they are compiled at first use into the user's cache folder with the `lrelease` tool that comes
with PySide6, and rebuilt whenever the `.ts` source is newer.

After changing UI strings, refresh the source from the project root (existing translations
are kept, entries whose source text is gone are dropped) and translate the new entries in Qt
Linguist (`.venv/bin/pyside6-linguist resources/translations/red_station_en.ts`):

    .venv/bin/pyside6-lupdate station_app/app.py station_app/ui/*.py station_app/ui/*/*.py \
        -ts resources/translations/red_station_en.ts -no-obsolete -locations none

List the files, as above: given a folder, lupdate skips `.py` files. A new entry is marked
`type="unfinished"` until it is translated, and tests/ui/test_app.py fails while one is left.

Wrapping strings, so that lupdate finds them:

* in a QObject subclass, `self.tr("共 %n 件", "", n)` or `self.tr("受理：{0}").format(title)`
  (the context is the class name); elsewhere `QCoreApplication.translate("Context", "…")`;
* a module-level constant is marked `QT_TRANSLATE_NOOP("Context", "…")` (imported from here)
  and translated where it is shown, with the same context;
* never an f-string or a variable inside `tr()`: lupdate only reads literal text;
* a count with plural forms (`%n`) goes through `self.tr(text, "", n)` with `n` a plain name:
  lupdate gives `QCoreApplication.translate(…, n)` plural forms only for a literal number.

Text from the catalogue, from a case, and the messages of the Qt-free layers (services, domain,
printed documents) stays Chinese. A widget that shows such text is marked with `mark_data`, so
tests/ui/test_i18n_walk.py does not expect it in English.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import platformdirs
import PySide6
from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QWidget

from station_app.paths import APP_AUTHOR, APP_NAME, resource_path

log = logging.getLogger(__name__)

CATALOGUE_NAME = "red_station"  # red_station_en.ts -> red_station_en.qm
DATA_LABEL = "data_label"  # dynamic property of widgets whose text is not translated


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark a constant for lupdate (which reads this name) without translating it yet; show it
    with `QCoreApplication.translate(context, text)`. Qt's own version is typed `object`."""
    return text


def mark_data(widget: QWidget, on: bool = True) -> None:
    """Mark `widget` as showing data that stays Chinese in every language: catalogue entries,
    a case's details, or a message from the services and domain layers."""
    widget.setProperty(DATA_LABEL, on)


def translations_dir() -> Path:
    """Where the `.ts` sources (and, in a packaged build, the `.qm` files) are."""
    return resource_path("resources", "translations")


def default_build_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)) / "translations"


def lrelease_tool() -> Path | None:
    """PySide6's bundled `lrelease` binary, if this installation has it."""
    base = Path(PySide6.__file__).resolve().parent
    for name in ("lrelease", "lrelease.exe"):
        if (base / name).is_file():
            return base / name
    return None


def compile_translations(out_dir: Path | None = None, *, source_dir: Path | None = None,
                         force: bool = False) -> list[Path]:
    """Build every `.ts` into `out_dir` (default: the user cache); returns the `.qm` files.

    Up-to-date files are kept. Without the lrelease tool nothing is built and the terminal
    stays in Chinese, which is logged, not raised.
    """
    source_dir = source_dir or translations_dir()
    out_dir = out_dir or default_build_dir()
    built: list[Path] = []
    tool = lrelease_tool()
    for ts in sorted(source_dir.glob("*.ts")):
        qm = out_dir / (ts.stem + ".qm")
        if not force and qm.is_file() and qm.stat().st_mtime >= ts.stat().st_mtime:
            built.append(qm)
            continue
        if tool is None:
            log.warning("缺少 lrelease 工具，无法生成 %s", qm.name)
            continue
        out_dir.mkdir(parents=True, exist_ok=True)
        res = subprocess.run([str(tool), "-silent", str(ts), "-qm", str(qm)],
                             capture_output=True, text=True, check=False, timeout=60)
        if res.returncode != 0 or not qm.is_file():
            log.warning("翻译文件 %s 生成失败：%s", ts.name, res.stderr.strip())
            continue
        built.append(qm)
    return built


def find_qm(language: str, build_dir: Path | None = None) -> Path | None:
    """The `.qm` for `language`: shipped beside the sources, or compiled on demand."""
    name = f"{CATALOGUE_NAME}_{language}.qm"
    shipped = translations_dir() / name
    if shipped.is_file():
        return shipped
    build_dir = build_dir or default_build_dir()
    try:
        compile_translations(build_dir)
    except OSError as e:
        log.warning("无法生成翻译文件：%s", e)
    qm = build_dir / name
    return qm if qm.is_file() else None


def install_translator(app: QApplication, language: str,
                       build_dir: Path | None = None) -> list[QTranslator]:
    """Install the app's and Qt's own translations; keep the returned list alive."""
    installed: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_base = QTranslator(app)
    if qt_base.load(QLocale("zh_CN" if language == "zh_CN" else "en"), "qtbase", "_", qt_dir):
        app.installTranslator(qt_base)
        installed.append(qt_base)
    if language == "zh_CN":
        return installed  # the source strings are Chinese
    qm = find_qm(language, build_dir)
    own = QTranslator(app)
    if qm is not None and own.load(str(qm)):
        app.installTranslator(own)
        installed.append(own)
    else:
        log.warning("没有 %s 的界面翻译，继续使用中文", language)
    return installed


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else translations_dir()
    for path in compile_translations(target, force=True):
        print(path)
