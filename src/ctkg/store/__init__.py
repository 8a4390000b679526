"""Stores: the embedded persistent default (pyoxigraph) behind one small protocol.

``open_store(None)`` opens the default store, ``open_store("memory:")`` an
in-memory one, and ``open_store(path)`` a persistent store in that folder.
"""

from __future__ import annotations

from ctkg.store.local import DEFAULT_STORE_ENV, OxigraphStore, default_store_path, open_store

__all__ = ["DEFAULT_STORE_ENV", "OxigraphStore", "default_store_path", "open_store"]
