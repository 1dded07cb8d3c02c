"""Fast scoring: units and a saved model's weights in, probabilities out, without scikit-learn.

Works out the features of many units at once with array operations (``columns``,
``charindex``, ``keytable``) and applies the weights (``scoring``); the probabilities equal
the scikit-learn pipeline's.
"""
