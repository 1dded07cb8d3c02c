"""Running a model: report files in, one labelled row per unit out.

Loads a model (``predict``: ``Model``, ``Prediction``, ``load_model``), labels batches of
files, spread over processes when asked (``batch``, ``workers``), and writes rows as JSON
Lines, CSV or a table (``output``).
"""
