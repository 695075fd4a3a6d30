import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from communities.models import Acknowledgement, Regulation
from communities.services import acknowledgement_record
from tests.factories import RegulationFactory
from tests.files import PDF

pytestmark = pytest.mark.django_db


def test_acknowledgement_is_recorded_once(member):
    regulation = RegulationFactory()

    first = acknowledgement_record(regulation=regulation, teacher=member)
    second = acknowledgement_record(regulation=regulation, teacher=member)

    assert first == second
    assert Acknowledgement.objects.filter(regulation=regulation, teacher=member).count() == 1


def test_duplicate_acknowledgement_is_refused_by_validation(member):
    regulation = RegulationFactory()
    acknowledgement_record(regulation=regulation, teacher=member)

    with pytest.raises(ValidationError) as error:
        Acknowledgement(regulation=regulation, teacher=member).full_clean()
    assert "Педагог уже ознакомлен с этим положением." in error.value.messages


def test_community_regulation_is_acknowledged_by_its_members(community, member, outsider):
    regulation = RegulationFactory(community=community)

    acknowledgement_record(regulation=regulation, teacher=member)
    with pytest.raises(ValidationError):
        acknowledgement_record(regulation=regulation, teacher=outsider)


def test_regulation_needs_text_or_file():
    with pytest.raises(ValidationError) as error:
        Regulation(title="Пустое положение").full_clean()
    assert "Приложите текст положения или файл." in error.value.messages


def test_requisites_read_as_in_the_document():
    regulation = RegulationFactory.build(
        recommended_by="педагогическим советом",
        recommended_protocol_number="7",
        recommended_on="2022-11-22",
        approved_by="приказом руководителя",
        approved_order_number="195-Т",
        approved_on="2022-11-22",
    )
    regulation.full_clean()

    assert regulation.recommended_requisites == "Рекомендовано педагогическим советом, протокол № 7 от 22.11.2022"
    assert regulation.approved_requisites == "Утверждено приказом руководителя № 195-Т от 22.11.2022"


def test_html_renamed_to_pdf_is_refused():
    regulation = RegulationFactory.build(file=SimpleUploadedFile("polozhenie.pdf", b"<html><script>x</script>"))

    with pytest.raises(ValidationError) as error:
        regulation.full_clean()
    assert error.value.message_dict["file"] == ["Содержимое файла не соответствует расширению «.pdf»."]


def test_oversized_upload_is_refused(settings):
    settings.MAX_UPLOAD_SIZE = 1024
    regulation = RegulationFactory.build(file=SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * 2000))

    with pytest.raises(ValidationError) as error:
        regulation.full_clean()
    assert error.value.message_dict["file"][0].startswith("Файл слишком большой")


def test_genuine_pdf_is_stored_under_a_generated_name(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    regulation = RegulationFactory.build(file=SimpleUploadedFile("../../etc/Положение.PDF", PDF))
    regulation.full_clean()
    regulation.save()

    assert regulation.file.name.startswith("regulations/")
    assert regulation.file.name.endswith(".pdf")
    assert "Положение" not in regulation.file.name
