"""Write a SYNTHETIC nginx access log for the 2019-07-03 Facebook CDN outage (seeded, reproducible).

Nothing here was observed: the shape follows the public account (image/video CDN errors from
about 12:02 UTC, worst in mid-afternoon UTC, fixed at 23:51 UTC) and the numbers are invented.
The combined log format has no room for a comment, so the label is the file name
(``data/examples/facebook-2019-07-03/synthetic-cdn-access.log``) and the README beside it.

    python data/make_cdn_log.py [output]   # default: data/examples/facebook-2019-07-03/synthetic-cdn-access.log
"""
from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

SEED = 20190703
START = datetime(2019, 7, 3, 0, 0, tzinfo=timezone.utc)
END = datetime(2019, 7, 4, 6, 0, tzinfo=timezone.utc)
ONSET = datetime(2019, 7, 3, 12, 2, tzinfo=timezone.utc)
PEAK = datetime(2019, 7, 3, 15, 0, tzinfo=timezone.utc)
FIXED = datetime(2019, 7, 3, 23, 51, tzinfo=timezone.utc)
PATHS = ("/v/t1.0-9/{}_n.jpg", "/v/t39.2365-6/{}_n.jpg", "/v/t42.9040-2/{}_n.mp4", "/safe_image.php?d={}")
AGENTS = ("Mozilla/5.0", "FBAndroidSDK", "Instagram 100.0", "WhatsApp/2.19")


def errors_per_minute(t: datetime, rnd: random.Random) -> int:
    """~0 before and after; from 6/min at onset up to ~10/min at the peak, easing to 5/min before the fix."""
    if not ONSET <= t < FIXED:
        return 1 if rnd.random() < 0.02 else 0
    if t <= PEAK:
        level = 6 + 4 * (t - ONSET) / (PEAK - ONSET)
    else:
        level = 10 - 5 * (t - PEAK) / (FIXED - PEAK)
    return max(5, round(level + rnd.choice((-1, 0, 0, 1))))


def lines(rnd: random.Random):
    t = START
    while t < END:
        n_err = errors_per_minute(t, rnd)
        n_ok = rnd.choice((1, 1, 2, 2)) if not ONSET <= t < FIXED else rnd.choice((0, 1, 1))
        stamps = sorted(t + timedelta(seconds=rnd.randrange(60)) for _ in range(n_err + n_ok))
        kinds = [True] * n_err + [False] * n_ok
        rnd.shuffle(kinds)
        for stamp, bad in zip(stamps, kinds):
            ip = f"{rnd.choice((31, 157, 179))}.{rnd.randrange(256)}.{rnd.randrange(256)}.{rnd.randrange(1, 255)}"
            path = rnd.choice(PATHS).format(rnd.randrange(10**8, 10**9))
            status, size = (rnd.choice((502, 503, 503, 504)), 0) if bad else (200, rnd.randrange(2000, 90000))
            yield (f'{ip} - - [{stamp:%d/%b/%Y:%H:%M:%S} +0000] "GET {path} HTTP/1.1" {status} {size} '
                   f'"-" "{rnd.choice(AGENTS)}"')
        t += timedelta(minutes=1)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).parent / "examples" / "facebook-2019-07-03" / "synthetic-cdn-access.log"
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="ascii", newline="\n") as f:
        for line in lines(random.Random(SEED)):
            f.write(line + "\n")
    print(f"wrote {out} ({out.stat().st_size} bytes) - SYNTHETIC data")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
