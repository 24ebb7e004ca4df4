"""Mask personal data before anything is stored: mainland mobile numbers, ID card numbers,
emails and bank card numbers.

Masks keep the kind of data visible (analysts can still see "the customer left a phone number")
but none of its digits::

>>> mask_pii("电话13812345678，邮箱 a.b@qq.com")
'电话[手机号]，邮箱 [邮箱]'

Run it on raw text *before* normalization: the patterns accept full-width digits and ＠, +86 and
the usual separators (space, hyphen, ideographic space). Numbers that only look like personal data
are left alone so they stay useful: order and tracking numbers (a 16-19 digit run must pass the
Luhn check to be a card, and none is masked right after 订单号/运单号/编号...), prices, dates,
times and model numbers. See ``docs/text.md``.
"""

from __future__ import annotations

import re

PHONE_MASK = "[手机号]"
ID_MASK = "[身份证号]"
EMAIL_MASK = "[邮箱]"
CARD_MASK = "[银行卡号]"
MASKS = (PHONE_MASK, ID_MASK, EMAIL_MASK, CARD_MASK)

# Digits may be full-width (０-９) in raw input; one optional separator between digit groups.
_D = r"[0-9０-９]"
_SEP = r"[ \-\u3000－]?"
_W = r"[A-Za-z0-9Ａ-Ｚａ-ｚ０-９]"  # address characters, half- or full-width
EMAIL = re.compile(
    rf"{_W}[A-Za-z0-9Ａ-Ｚａ-ｚ０-９._%+\-]*[@＠]{_W}[A-Za-z0-9Ａ-Ｚａ-ｚ０-９.．\-]*[.．][A-Za-zＡ-Ｚａ-ｚ]{{2,}}"
)
# 18-digit resident ID: 6 area + 8 birth date + 3 sequence + check digit or X (6-8-4 grouping allowed).
ID_CARD = re.compile(rf"(?<!{_D})[1-9１-９]{_D}{{5}}{_SEP}{_D}{{8}}{_SEP}{_D}{{3}}(?:{_D}(?!{_D})|[XxＸｘ])")
# Bank card: 16-19 digits starting like a card (3 JCB/Amex, 4 Visa, 5 Mastercard, 6 UnionPay,
# 9 old domestic debit), optionally grouped by 4.
# A 19-digit card may be written 4-4-4-4-3; the 3-digit tail is masked only if it belongs to the card.
CARD = re.compile(
    rf"(?<!{_D})(?P<main>[3-69３-６９]{_D}{{3}}{_SEP}(?:{_D}{{4}}{_SEP}){{2}}{_D}{{4,7}})"
    rf"(?P<tail>[ \-\u3000－]{_D}{{3}})?(?!{_D})"
)
# Mainland mobile: optional +86 / 0086 / 86 / (+86), then 1[3-9] and 9 more digits, 3-4-4 grouping allowed.
PHONE = re.compile(
    rf"(?<!{_D})(?:(?:(?:\+|＋|00)?[8８][6６]|[(（][+＋]?[8８][6６][)）]){_SEP})?"
    rf"[1１][3-9３-９]{_D}{_SEP}{_D}{{4}}{_SEP}{_D}{{4}}(?!{_D})"
)

# Words right before a number that say what it is. The gap may not hold digits or brackets, so a
# mask placed in the gap on a first pass decides nothing on a second one (mask_pii stays idempotent).
_GAP = r"[^\d\n\[\]０-９]{0,8}$"
ORDER_CONTEXT = re.compile(
    rf"(?:订单|訂單|单号|單號|运单|運單|快递单|物流单|编号|編號|型号|型號|工单|工單|序列号|序列號|(?i:sn|imei)){_GAP}"
)
ID_CONTEXT = re.compile(rf"(?:身份证|身份證|证件号|證件號){_GAP}")
CARD_CONTEXT = re.compile(rf"(?:卡号|卡號|银行卡|銀行卡|储蓄卡|信用卡|借记卡|账号|帳號|账户|帳戶){_GAP}")
_CONTEXT_CHARS = 16

_ANY_NUMBER = re.compile(rf"{_D}{{3}}")
_TO_ASCII = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")
_NOT_DIGIT = re.compile(r"[^0-9X]")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _digits(s: str) -> str:
    return _NOT_DIGIT.sub("", s.translate(_TO_ASCII).upper())


def _before(m: re.Match, pattern: re.Pattern) -> bool:
    """Does ``pattern`` match the text just before the match (its label, e.g. 订单号:)?"""
    start = m.start()
    return pattern.search(m.string, max(0, start - _CONTEXT_CHARS), start) is not None


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum that every bank card number satisfies."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def id_card_ok(number: str) -> bool:
    """An 18-character ID number with a real birth date and a correct ISO 7064 check character."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    if not (1880 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= 31):
        return False
    total = sum(int(c) * w for c, w in zip(number, _ID_WEIGHTS, strict=False))
    return _ID_CHECK[total % 11] == number[17]


def _id_card(m: re.Match) -> str:
    # A typo'd ID after "身份证" is still an ID; elsewhere only a valid one is masked.
    return ID_MASK if id_card_ok(_digits(m.group())) or _before(m, ID_CONTEXT) else m.group()


def _card(m: re.Match) -> str:
    if _before(m, CARD_CONTEXT):
        return CARD_MASK
    if _before(m, ORDER_CONTEXT):
        return m.group()
    if luhn_ok(_digits(m.group())):
        return CARD_MASK
    tail = m.group("tail")
    return CARD_MASK + tail if tail and luhn_ok(_digits(m.group("main"))) else m.group()


def _phone(m: re.Match) -> str:
    return m.group() if _before(m, ORDER_CONTEXT) else PHONE_MASK


def mask_pii(text: str) -> str:
    """Replace personal data in ``text`` with bracketed masks. Idempotent; never raises on a ``str``."""
    if not text:
        return text
    if "@" in text or "＠" in text:
        text = EMAIL.sub(EMAIL_MASK, text)
    if not _ANY_NUMBER.search(text):
        return text
    text = ID_CARD.sub(_id_card, text)
    text = CARD.sub(_card, text)
    return PHONE.sub(_phone, text)
