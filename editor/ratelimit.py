"""A per-connection token bucket: a steady rate with room for bursts (pastes, resync)."""

import time


class TokenBucket:
    def __init__(self, rate_per_second: float, burst: int):
        self.rate = rate_per_second
        self.capacity = float(burst)
        self.tokens = float(burst)
        self.stamp = time.monotonic()

    def take(self) -> bool:
        """Spend one token; False when the bucket is empty (the sender floods)."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True
