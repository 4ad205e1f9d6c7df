# ruff: noqa: E501  (data tables: long string literals read better unwrapped)
"""Toxicity: insults, obscenity, threats and hate, in Russian and English.

The vocabulary is offensive on purpose: a moderation model has to have seen it.
"""

from __future__ import annotations

import random

from _common import decorate, distinct, generate

SLOTS = {
    "insult_ru": ["дебил", "идиот", "придурок", "кретин", "дурак", "мудак", "урод", "чмо", "лох", "даун",
                  "дегенерат", "имбецил", "ублюдок", "олень", "баран", "козёл", "клоун", "долбоёб", "долбаёб",
                  "далбаеб", "уёбок", "уебан", "ебанат", "мудила", "пиздабол", "хуесос", "хуйло", "пидор",
                  "пидорас", "педик", "гандон", "гондон", "чепушила", "петух", "говноед", "чушка", "шизик",
                  "шиз", "аутист", "тупица", "недоумок", "выродок", "ничтожество", "быдло", "скот", "свинья",
                  "тварь", "мразь", "гнида", "сволочь", "падла", "паскуда", "сучара", "сука", "шлюха",
                  "шалава", "проститутка", "овца", "курица", "истеричка", "дура", "тупорылый", "жирдяй",
                  "жиробас", "нищеброд", "быдлан", "школьник тупой", "малолетка", "пиздюк", "ушлёпок",
                  "обмудок", "долбодятел", "дегенератище", "вонючка", "параша", "отброс", "бомжара",
                  "терпила", "куколд", "омежка", "соевый", "хрюк", "мусор", "мент поганый"],
    "insult_adj_ru": ["тупой", "тупая", "ебаный", "ёбаный", "конченый", "конченная", "грёбаный", "вонючий",
                      "жалкий", "мерзкий", "безмозглый", "тупорылый", "ебанутый", "долбанутый", "поганый",
                      "сраный", "обоссаный", "гнилой", "позорный", "убогий", "недоразвитый", "больной",
                      "отбитый", "поехавший", "ущербный", "криворукий", "бездарный", "блядский", "сучий",
                      "пиздливый", "пидорский", "гребаный", "тупорогий"],
    "insult_pl_ru": ["дебилы", "идиоты", "придурки", "уроды", "дегенераты", "ублюдки", "мрази", "твари",
                     "пидорасы", "пидоры", "хуесосы", "долбоёбы", "уебаны", "чмошники", "быдло", "скоты",
                     "свиньи", "клоуны", "бараны", "овцы", "животные", "нелюди", "отбросы", "говноеды",
                     "школьники", "шизики", "петухи", "мудаки", "кретины", "даунята", "нищеброды"],
    "group_ru": ["хохлы", "хохлы", "москали", "ватники", "ватаны", "либерахи", "либерасты", "совки",
                 "пиндосы", "чурки", "хачи", "жиды", "нацики", "укропы", "русня", "кацапы", "чурбаны",
                 "черножопые", "узкоглазые", "понаехавшие", "бабы", "феминистки", "пидоры", "геи",
                 "мигранты", "таджики", "цыгане", "американцы", "фанатики", "попы", "коммуняки",
                 "путинисты", "навальнята", "зумеры", "бумеры", "пенсы", "свинорылые", "рашисты", "бандеровцы"],
    "mat_ru": ["блядь", "бля", "блять", "сука", "пиздец", "нахуй", "нахер", "ёб твою мать", "ебать",
               "ебать-копать", "хуйня", "нихуя", "охуеть", "пиздёж", "заебись", "похуй", "хуй", "пизда",
               "ебаный в рот", "бл*ть", "п*здец", "х*йня", "пздц", "нах", "хер", "херня", "ёпта",
               "ёбаный стыд", "сцука", "бляха", "пиздос", "еб твою", "охуеннно", "хуево", "пиздато"],
    "verb_mat_ru": ["заебал", "заебали", "достал", "охуел", "охуели", "ахуел", "обосрался", "пиздишь",
                    "обнаглел", "выёбываешься", "выебываешься", "оборзел", "зажрался", "опизденел",
                    "ёбнулся", "ебанулся", "обдолбался", "наебал", "спиздил", "обосрались"],
    "go_ru": ["иди нахуй", "иди на хуй", "пошёл нахуй", "пошел на хер", "иди в жопу", "пошла в жопу",
              "иди в пизду", "катись к чёрту", "отвали", "отъебись", "съебись", "съеби отсюда", "вали отсюда",
              "завали ебало", "закрой рот", "заткнись", "захлопни пасть", "завали хлебало", "рот закрой",
              "не пизди", "иди лесом", "соси", "соси хуй", "пошёл вон", "иди проспись", "съебал в туман"],
    "harm_ru": ["убью", "урою", "закопаю", "порежу", "зарежу", "прибью", "задушу", "уничтожу",
                "переломаю тебе ноги", "разобью тебе морду", "набью тебе ебало", "выбью тебе зубы",
                "сожгу твою хату", "найду тебя и прибью", "ноги вырву", "башку оторву", "отпизжу",
                "въебу", "закатаю в асфальт", "утоплю", "подкараулю у подъезда"],
    "wish_ru": ["сдохни", "чтоб ты сдох", "чтоб ты сгнил", "удавись", "выпились", "вскройся", "сдохни в канаве",
                "чтоб у тебя руки отсохли", "гори в аду", "чтоб тебя машина сбила", "повесься",
                "таких надо расстреливать", "таких надо стерилизовать", "таких в печь"],
    "target_ru": ["автор", "ты", "админ", "модератор", "этот", "твой батя", "твоя мамка", "ОП", "анон",
                  "депутат", "этот блогер", "препод", "начальник", "сосед", "этот водила", "судья"],
    "body_ru": ["рожа", "морда", "ебало", "харя", "рыло", "жопа", "хлебало", "пасть", "мозги", "башка"],
    # English
    "insult_en": ["idiot", "moron", "retard", "loser", "asshole", "bastard", "dumbass", "jackass", "dickhead",
                  "piece of shit", "scumbag", "cunt", "bitch", "whore", "slut", "hoe", "prick", "douchebag",
                  "clown", "imbecile", "trash", "pig", "freak", "motherfucker", "fuckface", "twat", "wanker",
                  "dipshit", "degenerate", "incel", "simp", "cuck", "coward", "fatass", "dumb bitch"],
    "insult_adj_en": ["stupid", "fucking", "dumb", "pathetic", "worthless", "disgusting", "ugly", "brainless",
                      "useless", "fat", "retarded", "goddamn", "filthy", "braindead", "shitty", "lying"],
    "group_en": ["immigrants", "muslims", "jews", "gays", "fags", "faggots", "niggers", "blacks", "mexicans",
                 "women", "feminists", "trannies", "liberals", "rednecks", "arabs", "chinks", "refugees",
                 "boomers", "leftists", "catholics"],
    "mat_en": ["fuck", "shit", "fucking hell", "bullshit", "wtf", "fuck off", "goddamn", "fuck this",
               "holy shit", "f*ck", "sh*t", "fk", "damn it to hell", "screw you", "fuck you"],
    "harm_en": ["I will kill you", "I'll beat the shit out of you", "I'll find you and hurt you",
                "I'm going to break your face", "you're dead", "I'll burn your house down",
                "watch your back", "I'll make you regret this", "I'll slit your throat"],
    "wish_en": ["go kill yourself", "kys", "die already", "I hope you die", "rot in hell",
                "hope you get cancer", "drink bleach", "nobody would miss you"],
}

