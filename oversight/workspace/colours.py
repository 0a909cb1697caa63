"""A stable colour per user, the same one the editor gives their caret."""

import hashlib

# One palette for the editor's carets and the review player's change colours, so
# an author's changes in the player wear the colour of their caret.
PALETTE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6",
           "#469990", "#9a6324", "#800000", "#808000", "#000075"]


def user_colour(username: str) -> str:
    """Return the user's colour."""
    digest = hashlib.sha256(username.encode()).digest()
    return PALETTE[digest[0] % len(PALETTE)]
