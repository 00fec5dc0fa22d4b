"""Status bar: who is working, whether the district is reachable, what is still queued.

Every state is said in words with an icon beside it; colour is never the only cue. The bar
reads a `StationStatus` snapshot on the GUI thread every few seconds (a count query and an
in-memory read); it never talks to the network itself.

Nothing in it is ever cut or elided: its parts (who, the link, the counts, the news) sit on
one line while they fit beside 立即同步 and move to a second or third line when they do not
(长辈版, English, a long message), so every word stays readable at 1366×768.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStatusBar, QVBoxLayout, QWidget

from station_app.domain.china_time import CHINA_TZ
from station_app.sync.notices import PUSH_JOB, SyncNotice
from station_app.ui.sync_result import result_line

if TYPE_CHECKING:  # the bar is built before the data layer is loaded
    from station_app.services.station_status import StationStatus

POLL_MS = 3000
GAP = 8  # px between the parts of a line
StatusReader = Callable[[], "StationStatus"]


def _icon(kind: str, size: int) -> QPixmap:
    """Small drawn glyphs: a tick in a disc (online), a crossed ring (offline), a ring (n/a)."""
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = {"online": "#0B5A1E", "offline": "#A0001B"}.get(kind, "#333333")
    pen = QPen(QColor(colour), max(2.0, size / 9))
    p.setPen(pen)
    r = QRectF(pen.widthF(), pen.widthF(), size - 2 * pen.widthF(), size - 2 * pen.widthF())
    if kind == "online":
        p.setBrush(QColor(colour))
        p.drawEllipse(r)
        p.setPen(QPen(QColor("#FFFFFF"), max(2.0, size / 8)))
        s = size
        p.drawPolyline([QPointF(s * .28, s * .52), QPointF(s * .44, s * .68),
                        QPointF(s * .72, s * .34)])
    else:
        p.drawEllipse(r)
        if kind == "offline":
            p.drawLine(QPointF(size * .3, size * .3), QPointF(size * .7, size * .7))
            p.drawLine(QPointF(size * .7, size * .3), QPointF(size * .3, size * .7))
    p.end()
    return pm


def _group(parent: QWidget, *labels: QLabel) -> QWidget:
    """Labels that stay together on one line of the bar (a child of the bar from the start:
    a part shown before it is placed must not become a window of its own)."""
    box = QWidget(parent)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(0)
    for label in labels:
        row.addWidget(label)
    return box


class StatusPoller(QObject):
    """Reads the status on a timer and on request; stopped explicitly (no leaked timers)."""

    updated = Signal(object)  # StationStatus

    def __init__(self, read: StatusReader, interval_ms: int = POLL_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._read = read
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.poll()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def poll(self) -> None:
        self.updated.emit(self._read())


class StationStatusBar(QStatusBar):
    """Operator, connection, queue, attention, last sync and the 立即同步 button."""

    def __init__(self, operator: str, sync_now: Callable[[], bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.setContentsMargins(8, 2, 8, 4)
        self._sync_now = sync_now
        self.operator = QLabel(self.tr("操作员：{0}").format(operator))
        self.conn_icon = QLabel()
        self.connection = QLabel()
        self.queued = QLabel()
        self.attention = QLabel()
        self.last_sync = QLabel()
        self.sync_button = QPushButton(self.tr("立即同步"))
        self.sync_button.setAccessibleName(self.tr("立即同步"))
        self.sync_button.clicked.connect(self._sync_clicked)
        self.reader = QLabel()  # the ID-card reader's problem, while it lasts
        self.reader.hide()
        self.notice = QLabel()
        self.notice.setWordWrap(False)
        self.notice.hide()
        self.panel = QWidget()
        self._lines = QVBoxLayout(self.panel)
        self._lines.setContentsMargins(0, 0, 0, 0)
        self._lines.setSpacing(0)
        panel = self.panel
        self._parts = [_group(panel, self.operator),
                       _group(panel, self.conn_icon, self.connection),
                       _group(panel, self.queued, self.attention, self.last_sync),
                       _group(panel, self.reader, self.notice)]
        self._arranged: list[list[QWidget]] = []
        self.addWidget(self.panel, 1)
        self.addPermanentWidget(self.sync_button)
        self.status: StationStatus | None = None
        self._asked = False  # 立即同步 was pressed and its run has not ended yet
        self._started_since = False  # a push run started after the press
        self.arrange()

    def arrange(self) -> None:
        """Put the parts on as few lines as fit beside 立即同步 (again after any change)."""
        room = self.width() - self.sync_button.sizeHint().width() - 4 * GAP
        lines: list[list[QWidget]] = [[]]
        used = 0
        news = bool(self.reader.text() or self.notice.text())
        self._parts[-1].setVisible(news)
        for part in self._parts if news else self._parts[:-1]:
            need = part.sizeHint().width()
            if lines[-1] and used + GAP + need > room:
                lines.append([])
                used = 0
            lines[-1].append(part)
            used += need + GAP
        if lines == self._arranged:
            return
        while self._lines.count():
            item = self._lines.takeAt(0)
            old = item.layout() if item is not None else None
            while old is not None and old.count():
                old.takeAt(0)
            if old is not None:
                old.deleteLater()
        for parts in lines:
            row = QHBoxLayout()
            row.setSpacing(GAP)
            for part in parts:
                row.addWidget(part)
            row.addStretch(1)
            self._lines.addLayout(row)
        self._arranged = lines

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.arrange()

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))
        self.arrange()

    def set_reader_problem(self, text: str | None) -> None:
        """One line about the card reader (not found, not working); None when it works."""
        self.reader.setText(text or "")
        self.reader.setVisible(bool(text))
        self.arrange()

    def show_opening(self) -> None:
        """The window shows while the station's data is being opened (the first figures
        replace this line once it is)."""
        self.connection.setText(self.tr("正在打开本站数据…"))
        self.arrange()

    def set_operator(self, label: str) -> None:
        """Another operator signed in on the lock screen (switch user)."""
        self.operator.setText(self.tr("操作员：{0}").format(label))
        self.arrange()

    def show_status(self, st: StationStatus) -> None:
        self.status = st
        size = max(16, self.fontInfo().pixelSize())
        if not st.configured:
            kind, text = "none", self.tr("未配置后台，案件已安全保存在本机")
        elif not st.sync_active:
            kind, text = "none", self.tr("后台已配置，重新启动终端后开始同步")
        elif st.syncing:
            kind, text = "online", self.tr("正在同步…")
        elif st.online:
            kind, text = "online", self.tr("在线")
        elif st.online is None:
            kind, text = "none", self.tr("尚未连接")
        else:
            kind, text = "offline", self.tr("离线，案件已安全保存在本机")
        self.conn_icon.setPixmap(_icon(kind, size))
        self.connection.setText(text)
        self.connection.setToolTip(st.last_error or "")
        self.queued.setText(self.tr("待上报 {0}").format(st.queued))
        self.attention.setText(self.tr("需处理 {0}").format(st.needs_attention))
        self.attention.setProperty("role", "attention" if st.needs_attention else "")
        self.attention.style().polish(self.attention)
        if st.last_success is None:
            self.last_sync.setText(self.tr("上次同步：尚无"))
        else:
            at = st.last_success.astimezone(CHINA_TZ)
            self.last_sync.setText(self.tr("上次同步：{0}").format(at.strftime("%m-%d %H:%M")))
        self.sync_button.setEnabled(not st.syncing and not self._asked)
        self.arrange()

    def _sync_clicked(self) -> None:
        if self.status is None or not self.status.configured:
            self._say(self.tr("请先在“设置”中填写后台地址和站点密钥"))
        elif self._sync_now():
            self._asked, self._started_since = True, False
            self.sync_button.setEnabled(False)
            self._say(self.tr("正在同步…"))
        else:
            self._say(self.tr("同步尚未运行，重新启动终端后开始"))

    def sync_notice(self, notice: SyncNotice) -> None:
        """Progress and result of the run 立即同步 asked for (the push job)."""
        if not self._asked or notice.job != PUSH_JOB:
            return
        if notice.kind == "started":
            self._started_since = True
            self._say(self.tr("正在同步…"))
        elif not self._started_since:  # a run that began before the press: ask again
            self._sync_now()
        elif notice.report is not None:
            self._asked = False
            self.notice.setToolTip("\n".join(notice.report.lines()))
            self._say(result_line(notice.report))
            self.sync_button.setEnabled(True)
