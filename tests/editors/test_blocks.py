import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.images import ImageFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.blocks import StructBlockValidationError
from wagtail.images.models import Image
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from home.blocks import PARAGRAPH_FEATURES, BodyBlock, ImageBlock, LinkBlock
from tests.factories import InstitutionPageFactory, NewsItemPageFactory

CATALOGUE = [
    "paragraph",
    "heading",
    "quote",
    "image",
    "embed",
    "documents",
    "key_figures",
    "call_to_action",
    "accordion",
    "table",
    "related_links",
]


def make_image(title="Photo", size=(1600, 1000), focal=None):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (30, 90, 160)).save(buffer, "JPEG")
    image = Image(title=title, file=ImageFile(buffer, name=f"{title}.jpg"))
    if focal:
        image.focal_point_x, image.focal_point_y, image.focal_point_width = focal
        image.focal_point_height = focal[2]
    image.save()
    return image


def test_the_catalogue_has_every_block_and_no_raw_html():
    names = list(BodyBlock().child_blocks)
    assert names == CATALOGUE
    assert not any(
        type(block).__name__ == "RawHTMLBlock" for block in BodyBlock().child_blocks.values()
    )


@pytest.mark.parametrize("name", CATALOGUE)
def test_every_block_has_icon_template_description_and_a_preview(name):
    block = BodyBlock().child_blocks[name]
    assert block.meta.icon not in ("", "placeholder"), name
    assert block.meta.template.startswith("blocks/"), name
    assert block.get_description(), name
    assert block.is_previewable, name


@pytest.mark.django_db
@pytest.mark.parametrize("name", CATALOGUE)
def test_every_block_preview_renders_in_the_block_picker(admin_client, name):
    make_image()
    block = BodyBlock().child_blocks[name]
    response = admin_client.get(f"/admin/block-preview/?id={block.definition_prefix}")
    assert response.status_code == 200, name
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one('link[href$="css/site.css"]'), name
    assert page.main.get_text(strip=True), f"{name} preview is empty"


def test_heading_levels_keep_a_correct_outline():
    levels = [
        value
        for value, _ in BodyBlock().child_blocks["heading"].child_blocks["level"].field.choices
    ]
    assert "h1" not in levels
    assert [level for level in levels if level] == ["h2", "h3", "h4"]


@pytest.mark.django_db
def test_image_without_alt_text_is_refused_unless_decorative():
    block = ImageBlock()
    image = make_image()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(
            {"image": image, "alt_text": " ", "decorative": False, "caption": "", "credit": ""}
        )
    assert "alt_text" in error.value.block_errors
    cleaned = block.clean(
        {"image": image, "alt_text": "", "decorative": True, "caption": "", "credit": ""}
    )
    assert cleaned["decorative"] is True


@pytest.mark.django_db
def test_link_needs_a_page_or_an_address_with_text():
    block = LinkBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean({"page": None, "url": "", "text": ""})
    with pytest.raises(StructBlockValidationError):
        block.clean({"page": None, "url": "https://example.org", "text": ""})
    assert block.clean({"page": None, "url": "https://example.org", "text": "Example"})


def test_pasted_word_processor_markup_keeps_only_the_allowed_features():
    pasted = (
        '<h1 style="font-family: Calibri">Title</h1>'
        '<p class="MsoNormal"><b>Bold</b> <span style="color:red">red</span> '
        '<u>underlined</u> <code>code</code> <a href="https://www.osce.org">link</a></p>'
        "<table><tr><td>cell</td></tr></table>"
        '<img src="file:///C:/photo.jpg">'
        "<ul><li>item</li></ul>"
    )
    converter = ContentstateConverter(PARAGRAPH_FEATURES)
    saved = converter.to_database_format(converter.from_database_format(pasted))
    assert "<b>Bold</b>" in saved
    assert '<a href="https://www.osce.org">link</a>' in saved
    assert "<ul><li" in saved and ">item</li></ul>" in saved
    for forbidden in ["<h1", "style=", "class=", "<span", "<u>", "<code>", "<table", "<img"]:
        assert forbidden not in saved, forbidden


