"""64-bit SimHash fingerprints (Charikar 2002) for near-duplicate stories.

Each feature is hashed to 64 bits (BLAKE2b); for every bit position the fingerprint takes the
weighted majority of the features' bits. Texts sharing most features get fingerprints that differ in
few bits. Manku, Jain and Das Sarma (WWW 2007) find near duplicates with a Hamming distance of at
most 3 between 64-bit fingerprints, looked up through 4 bands of 16 bits: by the pigeonhole
principle two fingerprints at distance <= 3 agree exactly on at least one band, so only the rows
sharing a band need comparing (see docs/suggestions.md for the threshold on our data).

Counting 64 bit positions per feature in Python is the slow part, so the counters are packed:
each feature's bits are spread into 64 lanes of 16 bits of one integer (through a per-byte table,
and cached per feature), and adding those integers adds all 64 counters at once.
"""

from __future__ import annotations

import hashlib
import sys
from array import array
from collections.abc import Iterable

BITS = 64
MASK = (1 << BITS) - 1
LANE = 16  # bits per counter: weighted feature counts stay below 65536
MAX_WEIGHT_TOTAL = (1 << LANE) - 1
BAND_BITS = 16
BANDS = BITS // BAND_BITS
_POWERS = [1 << bit for bit in range(BITS)]

MAX_CACHED = 100_000
# _SPREAD[b]: the 8 bits of byte b, each moved to the bottom of its own 16-bit lane.
_SPREAD = [sum(1 << (LANE * i) for i in range(8) if b >> i & 1) for b in range(256)]
_spreads: dict[str, int] = {}


def _spread(feature: str) -> int:
    spread = _spreads.get(feature)
    if spread is None:
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        spread = 0
        for index, byte in enumerate(digest):
            spread |= _SPREAD[byte] << (LANE * 8 * index)
        if len(_spreads) >= MAX_CACHED:
            _spreads.clear()
        _spreads[feature] = spread
    return spread


def simhash(features: Iterable[tuple[str, int]]) -> int:
    """The unsigned 64-bit fingerprint of weighted features; 0 for no feature."""
    counters, total = 0, 0
    for feature, weight in features:
        if total + weight > MAX_WEIGHT_TOTAL:
            break  # long texts: the first few thousand features decide
        counters += _spread(feature) * weight
        total += weight
    lanes = array("H", counters.to_bytes(BITS * LANE // 8, "little"))
    if sys.byteorder == "big":
        lanes.byteswap()
    half = total / 2
    return sum(power for power, count in zip(_POWERS, lanes, strict=True) if count > half)


def to_signed(value: int) -> int:
    """The fingerprint as a signed 64-bit integer (what a BigIntegerField stores)."""
    return value - (1 << BITS) if value >= 1 << (BITS - 1) else value


def bands(value: int) -> tuple[int, ...]:
    """The 4 bands of 16 bits of a fingerprint (signed or not), lowest first."""
    value &= MASK  # written out: ingest computes this for every neighbour it reads
    return (value & 0xFFFF, (value >> 16) & 0xFFFF, (value >> 32) & 0xFFFF, value >> 48)


def distance(a: int, b: int) -> int:
    """Hamming distance between two fingerprints (signed or not)."""
    return ((a ^ b) & MASK).bit_count()