RU_TEMPLATES = [
    "{target_ru} {insult_ru}", "ты {insult_ru}", "ты {insult_adj_ru} {insult_ru}", "ну ты и {insult_ru}",
    "какой же ты {insult_adj_ru} {insult_ru}", "{insult_ru}, ты хоть понял что написал?",
    "{insult_adj_ru} {insult_ru}, {go_ru}", "{go_ru}, {insult_ru}", "{go_ru}", "{go_ru} со своим мнением",
    "{mat_ru}, {target_ru} {insult_ru}", "{mat_ru}, {verb_mat_ru} уже", "{verb_mat_ru} со своей хуйнёй",
    "{target_ru} {verb_mat_ru} совсем", "{mat_ru}, какой же бред", "{mat_ru} {mat_ru}", "{mat_ru}",
    "ты чё {verb_mat_ru}?", "{target_ru} {verb_mat_ru}, {mat_ru}",
    "твоя {body_ru} мне не нравится, {insult_ru}", "закрой свою {body_ru}, {insult_ru}",
    "{insult_pl_ru}, кругом одни {insult_pl_ru}", "тут одни {insult_pl_ru} сидят",
    "опять эти {insult_pl_ru} набежали", "все {group_ru} {insult_pl_ru}", "{group_ru} {insult_pl_ru}",
    "{group_ru} опять обосрались", "тупые {group_ru} как всегда", "{group_ru} должны сдохнуть",
    "всех {group_ru} надо гнать отсюда", "понаехали тут {group_ru}, {mat_ru}", "{group_ru} это не люди",
    "ненавижу {group_ru}", "{group_ru} {verb_mat_ru} в край", "ваши {group_ru} {insult_pl_ru}",
    "я тебя {harm_ru}", "{harm_ru}, {insult_ru}", "ещё раз напишешь — {harm_ru}",
    "я знаю где ты живёшь, {harm_ru}", "{target_ru}, {harm_ru} нахуй", "{wish_ru}", "{wish_ru}, {insult_ru}",
    "{target_ru} {insult_ru}, {wish_ru}", "иди {wish_ru}",
    "ты {insult_ru} и мамка твоя {insult_ru}", "мамку твою {mat_ru}", "твою мамку ебал",
    "чё ты несёшь, {insult_ru}", "мозгов нет совсем, {insult_ru}", "пиши с мозгами, {insult_ru}",
    "кто этого {insult_ru} сюда пустил?", "админ, забань этого {insult_ru}", "{insult_ru} обыкновенный",
    "такой {insult_ru} как ты ещё поискать надо", "{insult_adj_ru} {insult_ru}", "{insult_adj_ru} {target_ru}",
    "на {insult_ru} не обижаются", "удали аккаунт, {insult_ru}", "только {insult_ru} так думает",
    "это пишет {insult_adj_ru} {insult_ru}", "{insult_ru} ты {insult_adj_ru}", "соси, {insult_ru}",
    "{target_ru} не {insult_ru}, а {insult_adj_ru} {insult_ru}", "да ты {insult_ru} конченый",
    "не пизди, {insult_ru}", "пиздишь как дышишь", "хуйню несёшь", "хуйню спорол", "что за хуйня",
    "{mat_ru}, опять эта хуйня", "опять эти {insult_pl_ru} со своими {mat_ru}",
    "{target_ru} пиздабол", "нахуй такое надо", "{mat_ru}, {target_ru} совсем ебанулся",
]

