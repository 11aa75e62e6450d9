"""JSON Schemas for editors (yaml-language-server) and for documentation."""

from __future__ import annotations

from typing import Any

from .answers import AnswersDoc
from .conditions import ALL_OPS
from .models import ConsistencyRules, FactCatalogue, Questionnaire

_COMPARE_VALUE: dict[str, Any] = {
    "anyOf": [{"type": "string"}, {"type": "number"}, {"type": "array", "items": {"type": ["string", "number"]}}]
}

CONDITION_SCHEMA: dict[str, Any] = {
    "title": "Condition",
    "description": "A condition as data: all/any/not, a comparison on an answer or a shared fact, a group row "
                   "test, a derived value or a score. See docs/questionnaire-format.md.",
    "oneOf": [
        {"type": "object", "properties": {"all": {"type": "array", "items": {"$ref": "#/$defs/Condition"},
                                                  "minItems": 1}},
         "required": ["all"], "additionalProperties": False},
        {"type": "object", "properties": {"any": {"type": "array", "items": {"$ref": "#/$defs/Condition"},
                                                  "minItems": 1}},
         "required": ["any"], "additionalProperties": False},
        {"type": "object", "properties": {"not": {"$ref": "#/$defs/Condition"}}, "required": ["not"],
         "additionalProperties": False},
        {"type": "object", "properties": {"q": {"type": "string"}, "op": {"enum": ALL_OPS},
                                          "value": _COMPARE_VALUE},
         "required": ["q", "op"], "additionalProperties": False},
        {"type": "object", "properties": {"fact": {"type": "string", "description": "A shared fact id."},
                                          "op": {"enum": ALL_OPS}, "value": _COMPARE_VALUE},
         "required": ["fact", "op"], "additionalProperties": False},
        {"type": "object", "properties": {"any_row": {"type": "string"}, "where": {"$ref": "#/$defs/Condition"}},
         "required": ["any_row", "where"], "additionalProperties": False},
        {"type": "object", "properties": {"all_rows": {"type": "string"}, "where": {"$ref": "#/$defs/Condition"}},
         "required": ["all_rows", "where"], "additionalProperties": False},
        {"type": "object", "properties": {"derived": {"type": "string"},
                                          "op": {"enum": ["eq", "ne", "lt", "le", "gt", "ge"]},
                                          "value": {"type": "number"}},
         "required": ["derived", "op", "value"], "additionalProperties": False},
        {"type": "object", "properties": {"score": {"type": "string"},
                                          "op": {"enum": ["eq", "ne", "lt", "le", "gt", "ge"]},
                                          "value": {"type": "number"}},
         "required": ["score", "op", "value"], "additionalProperties": False},
    ],
}


def _replace_conditions(node: Any) -> Any:
    """pydantic sees conditions as free mappings; point those fields at the real condition schema."""
    if isinstance(node, dict):
        if node.get("title") == "When" or (
            "additionalProperties" in node and node.get("type") == "object" and node.get("title") in ("When",)
        ):
            return {"$ref": "#/$defs/Condition"}
        out = {}
        for key, value in node.items():
            if key in ("when", "applies_when"):
                out[key] = {"anyOf": [{"$ref": "#/$defs/Condition"}, {"type": "null"}],
                            "description": "Condition (see $defs/Condition)"}
            else:
                out[key] = _replace_conditions(value)
        return out
    if isinstance(node, list):
        return [_replace_conditions(v) for v in node]
    return node


def questionnaire_schema() -> dict[str, Any]:
    schema = Questionnaire.model_json_schema()
    schema = _replace_conditions(schema)
    schema.setdefault("$defs", {})["Condition"] = CONDITION_SCHEMA
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "riskwizard questionnaire"
    return schema


def _with_conditions(schema: dict[str, Any], title: str) -> dict[str, Any]:
    schema = _replace_conditions(schema)
    schema.setdefault("$defs", {})["Condition"] = CONDITION_SCHEMA
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return schema


def facts_schema() -> dict[str, Any]:
    """The shared facts catalogue (questionnaires/shared/facts.yaml)."""
    return _with_conditions(FactCatalogue.model_json_schema(), "riskwizard shared facts catalogue")


def consistency_schema() -> dict[str, Any]:
    """The consistency rules (questionnaires/shared/consistency.yaml)."""
    return _with_conditions(ConsistencyRules.model_json_schema(), "riskwizard consistency rules")


def answers_schema() -> dict[str, Any]:
    schema = AnswersDoc.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "riskwizard answers file"
    return schema
