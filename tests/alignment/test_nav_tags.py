"""`{% nav_url %}` (alignment/templatetags/nav_tags.py): `{% url %}`, reversed once."""

import pytest
from django.template import Context
from django.template import Template
from django.urls import NoReverseMatch
from django.urls import clear_script_prefix
from django.urls import set_script_prefix

TEMPLATE = Template("{% load nav_tags %}{% nav_url 'product_list' slug %}")


def render(slug):
    return TEMPLATE.render(Context({"slug": slug}))


def test_it_gives_what_url_gives_for_each_argument():
    url = Template("{% url 'product_list' 'acme' %}").render(Context())
    assert render("acme") == url
    assert render("globex") == url.replace("acme", "globex")


def test_the_script_prefix_is_part_of_the_cached_answer():
    plain = render("acme")
    set_script_prefix("/tandem/")
    try:
        assert render("acme") == "/tandem" + plain
    finally:
        clear_script_prefix()
    assert render("acme") == plain


def test_an_unknown_name_fails_like_url():
    with pytest.raises(NoReverseMatch):
        Template("{% load nav_tags %}{% nav_url 'no_such_page' %}").render(Context())
