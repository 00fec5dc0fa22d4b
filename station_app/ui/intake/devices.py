"""The desk's devices as the intake page uses them: the ID-card reader and the printer.

Each call does the whole job and returns the line to tell the worker, so the page only has to
show it; a device that fails or is missing is explained, never raised into the event loop.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from station_app.printing.layout import draw_notice
from station_app.printing.output import Printer
from station_app.services.id_card import NO_CARD_MESSAGE, IdCardReader, IdCardReadError
from station_app.services.intake_session import IntakeSession


def read_card(session: IntakeSession, reader: IdCardReader) -> tuple[list[str], str]:
    """Fill the session from the card on the reader: (keys filled, what to tell the worker)."""
    try:
        card = reader.read()
    except IdCardReadError as e:
        return [], str(e)
    if card is None:
        return [], NO_CARD_MESSAGE
    filled = session.fill_from_card(card)
    message = QCoreApplication.translate(
        "IntakeDevices", "已读取 {0} 的身份证：姓名、身份证号、地址已填入，请核对地址。")
    return filled, message.format(card.name)


def print_notice(session: IntakeSession, printer: Printer) -> tuple[bool, str]:
    """Print the 一次性告知单 of what is still missing: (printed, what to tell the worker)."""
    data = session.notice()
    title = QCoreApplication.translate("IntakeDevices", "一次性告知单 {0}").format(data.title)
    try:
        printed = printer.print_page(lambda p: draw_notice(p, data), title)
    except OSError as e:
        return False, QCoreApplication.translate("IntakeDevices", "告知单未能打印：{0}").format(e)
    if not printed:
        return False, QCoreApplication.translate("IntakeDevices", "已取消打印一次性告知单。")
    return True, QCoreApplication.translate(
        "IntakeDevices", "一次性告知单已送打印机；本次填写已保存为草稿，补齐材料后可恢复。")
