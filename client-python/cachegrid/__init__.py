"""CacheGrid Python client: ``from cachegrid.client import CacheGridClient, SyncCacheGridClient, Versioned``."""

from cachegrid.client import CacheGridClient, SyncCacheGridClient, Versioned
from cachegrid.exceptions import (
    CacheGridBadRequestError,
    CacheGridError,
    CacheGridTimeoutError,
    CacheGridUnavailableError,
)

__all__ = [
    "CacheGridClient",
    "SyncCacheGridClient",
    "Versioned",
    "CacheGridError",
    "CacheGridUnavailableError",
    "CacheGridTimeoutError",
    "CacheGridBadRequestError",
]
