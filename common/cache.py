"""The Django cache on a Redis that may be away."""

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _missing_key(key: str, *args: object, **kwargs: object) -> int:
    raise ValueError(f"Key '{key}' not found")


def _or_else(method: Callable[..., Any], fallback: Callable[..., Any]) -> Callable[..., Any]:
    """``method``, answering ``fallback(*args, **kwargs)`` when Redis cannot be reached."""

    @functools.wraps(method)
    def fail_soft(self: RedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as error:
            logger.warning("cache %s skipped, Redis is unreachable: %s", method.__name__, error)
            return fallback(*args, **kwargs)

    return fail_soft


class FailSoftRedisCache(RedisCache):
    """Django's Redis cache, behaving as an empty cache that keeps nothing while
    Redis cannot be reached, instead of raising.

    Runway keeps nothing in the cache that it cannot lose (sessions and the
    log-in lock-out live in the database), so a Redis that is down costs only
    what the cache saves: the API's rate limits find no count and let requests
    through until it is back. Each skipped call is logged as a warning, and
    ``/healthz`` still reports the cache down, as the value it writes does not
    come back. The async methods go through these.
    """

    add = _or_else(RedisCache.add, lambda *args, **kwargs: False)
    get = _or_else(RedisCache.get, lambda key, default=None, version=None: default)
    set = _or_else(RedisCache.set, lambda *args, **kwargs: None)
    touch = _or_else(RedisCache.touch, lambda *args, **kwargs: False)
    delete = _or_else(RedisCache.delete, lambda *args, **kwargs: False)
    get_many = _or_else(RedisCache.get_many, lambda *args, **kwargs: {})
    has_key = _or_else(RedisCache.has_key, lambda *args, **kwargs: False)
    incr = _or_else(RedisCache.incr, _missing_key)
    # set_many answers the keys it could not store: all of them.
    set_many = _or_else(RedisCache.set_many, lambda data, *args, **kwargs: list(data))
    delete_many = _or_else(RedisCache.delete_many, lambda *args, **kwargs: None)
    clear = _or_else(RedisCache.clear, lambda *args, **kwargs: False)
