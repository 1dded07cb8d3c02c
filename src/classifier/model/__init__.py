"""Model: units in, features out, and a trained, saved model.

Tokens (``tokens``), per-unit records with their context (``records``), the feature
union (``features``), the scikit-learn ``Pipeline`` and its training set (``pipeline``,
``svm``), training and the model card (``training``, ``metadata``, ``scores``), and the
model directory on disk (``persistence``: arrays and JSON; ``directory``: checked, swapped in
in one step, read as one version). ``fast`` applies a saved model's weights
without scikit-learn. Leaves: a fitted pipeline, or a model directory.
"""
