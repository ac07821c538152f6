"""Text from editors and importers, made safe for XML, JSON and HTML.

Word processors paste characters that no XML document may contain: U+000B (a manual line
break in Word), U+000C (a page break), and other C0 controls. A feed holding one fails to
build. They are turned into what the writer meant, a line break or a space, and the rest
of the controls (and lone surrogates, which no UTF-8 document can carry) are dropped, so
no text is lost that a reader could see.
"""

import re

LINE_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean_text(value, single_line=False):
    """``value`` without characters XML forbids; line breaks become spaces if ``single_line``."""
    if not isinstance(value, str) or not value:
        return value
    value = INVISIBLE.sub("", LINE_BREAKS.sub("\n", value))
    if single_line:
        value = " ".join(value.split())
    return value


def clean_text_fields(instance):
    """Clean every text field of a model instance in place, titles on one line."""
    from django.db import models

    for field in instance._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
            value = getattr(instance, field.attname)
            single_line = isinstance(field, models.CharField)
            cleaned = clean_text(value, single_line=single_line)
            if cleaned != value:
                setattr(instance, field.attname, cleaned)
