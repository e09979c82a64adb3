"""What the credential form shows of each model field, and the order a person fills them in."""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any

from providers.base import CredentialsModel, is_secret

# Sections of a form, in the order they are shown: where the data is, then the key that
# opens it, then whatever may be left as it is.
WHERE = "where"
KEY = "key"
OPTIONAL = "optional"
SECTION_TITLES = {WHERE: "Location", KEY: "Credentials", OPTIONAL: "Optional"}

# Fields that are not secret but belong with the secret they name (the key id, the login).
KEY_FIELDS = frozenset({"accessKeyId", "username"})


@dataclass(frozen=True)
class FieldSpec:
    """What the form needs to know about one credential field."""

    wire: str
    name: str  # the Python attribute name on the credentials model
    title: str
    help: str
    example: str
    where: str
    secret: bool
    required: bool
    choices: tuple[str, ...] = ()

    @property
    def section(self) -> str:
        if not self.required:
            return OPTIONAL
        if self.secret or self.wire in KEY_FIELDS:
            return KEY
        return WHERE


def field_specs(model: type[CredentialsModel]) -> list[FieldSpec]:
    """The fields of ``model`` grouped by section, in declaration order within a section."""
    specs = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        specs.append(
            FieldSpec(
                wire=info.alias or name,
                name=name,
                title=info.title or name.replace("_", " ").capitalize(),
                help=info.description or "",
                example=str(info.examples[0]) if info.examples else "",
                where=str(extra.get("where", "")),
                secret=is_secret(info),
                required=info.is_required(),
                choices=_literal_choices(info.annotation),
            )
        )
    order = list(SECTION_TITLES)
    return sorted(specs, key=lambda spec: order.index(spec.section))  # sorted() is stable


def _literal_choices(annotation: Any) -> tuple[str, ...]:
    """The values of a ``Literal[...]`` (or ``Literal[...] | None``) annotation, else ()."""
    if typing.get_origin(annotation) is typing.Literal:
        return tuple(str(v) for v in typing.get_args(annotation))
    for member in typing.get_args(annotation):
        if typing.get_origin(member) is typing.Literal:
            return tuple(str(v) for v in typing.get_args(member))
    return ()
