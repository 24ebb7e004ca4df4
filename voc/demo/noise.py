"""What makes a composed text look typed by a real customer: typos, full-width forms, emoji,
personal data, URLs, microblog conventions and traditional characters.

Each function takes the text and the corpus ``rng`` and returns the new text; rates live in
``plan.yaml`` (``noise``), pools in ``common.yaml``.
"""

from __future__ import annotations

import random
import string
from functools import lru_cache
from typing import Any

# ASCII ! .. ~ -> full-width ！ .. ～ (the block U+FF01..U+FF5E mirrors ASCII 0x21..0x7E).
FULLWIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
_ALNUM = string.ascii_letters + string.digits
_TONES = {"negative": "negative", "mixed": "positive", "neutral": "neutral", "positive": "positive"}


@lru_cache(maxsize=1)
def _s2t():
    import opencc  # imported here: only the demo needs the simplified -> traditional direction

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    """Simplified -> traditional characters (OpenCC ``s2t``)."""
    return _s2t().convert(text)


def to_fullwidth(text: str) -> str:
    """ASCII letters, digits and punctuation as full-width forms (ＡＰＰ, ３０分钟)."""
    return text.translate(FULLWIDTH)


def add_typo(text: str, typos: dict[str, str], rng: random.Random) -> str:
    """Replace the first occurrence of one known word with a common misspelling, if any occurs."""
    found = [word for word in typos if word in text]
    if not found:
        return text
    word = rng.choice(found)
    return text.replace(word, typos[word], 1)


def phone_number(rng: random.Random) -> str:
    """A mainland mobile number, written the ways people write them."""
    digits = "1" + rng.choice("3456789") + "".join(rng.choice(string.digits) for _ in range(9))
    style = rng.randrange(5)
    if style == 1:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if style == 2:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if style == 3:
        return "+86" + digits
    return digits


def pii_values(common: dict[str, Any], rng: random.Random) -> dict[str, str]:
    """Slot values for the personal-data templates: phone, email, order number, URL."""
    user = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 7)))
    order = (
        str(rng.randint(10**17, 10**19 - 1))
        if rng.random() < 0.5
        else "DD" + "".join(rng.choice(string.digits) for _ in range(14))
    )
    code = "".join(rng.choice(_ALNUM) for _ in range(7))
    return {
        "phone": phone_number(rng),
        "email": f"{user}{rng.randint(1, 9999)}@{rng.choice(common['emails'])}",
        "order_no": order,
        "url": f"https://{rng.choice(common['url_hosts'])}/{code}",
    }


def add_pii(text: str, what: str, common: dict[str, Any], rng: random.Random) -> str:
    """Append a sentence carrying personal data of kind ``what`` (phone, email, order_no, url)."""
    template = rng.choice(common["pii_templates"][what])
    values = pii_values(common, rng)
    sentence = template.replace("{" + what + "}", values[what])
    sep = "" if text.endswith(("。", "！", "？", "…", " ")) else "，"
    return text + sep + sentence


def add_emoji(text: str, polarity: str, common: dict[str, Any], rng: random.Random) -> str:
    """One to three emoji of the text's tone, usually at the end."""
    pool = common["emoji"][_TONES[polarity]]
    emoji = "".join(rng.choice(pool) for _ in range(rng.choice((1, 1, 2, 3))))
    return emoji + text if rng.random() < 0.1 else text + emoji


def repeat_punct(text: str, polarity: str, rng: random.Random) -> str:
    """！！！ or ？？？ at the end, as upset customers type."""
    mark = "？？？" if polarity == "negative" and rng.random() < 0.35 else "！！！"
    return text.rstrip("。！!？?") + mark


def add_newline(text: str, rng: random.Random) -> str:
    """A line break after one sentence of a longer text (CSV quotes it)."""
    cut = [i + 1 for i, ch in enumerate(text[:-1]) if ch in "。！"]
    if not cut:
        return text
    i = rng.choice(cut)
    return text[:i] + "\n" + text[i:]


def user_name(common: dict[str, Any], rng: random.Random) -> str:
    """A microblog nickname: 爱吃芒果酱, 阿杰_88 ..."""
    users = common["users"]
    return rng.choice(users["prefix"]) + rng.choice(users["core"]) + rng.choice(users["suffix"])


def weibo_style(
    text: str,
    polarity: str,
    fixed: dict[str, str],
    common: dict[str, Any],
    rates: dict[str, float],
    rng: random.Random,
) -> str:
    """#话题#, @mentions, [怒]-style emoticons, 哈哈哈 and //@user: repost chains."""
    social, tone = common["social"], _TONES[polarity]
    if rng.random() < rates["social_emoticon"]:
        text += "".join(rng.choice(common["weibo_emoticons"][tone]) for _ in range(rng.choice((1, 1, 2))))
    if rng.random() < rates["social_hashtag"]:
        tag = rng.choice(common["hashtags"]["any"]).replace("{brand}", fixed["brand"])
        text = tag + text if rng.random() < 0.6 else text + " " + tag
    if rng.random() < rates["social_mention"]:
        mention = rng.choice(social["mention"]).replace("{brand}", fixed["brand"])
        text += " " + mention.replace("{user}", user_name(common, rng))
    if polarity == "positive" and rng.random() < rates["laugh"] * 4:
        text = rng.choice(common["laughs"]) + text
    if rng.random() < rates["social_repost"]:
        text = _repost(text, social, common, rng)
    return text


def _repost(text: str, social: dict[str, Any], common: dict[str, Any], rng: random.Random) -> str:
    """The text as someone else's post, reposted with a comment: ``同感//@原作者:原文``."""
    head = rng.choice(social["repost_comments"] + social["repost_only"])
    chain = "".join(
        f"//@{user_name(common, rng)}:{rng.choice(social['repost_comments'])}"
        for _ in range(rng.choice((0, 0, 1, 2)))
    )
    return f"{head}{chain}//@{user_name(common, rng)}:{text}"
