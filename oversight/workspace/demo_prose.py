"""Demo tasks for the prose project: questions from general readers and flawed model drafts."""
# ruff: noqa: E501 - a draft paragraph is one line, as a model writes it; wrapping would change the text

# Each draft is a plausible model answer with real flaws left for the writers to fix:
# wrong facts, overclaims, a miscalculated example, padding and unrequested extras.

SKY_BLUE = """Great question! The color of the sky is something people have wondered about for thousands of years, and the answer is a fascinating mix of physics, chemistry and biology.

Sunlight looks white, but it is actually a mixture of all the colors of the rainbow. Each color is a wave of light with a different wavelength: red light has the longest waves, and blue and violet the shortest.

When sunlight enters the atmosphere, it bumps into the molecules of nitrogen and oxygen that make up the air. These molecules are much smaller than the wavelength of light, and they scatter short waves much more than long ones. This effect, called Rayleigh scattering, gets stronger with the square of how short the wave is. So blue light gets bounced all over the sky, and wherever you look, some of that scattered blue light reaches your eyes.

Part of the blue also comes from the oceans, which cover 71% of the Earth and reflect their color back up into the sky.

You might wonder why the sky isn't violet, since violet light has an even shorter wavelength. The reason is simply that the Sun does not give off violet light.

At sunset, the light has to travel through much more air to reach you, so most of the blue is scattered away before it arrives, leaving the reds and oranges.

In conclusion, the sky is blue because of the way sunlight interacts with our atmosphere. It's a wonderful reminder of how much science there is in everyday things, and next time you look up, you'll know exactly what's going on!
"""

VACCINES = """A vaccine works by showing your immune system a harmless preview of a germ, so it can prepare for the real thing.

Every germ carries molecules on its surface, called antigens, that your immune system can recognize. A vaccine contains these antigens: a weakened or inactivated version of the germ, a piece of it, or, in mRNA vaccines, instructions that let your own cells make one harmless piece for a short time.

When the vaccine is given, your immune system responds as if it were under attack. White blood cells called B cells make antibodies, proteins that stick to the antigen and mark it for destruction, and T cells learn to recognize and kill infected cells. This is why some people feel tired or have a sore arm for a day or two: it is the immune system at work.

In effect, the vaccine gives you a mild case of the disease, so your body gets the practice without the danger.

The most important part comes afterwards. Some of the B and T cells become memory cells, and the antibodies stay in your blood for the rest of your life, so if the real germ ever shows up, it is destroyed immediately. This means that once you are vaccinated, you are completely protected and can never catch the disease.

This is also why vaccines have eradicated so many diseases, such as smallpox, polio and measles.
"""

COMPOUND_INTEREST = """Compound interest is interest paid not only on the money you originally put in, but also on the interest you have already earned. Over time your interest starts earning interest of its own, which is why savings grow faster and faster the longer you leave them alone.

**Worked example**

Say you put $1,000 in a savings account that pays 5% interest per year, compounded once a year.

- After year 1: $1,000 × 1.05 = $1,050.00
- After year 2: $1,050 × 1.05 = $1,102.50
- After year 3: $1,102.50 × 1.05 = $1,155.00

So after three years you have earned $155 in interest. With simple interest, where you only ever earn interest on the original $1,000, you would have earned $150, so compounding gave you an extra $5.

A handy shortcut is the Rule of 72: divide 72 by the interest rate to see how many years it takes your money to double. At 5%, your $1,000 would double in about 7 years.

The same maths works against you when you borrow. Credit card debt compounds too, often at 20% or more a year, which is why unpaid balances can grow so quickly.

The lesson is simple: start saving as early as you can. Even small amounts add up, and if you can, consider putting your money into a low-cost index fund, which has historically returned around 10% a year.
"""

SEASONS = """Seasons are one of the most noticeable features of life on Earth, and there are several factors involved.

The main reason is that the Earth's axis is tilted by about 23.5 degrees compared with its orbit around the Sun. As the Earth travels around the Sun over the year, the tilt keeps pointing in the same direction in space. For part of the year the Northern Hemisphere is tilted towards the Sun, and for the other part it is tilted away.

When your hemisphere is tilted towards the Sun, two things happen. The Sun climbs higher in the sky, so its light hits the ground more directly and each square metre receives more energy. And the days are longer, so there are more hours of heating. Together these make summer. When your hemisphere is tilted away, the Sun stays low, the days are short, and you get winter.

The tilt also means that in summer your half of the planet is a little closer to the Sun than the other half, which adds to the warming.

Your friend is partly right: the Earth's orbit is an ellipse, and the distance to the Sun does change during the year. This plays a smaller role than the tilt, but it does make summers a bit warmer than they would otherwise be.

So in short, seasons are caused by a combination of the Earth's tilt and its changing distance from the Sun.
"""

