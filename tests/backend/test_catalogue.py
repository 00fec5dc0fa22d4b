"""GET /v1/catalogue: the catalogue as JSON with a strong ETag and 304 on If-None-Match."""

from __future__ import annotations

import json
from pathlib import Path

from district_backend.catalogue import FULL_CHECK_S, CatalogueSource
from station_app.domain.catalogue import CatalogueHeader, ServiceItem
from station_app.wire.protocol import CatalogueResponse, ErrorBody
from tests.helpers.backend import RunningBackend, StationClient, serve_backend
from tests.helpers.catalogue import write_test_catalogue


def test_catalogue_is_served_and_validates_with_the_domain_models(station: StationClient) -> None:
    resp = station.request("GET", "/v1/catalogue")
    assert resp.status_code == 200
    etag = resp.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    cat = CatalogueResponse.model_validate_json(resp.content)
    assert cat.catalogue_version == "2026.11.1" and cat.schema_version == 1
    header = CatalogueHeader.model_validate(cat.header)
    items = [ServiceItem.model_validate(i) for i in cat.items]
    assert [i.code for i in items] == ["RS04"]
    assert header.title.startswith("汉阳区")


def test_if_none_match_gives_304(station: StationClient) -> None:
    etag = station.request("GET", "/v1/catalogue").headers["ETag"]
    for value in (etag, f"W/{etag}", f'"nope", {etag}', "*"):
        resp = station.request("GET", "/v1/catalogue", headers={"If-None-Match": value})
        assert resp.status_code == 304, value
        assert resp.content == b"" and resp.headers["ETag"] == etag
    resp = station.request("GET", "/v1/catalogue", headers={"If-None-Match": '"other"'})
    assert resp.status_code == 200


def test_changed_catalogue_gets_a_new_etag(backend: RunningBackend, station: StationClient) -> None:
    old = station.request("GET", "/v1/catalogue").headers["ETag"]
    path = backend.catalogue_dir / "catalogue.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("2026.11.1", "2026.12.1"),
                    encoding="utf-8")
    resp = station.request("GET", "/v1/catalogue", headers={"If-None-Match": old})
    assert resp.status_code == 200 and resp.headers["ETag"] != old
    assert json.loads(resp.content)["catalogue_version"] == "2026.12.1"


def test_broken_edit_keeps_serving_the_last_good_catalogue(backend: RunningBackend,
                                                           station: StationClient) -> None:
    good = station.request("GET", "/v1/catalogue")
    (backend.catalogue_dir / "items" / "RS04.yaml").write_text("code: [", encoding="utf-8")
    resp = station.request("GET", "/v1/catalogue")
    assert resp.status_code == 200 and resp.headers["ETag"] == good.headers["ETag"]


def test_catalogue_needs_a_signature(station: StationClient) -> None:
    resp = station.request("GET", "/v1/catalogue", sign=False)
    assert resp.status_code == 401
    assert ErrorBody.model_validate_json(resp.content).error == "missing_headers"


def test_openapi_document_is_served_unsigned_when_enabled(tmp_path: Path) -> None:
    with serve_backend(tmp_path, api_docs=True) as backend:
        resp = backend.enroll("QDK01").request("GET", "/openapi.json", sign=False)
    assert resp.status_code == 200
    doc = resp.json()
    assert {"/v1/push", "/v1/changes", "/v1/catalogue", "/v1/health",
            "/v1/attachments/{sha256}"} <= set(doc["paths"])
    assert "PushRequest" in doc["components"]["schemas"]
    assert doc["paths"]["/v1/push"]["post"]["security"] == [{"stationSignature": []}]
    assert "security" not in doc["paths"]["/v1/health"]["get"]
    assert all(op.get("summary") for ops in doc["paths"].values() for op in ops.values())


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_each_push_looks_at_two_files_and_every_file_once_a_second(tmp_path: Path) -> None:
    """A file added or renamed, or the header changed, is served at the next request; an item
    file rewritten in place (the folder's time does not move) within FULL_CHECK_S."""
    folder = write_test_catalogue(tmp_path / "catalogue")
    clock = _Clock()
    source = CatalogueSource(folder, clock=clock)
    first = source.get()
    items = folder / "items"
    rs04 = items / "RS04.yaml"
    folder_time = items.stat().st_mtime_ns
    rs04.write_text(rs04.read_text(encoding="utf-8").replace(
        "name: 退休人员养老金资格认证", "name: 养老金资格认证（新）"), encoding="utf-8")
    assert items.stat().st_mtime_ns == folder_time  # rewritten in place
    assert source.get().etag == first.etag
    clock.now += FULL_CHECK_S
    assert source.get().catalogue.items["RS04"].name == "养老金资格认证（新）"
    (items / "RS05.yaml").write_text(rs04.read_text(encoding="utf-8").replace(
        "code: RS04", "code: RS05"), encoding="utf-8")
    assert "RS05" in source.get().catalogue.items  # the same moment: the folder's time moved
    header = folder / "catalogue.yaml"
    header.write_text(header.read_text(encoding="utf-8").replace("2026.11.1", "2026.12.1"),
                      encoding="utf-8")
    assert source.get().catalogue.version == "2026.12.1"
