"""What the terminal's window shows before the station's database is open.

A start signs the operator in (the key file alone), reads the settings and the catalogue from
their files and shows the window: a worker can search the 事项 at once. The data layer
(SQLAlchemy, the models, the store) is loaded and the database opened a moment later
(:func:`station_app.services.context.open_station` takes this reading instead of reading the
files again). Nothing here may import the store: ``tests/ui/test_app.py`` and
``tests/ui/test_first_window.py`` hold that.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from station_app.config import StationSettings, load_settings
from station_app.domain.catalogue_loader import Catalogue
from station_app.domain.catalogue_origin import CatalogueSource
from station_app.domain.documents import StationInfo
from station_app.services.catalogue_source import load_active

UNNAMED_STATION = "红色驿站（未命名）"


@dataclass(frozen=True)
class Opening:
    """The settings and catalogue of a station, read from its files, and who opens it."""

    settings: StationSettings
    catalogue: Catalogue
    source: CatalogueSource
    operator: str = "工作人员"

    @property
    def station(self) -> StationInfo:
        return station_info(self.settings)


def read_opening(data_dir: Path, operator: str = "工作人员") -> Opening:
    """Raises SettingsError and CatalogueInvalid (one-line Chinese messages); writes only the
    catalogue's parse cache."""
    settings = load_settings(data_dir)
    catalogue, source = load_active(data_dir)
    return Opening(settings, catalogue, source, operator)


def station_info(settings: StationSettings) -> StationInfo:
    """The station as receipts and the title bar name it."""
    s = settings
    return StationInfo(s.station_id or "未配置", s.station_name or UNNAMED_STATION,
                       s.contact_phone, s.station_address, s.opening_hours)
