#!/usr/bin/env python3
# Tests (stories evaluation set): writes the copy variants of the ten wire stories
# texts/<event>-a.md (each variant a realistic difference a desk sees between two
# copies of one story) and pairs.tsv, which lists them with the different-story
# pairs (other reports of the same event, stories sharing names, follow-ups).
# The hand-written texts are the *.md files without a kind in their name; every
# texts/<event>-a.<kind>.* file is generated: edit this script, not them, and rerun
# it (python3 tests/data/stories/make_copies.py). All texts were written for the
# project (fictional places and people).
import os
import re
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
TEXTS = os.path.join(HERE, "texts")

# Per event: a closing paragraph a later copy adds, a one-word correction, a
# revised headline, a changed dateline (None: the copy drops it).
SPEC = {
    "harbour": dict(
        extra="Talks between the two sides are expected to resume under a state mediator "
        "later this week, according to a person familiar with the matter.",
        fix=("2,300", "2,500"), headline="Valmora port strike strands ships over night pay",
        dateline="VALMORA (Coastal Courier) - "),
    "election": dict(
        extra="Both campaigns said they would accept the result once the commission "
        "certifies it, expected within ten days.",
        fix=("Sunday", "Saturday"), headline="Northmark governor race: Brandt ahead, Reyes waits for rural vote",
        dateline=None),
    "bank": dict(
        extra="Separately, the bank said it would keep buying government bonds at the current "
        "pace until the end of the year.",
        fix=("third", "fourth"), headline="Arland lifts key rate again, warns on services inflation",
        dateline=None),
    "quake": dict(
        extra="Neighbouring countries offered help, and a rescue team from the capital's fire "
        "brigade arrived by road in the evening.",
        fix=("48", "53"), headline="Quake in Sarvek highlands injures dozens, cuts roads",
        dateline="Sarvek, Aug. 8 (Highland Post) — "),
    "transfer": dict(
        extra="Riverton have also asked about a young goalkeeper from the same club, local "
        "newspapers reported.",
        fix=("24", "25"), headline="Record fee: Moretti joins Riverton",
        dateline="RIVERTON (Newshound Wire) - "),
    "breach": dict(
        extra="The company said it would offer affected staff two years of free credit "
        "monitoring.",
        fix=("Monday", "Tuesday"), headline="Hackers take bank details of 1.4 million in Quillon attack",
        dateline=None),
    "summit": dict(
        extra="Several ministers left Port Elmer on the first morning flights, some of them "
        "still carrying their delegation badges.",
        fix=("140", "142"), headline="Port Elmer summit agrees adaptation fund after overtime talks",
        dateline="Port Elmer, Nov. 30 — "),
    "trial": dict(
        extra="The hearing continues on Wednesday with evidence from the city's former head "
        "of procurement.",
        fix=("61", "62"), headline="Halberg ex-mayor pleads not guilty to bribery",
        dateline="HALBERG (Newshound Wire) - "),
    "fire": dict(
        extra="Late on Saturday, officials said a shift in the wind had pushed the fire "
        "north, away from the town.",
        fix=("3,000", "3,500"), headline="Cedar Hollow evacuated as wildfire nears town",
        dateline="Cedar Hollow, July 19 - "),
    "drug": dict(
        extra="The company said it would present more detailed trial results at a cardiology "
        "congress in September.",
        fix=("21 percent", "22 percent"), headline="Corvitab wins approval for heart failure",
        dateline="BASEL (Pharma Desk) - "),
}

DATELINE = re.compile(r"^[A-Z][A-Z ]+, [A-Z][a-z]+ \d+ \(Newshound Wire\) - ")
LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
BOLD = re.compile(r"\*\*([^*]*)\*\*")


def read(event):
    with open(os.path.join(TEXTS, event + "-a.md"), encoding="utf-8") as f:
        head, _, body = f.read().partition("\n\n")
    return head, [p for p in body.strip().split("\n\n")]


def smart(s):
    s = re.sub(r'"([^"]*)"', "\u201c\\1\u201d", s)
    s = re.sub(r"(\w)'(\w)", "\\1\u2019\\2", s)
    return s.replace(" - ", " \u2014 ")


def to_text(paras):
    return [BOLD.sub(r"\1", LINK.sub(r"\1", p)) for p in paras]


def to_html(paras):
    out = []
    for p in paras:
        p = p.replace("&", "&amp;")
        p = LINK.sub(r'<a href="\2">\1</a>', p)
        p = BOLD.sub(r"<strong>\1</strong>", p)
        p = re.sub(r'"([^"]*)"', r"&ldquo;\1&rdquo;", p)
        p = p.replace("'", "&#8217;")
        out.append("<p>" + p + "</p>")
    return out


def rewrap(paras, width):
    # Hard-wrapped like a text copy: a leading space, trailing blanks on some lines.
    out = []
    for i, p in enumerate(paras):
        lines = textwrap.wrap(p, width)
        if i % 3 == 0:
            lines[0] += " "
        out.append("\n".join(lines))
    return out


