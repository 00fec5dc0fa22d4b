"""Load and check a catalogue directory, reporting every error with file, item and field.

A catalogue is loaded whole or not at all: `load_catalogue` raises `CatalogueInvalid` with the
complete list of problems, so a broken update can never replace a working catalogue.
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from station_app.domain.catalogue import (
    Bundle,
    CatalogueHeader,
    Condition,
    FieldRef,
    FieldType,
    FormField,
    ServiceItem,
)
from station_app.domain.catalogue_errors import CatalogueError, validation_errors
from station_app.domain.holiday_file import HOLIDAYS_FILE, HolidayFile
from station_app.domain.workdays import YearSchedule

HEADER_FILE = "catalogue.yaml"
ITEMS_DIR = "items"

# SHA-256 of a file's text -> what its YAML parsed to. Handed in by whoever keeps such a table
# between starts (``services.catalogue_parse_cache``); every file is still read and every
# value still validated: only the parsing of an unchanged text is skipped.
ParsedFiles = MutableMapping[str, Any]


class CatalogueInvalid(Exception):
    """The catalogue directory has errors; nothing of it was loaded."""

    def __init__(self, errors: Sequence[CatalogueError]) -> None:
        self.errors = list(errors)
        super().__init__(f"目录有 {len(self.errors)} 处错误")


@dataclass(frozen=True)
class Catalogue:
    """A complete, cross-checked catalogue."""

    header: CatalogueHeader
    items: dict[str, ServiceItem]
    source_files: dict[str, str] = field(default_factory=dict)  # item code -> file name
    holidays: tuple[YearSchedule, ...] = ()  # schedules of years the calendar data lacks

    @property
    def version(self) -> str:
        return self.header.catalogue_version

    def item(self, code: str) -> ServiceItem:
        return self.items[code]

    def bundle(self, code: str) -> Bundle:
        for b in self.header.bundles:
            if b.code == code:
                return b
        raise KeyError(code)

    def common_field(self, key: str) -> FormField:
        for f in self.header.common_fields:
            if f.key == key:
                return f
        raise KeyError(key)

    def category_name(self, code: str) -> str:
        return next((c.name for c in self.header.categories if c.code == code), code)

    def department_name(self, code: str) -> str:
        return next((d.name for d in self.header.departments if d.code == code), code)


def _parse_yaml(text: str) -> Any:
    """``text`` parsed by libyaml's parser when PyYAML was built with it (the wheels are):
    the same safe subset, about ten times faster. PyYAML is imported here, on the first file
    that is not in the parse cache: a start whose catalogue did not change parses nothing and
    does not pay its import (~25 ms)."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _read_yaml(path: Path, rel: str, errors: list[CatalogueError],
               parsed: ParsedFiles | None = None) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        errors.append(CatalogueError(rel, "文件不是 UTF-8 编码"))
        return None
    except OSError as e:
        errors.append(CatalogueError(rel, f"无法读取文件：{e.strerror}"))
        return None
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest() if parsed is not None else ""
    kept = parsed.get(digest) if parsed is not None else None
    if isinstance(kept, dict):
        return kept
    from yaml import YAMLError

    try:
        data = _parse_yaml(text)
    except YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else ""
        problem = getattr(e, "problem", None) or "格式错误"
        errors.append(CatalogueError(rel, f"YAML 格式错误 {where}：{problem}".strip()))
        return None
    if not isinstance(data, dict):
        errors.append(CatalogueError(rel, "文件内容须为键值表（YAML mapping）"))
        return None
    if parsed is not None:
        parsed[digest] = data
    return data


def _check_item_refs(
    item: ServiceItem, header: CatalogueHeader, rel: str
) -> list[CatalogueError]:
    errs: list[CatalogueError] = []
    cats = {c.code for c in header.categories}
    deps = {d.code for d in header.departments}
    common = {f.key: f for f in header.common_fields}
    if item.category not in cats:
        errs.append(CatalogueError(rel, f"未知的分类 {item.category!r}", item.code, "category"))
    if item.department not in deps:
        errs.append(
            CatalogueError(rel, f"未知的部门 {item.department!r}", item.code, "department")
        )
    resolved: dict[str, FormField] = {}
    for i, entry in enumerate(item.fields):
        if isinstance(entry, FieldRef):
            if entry.ref not in common:
                errs.append(
                    CatalogueError(rel, f"引用了未定义的公共字段 {entry.ref!r}", item.code,
                                   f"fields[{i}]({entry.ref})")
                )
            else:
                resolved[entry.ref] = common[entry.ref]
        else:
            if entry.key in common:
                errs.append(
                    CatalogueError(rel, f"字段键 {entry.key!r} 与公共字段同名，请用 ref 引用",
                                   item.code, f"fields[{i}]({entry.key})")
                )
            resolved[entry.key] = entry
    errs.extend(_check_conditions(resolved, rel, item.code, ""))
    for i, m in enumerate(item.materials):
        if m.when is not None:
            errs.extend(_check_condition(m.when, resolved, rel, item.code,
                                         f"materials[{i}]({m.name}).when"))
    return errs


