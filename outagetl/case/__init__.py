"""Case files: one incident's sources and decisions in an SQLite file, built by the same pipeline.

``Case.create``/``Case.open`` give a ``Case``; ``add`` stores sources, ``record``/``undo`` keep the
decisions (``outagetl.decisions``), ``build`` returns the same ``Build`` as ``outagetl.pipeline.build``.
"""
from .schema import VERSION, CaseError
from .store import Added, AddStatus, Case, NotInCase, StoredSource, who

__all__ = ["VERSION", "Added", "AddStatus", "Case", "CaseError", "NotInCase", "StoredSource", "who"]
