"""The region's IT ledger (一本账): model, schema, loading and validation."""

from govcloud.ledger.loader import LedgerInvalid, LoadResult, load, load_or_raise
from govcloud.ledger.model import Ledger

__all__ = ["Ledger", "LedgerInvalid", "LoadResult", "load", "load_or_raise"]
