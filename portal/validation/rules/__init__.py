"""Rule packs: accuracy and completeness rules as data (validators/*.yaml), run by small rule types.

`packs` loads the YAML; `conditions` evaluates the declarative conditions rules use;
`row_rules` checks each batch as it streams by; `series_rules` checks indicator series
once read; `metadata_rules` checks the descriptor against the data; `runner` wires
them to the structural pass, so every file is read once.
"""

__all__: list[str] = []  # a face of modules: import them by name
