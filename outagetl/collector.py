"""When Python's cycle collector runs during a build, and what it looks at.

A build allocates millions of small containers (matches' dicts, spans, readings, claims), almost
all of them freed within the sentence or story that made them, and makes few cycles (a parsed
HTML page's tree is one). The collector passes over the young objects each time allocations
outnumber frees by its first threshold (700), over older ones every tenth pass, and over every
object the build holds now and then: 2,000 stories read in one process took 390 passes, 35 of
them over the older objects and 2 over all (0.13 s of 3.1 s, and the caches they flushed). A
build that lets many more objects come first (``seldom``) finds most of them already freed: 23
passes, 0.035 s; the CLI on those stories, on two cores, 1.89 s instead of 2.07. Merge also
sets the objects that exist before it aside while it runs (``new_objects_only``).
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG = 100_000
"""Allocations (net of frees) between two passes over the youngest objects while a build runs:
a pass then waits for at most this many unreachable containers (some tens of MB at most). On
the 2,000 stories, 50,000 gave 1.93 s, 100,000 1.89 s, 200,000 1.87 s (noise), and the
collector turned off 1.88 s."""


@contextmanager
def seldom() -> Iterator[None]:
    """The collector's first threshold raised to ``YOUNG`` for the duration (processes forked
    meanwhile inherit it), then set back; not when the program set one higher, or 0 (automatic
    collection off)."""
    first, *rest = gc.get_threshold()
    if first == 0 or first >= YOUNG:
        yield
        return
    gc.set_threshold(YOUNG, *rest)
    try:
        yield
    finally:
        gc.set_threshold(first, *rest)


@contextmanager
def new_objects_only() -> Iterator[None]:
    """Python's cycle collector, while the block runs, looks at the block's own objects only.

    Merge allocates a container or two per claim (spans, readings, events) and makes no cycles,
    but each time its allocations cross the collector's threshold, the collector walks every
    object the build holds (documents, records, claims): a third of merge's CPU at 8,000 stories,
    and more per claim the more there are. ``gc.freeze`` sets the objects that exist now aside
    for the duration (``gc.unfreeze`` gives them back, to be collected as before); not when the
    program has frozen objects of its own, or has turned the collector off."""
    if not gc.isenabled() or gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
