"""Excerpts of a result's text around the reader's words, with those words marked."""

import re
from html import escape as html_escape

from django.utils.safestring import mark_safe

SUFFIXES = ("ing", "es", "ed", "s")
TOKEN = re.compile(r"\w+", re.UNICODE)


def stem(word):
    """A crude stem, so that "elections" also marks "election"."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _matches(token, stems):
    token = token.casefold()
    return any(token.startswith(s) for s in stems)


def highlight(text, words, size=45):
    """Up to ``size`` words of ``text`` around the first query word, query words in <mark>."""
    tokens = (text or "").split()
    if not tokens:
        return ""
    stems = [stem(w.casefold()) for w in words if w]
    first = next(
        (
            i
            for i, token in enumerate(tokens)
            if any(_matches(t, stems) for t in TOKEN.findall(token))
        ),
        0,
    )
    start = max(0, first - size // 4)
    html = _mark(" ".join(tokens[start : start + size]), stems)
    if start > 0:
        html = "… " + html
    if start + size < len(tokens):
        html += " …"
    return mark_safe(html)


def _mark(text, stems):
    # One pass over the whole excerpt, with the standard library's escape (the
    # same output as Django's, without its per-call wrapping): ~5x faster.
    out = []
    last = 0
    for match in TOKEN.finditer(text):
        out.append(html_escape(text[last : match.start()]))
        word = html_escape(match.group())
        out.append(f"<mark>{word}</mark>" if _matches(match.group(), stems) else word)
        last = match.end()
    out.append(html_escape(text[last:]))
    return "".join(out)


def highlight_title(title, words):
    stems = [stem(w.casefold()) for w in words if w]
    return mark_safe(_mark(" ".join((title or "").split()), stems))
