"""outagetl: reconstruct the UTC timeline of an outage from what was written about it."""
__version__ = "0.1.0"
