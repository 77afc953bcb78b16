"""Datasette's and other plugins' templates in Vietnamese: datasette-dashboards writes its form's
button and its tooltips in English, Datasette a table page's facets that are still being counted,
in templates the site has no block of to override. Copying them would fork them; instead the
site's Jinja environment reads them through :class:`TranslatedTemplates`, which replaces each
English fragment ``labels.yaml`` lists (``plugin_templates``, by package) with its Vietnamese.
A fragment the template no longer has (another version of the plugin) is an error naming it, so
the English never comes back unnoticed."""
from __future__ import annotations

import importlib.resources
from pathlib import Path

from jinja2 import BaseLoader, ChoiceLoader, Environment, TemplateError, TemplateNotFound

from .vietnamese import labels_file


def plugin_template_words() -> dict[str, dict[str, dict[str, str]]]:
    """package -> template name -> {English fragment as written in it: what the site shows instead}."""
    return {package: {name: {str(k): str(v) for k, v in words.items()} for name, words in templates.items()}
            for package, templates in (labels_file().get("plugin_templates") or {}).items()}


class TranslatedTemplates(BaseLoader):
    """The templates of ``folder`` that ``words`` names, their fragments replaced, when ``loader``
    (the environment's own) would read them from ``folder``: a template of the same name that comes
    first elsewhere (the site's own templates, say) is left to it, and so is any other name."""

    def __init__(self, folder: str, words: dict[str, dict[str, str]], loader: BaseLoader):
        self.folder = Path(folder).resolve()
        self.words = words
        self.loader = loader

    def get_source(self, environment: Environment, template: str):
        if template not in self.words:
            raise TemplateNotFound(template)
        source, filename, uptodate = self.loader.get_source(environment, template)
        if Path(filename).resolve().parent != self.folder:
            raise TemplateNotFound(template)
        for english, vietnamese in self.words[template].items():
            if english not in source:
                raise TemplateError(f"{filename}: no {english!r} to show in Vietnamese (labels.yaml, "
                                    f"plugin_templates): the plugin's template changed, update the fragment")
            source = source.replace(english, vietnamese)
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        return sorted(self.words)


def translate_plugin_templates(env: Environment) -> None:
    """Put :class:`TranslatedTemplates` of each package ``plugin_template_words`` names before
    ``env``'s own loader (a package not installed: none)."""
    loaders: list[BaseLoader] = []
    for package, words in plugin_template_words().items():
        try:
            folder = importlib.resources.files(package) / "templates"
        except ModuleNotFoundError:
            continue
        if folder.is_dir():
            loaders.append(TranslatedTemplates(str(folder), words, env.loader))
    if loaders:
        env.loader = ChoiceLoader([*loaders, env.loader])
