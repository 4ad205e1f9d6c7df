"""A fake platform server on its own event loop in a thread, for tests that start the real CLI."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any


def on_loop(server: Any, call: Any) -> Any:
    """Run ``call()`` (a plain function, or a coroutine function) on the loop of a threaded fake."""
    loop: asyncio.AbstractEventLoop = server.loop

    async def run() -> Any:
        result = call()
        return await result if asyncio.iscoroutine(result) else result

    return asyncio.run_coroutine_threadsafe(run(), loop).result(30)


def in_thread(server: Any) -> Iterator[Any]:
    loop = asyncio.new_event_loop()
    server.loop = loop
    started = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.__aenter__())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    started.wait(5)
    yield server
    asyncio.run_coroutine_threadsafe(server.__aexit__(None, None, None), loop).result(5)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()
