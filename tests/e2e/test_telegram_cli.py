"""`dozor run` as a real process: it serves, answers /healthz, and stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.e2e.fake_telegram import TOKEN, FakeTelegram
from tests.e2e.service import free_port


def test_run_serves_and_stops_on_sigterm(
    threaded_telegram: FakeTelegram, tmp_path: Path, sqlite_template: Path
) -> None:
    db_file = tmp_path / "run.sqlite3"
    shutil.copy(sqlite_template, db_file)
    port = free_port()
    env = {
        **os.environ,
        "DOZOR_TELEGRAM_TOKEN": TOKEN,
        "DOZOR_TELEGRAM_API_SERVER": threaded_telegram.base_url,
        "DOZOR_HTTP_HOST": "127.0.0.1",
        "DOZOR_HTTP_PORT": str(port),
        "DOZOR_DB_URL": f"sqlite+aiosqlite:///{db_file}",
        "DOZOR_LOG_LEVEL": "INFO",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"], env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                    assert resp.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "dozor run did not come up"
                time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Dozor is running: Telegram as @dozor_test_bot (polling mode)" in err
    assert TOKEN not in err and TOKEN.split(":")[1] not in err
