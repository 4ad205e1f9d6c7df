"""Process wiring and platform adapters: the only code that talks to Telegram and VK."""

__version__ = "0.1.0"
