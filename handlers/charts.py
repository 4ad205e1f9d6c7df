"""Small bar charts without a plotting library: a PNG (zlib only) for chats, an SVG for HTML.

The PNG has no text — a chat shows the numbers in the caption; bars of the previous period are
drawn grey behind the current period's blue ones, so the trend is visible at a glance.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from html import escape

BLUE = (47, 111, 235)
GREY = (200, 204, 212)
AXIS = (90, 90, 90)
WHITE = (255, 255, 255)


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png(pixels: list[bytearray], width: int, height: int) -> bytes:
    """Encode rows of RGB bytes (``width * 3`` each) as a PNG file."""
    raw = b"".join(b"\x00" + bytes(row) for row in pixels)  # filter type 0 on every row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def bar_png(
    values: Sequence[int], previous: Sequence[int] = (), *, width: int = 480, height: int = 200
) -> bytes:
    """Bars of ``values`` (blue), each over the same slot of ``previous`` (grey, wider)."""
    rows = [bytearray(WHITE * width) for _ in range(height)]
    margin, base = 10, height - 12
    top = max([*values, *previous, 1])
    slots = max(len(values), len(previous), 1)
    slot = (width - 2 * margin) / slots

    def fill(x0: int, x1: int, y0: int, color: tuple[int, int, int]) -> None:
        for y in range(max(0, y0), base):
            row = rows[y]
            for x in range(max(0, x0), min(width, x1)):
                row[3 * x : 3 * x + 3] = bytes(color)

    for i in range(slots):
        left = int(margin + i * slot)
        if i < len(previous):
            fill(left + 1, int(left + slot) - 1, base - int(previous[i] / top * (base - margin)), GREY)
        if i < len(values):
            inset = max(1, int(slot * 0.2))
            fill(left + inset, int(left + slot) - inset, base - int(values[i] / top * (base - margin)), BLUE)
    for x in range(margin, width - margin):
        rows[base][3 * x : 3 * x + 3] = bytes(AXIS)
    return png(rows, width, height)


def bar_svg(
    labels: Sequence[str], values: Sequence[int], previous: Sequence[int] = (), *, title: str = ""
) -> str:
    """The same chart as inline SVG, with the day labels and values written out."""
    width, height, margin, base = 640, 240, 30, 200
    top = max([*values, *previous, 1])
    slots = max(len(values), 1)
    slot = (width - 2 * margin) / slots
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f'<line x1="{margin}" y1="{base}" x2="{width - margin}" y2="{base}" stroke="#5a5a5a"/>',
    ]
    for i, value in enumerate(values):
        x = margin + i * slot
        if i < len(previous):
            h = previous[i] / top * (base - margin)
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{base - h:.1f}" width="{slot - 2:.1f}" '
                f'height="{h:.1f}" fill="#c8ccd4"/>'
            )
        h = value / top * (base - margin)
        inset = slot * 0.2
        parts.append(
            f'<rect x="{x + inset:.1f}" y="{base - h:.1f}" width="{slot - 2 * inset:.1f}" '
            f'height="{h:.1f}" fill="#2f6feb"><title>{escape(labels[i])}: {value}</title></rect>'
        )
        parts.append(
            f'<text x="{x + slot / 2:.1f}" y="{base - h - 4:.1f}" font-size="11" '
            f'text-anchor="middle">{value}</text>'
        )
        parts.append(
            f'<text x="{x + slot / 2:.1f}" y="{base + 14}" font-size="10" '
            f'text-anchor="middle">{escape(labels[i])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
