"""govcloud: plan the consolidation of government IT onto one cloud and one network."""

__version__ = "0.1.0"