EN_TEMPLATES = [
    "you {insult_adj_en} {insult_en}", "you're a {insult_en}", "shut up {insult_en}", "{mat_en} you {insult_en}",
    "what a {insult_adj_en} {insult_en}", "{mat_en}, this {insult_en} again", "{insult_adj_en} {insult_en}",
    "only a {insult_en} would say that", "{group_en} are {insult_adj_en} {insult_en}s",
    "all {group_en} should be deported", "I hate {group_en}", "{group_en} ruin everything",
    "{harm_en}", "{harm_en}, {insult_en}", "{wish_en}", "{wish_en} you {insult_en}", "{mat_en}",
    "get lost you {insult_adj_en} {insult_en}", "nobody asked you {insult_en}", "{mat_en} off {insult_en}",
    "this {insult_en} can't even read", "your mom is a {insult_en}", "{insult_en} lmao",
    "bitch please", "stfu {insult_en}", "what the fuck is wrong with you {insult_en}",
]


def toxic_texts(rng: random.Random, n_ru: int, n_en: int) -> list[str]:
    """Generated toxic messages."""

    def style(text: str, r: random.Random) -> str:
        text = decorate(text, r, shouty=0.1, emoji=0.05)
        return text.lower() if r.random() < 0.5 else text

    return generate(RU_TEMPLATES, SLOTS, rng, n_ru, style=style) + generate(
        EN_TEMPLATES, SLOTS, rng, n_en, style=style
    )


