"""ctkg: a knowledge graph of counter-terrorism obligations in UN Security Council resolutions."""
__version__ = "0.1.0"

from ctkg.api import extract

__all__ = ["__version__", "extract"]
