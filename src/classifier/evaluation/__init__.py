"""Evaluation: a labelled corpus in, figures out.

Report-grouped cross-validation with the baselines on the same folds (``evaluate``), error
analysis (``analysis``, ``diagnosis``) and the plots of both (``plots``).
"""
