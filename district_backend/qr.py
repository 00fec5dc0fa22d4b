"""Enrolment QR codes: printed to the terminal, or saved as a PNG without Pillow.

The PNG is written by hand (zlib + three chunks) because the QR matrix is all we need and
the runtime should not depend on an imaging library; the file holds the station secret, so
it is written (atomically, like every file the programs write) with mode 0600.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import TextIO
from urllib.parse import urlencode

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from station_app.domain.files import atomic_write


def setup_string(station_id: str, secret: str, backend_url: str | None = None) -> str:
    """What the station's first-run screen scans: redstation://enroll?station=..&secret=.."""
    params = {"station": station_id, "secret": secret}
    if backend_url:
        params["backend"] = backend_url
    return "redstation://enroll?" + urlencode(params)


def _matrix(text: str) -> list[list[bool]]:
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    return [[bool(m) for m in row] for row in qr.get_matrix()]


def print_qr(text: str, out: TextIO, *, dark_terminal: bool = True) -> None:
    """Half-block characters, two modules per line; dark terminals need the inverse."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=2)
    qr.add_data(text)
    qr.make(fit=True)
    try:
        qr.print_ascii(out=out, invert=dark_terminal)
    except UnicodeEncodeError:  # e.g. a legacy console code page without block characters
        print("（此终端无法显示二维码，请改用 --qr-png 保存为图片）", file=out)


def write_png(text: str, path: Path, *, scale: int = 8) -> None:
    """Greyscale 8-bit PNG, black modules on white, `scale` pixels per module."""
    rows = []
    for row in _matrix(text):
        line = b"\x00" + b"".join((b"\x00" if dark else b"\xff") * scale for dark in row)
        rows.extend([line] * scale)
    size = (len(rows[0]) - 1, len(rows))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    png = (b"\x89PNG\r\n\x1a\n"
           + chunk(b"IHDR", struct.pack(">IIBBBBB", size[0], size[1], 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
           + chunk(b"IEND", b""))
    atomic_write(path, png, mode=0o600)