# Toxic remarks buried in otherwise ordinary talk: most real toxicity is not a bare insult.
CONTEXT_TEMPLATES = [
    "{opinion}, {tail}", "{tail}. {opinion}", "{opinion}. {tail}",
]
CONTEXT_SLOTS = {
    "opinion": ["фильм так себе", "опять подняли цены на проезд", "этот закон приняли за три дня",
                "игру выпустили сырой", "по телеку опять одно и то же", "в новостях пишут про выборы",
                "сборная опять проиграла", "на дороге опять авария", "новый айфон ничем не лучше старого",
                "в школе опять реформа", "депутаты снова подняли себе зарплату", "на ютубе новая драма",
                "в комментах срач", "этот блогер снова выпустил ролик", "патч сломал баланс",
                "the movie was boring", "prices went up again", "the game launched broken"],
    "tail": ["делали его {insult_pl_ru}", "автор {insult_ru}", "кто за это голосовал, тот {insult_ru}",
             "а {group_ru} радуются, {insult_pl_ru}", "{mat_ru}", "{verb_mat_ru} они там",
             "{group_ru} опять довольны, {insult_pl_ru}", "только {insult_ru} будет это смотреть",
             "разработчики {insult_pl_ru} криворукие", "{target_ru} как всегда {insult_ru}",
             "вот же {insult_pl_ru}", "идите нахуй с такими новостями", "{insult_adj_ru} страна {insult_pl_ru}",
             "the devs are {insult_adj_en} {insult_en}s", "what a bunch of {insult_en}s"],
}


def contextual_toxic_texts(rng: random.Random, n: int) -> list[str]:
    """Toxic remarks embedded in a neutral opinion."""
    slots = {**SLOTS, **CONTEXT_SLOTS}
    return generate(CONTEXT_TEMPLATES, slots, rng, n, style=lambda t, r: decorate(t, r, shouty=0.03, emoji=0.0))


HANDWRITTEN = [
    "Тупые хуесосы опять детонируют от любого упоминания",
    "Не виляй жопой, твоя претензия была совсем не об этом",
    "Какой же ты тупой, просто слов нет",
    "Заебали уже со своей политикой",
    "Иди проспись, алкаш",
    "Ты вообще читать умеешь, дебил?",
    "Убей себя об стену",
    "Мне плевать на твоё мнение, ничтожество",
    "Чё ты вякаешь тут, малолетка",
    "Свиньи, а не люди",
    "Вас всех надо в газовую камеру",
    "Бабы — дуры, это известно",
    "Соевые куколды опять ноют",
    "Ебало завали",
    "Пошёл нахер отсюда",
    "Сдохни тварь",
    "Ещё одно слово и я тебе рожу разобью",
    "Ты кто такой вообще, чмо",
    "Ахахах, вот долбоёб",
    "Go fuck yourself",
    "You're a worthless piece of shit",
    "Shut the fuck up",
    "I'm going to find where you live",
]

# Contempt, sneering and imageboard slang: most real toxicity is this, not a bare swear word.
SNEER_SLOTS = {
    "sneer_ru": ["очередной высер", "кукарекнул", "порвался", "подгорело", "пердак горит", "рвётся как тузик",
                 "хрюкни", "слился", "маня", "манямирок", "дурачок", "шизло", "порватка", "тупое быдло",
                 "биомасса", "пиздабольство", "вонь из параши", "кукареку", "обоссан", "обтекай", "найс высер",
                 "терпи", "лахта", "ботоферма", "пидорашка", "хохлопидор", "свиноматка", "свинособака",
                 "ватка", "соевый куколд", "шлюхоботы", "дегроды", "дебич", "хуета", "говнина", "хуйло",
                 "мразота", "петушара", "ебанько", "дебилоид", "имбецилы", "пиздюки", "сучка", "бабьё",
                 "хач", "чурка", "жидяра", "нигер", "ниггер", "пидорня", "гомосек", "мусора", "скотобаза"],
    "rude_ru": ["что за бред", "чушь собачья", "полная херня", "говно какое-то", "дерьмо, а не", "тупая шутка",
                "идиотская идея", "дебильный вопрос", "мерзость", "фу, блевотина", "отстой полный",
                "это пиздец", "ебаный стыд", "позорище", "дно днищенское", "клоунада", "цирк уродов",
                "жрите сами своё говно", "срать я хотел", "насрать", "плевать на вас", "обосрались по полной"],
}
SNEER_SLOTS["opinion_short"] = ["фильм так себе", "новость так себе", "цены опять выросли", "матч был скучный",
                                 "игра вышла сырой", "закон приняли странный", "в городе опять ремонт",
                                 "у нас в семье три поколения там жили", "погода мерзкая", "сериал затянули"]
