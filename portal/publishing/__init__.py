"""Publishing: who may publish, four eyes, sealed releases, the one publish step."""

__all__: list[str] = []
