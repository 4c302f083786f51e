""""国内" (domestic) before a time in a Chinese source is Beijing time, never the zone written for
the time before it ("国际标准时间下午3:10，大约是国内晚上11点多": the second time is CST, UTC+8)."""
from __future__ import annotations

import pytest

from outagetl.timeparse import parse_source

from timeparse_helpers import make_doc


@pytest.mark.parametrize("text, written, utc", [
    # 17:xx CST (about 17:15) = 09:15Z; carried from "协调世界时" it would be 17:15Z.
    ("协调世界时上午9:20，也就是国内下午5点多，支付系统开始出错。", "国内下午5点多", "09:15"),
    # 20:00 CST = 12:00Z.
    ("格林尼治时间中午12点，即国内时间晚上8点，服务恢复正常。", "国内时间晚上8点", "12:00"),
    # 06:30 CST = 22:30Z the day before.
    ("世界标准时间22:30，国内早上6点半，用户开始无法登录。", "国内早上6点半", "22:30"),
])
def test_domestic_time_is_beijing_time(text, written, utc):
    parsed = parse_source(make_doc(text, published="2023-07-12", language="zh"))
    found = {m.text: m for m in parsed.mentions}
    assert written in found, list(found)
    assert found[written].span.zone == "Asia/Shanghai" and f"{found[written].span.best:%H:%M}" == utc
