"""The demo's overlap group: one prompt and draft given to three writers independently."""

RAINBOW = """\
Hello! Rainbows are one of nature's most beautiful sights.

A rainbow appears when sunlight shines through raindrops. Each drop works like a tiny prism: \
light bends as it enters the drop, reflects off the back of the drop, and bends again as it \
leaves. Because each colour bends by a different amount, white sunlight is split into its \
colours, from red on the outside to violet on the inside.

You can only see a rainbow when the Sun is in front of you and the rain is behind it. \
Rainbows are always a full circle, but the ground hides the bottom half, and every rainbow \
has exactly seven colours.

I hope this helps you enjoy the next rainbow you see!
"""

# Three writers, one line: the importer makes the siblings explain-rainbow/1 … /3.
OVERLAP_TASKS = [
    {"external_id": "explain-rainbow",
     "prompt": "How does a rainbow form? Explain it to a curious adult in a few short "
               "paragraphs.",
     "overlap": 3, "assignees": ["writer1", "writer2", "writer3"],
     "draft": {"text": RAINBOW, "model": "llama-3.1-8b-instruct",
               "params": {"temperature": 0.7}},
     "metadata": {"topic": "physics"}},
]