def test_a_stored_block_of_an_unknown_type_is_dropped_and_never_rendered():
    """Raw HTML in a stream (an old revision, an import) is left out; the rest is kept."""
    stored = [
        {"type": "raw_html", "value": "<script>alert(1)</script>"},
        {"type": "paragraph", "value": "<p>Kept paragraph</p>"},
    ]
    value = BodyBlock().to_python(stored)
    assert [child.block_type for child in value] == ["paragraph"]
    html = str(value)
    assert "Kept paragraph" in html
    assert "<script" not in html and "alert(1)" not in html
    assert [block["type"] for block in BodyBlock().get_prep_value(value)] == ["paragraph"]


def draftail(html):
    """A rich text value as the page editor posts it."""
    return ContentstateConverter(PARAGRAPH_FEATURES).from_database_format(html)


@pytest.mark.django_db
def test_the_admin_saves_no_block_of_an_unknown_type(admin_client):
    """A raw HTML block posted to the page editor is not saved, and readers never see it."""
    item = NewsItemPageFactory(title="Council meets", issued_by=[InstitutionPageFactory()])
    data = nested_form_data(
        {
            "title": item.title,
            "slug": item.slug,
            "lead": item.lead,
            "issued_on": "2024-01-01",
            "body": streamfield(
                [
                    ("raw_html", "<script>alert(1)</script>"),
                    ("paragraph", draftail("<p>Kept paragraph</p>")),
                ]
            ),
            "related_links": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    data["issued_by"] = [issuer.pk for issuer in item.issued_by.all()]
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[item.pk]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert [child.block_type for child in item.body] == ["paragraph"]
    revision = item.live_revision.as_object()
    assert [child.block_type for child in revision.body] == ["paragraph"]
    page = admin_client.get(item.url).content.decode()
    assert "Kept paragraph" in page
    assert "alert(1)" not in page


@pytest.mark.django_db
def test_images_render_avif_and_webp_with_a_jpeg_fallback_and_fixed_dimensions(client):
    from wagtail.blocks import StreamValue

    image = make_image(size=(1600, 1000))
    value = StreamValue(
        BodyBlock(),
        [
            (
                "image",
                {
                    "image": image,
                    "alt_text": "Delegates",
                    "decorative": False,
                    "caption": "A",
                    "credit": "OSCE",
                },
            )
        ],
    )
    html = BeautifulSoup(str(value), "html.parser")
    sources = html.select("picture source")
    assert [source["type"] for source in sources] == ["image/avif", "image/webp"]
    for source in sources:
        widths = [candidate.split()[-1] for candidate in source["srcset"].split(",")]
        assert widths == ["480w", "800w", "1200w"]
    img = html.select_one("picture img")
    assert img["src"].endswith(".jpg")
    assert img["alt"] == "Delegates"
    assert (img["width"], img["height"]) == ("480", "300")
    assert "480w" in img["srcset"]
    assert html.select_one(".block-image__credit").get_text(strip=True) == "© OSCE"


@pytest.mark.django_db
def test_decorative_images_have_empty_alt_text():
    from wagtail.blocks import StreamValue

    image = make_image()
    value = StreamValue(
        BodyBlock(),
        [
            (
                "image",
                {"image": image, "alt_text": "", "decorative": True, "caption": "", "credit": ""},
            )
        ],
    )
    img = BeautifulSoup(str(value), "html.parser").select_one("img")
    assert img["alt"] == ""


@pytest.mark.django_db
def test_crops_keep_the_focal_point_in_the_picture():
    buffer = io.BytesIO()
    picture = PILImage.new("RGB", (2000, 1000), (0, 0, 255))
    picture.paste((255, 0, 0), (1600, 400, 1800, 600))
    picture.save(buffer, "PNG")
    image = Image(title="Speaker at the right", file=ImageFile(buffer, name="speaker.png"))
    image.focal_point_x, image.focal_point_y = 1700, 500
    image.focal_point_width = image.focal_point_height = 200
    image.save()
    # A centred square crop would keep x 500-1500 and lose the red speaker at x 1600-1800.
    rendition = image.get_rendition("fill-400x400|format-png")
    with rendition.file.open() as f:
        cropped = PILImage.open(f).convert("RGB")
        red = [x for x in range(400) if cropped.getpixel((x, 200))[0] > 200]
    assert red, "the focal point was cropped away"
