"""Seeded permuted-block randomization: which variant the n-th unit of an experiment gets.

Units (tasks, or writers) are numbered 0, 1, 2, … in the order they join. They are cut
into blocks of one slot per variant; each block is a permutation of the variants drawn
from a generator seeded by (experiment seed, block number). So the same seed gives the
same sequence whatever else happens, and after any number of units the variants' counts
differ by at most one. Pure Python: no Django.
"""

import random


def block_order(seed: int, block: int, variants: int) -> list[int]:
    """The variants' indexes in the order block `block` hands them out."""
    order = list(range(variants))
    random.Random(f"{seed}:{block}").shuffle(order)
    return order


def variant_index(seed: int, position: int, variants: int) -> int:
    """The index of the variant the unit at `position` (0-based) is given."""
    if variants < 1:
        raise ValueError("an experiment needs at least one variant")
    block, slot = divmod(position, variants)
    return block_order(seed, block, variants)[slot]