SNEER_SLOTS["condescend_ru"] = [
    "сходи к психиатру", "лечись", "таблетки выпей", "ты вообще в адеквате?", "ты не в себе", "у тебя с головой проблемы",
    "мозг включи", "научись сначала читать", "учи матчасть, неуч", "не позорься", "тебе к врачу надо", "кто тебя спрашивал?",
    "твоё мнение никого не волнует", "знай своё место", "сиди и не вякай", "ведёшь себя как малолетка", "ты жалок",
    "какой же ты убогий", "ты вообще понимаешь, что несёшь?", "иди уроки делай, школьник", "у тебя IQ как у табуретки",
    "таких как ты надо изолировать", "выпей седативного", "опять ты со своим бредом", "ты просто ничтожество",
    "мамке своей расскажи", "сначала дорасти до разговора со взрослыми", "не тебе судить, щенок", "ты позор семьи",
    "с такими мозгами только дворы мести", "у тебя явно проблемы с развитием", "ты бы помолчал, умник",
]
SNEER_SLOTS["herd_ru"] = ["стадо", "толпа", "свора", "кодла", "банда", "сборище", "помойка", "выводок"]
SNEER_SLOTS["third_ru"] = ["этот блогер", "депутаты", "чиновники", "эти журналисты", "его фанаты", "эти политики",
                           "современная молодёжь", "эти бабки у подъезда", "местные власти", "понаехавшие", "эти актёры",
                           "соседи сверху", "коллекторы", "эти стримеры", "таксисты", "менты", "торгаши"]
SNEER_SLOTS["dehum_ru"] = ["отребье", "шавки", "биомасса", "скоты", "обезьяны", "животные", "паразиты", "глисты",
                           "крысы", "вши", "недолюди", "выродки", "приматы", "плесень", "мусор", "говноеды", "чурбаны",
                           "лахтоботы", "кремлеботы", "лахтобляди", "либерасты", "ватники", "укропы", "свиньи"]
SNEER_SLOTS["vulgar_ru"] = ["набил бы ебло", "дал бы в морду", "нюхай мои носки", "соси яйца", "посрал бы на них",
                            "шлюх рисовать", "ссыкуны", "обосраться можно", "жопу рвать", "ебальник разбить",
                            "порвал бы пасть", "мудаки", "пидорасы"]
SNEER_TEMPLATES = [
    "{third_ru} {dehum_ru}", "{third_ru} — {herd_ru} {insult_pl_ru}", "{herd_ru} {insult_pl_ru}", "{herd_ru} {dehum_ru}",
    "вы {dehum_ru} обыкновенные", "все {third_ru} {dehum_ru}", "{third_ru}, {vulgar_ru}", "{vulgar_ru}",
    "на месте жены {vulgar_ru}", "{opinion_short}, а {third_ru} {dehum_ru}", "{third_ru} опять {sneer_ru}",
    "{dehum_ru}!!", "{dehum_ru}, {insult_pl_ru}", "ненавижу этих {dehum_ru}",
    "{condescend_ru}", "{condescend_ru}, {insult_ru}", "{target_ru}, {condescend_ru}", "{condescend_ru}. {sneer_ru}",
    "вы {condescend_ru}", "девушка, {condescend_ru}", "уважаемый, {condescend_ru}",
    "{sneer_ru}", "ну {sneer_ru}", "{target_ru} {sneer_ru}", "{rude_ru}", "{rude_ru}, {target_ru} {insult_ru}",
    "опять {sneer_ru}", "{sneer_ru}, {insult_ru}", "ахаха, {sneer_ru}", "{rude_ru}, {mat_ru}",
    "{group_ru} опять {sneer_ru}", "твои {group_ru} {sneer_ru}", "{rude_ru}, {group_ru}",
    "{target_ru} {insult_adj_ru}, {sneer_ru}", "кто вообще слушает этих {insult_pl_ru}",
    "читать такое может только {insult_ru}", "ну и {rude_ru}", "{rude_ru}. {sneer_ru}",
]


def sneer_texts(rng: random.Random, n: int) -> list[str]:
    """Contempt and slang."""
    slots = {**SLOTS, **SNEER_SLOTS}
    return generate(SNEER_TEMPLATES, slots, rng, n, style=lambda t, r: decorate(t, r, shouty=0.05, emoji=0.0))