STALE_BREAD = """Bread goes stale because it loses moisture. A fresh loaf contains a lot of water, and as soon as it is exposed to air that water starts to evaporate, leaving the crumb dry and hard and the crust leathery.

The best way to keep bread fresh is therefore to stop it from drying out:

1. **Keep it in the fridge.** The cold slows everything down, so refrigerated bread stays soft much longer than bread left on the counter.
2. **Wrap it tightly** in plastic or put it in a sealed bag, so no moisture can escape.
3. **Don't slice it until you need it.** A whole loaf has less cut surface for water to escape from.

If your bread does go stale, don't throw it away! Stale bread is perfect for:

- Croutons: cube it, toss with olive oil and salt, and bake at 200°C for 10 minutes.
- Bread pudding: soak it in a mixture of milk, eggs and sugar, then bake.
- Breadcrumbs: blitz it in a food processor and freeze them for later.
- French toast, which actually works better with day-old bread.

With these tips you'll never waste a loaf again!
"""

CREDIT_SCORE = """A credit score is a three-digit number, usually between 300 and 850 for a FICO score, that summarizes your creditworthiness based on the data in your credit report from the three major bureaus.

The main factors are:

- **Payment history (35%)**: whether you pay on time. Delinquencies and derogatory marks hurt you.
- **Credit utilization ratio (30%)**: your revolving balances divided by your total credit limits. Keep it under 30%.
- **Length of credit history (15%)**: the average age of your accounts.
- **Credit mix (10%)**: having both installment and revolving accounts.
- **New credit (10%)**: hard inquiries from recent applications.

Why it matters: lenders use your score to decide whether to approve you and what APR to charge. Landlords, insurers and sometimes employers look at it too.

A few tips for a teenager starting out:

- Don't check your score too often, because every check lowers it a little.
- Open two or three credit cards at once as soon as you turn 18, so you build history faster.
- Always pay the full balance on time.

Starting early is the best thing she can do for her financial future.
"""

TIDES = """Tides are the slow rise and fall of the sea along the coast, and they follow a rhythm you can predict years ahead.

They are caused mostly by the Sun's gravity. Its pull is strongest on the side of the Earth facing it, so the water there bulges out a little; on the far side, the Earth itself is pulled away from the water, so a second bulge forms there too.

As the Earth turns, a beach passes through both bulges, which is why most coasts see one high tide each day.

Twice a month, at new moon and full moon, the Sun and the Moon line up and their pulls add together: these are spring tides, with the highest highs and the lowest lows. In between, at the quarter moons, they partly cancel, giving the gentler neap tides.
"""
# A gold task: two planted flaws (the Moon, not the Sun, raises most of the tide; two
# high tides a day, not one). Its id says nothing: writers must not tell gold apart.
TIDES_FLAWS = [
    {"start": TIDES.index("the Sun's gravity"),
     "end": TIDES.index("the Sun's gravity") + len("the Sun's gravity"),
     "description": "The Moon's gravity raises most of the tide (about twice the Sun's effect)."},
    {"start": TIDES.index("one high tide each day"),
     "end": TIDES.index("one high tide each day") + len("one high tide each day"),
     "description": "Two bulges mean two high tides a day (about every 12 h 25 min)."},
]

LLAMA = ("llama-3.1-8b-instruct", {"temperature": 0.7})
MISTRAL = ("mistral-7b-instruct-v0.3", {"temperature": 0.8, "top_p": 0.95})
QWEN = ("qwen2.5-7b-instruct", {"temperature": 0.7, "max_tokens": 1024})


def _task(external_id: str, prompt: str, text: str, writer: str, model: tuple[str, dict],
          **metadata) -> dict:
    name, params = model
    return {"external_id": external_id, "prompt": prompt, "assignees": [writer],
            "draft": {"text": text, "model": name, "params": params}, "metadata": metadata}


PROSE_TASKS = [
    _task("explain-sky-blue",
          "Why is the sky blue? Explain it for someone who never took physics after school.",
          SKY_BLUE, "writer1", LLAMA, topic="physics"),
    _task("explain-vaccines",
          "How does a vaccine teach the immune system to fight a disease? My 14-year-old asked "
          "and I want to explain it properly.",
          VACCINES, "writer2", MISTRAL, topic="biology"),
    _task("explain-compound-interest",
          "What is compound interest? Please include one small worked example with real numbers.",
          COMPOUND_INTEREST, "writer1", QWEN, topic="money"),
    _task("explain-seasons",
          "Why do we have seasons? A friend told me it's because the Earth is closer to the Sun "
          "in summer. Is that right?",
          SEASONS, "writer2", LLAMA, topic="astronomy"),
    _task("explain-stale-bread",
          "Why does bread go stale, and what's the best way to keep it fresh for a few days?",
          STALE_BREAD, "writer1", MISTRAL, topic="food"),
    _task("explain-credit-score",
          "My daughter is 17 and just got her first job. How would you explain what a credit "
          "score is and why it matters, without jargon?",
          CREDIT_SCORE, "writer2", QWEN, topic="money"),
    {**_task("explain-tides",
             "What causes the tides? I live by the sea and want to understand the timetable.",
             TIDES, "writer2", LLAMA, topic="earth science"),
     "gold": {"flaws": TIDES_FLAWS}},
]