def _check_condition(cond: Condition, fields: dict[str, FormField], rel: str, code: str,
                     path: str) -> list[CatalogueError]:
    target = fields.get(cond.field)
    if target is None:
        return [CatalogueError(rel, f"条件引用了不存在的字段 {cond.field!r}", code, path)]
    if target.options is not None:
        wanted = (cond.equals,) if cond.equals is not None else (cond.in_ or ())
        bad = [w for w in wanted if w not in target.options]
        if bad:
            return [CatalogueError(
                rel, f"条件取值 {'、'.join(bad)} 不在 {target.key} 的选项中", code, path)]
    return []


def _check_conditions(
    fields: dict[str, FormField], rel: str, code: str, prefix: str
) -> list[CatalogueError]:
    errs: list[CatalogueError] = []
    for key, f in fields.items():
        if f.when is not None:
            errs.extend(_check_condition(f.when, fields, rel, code, f"{prefix}{key}.when"))
        if f.type is FieldType.GROUP and f.fields:
            errs.extend(_check_conditions({g.key: g for g in f.fields}, rel, code,
                                          f"{prefix}{key}."))
    return errs


def check_catalogue(directory: Path, parsed: ParsedFiles | None = None
                    ) -> tuple[Catalogue | None, list[CatalogueError]]:
    """Read and cross-check every file; return the catalogue only if there is no error.

    ``parsed``: texts parsed before (see :data:`ParsedFiles`); what is parsed now is added."""
    errors: list[CatalogueError] = []
    header_path = directory / HEADER_FILE
    header: CatalogueHeader | None = None
    if not header_path.is_file():
        errors.append(CatalogueError(HEADER_FILE, "缺少目录总表文件"))
    else:
        raw = _read_yaml(header_path, HEADER_FILE, errors, parsed)
        if raw is not None:
            try:
                header = CatalogueHeader.model_validate(raw)
            except ValidationError as e:
                errors.extend(validation_errors(e, HEADER_FILE, None, raw))

    items: dict[str, ServiceItem] = {}
    named: set[str] = set()  # codes declared by any file, valid or not
    files: dict[str, str] = {}
    items_dir = directory / ITEMS_DIR
    paths = sorted(items_dir.glob("*.yaml")) if items_dir.is_dir() else []
    if not paths:
        errors.append(CatalogueError(f"{ITEMS_DIR}/", "没有任何事项文件"))
    for path in paths:
        rel = f"{ITEMS_DIR}/{path.name}"
        raw = _read_yaml(path, rel, errors, parsed)
        if raw is None:
            continue
        code = raw.get("code") if isinstance(raw.get("code"), str) else None
        if code is not None:
            named.add(code)
        try:
            item = ServiceItem.model_validate(raw)
        except ValidationError as e:
            errors.extend(validation_errors(e, rel, code, raw))
            continue
        if item.code in items:
            errors.append(CatalogueError(
                rel, f"事项编码重复，已在 {files[item.code]} 中使用", item.code, "code"))
            continue
        items[item.code] = item
        files[item.code] = rel
        if header is not None:
            errors.extend(_check_item_refs(item, header, rel))

    if header is not None:
        errors.extend(_check_bundles(header, named))
    holidays = _read_holidays(directory, errors, parsed)
    if errors or header is None:
        return None, errors
    return Catalogue(header, items, files, holidays), []


def _read_holidays(directory: Path, errors: list[CatalogueError],
                   parsed: ParsedFiles | None) -> tuple[YearSchedule, ...]:
    path = directory / HOLIDAYS_FILE
    if not path.is_file():
        return ()
    raw = _read_yaml(path, HOLIDAYS_FILE, errors, parsed)
    if raw is None:
        return ()
    try:
        return HolidayFile.model_validate(raw).schedules()
    except ValidationError as e:
        errors.extend(validation_errors(e, HOLIDAYS_FILE, None, raw))
        return ()


def _check_bundles(header: CatalogueHeader, items: set[str]) -> list[CatalogueError]:
    """Bundles name item codes that some file declares (a broken file is reported by itself)."""
    errs: list[CatalogueError] = []
    seen: set[str] = set()
    for i, b in enumerate(header.bundles):
        if b.code in seen:
            errs.append(CatalogueError(HEADER_FILE, "联办编码重复", b.code, f"bundles[{i}]"))
        seen.add(b.code)
        for code in b.items:
            if code not in items:
                errs.append(CatalogueError(HEADER_FILE, f"联办引用了不存在的事项 {code}",
                                           b.code, f"bundles[{i}].items"))
    return errs


def load_catalogue(directory: Path, parsed: ParsedFiles | None = None) -> Catalogue:
    """Load a catalogue or raise `CatalogueInvalid` listing every error."""
    catalogue, errors = check_catalogue(directory, parsed)
    if catalogue is None:
        raise CatalogueInvalid(errors)
    return catalogue
