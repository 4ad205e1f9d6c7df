"""Dozor's buttons as a VK inline keyboard of callback (and open-link) buttons.

Built with ``vk_api.keyboard.VkKeyboard`` (it knows VK's keyboard JSON and its limits). A
callback button's payload is ``{"d": <Button.data>}``; ``bot.vk.translate.button_data`` reads
it back from the ``message_event``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from vk_api.keyboard import VkKeyboard, VkKeyboardColor

from moderation.errors import ActionFailed
from moderation.ports import Button

MAX_LABEL = 40  # VK cuts longer labels; Dozor clips them itself so the cut is visible
MAX_PAYLOAD = 255  # bytes


def keyboard(buttons: Sequence[Sequence[Button]]) -> str:
    """The ``keyboard`` parameter for ``messages.send``/``messages.edit``.

    No buttons give an empty inline keyboard, which removes the buttons of an edited message.

    Raises:
        ActionFailed: (permanent) a button VK cannot carry: too many per row or rows, or a
            payload over 255 bytes.
    """
    rows = [row for row in buttons if row]
    if not rows:
        return json.dumps({"inline": True, "buttons": []})
    board = VkKeyboard(inline=True)
    try:
        for index, row in enumerate(rows):
            if index:
                board.add_line()
            for button in row:
                label = button.text if len(button.text) <= MAX_LABEL else button.text[: MAX_LABEL - 1] + "…"
                if button.url:
                    board.add_openlink_button(label, link=button.url)
                    continue
                payload = {"d": button.data}
                size = len(json.dumps(payload, ensure_ascii=False).encode())
                if size > MAX_PAYLOAD or not button.data:
                    raise ActionFailed(
                        f"button {button.text!r} carries {size} bytes; VK takes at most {MAX_PAYLOAD}",
                        permanent=True,
                    )
                board.add_callback_button(label, color=VkKeyboardColor.SECONDARY, payload=payload)
    except ValueError as exc:  # vk_api's own limits: buttons per row, rows per inline keyboard
        raise ActionFailed(f"VK cannot show these buttons: {exc}", permanent=True) from exc
    return board.get_keyboard()
