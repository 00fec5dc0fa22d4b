"""`station-app catalogue check` on the real catalogue and on deliberately broken copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from station_app.cli import main
from station_app.domain.catalogue_loader import CatalogueInvalid, load_catalogue
from tests.helpers.catalogue import REPO_CATALOGUE

SEED_ITEMS = ["城乡居民医保个人参保登记", "社会保险缴费申报", "低收入家庭认定", "公共租赁住房",
              "退休人员养老金资格认证", "老年证"]


@pytest.fixture
def catalogue_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "catalogue"
    shutil.copytree(REPO_CATALOGUE, dst)
    return dst


def test_real_catalogue_is_valid_with_53_items(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalogue", "check", str(REPO_CATALOGUE)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("53 项事项")
    cat = load_catalogue(REPO_CATALOGUE)
    names = " ".join(i.name for i in cat.items.values())
    for wanted in SEED_ITEMS:
        assert wanted in names, wanted
    aliases = {a for i in cat.items.values() for a in i.aliases}
    assert {"退休年审", "老年证年审"} <= aliases
    assert len(cat.header.bundles) >= 3


def _edit_item(path: Path, edit: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_broken_copy_names_every_file_item_and_field(
    catalogue_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = catalogue_copy / "items"
    # 1. invalid YAML
    (items / "RS01.yaml").write_text("code: RS01\nname: [unclosed\n", encoding="utf-8")
    # 2. a material without a name
    _edit_item(items / "RS04.yaml", lambda d: d["materials"][0].pop("name"))
    # 3. a duplicate item code in another file
    dup = yaml.safe_load((items / "YB10.yaml").read_text(encoding="utf-8"))
    (items / "ZZ_dup.yaml").write_text(yaml.safe_dump(dup, allow_unicode=True), encoding="utf-8")
    # 4. an unknown field type
    def bad_type(d: dict[str, list[dict[str, object]]]) -> None:
        own = next(f for f in d["fields"] if "key" in f)
        own["type"] = "fingerprint"
    _edit_item(items / "MZ17.yaml", bad_type)

    assert main(["catalogue", "check", str(catalogue_copy)]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()

    def line_with(*parts: str) -> str:
        hits = [ln for ln in lines if all(p in ln for p in parts)]
        assert hits, f"no line with {parts} in:\n{out}"
        return hits[0]

    assert "YAML" in line_with("items/RS01.yaml")
    assert "缺少必填项" in line_with("items/RS04.yaml", "事项 RS04", "materials[0]", "name")
    assert "重复" in line_with("items/ZZ_dup.yaml", "事项 YB10", "code")
    assert "fingerprint" in line_with("items/MZ17.yaml", "事项 MZ17", "type")
    # each fault is said once, and nothing is blamed on it elsewhere
    assert "项数不够" not in out
    assert "不存在的事项" not in out
    assert len(lines) == 4


def test_broken_catalogue_is_never_loaded(catalogue_copy: Path) -> None:
    (catalogue_copy / "items" / "RS04.yaml").write_text("code: RS04\n", encoding="utf-8")
    with pytest.raises(CatalogueInvalid) as info:
        load_catalogue(catalogue_copy)
    assert any(e.item == "RS04" for e in info.value.errors)


def test_a_yaml_syntax_error_names_the_file_line_and_column(catalogue_copy: Path) -> None:
    (catalogue_copy / "items" / "RS04.yaml").write_text("code: RS04\nname: [a, b\nfee: 1\n",
                                                        encoding="utf-8")
    with pytest.raises(CatalogueInvalid) as info:
        load_catalogue(catalogue_copy)
    lines = [str(e) for e in info.value.errors]
    assert any("RS04.yaml" in line and "YAML 格式错误 第 3 行" in line for line in lines), lines


def test_cross_references_are_checked(catalogue_copy: Path) -> None:
    def bad_refs(d: dict[str, object]) -> None:
        d["category"] = "nowhere"
        fields = d["fields"]
        assert isinstance(fields, list)
        fields.append({"ref": "no_such_common_field"})
    _edit_item(catalogue_copy / "items" / "RS04.yaml", bad_refs)
    header = catalogue_copy / "catalogue.yaml"
    head = yaml.safe_load(header.read_text(encoding="utf-8"))
    head["bundles"][0]["items"].append("QQ99")
    header.write_text(yaml.safe_dump(head, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(CatalogueInvalid) as info:
        load_catalogue(catalogue_copy)
    text = "\n".join(str(e) for e in info.value.errors)
    assert "未知的分类 'nowhere'" in text
    assert "no_such_common_field" in text
    assert "联办 BD01" in text and "QQ99" in text


def test_missing_directory_is_one_line_and_nonzero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["catalogue", "check", str(tmp_path / "absent")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "不存在" in err[0]
