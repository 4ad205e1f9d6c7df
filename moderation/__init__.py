"""Dozor's domain: events, verdicts and the engine that decides.

Pure Python: no I/O and no framework imports (aiogram, aiohttp, vk, sqlalchemy are
forbidden here; ``tests/unit/test_boundaries.py`` enforces it).
"""
