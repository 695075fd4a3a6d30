"""The community's methodical resource (информационно-методический ресурс, regulation 3.1)."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q

from communities.models.communities import Community
from communities.models.history import audit_trail
from communities.models.people import Teacher
from communities.validators import generated_upload_name, validate_material_file


def material_upload_to(instance, filename):
    return generated_upload_name("materials", filename)


class Material(models.Model):
    class Kind(models.TextChoices):
        METHODICAL = "methodical", "Методическая разработка"
        LESSON = "lesson", "Конспект урока (занятия)"
        PRESENTATION = "presentation", "Презентация"
        ARTICLE = "article", "Статья, публикация"
        PROGRAM = "program", "Программа"
        VIDEO = "video", "Видео"
        OTHER = "other", "Другое"
        #: «иные документы (по желанию руководителя)» of the regulation's section 6: the community's documentation.
        DOCUMENT = "document", "Иной документ ПОС (раздел 6)"

    community = models.ForeignKey(Community, verbose_name="ПОС", on_delete=models.CASCADE, related_name="materials")
    title = models.CharField("название", max_length=300)
    kind = models.CharField("вид", max_length=20, choices=Kind.choices, default=Kind.METHODICAL)
    description = models.TextField("описание", blank=True)
    file = models.FileField("файл", upload_to=material_upload_to, blank=True, validators=[validate_material_file])
    original_name = models.CharField("имя файла", max_length=255, blank=True, editable=False)
    url = models.URLField(
        "ссылка",
        blank=True,
        validators=[
            URLValidator(schemes=["http", "https"], message="Укажите ссылку, начинающуюся с http:// или https://.")
        ],
    )
    authors = models.ManyToManyField(Teacher, verbose_name="авторы", related_name="materials", blank=True)
    tags = models.CharField("ключевые слова", max_length=300, blank=True, help_text="Через запятую.")
    added_by = models.ForeignKey(
        Teacher, verbose_name="добавил(а)", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("добавлено", auto_now_add=True)

    history = audit_trail()

    class Meta:
        verbose_name = "методический материал"
        verbose_name_plural = "методические материалы"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""),
                name="material_has_file_or_url",
                violation_error_message="Приложите файл или укажите ссылку.",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            self.original_name = PurePath(self.file.name).name[:255]
        super().save(*args, **kwargs)

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

    def clean(self):
        if not self.file and not self.url.strip():
            raise ValidationError("Приложите файл или укажите ссылку.")
        if self.file and self.url.strip():
            raise ValidationError("Укажите что-то одно: файл или ссылку.")

    @property
    def audit_community_id(self):
        """The community the material was added to."""
        return self.community_id
