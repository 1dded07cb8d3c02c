"""Corpus: labelled reports in and out.

Loads and checks a corpus directory (``corpus``: raw reports, one JSON Lines file of
labelled units per report, ``reports.csv``), imports and exports labels in CSV, doccano and
Label Studio formats (``interchange``), and describes a corpus (``datacard``). Leaves:
``Report`` and ``LabelledUnit`` records, ready for training.
"""
