"""Showing a model's or a service's ``ValidationError`` on a form: the one rule for where each message goes.

A message keyed by a field the form shows goes to that field; every other message (a field the form does not
show, ``NON_FIELD_ERRORS``, an error without fields) goes above the form (or to another form of the page).
Views, forms and the admin all use it.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_validation_error(form, error: ValidationError, *, fallback=None, renames=None) -> None:
    """Put ``error`` on ``form``: on the field it names when ``form`` has it, otherwise on ``fallback`` (another
    form of the same page): on that field when it has it, else above it. Without ``fallback``: above ``form``."""
    fallback = fallback or form
    if not hasattr(error, "error_dict"):
        fallback.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        field = (renames or {}).get(field, field)
        if field in form.fields:
            form.add_error(field, errors)
        elif field in fallback.fields:
            fallback.add_error(field, errors)
        else:
            fallback.add_error(None, errors)


def model_errors_for(fields, error: ValidationError) -> ValidationError:
    """``error`` with every message keyed by a field not in ``fields`` moved to ``NON_FIELD_ERRORS``: for a
    ModelForm's ``_update_errors``, which fails with ValueError on a field the form does not show."""
    if not hasattr(error, "error_dict") or all(f == NON_FIELD_ERRORS or f in fields for f in error.error_dict):
        return error
    shown: dict[str, list] = {}
    for field, errors in error.error_dict.items():
        shown.setdefault(field if field in fields else NON_FIELD_ERRORS, []).extend(errors)
    return ValidationError(shown)
