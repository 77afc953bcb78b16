"""The Vietnamese names and numbers the site prints."""
from __future__ import annotations

import importlib.resources

import pytest

from vnfacts.extractor.models import EVENT_TYPES, LABELS
from vnfacts.publish.site.vietnamese import vietnamese_name, vietnamese_names, vietnamese_number


def figure_qualifiers() -> set[str]:
    """Every qualifier the figure finder can write (its word list), and those the norms document."""
    from vnfacts.extractor.resources import load_data

    return set(load_data("figures.yaml")["qualifiers"].values()) | {"more_than", "less_than", "up_to", "about"}


def test_every_code_has_a_vietnamese_name():
    names = vietnamese_names()
    assert set(LABELS) <= set(names["labels"]), set(LABELS) - set(names["labels"])
    assert set(EVENT_TYPES) <= set(names["event_types"]), set(EVENT_TYPES) - set(names["event_types"])
    assert figure_qualifiers() <= set(names["qualifiers"]), figure_qualifiers() - set(names["qualifiers"])
    for source in ("published", "dateline", "first_date", "lead_year", "dated_facts"):
        assert source in names["date_sources"]
    for kind in names.values():
        assert all(name.strip() and name != code for code, name in kind.items())
    assert vietnamese_name("LEGAL_REF", "labels") == "Văn bản pháp luật"
    assert vietnamese_name("hoi_nghi", "event_types") == "Hội nghị"
    assert vietnamese_name("not_a_code", "labels") == "not_a_code"  # shown, never hidden
    assert vietnamese_name(None, "labels") == ""


def test_every_code_in_the_database_has_a_vietnamese_name(db):
    names = vietnamese_names()
    for kind, sql in (("labels", "SELECT DISTINCT label FROM mentions"),
                      ("event_types", "SELECT DISTINCT type FROM events"),
                      ("qualifiers", "SELECT DISTINCT qualifier FROM mentions WHERE qualifier IS NOT NULL"),
                      ("date_sources", "SELECT DISTINCT date_source FROM articles WHERE date_source IS NOT NULL")):
        codes = {r[0] for r in db.execute(sql)}
        assert codes <= set(names[kind]), (kind, codes - set(names[kind]))


@pytest.mark.parametrize("value, written", [
    (12289, "12.289"), (3.55, "3,55"), (1234567.5, "1.234.567,5"), (2.0, "2"), (0, "0"), (-0.25, "-0,25"),
    (None, ""), ("12.289", "12.289")])
def test_figures_are_written_the_vietnamese_way(value, written):
    assert vietnamese_number(value) == written




def test_plugin_templates_are_read_in_vietnamese(tmp_path):
    """Each English fragment labels.yaml lists for another package's template is in the installed
    template and comes out in Vietnamese; a fragment the template lacks is an error naming it, and
    a template of the same name found first elsewhere is left as it is."""
    import jinja2

    from vnfacts.publish.site.plugin_templates import (TranslatedTemplates, plugin_template_words,
                                                          translate_plugin_templates)

    words = plugin_template_words()
    assert {"datasette_dashboards", "datasette"} <= set(words)
    folders = [str(importlib.resources.files(package) / "templates") for package in words]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folders))
    translate_plugin_templates(env)
    for templates in words.values():
        for name, fragments in templates.items():
            source = env.loader.get_source(env, name)[0]
            for english, vietnamese in fragments.items():
                assert english not in source and vietnamese in source, (name, english)
    assert 'value="Lọc"' in env.loader.get_source(env, "dashboard_view.html")[0]

    changed = tmp_path / "changed"
    changed.mkdir()
    (changed / "dashboard_view.html").write_text('<input type="submit" value="Go">', encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(changed)]))
    translate_plugin_templates(env)
    assert env.loader.get_source(env, "dashboard_view.html")[0] == '<input type="submit" value="Go">'  # not the plugin's
    # as if another version of the plugin had this template
    changed_plugin = TranslatedTemplates(str(changed), words["datasette_dashboards"], jinja2.FileSystemLoader([str(changed)]))
    with pytest.raises(jinja2.TemplateError, match="dashboard_view.html.*Apply.*plugin_templates"):
        changed_plugin.get_source(env, "dashboard_view.html")
