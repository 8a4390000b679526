"""Ingest: bytes on disk to located, decoded resolution text."""

from ctkg.ingest.readers import Source, read_source

__all__ = ["Source", "read_source"]
