"""Mask personal data before anything is stored: mainland mobile numbers, ID card numbers,
emails and bank card numbers.

Masks keep the kind of data visible (analysts can still see "the customer left a phone number")
but none of its digits::

>>> mask_pii("电话13812345678，邮箱 a.b@qq.com")
'电话[手机号]，邮箱 [邮箱]'

Run it on raw text *before* normalization too, so a number split by full-width digits or
spaces is still caught (the patterns accept common separators).
"""

from __future__ import annotations

import re

PHONE_MASK = "[手机号]"
ID_MASK = "[身份证号]"
EMAIL_MASK = "[邮箱]"
CARD_MASK = "[银行卡号]"

# Digits may be full-width (０-９) in raw input; separators: space, hyphen, full-width space.
_D = r"[0-9０-９]"
_SEP = r"[ \-\u3000]?"
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+(?:@|＠)[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
# 18-digit resident ID: 6 area + 8 birth date + 3 sequence + check digit/X.
ID_CARD = re.compile(rf"(?<!{_D})[1-9０-９]{_D}{{5}}(?:18|19|20|１８|１９|２０){_D}{{2}}"
                     rf"(?:0[1-9]|1[0-2]|０[１-９]|１[０-２]){_D}{{2}}{_D}{{3}}[0-9０-９XxＸｘ](?!{_D})")
# Mainland mobile: optional +86/0086, then 1[3-9] and 9 more digits, allowing 3-4-4 grouping.
PHONE = re.compile(rf"(?<!{_D})(?:(?:\+|＋|00)86{_SEP})?[1１][3-9３-９]{_D}{_SEP}{_D}{{4}}{_SEP}{_D}{{4}}(?!{_D})")
# Bank card: 16-19 digits, optionally grouped by 4; confirmed with the Luhn checksum.
CARD = re.compile(rf"(?<!{_D})(?:{_D}{{4}}{_SEP}){{3}}{_D}{{4,7}}(?!{_D})")

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card(m: re.Match) -> str:
    digits = re.sub(r"\D", "", m.group().translate(_FULLWIDTH_DIGITS))
    # A 16-19 digit run that fails Luhn is still more likely an account number than anything an
    # analyst needs; mask long runs regardless, Luhn only decides the label.
    return CARD_MASK if _luhn_ok(digits) or len(digits) >= 16 else m.group()


def mask_pii(text: str) -> str:
    """Replace personal data in ``text`` with bracketed masks. Idempotent."""
    if not text:
        return text
    text = EMAIL.sub(EMAIL_MASK, text)
    text = ID_CARD.sub(ID_MASK, text)
    text = CARD.sub(_card, text)
    return PHONE.sub(PHONE_MASK, text)
