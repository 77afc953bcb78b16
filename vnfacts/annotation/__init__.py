"""The annotation loop with Label Studio: generated labelling config, tasks with the extractor's
output as pre-annotations, the JSON export read back into ``annotations/`` (validated, never
overwriting), the same through Label Studio's REST API, and a local server for annotators.

Modules: ``schema`` (the guide-format record and its validation), ``labelstudio`` (Label Studio's
formats both ways), ``store`` (the annotations folder), ``client`` (REST API), ``server`` (start a
local Label Studio from ``.venv-labelstudio``), ``loop`` (one function per sub-command).
"""
