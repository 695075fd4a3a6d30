"""pos_portal.form_errors: where a model's or a service's ValidationError shows on the page's forms."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from pos_portal.form_errors import add_validation_error, model_errors_for


class DatesForm(forms.Form):
    starts_on = forms.DateField(required=False)


class CommentForm(forms.Form):
    comment = forms.CharField(required=False)


def bound(form_class):
    form = form_class(data={})
    form.is_valid()
    return form


def test_a_message_goes_to_the_field_the_form_shows_and_the_rest_above_the_form():
    form = bound(DatesForm)

    add_validation_error(form, ValidationError({"starts_on": "Слишком рано.", "teacher": "Уже в сообществе."}))

    assert form.errors["starts_on"] == ["Слишком рано."]
    assert form.non_field_errors() == ["Уже в сообществе."]


def test_an_error_without_fields_goes_above_the_form():
    form = bound(DatesForm)

    add_validation_error(form, ValidationError("Протокол подписан."))

    assert form.non_field_errors() == ["Протокол подписан."]
    assert "starts_on" not in form.errors


def test_a_field_of_another_form_of_the_page_goes_to_that_form():
    terms, pick = bound(DatesForm), bound(CommentForm)

    add_validation_error(terms, ValidationError({"comment": "Нужен комментарий.", "status": "Нельзя."}), fallback=pick)

    assert pick.errors["comment"] == ["Нужен комментарий."]
    assert pick.non_field_errors() == ["Нельзя."]
    assert not terms.errors


def test_a_model_field_edited_under_another_name_goes_to_that_field():
    form = bound(CommentForm)

    add_validation_error(
        form, ValidationError({"review_comment": "Укажите, что исправить."}), renames={"review_comment": "comment"}
    )

    assert form.errors["comment"] == ["Укажите, что исправить."]


def test_model_errors_for_moves_unknown_fields_above_the_form():
    error = model_errors_for({"starts_on"}, ValidationError({"starts_on": "A", "meeting": "B", NON_FIELD_ERRORS: "C"}))

    assert error.message_dict == {"starts_on": ["A"], NON_FIELD_ERRORS: ["B", "C"]}
