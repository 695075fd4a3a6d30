"""``{% options %}``: the options of the organization filters."""

from django.template import Context, Template


def render(choices, selected):
    template = Template("{% load options %}{% options choices selected %}")
    return template.render(Context({"choices": choices, "selected": selected}))


def test_the_selected_value_is_marked_and_the_rest_are_not():
    html = render([(7, "МОУ СШ № 3"), (12, "МДОУ № 34")], 12)

    assert html == '<option value="7">МОУ СШ № 3</option><option value="12" selected>МДОУ № 34</option>'


def test_names_are_escaped_and_large_numbers_are_not_localized():
    html = render([(12345, '<script>alert("x")</script> & Ко')], None)

    assert html == '<option value="12345">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Ко</option>'


def test_no_choices_no_options():
    assert render([], None) == ""
