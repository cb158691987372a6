"""Action parameters from a GET query or a POST JSON body, read with CKAN's leniency.

CKAN clients send lists and dicts as JSON strings in GET queries and as JSON values in
POST bodies; both arrive here as the same typed values or a 409 naming the parameter.
"""

from __future__ import annotations

import json
from typing import Any

from portal.errors import BadParameter

# No count, offset or limit of this catalog comes near this; larger is a 409, not an overflow.
MAX_INTEGER = 10**9


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def strict_json(text: str | bytes) -> Any:
    """JSON as RFC 8259 has it: NaN, Infinity and -Infinity are refused, not parsed."""
    return json.loads(text, parse_constant=_no_constant)


class Params:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self.data.get(name, default)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise BadParameter("api.expected_text", field=name)

    def required_text(self, name: str) -> str:
        value = self.text(name)
        if not value:
            raise BadParameter("api.missing_parameter", field=name)
        return value

    def integer(
        self, name: str, default: int, *, minimum: int = 0, maximum: int | None = None
    ) -> int:
        value = self.data.get(name, default)
        try:
            number = int(value)
        except (TypeError, ValueError, OverflowError):
            raise BadParameter("api.expected_integer", field=name) from None
        if (
            abs(number) > MAX_INTEGER
            or number < minimum
            or (maximum is not None and number > maximum)
        ):
            # Said as the number it is: "between 0 and ∞" refused 2,147,483,648 without a reason.
            upper = MAX_INTEGER if maximum is None else maximum
            raise BadParameter("api.out_of_range", field=name, minimum=minimum, maximum=upper)
        return number

    def boolean(self, name: str, default: bool) -> bool:
        value = self.data.get(name, default)
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "1", "yes", "on"):
            return True
        if str(value).lower() in ("false", "0", "no", "off", ""):
            return False
        raise BadParameter("api.expected_boolean", field=name)

    def structured(self, name: str) -> Any:
        """A list or dict, given as itself (POST) or as a JSON string (GET)."""
        value = self.data.get(name)
        if isinstance(value, str):
            try:
                return strict_json(value)
            except (ValueError, RecursionError):
                raise BadParameter("api.expected_json", field=name) from None
        return value

    def names(self, name: str) -> list[str] | None:
        """A list of names: a JSON list, a list, or comma-separated text."""
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            if value.lstrip().startswith("["):
                value = self.structured(name)
            else:
                return [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(value)
        raise BadParameter("api.expected_list", field=name)
