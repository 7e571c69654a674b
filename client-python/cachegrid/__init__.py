"""CacheGrid Python client: ``from cachegrid.client import CacheGridClient, SyncCacheGridClient``."""

from cachegrid.client import CacheGridClient, SyncCacheGridClient
from cachegrid.exceptions import (
    CacheGridBadRequestError,
    CacheGridError,
    CacheGridTimeoutError,
    CacheGridUnavailableError,
)

__all__ = [
    "CacheGridClient",
    "SyncCacheGridClient",
    "CacheGridError",
    "CacheGridUnavailableError",
    "CacheGridTimeoutError",
    "CacheGridBadRequestError",
]
