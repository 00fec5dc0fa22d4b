"""The reader's sentences that more than one driver says (one wording per situation)."""

from __future__ import annotations

from typing import Final

NOT_ANSWERING: Final = ("身份证阅读器没有响应：请检查阅读器的 USB 线和电源指示灯，拔插后再读一次；"
                        "仍不行请手工录入")
INTERRUPTED: Final = ("读卡没有完成（证件被移开或接触不良）：请把证件平放在阅读器上，读完前不要"
                      "移动，再读一次")
