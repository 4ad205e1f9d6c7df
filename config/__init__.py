"""Typed settings from the environment and an optional .env file."""

from config.settings import Settings, load_settings

__all__ = ["Settings", "load_settings"]
