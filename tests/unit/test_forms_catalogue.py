"""Form rules on the real 53-item catalogue: bundles ask shared things once, materials follow
the answers, and relabelled common fields keep their meaning."""

from __future__ import annotations

import pytest

from station_app.domain.catalogue import FormField
from station_app.domain.catalogue_loader import Catalogue, load_catalogue
from station_app.domain.forms import (
    form_for_bundle,
    form_for_item,
    item_values,
    materials_needed,
    missing_materials,
    validate_form,
)
from tests.helpers.catalogue import REPO_CATALOGUE


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue(REPO_CATALOGUE)


@pytest.mark.parametrize("code", ["BD01", "BD02", "BD03", "BD04", "BD05"])
def test_every_bundle_asks_each_question_once(cat: Catalogue, code: str) -> None:
    form = form_for_bundle(cat, code)
    labels = [f.label for f in form.fields]
    assert len(labels) == len(set(labels)), labels
    assert not form.original_keys, f"renamed duplicates in {code}: {form.original_keys}"
    for key in ("name", "id_number", "phone"):
        assert set(form.needed_by[key]) == set(form.item_codes)


def test_family_members_merge_into_one_group(cat: Catalogue) -> None:
    form = form_for_bundle(cat, "BD03")
    group = form.field("family_members")
    member_keys = {g.key for g in group.fields or ()}
    mz17 = next(f for f in cat.item("MZ17").fields
                if isinstance(f, FormField) and f.key == "family_members")
    mz24 = next(f for f in cat.item("MZ24").fields
                if isinstance(f, FormField) and f.key == "family_members")
    assert {g.key for g in mz17.fields or ()} | {g.key for g in mz24.fields or ()} == member_keys
    assert set(form.needed_by["family_members"]) >= {"MZ17", "MZ24"}


def test_newborn_birth_certificate_is_required_only_for_newborns(cat: Catalogue) -> None:
    form = form_for_item(cat, "YB10")
    cert = "出生医学证明"

    def names(values: dict[str, object]) -> set[str]:
        return {m.name for _, m in materials_needed(cat, form, values)}

    assert not any(cert in n for n in names({"insured_category": "成人", "apply_by": "本人办理"}))
    newborn = {"insured_category": "新生儿", "apply_by": "本人办理"}
    needed = materials_needed(cat, form, newborn)
    assert any(cert in m.name for _, m in needed)
    missing = missing_materials(needed, [m.name for _, m in needed if cert not in m.name])
    assert [m.name for m in missing if cert in m.name]


def test_agent_materials_follow_apply_by(cat: Catalogue) -> None:
    form = form_for_item(cat, "RS04")
    own = {m.name for _, m in materials_needed(cat, form, {"apply_by": "本人办理"})}
    agent = {m.name for _, m in materials_needed(cat, form, {"apply_by": "代办"})}
    assert "授权委托书" not in own
    assert {"授权委托书", "代办人居民身份证"} <= agent


def test_relabelled_common_field_keeps_key_and_rules(cat: Catalogue) -> None:
    form = form_for_item(cat, "RS09")
    name = form.field("name")
    assert name.label == "已故参保人姓名"
    assert name.required
    result = validate_form(form, {"name": ""})
    assert "已故参保人姓名" in result.errors["name"]


def test_bundle_payload_splits_back_per_item(cat: Catalogue) -> None:
    form = form_for_bundle(cat, "BD05")
    values = {"name": "张三", "id_number": "42010519600101001X", "death_date": "2026-11-01"}
    for code in form.item_codes:
        local = item_values(form, values, code)
        assert local["id_number"] == "42010519600101001X"
