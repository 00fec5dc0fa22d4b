"""What a printed receipt (回执) and a one-time notice (一次性告知单) say, without layout.

Services fill these from a case; the printing layer only lays them out, so the wording rules
(masking, promised dates, what to bring) are tested without a printer or a GUI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class StationInfo:
    station_id: str
    name: str
    contact_phone: str | None = None
    address: str | None = None
    hours: str | None = None


@dataclass(frozen=True)
class ReceiptData:
    station: StationInfo
    title: str  # item name, or bundle name
    item_names: tuple[str, ...]
    applicant: str  # masked name
    applicant_id: str  # masked ID number
    materials_received: tuple[str, ...]
    tracking_ref: str
    receipt_no: str | None  # district receipt number, once synced
    accepted_at: datetime
    promised: str  # e.g. "2026年12月3日前办结（5 个工作日）" or "即办件，当场办结"
    operator: str
    qr_text: str  # what the QR code encodes: the progress page URL, or the tracking reference

    @property
    def receipt_no_text(self) -> str:
        return self.receipt_no or "待上报（联网后由区平台生成，可凭本回执查询）"

    @property
    def qr_label(self) -> str:
        """What the code under it is: a progress page to open, or the reference to show."""
        if self.qr_text.startswith(("https://", "http://")):
            return "扫码查询办理进度"
        return "受理编号（二维码）"


@dataclass(frozen=True)
class MissingMaterial:
    name: str
    form: str  # 原件 / 复印件 …
    copies: int
    note: str | None = None
    item_name: str | None = None


@dataclass(frozen=True)
class NoticeData:
    """一次性告知单: everything still missing, told once, so the resident comes back once."""

    station: StationInfo
    title: str
    applicant: str
    applicant_id: str
    issued_at: datetime
    missing: tuple[MissingMaterial, ...]
    operator: str
    notes: tuple[str, ...] = field(default_factory=tuple)
    notice_no: str = ""  # numbered, so the resident and the station speak of the same notice
    time_limits: tuple[str, ...] = field(default_factory=tuple)  # per item: how long it takes
