"""The reviewed Facebook inputs, copied to a scratch repo root so outputs name them as in the repository."""
import shutil
from pathlib import Path

from conftest import EXAMPLE

RELATIVE = "data/examples/facebook-2019-07-03"
INPUTS = ("000_218ec5be4a413192.txt", "001_05a724bd71759534.txt", "002_3827cacdeaa1e152.txt",
          "facebook-posts.json", "sources.toml")


def reviewed_example(root: Path) -> str:
    """Copy only the files the goldens were reviewed against; return the folder as given on the command line."""
    folder = root / RELATIVE
    folder.mkdir(parents=True)
    for name in INPUTS:
        shutil.copy(EXAMPLE / name, folder / name)
    return RELATIVE + "/"


HOSTILE_STORY = (
    "date 2019-07-03\n\n"
    '=HYPERLINK("http://evil.example/x","click") The outage began at 15:30 UTC, engineers said.\n\n'
    "The outage was resolved at 17:00 UTC, said <script>window.__pwned=1;alert(1)</script> the company"
    " & <img src=x onerror=\"window.__pwned=2\"> friends.\n"
)
