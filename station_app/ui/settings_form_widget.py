"""The station's settings as a form: the one form of the first-run screen and the settings page.

One row per setting, keyed by the settings schema's keys, with its message underneath when
it is wrong. The form only collects what was typed; `services.settings_form` checks it
through the settings schema and words each problem as `station-app setup` and `station.toml`
do, so a wrong sync interval reads the same on screen, in a terminal and in a roll-out file.

An enrolment string (``redstation://enroll?…``, scanned or pasted) fills station id, secret and
backend URL by itself, whether it lands in its own row (first-run) or in the secret field.
The sync interval box does not clamp what is typed: a value out of range gets the schema's
message instead of silently turning into another number.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from station_app.config import StationSettings
from station_app.i18n import mark_data
from station_app.services.enrolment import EnrolmentError, looks_like_enrolment, parse_enrolment
from station_app.services.settings_form import SettingsChange, check_settings
from station_app.ui.form_rows import FieldRow, add_row, new_form
from station_app.ui.spaced_label import SpacedLabel

ENROLMENT = "enrolment"  # the row of the enrolment string; not a setting
SECRET = "secret"
ASK_EACH_TIME = ""  # printer combo value meaning "每次询问"
FIRST_RUN_KEYS = (ENROLMENT, "station_id", "station_name", "contact_phone", "backend_url",
                  SECRET, "sync_interval_seconds")
SETTINGS_KEYS = ("station_id", "station_name", "contact_phone", "backend_url", SECRET,
                 "sync_interval_seconds", "printer", "theme", "language", "card_driver",
                 "card_library", "card_port")
INTERVAL_TYPING_LIMIT = 99_999  # five digits; the schema says what is allowed


class SettingsForm(QWidget):
    """Rows for ``keys`` (others exist but stay hidden); `result` says what saving did."""

    enrolment_read = Signal(str)  # the station id of an enrolment string that filled the form

    def __init__(self, keys: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keys = tuple(keys)
        self.enrolment = QLineEdit()
        self.enrolment.setPlaceholderText("redstation://enroll?station=…")
        self.station_id = QLineEdit()
        self.station_id.setPlaceholderText(self.tr("如 QDK01"))
        self.station_name = QLineEdit()
        self.contact_phone = QLineEdit()
        self.backend_url = QLineEdit()
        self.backend_url.setPlaceholderText("https://")
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.sync_interval = QSpinBox()
        self.sync_interval.setRange(0, INTERVAL_TYPING_LIMIT)
        self.sync_interval.setSuffix(self.tr(" 秒"))
        self.printer = QComboBox()
        self.theme = QComboBox()
        self.theme.addItem(self.tr("标准版"), "standard")
        self.theme.addItem(self.tr("长辈版（大字）"), "elder")
        self.language = QComboBox()
        self.language.addItem("中文", "zh_CN")
        self.language.addItem("English", "en")
        self.card_driver = QComboBox()
        for label, key in ((self.tr("不使用（手工录入）"), "none"),
                           (self.tr("SDTAPI（精伦等）"), "sdtapi"),
                           (self.tr("termb（华视等）"), "termb"),
                           (self.tr("键盘式（刷证时输入号码）"), "keyboard")):
            self.card_driver.addItem(label, key)
        self.card_library = QLineEdit()
        self.card_library.setPlaceholderText(self.tr("留空则用厂商默认文件名"))
        self.card_port = QSpinBox()
        self.card_port.setRange(0, INTERVAL_TYPING_LIMIT)  # the schema says what is allowed
        self.rows: dict[str, FieldRow] = {
            ENROLMENT: FieldRow(self.enrolment),
            "station_id": FieldRow(self.station_id),
            "station_name": FieldRow(self.station_name),
            "contact_phone": FieldRow(self.contact_phone, self.tr("印在回执和告知单上")),
            "backend_url": FieldRow(self.backend_url),
            SECRET: FieldRow(self.secret),
            "sync_interval_seconds": FieldRow(self.sync_interval),
            "printer": FieldRow(self.printer),
            "theme": FieldRow(self.theme),
            "language": FieldRow(self.language),
            "card_driver": FieldRow(self.card_driver),
            "card_library": FieldRow(self.card_library),
            "card_port": FieldRow(self.card_port, self.tr("USB 阅读器一般为 1001")),
        }
        mark_data(self.rows["card_driver"].note)  # the reader's problem, in the services' words
        labels = {
            ENROLMENT: self.tr("登记串（扫码）"), "station_id": self.tr("站点编号"),
            "station_name": self.tr("站点名称"), "contact_phone": self.tr("联系电话"),
            "backend_url": self.tr("后台地址"), SECRET: self.tr("站点密钥"),
            "sync_interval_seconds": self.tr("同步间隔"), "printer": self.tr("打印机"),
            "theme": self.tr("默认界面"), "language": self.tr("语言"),
            "card_driver": self.tr("身份证阅读器"), "card_library": self.tr("阅读器动态库"),
            "card_port": self.tr("阅读器端口"),
        }
        form = new_form()
        for key, row in self.rows.items():
            add_row(form, labels[key], row)
            form.setRowVisible(row, key in self.keys)
        self.set_note("theme", self.tr("每位居民办完后回到此界面；顶栏的“长辈版”只对眼前这位居民"))
        self.result = SpacedLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.result)
        self.enrolment.textChanged.connect(self._enrolment_typed)
        self.secret.textChanged.connect(self._secret_typed)
        self.enrolment.returnPressed.connect(self.station_name.setFocus)

    # --- filling ----------------------------------------------------------------------
    def load(self, s: StationSettings) -> None:
        """Fill the fields from ``s`` (and the printers this computer knows now)."""
        self.station_id.setText(s.station_id or "")
        self.station_name.setText(s.station_name or "")
        self.contact_phone.setText(s.contact_phone or "")
        self.backend_url.setText(s.backend_url or "")
        self.secret.clear()
        self.sync_interval.setValue(s.sync_interval_seconds)
        if "printer" in self.keys:
            self._list_printers(s.printer)
        self.theme.setCurrentIndex(max(0, self.theme.findData(s.theme)))
        self.language.setCurrentIndex(max(0, self.language.findData(s.language)))
        self.card_driver.setCurrentIndex(max(0, self.card_driver.findData(s.card_driver)))
        self.card_library.setText(s.card_library or "")
        self.card_port.setValue(s.card_port)
        self.clear_errors()

    def _list_printers(self, chosen: str | None) -> None:
        self.printer.clear()
        self.printer.addItem(self.tr("每次询问"), ASK_EACH_TIME)
        names = list(QPrinterInfo.availablePrinterNames())
        if chosen and chosen not in names:
            names.append(chosen)
        for n in names:
            self.printer.addItem(n, n)
        self.printer.setCurrentIndex(max(0, self.printer.findData(chosen or ASK_EACH_TIME)))

    def set_note(self, key: str, text: str) -> None:
        """The muted line under a row (what the field is for, when it takes effect)."""
        note = self.rows[key].note
        note.setText(text)
        note.setVisible(bool(text))

    def _enrolment_typed(self, text: str) -> None:
        self._read_enrolment(text, self.rows[ENROLMENT])

    def _secret_typed(self, text: str) -> None:
        if not looks_like_enrolment(text):
            return
        if ENROLMENT in self.keys:  # pasted into the secret field: show it where it belongs
            self.enrolment.setText(text)
        else:
            self._read_enrolment(text, self.rows[SECRET])

    def _read_enrolment(self, text: str, row: FieldRow) -> None:
        if not text.strip():
            row.set_error("")
            return
        try:
            enrol = parse_enrolment(text)
        except EnrolmentError as e:
            row.set_error(str(e))
            return
        row.set_error("")
        self.station_id.setText(enrol.station_id)
        self.secret.setText(enrol.secret)
        if enrol.backend_url:
            self.backend_url.setText(enrol.backend_url)
        self.enrolment_read.emit(enrol.station_id)

    # --- checking ---------------------------------------------------------------------
    def values(self) -> dict[str, object]:
        """What the shown rows hold, by settings key (the secret included, as typed)."""
        every: dict[str, object] = {
            "station_id": self.station_id.text(),
            "station_name": self.station_name.text(),
            "contact_phone": self.contact_phone.text(),
            "backend_url": self.backend_url.text(),
            SECRET: self.secret.text(),
            "sync_interval_seconds": self.sync_interval.value(),
            "printer": self.printer.currentData() or None,
            "theme": self.theme.currentData(),
            "language": self.language.currentData(),
            "card_driver": self.card_driver.currentData(),
            "card_library": self.card_library.text(),
            "card_port": self.card_port.value(),
        }
        return {key: value for key, value in every.items() if key in self.keys}

    def check(self, base: StationSettings, *, complete: bool) -> SettingsChange | None:
        """The checked change, or None with a message under each wrong field.

        ``complete``: station id, backend URL and secret must be filled (first run).
        """
        self.clear_errors()
        change, errors = check_settings(base, self.values(), complete=complete)
        secret = self.secret.text()
        if looks_like_enrolment(secret):  # an enrolment string that could not be read
            try:
                parse_enrolment(secret)
            except EnrolmentError as e:
                errors[SECRET] = str(e)
        if change is not None and not errors:
            return change
        for key, message in errors.items():
            if key in self.keys:
                self.rows[key].set_error(message)
        unshown = [message for key, message in errors.items() if key not in self.keys]
        self.say("error", "；".join([self.tr("未保存：有 {0} 处需要修改").format(len(errors)),
                                    *unshown]))
        return None

    def clear_errors(self) -> None:
        for row in self.rows.values():
            row.set_error("")

    def first_wrong_editor(self) -> QWidget | None:
        """Focus the first field with a message, and return it (to scroll it into view)."""
        for key in self.keys:
            row = self.rows[key]
            if row.error.isVisibleTo(self):
                row.editor.setFocus(Qt.FocusReason.OtherFocusReason)
                return row.editor
        return None

    def say(self, role: str, text: str) -> None:
        """Show what happened under the form, in the theme's ``ok`` or ``error`` colour."""
        self.result.setProperty("role", role)
        self.result.setText(text)
        self.result.style().unpolish(self.result)
        self.result.style().polish(self.result)
