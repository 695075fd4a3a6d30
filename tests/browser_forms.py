"""What a browser would submit from a page's forms, for tests that drive pages as a person does."""

from html.parser import HTMLParser

from django.urls import reverse


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._template_depth = 0
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self._template_depth += 1
        if self._template_depth:
            return
        if tag == "form":
            self._form = {"action": attrs.get("action"), "method": attrs.get("method"), "fields": {}}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form["fields"][attrs["name"]] = attrs.get("value", "on")
                return
            self._form["fields"][attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self._select = attrs.get("name")
            self._form["fields"][self._select] = None
        elif tag == "option" and self._select:
            fields = self._form["fields"]
            if fields[self._select] is None or "selected" in attrs:
                fields[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            self._form["fields"][self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "template":
            self._template_depth -= 1
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._textarea and self._form is not None and not self._template_depth:
            value = data[1:] if data.startswith("\n") and not self._form["fields"][self._textarea] else data
            self._form["fields"][self._textarea] += value


def form_fields(response, containing="csrfmiddlewaretoken", index=0) -> dict:
    """The fields a browser would submit from the page's POST forms that have ``containing`` (the sign-out
    form of the navigation bar left aside)."""
    parser = _FormParser()
    parser.feed(response.content.decode())
    forms = [form for form in parser.forms if containing in form["fields"] and form["action"] != reverse("logout")]
    fields = dict(forms[index]["fields"])
    fields.pop("csrfmiddlewaretoken", None)
    return {name: value for name, value in fields.items() if value is not None}


def text(response) -> str:
    """The page text with whitespace runs collapsed, for assertions on what the user reads."""
    return " ".join(response.content.decode().split())


def login(client, persona):
    client.force_login(persona.user if hasattr(persona, "user") else persona)
