from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale, Page

from . import dashboard, po_files
from .roles import is_translator, translator_locales

PER_PAGE = 50


class DashboardFilters(forms.Form):
    section = forms.ModelChoiceField(
        queryset=Page.objects.none(), required=False, empty_label=_("All sections")
    )
    language = forms.ModelChoiceField(
        queryset=Locale.objects.none(), required=False, empty_label=_("All languages")
    )
    state = forms.ChoiceField(
        choices=[("", _("Any state"))] + list(dashboard.STATES.items()), required=False
    )

    def __init__(self, *args, locales=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = dashboard.sections()
        self.fields["section"].label_from_instance = lambda page: (
            "\u2003" * max(page.depth - 3, 0) + page.title
        )
        self.fields["language"].queryset = Locale.objects.filter(
            pk__in=[locale.pk for locale in locales]
        )
        self.fields["language"].label_from_instance = lambda locale: locale.get_display_name()


class TranslationDashboardView(WagtailAdminTemplateMixin, TemplateView):
    """Pages × languages with the state of each translation and a link into its editor."""

    template_name = "localization/dashboard.html"
    page_title = _("Translations")
    header_icon = "wagtail-localize-language"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def target_locales(self):
        locales = target_locales_for(self.request.user)
        order = {code: index for index, code in enumerate(dashboard.language_order())}
        return sorted(locales, key=lambda locale: order.get(locale.language_code, len(order)))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        locales = self.target_locales()
        form = DashboardFilters(self.request.GET or None, locales=locales)
        section = language = state = None
        if form.is_valid():
            section = form.cleaned_data["section"]
            language = form.cleaned_data["language"]
            state = form.cleaned_data["state"] or None
        if language is not None:
            locales = [language]
        pages = dashboard.source_pages(section)
        if state:
            rows = [
                row
                for row in dashboard.rows(pages, locales)
                if any(cell.state == state for cell in row.cells)
            ]
            paginator = Paginator(rows, PER_PAGE)
            page_obj = paginator.get_page(self.request.GET.get("p"))
            page_rows = page_obj.object_list
        else:
            paginator = Paginator(pages, PER_PAGE)
            page_obj = paginator.get_page(self.request.GET.get("p"))
            page_rows = dashboard.rows(page_obj.object_list, locales)
        export_query = ""
        if section is not None and language is not None:
            export_query = f"section={section.pk}&language={language.pk}"
        query = self.request.GET.copy()
        query.pop("p", None)
        context.update(
            form=form,
            locales=locales,
            rows=page_rows,
            page_obj=page_obj,
            paginator=paginator,
            query=query.urlencode(),
            states=dashboard.STATES,
            state=state,
            export_query=export_query,
        )
        return context


class SectionExportForm(forms.Form):
    section = forms.ModelChoiceField(queryset=Page.objects.none())
    language = forms.ModelChoiceField(queryset=Locale.objects.none())

    def __init__(self, *args, locales=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = dashboard.sections()
        self.fields["language"].queryset = Locale.objects.filter(
            pk__in=[locale.pk for locale in locales]
        )


def target_locales_for(user):
    locales = Locale.objects.exclude(pk=dashboard.source_locale().pk)
    if not user.is_superuser and is_translator(user):
        locales = locales.filter(pk__in=translator_locales(user))
    return list(locales)


def export_section_po(request):
    """A zip of PO files, one per translated page of a section, for offline translation."""
    form = SectionExportForm(request.GET, locales=target_locales_for(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose a section and a language to download PO files."))
        return redirect("localization_dashboard")
    section, locale = form.cleaned_data["section"], form.cleaned_data["language"]
    response = HttpResponse(
        po_files.export_section(section, locale), content_type="application/zip"
    )
    name = f"{slugify(section.title)}-{locale.language_code}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def import_section_po(request):
    """Import the PO files of an uploaded zip; translators review and publish afterwards."""
    upload = request.FILES.get("archive")
    if upload is None:
        messages.error(request, _("Choose a zip archive of PO files to upload."))
        return redirect("localization_dashboard")
    imported, problems = po_files.import_archive(upload, request.user)
    if imported:
        messages.success(
            request,
            ngettext(
                "Imported %(count)d PO file. Review the translation and publish it.",
                "Imported %(count)d PO files. Review the translations and publish them.",
                imported,
            )
            % {"count": imported},
        )
    for problem in problems[:20]:
        messages.error(request, problem)
    return redirect("localization_dashboard")
