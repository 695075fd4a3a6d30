"""The roster from Excel: organizations and teachers imported from XLSX or CSV (and exported with the same columns)
through django-import-export, in the admin.

The import shows a preview with every row's outcome (new, updated, errors in Russian) and writes nothing until it is
confirmed. A row names an existing teacher by e-mail or by full name and organization (``TeacherQuerySet.matching``)
and updates that teacher instead of adding a namesake; an organization is named by its short name. Every row is
checked by the model's own rules (``full_clean``), as the admin's forms are. A teacher is imported without a login
account, as the admin adds one (the account is created and linked separately). ``template`` gives the file to fill in:
the columns and one example row.
"""

from django.http import HttpResponse
from import_export import fields, resources, widgets
from import_export.formats.base_formats import XLSX

from communities.models import Organization, Teacher
from pos_portal.xlsx import with_portal_properties


class ChoiceWidget(widgets.Widget):
    """A choice by its Russian label («высшая»), its stored value («highest») also accepted; empty is ``empty``."""

    def __init__(self, choices, empty=None, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices
        self.empty = empty

    def clean(self, value, row=None, **kwargs):
        text = " ".join(str(value or "").split()).lower()
        if not text:
            if self.empty is None:
                raise ValueError("Обязательное поле.")
            return self.empty
        for stored, label in self.choices.choices:
            if text in (str(label).lower(), stored):
                return stored
        allowed = ", ".join(f"«{label}»" for _, label in self.choices.choices)
        raise ValueError(f"Неизвестное значение «{value}». Допустимо: {allowed}.")

    def render(self, value, obj=None, **kwargs):
        return str(self.choices(value).label) if value else ""


class OrganizationWidget(widgets.ForeignKeyWidget):
    """An organization by its short name, with a Russian message when there is none."""

    def __init__(self, **kwargs):
        super().__init__(Organization, field="short_name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        name = " ".join(str(value or "").split())
        if not name:
            raise ValueError("Укажите организацию (краткое наименование).")
        try:
            return super().clean(name, row, **kwargs)
        except Organization.DoesNotExist:
            raise ValueError(
                f"Организации «{name}» нет в справочнике: добавьте её или импортируйте список организаций."
            ) from None


def text(attribute, column_name):
    return fields.Field(attribute=attribute, column_name=column_name, widget=widgets.CharWidget(allow_blank=True))


class OrganizationResource(resources.ModelResource):
    short_name = text("short_name", "Краткое наименование")
    full_name = text("full_name", "Полное наименование")
    kind = fields.Field(attribute="kind", column_name="Тип", widget=ChoiceWidget(Organization.Kind))
    town = text("town", "Населённый пункт")
    address = text("address", "Адрес")
    head_name = text("head_name", "Руководитель организации")

    class Meta:
        model = Organization
        fields = ["short_name", "full_name", "kind", "town", "address", "head_name"]
        import_id_fields = ["short_name"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    example = {
        "short_name": "МОУ СШ № 9",
        "full_name": "Муниципальное общеобразовательное учреждение «Средняя школа № 9»",
        "kind": Organization.Kind.SCHOOL,
        "town": "г. Тутаев",
        "address": "ул. Примерная, д. 1",
        "head_name": "Иванова Мария Петровна",
    }


class TeacherResource(resources.ModelResource):
    surname = text("surname", "Фамилия")
    name = text("name", "Имя")
    patronymic = text("patronymic", "Отчество")
    organization = fields.Field(attribute="organization", column_name="Организация", widget=OrganizationWidget())
    position = text("position", "Должность")
    qualification_category = fields.Field(
        attribute="qualification_category",
        column_name="Квалификационная категория",
        widget=ChoiceWidget(Teacher.Category, empty=Teacher.Category.NONE),
    )
    subjects = text("subjects", "Предметы, направления")
    email = text("email", "E-mail")
    phone = text("phone", "Телефон")

    class Meta:
        model = Teacher
        fields = [
            "surname",
            "name",
            "patronymic",
            "organization",
            "position",
            "qualification_category",
            "subjects",
            "email",
            "phone",
        ]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    example = {
        "surname": "Петрова",
        "name": "Анна",
        "patronymic": "Сергеевна",
        "organization": None,  # the first organization of the directory, when there is one
        "position": "учитель математики",
        "qualification_category": Teacher.Category.FIRST,
        "subjects": "математика",
        "email": "petrova@example.ru",
        "phone": "+7 900 000-00-00",
    }

    def get_instance(self, instance_loader, row):
        """The existing teacher the row names (``TeacherQuerySet.matching``), so a second import updates, not
        duplicates."""
        try:
            organization = self.fields["organization"].clean(row)
        except ValueError:
            organization = None  # reported by the import of the row itself

        def cell(name):
            return str(row.get(self.fields[name].column_name) or "")

        return Teacher.objects.matching(
            email=cell("email"),
            surname=cell("surname"),
            name=cell("name"),
            patronymic=cell("patronymic"),
            organization_id=getattr(organization, "pk", None),
        )


def template(resource_class) -> HttpResponse:
    """The XLSX file to fill in: the resource's columns and an example row."""
    resource = resource_class()
    dataset = resource.export(queryset=resource_class._meta.model.objects.none())
    example = dict(resource_class.example)
    if "organization" in example and example["organization"] is None:
        first = Organization.objects.order_by("short_name").first()
        example["organization"] = first.short_name if first else "МОУ СШ № 9"
    row = []
    for name in resource_class._meta.fields:
        widget = resource.fields[name].widget
        value = example.get(name, "")
        row.append(widget.render(value) if isinstance(widget, ChoiceWidget) else value)
    dataset.append(row)
    title = f"Шаблон импорта: {resource_class._meta.model._meta.verbose_name}"
    data = with_portal_properties(XLSX().export_data(dataset), title=title)
    response = HttpResponse(data, content_type=XLSX().get_content_type())
    name = f"{resource_class._meta.model._meta.model_name}-template.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
