"""Write the synthetic relay syslog and the metrics export of this fictitious incident (seeded).

    python tests/data/make_larkspur_logs.py
"""
import random
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).parent / "mixed-larkspur"
START, END = datetime(2021, 1, 4, 12, 0), datetime(2021, 1, 4, 21, 0)
BURST = (datetime(2021, 1, 4, 14, 52), datetime(2021, 1, 4, 18, 41))


def main() -> None:
    rng = random.Random(20210104)
    lines, buckets = [], {}
    t = START
    while t < END:
        broken = BURST[0] <= t < BURST[1]
        for _ in range(6):
            at = t + timedelta(seconds=rng.randrange(60))
            relay = f"relay-{rng.randrange(1, 4)}"
            pid = rng.randrange(2000, 9000)
            if broken and rng.random() < 0.8 or rng.random() < 0.01:
                msg = f"postfix/smtp[{pid}]: error: connect to mx.larkspur.example[203.0.113.{rng.randrange(2, 250)}]:25: 421 service unavailable"
                err = 1
            else:
                msg = f"postfix/smtp[{pid}]: {rng.randrange(16**9, 16**10):X}: to=<user{rng.randrange(999)}@example.org>, status=sent (250 2.0.0 Ok)"
                err = 0
            lines.append((at, f"{at:%b} {at.day:2d} {at:%H:%M:%S} {relay} {msg}"))
            bucket = at.replace(minute=at.minute - at.minute % 5, second=0)
            total, errors = buckets.get(bucket, (0, 0))
            buckets[bucket] = (total + 40, errors + 40 * err)
        t += timedelta(minutes=1)
    lines.sort()
    (HERE / "relay-syslog.log").write_text("".join(line + "\n" for _, line in lines))
    rows = ["time_bucket,total,errors"] + [f"{b:%Y-%m-%dT%H:%M:00Z},{v[0]},{v[1]}" for b, v in sorted(buckets.items())]
    (HERE / "smtp-metrics.csv").write_text("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
