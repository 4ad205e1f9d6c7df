"""The complaint signal: a message that complains to or about the community or a brand.

A complaint carries what spam carries — a link to the order, an ``@brand`` mention, a
``#brand`` hashtag, a bank's name, a price — and the spam score rises with them while the
negativity score, trained on plain complaints, falls (an addressed complaint scored 0.27). So the
safeguard does not read negativity alone. :func:`read` combines three things:

* the negativity score of the message as written;
* the negativity score of the message with its address removed (links, mentions, hashtags: the
  complaint itself), asked of the classifier only when there is an address;
* grievance markers written by the customer: what went wrong ("списали дважды", "не пришёл",
  "поддержка молчит", "still waiting", "charged twice") and what they ask for ("верните деньги",
  "прошу разобраться", "refund").

A message is a complaint when either negativity reaches the threshold, or a grievance marker is
there and negativity reaches :data:`MARKED_FLOOR`: a marker alone is not enough, and markers in a
message that speaks to the reader and offers the fix do not count, because spam baits with the
same words ("вас обманул банк? вернём деньги, пишите в лс").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MARKED_FLOOR", "Complaint", "addressless", "markers", "read"]

# Negativity a message with a grievance marker needs to count as a complaint.
MARKED_FLOOR = 0.30

_MARKERS = re.compile(
    r"\b(?:"
    # what went wrong, in the first person or about "my" order, money, card, line
    r"(?:до сих пор|так и) не (?:при(?:шл|ех|в)\w*|верн\w*|достав\w*|реш\w*|ответ\w*|позвон\w*)"
    r"|не (?:пришл[аио]?|пришёл|пришел|доставил\w*|вернул\w*|работает|отвечает|отвечают|решили)"
    r"|(?:спис|снял|навязал|заблокировал|обманул|отказал)\w* (?:мне|у меня|мою|мой|мои|дважды|без)"
    r"|списали\w*|дважды списал\w*|навязал\w*|обсчитал\w*|меня обманул\w*|обманули меня|хамств\w*|нахамил\w*"
    r"|поддержк\w* (?:молчит|не отвечает|игнорир\w*|отписыва\w*)|одни отписки|никакого ответа"
    r"|жду (?:уже|больше|ответа|возврат\w*|заказ\w*|курьера)"
    r"|уже (?:\d+|две|три|третий|второй) (?:дн|недел|месяц|раз)\w*"
    r"|ужасн\w* (?:сервис|обслуживани\w*|поддержк\w*|связь)|отвратительн\w*|не рекомендую"
    r"|худш\w* (?:банк|сервис|оператор)"
    # what they ask for
    r"|верните\w*|вернуть (?:мои )?деньги|прошу (?:разобраться|вернуть|помочь|решить|принять меры)"
    r"|требую\w*|претензи\w*|жалоб\w*|сколько можно|безобрази\w*"
    # English
    r"|still (?:waiting|not (?:delivered|working|fixed|refunded))|never (?:arrived|received|delivered)"
    r"|charged (?:me )?twice|no (?:response|reply) (?:from|for)|(?:want|need|demand) (?:a |my )?refund"
    r"|refund (?:me|my)|terrible (?:service|support)|worst (?:service|bank|company|support)"
    r"|customer (?:service|support) (?:is|was) (?:useless|terrible|awful)|not working (?:again|for)"
    r")"
)
# Spam that baits with a grievance speaks to the reader and offers the fix: its markers do not count.
_BAIT = re.compile(
    r"\b(?:вас|вам|тебя|тебе) (?:обманул\w*|обманули|кинули|списали)"
    r"|\b(?:вернём|вернем|спишем|поможем)\b"
    r"|\b(?:пишите|пиши|звоните|обращайтесь) (?:в лс|в личку|нам|мне)|консультаци\w* бесплатн\w*"
    r"|\b(?:were you|have you been) (?:scammed|charged)|\bwe (?:will|can) (?:recover|refund|get your)"
)
# The address of a message: links, mentions (@name, VK [id1|name]), hashtags.
_ADDRESS = re.compile(
    r"(?:https?|tg)://\S+|(?<![\w@.])(?:www\.)?[a-zа-яё0-9-]+(?:\.[a-zа-яё0-9-]+)*\.[a-zрф]{2,6}(?:/\S*)?"
    r"|@[\w.]{2,}|\[(?:id|club|public)\d+\|[^\]]*\]|#\w+",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Complaint:
    """What the complaint signal read.

    Attributes:
        is_complaint: the message complains (see the module docstring).
        negativity: the higher of the two negativity scores (as written, address removed).
        threshold: the community's negativity threshold it was read against.
        markers: the grievance markers found.
    """

    is_complaint: bool
    negativity: float
    threshold: float
    markers: tuple[str, ...] = ()

    def detail(self) -> str:
        """A sentence for the case: what made it a complaint."""
        if self.negativity >= self.threshold:
            return f"negativity {self.negativity:.2f} ≥ {self.threshold:.2f}"
        return f"negativity {self.negativity:.2f} with grievance {self._shown()}"

    def code(self, base: str) -> tuple[str, dict[str, str]]:
        """The reason's stable code and parameters (``moderation.verdict.Reason``): ``base`` when
        negativity reached the threshold, ``<base>_grievance`` when a grievance marker decided."""
        if self.negativity >= self.threshold:
            return base, {"score": f"{self.negativity:.2f}", "threshold": f"{self.threshold:.2f}"}
        return f"{base}_grievance", {"score": f"{self.negativity:.2f}", "grievance": self._shown()}

    def _shown(self) -> str:
        return ", ".join(f"«{m}»" for m in self.markers[:3])


def markers(normalized: str) -> tuple[str, ...]:
    """Grievance markers in normalised text, in order."""
    return tuple(m.group(0) for m in _MARKERS.finditer(normalized))


def addressless(text: str) -> str:
    """``text`` with its links, mentions and hashtags removed ("" when nothing was removed)."""
    if not any(ch in text for ch in "@#./["):
        return ""
    stripped, n = _ADDRESS.subn(" ", text)
    return " ".join(stripped.split()) if n else ""


def read(
    negativity: float, addressless_negativity: float | None, normalized: str, threshold: float
) -> Complaint:
    """The complaint signal of one message.

    Args:
        negativity: the classifier's negativity for the message as written.
        addressless_negativity: its negativity with the address removed, or None (no address).
        normalized: the message's detection form (for the markers).
        threshold: the community's negativity threshold.
    """
    best = max(negativity, addressless_negativity or 0.0)
    # Markers decide only between the floor and the threshold: above it the message is a complaint
    # anyway, below the floor it is not one (and the markers' alternation costs ~20 µs a message).
    found = markers(normalized) if min(MARKED_FLOOR, threshold) <= best < threshold else ()
    if found and _BAIT.search(normalized) is not None:
        found = ()
    complaint = best >= threshold or (bool(found) and best >= min(MARKED_FLOOR, threshold))
    return Complaint(complaint, best, threshold, found)
