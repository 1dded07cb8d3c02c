"""Review: labelled units of whole reports in, what a reviewer reads out.

One summary row per report — label shares, shares corrected for the model's confusion
(``quantify``), the required parts (``parts``), signs of a thin report (``summary``) — batches of them
with boilerplate shared across reports (``summary_batch``, ``boilerplate``), written as
tables and workbooks (``summary_output``) or one report as an HTML page (``html_report``).
"""
