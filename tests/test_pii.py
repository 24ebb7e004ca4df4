"""PII masking: what must be masked, what must be left alone, and the invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voc.pii import CARD_MASK, EMAIL_MASK, ID_MASK, PHONE_MASK, id_card_ok, luhn_ok, mask_pii

FW = str.maketrans("0123456789", "０１２３４５６７８９")

MASKED = [
    ("电话13812345678", f"电话{PHONE_MASK}", "phone-plain"),
    ("call 138 1234 5678 pls", f"call {PHONE_MASK} pls", "phone-spaced"),
    ("138-1234-5678", PHONE_MASK, "phone-hyphens"),
    ("+86 13812345678", PHONE_MASK, "phone-plus86"),
    ("(+86)139-0000-1111", PHONE_MASK, "phone-paren-86"),
    ("008615912345678", PHONE_MASK, "phone-0086"),
    ("8613812345678", PHONE_MASK, "phone-86-glued"),
    ("电话：１３８１２３４５６７８", f"电话：{PHONE_MASK}", "phone-full-width"),
    ("１３８\u3000１２３４\u3000５６７８", PHONE_MASK, "phone-ideographic-spaces"),
    ("联系我19912345678谢谢", f"联系我{PHONE_MASK}谢谢", "phone-between-chinese"),
    ("11010519491231002X", ID_MASK, "id-x-check"),
    ("id 11010519491231002x.", f"id {ID_MASK}.", "id-lower-x"),
    ("１１０１０５１９４９１２３１００２Ｘ", ID_MASK, "id-full-width"),
    ("110105 19491231 002X", ID_MASK, "id-grouped"),
    ("身份证号：110105194912310021", f"身份证号：{ID_MASK}", "id-bad-check-but-labelled"),
    ("邮箱a.b_c@qq.com好", f"邮箱{EMAIL_MASK}好", "email"),
    ("ａｂｃ＠ｑｑ．ｃｏｍ", EMAIL_MASK, "email-full-width"),
    ("x@163.com.cn", EMAIL_MASK, "email-two-level-tld"),
    ("4111111111111111", CARD_MASK, "card-visa-luhn"),
    ("退款到6222 0212 3456 7890 128", f"退款到{CARD_MASK}", "card-unionpay-grouped-19"),
    ("６２２２０２１２３４５６７８９０１２８", CARD_MASK, "card-full-width"),
    ("卡4111 1111 1111 1111 100元", f"卡{CARD_MASK} 100元", "card-then-amount"),
    ("银行卡号6222021234567890123", f"银行卡号{CARD_MASK}", "card-labelled-without-luhn"),
]

LEFT_ALONE = [
    ("订单号：123456789012345678", "order-18-digits"),
    ("订单号4111111111111111", "order-luhn-valid-but-labelled"),
    ("运单号 4111111111111111", "tracking-number"),
    ("订单编号13812345678", "order-looks-like-phone"),
    ("20261005123456789", "order-17-digits"),
    ("1234567890123456", "16-digits-not-card-prefix"),
    ("6222021234567890", "16-digits-luhn-fails"),
    ("2026-10-05 下单", "date-iso"),
    ("2026年10月5日 13:45 到货", "date-chinese-time"),
    ("价格¥1399，便宜了300元", "prices"),
    ("等了3天才到", "days"),
    ("iPhone15 Pro 256G, SM-G9910, RTX4090", "model-numbers"),
    ("客服电话400-820-8820", "hotline"),
    ("座机010-12345678", "landline"),
    ("1380013800", "ten-digits"),
    ("138123456789", "twelve-digits"),
    ("12812345678", "not-a-mobile-prefix"),
    ("110105194913310021", "id-impossible-date"),
    ("@小米客服 太慢了", "mention-not-email"),
    ("[手机号][身份证号][邮箱][银行卡号]", "masks"),
]


@pytest.mark.parametrize(("text", "expected"), [c[:2] for c in MASKED], ids=[c[2] for c in MASKED])
def test_masked(text, expected):
    assert mask_pii(text) == expected


@pytest.mark.parametrize("text", [c[0] for c in LEFT_ALONE], ids=[c[1] for c in LEFT_ALONE])
def test_left_alone(text):
    assert mask_pii(text) == text


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("11010519491231002X", True),
        ("110105194912310021", False),
        ("11010519491331002X", False),
        ("1101051949", False),
    ],
)
def test_id_card_ok(number, ok):
    assert id_card_ok(number) is ok


@pytest.mark.parametrize(
    ("number", "ok"), [("4111111111111111", True), ("4111111111111112", False), ("0", True)]
)
def test_luhn_ok(number, ok):
    assert luhn_ok(number) is ok


def _with_check_digit(body: str) -> str:
    """The Luhn check digit appended to ``body``."""
    return next(body + d for d in "0123456789" if luhn_ok(body + d))


PHONES = st.builds(
    lambda p, rest: f"1{p}{rest}", st.sampled_from("3456789"), st.text("0123456789", min_size=9, max_size=9)
)
CARDS = st.builds(
    lambda head, body, n: _with_check_digit((head + body)[: n - 1]),
    st.sampled_from(["62", "4", "5"]),
    st.text("0123456789", min_size=18, max_size=18),
    st.integers(16, 19),
)
CONTEXT = st.sampled_from(["", "电话", "我的", "号码是:", "call ", "，", "\n"])


@settings(max_examples=150)
@given(PHONES, CONTEXT, st.booleans(), st.sampled_from(["", " ", "-"]))
def test_every_mobile_is_masked(phone, before, full_width, sep):
    text = f"{phone[:3]}{sep}{phone[3:7]}{sep}{phone[7:]}"
    text = before + (text.translate(FW) if full_width else text) + "谢谢"
    assert mask_pii(text) == f"{before}{PHONE_MASK}谢谢"


@settings(max_examples=150)
@given(CARDS, CONTEXT)
def test_every_luhn_card_is_masked(card, before):
    assert mask_pii(before + card + "。") == f"{before}{CARD_MASK}。"


DIGIT_SOUP = st.text(st.sampled_from("0123456789０１２３ X-+86@＠.a [手机号]订单号身份证卡号:"), max_size=60)


@settings(max_examples=400)
@given(st.one_of(DIGIT_SOUP, st.text(max_size=60)))
def test_mask_pii_is_idempotent(text):
    once = mask_pii(text)
    assert mask_pii(once) == once
