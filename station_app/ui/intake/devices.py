"""The desk's devices as the intake page uses them: the ID-card reader and the printer.

Each call does the whole job and returns the line to tell the worker, so the page only has to
show it; a device that fails or is missing is explained, never raised into the event loop.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication

from station_app.domain.id_card_data import IdCardData
from station_app.domain.masking import mask_id
from station_app.printing.layout import draw_notice
from station_app.printing.output import Printer
from station_app.printing.paper import Paper, page_for
from station_app.services.intake_session import IntakeSession


def filled_message(card: IdCardData, today: date) -> str:
    """What to tell the worker after a card filled the form (an expired card is said)."""
    message = QCoreApplication.translate(
        "IntakeDevices", "已读取 {0} 的身份证：姓名、身份证号、地址已填入，请核对地址。")
    if not card.chip_read:  # a keyboard-wedge reader types the number only
        message = QCoreApplication.translate(
            "IntakeDevices", "已读入身份证号码 {0}：请填写姓名和地址。")
        return message.format(mask_id(card.id_number))
    text = message.format(card.name)
    if card.expired_on(today) and card.valid_until is not None:
        text += QCoreApplication.translate(
            "IntakeDevices", "身份证已于 {0} 过期，请提醒居民换领新证。").format(
                card.valid_until.strftime("%Y.%m.%d"))
    return text


def print_notice(session: IntakeSession, printer: Printer, paper: Paper) -> tuple[bool, str]:
    """Print the 一次性告知单 of what is still missing: (printed, what to tell the worker)."""
    data = session.notice()
    title = QCoreApplication.translate("IntakeDevices", "一次性告知单 {0}").format(data.title)
    try:
        printed = printer.print_page(page_for(lambda p: draw_notice(p, data), title, paper))
    except OSError as e:
        return False, QCoreApplication.translate("IntakeDevices", "告知单未能打印：{0}").format(e)
    if not printed:
        return False, QCoreApplication.translate("IntakeDevices", "已取消打印一次性告知单。")
    return True, QCoreApplication.translate(
        "IntakeDevices", "一次性告知单已送打印机；本次填写已保存为草稿，补齐材料后可恢复。")


__all__ = ["filled_message", "print_notice"]