def links_changed(paras):
    out = [LINK.sub(lambda m: "[%s](https://news.example.net/2026/%s?utm_source=wire)"
                    % (m.group(1), m.group(1).replace(" ", "-")), p) for p in paras]
    out.insert(3, "https://video.example.net/watch?v=Qx81Zp0\nhttps://www.example.net/related/story-1442")
    return out


def dateline(paras, new):
    first = DATELINE.sub(new or "", paras[0])
    assert first != paras[0], "no dateline"
    return [first] + paras[1:]


def write(event, kind, head, paras, ext="md"):
    name = "%s-a.%s.%s" % (event, kind, ext)
    with open(os.path.join(TEXTS, name), "w", encoding="utf-8") as f:
        f.write(head + "\n\n" + "\n\n".join(paras) + "\n")
    return name


def copies():
    pairs = []

    def add(kind, event, b, a=None):
        pairs.append(("same", kind, a or event + "-a.md", b))

    for event in ["harbour", "bank", "quake", "summit", "drug"]:
        head, paras = read(event)
        add("rewrapped", event, write(event, "rewrapped", head, rewrap(paras, 64 + len(event))))
    for event in ["election", "transfer", "breach", "trial", "fire"]:
        head, paras = read(event)
        add("smart-quotes", event, write(event, "smart", smart(head), [smart(p) for p in paras]))
    for event in ["harbour", "election", "quake", "breach", "summit", "bank", "fire"]:
        head, paras = read(event)
        add("markdown-vs-html", event, write(event, "html", head, to_html(paras), "html"))
    for event in ["bank", "transfer", "trial", "fire", "drug", "election"]:
        head, paras = read(event)
        add("markdown-vs-text", event, write(event, "text", head, to_text(paras), "txt"))
    for event in ["election", "bank", "fire"]:
        add("html-vs-text", event, event + "-a.text.txt", event + "-a.html.html")
    for event in ["harbour", "election", "breach", "drug"]:
        head, paras = read(event)
        add("links-changed", event, write(event, "links", head, links_changed(paras)))
    for event in ["bank", "quake", "trial", "summit", "drug"]:
        head, paras = read(event)
        add("dateline-changed", event, write(event, "dateline", head, dateline(paras, SPEC[event]["dateline"])))
    for event in ["harbour", "transfer", "breach", "fire", "drug"]:
        head, paras = read(event)
        add("paragraph-added", event, write(event, "added", head, paras + [SPEC[event]["extra"]]))
    for event in ["election", "bank", "quake", "summit", "trial"]:
        head, paras = read(event)
        add("paragraph-cut", event, write(event, "cut", head, paras[:-1]))
    for event in ["harbour", "bank", "transfer", "trial", "drug"]:
        head, paras = read(event)
        old, new = SPEC[event]["fix"]
        fixed = [p.replace(old, new, 1) for p in paras]
        assert fixed != paras, event
        add("one-word-correction", event, write(event, "fix", head, fixed))
    for event in ["election", "quake", "breach", "fire"]:
        head, paras = read(event)
        add("headline-changed", event, write(event, "headline", SPEC[event]["headline"], paras))
    # Like the seeds' text copies: no headline, no dateline, links as bare lines,
    # typographic quotes, hard-wrapped.
    for event in ["harbour", "summit", "transfer", "trial"]:
        head, paras = read(event)
        body = links_changed(to_text(dateline(paras, None)))
        body = rewrap([smart(p) for p in body], 92)
        add("web-vs-wire-text", event, write(event, "wire", "", body, "txt"))
    return pairs


def different():
    pairs = []
    for event in SPEC:
        for a, b in (("a", "b"), ("a", "c"), ("b", "c")):
            pairs.append(("different", "same-event", "%s-%s.md" % (event, a), "%s-%s.md" % (event, b)))
    for event, other in [("harbour", "names-kostava-rail"), ("bank", "names-hart-digital"),
                         ("breach", "names-natarajan-results"), ("transfer", "names-moretti-injury"),
                         ("trial", "names-lenz-arrest")]:
        pairs.append(("different", "same-names", event + "-a.md", other + ".md"))
    for event in ["fire", "harbour", "election"]:
        pairs.append(("different", "follow-up", event + "-a.md", "followup-%s.md" % event))
    return pairs


def main():
    for name in os.listdir(TEXTS):
        if re.match(r"^[a-z]+-a\.[a-z]+\.(md|txt|html)$", name):
            os.remove(os.path.join(TEXTS, name))
    pairs = copies() + different()
    with open(os.path.join(HERE, "pairs.tsv"), "w", encoding="utf-8") as f:
        f.write("# Generated by make_copies.py: same|different, kind of difference, a, b (texts/).\n")
        for p in pairs:
            f.write("\t".join(p) + "\n")


if __name__ == "__main__":
    main()
