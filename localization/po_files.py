"""PO files for a whole section: one file per page, in one zip archive, out and back in."""

import io
import os
import tempfile
import zipfile

import polib
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail_localize.models import Translation

from .roles import is_translator, translator_locales

MAX_FILES = 5000
MAX_FILE_BYTES = 2 * 1024 * 1024


def section_translations(section, locale):
    """wagtail-localize translations of ``section`` and its descendants into ``locale``."""
    pages = Page.objects.descendant_of(section, inclusive=True).filter(locale=section.locale_id)
    return (
        Translation.objects.filter(
            source__object_id__in=pages.values("translation_key"),
            source__locale=section.locale_id,
            target_locale=locale,
            enabled=True,
        )
        .select_related("source", "target_locale")
        .order_by("source__object_repr")
    )


def export_section(section, locale):
    """A zip archive with one PO file per translated page of the section."""
    buffer = io.BytesIO()
    home = Page.objects.ancestor_of(section, inclusive=True).get(depth=2)
    paths = {
        key: url_path[len(home.url_path) :]
        for key, url_path in Page.objects.descendant_of(section, inclusive=True)
        .filter(locale=section.locale_id)
        .values_list("translation_key", "url_path")
    }
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for translation in section_translations(section, locale):
            path = paths.get(translation.source.object_id, translation.source.object_repr)
            name = slugify(path.strip("/").replace("/", "-")) or "page"
            archive.writestr(f"{name}-{locale.language_code}.po", str(translation.export_po()))
    return buffer.getvalue()


def parse_po(data):
    # polib treats a string naming an existing file as a path, so parse from a file.
    with tempfile.NamedTemporaryFile(suffix=".po", delete=False) as handle:
        handle.write(data)
    try:
        return polib.pofile(handle.name)
    finally:
        os.unlink(handle.name)


def may_translate(user, translation):
    if user.is_superuser:
        return True
    if (
        is_translator(user)
        and not translator_locales(user).filter(pk=translation.target_locale_id).exists()
    ):
        return False
    try:
        target = translation.get_target_instance()
    except ObjectDoesNotExist:
        return False
    if isinstance(target, Page):
        return target.permissions_for_user(user).can_edit()
    return user.has_perm(f"{target._meta.app_label}.change_{target._meta.model_name}")


def import_archive(upload, user):
    """Import every PO file of an uploaded zip; return (files imported, problems)."""
    try:
        archive = zipfile.ZipFile(upload)
        members = [info for info in archive.infolist() if info.filename.endswith(".po")]
    except (zipfile.BadZipFile, OSError):
        return 0, [_("This is not a zip archive of PO files.")]
    if not members:
        return 0, [_("The archive contains no PO file.")]
    if len(members) > MAX_FILES:
        return 0, [_("The archive contains more than %(count)d PO files.") % {"count": MAX_FILES}]
    imported, problems = 0, []
    for info in members:
        if info.file_size > MAX_FILE_BYTES:
            problems.append(_("%(name)s is too large.") % {"name": info.filename})
            continue
        try:
            po = parse_po(archive.read(info))
        except (OSError, UnicodeDecodeError, zipfile.BadZipFile):
            problems.append(_("%(name)s is not a valid PO file.") % {"name": info.filename})
            continue
        uuid = po.metadata.get("X-WagtailLocalize-TranslationID", "")
        try:
            translation = Translation.objects.filter(uuid=uuid).first()
        except ValidationError:
            translation = None
        if translation is None:
            problems.append(
                _("%(name)s does not belong to a translation of this site.")
                % {"name": info.filename}
            )
            continue
        if not may_translate(user, translation):
            problems.append(
                _("%(name)s: you may not translate into %(language)s.")
                % {"name": info.filename, "language": translation.target_locale.get_display_name()}
            )
            continue
        translation.import_po(po, user=user, tool_name="PO File")
        imported += 1
    return imported, problems
