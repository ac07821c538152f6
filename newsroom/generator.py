"""Generated news items for benchmarks and tests, clearly marked as generated.

Every title starts with "[Generated]" and every slug with "generated-", so such
items are never mistaken for real news and can be found and removed in bulk.
The text is assembled from the site's own structures, fields of work and
countries, so filters and facets behave as on a real archive. The word "osce"
is in every item; each word of ``RARE_WORDS`` in about one item in a thousand.
"""

import datetime
import json
import random

from wagtail.models import Locale

from directory.models import CountryPage, FieldOfWork, InstitutionPage

from .models import PublicationType

RARE_WORDS = ("dosimetry", "hydrography", "lexicography", "apiculture", "speleology")
ACTIONS = (
    "hosts a workshop on",
    "trains officials in",
    "supports national efforts on",
    "publishes a report on",
    "convenes experts to discuss",
    "launches a project on",
    "welcomes progress on",
    "holds a round table on",
)
AUDIENCES = (
    "police officers",
    "judges and prosecutors",
    "civil society representatives",
    "journalists",
    "young leaders",
    "border guards",
    "election officials",
    "women entrepreneurs",
    "parliamentarians",
    "customs officers",
)
SENTENCES = (
    "The event brought together {audience} from {country} and neighbouring participating States.",
    "Participants discussed good practices in {field} and agreed on next steps.",
    "The {issuer} will continue to support {country} in strengthening {field}.",
    "Experts presented recent findings and recommendations on {field}.",
    "The activity is part of a multi-year project funded by participating States.",
    "Speakers stressed the role of co-operation among OSCE participating States.",
    "A follow-up meeting with {audience} is planned for next year.",
    "The OSCE stands ready to assist {country} with expertise on {field}.",
)


def _vocabulary(language):
    locale = Locale.objects.get(language_code=language)
    issuers = list(
        InstitutionPage.objects.live().filter(locale=locale).values_list("slug", "title")
    )
    fields = list(FieldOfWork.objects.filter(locale=locale).values_list("slug", "name"))
    countries = list(CountryPage.objects.live().filter(locale=locale).values_list("slug", "title"))
    types = list(PublicationType.objects.filter(locale=locale).values_list("slug", flat=True))
    if not (issuers and fields and countries):
        raise ValueError(f"No structures, fields of work or countries in “{language}” yet.")
    return issuers, fields, countries, types


def generate(count, seed=1, language="en", start=datetime.date(2000, 1, 1)):
    """Yield ``count`` generated items as dicts, oldest first, spread until today."""
    rng = random.Random(seed)
    issuers, fields, countries, types = _vocabulary(language)
    span = max(1, (datetime.date.today() - start).days)
    for n in range(count):
        issuer = rng.choice(issuers)
        item_fields = rng.sample(fields, k=rng.choice((1, 1, 2, 3)))
        item_countries = rng.sample(countries, k=rng.choice((0, 1, 1, 2)))
        field_name = item_fields[0][1].lower()
        country_name = item_countries[0][1] if item_countries else "the OSCE region"
        words = {
            "audience": rng.choice(AUDIENCES),
            "country": country_name,
            "field": field_name,
            "issuer": issuer[1],
        }
        title = f"[Generated] OSCE {rng.choice(ACTIONS)} {field_name} in {country_name}"
        paragraphs = [
            " ".join(rng.choice(SENTENCES).format(**words) for _ in range(rng.randint(2, 4)))
            for _ in range(rng.randint(2, 5))
        ]
        if n % 1000 == 7:
            rare = RARE_WORDS[(n // 1000) % len(RARE_WORDS)]
            paragraphs.append(f"The programme also covered {rare}.")
        issued_on = start + datetime.timedelta(days=span * n // max(1, count))
        yield {
            "slug": f"generated-{n + 1:07d}",
            "title": title,
            "lead": (
                f"The {issuer[1]} {rng.choice(ACTIONS)} {field_name} for {words['audience']} "
                f"in {country_name}. This is generated sample content."
            ),
            "body": paragraphs,
            "issued_on": issued_on.isoformat(),
            "issuer": [issuer[0]],
            "fields_of_work": [slug for slug, _name in item_fields],
            "countries": [slug for slug, _name in item_countries],
            "type": rng.choice(types) if types else None,
            "language": language,
        }


def write_jsonl(stream, count, **kwargs):
    for item in generate(count, **kwargs):
        stream.write(json.dumps(item, ensure_ascii=False) + "\n")
