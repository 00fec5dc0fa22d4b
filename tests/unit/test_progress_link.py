"""The progress page's address: one rule for its template wherever it is given (the settings,
``setup``, the screens through ``check_settings``, the district's catalogue), and the filled-in
address of one case."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from station_app.cli import main
from station_app.config import StationSettings, load_settings
from station_app.domain.catalogue_loader import CatalogueInvalid, load_catalogue
from station_app.domain.progress_link import check_progress_template, progress_url
from station_app.services.settings_form import check_settings
from tests.helpers.catalogue import write_test_catalogue

GOOD = "https://hy.example.cn/q/{ref}"
SECRET = "Zk3vQ9-x_7LmN2pR8sT4"


@pytest.mark.parametrize(("template", "problem"), [
    ("hy.example.cn/q/{ref}", "须以 http:// 或 https:// 开头"),
    ("ftp://hy.example.cn/q/{ref}", "须以 http:// 或 https:// 开头"),
    ("https:///q/{ref}", "须含主机名"),
    ("https://hy.example.cn/q/", "须含一处 {ref}"),
    ("https://hy.example.cn/q/{ref}/{ref}", "须含一处 {ref}"),
    ("https://{ref}.example.cn/q", "{ref} 须在主机名之后"),
    ("https://user:pw@hy.example.cn/q/{ref}", "不能带用户名或密码"),
    ("https://hy.example.cn:http/q/{ref}", "不是有效的网址"),
    ("https://hy.example.cn/q/{ref}?x=" + "a" * 200, "不能超过 200 个字符"),
    ("https://hy.example.cn/q /{ref}", "不能含空格"),
])
def test_a_bad_template_is_refused_with_the_rule(template: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem.replace("{", r"\{").replace("}", r"\}")):
        check_progress_template(template)


@pytest.mark.parametrize("template", [GOOD, "http://127.0.0.1:8700/q/{ref}",
                                      "https://hy.example.cn/progress?ref={ref}&from=qr"])
def test_good_templates_pass_and_take_the_reference(template: str) -> None:
    assert check_progress_template(template) == template
    url = progress_url(template, "HY261125-7K3M9Q2X")
    assert "HY261125-7K3M9Q2X" in url and "{ref}" not in url


def test_the_reference_is_quoted_into_the_address() -> None:
    assert progress_url(GOOD, "HY 1/2?") == "https://hy.example.cn/q/HY%201%2F2%3F"


def test_settings_screens_and_setup_use_the_same_rule(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _, errors = check_settings(StationSettings(), {"progress_page_url": "https://hy.example.cn/q"})
    assert errors == {"progress_page_url": "办理进度网址须含一处 {ref}（受理编号填在这里），"
                                           "如 https://hy.example.cn/q/{ref}"}
    change, errors = check_settings(StationSettings(), {"progress_page_url": "  "})
    assert not errors and change is not None and change.settings.progress_page_url is None
    base = ["--data-dir", str(tmp_path / "s"), "setup", "--station-id", "QDK01",
            "--backend-url", "https://hy.example.cn/api", "--secret", SECRET]
    assert main([*base, "--progress-page-url", "ftp://hy.example.cn/q/{ref}"]) == 2
    err = capsys.readouterr().err
    assert "--progress-page-url：办理进度网址须以 http:// 或 https:// 开头" in err
    assert main([*base, "--progress-page-url", GOOD]) == 0
    assert load_settings(tmp_path / "s").progress_page_url == GOOD
    assert main([*base, "--progress-page-url", ""]) == 0  # empty: not set
    assert load_settings(tmp_path / "s").progress_page_url is None


def _catalogue_with(tmp_path: Path, template: object) -> Path:
    directory = write_test_catalogue(tmp_path / "catalogue")
    header = directory / "catalogue.yaml"
    data = yaml.safe_load(header.read_text(encoding="utf-8"))
    data["progress_page_url"] = template
    header.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                      encoding="utf-8")
    return directory


def test_the_district_publishes_its_page_in_the_catalogue(tmp_path: Path) -> None:
    catalogue = load_catalogue(_catalogue_with(tmp_path / "good", GOOD))
    assert catalogue.header.progress_page_url == GOOD
    with pytest.raises(CatalogueInvalid) as info:
        load_catalogue(_catalogue_with(tmp_path / "bad", "https://hy.example.cn/q"))
    text = "\n".join(str(e) for e in info.value.errors)
    assert "办理进度网址 progress_page_url 须含一处 {ref}" in text


def test_the_repository_catalogue_publishes_no_page() -> None:
    """Its address depends on where a district runs the backend; stations then print the
    bare reference until the district or the station sets one."""
    from tests.helpers.catalogue import REPO_CATALOGUE

    assert load_catalogue(REPO_CATALOGUE).header.progress_page_url is None
