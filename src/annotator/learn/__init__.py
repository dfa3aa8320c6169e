"""Suggestions learned from the annotator's own spans: gold data, features, models, training.

The core of the model in the loop (no Textual here): ``gold`` reads hand-checked JSONL sets,
the other modules train a model on the spans a user made or accepted and suggest spans with it.
"""