def directed_texts(rng: random.Random, n: int) -> list[str]:
    """Insults and contempt aimed at someone (no bare swearing): what embedded remarks use."""
    slots = {**SLOTS, **SNEER_SLOTS}
    templates = [t for t in RU_TEMPLATES + SNEER_TEMPLATES if "{mat_ru}" not in t and "{verb_mat_ru}" not in t]
    return generate(templates, slots, rng, n, style=lambda t, r: decorate(t, r, shouty=0.03, emoji=0.0))


def embedded(rng: random.Random, toxic: list[str], carriers: list[str], n: int) -> list[str]:
    """Toxic remarks placed at the start, middle or end of long ordinary text."""
    def one() -> str:
        carrier = rng.choice(carriers)
        remark = rng.choice(toxic)
        sentences = carrier.split(". ")
        pos = rng.randrange(len(sentences) + 1)
        sentences.insert(pos, remark)
        return ". ".join(sentences)

    return distinct(one, n, tries=None)


FRIENDLY_TY = [
    "ты прав", "ты где?", "ты крутой", "ты молодец", "ты придёшь завтра?", "ты видел новости?", "ты лучший",
    "ты не поверишь, что случилось", "ты мне очень помог, спасибо", "ты серьёзно?", "ты когда будешь?",
    "ты уже дома?", "ты как, выздоровел?", "а ты что думаешь?", "ты забыл зонт у нас", "ты супер",
    "ты это видел?", "ты смотрел матч?", "ты где купил?", "ты прав, я ошибся", "ты ему передай привет",
    "ты на машине?", "ты тоже там был?", "ты чего молчишь?", "ты знаешь, где ключи?", "you are right",
    "you're awesome", "you rock", "are you coming?", "did you see that?", "you made my day",
]

# Polite-form condescension and casual English slurs (tweet style).
EXTRA_SLOTS = {
    "vy_cond": ["вы, может быть, не поняли? Вы вообще русским языком владеете?", "мой юный друг, вы хотите быть скотом?",
                "вам бы к психиатру, уважаемый", "с вашим интеллектом лучше молчать", "вы себя в зеркало видели?",
                "вы просто глупы, и это не лечится", "вы позорище, а не специалист", "вы даже читать не умеете",
                "от вашего бреда уши вянут", "вы и ваши дружки — отребье", "таких, как вы, гнать надо",
                "вы серьёзно настолько тупой?", "вы не человек, а недоразумение", "вам место на помойке",
                "мозгов у вас как у курицы", "вы жалкий болтун", "вас даже жалко, настолько вы убоги"],
    "en_slur": ["bitch", "hoe", "hoes", "nigga", "niggas", "pussy", "fag", "faggot", "retard", "cunt", "whore", "slut",
                "bitches", "thot", "dyke", "tranny", "spic", "wetback", "coon", "redneck trash", "white trash"],
    "en_ctx": ["this {en_slur} really thinks", "that {en_slur} ain't loyal", "these {en_slur} be lying", "lol this {en_slur}",
               "@user you a {en_slur}", "shut up {en_slur}", "fuck that {en_slur}", "stupid ass {en_slur}",
               "yo {en_slur} get out my face", "ain't nobody want your {en_slur} ass", "{en_slur} gonna be {en_slur}",
               "my {en_slur} talking shit again", "damn {en_slur}", "bad {en_slur} everywhere", "all {group_en} are {en_slur}s",
               "i hate these {en_slur}", "that's gay as fuck", "you look like a {en_slur}", "ugly {en_slur}"],
}
EXTRA_TEMPLATES_RU = ["{vy_cond}", "{vy_cond} {condescend_ru}", "Уважаемый, {vy_cond}"]
EXTRA_TEMPLATES_EN = ["{en_ctx}", "{en_ctx} lmao", "RT @user: {en_ctx}", "{en_ctx} smh", "{en_ctx} #realtalk"]


def extra_texts(rng: random.Random, n_ru: int, n_en: int) -> list[str]:
    """Polite-form condescension (RU) and casual slurs (EN)."""
    slots = {**SLOTS, **SNEER_SLOTS, **EXTRA_SLOTS}
    return generate(EXTRA_TEMPLATES_RU, slots, rng, n_ru) + generate(EXTRA_TEMPLATES_EN, slots, rng, n_en)
