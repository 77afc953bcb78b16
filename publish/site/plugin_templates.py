"""Other plugins' templates in Vietnamese: datasette-dashboards writes its form's button and its
tooltips in English, in templates the site has no block of to override. Copying them would fork
them; instead the site's Jinja environment reads them through :class:`TranslatedTemplates`, which
replaces each English fragment ``labels.yaml`` lists (``plugin_templates``) with its Vietnamese.
A fragment the template no longer has (another version of the plugin) is an error naming it, so
the English never comes back unnoticed."""
from __future__ import annotations

import importlib.resources

from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, TemplateError, TemplateNotFound

from .vietnamese import labels_file

TRANSLATED_PLUGIN = "datasette_dashboards"


def plugin_template_words() -> dict[str, dict[str, str]]:
    """template name -> {English fragment as written in it: what the site shows instead}."""
    return {name: {str(k): str(v) for k, v in words.items()}
            for name, words in (labels_file().get("plugin_templates") or {}).items()}


class TranslatedTemplates(BaseLoader):
    """The templates of ``folder`` that ``words`` names, their fragments replaced; any other name is
    not found here (the next loader answers)."""

    def __init__(self, folder: str, words: dict[str, dict[str, str]]):
        self.folder = FileSystemLoader(folder)
        self.words = words

    def get_source(self, environment: Environment, template: str):
        if template not in self.words:
            raise TemplateNotFound(template)
        source, filename, uptodate = self.folder.get_source(environment, template)
        for english, vietnamese in self.words[template].items():
            if english not in source:
                raise TemplateError(f"{filename}: no {english!r} to show in Vietnamese (labels.yaml, "
                                    f"plugin_templates): the plugin's template changed, update the fragment")
            source = source.replace(english, vietnamese)
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        return sorted(self.words)


def translate_plugin_templates(env: Environment) -> None:
    """Put :class:`TranslatedTemplates` of datasette-dashboards before ``env``'s own loader (nothing
    when the plugin is not installed)."""
    try:
        folder = importlib.resources.files(TRANSLATED_PLUGIN) / "templates"
    except ModuleNotFoundError:
        return
    if folder.is_dir():
        env.loader = ChoiceLoader([TranslatedTemplates(str(folder), plugin_template_words()), env.loader])
