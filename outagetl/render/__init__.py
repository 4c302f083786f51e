"""Renderers: a Timeline in, text out. Each format is one module with ``render(timeline) -> str``."""
from . import csv, json, markdown, table

FORMATS = {"table": table.render, "markdown": markdown.render, "json": json.render, "csv": csv.render}
