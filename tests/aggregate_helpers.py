"""Two generated logs for the aggregate tests: year-less syslog across New Year, ISO with offsets."""
import random
from datetime import datetime, timedelta


def write_logs(folder, lines=10_000):
    rnd = random.Random(3)
    syslog, app = folder / "edge.log", folder / "api.log"
    with open(syslog, "w") as fh:
        t = datetime(2019, 12, 31, 23, 0)
        for i in range(lines):
            t += timedelta(seconds=rnd.randrange(0, 2))
            msg = "upstream error: refused" if rnd.random() < 0.1 else "request ok"
            fh.write(f"{t:%b} {t.day:2d} {t:%H:%M:%S} edge nginx[{i % 9}]: {msg}\n")
    with open(app, "w") as fh:
        t = datetime(2019, 7, 3, 12, 0)
        for i in range(lines):
            t += timedelta(seconds=rnd.randrange(0, 2))
            level = rnd.choice(["ERROR", "INFO", "INFO", "WARN", "error"])
            zone = rnd.choice(["Z", "+02:00", "-0400"])
            fh.write(f"{t:%Y-%m-%dT%H:%M:%S}.{i % 1000:03d}{zone} {level} worker handled job {i}\n")
    return syslog, app
