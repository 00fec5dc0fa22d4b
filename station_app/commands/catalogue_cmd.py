"""`station-app catalogue check [DIR]`: validate a catalogue directory before it is used."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from station_app.domain.catalogue_loader import check_catalogue
from station_app.paths import bundled_catalogue_dir


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "catalogue",
        help="事项目录：检查 / service catalogue: check",
        description="检查事项目录文件 / check the service catalogue files",
    )
    csub = p.add_subparsers(dest="catalogue_command", required=True, metavar="ACTION")
    check = csub.add_parser(
        "check",
        help="检查目录并列出全部错误 / validate a catalogue directory, listing every error",
    )
    check.add_argument("directory", nargs="?", type=Path, default=None,
                       help="目录文件夹（默认：随程序发布的目录）/ catalogue folder")
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace) -> int:
    directory: Path = args.directory or bundled_catalogue_dir()
    if not directory.is_dir():
        print(f"错误：目录文件夹 {directory} 不存在", file=sys.stderr)
        return 1
    catalogue, errors = check_catalogue(directory)
    if catalogue is None:
        for e in errors:
            print(str(e))
        files = len({e.file for e in errors})
        print(f"目录无效：{len(errors)} 处错误，涉及 {files} 个文件（{directory}）",
              file=sys.stderr)
        return 1
    per_category = Counter(i.category for i in catalogue.items.values())
    bundles = len(catalogue.header.bundles)
    print(
        f"{len(catalogue.items)} 项事项，{bundles} 个一事联办，{len(per_category)} 个分类，"
        f"目录版本 {catalogue.version}：检查通过（{directory}）"
    )
    return 0
