"""Show related content in the reader's language.

Relations from a page to other pages or snippets (issued by, fields of work,
countries) are stored once, on the source-language page, and wagtail-localize
copies them unchanged into every translation. So a Russian news item points at
the English field of work. Rather than trust the stored row, we display the
related object's translation in the page's locale, found through its
``translation_key``: one query per relation, whatever the number of objects.
"""


def localized_map(objects, locale, model):
    """Map each object's translation_key to its translation in ``locale``.

    Pages are only replaced by live, public translations. Objects without a
    translation map to themselves. No query when all are in ``locale`` already.
    """
    from wagtail.models import Page

    objects = list(objects)
    result = {obj.translation_key: obj for obj in objects}
    missing = {obj.translation_key for obj in objects if obj.locale_id != locale.pk}
    if missing:
        translations = model.objects.filter(translation_key__in=missing, locale=locale)
        if issubclass(model, Page):
            # public() runs a query as soon as it is called: only call it when needed.
            translations = translations.live().public()
        for translation in translations:
            result[translation.translation_key] = translation
    return result
