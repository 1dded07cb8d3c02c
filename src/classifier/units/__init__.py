"""Units: a report's text in, its units out.

Cuts the text into headings and sentences with offsets into it, the outline path above
each, and the section's role (``segments``); reads the issuing body, level and year from
the title block (``report_meta``); compares units for near-duplicates (``similarity``).
Leaves: ``Unit`` records and ``ReportMeta``.
"""
