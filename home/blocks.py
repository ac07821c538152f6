"""The block catalogue editors compose page bodies from."""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

# Block previews in the admin's block picker render with the site's own styles.
PREVIEW_TEMPLATE = "blocks/preview.html"

# The rich text features the design has styles for. Draftail drops anything else
# pasted from a word processor, and the server keeps only these when it saves.
PARAGRAPH_FEATURES = [
    "bold",
    "italic",
    "link",
    "document-link",
    "ol",
    "ul",
    "superscript",
    "subscript",
]


def first_of(app_label, model_name):
    """The newest image or document in the library, shown in block previews."""
    from django.apps import apps

    return apps.get_model(app_label, model_name).objects.order_by("-pk").first()


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(
        choices=[
            ("h2", "Section (level 2)"),
            ("h3", "Subsection (level 3)"),
            ("h4", "Minor (level 4)"),
        ],
        default="h2",
        help_text="The page title is level 1: start sections at level 2 and do not skip levels.",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        preview_value = {"text": "Background", "level": "h2"}
        description = "A heading that starts a section of the page."
        preview_template = PREVIEW_TEMPLATE


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(help_text="The words quoted, without quotation marks.")
    speaker = blocks.CharBlock(required=False, max_length=200)
    role = blocks.CharBlock(required=False, max_length=300, help_text="The speaker's position.")

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        preview_value = {
            "quote": "We should be ready to accompany them on every step of this difficult path.",
            "speaker": "Oliya Ilmuradova",
            "role": "Director of Barkaror Hayot",
        }
        description = "A quotation with the name and role of the person quoted."
        preview_template = PREVIEW_TEMPLATE


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        required=False,
        max_length=300,
        help_text="What the image shows, for readers who cannot see it.",
    )
    decorative = blocks.BooleanBlock(
        required=False,
        help_text="Tick only if the image adds no information; it then needs no alt text.",
    )
    caption = blocks.CharBlock(required=False, max_length=500)
    credit = blocks.CharBlock(required=False, max_length=200, help_text="Photographer or source.")

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        description = "An image with alt text, caption and credit."
        preview_template = PREVIEW_TEMPLATE

    def get_preview_value(self):
        return {
            "image": first_of("wagtailimages", "Image"),
            "alt_text": "Participants of an OSCE meeting",
            "caption": "Participants of an OSCE meeting.",
            "credit": "OSCE",
        }

    def clean(self, value):
        value = super().clean(value)
        if not value.get("decorative") and not value.get("alt_text", "").strip():
            raise blocks.StructBlockValidationError(
                block_errors={
                    "alt_text": ErrorList(
                        [ValidationError("Describe the image, or mark it as decorative.")]
                    )
                }
            )
        return value


class DocumentsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=200, default="Downloads")
    documents = blocks.ListBlock(DocumentChooserBlock(), min_num=1)

    class Meta:
        icon = "doc-full"
        template = "blocks/documents_block.html"
        description = "A list of documents to download."
        preview_template = PREVIEW_TEMPLATE

    def get_preview_value(self):
        document = first_of("wagtaildocs", "Document")
        return {"heading": "Downloads", "documents": [document] if document else []}


class KeyFigureBlock(blocks.StructBlock):
    figure = blocks.CharBlock(max_length=30, help_text="E.g. 57 or 1,200")
    label = blocks.CharBlock(max_length=120, help_text="E.g. participating States")


class KeyFiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=200)
    figures = blocks.ListBlock(KeyFigureBlock(), min_num=1, max_num=6)

    class Meta:
        icon = "pick"
        template = "blocks/key_figures_block.html"
        preview_value = {
            "heading": "The OSCE in figures",
            "figures": [
                {"figure": "57", "label": "participating States"},
                {"figure": "11", "label": "Partners for Co-operation"},
            ],
        }
        description = "Up to six figures with a short label each."
        preview_template = PREVIEW_TEMPLATE


class LinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, help_text="Only for links outside this site.")
    text = blocks.CharBlock(required=False, max_length=200, help_text="Defaults to the page title.")

    class Meta:
        icon = "link"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ErrorList([ValidationError("Choose a page or enter a URL, not both.")])
                }
            )
        if value.get("url") and not value.get("text"):
            raise blocks.StructBlockValidationError(
                block_errors={"text": ErrorList([ValidationError("Give the link a text.")])}
            )
        return value


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    text = blocks.TextBlock(required=False, max_length=500)
    link = LinkBlock()

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"
        description = "A highlighted invitation to go somewhere next."
        preview_value = {
            "title": "Work with us",
            "text": "Vacancies in the Secretariat, institutions and field operations.",
            "link": {"url": "https://jobs.osce.org/", "text": "See vacancies"},
        }
        preview_template = PREVIEW_TEMPLATE


class AccordionItemBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    content = blocks.RichTextBlock(features=PARAGRAPH_FEATURES)


class AccordionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=200)
    items = blocks.ListBlock(AccordionItemBlock(), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "blocks/accordion_block.html"
        description = "Questions or sections that readers open one at a time."
        preview_value = {
            "heading": "Frequently asked questions",
            "items": [
                {"title": "Who can apply?", "content": "<p>Nationals of participating States.</p>"},
                {"title": "When is the deadline?", "content": "<p>On 30 June.</p>"},
            ],
        }
        preview_template = PREVIEW_TEMPLATE


class RelatedLinksBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=200, default="Related")
    links = blocks.ListBlock(LinkBlock(), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "blocks/related_links_block.html"
        description = "A short list of links to pages or other sites."
        preview_value = {
            "heading": "Related",
            "links": [
                {"url": "https://www.osce.org/odihr", "text": "ODIHR"},
                {"url": "https://www.oscepa.org/", "text": "OSCE Parliamentary Assembly"},
            ],
        }
        preview_template = PREVIEW_TEMPLATE


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES,
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        preview_value="<p>The event brought together government and international experts.</p>",
        description="Text with bold, italic, links and lists.",
    )
    heading = HeadingBlock()
    quote = QuoteBlock()
    image = ImageBlock()
    embed = EmbedBlock(
        icon="media",
        template="blocks/embed_block.html",
        help_text="A video address, e.g. on YouTube or Vimeo.",
        description="A video or other embedded media.",
    )
    documents = DocumentsBlock()
    key_figures = KeyFiguresBlock()
    call_to_action = CallToActionBlock()
    accordion = AccordionBlock()
    table = TableBlock(
        icon="table",
        template="blocks/table_block.html",
        description="A table of data with an optional header row.",
    )
    related_links = RelatedLinksBlock()


# Preview settings for the blocks declared inline above. They are set on the block's options
# rather than passed to its constructor, which would change the StreamField definition and so
# every app's migrations.
_INLINE_PREVIEWS = {
    "paragraph": None,
    "embed": "https://www.youtube.com/@OSCE",
    "table": {
        "data": [["Year", "Participating States"], ["1975", "35"], ["2025", "57"]],
        "first_row_is_table_header": True,
        "first_col_is_header": False,
        "table_caption": "Participating States over time",
    },
}
for _name, _value in _INLINE_PREVIEWS.items():
    _block = BodyBlock.base_blocks[_name]
    _block.meta.preview_template = PREVIEW_TEMPLATE
    if _value is not None:
        _block.meta.preview_value = _value
