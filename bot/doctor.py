"""What one platform's `dozor doctor` checks found, rendered as one section of the report."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Report:
    """``ok`` lines, ``notes`` and ``problems`` (each says what to do) of one platform's checks."""

    title: str
    ok: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def render(self) -> str:
        lines = [f"  ok       {line}" for line in self.ok]
        lines += [f"  note     {line}" for line in self.notes]
        lines += [f"  PROBLEM  {line}" for line in self.problems]
        verdict = (
            "Everything looks right." if not self.problems else f"{len(self.problems)} problem(s) to fix."
        )
        return "\n".join([f"{self.title}:", *lines, verdict])
