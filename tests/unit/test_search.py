"""Item search by 汉字, 全拼 and 拼音首字母 over a small catalogue built for each test."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pypinyin
import pytest

from station_app.domain.catalogue_loader import (
    Catalogue,
    CatalogueInvalid,
    load_catalogue,
)
from station_app.domain.search import Score, SearchHit, SearchIndex, fold
from tests.helpers.catalogue import REPO_CATALOGUE, write_test_catalogue

# code, name, aliases, category, department
TEST_ITEMS: list[tuple[str, str, list[str], str, str]] = [
    ("YB10", "城乡居民医保个人参保登记", ["医保参保", "居民医保"], "yibao", "yb"),
    ("RS03", "社会保险缴费申报", [], "shebao", "rs"),
    ("LL25", "老年人优待证（老年证）登记", ["老年证办理"], "laonian", "ll"),
    ("MZ17", "低收入家庭认定", [], "jiuzhu", "mz"),
    ("ZB33", "公共租赁住房申请", ["公租房"], "zhufang", "zb"),
]

TEST_BUNDLES = [
    {"code": "BD03", "name": "困难群众救助“一件事”", "aliases": ["救助一件事"],
     "items": ["MZ17", "ZB33"]},
    {"code": "BD04", "name": "住房保障“一件事”", "aliases": ["公租房一件事"],
     "items": ["ZB33", "MZ17"]},
]


def _item(code: str, name: str, aliases: list[str], category: str, department: str,
          **extra: Any) -> dict[str, Any]:
    return {
        "code": code, "name": name, "aliases": aliases, "category": category,
        "department": department, "handling": {"type": "promised", "days": 5},
        "materials": [{"name": "居民身份证"}],
        "fields": [{"ref": "name"}, {"ref": "id_number"}],
        **extra,
    }


def build_catalogue(root: Path, items: list[dict[str, Any]],
                    bundles: list[dict[str, Any]] | None = None, with_rs04: bool = True
                    ) -> Catalogue:
    """A valid catalogue in `root`: the real header with our bundles, RS04 and `items`."""
    return load_catalogue(write_test_catalogue(root, items, bundles, with_rs04=with_rs04))


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    cat = build_catalogue(tmp_path / "catalogue", [_item(*t) for t in TEST_ITEMS], TEST_BUNDLES)
    return SearchIndex(cat)


def codes(hits: list[SearchHit]) -> list[str]:
    return [h.code for h in hits]


@pytest.mark.parametrize("query", ["yibao", "yi bao", "YiBao", "ｙｉ　ｂａｏ", "医保"])
def test_full_pinyin_and_hanzi_find_the_medical_insurance_item(
        index: SearchIndex, query: str) -> None:
    assert codes(index.search(query))[0] == "YB10"


@pytest.mark.parametrize("query", ["ylbx", "YLBX", "ｙｌｂｘ", "yiliaobaoxian", "医疗保险"])
def test_long_form_of_yibao_finds_the_item_named_with_the_short_form(
        index: SearchIndex, query: str) -> None:
    hits = index.search(query)
    assert codes(hits)[0] == "YB10"


def test_initials_lnz_finds_the_old_age_card(index: SearchIndex) -> None:
    hits = index.search("lnz")
    assert codes(hits)[0] == "LL25"


def test_initials_txns_finds_pension_certification_through_its_alias(
        index: SearchIndex) -> None:
    top = index.search("txns")[0]
    assert (top.kind, top.code, top.matched) == ("item", "RS04", "退休年审")
    assert top.name == "退休人员养老金资格认证"


def test_alias_hanzi_and_bundle_alias(index: SearchIndex) -> None:
    hits = index.search("公租房")
    assert [(h.kind, h.code) for h in hits] == [("item", "ZB33"), ("bundle", "BD04")]
    assert hits[0].matched == "公租房"
    assert hits[0].score >= Score.EXACT
    assert index.search("救助一件事")[0] == SearchHit(
        "bundle", "BD03", "困难群众救助“一件事”", "救助一件事", hits[0].score)


def test_hanzi_substring_and_punctuation_are_ignored(index: SearchIndex) -> None:
    assert codes(index.search("老年证）登")) == ["LL25"]
    assert codes(index.search("收入家庭")) == ["MZ17"]


def test_item_code_ranks_first(index: SearchIndex) -> None:
    top = index.search("rs04")[0]
    assert (top.code, top.matched, top.score) == ("RS04", "RS04", Score.CODE)


def test_no_match_and_empty_query(index: SearchIndex) -> None:
    assert index.search("qwxz") == []
    assert index.search("不存在的事项") == []
    everything = index.search("  ")
    assert codes(everything) == ["BD03", "BD04", "LL25", "MZ17", "RS03", "RS04", "YB10", "ZB33"]
    assert {h.kind for h in everything} == {"item", "bundle"}
    assert len(index) == len(everything)


def test_category_filter_keeps_bundles_containing_such_items(index: SearchIndex) -> None:
    assert codes(index.search("", category="yibao")) == ["YB10"]
    assert codes(index.search("", category="zhufang")) == ["BD03", "BD04", "ZB33"]
    assert codes(index.search("gzf", category="zhufang"))[0] == "ZB33"
    assert index.search("yibao", category="zhufang") == []
    assert codes(index.search("", category="shebao")) == ["RS03", "RS04"]


def test_limit(index: SearchIndex) -> None:
    assert len(index.search("", limit=3)) == 3


def test_hits_are_frozen(index: SearchIndex) -> None:
    hit = index.search("yibao")[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.score = 0  # type: ignore[misc]


def test_tiers_are_ordered_as_documented() -> None:
    assert (Score.CODE > Score.EXACT > Score.PREFIX > Score.INITIALS > Score.NAME_INITIALS
            > Score.ALIAS_INITIALS > Score.SUBSTRING > Score.PINYIN > 0)


RANKING_ITEMS = [
    _item("XA01", "养老服务", [], "laonian", "mz"),
    _item("XA02", "养老服务补贴申请", [], "laonian", "mz"),
    _item("XA03", "居家养老服务", [], "laonian", "mz"),
    _item("XA04", "社区食堂", ["养老服务点"], "laonian", "mz"),
    _item("XA09", "上门助浴服务", [], "laonian", "mz"),
    _item("XA08", "上门助洁服务", [], "laonian", "mz"),
    _item("XA10", "重度残疾人护理补贴", [], "canji", "mz"),
    _item("XA11", "养老金银行卡变更", [], "shebao", "rs"),
    _item("XA12", "城乡居民参保登记", [], "shebao", "rs"),
]


@pytest.fixture
def ranking(tmp_path: Path) -> SearchIndex:
    return SearchIndex(build_catalogue(tmp_path / "c", RANKING_ITEMS, with_rs04=False))


def test_exact_beats_prefix_beats_substring_in_hanzi(ranking: SearchIndex) -> None:
    hits = ranking.search("养老服务")
    assert codes(hits) == ["XA01", "XA02", "XA04", "XA03"]
    matched = [h.matched for h in hits]
    assert matched == ["养老服务", "养老服务补贴申请", "养老服务点", "居家养老服务"]


def test_name_initials_beat_alias_initials(ranking: SearchIndex) -> None:
    hits = ranking.search("ylfw")
    # whole name, then start of a name, then inside a name, then an alias
    assert codes(hits) == ["XA01", "XA02", "XA03", "XA04"]
    assert hits[2].score > Score.NAME_INITIALS > hits[3].score > Score.ALIAS_INITIALS


def test_full_pinyin_exact_and_prefix_beat_a_syllable_aligned_match(ranking: SearchIndex) -> None:
    hits = ranking.search("yanglaofuwu")
    assert codes(hits) == ["XA01", "XA02", "XA04", "XA03"]
    assert hits[-1].score < Score.SUBSTRING  # 居家|养老服务: pinyin inside the name
    assert ranking.search("laofuwu") and "XA03" in codes(ranking.search("laofuwu"))
    assert ranking.search("aofuwu") == []  # not aligned to a syllable: no match


def test_ties_are_broken_by_code(ranking: SearchIndex) -> None:
    hits = ranking.search("上门")
    assert codes(hits) == ["XA08", "XA09"]
    assert hits[0].score == hits[1].score


def test_mixed_full_pinyin_and_initials(ranking: SearchIndex) -> None:
    assert codes(ranking.search("yanglfw"))[:2] == ["XA01", "XA02"]


def test_heteronyms_use_the_contextual_reading(ranking: SearchIndex) -> None:
    # 重度 is zhong-du, 银行 yin-hang, 参保 can-bao: found in the initials tiers
    assert ranking.search("zdcj")[0].code == "XA10"
    assert ranking.search("zdcj")[0].score >= Score.NAME_INITIALS
    assert ranking.search("yhk")[0].code == "XA11"
    assert ranking.search("yhk")[0].score >= Score.NAME_INITIALS
    assert ranking.search("cb")[0].code == "XA12"
    assert ranking.search("yinhang")[0].code == "XA11"


def test_other_readings_still_find_the_item_in_the_lowest_tier(ranking: SearchIndex) -> None:
    for query, code in (("cdcj", "XA10"), ("chongdu", "XA10"), ("yinxing", "XA11")):
        hits = ranking.search(query)
        assert codes(hits) == [code], query
        assert Score.PINYIN <= hits[0].score < Score.CODE_PREFIX


def _forbid_pinyin_conversion(monkeypatch: pytest.MonkeyPatch) -> None:
    """Queries must use the readings computed when the index was built (that is what keeps
    a keystroke cheap; tests/bench/bench_search.py measures the time)."""
    def forbidden(*args: object, **kwargs: object) -> list[str]:
        raise AssertionError("pinyin conversion during a query")

    monkeypatch.setattr(pypinyin, "lazy_pinyin", forbidden)
    monkeypatch.setattr(pypinyin, "pinyin", forbidden)


def test_queries_do_not_convert_the_catalogue_again(
        index: SearchIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    _forbid_pinyin_conversion(monkeypatch)
    for query in ("y", "yi", "yib", "yiba", "yibao", "ylbx", "老年", "gzf", "RS04"):
        index.search(query)


def test_fold() -> None:
    assert fold("  Ｌｎｚ　老年证（办理）·“一件事” ") == "lnz老年证办理一件事"


def test_real_catalogue_when_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs once the repository catalogue loads; until then the writers are still at work."""
    try:
        cat = load_catalogue(REPO_CATALOGUE)
    except CatalogueInvalid as e:
        pytest.skip(f"仓库中的事项目录尚不完整（{len(e.errors)} 处错误），暂不测试")
    index = SearchIndex(cat)
    _forbid_pinyin_conversion(monkeypatch)  # every query below, on the whole catalogue

    def category_of(hit: SearchHit) -> str | None:
        return cat.items[hit.code].category if hit.kind == "item" else None

    for item in cat.items.values():
        hits = index.search(item.name)
        assert hits[0].score >= Score.EXACT and item.code in codes(hits[:3]), item.code
        for alias in item.aliases:
            found = {h.code: h.score for h in index.search(alias)}
            assert found.get(item.code, 0) >= Score.EXACT, (item.code, alias)
    assert "RS04" in codes(index.search("txns")[:3])
    yibao = index.search("yibao")[:5]
    assert all("医保" in h.matched for h in yibao)
    assert "yibao" in {category_of(h) for h in yibao}
    assert "yibao" in {category_of(h) for h in index.search("ylbx")[:10]}
    top = index.search("lnz")[0]
    assert "老年证" in top.name + "".join(cat.items[top.code].aliases)
    for query in ("y", "yi", "yib", "yiba", "l", "ln", "老", "gzf"):  # typed a key at a time
        assert index.search(query), query
