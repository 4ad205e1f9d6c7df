"""Sending a file (the ``/export`` CSV, rule YAML) to a VK chat: upload, save, send.

``docs.getMessagesUploadServer`` (community token) names an upload URL, the file is POSTed
there (multipart, no token: the URL itself is the permission), ``docs.save`` turns the upload
into a document and ``messages.send`` attaches it. Done on the client's aiohttp session rather
than with ``vk_api.VkUpload``, which is synchronous (a worker thread per file) and sends the token
as a form field.
"""

from __future__ import annotations

import hashlib
from typing import Any

import aiohttp

from bot.vk.client import VkClient
from bot.vk.messages import clip, random_id, sent_cmid
from moderation.errors import ActionFailed


async def send_document(
    client: VkClient,
    group_id: int,
    chat_id: str,
    filename: str,
    data: bytes,
    *,
    caption: str = "",
    dedup_key: str | None = None,
) -> str:
    """Send ``data`` as a document to ``chat_id``; returns the conversation message id.

    ``dedup_key`` (the outbox row's) makes a retried send post once while a second request for
    the same bytes (``/export`` asked twice) is still sent; without it the file's content is the key.

    Raises:
        ActionFailed: VK refused a step (permanent), or the network failed (transient).
    """
    if int(chat_id) < 0:
        raise ActionFailed(
            f"cannot send {filename} to {chat_id}: VK takes files only in chats", permanent=True
        )
    what = f"send the file {filename} to {chat_id}"
    server = await client.call("docs.getMessagesUploadServer", {"type": "doc", "peer_id": chat_id}, what=what)
    uploaded = await _upload(client, str(server.get("upload_url") or ""), filename, data, what)
    saved = await client.call("docs.save", {"file": uploaded, "title": filename}, what=what)
    doc = saved.get("doc") if isinstance(saved, dict) else None
    if not isinstance(doc, dict):
        raise ActionFailed(f"cannot {what}: VK did not save the document; will retry")
    params: dict[str, Any] = {
        "peer_ids": chat_id,
        # one file to one chat is sent once, however often the step is retried
        "random_id": random_id(dedup_key or f"doc:{chat_id}:{filename}:{hashlib.sha256(data).hexdigest()}"),
        "message": clip(caption),
        "attachment": f"doc{doc['owner_id']}_{doc['id']}",
        "group_id": group_id,
    }
    return sent_cmid(await client.call("messages.send", params, what=what), chat_id)


async def _upload(client: VkClient, url: str, filename: str, data: bytes, what: str) -> str:
    form = aiohttp.FormData()
    form.add_field("file", data, filename=filename, content_type="application/octet-stream")
    try:
        async with client.session.post(url, data=form) as resp:
            body = await resp.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise ActionFailed(f"cannot {what}: the upload failed ({type(exc).__name__}); will retry") from exc
    if not isinstance(body, dict) or not body.get("file"):
        raise ActionFailed(
            f"cannot {what}: VK's upload server refused the file ({body!r:.200})", permanent=True
        )
    return str(body["file"])
