"""Rich text and images entered in the office are made safe before they are stored."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from podium.catalog.models import Production, ProductionImage
from podium.tenancy.models import StaffRole
from podium.tenancy.scoping import house_scope

from .helpers import production_data

HOSTILE = (
    '<p onclick="steal()">Welkom<script>alert(1)</script></p>'
    '<img src=x onerror="alert(2)">'
    '<a href="javascript:alert(3)">klik</a>'
    '<a href="https://example.org" onmouseover="alert(4)">site</a>'
)
CLEAN = (
    "<p>Welkom</p>"
    '<a rel="noopener noreferrer">klik</a>'
    '<a href="https://example.org" rel="noopener noreferrer">site</a>'
)


@pytest.fixture
def programmer(client, house, staff_factory):
    client.force_login(staff_factory(house, StaffRole.Role.PROGRAMMER))


def test_the_office_form_stores_a_description_without_script(client, world, programmer):
    data = production_data(world.discipline, description_nl=HOSTILE)

    client.post(reverse("office:production-create"), data)

    with house_scope(world.house):
        production = Production.objects.get(title__nl="Kersverse voorstelling")
    assert production.description == {"nl": CLEAN}
    shown = client.get(
        reverse("office:production-detail", args=[production.pk])
    ).content.decode()
    assert "alert(" not in shown


def test_an_uploaded_image_is_stored_re_encoded_without_exif(
    client, world, programmer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif.get_ifd(0x8825)[2] = (50.0, 51.0, 0.0)
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "purple").save(buffer, "JPEG", exif=exif)
    production = world.production

    client.post(
        reverse("office:image-add", args=[production.pk]),
        {
            "image": SimpleUploadedFile("foto.jpg", buffer.getvalue()),
            "alt_text_nl": "Een foto",
        },
    )

    with house_scope(world.house):
        stored = ProductionImage.objects.get(production=production)
    data = stored.image.read()
    assert b"CameraMaker" not in data
    assert dict(Image.open(io.BytesIO(data)).getexif()) == {}


def test_an_html_file_named_png_is_refused_on_the_form(client, world, programmer):
    production = world.production

    response = client.post(
        reverse("office:image-add", args=[production.pk]),
        {
            "image": SimpleUploadedFile("poster.png", b"<html><script>x</script>"),
            "alt_text_nl": "Affiche",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["image"]
    with house_scope(world.house):
        assert not ProductionImage.objects.filter(production=production).exists()
