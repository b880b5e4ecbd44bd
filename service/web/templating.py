"""Jinja templates of service/web/templates, with asset_url as a global."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template import TemplateConfig

from service.web.assets import asset_url

TEMPLATE_DIR = Path(__file__).parent / "templates"


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    """Jinja with autoescaping on for every template, whatever its extension."""
    environment = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=True)
    environment.globals["asset_url"] = asset_url
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment))
