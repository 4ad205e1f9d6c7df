"""Write the normaliser's word lists, ``moderation/data/lexicon/{ru,en}.txt``, from the seed corpus.

``ru.txt``: the Russian words of the project's own seed corpus, most frequent first (the
normaliser uses it to tell a transliterated or digit-spelt Russian word from noise, and to pick
the commonest word when two share a transliteration). ``en.txt``: English words of the seed
corpus's English rows plus a hand-written list of common English words; a Latin word in it is
never read as transliterated Russian unless the rest of the message is. Nothing comes from any
external data set.

Usage: python scripts/build_lexicon.py   (after scripts/seed_corpus/generate.py)
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from moderation.normalize import normalize  # noqa: E402

SEED = ROOT / "moderation" / "data" / "seed"
OUT = ROOT / "moderation" / "data" / "lexicon"
_RU = re.compile(r"[а-яё]+")
_EN = re.compile(r"(?<![@\w./])[a-z]+(?![\w/]|\.\w)")

# Common English words (hand-written): the ones most likely to meet a Russian transliteration.
COMMON_EN = """
a about above after again against all also am an and any are as at back bad bank bar be because
been before being below best better between big bit both but buy by call came can car card case
cash chat check city come could cost day days did do does dog doing dom don done down each early
easy even ever every eye face fact far few fine first for free friend from full fun get give go
god going gone good got great had half hand has have he help her here him his home hot how i if
in into is it its job just keep kind know last late left less let life like line little live long
look lot love made make man many may me mean men might mine miss moment money more most much must
my name near need net never new news next nice night no nor not note now of off oh ok okay old on
once one only open or order other our out over own page part pay people phone place plan play
please point post price pro put real really right road rock room rose run said same sat saw say
see seen send set she shop short should show side since site six so some son soon sorry start
stay still stop such sure take talk team tell ten than thank thanks that the their them then there
these they thing think this those though three through time to today told tom ton too top total
town try turn two under until up upon us use very wait want was way we week well went were what
when where which while who why will win with without word work would yes yet you your
""".split()


def main() -> int:
    ru: Counter[str] = Counter()
    en: set[str] = set(COMMON_EN)
    for name in ("spam", "toxicity", "negativity"):
        with (SEED / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                t = normalize(row["text"])
                cyr = _RU.findall(t)
                ru.update(cyr)
                lat = _EN.findall(t)
                if len(lat) >= 3 and len(lat) > 2 * len(cyr):  # an English row
                    en.update(lat)
    OUT.mkdir(parents=True, exist_ok=True)
    words = [w for w, _ in sorted(ru.items(), key=lambda kv: (-kv[1], kv[0]))]
    (OUT / "ru.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    (OUT / "en.txt").write_text("\n".join(sorted(en)) + "\n", encoding="utf-8")
    print(f"ru.txt: {len(words)} words, en.txt: {len(en)} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
